#include "support/tls_client.hpp"

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdio>
#include <stdexcept>

#include "support/test_pki.hpp"

namespace albwebhook::testing {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

void SetTimeouts(int fd, std::chrono::milliseconds t) {
  timeval tv{};
  tv.tv_sec = static_cast<long>(t.count() / 1000);
  tv.tv_usec = static_cast<long>((t.count() % 1000) * 1000);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

HttpResponse Convert(http::response<http::string_body>& res) {
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  out.keep_alive = res.keep_alive();
  for (const auto& field : res) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(field.value());
  }
  return out;
}

}  // namespace

struct TlsClient::Impl {
  TlsClientOptions options;
  net::io_context ioc;
  ssl::context ctx{ssl::context::tls_client};
  std::unique_ptr<beast::ssl_stream<tcp::socket>> stream;
  beast::flat_buffer buffer;
};

TlsClient::TlsClient(TlsClientOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  auto& ctx = impl_->ctx;
  ctx.load_verify_file(impl_->options.ca_file);
  ctx.set_verify_mode(ssl::verify_peer);
  if (!impl_->options.client_cert.empty()) {
    ctx.use_certificate_chain_file(impl_->options.client_cert);
    ctx.use_private_key_file(impl_->options.client_key, ssl::context::pem);
  }
  if (impl_->options.min_version)
    SSL_CTX_set_min_proto_version(ctx.native_handle(), impl_->options.min_version);
  if (impl_->options.max_version)
    SSL_CTX_set_max_proto_version(ctx.native_handle(), impl_->options.max_version);
  if (!impl_->options.tls12_ciphers.empty()) {
    SSL_CTX_set_cipher_list(ctx.native_handle(), impl_->options.tls12_ciphers.c_str());
  }
  if (!impl_->options.alpn.empty()) {
    std::string wire;
    for (const auto& p : impl_->options.alpn) {
      wire += static_cast<char>(p.size());
      wire += p;
    }
    SSL_CTX_set_alpn_protos(ctx.native_handle(),
                            reinterpret_cast<const unsigned char*>(wire.data()),
                            static_cast<unsigned>(wire.size()));
  }
}

TlsClient::~TlsClient() = default;

std::string TlsClient::Connect(std::uint16_t port) {
  impl_->stream = std::make_unique<beast::ssl_stream<tcp::socket>>(impl_->ioc, impl_->ctx);
  auto& s = *impl_->stream;
  SSL_set_tlsext_host_name(s.native_handle(), "localhost");
  s.set_verify_callback(ssl::host_name_verification("localhost"));
  boost::system::error_code ec;
  s.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
  if (ec) return "connect: " + ec.message();
  SetTimeouts(s.next_layer().native_handle(), impl_->options.io_timeout);
  s.handshake(ssl::stream_base::client, ec);
  if (ec) return "handshake: " + ec.message();
  return "";
}

void TlsClient::SendRaw(const std::string& bytes) {
  boost::system::error_code ec;
  net::write(*impl_->stream, net::buffer(bytes), ec);
  if (ec) throw std::runtime_error("write: " + ec.message());
}

HttpResponse TlsClient::ReadResponse() {
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  boost::system::error_code ec;
  http::read(*impl_->stream, impl_->buffer, parser, ec);
  if (ec) throw std::runtime_error("read: " + ec.message());
  return Convert(parser.get());
}

HttpResponse TlsClient::Post(const std::string& target, const std::string& body,
                             const std::string& content_type) {
  http::request<http::string_body> req(http::verb::post, target, 11);
  req.set(http::field::host, "localhost");
  req.set(http::field::content_type, content_type);
  req.set(http::field::user_agent, "kube-apiserver-admission");
  req.body() = body;
  req.prepare_payload();
  boost::system::error_code ec;
  http::write(*impl_->stream, req, ec);
  if (ec) throw std::runtime_error("write: " + ec.message());
  return ReadResponse();
}

bool TlsClient::ReadsEof() {
  char byte = 0;
  boost::system::error_code ec;
  const std::size_t n = impl_->stream->read_some(net::buffer(&byte, 1), ec);
  if (n > 0) return false;
  return ec == net::error::eof || ec == ssl::error::stream_truncated ||
         ec == net::error::connection_reset || ec.category() == net::error::get_ssl_category();
}

std::string TlsClient::PeerFingerprint() {
  X509* cert = SSL_get1_peer_certificate(impl_->stream->native_handle());
  std::string hex = CertFingerprint(cert);
  X509_free(cert);
  return hex;
}

std::string TlsClient::NegotiatedAlpn() {
  const unsigned char* data = nullptr;
  unsigned int len = 0;
  SSL_get0_alpn_selected(impl_->stream->native_handle(), &data, &len);
  return std::string(reinterpret_cast<const char*>(data), len);
}

HttpResponse PlainRequest(std::uint16_t port, const std::string& method,
                          const std::string& target) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  SetTimeouts(socket.native_handle(), std::chrono::seconds(10));
  http::request<http::string_body> req(http::string_to_verb(method), target, 11);
  req.set(http::field::host, "localhost");
  req.keep_alive(false);
  req.prepare_payload();
  http::write(socket, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  if (method == "HEAD") parser.skip(true);
  http::read(socket, buffer, parser);
  return Convert(parser.get());
}

}  // namespace albwebhook::testing
