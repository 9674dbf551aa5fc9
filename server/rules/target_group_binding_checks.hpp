// Private: the TargetGroupBinding validator's check groups, one file each (LBC parity in
// target_group_binding_validator.cpp, formats in target_group_binding_format_checks.cpp, policy
// in target_group_binding_policy.cpp), and the message helpers they share.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "albwebhook/policy/policy.hpp"
#include "albwebhook/rules/rule.hpp"

namespace albwebhook::rules::tgb {

/// A string shown in a message: JSON-quoted (control characters escaped), cut after 128 bytes
/// (deterministically, so ratcheting still works).
std::string Quote(std::string_view value);

/// "<path> must be <want>, got <JSON type>".
std::string WrongType(const std::string& path, std::string_view want, const nlohmann::json& value);

/// Reports a value that is set but not an object; true when it is an object.
bool ExpectObject(Verdict& verdict, std::string_view check, const std::string& path,
                  const nlohmann::json& value);

/// Format checks (what the LBC leaves to AWS or the CRD schema), in the CRD's field order.
void CheckFormats(Verdict& verdict, const nlohmann::json& spec);

/// checkExistingTargetGroups against the cluster view (target_group_binding_cluster_checks.cpp):
/// another TargetGroupBinding bound to the same spec.targetGroupARN, unless this one and every
/// other one set multiClusterTargetGroup. Skipped, with one warning, while the view is on but
/// unavailable; nothing at all when the view is off or the ARN is not set (the mutator fills it
/// from targetGroupName).
void CheckExistingTargetGroups(Verdict& verdict, const Context& ctx, const nlohmann::json& object,
                               const nlohmann::json& spec);

/// Policy rules (targetGroupBinding.rules.*) for an object in namespace `ns`.
void CheckPolicy(Verdict& verdict, const policy::TargetGroupBindingRules& rules,
                 std::string_view ns, const nlohmann::json& spec);

}  // namespace albwebhook::rules::tgb
