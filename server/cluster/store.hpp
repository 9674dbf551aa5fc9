// The cache of one resource: namespace buckets shared copy-on-write between the store (written
// by the reflector's thread only) and the immutable snapshots built from it. A change copies
// only its namespace's bucket, once per publish, whatever the number of events in between.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "albwebhook/cluster/object.hpp"

namespace albwebhook::cluster {

/// One namespace's objects (the map), and what check code derived from them alone
/// (ClusterState::ForEachNamespaceDerived). A bucket is never changed once a snapshot holds it,
/// so the derived data stays valid for every snapshot that shares the bucket; a change makes a
/// new bucket (a copy of the objects only), and with it new derived data.
struct Bucket : ObjectMap {
  Bucket() = default;
  explicit Bucket(const ObjectMap& objects) : ObjectMap(objects) {}

  mutable std::mutex derived_mu;
  mutable std::map<std::string, std::shared_ptr<const void>, std::less<>> derived;  // guarded
};
using BucketPtr = std::shared_ptr<const Bucket>;

namespace detail {
/// What a snapshot holds of one resource: namespace ("" when cluster-scoped) -> bucket.
struct ResourceData {
  std::map<std::string, BucketPtr, std::less<>> by_namespace;
  std::size_t count = 0;
};
}  // namespace detail

using DataPtr = std::shared_ptr<const detail::ResourceData>;

class ResourceStore {
 public:
  ResourceStore();

  /// Adds or replaces the object (by namespace and name).
  void Upsert(ObjectPtr obj);
  /// Removes it; false when it was not there.
  bool Remove(std::string_view ns, std::string_view name);
  /// Replaces everything (a list).
  void Replace(const std::vector<ObjectPtr>& objects);
  void Clear() { Replace({}); }

  std::size_t size() const { return data_->count; }
  const Object* Find(std::string_view ns, std::string_view name) const;

  /// The current content, frozen: later changes copy what they touch first.
  DataPtr Export();

 private:
  Bucket& MutableBucket(const std::string& ns);
  void Unshare();

  std::shared_ptr<detail::ResourceData> data_;
  bool data_shared_ = false;  // data_ was handed to a snapshot
  std::map<std::string, std::shared_ptr<Bucket>, std::less<>> owned_;  // copied since Export
};

}  // namespace albwebhook::cluster
