// MetricsSession: one plain-HTTP connection of the metrics and health listener (see
// metrics_session.hpp).
#include "transport/metrics_session.hpp"

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "albwebhook/metrics/metrics.hpp"
#include "transport/http_framing.hpp"
#include "transport/server_impl.hpp"

namespace albwebhook::transport::detail {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using Response = http::response<http::string_body>;

// Plain-HTTP metrics and health session: GET /metrics, /healthz, /readyz. Nothing else.
class MetricsSession : public std::enable_shared_from_this<MetricsSession> {
 public:
  MetricsSession(tcp::socket&& socket, const Server::Impl& server)
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
      // A request we cannot read gets its status and a close, as on the webhook port; a timeout
      // (the stream has closed the socket) or a client gone gets nothing.
      if (auto status = ErrorStatus(ec)) return SendErrorAndClose(*status);
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      return;
    }
    const auto& req = parser_->get();
    auto res = std::make_unique<Response>(http::status::ok, req.version());
    Answer(req, *res);
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
                      beast::bind_front_handler(&MetricsSession::OnWrite, shared_from_this()));
  }

  static std::optional<http::status> ErrorStatus(const beast::error_code& ec) {
    if (ec == http::error::header_limit) return http::status::request_header_fields_too_large;
    if (ec == http::error::body_limit) return http::status::payload_too_large;
    if (ec == http::error::buffer_overflow || IsHttpSyntaxError(ec)) {
      return http::status::bad_request;
    }
    return std::nullopt;
  }

  void SendErrorAndClose(http::status status) {
    auto res = std::make_unique<Response>(status, 11);
    res->set(http::field::content_type, "text/plain; charset=utf-8");
    res->body() = std::string(http::obsolete_reason(status)) + "\n";
    res->keep_alive(false);
    res->prepare_payload();
    response_ = std::move(res);
    stream_.expires_after(server_.config.write_timeout);
    http::async_write(stream_, *response_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return self->OnWrite(ec, 0);
                        self->LingeringClose();
                      });
  }

  // After an error answer: our side done, what the client still sends is read and dropped for
  // a short while, so closing with unread bytes does not reset the connection before the client
  // has read the answer.
  void LingeringClose() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds(2));
    Drain(0);
  }

  void Drain(std::size_t drained) {
    constexpr std::size_t kMaxDrained = 1 << 20;
    if (drained > kMaxDrained) return Close();
    stream_.async_read_some(net::buffer(drain_), [self = shared_from_this(), drained](
                                                     beast::error_code ec, std::size_t n) {
      if (ec) return self->Close();
      self->Drain(drained + n);
    });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  // Status, headers and body of the answer to `req` (HEAD's body is dropped by the caller).
  void Answer(const http::request<http::string_body>& req, Response& res) const {
    const std::string_view path = PathOf(req.target());
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    if (path != "/metrics" && path != "/healthz" && path != "/readyz") {
      res.result(http::status::not_found);
      res.body() = "not found\n";
    } else if (req.method() != http::verb::get && req.method() != http::verb::head) {
      res.result(http::status::method_not_allowed);
      res.set(http::field::allow, "GET, HEAD");
      res.body() = "method not allowed\n";
    } else if (path == "/metrics") {
      res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      res.body() = server_.metrics->Render();
    } else if (path == "/healthz") {
      res.body() = "ok\n";
    } else if (server_.Ready()) {
      res.body() = "ok\n";
    } else {
      res.result(http::status::service_unavailable);
      res.body() = server_.draining.load() ? "draining\n" : "not ready\n";
    }
  }

  void OnWrite(beast::error_code ec, std::size_t /*n*/) {
    const bool keep = response_->keep_alive();
    response_.reset();
    if (ec || !keep) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      return;
    }
    DoRead();
  }

  beast::tcp_stream stream_;
  const Server::Impl& server_;
  // A request head within the header limit, or one chunk line or trailer section (8 KiB).
  beast::flat_buffer buffer_{16 * 1024};
  std::optional<http::request_parser<http::string_body>> parser_;
  std::unique_ptr<Response> response_;
  std::array<char, 4096> drain_;
};

}  // namespace

void StartMetricsSession(tcp::socket&& socket, const Server::Impl& server) {
  std::make_shared<MetricsSession>(std::move(socket), server)->Start();
}

}  // namespace albwebhook::transport::detail
