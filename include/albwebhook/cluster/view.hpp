#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "albwebhook/cluster/cluster_state.hpp"
#include "albwebhook/cluster/config.hpp"
#include "albwebhook/util/result.hpp"

namespace prometheus {
class Registry;
}

namespace albwebhook::cluster {

using Millis = std::chrono::milliseconds;

/// Production values by default; tests shrink them instead of sleeping on real time.
struct ViewConfig {
  ClientConfig client;
  // Reconnect backoff: min(cap, base * 2^n), then a random point in its upper half; reset
  // after a list or watch is established.
  Millis backoff_base{800};
  Millis backoff_cap{30000};
  // Server-side watch timeoutSeconds, random in [min, max] (client-go: 5-10 min); the client's
  // own deadline for the whole watch is that plus watch_deadline_slack.
  Millis watch_timeout_min{5 * 60 * 1000};
  Millis watch_timeout_max{10 * 60 * 1000};
  Millis watch_deadline_slack{30000};
  Millis connect_timeout{10000};
  Millis handshake_timeout{10000};
  Millis request_timeout{60000};  // a list page or an error response: header and whole body
  // A watch broken longer than this makes the view unavailable (contract: 10 s).
  Millis broken_grace{10000};
  // A resource the server does not serve (404) is listed again this often (a CRD installed later).
  Millis not_found_retry{5 * 60 * 1000};
  // Events are applied at once; a snapshot is published at once after a quiet interval, and at
  // most once per interval while events keep coming (a storm of 200 events/s: 10 snapshots/s,
  // each a fresh start for what requests derive per snapshot).
  Millis publish_interval{100};
  int list_page_size = 500;
  std::size_t max_line_bytes = 4 * 1024 * 1024;         // one watch event
  std::size_t max_list_body_bytes = 256 * 1024 * 1024;  // one list response
};

/// The cluster view: one reflector (list, then watch) per watched resource on one background
/// thread, publishing immutable ClusterState snapshots. Snapshot() is lock-free for readers
/// (an atomic shared_ptr load) and never waits for the watch.
class View {
 public:
  /// Validates the config (TLS material) and registers the alb_webhook_cluster_* metrics in
  /// `registry`, which must outlive the View. Nothing runs before Start().
  static Result<std::unique_ptr<View>> Create(const ViewConfig& config,
                                              prometheus::Registry& registry);
  ~View();  // Stop()s
  View(const View&) = delete;
  View& operator=(const View&) = delete;

  /// Starts the background thread (once).
  void Start();
  /// Stops and joins it. The last snapshot stays readable. Idempotent.
  void Stop();

  /// The latest snapshot; never null (an empty, unavailable state before the first list).
  StatePtr Snapshot() const;
  /// Every resource listed once.
  bool Synced() const;
  /// Waits until Synced() or the timeout; returns Synced().
  bool WaitSynced(Millis timeout) const;

  struct Impl;

 private:
  explicit View(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace albwebhook::cluster
