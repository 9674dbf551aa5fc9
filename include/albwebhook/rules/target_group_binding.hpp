// elbv2.k8s.aws/v1beta1 TargetGroupBinding: webhook paths, rule sets, registry entry.
#pragma once

#include <string_view>

#include "albwebhook/rules/rule.hpp"  // Validator, Mutator, KindRules (memory, string, vector)

namespace albwebhook::rules {

inline constexpr std::string_view kValidateTargetGroupBindingPath =
    "/validate-elbv2-k8s-aws-v1beta1-targetgroupbinding";
inline constexpr std::string_view kMutateTargetGroupBindingPath =
    "/mutate-elbv2-k8s-aws-v1beta1-targetgroupbinding";

/// elbv2.k8s.aws/v1beta1 TargetGroupBinding rule sets (LBC parity, formats, policy, defaults).
std::unique_ptr<Validator> MakeTargetGroupBindingValidator();
std::unique_ptr<Mutator> MakeTargetGroupBindingMutator();

/// Every Finding::check the two rule sets can emit, validator's and mutator's (a small fixed set:
/// the LBC's error categories, spec field names, policy key paths; never values). Metrics create
/// their label children from it at startup.
const std::vector<std::string>& TargetGroupBindingCheckNames();

/// The registry entry (rules/registry.hpp): paths, rule sets and check names.
KindRules TargetGroupBindingKindRules();

}  // namespace albwebhook::rules
