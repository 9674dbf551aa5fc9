// The Ingress checks the cluster view adds: the LBC's IngressClass checks (class_loader.go), the
// configuration IngressClassParams give the Ingress, and its IngressGroup judged as a whole.
#include "albwebhook/cluster/cluster_state.hpp"
#include "rules/annotation_parsers.hpp"
#include "rules/ingress_checks.hpp"
#include "rules/ingress_group.hpp"

namespace albwebhook::rules {
namespace {

using nlohmann::json;

bool IsWaf(const std::optional<std::string>& value) {
  return value && !value->empty() && *value != "none";
}

/// The class the LBC loads for the object as the mutating webhook leaves it: its
/// spec.ingressClassName, or the class annotation the defaults migrated there; nullptr for none.
const json* ClassNameOf(const json& object, const IngressView& view) {
  auto spec = object.is_object() ? object.find("spec") : object.end();
  if (object.is_object() && spec != object.end() && spec->is_object()) {
    auto name = spec->find("ingressClassName");
    if (name != spec->end() && !name->is_null()) return &*name;
  }
  auto metadata = object.is_object() ? object.find("metadata") : object.end();
  if (view.Annotation(kIngressClassAnnotation) == nullptr && metadata != object.end() &&
      metadata->is_object()) {
    auto annotations = metadata->find("annotations");
    if (annotations != metadata->end() && annotations->is_object()) {
      auto migrated = annotations->find(std::string(kIngressClassAnnotation));
      if (migrated != annotations->end()) return &*migrated;
    }
  }
  return nullptr;
}

/// The effective configuration of the candidate `c` in a group with `others`.
void FillEffective(const MemberConfig& c, GroupOutcome group, EffectiveIngress& e) {
  e.scheme = c.scheme.value_or(group.scheme.value_or("internal"));
  e.has_waf = group.has_waf;
  e.has_ssl_redirect = group.ssl_redirect;
  e.listeners.reset();
  if (c.ports) {
    EffectiveListeners listeners;
    for (const auto& [port, protocol] : *c.ports) listeners.ports.push_back({protocol, port});
    e.listeners = std::move(listeners);
  }
  e.ssl_policy = c.ssl_policy;
  e.certificate_arns = c.certificate_arns;
  e.tags.reset();
  if (c.tags) e.tags = policy::StringMap(c.tags->begin(), c.tags->end());
  e.group = c.group;
  e.member_namespaces = std::move(group.namespaces);
}

}  // namespace

EffectiveIngress LocalEffective(const IngressView& view) {
  EffectiveIngress e;
  e.scheme = EffectiveScheme(view);
  for (std::string_view suffix : {"wafv2-acl-arn", "wafv2-acl-name", "waf-acl-id", "web-acl-id"}) {
    const std::string* value = view.Alb(suffix);
    if (value != nullptr && IsWaf(*value)) e.has_waf = true;
  }
  e.listeners = GetEffectiveListeners(view);
  e.has_ssl_redirect = view.Alb("ssl-redirect") != nullptr;
  if (const std::string* policy = view.Alb("ssl-policy")) e.ssl_policy = *policy;
  if (const std::string* certs = view.Alb("certificate-arn")) {
    e.certificate_arns = view.StringList(*certs);
  }
  const std::string* tags = view.Alb("tags");
  e.tags = tags != nullptr ? view.StringMap(*tags)
                           : std::optional<policy::StringMap>(policy::StringMap{});
  if (const std::string* group = view.Alb("group.name")) e.group = *group;
  return e;
}

void CheckIngressWithCluster(const Context& ctx, const cluster::ClusterState& cluster,
                             const json& object, const IngressView& view,
                             EffectiveIngress& effective, Verdict& verdict) {
  // What LoadClassConfig reads of the candidate: its class annotation (after defaults) and class.
  const ClassConfig klass =
      LoadClassConfig(cluster, view.Annotation(kIngressClassAnnotation) != nullptr,
                      ClassNameOf(object, view), view.ns);
  if (klass.state == ClassConfig::State::kInvalid) {
    verdict.Deny("ingress-class", klass.error);
    return;  // the LBC does not build this Ingress at all
  }
  if (!klass.known()) return;  // unknown: judged object-local only, never denied for it
  const std::string group = CandidateGroupName(view, klass);
  static const GroupMembers kNoGroup;
  const std::vector<const cluster::Object*>* deleting = nullptr;
  const auto others =
      group.empty() ? nullptr : LoadGroup(cluster, ctx.policy.ingress, group, &deleting);
  const GroupMembers& members = others ? *others : kNoGroup;
  std::size_t equal_set = GroupMembers::npos;
  const MemberConfig member = ReadMember(view, klass, &members, &equal_set);
  GroupOutcome outcome = JudgeGroup(member, members, verdict, equal_set);
  CheckGroupRuleCount(member, cluster::IngressRulePaths(object), members, outcome.ssl_redirect,
                      verdict);
  if (deleting != nullptr && !deleting->empty()) {
    CheckDeletingMembers(*deleting, group, member.key, verdict);
  }
  FillEffective(member, std::move(outcome), effective);
}

}  // namespace albwebhook::rules
