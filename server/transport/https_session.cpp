// HttpsSession: the TLS handshake and deadlines around the request loop of http_session.hpp (see
// https_session.hpp).
#include "transport/https_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>

#include "albwebhook/log/log.hpp"
#include "albwebhook/metrics/metrics.hpp"
#include "transport/http_session.hpp"
#include "transport/tls_stream.hpp"

namespace albwebhook::transport::detail {

namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

// One HTTPS connection: the TLS handshake, then the request loop of HttpSession (every I/O
// step on the connection's executor, with the deadlines of a beast::basic_stream under the TLS
// stream of tls_stream.hpp).
template <class Executor>
class HttpsSession : public HttpSession<HttpsSession<Executor>> {
  using Base = HttpSession<HttpsSession<Executor>>;
  using Stream = TlsStream<beast::basic_stream<tcp, Executor>>;
  using Base::server_;

 public:
  using Socket = net::basic_stream_socket<tcp, Executor>;

  HttpsSession(Socket&& socket, std::shared_ptr<ssl::context> ctx, SessionHost& server,
               std::atomic<std::size_t>& loop_connections)
      : Base(server),
        loop_connections_(loop_connections),
        ctx_(std::move(ctx)),
        stream_(std::move(socket), ctx_->native_handle()) {
    loop_connections_.fetch_add(1, std::memory_order_relaxed);
  }
  ~HttpsSession() { loop_connections_.fetch_sub(1, std::memory_order_relaxed); }

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&HttpsSession::DoHandshake, this->shared_from_this()));
  }

  // The hooks of HttpSession.
  Stream& stream() { return stream_; }
  void ArmTimeout(Clock::duration timeout) {
    beast::get_lowest_layer(stream_).expires_after(timeout);
  }
  void ArmDeadline(Clock::time_point deadline) {
    beast::get_lowest_layer(stream_).expires_at(deadline);
  }
  static Clock::time_point Now() { return Clock::now(); }
  void DoClose() {
    ArmTimeout(std::chrono::seconds(1));
    stream_.async_shutdown([self = this->shared_from_this()](beast::error_code, std::size_t) {
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    });
  }

 private:
  void DoHandshake() {
    ArmTimeout(server_.config.handshake_timeout);
    stream_.async_handshake(
        beast::bind_front_handler(&HttpsSession::OnHandshake, this->shared_from_this()));
  }

  void OnHandshake(beast::error_code ec, std::size_t /*n*/) {
    if (ec) {
      server_.metrics->HandshakeFailure();
      log::Debug("tls handshake failed", {{"error", ec.message()}});
      return;  // closing the socket is the destructor's job
    }
    this->BeginRequests();
  }

  std::atomic<std::size_t>& loop_connections_;  // its worker loop's count (Server::Impl::Loop)
  std::shared_ptr<ssl::context> ctx_;           // outlives stream_
  Stream stream_;
};

}  // namespace

void StartHttpsSession(PlainSocket&& socket, std::shared_ptr<ssl::context> ctx, SessionHost& host,
                       std::atomic<std::size_t>& loop_connections) {
  using Session = HttpsSession<PlainSocket::executor_type>;
  std::make_shared<Session>(std::move(socket), std::move(ctx), host, loop_connections)->Start();
}

}  // namespace albwebhook::transport::detail
