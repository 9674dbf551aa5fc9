// What a rule set may read besides the request: one consistent, immutable snapshot per request.
// A request takes its snapshot once, from the source its handler was built with, and keeps it
// whatever reloads or watch events happen meanwhile.
#pragma once

#include <memory>

#include "albwebhook/policy/policy.hpp"

namespace albwebhook::cluster {
class ClusterState;
}

namespace albwebhook::state {

struct Snapshot {
  std::shared_ptr<const policy::Policy> policy;  // never null
  /// The cluster view as of this request; null when the view is off (v1 behaviour).
  std::shared_ptr<const cluster::ClusterState> cluster;
};

/// Hands out the current snapshot. Thread-safe; Current() never blocks on a reload or a watch.
class SnapshotSource {
 public:
  virtual ~SnapshotSource() = default;
  virtual Snapshot Current() const = 0;
};

/// A source that always hands out the same snapshot (tests, benchmarks, `check`).
class FixedSnapshotSource final : public SnapshotSource {
 public:
  explicit FixedSnapshotSource(Snapshot snapshot) : snapshot_(std::move(snapshot)) {}
  explicit FixedSnapshotSource(policy::Policy policy)
      : snapshot_{std::make_shared<const policy::Policy>(std::move(policy)), nullptr} {}
  Snapshot Current() const override { return snapshot_; }

 private:
  Snapshot snapshot_;
};

}  // namespace albwebhook::state
