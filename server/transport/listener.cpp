// The listening sockets: binding an address, the accept loops of the webhook and metrics
// listeners (connection cap, TCP_NODELAY, each connection on the least loaded worker's loop), and
// the drain that closes them and waits for the requests in flight.
#include <boost/asio/ip/address.hpp>
#include <boost/asio/socket_base.hpp>
#include <charconv>
#include <string>

#include "albwebhook/log/log.hpp"
#include "albwebhook/metrics/metrics.hpp"
#include "transport/https_session.hpp"
#include "transport/metrics_session.hpp"
#include "transport/server_impl.hpp"

namespace albwebhook::transport {

namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

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

}  // namespace

Result<tcp::acceptor*> detail::Bind(tcp::acceptor& acceptor, const std::string& address) {
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

void Server::Impl::DoAccept() {
  // The next connection goes to the loop serving the fewest now, on that loop's own executor (a
  // concrete type, no strand: one thread runs each loop; https_session.hpp).
  Loop& loop = LeastLoaded();
  acceptor.async_accept(loop.ctx.get_executor(), [this, &loop](boost::system::error_code ec,
                                                               detail::PlainSocket socket) {
    if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
    if (!ec) {
      if (connections.load() >= config.max_connections) {
        metrics->ConnectionRejected();
        boost::system::error_code ignored;
        socket.close(ignored);
      } else {
        // Answers are small and written as they are ready: without TCP_NODELAY, Nagle holds
        // the first answer on a new TLS 1.3 connection behind the unacknowledged session
        // tickets (measured: 7 ms instead of 1 ms for connect + first request). Go, the
        // apiserver's language, sets it on every connection.
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        detail::StartHttpsSession(std::move(socket), tls->Current(), *this, loop.connections);
      }
    } else {
      log::Warn("accept failed", {{"error", ec.message()}});
    }
    DoAccept();
  });
}

void Server::Impl::DoAcceptMetrics() {
  metrics_acceptor.async_accept(
      net::make_strand(ioc), [this](boost::system::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !metrics_acceptor.is_open()) return;
        if (!ec) detail::StartMetricsSession(std::move(socket), *this);
        DoAcceptMetrics();
      });
}

void Server::Impl::BeginShutdown() {
  if (draining.exchange(true)) return;
  log::Info("draining", {{"grace_ms", config.shutdown_grace.count()}});
  hard_deadline = Clock::now() + config.shutdown_grace + config.shutdown_margin;
  drain_timer.expires_after(config.shutdown_grace);
  drain_timer.async_wait([this](boost::system::error_code) { FinishShutdown(); });
}

void Server::Impl::FinishShutdown() {
  boost::system::error_code ignored;
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
    StopLoops();
    return;
  }
  drain_timer.expires_after(std::chrono::milliseconds(10));
  drain_timer.async_wait([this](boost::system::error_code) { WaitForInFlight(); });
}

}  // namespace albwebhook::transport
