// Server::Impl: the state of a running server - its event loops (one io_context per worker
// thread), the listening sockets, timers and signals on one control strand, the TLS store, and
// (as its SessionHost base) what sessions share. Shared by server.cpp (lifecycle, reload),
// listener.cpp (accept loops, drain) and metrics_session.cpp (readiness).
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
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
#include <vector>

#include "albwebhook/transport/server.hpp"
#include "albwebhook/util/result.hpp"
#include "transport/session_host.hpp"
#include "transport/tls_context.hpp"

namespace albwebhook::transport {

// The shared state sessions use (config, wiring, counters) is the SessionHost
// base: it is destroyed after the event loops, whose destructors destroy the sessions still
// pending.
struct Server::Impl : detail::SessionHost {
  using tcp = boost::asio::ip::tcp;
  using Clock = std::chrono::steady_clock;

  /// One worker thread's event loop and the webhook connections it serves. Each runs on exactly
  /// one thread (like an nginx worker), so a connection's handlers need no strand and never hop
  /// between threads: a request is read, judged and answered by the thread its bytes woke. One
  /// io_context shared by several threads wakes a second thread for work the first posts: 4 to 5
  /// context switches per request instead of 1 (measured on one keep-alive connection with two
  /// threads on two cores: ~90 us per request instead of ~63 us).
  struct Loop {
    boost::asio::io_context& ctx;
    std::atomic<std::size_t> connections{0};  // the webhook connections it serves now
    explicit Loop(boost::asio::io_context& c) : ctx(c) {}
  };

  std::unique_ptr<detail::TlsStore> tls;

  // [0]: ioc; then worker_contexts, in order. Declared before the io_contexts: the sessions their
  // destructors destroy still count themselves out of their loop.
  std::vector<std::unique_ptr<Loop>> loops;

  // The first worker's loop, run by the thread that calls Run(): it also runs the control strand
  // (acceptors, timers, signals) and the metrics connections.
  boost::asio::io_context ioc{1};
  // The other workers' loops (--threads 2 and more), each run by a thread of its own; kept
  // running while idle by their work guards (released by the drain).
  std::vector<std::unique_ptr<boost::asio::io_context>> worker_contexts;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
      worker_guards;
  // Acceptors, timers and signals share one strand of the first loop: accept completions,
  // reloads and the drain run one at a time (an acceptor is not thread-safe), whatever thread
  // calls Shutdown() or Reload().
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

  Impl(const ServerConfig& c, Wiring w) : SessionHost(c, std::move(w)) {
    loops.push_back(std::make_unique<Loop>(ioc));
    for (int i = 1; i < c.threads; ++i) {
      worker_contexts.push_back(std::make_unique<boost::asio::io_context>(1));
      worker_guards.push_back(boost::asio::make_work_guard(*worker_contexts.back()));
      loops.push_back(std::make_unique<Loop>(*worker_contexts.back()));
    }
  }

  /// The loop serving the fewest webhook connections (the first of them on a tie).
  Loop& LeastLoaded() {
    Loop* best = loops.front().get();
    for (const auto& loop : loops) {
      if (loop->connections.load(std::memory_order_relaxed) <
          best->connections.load(std::memory_order_relaxed)) {
        best = loop.get();
      }
    }
    return *best;
  }

  /// Stops every event loop (the drain's end): Run() returns once each thread has left its loop.
  void StopLoops() {
    for (auto& guard : worker_guards) guard.reset();
    for (auto& loop : loops) loop->ctx.stop();
  }

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
