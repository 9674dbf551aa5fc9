// The cache of one resource: namespace buckets shared copy-on-write between the store (written
// by the reflector's thread only) and the immutable snapshots built from it. A change copies
// only its namespace's bucket, once per publish, whatever the number of events in between.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
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
/// Namespace -> bucket, sorted by namespace in one vector. The store copies it once per publish
/// (copy-on-write) and each snapshot frees one: a vector costs one allocation for that where a
/// std::map costs one per namespace (a watch storm publishes up to 1/publish_interval a second;
/// the map's copy and destruction were a quarter of the storm's cost with 200 namespaces).
class NamespaceIndex {
 public:
  using Entry = std::pair<std::string, BucketPtr>;
  using const_iterator = std::vector<Entry>::const_iterator;

  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }
  std::size_t size() const { return entries_.size(); }
  const_iterator find(std::string_view ns) const {
    auto it = LowerBound(ns);
    return it != entries_.end() && it->first == ns ? it : entries_.end();
  }
  std::size_t count(std::string_view ns) const { return find(ns) == end() ? 0 : 1; }
  /// The bucket of `ns`; throws std::out_of_range when absent (tests).
  const BucketPtr& at(std::string_view ns) const;

  void Set(std::string_view ns, BucketPtr bucket);
  void Erase(std::string_view ns);
  /// Entries sorted by namespace, each namespace once.
  void Assign(std::vector<Entry> sorted) { entries_ = std::move(sorted); }

 private:
  const_iterator LowerBound(std::string_view ns) const;
  std::vector<Entry> entries_;
};

/// What a snapshot holds of one resource: namespace ("" when cluster-scoped) -> bucket.
struct ResourceData {
  NamespaceIndex by_namespace;
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
  /// The stored object itself (shared), nullptr when absent.
  ObjectPtr FindShared(std::string_view ns, std::string_view name) const;

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
