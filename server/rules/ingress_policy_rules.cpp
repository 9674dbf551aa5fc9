// Backends, LBC-parity admission checks and the org policy rules (ingress.rules.*).
#include <algorithm>
#include <set>

#include "common/aws_formats.hpp"
#include "common/text.hpp"
#include "rules/ingress_checks.hpp"

namespace albwebhook::rules {
namespace {

using nlohmann::json;

constexpr std::string_view kGroupNameKey = "alb.ingress.kubernetes.io/group.name";

std::string JoinList(const std::vector<std::string>& items) {
  return common::JoinList(items, ", ", "none");
}

/// String annotation `key` of a raw object, nullopt when absent or not a string.
std::optional<std::string> RawAnnotation(const json& object, std::string_view key) {
  if (!object.is_object()) return std::nullopt;
  auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) return std::nullopt;
  auto annotations = metadata->find("annotations");
  if (annotations == metadata->end() || !annotations->is_object()) return std::nullopt;
  auto value = annotations->find(std::string(key));
  if (value == annotations->end() || !value->is_string()) return std::nullopt;
  return value->get<std::string>();
}

bool IsInternetFacing(const EffectiveIngress& e) { return e.scheme == "internet-facing"; }

void CheckInternetFacing(const policy::InternetFacingRule& rule, const IngressView& view,
                         const EffectiveIngress& e, Verdict& verdict) {
  policy::Mode mode = rule.ModeFor(view.ns);
  if (mode == policy::Mode::kOff || !IsInternetFacing(e)) return;
  if (policy::AnyGlobMatch(rule.allowed_namespaces, view.ns)) return;
  verdict.Report(
      mode, "ingress.rules.internetFacing",
      "ingress.rules.internetFacing: scheme internet-facing is not allowed in namespace " +
          QuoteValue(view.ns) + " (allowed: " + JoinList(rule.allowed_namespaces) + ")");
}

void CheckWafRequired(const policy::Rule& rule, const IngressView& view, const EffectiveIngress& e,
                      Verdict& verdict) {
  policy::Mode mode = rule.ModeFor(view.ns);
  if (mode == policy::Mode::kOff || !IsInternetFacing(e) || e.has_waf) return;
  verdict.Report(mode, "ingress.rules.wafRequired",
                 "ingress.rules.wafRequired: an internet-facing ALB needs "
                 "alb.ingress.kubernetes.io/wafv2-acl-arn or waf-acl-id (not none)");
}

void CheckHttpsRequired(const policy::Rule& rule, const IngressView& view,
                        const EffectiveIngress& e, Verdict& verdict) {
  policy::Mode mode = rule.ModeFor(view.ns);
  if (mode == policy::Mode::kOff || !IsInternetFacing(e)) return;
  if (!e.listeners) return;  // malformed listen-ports is denied on its own; unknown: not judged
  bool has_https = false;
  std::vector<std::string> plain;
  for (const auto& port : e.listeners->ports) {
    if (port.protocol == "HTTPS") {
      has_https = true;
    } else {
      plain.push_back(std::to_string(port.port));
    }
  }
  const std::string check = "ingress.rules.httpsRequired";
  if (!has_https) {
    verdict.Report(mode, check,
                   check +
                       ": an internet-facing ALB needs an HTTPS listener in "
                       "alb.ingress.kubernetes.io/listen-ports");
    return;
  }
  if (!plain.empty() && !e.has_ssl_redirect) {
    verdict.Report(mode, check,
                   check + ": plain HTTP listener " + JoinList(plain) +
                       " needs alb.ingress.kubernetes.io/ssl-redirect");
  }
}

void CheckSslPolicies(const policy::AllowListRule& rule, const IngressView& view,
                      const EffectiveIngress& e, Verdict& verdict) {
  policy::Mode mode = rule.ModeFor(view.ns);
  if (mode == policy::Mode::kOff || !e.ssl_policy) return;
  const std::string& value = *e.ssl_policy;
  if (std::find(rule.allowed.begin(), rule.allowed.end(), value) != rule.allowed.end()) return;
  verdict.Report(mode, "ingress.rules.sslPolicies",
                 "ingress.rules.sslPolicies: ssl-policy " + QuoteValue(value) +
                     " is not allowed (allowed: " + JoinList(rule.allowed) + ")");
}

void CheckCertificateAccounts(const policy::AllowListRule& rule, const IngressView& view,
                              const EffectiveIngress& e, Verdict& verdict) {
  policy::Mode mode = rule.ModeFor(view.ns);
  if (mode == policy::Mode::kOff) return;
  std::set<std::string> reported;
  for (const auto& item : e.certificate_arns) {
    auto arn = common::ParseArn(item);
    if (!arn || !common::IsAccountId(arn->account))
      continue;  // malformed ARNs are denied on their own
    if (std::find(rule.allowed.begin(), rule.allowed.end(), arn->account) != rule.allowed.end()) {
      continue;
    }
    if (!reported.insert(arn->account).second) continue;
    verdict.Report(mode, "ingress.rules.certificateAccounts",
                   "ingress.rules.certificateAccounts: certificate account " + arn->account +
                       " is not allowed (allowed: " + JoinList(rule.allowed) + ")");
  }
}

void CheckRequiredTags(const policy::RequiredTagsRule& rule, const IngressView& view,
                       const EffectiveIngress& e, Verdict& verdict) {
  policy::Mode mode = rule.ModeFor(view.ns);
  if (mode == policy::Mode::kOff || rule.keys.empty()) return;
  if (!e.tags) return;  // malformed tags are denied on their own
  std::vector<std::string> missing;
  for (const auto& key : rule.keys) {
    bool present = std::any_of(e.tags->begin(), e.tags->end(),
                               [&key](const auto& kv) { return kv.first == key; });
    if (!present) missing.push_back(key);
  }
  if (missing.empty()) return;
  verdict.Report(
      mode, "ingress.rules.requiredTags",
      "ingress.rules.requiredTags: alb.ingress.kubernetes.io/tags lacks " + JoinList(missing));
}

void CheckUnknownAnnotations(const policy::Rule& rule, const IngressView& view, Verdict& verdict) {
  policy::Mode mode = rule.ModeFor(view.ns);
  if (mode == policy::Mode::kOff) return;
  const std::string check = "ingress.rules.unknownAnnotations";
  for (const auto& [key, value] : view.annotations) {
    bool ours = key.rfind(kAlbAnnotationPrefix, 0) == 0;
    if (ours && IsKnownAlbSuffix(std::string_view(key).substr(kAlbAnnotationPrefix.size()))) {
      continue;
    }
    auto suggestion = SuggestAlbAnnotation(key);
    if (!ours && !suggestion) continue;  // another domain: not ours to judge
    std::string message = check + ": unknown " + QuoteValue(key);
    if (suggestion) {
      // Same domain: name only the suffix to keep the warning short.
      bool same_domain = ours && suggestion->rfind(kAlbAnnotationPrefix, 0) == 0;
      message += " (did you mean " +
                 (same_domain ? suggestion->substr(kAlbAnnotationPrefix.size()) : *suggestion) +
                 "?)";
    }
    verdict.Report(mode, check, message);
  }
}

/// sameNamespace: only namespaces already in the group may join; the first member founds it.
/// Unknown members (no cluster view) are never a denial.
void CheckSameNamespace(policy::Mode mode, const std::string& check, const std::string& head,
                        const IngressView& view, const EffectiveIngress& e, Verdict& verdict) {
  if (!e.member_namespaces) return;
  for (const auto& ns : *e.member_namespaces) {
    if (ns == view.ns) continue;
    verdict.Report(mode, check,
                   head +
                       " (unlisted groups may only be joined from the namespace of their "
                       "members; it has members in namespace " +
                       QuoteValue(ns) + ")");
    return;
  }
}

void CheckGroupOwnership(const policy::GroupOwnershipRule& rule, const IngressView& view,
                         const EffectiveIngress& e, Verdict& verdict) {
  policy::Mode mode = rule.ModeFor(view.ns);
  if (mode == policy::Mode::kOff || !e.group) return;
  const std::string& group = *e.group;
  const std::string check = "ingress.rules.groupOwnership";
  std::string head = check + ": namespace " + QuoteValue(view.ns) + " may not join IngressGroup " +
                     QuoteValue(group);
  for (const auto& [name, namespaces] : rule.groups) {
    if (name != group) continue;
    if (policy::AnyGlobMatch(namespaces, view.ns)) return;
    verdict.Report(mode, check, head + " (allowed: " + JoinList(namespaces) + ")");
    return;
  }
  switch (rule.unlisted) {
    case policy::UnlistedGroups::kAllow:
      return;
    case policy::UnlistedGroups::kDeny:
      verdict.Report(mode, check, head + " (the group is not listed in the policy)");
      return;
    case policy::UnlistedGroups::kSameNamespace:
      CheckSameNamespace(mode, check, head, view, e, verdict);
      return;
    case policy::UnlistedGroups::kNamespacePrefixed:
      if (!view.ns.empty() && (group == view.ns || group.rfind(view.ns + "-", 0) == 0)) return;
      verdict.Report(mode, check,
                     head + " (unlisted groups must be named " + QuoteValue(view.ns) +
                         " or start with " + QuoteValue(view.ns + "-") + ")");
      return;
  }
}

}  // namespace

void CheckIngressConditions(const IngressView& view, Verdict& verdict) {
  // Only backends named by a conditions.<service> annotation can fail: none, nothing to check.
  const std::string prefix = std::string(kAlbAnnotationPrefix) + "conditions.";
  const auto first = view.annotations.lower_bound(prefix);
  if (first == view.annotations.end() || first->first.compare(0, prefix.size(), prefix) != 0) {
    return;
  }
  std::set<std::string> seen;
  for (const auto& backend : view.backends) {
    if (!backend.in_rule_path || !backend.has_service) continue;
    if (!seen.insert(backend.service_name).second) continue;
    std::string key = std::string(kAlbAnnotationPrefix) + "conditions." + backend.service_name;
    const std::string* raw = view.Annotation(key);
    if (raw == nullptr) continue;
    auto problem = ValidateConditionsJson(*raw);
    if (!problem) continue;
    if (problem->json_error) {
      verdict.Deny("conditions",
                   "failed to parse json annotation, " + key + ": " + *raw + ": " + problem->text);
    } else {
      verdict.Deny("conditions", "ignoring Ingress " + view.ns + "/" + view.name +
                                     " since invalid " + key + " annotation: " + problem->text);
    }
  }
}

void CheckIngressBackends(const IngressView& view, Verdict& verdict) {
  for (const auto& backend : view.backends) {
    if (backend.has_resource && !backend.has_service) {
      verdict.Deny("backend", backend.Location() +
                                  ": resource backends are not supported by the AWS Load "
                                  "Balancer Controller; use a service backend");
      continue;
    }
    if (!backend.has_service || backend.port_name != "use-annotation") continue;
    std::string key = std::string(kAlbAnnotationPrefix) + "actions." + backend.service_name;
    if (view.Annotation(key) == nullptr) {
      verdict.Warn("backend", backend.Location() + ": use-annotation needs annotation actions." +
                                  backend.service_name);
    }
  }
}

void CheckIngressParity(const policy::IngressPolicy& policy, const IngressView& view,
                        const json& object, const json& old_object, Verdict& verdict) {
  if (policy.disable_ingress_class_annotation) {
    auto is_ours = [&policy](const std::optional<std::string>& value) {
      return value && std::find(policy.class_names.begin(), policy.class_names.end(), *value) !=
                          policy.class_names.end();
    };
    // The object as sent, not as the mutating webhook leaves it: migrateClassAnnotation removes
    // the annotation there, and the LBC denies the request whatever a mutator would do.
    if (is_ours(RawAnnotation(object, kIngressClassAnnotation)) &&
        !is_ours(RawAnnotation(old_object, kIngressClassAnnotation))) {
      verdict.DenyChange("ingress.disableIngressClassAnnotation",
                         "new usage of `kubernetes.io/ingress.class` annotation is forbidden");
    }
  }
  if (policy.disable_ingress_group_name_annotation) {
    const std::string* current = view.Annotation(kGroupNameKey);
    auto old_value = RawAnnotation(old_object, kGroupNameKey);
    if (current != nullptr && (!old_value || *old_value != *current)) {
      verdict.DenyChange(
          "ingress.disableIngressGroupNameAnnotation",
          "new usage of `alb.ingress.kubernetes.io/group.name` annotation is forbidden");
    }
  }
}

void CheckIngressPolicyRules(const Context& ctx, const IngressView& view, const EffectiveIngress& e,
                             Verdict& verdict) {
  const policy::IngressRules& rules = ctx.policy.ingress.rules;
  CheckInternetFacing(rules.internet_facing, view, e, verdict);
  CheckWafRequired(rules.waf_required, view, e, verdict);
  CheckHttpsRequired(rules.https_required, view, e, verdict);
  CheckSslPolicies(rules.ssl_policies, view, e, verdict);
  CheckCertificateAccounts(rules.certificate_accounts, view, e, verdict);
  CheckRequiredTags(rules.required_tags, view, e, verdict);
  CheckUnknownAnnotations(rules.unknown_annotations, view, verdict);
  CheckGroupOwnership(rules.group_ownership, view, e, verdict);
}

}  // namespace albwebhook::rules
