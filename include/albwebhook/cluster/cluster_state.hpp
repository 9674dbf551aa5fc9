#pragma once

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "albwebhook/cluster/object.hpp"

namespace albwebhook::cluster {

namespace detail {
struct ResourceData;  // server/cluster/store.hpp
}

/// Per-resource state as of a snapshot.
struct ResourceStatus {
  bool synced = false;     // listed once (a resource the cluster does not serve counts: 404)
  bool served = true;      // false after a 404 (CRD not installed): synced and empty
  bool forbidden = false;  // the last list or watch answered 403
};

/// One consistent, immutable picture of the cluster. Obtained from View::Snapshot() (shared,
/// read without locks by any number of threads) or built from plain objects (check
/// --cluster-state). Pointers and references it returns live as long as the snapshot.
class ClusterState {
 public:
  using Visitor = std::function<void(const Object&)>;

  /// The objects of the six watched kinds (recognised by apiVersion group and kind), pruned as
  /// the watch cache prunes them; every resource synced and the view available. Objects of other
  /// kinds, or malformed ones, are skipped; each skip is described in `skipped` when given.
  static std::shared_ptr<const ClusterState> FromObjects(
      const std::vector<nlohmann::json>& objects, std::vector<std::string>* skipped = nullptr);
  /// An empty state: nothing synced, unavailable with `reason`.
  static std::shared_ptr<const ClusterState> Empty(std::string reason);

  const Object* FindIngressClass(std::string_view name) const;
  /// IngressClasses annotated ingressclass.kubernetes.io/is-default-class: "true", by name.
  const std::vector<const Object*>& DefaultIngressClasses() const { return default_classes_; }
  const Object* FindIngressClassParams(std::string_view name) const;
  const Object* FindIngress(std::string_view ns, std::string_view name) const;
  void ForEachIngress(const Visitor& fn) const;
  /// The Ingresses of one namespace by name (an empty map when there are none).
  const ObjectMap& IngressesInNamespace(std::string_view ns) const;
  const Object* FindService(std::string_view ns, std::string_view name) const;
  const Object* FindNamespace(std::string_view name) const;
  void ForEachTargetGroupBinding(const Visitor& fn) const;
  const Object* FindTargetGroupBinding(std::string_view ns, std::string_view name) const;

  /// Generic access: one object, every object, one namespace's objects, the count.
  const Object* Find(Resource r, std::string_view ns, std::string_view name) const;
  void ForEach(Resource r, const Visitor& fn) const;
  const ObjectMap& InNamespace(Resource r, std::string_view ns) const;
  std::size_t Count(Resource r) const;

  const ResourceStatus& Status(Resource r) const { return status_[Index(r)]; }
  bool synced(Resource r) const { return Status(r).synced; }
  /// Every resource listed once.
  bool AllSynced() const;
  /// The view may be relied on: all synced, no 403, no watch broken for longer than the grace.
  bool available() const { return available_; }
  /// Why not available, short (for "cluster view unavailable: ..." logs); "" when available.
  const std::string& unavailable_reason() const { return reason_; }

  /// Data that check code derives from this snapshot (an index, parsed configurations), built on
  /// first use and kept while the snapshot lives: the snapshot is immutable, so what is derived
  /// from it never goes stale. `key` must name everything the data depends on besides the
  /// snapshot (e.g. the policy fields it read). `build` runs without a lock (two requests may
  /// build the same entry at once; the first one stored is kept and returned to both); it must
  /// not call Derived itself with the same key. Thread-safe.
  using DerivedPtr = std::shared_ptr<const void>;
  DerivedPtr Derived(std::string_view key, const std::function<DerivedPtr()>& build) const;

  /// Derived per namespace of `r`: `build` gets one namespace's objects and may read nothing
  /// else (no other namespace or resource, no policy: `key` names what it computes). Its result
  /// is kept with that namespace's objects, which later snapshots share until the namespace
  /// changes: a watch event costs one namespace's rebuild, not the whole resource's. `visit` gets
  /// each namespace's result, in namespace order. Same concurrency as Derived.
  using BucketBuild = std::function<DerivedPtr(const ObjectMap&)>;
  void ForEachNamespaceDerived(Resource r, std::string_view key, const BucketBuild& build,
                               const std::function<void(const DerivedPtr&)>& visit) const;

  // Assembled by the View (and FromObjects); not for check code.
  using DataArray = std::array<std::shared_ptr<const detail::ResourceData>, kResourceCount>;
  ClusterState(DataArray data, std::array<ResourceStatus, kResourceCount> status, bool available,
               std::string reason);

 private:
  static std::size_t Index(Resource r) { return static_cast<std::size_t>(r); }

  DataArray data_;
  std::array<ResourceStatus, kResourceCount> status_;
  bool available_ = false;
  std::string reason_;
  std::vector<const Object*> default_classes_;
  mutable std::mutex derived_mu_;
  mutable std::map<std::string, DerivedPtr, std::less<>> derived_;  // guarded by derived_mu_
};

using StatePtr = std::shared_ptr<const ClusterState>;

}  // namespace albwebhook::cluster
