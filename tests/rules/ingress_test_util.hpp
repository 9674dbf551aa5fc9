// Shared helpers for the Ingress rule-set tests.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "albwebhook/policy/policy.hpp"
#include "albwebhook/rules/ingress.hpp"

namespace albwebhook::rules::testing {

using nlohmann::json;

inline constexpr const char* kP = "alb.ingress.kubernetes.io/";

/// An Ingress of class alb in namespace team-a, one rule path to service `web` port 80.
inline json MakeIngress(const json& annotations, const json& spec_override = nullptr) {
  json ing = {
      {"apiVersion", "networking.k8s.io/v1"},
      {"kind", "Ingress"},
      {"metadata", {{"name", "shop"}, {"namespace", "team-a"}}},
      {"spec",
       {{"ingressClassName", "alb"},
        {"rules",
         json::array(
             {{{"host", "shop.example.com"},
               {"http",
                {{"paths",
                  json::array(
                      {{{"path", "/"},
                        {"pathType", "Prefix"},
                        {"backend",
                         {{"service", {{"name", "web"}, {"port", {{"number", 80}}}}}}}}})}}}}})}}}};
  if (!annotations.is_null()) ing["metadata"]["annotations"] = annotations;
  if (!spec_override.is_null()) ing["spec"] = spec_override;
  return ing;
}

/// Annotations object with `alb.ingress.kubernetes.io/` prefixed to every key without a '/'.
inline json Alb(std::initializer_list<std::pair<std::string, std::string>> items) {
  json out = json::object();
  for (const auto& [k, v] : items) out[k.find('/') == std::string::npos ? kP + k : k] = v;
  return out;
}

inline std::vector<std::string> Messages(const Verdict& v, Severity severity) {
  std::vector<std::string> out;
  for (const auto& f : v.findings) {
    if (f.severity == severity) out.push_back(f.message);
  }
  return out;
}

inline Verdict RunValidator(const policy::Policy& policy, const json& object,
                            const json& old_object = nullptr, std::string_view ns = "team-a",
                            api::Operation op = api::Operation::kCreate) {
  auto validator = MakeIngressValidator();
  Context ctx{op, ns, "shop", policy};
  return validator->Validate(ctx, object, old_object);
}

/// One Ingress and the exact denials and warnings the validator gives it.
struct IngressCase {
  std::string name;
  json ingress;
  std::vector<std::string> deny;
  std::vector<std::string> warn;
};

/// Runs each case through the validator under `policy` (in scope, CREATE) and expects exactly
/// its denials and warnings, in order.
inline void RunIngressCases(const policy::Policy& policy, const std::vector<IngressCase>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Verdict v = RunValidator(policy, c.ingress);
    EXPECT_TRUE(v.in_scope);
    EXPECT_THAT(Messages(v, Severity::kDeny), ::testing::ElementsAreArray(c.deny));
    EXPECT_THAT(Messages(v, Severity::kWarn), ::testing::ElementsAreArray(c.warn));
  }
}

}  // namespace albwebhook::rules::testing
