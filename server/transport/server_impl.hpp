// Server::Impl: the state of a running server - its io_context, the listening sockets, timers and
// signals on one control strand, the TLS store, and (as its SessionHost base) what sessions
// share. Shared by server.cpp (lifecycle, reload), listener.cpp (accept loops, drain) and
// metrics_session.cpp (readiness).
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "albwebhook/transport/server.hpp"
#include "albwebhook/util/result.hpp"
#include "transport/session_host.hpp"
#include "transport/tls_context.hpp"

namespace albwebhook::transport {

// The shared state sessions use (config, wiring, counters) is the SessionHost
// base: it is destroyed after ioc, whose destructor destroys the sessions still pending.
struct Server::Impl : detail::SessionHost {
  using tcp = boost::asio::ip::tcp;
  using Clock = std::chrono::steady_clock;

  std::unique_ptr<detail::TlsStore> tls;

  boost::asio::io_context ioc;
  // Acceptors, timers and signals share one strand: accept completions, reloads and the drain
  // never run concurrently on two worker threads (an acceptor is not thread-safe).
  boost::asio::strand<boost::asio::io_context::executor_type> control{
      boost::asio::make_strand(ioc)};
  tcp::acceptor acceptor{control};
  tcp::acceptor metrics_acceptor{control};
  boost::asio::steady_timer reload_timer{control};
  boost::asio::steady_timer drain_timer{control};
  std::optional<boost::asio::signal_set> signals;
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

  // listener.cpp: the accept loops and the drain.
  void DoAccept();
  void DoAcceptMetrics();
  void BeginShutdown();
  void FinishShutdown();
  void WaitForInFlight();
  // server.cpp: reloads and signals.
  void ScheduleReload();
  void ReloadNow();
  void WaitSignal();
};

namespace detail {

/// Opens, binds and listens `acceptor` on `address` (host:port; "" host = all IPv4 addresses,
/// "localhost" = 127.0.0.1, [v6] in brackets). listener.cpp.
Result<boost::asio::ip::tcp::acceptor*> Bind(boost::asio::ip::tcp::acceptor& acceptor,
                                             const std::string& address);

}  // namespace detail

}  // namespace albwebhook::transport
