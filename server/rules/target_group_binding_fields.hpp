// Private: read-only access to TargetGroupBinding spec fields in untrusted JSON, shared by the
// validator and the mutator. Nothing here throws, whatever the JSON types are.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace albwebhook::rules::tgb {

// Check names (Finding::check). The LBC's error categories for the parity checks, the spec field
// for format checks, the policy key path for policy rules.
inline constexpr std::string_view kCheckTargetGroupArnOrName = "checkTargetGroupArnOrName";
inline constexpr std::string_view kCheckRequiredFields = "checkRequiredFields";
inline constexpr std::string_view kCheckImmutableFields = "checkImmutableFields";
inline constexpr std::string_view kCheckNodeSelector = "checkNodeSelector";
inline constexpr std::string_view kCheckTargetGroupVpcId = "checkTargetGroupVpcID";
inline constexpr std::string_view kCheckAssumeRoleConfig = "checkAssumeRoleConfig";
inline constexpr std::string_view kCheckTargetGroupProtocol = "checkTargetGroupProtocol";
inline constexpr std::string_view kCheckExistingTargetGroups = "checkExistingTargetGroups";
/// The one warning a TargetGroupBinding gets while the cluster view is on but unavailable.
inline constexpr std::string_view kCheckClusterView = "cluster-view";
inline constexpr std::string_view kCheckSpec = "spec";
inline constexpr std::string_view kAllowedAccountsRule = "targetGroupBinding.rules.allowedAccounts";
inline constexpr std::string_view kAllowedRegionsRule = "targetGroupBinding.rules.allowedRegions";

/// The member `key` of `object`, or nullptr when `object` is not an object, the key is absent, or
/// its value is JSON null (Go decodes null as the zero value / nil pointer).
inline const nlohmann::json* Find(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

/// The string value of `value`, or "" when it is absent or not a string.
inline std::string_view StringOf(const nlohmann::json* value) {
  if (value == nullptr || !value->is_string()) return {};
  return value->get_ref<const std::string&>();
}

/// For Go `string` fields with omitempty: set unless absent, null or "". A value of the wrong type
/// counts as set (the user wrote something; the format checks report its type).
inline bool IsSetString(const nlohmann::json* value) {
  return value != nullptr && !(value->is_string() && value->get_ref<const std::string&>().empty());
}

/// The spec object of a TargetGroupBinding, or nullptr when absent/null. Callers check is_object().
inline const nlohmann::json* FindSpec(const nlohmann::json& object) { return Find(object, "spec"); }

}  // namespace albwebhook::rules::tgb
