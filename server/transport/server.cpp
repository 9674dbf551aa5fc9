// The transport: TLS listener, HTTPS sessions (the TLS handshake and deadlines around the request
// loop of transport/http_session.hpp), certificate and policy reload, drain, and the plain
// metrics/health listener. The only server translation unit that includes Beast/Asio (the fuzz
// target of the session is the other).
#include "albwebhook/transport/server.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <charconv>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "albwebhook/admission/handler.hpp"
#include "albwebhook/admission/webhook.hpp"
#include "albwebhook/log/log.hpp"
#include "albwebhook/metrics/metrics.hpp"
#include "albwebhook/rules/ingress.hpp"
#include "albwebhook/rules/target_group_binding.hpp"
#include "transport/http_session.hpp"

#ifndef ALBWEBHOOK_VERSION
#define ALBWEBHOOK_VERSION "dev"
#endif

namespace albwebhook::transport {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

namespace {

double UnixNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot open " + path};
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string OpenSslError() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

Result<tcp::endpoint> ParseEndpoint(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return Error{"address \"" + text + "\": expected host:port"};
  std::string host = text.substr(0, colon);
  const std::string port_text = text.substr(colon + 1);
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port > 65535) {
    return Error{"address \"" + text + "\": invalid port"};
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code bec;
  auto addr = net::ip::make_address(host, bec);
  if (bec) return Error{"address \"" + text + "\": invalid IP address \"" + host + "\""};
  return tcp::endpoint(addr, static_cast<unsigned short>(port));
}

// ALPN: the apiserver offers only http/1.1 to service webhooks. Select it; refuse clients that
// offer only other protocols (we never speak h2).
int SelectAlpn(SSL* /*ssl*/, const unsigned char** out, unsigned char* outlen,
               const unsigned char* in, unsigned int inlen, void* /*arg*/) {
  static const unsigned char kHttp11[] = {'h', 't', 't', 'p', '/', '1', '.', '1'};
  for (unsigned int i = 0; i < inlen;) {
    const unsigned int len = in[i];
    if (i + 1 + len > inlen) break;
    if (len == sizeof(kHttp11) && std::memcmp(in + i + 1, kHttp11, len) == 0) {
      *out = in + i + 1;
      *outlen = static_cast<unsigned char>(len);
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + len;
  }
  return SSL_TLSEXT_ERR_ALERT_FATAL;
}

// TLS 1.2 suites: ECDHE with AEAD only. TLS 1.3 suites are all AEAD (OpenSSL defaults).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

struct LoadedTls {
  std::shared_ptr<ssl::context> context;
  double not_after = 0;  // unix seconds
};

// Builds a server context from PEM files; errors name the file and OpenSSL's reason.
Result<LoadedTls> BuildTlsContext(const std::string& cert_pem, const std::string& key_pem,
                                  const std::string& ca_pem) {
  ERR_clear_error();
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(
      native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1)
    return Error{"cipher list: " + OpenSslError()};
  SSL_CTX_set_alpn_select_cb(native, SelectAlpn, nullptr);
  boost::system::error_code ec;
  ctx->use_certificate_chain(net::buffer(cert_pem), ec);
  if (ec) return Error{"certificate: " + OpenSslError()};
  ctx->use_private_key(net::buffer(key_pem), ssl::context::pem, ec);
  if (ec) return Error{"private key: " + OpenSslError()};
  if (SSL_CTX_check_private_key(native) != 1) {
    return Error{"private key does not match the certificate: " + OpenSslError()};
  }
  if (!ca_pem.empty()) {
    ctx->add_certificate_authority(net::buffer(ca_pem), ec);
    if (ec) return Error{"client CA: " + OpenSslError()};
    ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  }
  LoadedTls out;
  X509* leaf = SSL_CTX_get0_certificate(native);
  if (leaf == nullptr) return Error{"certificate: no certificate found"};
  int days = 0;
  int secs = 0;
  ASN1_TIME* epoch = ASN1_TIME_set(nullptr, 0);
  if (ASN1_TIME_diff(&days, &secs, epoch, X509_get0_notAfter(leaf)) == 1) {
    out.not_after = static_cast<double>(days) * 86400.0 + secs;
  }
  ASN1_TIME_free(epoch);
  if (X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0) {
    log::Warn("serving certificate has expired", {{"not_after", out.not_after}});
  }
  out.context = std::move(ctx);
  return out;
}

// Holds the TLS context in force and swaps it when the files change. New handshakes take the
// current context; open connections keep the one they started with.
class TlsStore {
 public:
  TlsStore(std::string cert_file, std::string key_file, std::string ca_file)
      : cert_file_(std::move(cert_file)),
        key_file_(std::move(key_file)),
        ca_file_(std::move(ca_file)) {}

  std::shared_ptr<ssl::context> Current() const { return current_.load(); }

  enum class Outcome { kUnchanged, kReloaded, kFailed };

  // Loads when the files' bytes differ from what was last tried. A bad pair keeps the old one.
  Outcome Reload(std::string* error, double* not_after) {
    std::lock_guard lock(mutex_);
    auto cert = ReadFile(cert_file_);
    auto key = ReadFile(key_file_);
    Result<std::string> ca = std::string();
    if (!ca_file_.empty()) ca = ReadFile(ca_file_);
    if (!cert || !key || !ca) {
      const std::string why = !cert  ? cert.error().message
                              : !key ? key.error().message
                                     : ca.error().message;
      if (why == last_error_) return Outcome::kUnchanged;  // report a missing file once
      last_error_ = why;
      *error = why;
      return Outcome::kFailed;
    }
    std::string fingerprint = *cert + '\0' + *key + '\0' + *ca;
    if (fingerprint == last_tried_) return Outcome::kUnchanged;
    last_tried_ = std::move(fingerprint);
    last_error_.clear();
    auto loaded = BuildTlsContext(*cert, *key, *ca);
    if (!loaded) {
      *error = cert_file_ + " / " + key_file_ + ": " + loaded.error().message;
      return Outcome::kFailed;
    }
    *not_after = loaded->not_after;
    current_.store(loaded->context);
    return Outcome::kReloaded;
  }

 private:
  std::string cert_file_, key_file_, ca_file_;
  std::atomic<std::shared_ptr<ssl::context>> current_;
  std::mutex mutex_;
  std::string last_tried_;
  std::string last_error_;
};

}  // namespace

Millis ParseGoDuration(std::string_view text) {
  if (text.empty()) return Millis(-1);
  double total_ms = 0;
  std::size_t i = 0;
  if (text == "0") return Millis(0);
  while (i < text.size()) {
    std::size_t start = i;
    while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
    if (start == i) return Millis(-1);
    double value = 0;
    auto [ptr, ec] = std::from_chars(text.data() + start, text.data() + i, value);
    if (ec != std::errc() || ptr != text.data() + i) return Millis(-1);
    std::size_t unit_start = i;
    while (i < text.size() && !((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
    const std::string_view unit = text.substr(unit_start, i - unit_start);
    double scale = 0;
    if (unit == "h") {
      scale = 3600000;
    } else if (unit == "m") {
      scale = 60000;
    } else if (unit == "s") {
      scale = 1000;
    } else if (unit == "ms") {
      scale = 1;
    } else if (unit == "us" || unit == "\xc2\xb5s" || unit == "\xce\xbcs") {
      scale = 0.001;
    } else if (unit == "ns") {
      scale = 0.000001;
    } else {
      return Millis(-1);
    }
    total_ms += value * scale;
    if (total_ms > 86400000.0) return Millis(-1);
  }
  return Millis(static_cast<long long>(total_ms));
}

// The shared state sessions use (config, wiring, counters) is the SessionHost
// base: it is destroyed after ioc, whose destructor destroys the sessions still pending.
struct Server::Impl : detail::SessionHost {
  std::unique_ptr<TlsStore> tls;

  net::io_context ioc;
  // Acceptors, timers and signals share one strand: accept completions, reloads and the drain
  // never run concurrently on two worker threads (an acceptor is not thread-safe).
  net::strand<net::io_context::executor_type> control{net::make_strand(ioc)};
  tcp::acceptor acceptor{control};
  tcp::acceptor metrics_acceptor{control};
  net::steady_timer reload_timer{control};
  net::steady_timer drain_timer{control};
  std::optional<net::signal_set> signals;
  std::uint16_t webhook_port = 0;  // read once at bind time: safe to read from any thread
  std::uint16_t metrics_port = 0;

  std::atomic<bool> listening{false};
  int quiet_ticks = 0;  // consecutive drain checks with nothing in flight
  Clock::time_point hard_deadline{};

  Impl(const ServerConfig& c, Wiring w) : SessionHost(c, std::move(w)) {}

  bool Ready() const {
    return listening.load() && !draining.load() && tls->Current() != nullptr &&
           (!wiring.ready || wiring.ready());
  }

  void DoAccept();
  void DoAcceptMetrics();
  void ScheduleReload();
  void ReloadNow();
  void BeginShutdown();
  void FinishShutdown();
  void WaitForInFlight();
  void WaitSignal();
};

namespace {

// One HTTPS connection: the TLS handshake, then the request loop of HttpSession (every I/O
// step on the connection's strand, with the deadlines of a beast::tcp_stream).
class HttpsSession : public detail::HttpSession<HttpsSession> {
 public:
  HttpsSession(tcp::socket&& socket, std::shared_ptr<ssl::context> ctx, detail::SessionHost& server)
      : HttpSession(server), ctx_(std::move(ctx)), stream_(std::move(socket), *ctx_) {}

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&HttpsSession::DoHandshake, shared_from_this()));
  }

  // The hooks of HttpSession.
  beast::ssl_stream<beast::tcp_stream>& stream() { return stream_; }
  void ArmTimeout(Clock::duration timeout) {
    beast::get_lowest_layer(stream_).expires_after(timeout);
  }
  void ArmDeadline(Clock::time_point deadline) {
    beast::get_lowest_layer(stream_).expires_at(deadline);
  }
  static Clock::time_point Now() { return Clock::now(); }
  void DoClose() {
    ArmTimeout(std::chrono::seconds(1));
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    });
  }

 private:
  void DoHandshake() {
    ArmTimeout(server_.config.handshake_timeout);
    stream_.async_handshake(
        ssl::stream_base::server,
        beast::bind_front_handler(&HttpsSession::OnHandshake, shared_from_this()));
  }

  void OnHandshake(beast::error_code ec) {
    if (ec) {
      server_.metrics->HandshakeFailure();
      log::Debug("tls handshake failed", {{"error", ec.message()}});
      return;  // closing the socket is the destructor's job
    }
    BeginRequests();
  }

  std::shared_ptr<ssl::context> ctx_;  // outlives stream_
  beast::ssl_stream<beast::tcp_stream> stream_;
};

// Plain-HTTP metrics and health session: GET /metrics, /healthz, /readyz. Nothing else.
class MetricsSession : public std::enable_shared_from_this<MetricsSession> {
 public:
  MetricsSession(tcp::socket&& socket, Server::Impl& server)
      : stream_(std::move(socket)), server_(server) {}

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&MetricsSession::DoRead, shared_from_this()));
  }

 private:
  void DoRead() {
    parser_.emplace();
    parser_->header_limit(8192);
    parser_->body_limit(4096);
    stream_.expires_after(server_.config.header_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&MetricsSession::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t /*n*/) {
    if (ec) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      return;
    }
    const auto& req = parser_->get();
    const std::string_view path = detail::PathOf(req.target());
    auto res = std::make_unique<http::response<http::string_body>>(http::status::ok, req.version());
    res->set(http::field::content_type, "text/plain; charset=utf-8");
    if (path != "/metrics" && path != "/healthz" && path != "/readyz") {
      res->result(http::status::not_found);
      res->body() = "not found\n";
    } else if (req.method() != http::verb::get && req.method() != http::verb::head) {
      res->result(http::status::method_not_allowed);
      res->set(http::field::allow, "GET, HEAD");
      res->body() = "method not allowed\n";
    } else if (path == "/metrics") {
      res->set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      res->body() = server_.metrics->Render();
    } else if (path == "/healthz") {
      res->body() = "ok\n";
    } else if (server_.Ready()) {
      res->body() = "ok\n";
    } else {
      res->result(http::status::service_unavailable);
      res->body() = server_.draining.load() ? "draining\n" : "not ready\n";
    }
    if (req.method() == http::verb::head) {
      const auto size = res->body().size();
      res->body().clear();
      res->content_length(size);
    } else {
      res->prepare_payload();
    }
    res->keep_alive(req.keep_alive());
    response_ = std::move(res);
    stream_.expires_after(server_.config.write_timeout);
    http::async_write(stream_, *response_,
                      [self = shared_from_this()](beast::error_code wec, std::size_t) {
                        const bool keep = self->response_->keep_alive();
                        self->response_.reset();
                        if (wec || !keep) {
                          beast::error_code ignored;
                          self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
                          return;
                        }
                        self->DoRead();
                      });
  }

  beast::tcp_stream stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::unique_ptr<http::response<http::string_body>> response_;
};

Result<tcp::acceptor*> Bind(tcp::acceptor& acceptor, const std::string& address) {
  auto endpoint = ParseEndpoint(address);
  if (!endpoint) return endpoint.error();
  boost::system::error_code ec;
  acceptor.open(endpoint->protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(*endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Error{"cannot listen on " + address + ": " + ec.message()};
  return &acceptor;
}

}  // namespace

void Server::Impl::DoAccept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
    if (!ec) {
      if (connections.load() >= config.max_connections) {
        metrics->ConnectionRejected();
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        // Answers are small and written as they are ready: without TCP_NODELAY, Nagle holds
        // the first answer on a new TLS 1.3 connection behind the unacknowledged session
        // tickets (measured: 7 ms instead of 1 ms for connect + first request). Go, the
        // apiserver's language, sets it on every connection.
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<HttpsSession>(std::move(socket), tls->Current(), *this)->Start();
      }
    } else {
      log::Warn("accept failed", {{"error", ec.message()}});
    }
    DoAccept();
  });
}

void Server::Impl::DoAcceptMetrics() {
  metrics_acceptor.async_accept(
      net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !metrics_acceptor.is_open()) return;
        if (!ec) std::make_shared<MetricsSession>(std::move(socket), *this)->Start();
        DoAcceptMetrics();
      });
}

void Server::Impl::ReloadNow() {
  std::string error;
  double not_after = 0;
  switch (tls->Reload(&error, &not_after)) {
    case TlsStore::Outcome::kReloaded:
      metrics->CertificateReload(true, not_after);
      log::Info("serving certificate loaded",
                {{"cert_file", config.cert_file}, {"not_after", not_after}});
      break;
    case TlsStore::Outcome::kFailed:
      metrics->CertificateReload(false, 0);
      log::Error("serving certificate rejected; the previous one keeps serving",
                 {{"error", error}});
      break;
    case TlsStore::Outcome::kUnchanged:
      break;
  }
  if (wiring.reload) wiring.reload();
}

void Server::Impl::ScheduleReload() {
  reload_timer.expires_after(config.reload_interval);
  reload_timer.async_wait([this](beast::error_code ec) {
    if (ec || stopped.load()) return;
    ReloadNow();
    ScheduleReload();
  });
}

void Server::Impl::BeginShutdown() {
  if (draining.exchange(true)) return;
  log::Info("draining", {{"grace_ms", config.shutdown_grace.count()}});
  hard_deadline = Clock::now() + config.shutdown_grace + config.shutdown_margin;
  drain_timer.expires_after(config.shutdown_grace);
  drain_timer.async_wait([this](beast::error_code) { FinishShutdown(); });
}

void Server::Impl::FinishShutdown() {
  beast::error_code ignored;
  acceptor.close(ignored);
  metrics_acceptor.close(ignored);
  reload_timer.cancel();
  if (signals) signals->cancel(ignored);
  WaitForInFlight();
}

void Server::Impl::WaitForInFlight() {
  // Stop once nothing has been in flight for two checks 10 ms apart: a request whose bytes
  // reached a pooled connection just before the listener closed is being read by then, and
  // counts. Connections still in their handshake or before their first request count too
  // (fresh_connections). All of it is bounded by the hard deadline.
  const std::size_t busy = requests_in_flight.load() + fresh_connections.load();
  quiet_ticks = busy > 0 ? 0 : quiet_ticks + 1;
  if (quiet_ticks >= 2 || Clock::now() >= hard_deadline) {
    if (busy > 0) {
      log::Warn("shutdown margin over; abandoning requests in flight",
                {{"in_flight", requests_in_flight.load()},
                 {"connections_before_first_request", fresh_connections.load()}});
    }
    stopped = true;
    log::Info("stopped");
    ioc.stop();
    return;
  }
  drain_timer.expires_after(std::chrono::milliseconds(10));
  drain_timer.async_wait([this](beast::error_code) { WaitForInFlight(); });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::Create(const ServerConfig& config, Wiring wiring) {
  auto impl = std::make_unique<Impl>(config, std::move(wiring));
  Impl& s = *impl;
  if (config.threads < 1) return Error{"--threads must be at least 1"};

  if (!s.wiring.metrics || !s.wiring.unrouted) return Error{"server wiring is incomplete"};
  s.tls = std::make_unique<TlsStore>(config.cert_file, config.key_file, config.client_ca_file);
  std::string error;
  double not_after = 0;
  if (s.tls->Reload(&error, &not_after) != TlsStore::Outcome::kReloaded) {
    return Error{"TLS: " + error};
  }
  s.metrics->CertificateReload(true, not_after);

  if (auto bound = Bind(s.acceptor, config.listen); !bound) return bound.error();
  if (auto bound = Bind(s.metrics_acceptor, config.metrics_listen); !bound) return bound.error();
  s.webhook_port = s.acceptor.local_endpoint().port();
  s.metrics_port = s.metrics_acceptor.local_endpoint().port();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

std::uint16_t Server::webhook_port() const { return impl_->webhook_port; }
std::uint16_t Server::metrics_port() const { return impl_->metrics_port; }

void Server::Impl::WaitSignal() {
  signals->async_wait([this](beast::error_code ec, int sig) {
    if (ec) return;
    if (sig == SIGHUP) {
      log::Info("SIGHUP: reloading certificate and policy");
      ReloadNow();
    } else {
      log::Info("signal received", {{"signal", sig}});
      BeginShutdown();
    }
    if (!stopped.load()) WaitSignal();
  });
}

void Server::Run() {
  Impl& s = *impl_;
  if (s.config.handle_signals) {
    s.signals.emplace(s.control, SIGTERM, SIGINT, SIGHUP);
    s.WaitSignal();
  }
  s.DoAccept();
  s.DoAcceptMetrics();
  s.ScheduleReload();
  s.listening = true;
  log::Info("serving",
            {{"webhook_port", webhook_port()},
             {"metrics_port", metrics_port()},
             {"threads", s.config.threads}});
  std::vector<std::thread> threads;
  for (int i = 1; i < s.config.threads; ++i) threads.emplace_back([&s] { s.ioc.run(); });
  s.ioc.run();
  for (auto& t : threads) t.join();
}

void Server::Shutdown() {
  net::post(impl_->control, [this] { impl_->BeginShutdown(); });
}

void Server::Reload() {
  net::post(impl_->control, [this] { impl_->ReloadNow(); });
}

}  // namespace albwebhook::transport
