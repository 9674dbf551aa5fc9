// TargetGroupBinding policy rules (targetGroupBinding.rules.*): the accounts and regions of the
// target group and role ARNs against the policy's allow lists.
#include <optional>
#include <string>

#include "common/aws_formats.hpp"
#include "common/text.hpp"
#include "rules/target_group_binding_checks.hpp"
#include "rules/target_group_binding_fields.hpp"

namespace albwebhook::rules::tgb {
namespace {

using common::Arn;
using nlohmann::json;

bool IsAllowed(const std::vector<std::string>& allowed, std::string_view value) {
  for (const auto& item : allowed) {
    if (item == value) return true;
  }
  return false;
}

void CheckAllowList(Verdict& verdict, const policy::AllowListRule& rule, policy::Mode mode,
                    std::string_view rule_path, std::string_view what, std::string_view value,
                    std::string_view field) {
  if (IsAllowed(rule.allowed, value)) return;
  verdict.Report(mode, std::string(rule_path),
                 std::string(rule_path) + ": " + std::string(what) + " " + std::string(value) +
                     " of " + std::string(field) + " is not allowed (allowed: " +
                     common::JoinList(rule.allowed, ", ", "none") + ")");
}

std::optional<Arn> WellFormedArn(std::string_view text, bool (*well_formed)(std::string_view)) {
  if (!well_formed(text)) return std::nullopt;
  return common::ParseArn(text);
}

}  // namespace

void CheckPolicy(Verdict& verdict, const policy::TargetGroupBindingRules& rules,
                 std::string_view ns, const json& spec) {
  // Malformed ARNs are reported by the format checks; the policy looks only at well-formed ones.
  const auto target_group =
      WellFormedArn(StringOf(Find(spec, "targetGroupARN")), common::IsTargetGroupArn);
  const auto role = WellFormedArn(StringOf(Find(spec, "iamRoleArnToAssume")), common::IsIamRoleArn);
  if (const auto mode = rules.allowed_accounts.ModeFor(ns); mode != policy::Mode::kOff) {
    if (target_group) {
      CheckAllowList(verdict, rules.allowed_accounts, mode, kAllowedAccountsRule, "account",
                     target_group->account, "spec.targetGroupARN");
    }
    if (role) {
      CheckAllowList(verdict, rules.allowed_accounts, mode, kAllowedAccountsRule, "account",
                     role->account, "spec.iamRoleArnToAssume");
    }
  }
  if (const auto mode = rules.allowed_regions.ModeFor(ns); mode != policy::Mode::kOff) {
    if (target_group) {
      CheckAllowList(verdict, rules.allowed_regions, mode, kAllowedRegionsRule, "region",
                     target_group->region, "spec.targetGroupARN");
    }
  }
}

}  // namespace albwebhook::rules::tgb
