#include "cluster/store.hpp"

#include <algorithm>
#include <stdexcept>

namespace albwebhook::cluster {

namespace detail {

NamespaceIndex::const_iterator NamespaceIndex::LowerBound(std::string_view ns) const {
  return std::lower_bound(entries_.begin(), entries_.end(), ns,
                          [](const Entry& e, std::string_view key) { return e.first < key; });
}

const BucketPtr& NamespaceIndex::at(std::string_view ns) const {
  auto it = find(ns);
  if (it == end()) throw std::out_of_range("no bucket for namespace " + std::string(ns));
  return it->second;
}

void NamespaceIndex::Set(std::string_view ns, BucketPtr bucket) {
  auto at = entries_.begin() + (LowerBound(ns) - entries_.cbegin());
  if (at != entries_.end() && at->first == ns) {
    at->second = std::move(bucket);
  } else {
    entries_.emplace(at, std::string(ns), std::move(bucket));
  }
}

void NamespaceIndex::Erase(std::string_view ns) {
  auto it = find(ns);
  if (it != end()) entries_.erase(it);
}

}  // namespace detail

ResourceStore::ResourceStore() : data_(std::make_shared<detail::ResourceData>()) {}

void ResourceStore::Unshare() {
  if (!data_shared_) return;
  data_ = std::make_shared<detail::ResourceData>(*data_);  // copies bucket pointers only
  data_shared_ = false;
}

Bucket& ResourceStore::MutableBucket(const std::string& ns) {
  Unshare();
  auto owned = owned_.find(ns);
  if (owned != owned_.end()) return *owned->second;
  auto existing = data_->by_namespace.find(ns);
  auto copy = existing == data_->by_namespace.end()
                  ? std::make_shared<Bucket>()
                  : std::make_shared<Bucket>(static_cast<const ObjectMap&>(*existing->second));
  data_->by_namespace.Set(ns, copy);
  owned_.emplace(ns, copy);
  return *copy;
}

void ResourceStore::Upsert(ObjectPtr obj) {
  auto& bucket = MutableBucket(obj->namespace_);
  auto it = bucket.find(obj->name);
  if (it == bucket.end()) {
    std::string name = obj->name;
    bucket.emplace(std::move(name), std::move(obj));
    ++data_->count;
  } else {
    it->second = std::move(obj);
  }
}

bool ResourceStore::Remove(std::string_view ns, std::string_view name) {
  auto existing = data_->by_namespace.find(ns);
  if (existing == data_->by_namespace.end() || !existing->second->contains(name)) return false;
  std::string ns_key(ns);
  auto& bucket = MutableBucket(ns_key);
  bucket.erase(bucket.find(name));
  --data_->count;
  if (bucket.empty()) {
    data_->by_namespace.Erase(ns_key);
    owned_.erase(ns_key);
  }
  return true;
}

void ResourceStore::Replace(const std::vector<ObjectPtr>& objects) {
  std::map<std::string, std::shared_ptr<Bucket>, std::less<>> buckets;
  auto data = std::make_shared<detail::ResourceData>();
  for (const auto& obj : objects) {
    auto& bucket = buckets[obj->namespace_];
    if (!bucket) bucket = std::make_shared<Bucket>();
    auto [it, inserted] = bucket->insert_or_assign(obj->name, obj);
    if (inserted) ++data->count;
  }
  std::vector<detail::NamespaceIndex::Entry> entries;
  entries.reserve(buckets.size());
  for (auto& [ns, bucket] : buckets) entries.emplace_back(ns, bucket);  // sorted: a std::map
  data->by_namespace.Assign(std::move(entries));
  data_ = std::move(data);
  data_shared_ = false;
  owned_ = std::move(buckets);
}

const Object* ResourceStore::Find(std::string_view ns, std::string_view name) const {
  auto bucket = data_->by_namespace.find(ns);
  if (bucket == data_->by_namespace.end()) return nullptr;
  auto it = bucket->second->find(name);
  return it == bucket->second->end() ? nullptr : it->second.get();
}

ObjectPtr ResourceStore::FindShared(std::string_view ns, std::string_view name) const {
  auto bucket = data_->by_namespace.find(ns);
  if (bucket == data_->by_namespace.end()) return nullptr;
  auto it = bucket->second->find(name);
  return it == bucket->second->end() ? nullptr : it->second;
}

DataPtr ResourceStore::Export() {
  data_shared_ = true;
  owned_.clear();
  return data_;
}

}  // namespace albwebhook::cluster
