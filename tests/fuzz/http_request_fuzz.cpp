// Fuzz target: the HTTP request path of the webhook, as far as it can be isolated from the TLS
// session (server/transport/server.cpp's HttpsSession is TLS-only and not templated on its
// stream; its state machine - timeouts, keep-alive, draining, 413 without buffering - is covered
// by the integration tests, not here).
//
// The bytes are served from Beast's in-memory test stream to http::request_parser<string_body>
// with the server's limits (transport::ServerConfig: 16 KiB header, 7 MiB body), read as the
// session reads them: header first, a declared Content-Length over the limit refused before the
// body, then the body; pipelined requests are read until the stream ends or a parse error. Each
// complete request is routed by path like the server (POST only) and answered by ServeAdmission
// with the real webhook; the ?timeout= query goes through transport::ParseGoDuration.
//
// Byte 0 sets the stream's read size (1..256 bytes per read_some), so requests are also split at
// arbitrary points.
#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "albwebhook/transport/server.hpp"
#include "fuzz_support.hpp"

namespace albwebhook::fuzz {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

const admission::Handler* Route(std::string_view path) {
  const Handlers& h = Handlers::Get();
  if (path == rules::kValidateIngressPath) return h.validate_ingress.get();
  if (path == rules::kMutateIngressPath) return h.mutate_ingress.get();
  if (path == rules::kValidateTargetGroupBindingPath) return h.validate_tgb.get();
  if (path == rules::kMutateTargetGroupBindingPath) return h.mutate_tgb.get();
  return nullptr;
}

// The ?timeout= value (first occurrence; enough to feed transport::ParseGoDuration).
std::string_view TimeoutParam(std::string_view target) {
  const auto at = target.find("timeout=");
  if (at == std::string_view::npos) return {};
  const std::string_view value = target.substr(at + 8);
  return value.substr(0, value.find('&'));
}

void Serve(std::string_view bytes, std::size_t read_size) {
  static const transport::ServerConfig kConfig{};
  static const policy::Policy kPolicy{};
  boost::asio::io_context ioc;
  beast::test::stream stream(ioc, bytes);
  stream.read_size(read_size);
  stream.close_remote();  // EOF after the bytes
  beast::flat_buffer buffer;
  for (int request = 0; request < 64; ++request) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(kConfig.max_header_bytes));
    parser.body_limit(kConfig.max_body_bytes);
    beast::error_code ec;
    http::read_header(stream, buffer, parser, ec);
    if (ec) return;  // 400/413/431 or end of stream: the session answers and closes
    const auto length = parser.content_length();
    if (length && *length > kConfig.max_body_bytes) return;  // 413 before reading the body
    (void)transport::ParseGoDuration(TimeoutParam(parser.get().target()));
    http::read(stream, buffer, parser, ec);
    if (ec) return;
    const auto& req = parser.get();
    FUZZ_CHECK(req.body().size() <= kConfig.max_body_bytes);
    std::string_view path = req.target();
    path = path.substr(0, path.find('?'));
    const admission::Handler* handler = Route(path);
    if (handler != nullptr && req.method() == http::verb::post) {
      const auto out =
          admission::ServeAdmission(req.body(), req[http::field::content_type], *handler, kPolicy);
      (void)CheckAnswer(out, *handler);
    }
    if (!req.keep_alive()) return;
  }
}

}  // namespace
}  // namespace albwebhook::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t read_size = std::size_t{data[0]} + 1;
  albwebhook::fuzz::Serve(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1),
                          read_size);
  return 0;
}
