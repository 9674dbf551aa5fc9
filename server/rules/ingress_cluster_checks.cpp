// The Ingress checks the cluster view adds: the LBC's IngressClass checks (class_loader.go), the
// configuration IngressClassParams give the Ingress, and its IngressGroup judged as a whole.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

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

/// Removes the findings of `check` of `severity` whose message contains `marker` (and, when
/// given, `also`); returns how many.
std::size_t RemoveFindings(Verdict& verdict, std::string_view check, Severity severity,
                           std::string_view marker, std::string_view also = {}) {
  const auto before = verdict.findings.size();
  std::erase_if(verdict.findings, [&](const Finding& f) {
    return f.check == check && f.severity == severity &&
           f.message.find(marker) != std::string::npos &&
           (also.empty() || f.message.find(also) != std::string::npos);
  });
  return before - verdict.findings.size();
}

bool HasFinding(const Verdict& verdict, std::string_view check, std::string_view marker) {
  return std::any_of(verdict.findings.begin(), verdict.findings.end(), [&](const Finding& f) {
    return f.check == check && f.message.find(marker) != std::string::npos;
  });
}

/// With the view the group's listeners are known: the ssl-redirect warning of the Ingress alone
/// ("no HTTPS listen-port N on this Ingress (... a group member ...)") becomes the LBC's decision.
/// Denied when the group with the candidate fails and the candidate is the cause: it asks for
/// the redirect, or the group did not fail before it (it took the port away).
void SettleSslRedirect(const CandidateMember& candidate, const GroupMembers& group,
                       bool group_redirects, Verdict& verdict) {
  if (!group_redirects && !HasFinding(verdict, "ssl-redirect", "no HTTPS listen-port")) return;
  const MemberConfig& c = candidate.config();
  const auto old = group.index.find(candidate.key);
  const MemberConfig* replaced = old != group.index.end() ? &group.members[old->second] : nullptr;
  const std::optional<std::string> error = GroupRedirectError(group, replaced, &c);
  if (!error) return;  // cannot tell: the warning stays
  RemoveFindings(verdict, "ssl-redirect", Severity::kWarn, "no HTTPS listen-port");
  if (error->empty()) return;
  const std::optional<std::string> before = GroupRedirectError(group, nullptr, nullptr);
  if (c.ssl_redirect || !before || before->empty()) verdict.Deny("ingress-group", *error);
}

/// dualstack-without-public-ipv4 needs an internet-facing ALB. With the view the candidate's IP
/// address type (IngressClassParams win) and an explicit scheme (its own, its params', another
/// member's) are known; without an explicit one the scheme is the controller's default (a flag):
/// still a warning.
void SettleDualstackScheme(const MemberConfig& c, const GroupOutcome& outcome, Verdict& verdict) {
  constexpr std::string_view kMarker = "dualstack-without-public-ipv4 needs scheme internet-facing";
  if (c.ip_address_type != "dualstack-without-public-ipv4") {
    RemoveFindings(verdict, "ip-address-type", Severity::kWarn, kMarker);
    return;
  }
  const std::optional<std::string>& scheme = c.scheme ? c.scheme : outcome.scheme;
  if (!scheme) return;
  if (RemoveFindings(verdict, "ip-address-type", Severity::kWarn, kMarker) == 0) return;
  if (*scheme == "internet-facing") return;
  verdict.Deny("ip-address-type",
               std::string(kAlbAnnotationPrefix) +
                   "ip-address-type: dualstack-without-public-ipv4 needs scheme internet-facing, "
                   "and the load balancer's scheme is " +
                   *scheme + " (AWS refuses the combination)");
}

/// access_logs / connection_logs / health_check_logs .s3.enabled=true needs the bucket, which
/// the attributes of another member or of IngressClassParams may supply: with the view, the
/// warning goes when one of them does.
void SettleLogBuckets(const CandidateMember& candidate, const GroupMembers& group,
                      Verdict& verdict) {
  auto has = [](const StringMapSorted& attributes, const std::string& key) {
    auto it = attributes.find(key);
    return it != attributes.end() && !it->second.empty();
  };
  if (!HasFinding(verdict, "load-balancer-attributes", ".s3.enabled=true needs")) return;
  const MemberConfig& c = candidate.config();
  for (std::string_view family : {"access_logs", "connection_logs", "health_check_logs"}) {
    const std::string bucket = std::string(family) + ".s3.bucket";
    bool supplied = has(c.params_lb_attributes, bucket);
    for (const MemberConfig& m : group.members) {
      if (supplied) break;
      if (m.key == candidate.key) continue;
      supplied =
          (m.lb_attributes && has(*m.lb_attributes, bucket)) || has(m.params_lb_attributes, bucket);
    }
    if (supplied) {
      RemoveFindings(verdict, "load-balancer-attributes", Severity::kWarn,
                     std::string(family) + ".s3.enabled=true needs", "(unless IngressClassParams");
    }
  }
}

/// An HTTPS listen port without a certificate of the Ingress's own: its IngressClassParams'
/// certificateArn, or another member's certificates on that port, supply it.
void SettleCertificateSource(const CandidateMember& candidate, const GroupMembers& group,
                             Verdict& verdict) {
  constexpr std::string_view kMarker = "has no certificate-arn or host for ACM discovery";
  if (!HasFinding(verdict, "listen-ports", kMarker)) return;
  const MemberConfig& c = candidate.config();
  bool supplied = !c.certificate_arns.empty();
  if (!supplied && c.ports) {
    supplied = true;
    for (const auto& [listen_port, protocol] : *c.ports) {
      if (protocol != "HTTPS") continue;
      const std::int64_t port = listen_port;  // (clang 14 cannot capture a structured binding)
      const bool other =
          std::any_of(group.members.begin(), group.members.end(), [&](const MemberConfig& m) {
            return m.key != candidate.key && !m.certificate_arns.empty() && m.ports &&
                   m.ports->contains(port) && m.ports->at(port) == "HTTPS";
          });
      supplied = supplied && other;
    }
  }
  if (supplied) RemoveFindings(verdict, "listen-ports", Severity::kWarn, kMarker);
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
  const CandidateMember member = ReadMember(view, klass, &members, &equal_set);
  GroupOutcome outcome = JudgeGroup(member, members, verdict, equal_set);
  // The object-local warnings that hedged on IngressClassParams or other members, decided.
  SettleSslRedirect(member, members, outcome.ssl_redirect, verdict);
  SettleDualstackScheme(member.config(), outcome, verdict);
  SettleLogBuckets(member, members, verdict);
  SettleCertificateSource(member, members, verdict);
  // Counted by ReadIngress from the object's own spec.rules (DefaultsView reads its spec).
  CheckGroupRuleCount(member, view.rule_paths, members, outcome.ssl_redirect, verdict);
  if (deleting != nullptr && !deleting->empty()) {
    CheckDeletingMembers(*deleting, group, member.key, verdict);
  }
  FillEffective(member.config(), std::move(outcome), effective);
}

}  // namespace albwebhook::rules
