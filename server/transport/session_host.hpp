// What every webhook session shares with its server (SessionHost: configuration, wiring, the
// counters the drain and the body budget read), and a request's share of the global body budget
// (BodyReservation). No Beast or Asio here.
#pragma once

#include <atomic>
#include <cstddef>
#include <string_view>
#include <utility>

#include "albwebhook/transport/route.hpp"
#include "albwebhook/transport/server.hpp"

namespace albwebhook::transport::detail {

/// What every session shares with its server: configuration, wiring (routes, metrics), and the
/// counters the drain and the body budget read. Server::Impl is one; the fuzz target makes its own.
struct SessionHost {
  SessionHost(const ServerConfig& c, Wiring w)
      : config(c), wiring(std::move(w)), metrics(wiring.metrics.get()) {}
  SessionHost(const SessionHost&) = delete;
  SessionHost& operator=(const SessionHost&) = delete;

  const Endpoint* FindRoute(std::string_view path) const {
    for (const auto& r : wiring.routes) {
      if (r.path == path) return r.endpoint.get();
    }
    return nullptr;
  }

  ServerConfig config;
  Wiring wiring;
  metrics::Metrics* metrics;  // wiring.metrics

  std::atomic<bool> draining{false};
  std::atomic<bool> stopped{false};
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> requests_in_flight{0};
  // Connections accepted whose first request header has not been read yet. The drain waits
  // for them too: a client that connected during the grace period and is sending its first
  // request must get its answer, not a closed socket.
  std::atomic<std::size_t> fresh_connections{0};
  // Bytes of request bodies reserved by every connection together (BodyReservation), at most
  // config.max_buffered_body_bytes.
  std::atomic<std::size_t> buffered_body_bytes{0};
};

// A request's share of the global body budget (ServerConfig::max_buffered_body_bytes). It grows
// before body bytes are buffered and is given back when released or destroyed, so that no path
// (answered, failed, timed out, connection dropped) can leak it.
class BodyReservation {
 public:
  BodyReservation(std::atomic<std::size_t>& pool, std::size_t budget)
      : pool_(pool), budget_(budget) {}
  ~BodyReservation() { Release(); }
  BodyReservation(const BodyReservation&) = delete;
  BodyReservation& operator=(const BodyReservation&) = delete;

  // Grows the reservation to `total` bytes. False, and nothing reserved, when the budget is short.
  bool GrowTo(std::size_t total) {
    if (total <= held_) return true;
    const std::size_t extra = total - held_;
    std::size_t used = pool_.load(std::memory_order_relaxed);
    do {
      if (extra > budget_ || used > budget_ - extra) return false;
    } while (!pool_.compare_exchange_weak(used, used + extra, std::memory_order_relaxed));
    held_ = total;
    return true;
  }

  void Release() {
    if (held_ == 0) return;
    pool_.fetch_sub(held_, std::memory_order_relaxed);
    held_ = 0;
  }

  std::size_t held() const { return held_; }

 private:
  std::atomic<std::size_t>& pool_;
  const std::size_t budget_;
  std::size_t held_ = 0;
};

}  // namespace albwebhook::transport::detail
