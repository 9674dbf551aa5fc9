// Whole-webhook harness for the LBC's webhook test tables (lbc_*_table_test.cpp): an
// AdmissionReview body goes through ServeAdmission and the real handler the server builds for
// the kind (rules::AdmittedKinds(), as server/app/app.cpp wires them), under a given policy and
// optional cluster state; the encoded AdmissionReview response is decoded back for assertions.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "albwebhook/admission/handler.hpp"
#include "albwebhook/admission/webhook.hpp"
#include "albwebhook/cluster/cluster_state.hpp"
#include "albwebhook/policy/policy.hpp"
#include "albwebhook/rules/registry.hpp"
#include "support/review_builder.hpp"

namespace albwebhook::testing {

/// What the API server would read from the AdmissionReview response.
struct WebhookAnswer {
  int http_status = 0;
  bool allowed = false;
  int code = 0;         // status.code; 0 when absent (allowed)
  std::string message;  // status.message; "" when absent
  std::vector<std::string> warnings;
  nlohmann::json patch;  // decoded JSON patch; null when none
};

inline std::string Base64Decode(const std::string& in) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned value = 0;
  int bits = -8;
  for (char c : in) {
    const auto pos = kAlphabet.find(c);
    if (pos == std::string::npos) break;  // '=' padding ends the data
    value = (value << 6) | static_cast<unsigned>(pos);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((value >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

enum class Hook { kValidate, kMutate };

/// Serves `review` on the validating or mutating webhook of `kind` ("Ingress",
/// "TargetGroupBinding", "IngressClassParams") with `policy` and, when `cluster_objects` is
/// given, a cluster view built from them (ClusterState::FromObjects).
inline WebhookAnswer ServeWhole(
    const std::string& kind, Hook hook, const ReviewBuilder& review,
    const policy::Policy& policy = policy::Policy{},
    const std::optional<std::vector<nlohmann::json>>& cluster_objects = std::nullopt) {
  WebhookAnswer answer;
  const auto kinds = rules::AdmittedKinds();
  const rules::KindRules* rules_for = nullptr;
  for (const auto& k : kinds) {
    if (k.gvk.kind == kind) rules_for = &k;
  }
  EXPECT_NE(rules_for, nullptr) << kind;
  if (rules_for == nullptr) return answer;
  state::Snapshot snapshot{std::make_shared<const policy::Policy>(policy), nullptr};
  if (cluster_objects) {
    std::vector<std::string> skipped;
    snapshot.cluster = cluster::ClusterState::FromObjects(*cluster_objects, &skipped);
    EXPECT_TRUE(skipped.empty()) << skipped.front();
  }
  auto source = std::make_shared<const state::FixedSnapshotSource>(snapshot);
  const admission::ExpectedKind expected{rules_for->gvk.group, rules_for->gvk.kind};
  std::unique_ptr<admission::Handler> handler =
      hook == Hook::kValidate
          ? admission::MakeValidatingHandler(rules_for->validator, expected, source)
          : admission::MakeMutatingHandler(rules_for->mutator, expected, source);
  const auto result = admission::ServeAdmission(review.Body(), "application/json", *handler);
  answer.http_status = result.http_status;
  const nlohmann::json body = nlohmann::json::parse(result.body);
  const nlohmann::json& response = body.at("response");
  EXPECT_EQ(response.value("uid", ""), review.Request().value("uid", ""));
  answer.allowed = response.value("allowed", false);
  if (response.contains("status")) {
    answer.code = response["status"].value("code", 0);
    answer.message = response["status"].value("message", "");
  }
  if (response.contains("warnings")) {
    answer.warnings = response["warnings"].get<std::vector<std::string>>();
  }
  if (response.contains("patch")) {
    EXPECT_EQ(response.value("patchType", ""), "JSONPatch");
    answer.patch = nlohmann::json::parse(Base64Decode(response["patch"].get<std::string>()));
  }
  return answer;
}

/// A review of an elbv2.k8s.aws/v1beta1 object (`kind`, plural `resource`) named as the object is.
inline ReviewBuilder Elbv2Review(const std::string& kind, const std::string& resource,
                                 const nlohmann::json& object) {
  const nlohmann::json& meta = object.at("metadata");
  return ReviewBuilder()
      .Uid("lbc-table")
      .Kind("elbv2.k8s.aws", "v1beta1", kind)
      .Resource("elbv2.k8s.aws", "v1beta1", resource)
      .Namespace(meta.value("namespace", ""))
      .Name(meta.value("name", ""))
      .Object(object);
}

/// The expected answer of one table row.
struct Want {
  bool allowed = true;
  std::string message;                // the full status.message of a denial
  std::vector<std::string> warnings;  // every warning, in order
};

inline void ExpectAnswer(const WebhookAnswer& got, const Want& want) {
  EXPECT_EQ(got.http_status, 200);
  EXPECT_EQ(got.allowed, want.allowed);
  if (want.allowed) {
    EXPECT_EQ(got.code, 0);
    EXPECT_EQ(got.message, "");
  } else {
    EXPECT_EQ(got.code, 403);
    EXPECT_EQ(got.message, want.message);
  }
  EXPECT_EQ(got.warnings, want.warnings);
}

}  // namespace albwebhook::testing
