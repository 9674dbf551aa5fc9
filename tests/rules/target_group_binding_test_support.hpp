// Shared fixtures for the TargetGroupBinding rule tests.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "albwebhook/policy/policy.hpp"
#include "albwebhook/rules/target_group_binding.hpp"

namespace albwebhook::rules {

/// gtest printer: findings show as text in failure output.
inline void PrintTo(const Finding& f, std::ostream* os) {
  *os << (f.severity == Severity::kDeny ? "deny " : "warn ") << f.check << ": " << f.message;
}

}  // namespace albwebhook::rules

namespace albwebhook::rules::tgb_test {

using nlohmann::json;

inline constexpr const char* kArn =
    "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-tg/73e2d6bc24d8a067";
inline constexpr const char* kOtherArn =
    "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/other-tg/0123456789abcdef";
inline constexpr const char* kRoleArn = "arn:aws:iam::210987654321:role/tgb-access";
inline constexpr const char* kClusterVpc = "vpc-0123456789abcdef0";

/// A valid TargetGroupBinding with ip targets.
inline json BaseTgb() {
  return json::parse(R"({
    "apiVersion": "elbv2.k8s.aws/v1beta1",
    "kind": "TargetGroupBinding",
    "metadata": {"name": "web", "namespace": "team-a"},
    "spec": {
      "serviceRef": {"name": "web", "port": 80},
      "targetGroupARN": "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-tg/73e2d6bc24d8a067",
      "targetType": "ip"
    }
  })");
}

/// BaseTgb() with an RFC 7386 merge patch applied to its spec (null removes a field).
inline json TgbWith(const json& spec_patch) {
  json object = BaseTgb();
  object["spec"].merge_patch(spec_patch);
  return object;
}

inline Finding Deny(std::string check, std::string message) {
  return {std::move(check), std::move(message), Severity::kDeny};
}
inline Finding Warn(std::string check, std::string message) {
  return {std::move(check), std::move(message), Severity::kWarn};
}

inline void ExpectKnownChecks(const std::vector<Finding>& findings) {
  const auto& names = TargetGroupBindingCheckNames();
  for (const auto& finding : findings) {
    EXPECT_NE(std::find(names.begin(), names.end(), finding.check), names.end())
        << "check not listed in TargetGroupBindingCheckNames(): " << finding.check;
  }
}

inline std::string Describe(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& f : findings) {
    out += "  [" + std::string(f.severity == Severity::kDeny ? "deny" : "warn") + "] " + f.check +
           ": " + f.message + "\n";
  }
  return out;
}

}  // namespace albwebhook::rules::tgb_test
