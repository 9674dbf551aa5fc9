// Fuzz target: the webhook's HTTP/1.1 session itself - the same HttpSession template that serves
// TLS connections (server/transport/http_session.hpp), here on Beast's in-memory test stream
// instead of the TLS stream of tls_stream.hpp. Everything after the TLS handshake is the
// production code:
// header and body limits, 413 (declared or chunked), 431, the 400s of AmbiguousFraming and of the
// parser, 404/405, 415 and the admission answers, the global body budget (503), Expect:
// 100-continue, keep-alive and pipelining, ?timeout= deadlines, and the write.
//
// Input: byte 0 sets the session's read size (1..256 bytes per read_some); the rest is what a
// client sends. It is delivered in segments of 3 x read size, the session running between them,
// so requests are split at arbitrary points (and across reads); then the client closes.
// The session's clock advances 1 ms per reading, so a ?timeout= of a few ms expires mid-request.
// Deadlines are not armed (a test stream has no timer): the run ends when the client's bytes do.
//
// Invariants, checked after the io_context has run to completion:
//   - every byte the server wrote parses as a sequence of whole HTTP/1.x responses (optional
//     100 Continue, then one final answer per request), with Content-Length framing and a
//     JSON AdmissionReview body whenever the content type is application/json;
//   - at most one final answer per request the session read, and none is a 500 (handler panic);
//   - protocol errors (400 text/plain, 404, 405, 413, 431, 503) carry Connection: close; nothing
//     follows an answer with Connection: close, and the session closed the stream after it;
//   - the session is gone and every shared counter is back to zero (connections, requests in
//     flight, connections before their first request, reserved body bytes).
#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "albwebhook/app/app.hpp"
#include "albwebhook/rules/registry.hpp"
#include "fuzz_support.hpp"
#include "transport/http_session.hpp"
#include "transport/session_host.hpp"

namespace albwebhook::fuzz {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using transport::detail::Clock;
using transport::detail::SessionHost;

// What the session leaves behind for the checks (it is destroyed by the end of the run).
struct Report {
  std::size_t headers_read = 0;
  std::size_t answers_sent = 0;
  bool closed = false;  // DoClose() ran: the session closed the stream after its last answer
  bool destroyed = false;
};

class FuzzSession : public transport::detail::HttpSession<FuzzSession> {
 public:
  FuzzSession(net::io_context& ioc, SessionHost& host, Report& report)
      : HttpSession(host), stream_(ioc), report_(report) {}
  ~FuzzSession() {
    report_.headers_read = headers_read();
    report_.answers_sent = answers_sent();
    report_.destroyed = true;
  }

  void Start() { BeginRequests(); }

  // The hooks of HttpSession.
  beast::test::stream& stream() { return stream_; }
  void ArmTimeout(Clock::duration /*timeout*/) {}
  void ArmDeadline(Clock::time_point /*deadline*/) {}
  Clock::time_point Now() { return now_ += std::chrono::milliseconds(1); }
  void DoClose() {
    report_.closed = true;
    stream_.close();
  }

 private:
  beast::test::stream stream_;
  Report& report_;
  Clock::time_point now_{};
};

// The server's state, built once: the four real webhooks, a strict policy (every rule on), and a
// body budget of 64 KiB so that declared lengths reach the 503 path long before the 7 MiB 413.
SessionHost& Host() {
  static SessionHost* host = [] {
    log::SetLevel(log::Level::kError);  // warn lines per 413/503/400 would drown the fuzzer
    transport::ServerConfig config;
    config.max_buffered_body_bytes = 64 * 1024;
    auto source = std::make_shared<const state::FixedSnapshotSource>(StrictPolicy());
    return new SessionHost(config, app::BuildWiring(rules::AdmittedKinds(), source, "fuzz"));
  }();
  return *host;
}

bool IsProtocolError(const http::response<http::string_body>& res) {
  const int status = static_cast<int>(res.result_int());
  if (status == 404 || status == 405 || status == 413 || status == 431 || status == 503) {
    return true;
  }
  return status == 400 && res[http::field::content_type].starts_with("text/plain");
}

// Checks the bytes the server wrote; returns the number of final answers.
std::size_t CheckOutput(std::string_view out, const Report& report) {
  std::size_t finals = 0;
  bool closing = false;
  while (!out.empty()) {
    FUZZ_CHECK(!closing);  // nothing may follow an answer with Connection: close
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    beast::error_code ec;
    std::size_t used = 0;
    while (!parser.is_done() && !ec && used < out.size()) {
      used += parser.put(net::buffer(out.data() + used, out.size() - used), ec);
    }
    FUZZ_CHECK(!ec);
    FUZZ_CHECK(parser.is_done());  // a whole response, never a truncated one
    out.remove_prefix(used);
    const auto& res = parser.get();
    FUZZ_CHECK(res.version() == 11 || res.version() == 10);
    if (res.result() == http::status::continue_) {
      FUZZ_CHECK(res.body().empty());
      continue;
    }
    ++finals;
    const int status = static_cast<int>(res.result_int());
    FUZZ_CHECK(status == 200 || status == 400 || status == 404 || status == 405 || status == 413 ||
               status == 415 || status == 431 || status == 503);
    FUZZ_CHECK(res[http::field::server] == "alb-webhook");
    FUZZ_CHECK(res.has_content_length());
    if (res[http::field::content_type] == "application/json") {
      const auto review = nlohmann::json::parse(res.body(), nullptr, /*allow_exceptions=*/false);
      FUZZ_CHECK(review.is_object() && review.value("kind", "") == "AdmissionReview");
      FUZZ_CHECK(review.contains("response") && review["response"].is_object());
      FUZZ_CHECK(review["response"].contains("allowed") &&
                 review["response"]["allowed"].is_boolean());
      if (status != 200) FUZZ_CHECK(review["response"]["status"]["code"] == status);
    }
    if (status == 503) FUZZ_CHECK(res[http::field::retry_after] == "1");
    if (IsProtocolError(res)) FUZZ_CHECK(!res.keep_alive());
    if (!res.keep_alive()) {
      closing = true;
      FUZZ_CHECK(report.closed);
    }
  }
  return finals;
}

void Serve(std::string_view bytes, std::size_t read_size) {
  SessionHost& host = Host();
  Report report;
  net::io_context ioc;
  beast::test::stream client(ioc);
  {
    auto session = std::make_shared<FuzzSession>(ioc, host, report);
    session->stream().connect(client);
    session->stream().read_size(read_size);
    session->Start();
  }
  const std::size_t segment = 3 * read_size;
  for (std::size_t at = 0; at < bytes.size(); at += segment) {
    beast::error_code ec;
    net::write(client, net::buffer(bytes.substr(at, segment)), ec);
    if (ec) break;  // the session has closed
    ioc.restart();
    ioc.poll();
  }
  client.close();  // EOF for the session
  ioc.restart();
  ioc.run();

  FUZZ_CHECK(report.destroyed);
  // Triage of a reproducer: ALBWEBHOOK_FUZZ_PRINT=1 ./http_request_fuzz crash-... shows the
  // answers.
  static const bool print = std::getenv("ALBWEBHOOK_FUZZ_PRINT") != nullptr;
  if (print) {
    std::fprintf(stderr, "session: %zu requests read, %zu answers sent, closed: %d\n%s\n",
                 report.headers_read, report.answers_sent, static_cast<int>(report.closed),
                 std::string(client.str()).c_str());
  }
  const std::size_t finals = CheckOutput(client.str(), report);
  FUZZ_CHECK(finals <= report.answers_sent);
  FUZZ_CHECK(report.answers_sent <= report.headers_read);
  FUZZ_CHECK(host.connections.load() == 0);
  FUZZ_CHECK(host.requests_in_flight.load() == 0);
  FUZZ_CHECK(host.fresh_connections.load() == 0);
  FUZZ_CHECK(host.buffered_body_bytes.load() == 0);
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
