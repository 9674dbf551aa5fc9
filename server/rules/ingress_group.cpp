// IngressGroup membership and order as pkg/ingress/group_loader.go: an Ingress being deleted
// leaves; one that is not ours, or whose IngressClass the LBC refuses, is not a member; the
// params' group wins over the group.name annotation; members sort by group.order then "ns/name".
#include "rules/ingress_group.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include "rules/annotation_parsers.hpp"
#include "rules/ingress_checks.hpp"

namespace albwebhook::rules {
namespace {

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

/// A member found by the index, its configuration not read yet.
struct MemberRef {
  const cluster::Object* object = nullptr;
  ClassConfig klass;
  std::int64_t order = 0;
  std::string key;  // "ns/name"
};

using Candidates = std::map<std::string, std::vector<const cluster::Object*>, std::less<>>;

/// The Ingresses of a snapshot that may belong to each explicit group (for one policy scope):
/// by their group.name annotation; scope and class are judged per group, when the group is read.
/// When IngressClassParams set a group, an Ingress may join without the annotation: then every
/// Ingress's class is loaded here.
struct GroupIndex {
  Candidates candidates;
  /// Ingresses being deleted that still hold a group's finalizer: its inactive members.
  Candidates deleting;
  /// The groups read so far (LoadGroup), by name: kept with the index, so that a request finds
  /// its group with the index's one lookup in the snapshot.
  mutable std::mutex groups_mu;
  mutable std::map<std::string, std::shared_ptr<const GroupMembers>, std::less<>>
      groups;  // guarded by groups_mu
};

/// The explicit groups whose finalizer `ingress` (being deleted) still holds.
template <typename Fn>
void ForEachFinalizerGroup(const cluster::Object& ingress, Fn&& fn) {
  auto finalizers = ingress.metadata().find("finalizers");
  if (finalizers == ingress.metadata().end() || !finalizers->is_array()) return;
  for (const auto& finalizer : *finalizers) {
    if (!finalizer.is_string()) continue;
    std::string_view value = finalizer.get_ref<const std::string&>();
    if (value.starts_with(cluster::kGroupFinalizerPrefix)) {
      fn(value.substr(cluster::kGroupFinalizerPrefix.size()));
    }
  }
}

/// One namespace's Ingresses by group.name annotation, active ones only (and those being deleted
/// by the groups whose finalizer they hold). Kept with the
/// namespace's objects (ForEachNamespaceDerived): a storm of watch events makes a new snapshot up
/// to 50 times a second, and each rebuilds only the namespaces that changed.
struct NamespaceGroups {
  Candidates by_group;
  Candidates deleting;  // by the group of a finalizer they hold
};

/// The policy fields membership depends on (IsIngressInScope), as a key for Derived.
std::string ScopeKey(const policy::IngressPolicy& policy) {
  std::string key = policy.manage_ingresses_without_class ? "1" : "0";
  for (const std::string& name : policy.class_names) {
    key += std::to_string(name.size()) + ":" + name;
  }
  return key;
}

std::shared_ptr<const GroupIndex> BuildIndex(const cluster::ClusterState& cluster,
                                             const policy::IngressPolicy& policy) {
  auto index = std::make_shared<GroupIndex>();
  bool any_params_group = false;
  cluster.ForEach(cluster::Resource::kIngressClassParams, [&](const cluster::Object& params) {
    const auto& spec = params.spec();
    auto it = spec.find("group");
    if (it != spec.end() && it->is_object()) any_params_group = true;
  });
  static const std::string kKey = std::string(kAlbAnnotationPrefix) + "group.name";
  if (!any_params_group) {
    auto build = [](const cluster::ObjectMap& ingresses) {
      auto groups = std::make_shared<NamespaceGroups>();
      for (const auto& [name, ingress] : ingresses) {
        if (ingress->deleting()) {
          const cluster::Object* deleting = ingress.get();  // (clang 14: no lambda capture of
                                                            // a structured binding)
          ForEachFinalizerGroup(*deleting, [&groups, deleting](std::string_view group) {
            groups->deleting[std::string(group)].push_back(deleting);
          });
          continue;
        }
        if (const std::string* group = ingress->Annotation(kKey)) {
          groups->by_group[*group].push_back(ingress.get());
        }
      }
      return std::static_pointer_cast<const void>(groups);
    };
    cluster.ForEachNamespaceDerived(cluster::Resource::kIngresses, "ingress-groups/annotation",
                                    build, [&](const cluster::ClusterState::DerivedPtr& data) {
                                      const auto& groups =
                                          *static_cast<const NamespaceGroups*>(data.get());
                                      for (const auto& [group, members] : groups.by_group) {
                                        auto& all = index->candidates[group];
                                        all.insert(all.end(), members.begin(), members.end());
                                      }
                                      for (const auto& [group, members] : groups.deleting) {
                                        auto& all = index->deleting[group];
                                        all.insert(all.end(), members.begin(), members.end());
                                      }
                                    });
    return index;
  }
  cluster.ForEachIngress([&](const cluster::Object& ingress) {
    if (ingress.deleting()) {
      ForEachFinalizerGroup(ingress, [&](std::string_view group) {
        index->deleting[std::string(group)].push_back(&ingress);
      });
      return;
    }
    if (!IsIngressInScope(policy, ingress.doc, &cluster)) return;
    ClassConfig klass = LoadClassConfig(cluster, ingress.doc, ingress.namespace_);
    if (!klass.known()) return;
    std::string_view group = GroupOf(ingress, klass);
    if (!group.empty()) index->candidates[std::string(group)].push_back(&ingress);
  });
  return index;
}

/// The members of `group` among its candidates, sorted as the LBC sorts them.
std::vector<MemberRef> Members(const cluster::ClusterState& cluster,
                               const policy::IngressPolicy& policy, std::string_view group,
                               const std::vector<const cluster::Object*>& candidates) {
  std::vector<MemberRef> members;
  for (const cluster::Object* ingress : candidates) {
    if (!IsIngressInScope(policy, ingress->doc, &cluster)) continue;
    ClassConfig klass = LoadClassConfig(cluster, ingress->doc, ingress->namespace_);
    if (!klass.known()) continue;  // refused by the LBC (not a member) or unknown: not judged
    if (GroupOf(*ingress, klass) != group) continue;
    members.push_back({ingress, std::move(klass), GroupOrder(*ingress),
                       ingress->namespace_ + "/" + ingress->name});
  }
  std::sort(members.begin(), members.end(), [](const MemberRef& a, const MemberRef& b) {
    return a.order != b.order ? a.order < b.order : a.key < b.key;
  });
  return members;
}

std::shared_ptr<const GroupMembers> ReadGroup(const std::vector<MemberRef>& refs) {
  auto group = std::make_shared<GroupMembers>();
  group->members.reserve(refs.size());
  group->same_as.reserve(refs.size());
  group->rules.reserve(refs.size());
  group->next_same.assign(refs.size(), GroupMembers::npos);
  std::vector<std::size_t> last_of_set(refs.size(), GroupMembers::npos);
  for (const MemberRef& ref : refs) {
    const std::size_t i = group->members.size();
    group->members.push_back(ReadMember(*ref.object, ref.klass));
    const auto rules = MemberRules(group->members.back(), ref.object->rule_paths);
    group->rules.push_back(rules);
    group->rules_total += rules.first;
    group->rules_total_redirect += rules.second;
    group->redirect.Add(group->members.back());
    group->index.emplace(ref.key, i);
    const auto [set, founded] =
        group->by_inputs.try_emplace(MemberInputs(*ref.object, ref.klass), i);
    const std::size_t first = set->second;
    group->same_as.push_back(first);
    if (founded) {
      group->representatives.push_back(i);
    } else {
      group->next_same[last_of_set[first]] = i;
    }
    last_of_set[first] = i;
    const std::string& ns = ref.object->namespace_;
    auto it = std::find_if(group->namespaces.begin(), group->namespaces.end(),
                           [&ns](const auto& entry) { return entry.first == ns; });
    if (it == group->namespaces.end()) {
      group->namespaces.emplace_back(ns, 1);
    } else {
      ++it->second;
    }
  }
  return group;
}

std::shared_ptr<const GroupIndex> LoadIndex(const cluster::ClusterState& cluster,
                                            const policy::IngressPolicy& policy) {
  constexpr std::string_view kPrefix = "ingress-groups/";
  std::string key;  // "ingress-groups/" and the policy fields membership depends on
  key.reserve(kPrefix.size() + 1 + policy.class_names.size() * 16);
  key.append(kPrefix).append(ScopeKey(policy));
  return std::static_pointer_cast<const GroupIndex>(
      cluster.Derived(key, [&] { return BuildIndex(cluster, policy); }));
}

}  // namespace

void GroupMembers::RedirectCounts::Add(const MemberConfig& m) {
  disabled += m.ssl_redirect_disabled ? 1 : 0;
  unreadable += m.ssl_redirect_unreadable ? 1 : 0;
  if (!m.ssl_redirect_disabled && m.ssl_redirect) ++redirect_ports[*m.ssl_redirect];
  if (!m.ports) {
    ++unknown_ports;
    return;
  }
  for (const auto& [port, protocol] : *m.ports) {
    auto& [https, other] = listeners[port];
    ++(protocol == "HTTPS" ? https : other);
  }
}

std::optional<std::string> GroupRedirectError(const GroupMembers& group,
                                              const MemberConfig* without,
                                              const MemberConfig* with) {
  const auto& counts = group.redirect;
  // A count over the group, minus `without`'s share, plus `with`'s.
  auto adjust = [&](std::size_t n, auto&& has) {
    return n - (without != nullptr && has(*without) ? 1 : 0) +
           (with != nullptr && has(*with) ? 1 : 0);
  };
  if (adjust(counts.unreadable, [](const MemberConfig& m) { return m.ssl_redirect_unreadable; }) >
      0) {
    return std::nullopt;
  }
  if (adjust(counts.disabled, [](const MemberConfig& m) { return m.ssl_redirect_disabled; }) > 0) {
    return "";  // a params sslRedirectPort that does not parse: no redirect for the group
  }
  auto redirect_of = [](const MemberConfig* m) -> std::optional<std::int64_t> {
    if (m == nullptr || m->ssl_redirect_disabled) return std::nullopt;
    return m->ssl_redirect;
  };
  const std::optional<std::int64_t> removed = redirect_of(without);
  const std::optional<std::int64_t> added = redirect_of(with);
  std::optional<std::int64_t> port;
  std::size_t ports = 0;
  for (const auto& [p, n] : counts.redirect_ports) {
    if (n - (removed == p ? 1 : 0) + (added == p ? 1 : 0) == 0) continue;
    port = p;
    ++ports;
  }
  if (added && !counts.redirect_ports.contains(*added)) {
    port = added;
    ++ports;
  }
  if (ports == 0) return "";
  if (ports > 1) return std::nullopt;  // conflicting sslRedirect port
  if (adjust(counts.unknown_ports, [](const MemberConfig& m) { return !m.ports; }) > 0) {
    return std::nullopt;
  }
  auto listens = [&](const MemberConfig& m, bool https) {
    auto it = m.ports->find(*port);
    return it != m.ports->end() && (it->second == "HTTPS") == https;
  };
  auto it = counts.listeners.find(*port);
  const std::size_t https = adjust(it != counts.listeners.end() ? it->second.first : 0,
                                   [&](const MemberConfig& m) { return listens(m, true); });
  const std::size_t other = adjust(it != counts.listeners.end() ? it->second.second : 0,
                                   [&](const MemberConfig& m) { return listens(m, false); });
  if (https > 0 && other > 0) return std::nullopt;  // conflicting protocols on the port
  if (https == 0 && other == 0) {
    return "listener does not exist for SSLRedirect port: " + std::to_string(*port);
  }
  if (https == 0) return "listener protocol non-SSL for SSLRedirect port: " + std::to_string(*port);
  return "";
}

std::shared_ptr<const GroupMembers> LoadGroup(
    const cluster::ClusterState& cluster, const policy::IngressPolicy& policy,
    std::string_view group, const std::vector<const cluster::Object*>** deleting) {
  static const auto kNone = std::make_shared<const GroupMembers>();
  static const std::vector<const cluster::Object*> kNoneDeleting;
  auto index = LoadIndex(cluster, policy);
  if (deleting != nullptr) {
    // The index is kept by `cluster` (Derived): the list lives as long as the snapshot.
    auto found = index->deleting.find(group);
    *deleting = found == index->deleting.end() ? &kNoneDeleting : &found->second;
  }
  auto candidates = index->candidates.find(group);
  if (candidates == index->candidates.end()) return kNone;  // not kept: any name may be asked for
  {
    std::lock_guard lock(index->groups_mu);
    auto it = index->groups.find(group);
    if (it != index->groups.end()) return it->second;
  }
  // Read outside the lock (as Derived builds); a concurrent first read of the same group keeps
  // the one stored first.
  auto read = ReadGroup(Members(cluster, policy, group, candidates->second));
  std::lock_guard lock(index->groups_mu);
  return index->groups.try_emplace(std::string(group), std::move(read)).first->second;
}

}  // namespace albwebhook::rules
