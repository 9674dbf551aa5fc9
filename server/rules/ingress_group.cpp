// IngressGroup membership and order as pkg/ingress/group_loader.go: an Ingress being deleted
// leaves; one that is not ours, or whose IngressClass the LBC refuses, is not a member; the
// params' group wins over the group.name annotation; members sort by group.order then "ns/name".
#include "rules/ingress_group.hpp"

#include <algorithm>

#include "rules/annotation_parsers.hpp"
#include "rules/ingress_checks.hpp"

namespace albwebhook::rules {
namespace {

/// The group name an Ingress asks for, before its class is loaded: a cheap filter (params may
/// still move it, so an Ingress whose class has params is always looked at).
bool MayJoin(const cluster::Object& ingress, std::string_view group) {
  const std::string* name = ingress.Annotation(std::string(kAlbAnnotationPrefix) + "group.name");
  return name != nullptr && *name == group;
}

/// The explicit group an Ingress belongs to, as group_loader.go loadGroupID ("" for none).
std::string_view GroupOf(const cluster::Object& ingress, const ClassConfig& klass) {
  if (klass.params != nullptr) {
    auto it = klass.params->spec().find("group");
    if (it != klass.params->spec().end() && it->is_object()) {
      auto name = it->find("name");
      if (name == it->end() || !name->is_string()) return {};
      const std::string& value = name->get_ref<const std::string&>();
      return IsValidGroupName(value) ? std::string_view(value) : std::string_view();
    }
  }
  static const std::string kKey = std::string(kAlbAnnotationPrefix) + "group.name";
  const std::string* name = ingress.Annotation(kKey);
  return name != nullptr && IsValidGroupName(*name) ? std::string_view(*name) : std::string_view();
}

std::int64_t GroupOrder(const cluster::Object& ingress) {
  static const std::string kKey = std::string(kAlbAnnotationPrefix) + "group.order";
  const std::string* order = ingress.Annotation(kKey);
  if (order == nullptr) return 0;
  GoInt parsed = ParseGoInt(*order, 32);
  return parsed.error == GoInt::Error::kNone ? parsed.value : 0;
}

}  // namespace

std::vector<MemberRef> LoadGroupMembers(const cluster::ClusterState& cluster,
                                        const policy::IngressPolicy& policy, std::string_view group,
                                        std::string_view candidate_key) {
  std::vector<MemberRef> members;
  // Params may set the group: then an Ingress may join without a group.name annotation.
  bool any_params_group = false;
  cluster.ForEach(cluster::Resource::kIngressClassParams, [&](const cluster::Object& params) {
    const auto& spec = params.spec();
    auto it = spec.find("group");
    if (it != spec.end() && it->is_object()) any_params_group = true;
  });
  cluster.ForEachIngress([&](const cluster::Object& ingress) {
    if (ingress.deleting()) return;
    if (!any_params_group && !MayJoin(ingress, group)) return;
    std::string key = ingress.namespace_ + "/" + ingress.name;
    if (key == candidate_key) return;  // the candidate replaces its old version
    if (!IsIngressInScope(policy, ingress.doc, &cluster)) return;
    ClassConfig klass = LoadClassConfig(cluster, ingress.doc, ingress.namespace_);
    if (!klass.known()) return;  // refused by the LBC (not a member) or unknown: not judged
    if (GroupOf(ingress, klass) != group) return;
    members.push_back({&ingress, std::move(klass), GroupOrder(ingress), std::move(key)});
  });
  std::sort(members.begin(), members.end(), [](const MemberRef& a, const MemberRef& b) {
    return a.order != b.order ? a.order < b.order : a.key < b.key;
  });
  return members;
}

}  // namespace albwebhook::rules
