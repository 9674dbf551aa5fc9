// Object-local Ingress checks added for issue 11: the transforms.<svc> annotations, the ALB rule
// each rule path becomes (host conditions, condition values and wildcards per rule as AWS counts
// them), and hints about values that cannot work as written (unrendered template placeholders,
// an HTTPS listener with no certificate source on the Ingress).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "rules/ingress_checks.hpp"

namespace albwebhook::rules {

/// The check name of the per-rule findings (host conditions, values and wildcards per rule, the
/// LBC's values-vs-regexValues error).
inline constexpr std::string_view kRuleConditionsCheck = "rule-conditions";

/// transforms.<svc>: json.Unmarshal into the LBC's []Transform and Transform.Validate() (the LBC
/// parses it for every backend naming <svc>, the default backend included), then AWS's transform
/// limits on the rules it is attached to. A transform no rule path uses is a warning.
void CheckIngressTransforms(const IngressView& view, Verdict& verdict);

/// The ALB rule the LBC builds for each rule path (buildRuleConditions): AWS's host-header grammar
/// for spec.rules[].host and conditions.<svc> host values, empty and over-long condition values,
/// at most 5 condition values and 5 wildcards per rule, and the LBC's "exactly one of Values and
/// RegexValues" error. `object` is the Ingress whose spec the view was read from.
void CheckIngressRuleConditions(const IngressView& view, const nlohmann::json& object,
                                Verdict& verdict);

/// Warnings only: subnet / security-group items that look like unrendered template placeholders,
/// and HTTPS listen-ports with no certificate source on this Ingress.
void CheckIngressConfigHints(const IngressView& view, const nlohmann::json& object,
                             Verdict& verdict);

/// AWS's host-header condition value grammar (HostHeaderConditionConfig.Values): the reason a host
/// is refused, nullopt when accepted.
std::optional<std::string> AlbHostProblem(std::string_view host);

/// The regex features AWS rule conditions and transforms do not support (lookarounds,
/// backreferences, atomic groups, possessive quantifiers, recursion, Unicode classes): the first
/// one `regex` uses, nullopt when none.
std::optional<std::string> UnsupportedRegexFeature(std::string_view regex);

}  // namespace albwebhook::rules
