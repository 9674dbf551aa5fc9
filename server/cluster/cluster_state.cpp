#include "albwebhook/cluster/cluster_state.hpp"

#include "cluster/object.hpp"
#include "cluster/store.hpp"

namespace albwebhook::cluster {
namespace {

const ObjectMap& EmptyMap() {
  static const ObjectMap kEmpty;
  return kEmpty;
}

std::vector<const Object*> FindDefaultClasses(const DataPtr& classes) {
  std::vector<const Object*> out;
  if (!classes) return out;
  for (const auto& [ns, bucket] : classes->by_namespace) {
    for (const auto& [name, obj] : *bucket) {
      const std::string* value = obj->Annotation(kDefaultClassAnnotation);
      if (value != nullptr && *value == "true") out.push_back(obj.get());
    }
  }
  return out;
}

}  // namespace

ClusterState::ClusterState(DataArray data, std::array<ResourceStatus, kResourceCount> status,
                           bool available, std::string reason)
    : data_(std::move(data)),
      status_(status),
      available_(available),
      reason_(std::move(reason)),
      default_classes_(FindDefaultClasses(data_[Index(Resource::kIngressClasses)])) {}

ClusterState::DerivedPtr ClusterState::Derived(std::string_view key,
                                               const std::function<DerivedPtr()>& build) const {
  {
    std::lock_guard lock(derived_mu_);
    auto it = derived_.find(key);
    if (it != derived_.end()) return it->second;
  }
  DerivedPtr built = build();
  std::lock_guard lock(derived_mu_);
  return derived_.try_emplace(std::string(key), std::move(built)).first->second;
}

void ClusterState::ForEachNamespaceDerived(
    Resource r, std::string_view key, const BucketBuild& build,
    const std::function<void(const DerivedPtr&)>& visit) const {
  const auto& d = data_[Index(r)];
  if (!d) return;
  for (const auto& [ns, bucket] : d->by_namespace) {
    DerivedPtr found;
    {
      std::lock_guard lock(bucket->derived_mu);
      auto it = bucket->derived.find(key);
      if (it != bucket->derived.end()) found = it->second;
    }
    if (!found) {
      DerivedPtr built = build(*bucket);
      std::lock_guard lock(bucket->derived_mu);
      found = bucket->derived.try_emplace(std::string(key), std::move(built)).first->second;
    }
    visit(found);
  }
}

std::shared_ptr<const ClusterState> ClusterState::FromObjects(
    const std::vector<nlohmann::json>& objects, std::vector<std::string>* skipped) {
  std::array<ResourceStore, kResourceCount> stores;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    const auto& raw = objects[i];
    auto describe = [&](const std::string& why) {
      if (skipped != nullptr) skipped->push_back("object " + std::to_string(i) + ": " + why);
    };
    if (!raw.is_object()) {
      describe("not a JSON object");
      continue;
    }
    auto api = raw.value("apiVersion", nlohmann::json()).is_string()
                   ? raw["apiVersion"].get<std::string>()
                   : std::string();
    auto kind = raw.value("kind", nlohmann::json()).is_string() ? raw["kind"].get<std::string>()
                                                                : std::string();
    auto resource = ResourceOfKind(api, kind);
    if (!resource) {
      describe("kind " + (kind.empty() ? std::string("(none)") : kind) + " is not watched");
      continue;
    }
    auto obj = MakeObject(*resource, nlohmann::json(raw));
    if (!obj) {
      describe(std::string(ResourceKind(*resource)) + ": " + obj.error().message);
      continue;
    }
    stores[Index(*resource)].Upsert(std::move(obj.value()));
  }
  DataArray data;
  std::array<ResourceStatus, kResourceCount> status;
  for (std::size_t i = 0; i < kResourceCount; ++i) {
    data[i] = stores[i].Export();
    status[i].synced = true;
  }
  return std::make_shared<const ClusterState>(std::move(data), status, true, "");
}

std::shared_ptr<const ClusterState> ClusterState::Empty(std::string reason) {
  DataArray data;
  for (auto& d : data) d = std::make_shared<const detail::ResourceData>();
  return std::make_shared<const ClusterState>(
      std::move(data), std::array<ResourceStatus, kResourceCount>{}, false, std::move(reason));
}

const Object* ClusterState::Find(Resource r, std::string_view ns, std::string_view name) const {
  const auto& d = data_[Index(r)];
  if (!d) return nullptr;
  auto bucket = d->by_namespace.find(ResourceNamespaced(r) ? ns : std::string_view{});
  if (bucket == d->by_namespace.end()) return nullptr;
  auto it = bucket->second->find(name);
  return it == bucket->second->end() ? nullptr : it->second.get();
}

void ClusterState::ForEach(Resource r, const Visitor& fn) const {
  const auto& d = data_[Index(r)];
  if (!d) return;
  for (const auto& [ns, bucket] : d->by_namespace) {
    for (const auto& [name, obj] : *bucket) fn(*obj);
  }
}

const ObjectMap& ClusterState::InNamespace(Resource r, std::string_view ns) const {
  const auto& d = data_[Index(r)];
  if (!d) return EmptyMap();
  auto bucket = d->by_namespace.find(ResourceNamespaced(r) ? ns : std::string_view{});
  return bucket == d->by_namespace.end() ? EmptyMap() : *bucket->second;
}

std::size_t ClusterState::Count(Resource r) const {
  const auto& d = data_[Index(r)];
  return d ? d->count : 0;
}

bool ClusterState::AllSynced() const {
  for (const auto& s : status_) {
    if (!s.synced) return false;
  }
  return true;
}

const Object* ClusterState::FindIngressClass(std::string_view name) const {
  return Find(Resource::kIngressClasses, "", name);
}
const Object* ClusterState::FindIngressClassParams(std::string_view name) const {
  return Find(Resource::kIngressClassParams, "", name);
}
const Object* ClusterState::FindIngress(std::string_view ns, std::string_view name) const {
  return Find(Resource::kIngresses, ns, name);
}
void ClusterState::ForEachIngress(const Visitor& fn) const { ForEach(Resource::kIngresses, fn); }
const ObjectMap& ClusterState::IngressesInNamespace(std::string_view ns) const {
  return InNamespace(Resource::kIngresses, ns);
}
const Object* ClusterState::FindService(std::string_view ns, std::string_view name) const {
  return Find(Resource::kServices, ns, name);
}
const Object* ClusterState::FindNamespace(std::string_view name) const {
  return Find(Resource::kNamespaces, "", name);
}
void ClusterState::ForEachTargetGroupBinding(const Visitor& fn) const {
  ForEach(Resource::kTargetGroupBindings, fn);
}
const Object* ClusterState::FindTargetGroupBinding(std::string_view ns,
                                                   std::string_view name) const {
  return Find(Resource::kTargetGroupBindings, ns, name);
}

}  // namespace albwebhook::cluster
