// Shared pieces of the libFuzzer targets: the real webhook handlers, a strict policy, and the
// invariants every admission answer must keep (checked with FUZZ_CHECK, which aborts so that
// libFuzzer records the input as a crash).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "albwebhook/admission/handler.hpp"
#include "albwebhook/admission/webhook.hpp"
#include "albwebhook/policy/policy.hpp"
#include "albwebhook/rules/ingress.hpp"
#include "albwebhook/rules/target_group_binding.hpp"

#define FUZZ_CHECK(cond)                                                                \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                     \
    }                                                                                   \
  } while (false)

namespace albwebhook::fuzz {

/// The four webhooks the server routes, built once per policy (handlers are thread-safe and
/// stateless; each reads its policy from a fixed snapshot). `policy` must outlive the fuzzer (the
/// targets pass statics), and fuzzers are single-threaded.
struct Handlers {
  std::unique_ptr<admission::Handler> validate_ingress;
  std::unique_ptr<admission::Handler> mutate_ingress;
  std::unique_ptr<admission::Handler> validate_tgb;
  std::unique_ptr<admission::Handler> mutate_tgb;

  static const Handlers& Get(const policy::Policy& policy) {
    static std::map<const policy::Policy*, Handlers> built;
    auto it = built.find(&policy);
    if (it != built.end()) return it->second;
    const admission::ExpectedKind ingress{"networking.k8s.io", "Ingress"};
    const admission::ExpectedKind tgb{"elbv2.k8s.aws", "TargetGroupBinding"};
    auto source = std::make_shared<const state::FixedSnapshotSource>(policy);
    Handlers h;
    h.validate_ingress =
        admission::MakeValidatingHandler(rules::MakeIngressValidator(), ingress, source);
    h.mutate_ingress = admission::MakeMutatingHandler(rules::MakeIngressMutator(), ingress, source);
    h.validate_tgb =
        admission::MakeValidatingHandler(rules::MakeTargetGroupBindingValidator(), tgb, source);
    h.mutate_tgb =
        admission::MakeMutatingHandler(rules::MakeTargetGroupBindingMutator(), tgb, source);
    return built.emplace(&policy, std::move(h)).first->second;
  }
};

/// Every rule on (deny), namespace scoping and defaults set: exercises the policy-driven paths
/// that the embedded default (mostly off) never reaches.
inline const policy::Policy& StrictPolicy() {
  static const policy::Policy strict = [] {
    using policy::Mode;
    policy::Policy p;
    auto& ing = p.ingress;
    ing.class_names = {"alb", "alb-*"};
    ing.manage_ingresses_without_class = true;
    ing.defaults.annotations = {{"alb.ingress.kubernetes.io/scheme", "internal"},
                                {"alb.ingress.kubernetes.io/target-type", "ip"}};
    ing.defaults.tags = {{"cost-center", "platform"}, {"team", "a"}};
    ing.defaults.load_balancer_attributes = {{"idle_timeout.timeout_seconds", "60"}};
    ing.defaults.ssl_redirect = true;
    auto& r = ing.rules;
    r.internet_facing.mode = Mode::kDeny;
    r.internet_facing.allowed_namespaces = {"team-a", "public-*"};
    r.internet_facing.exclude_namespaces = {"kube-*"};
    r.waf_required.mode = Mode::kDeny;
    r.https_required.mode = Mode::kWarn;
    r.ssl_policies.mode = Mode::kDeny;
    r.ssl_policies.allowed = {"ELBSecurityPolicy-TLS13-1-2-2021-06"};
    r.certificate_accounts.mode = Mode::kDeny;
    r.certificate_accounts.allowed = {"123456789012"};
    r.required_tags.mode = Mode::kDeny;
    r.required_tags.keys = {"owner"};
    r.unknown_annotations.mode = Mode::kDeny;
    r.group_ownership.mode = Mode::kDeny;
    r.group_ownership.groups = {{"shared", {"team-*"}}};
    r.group_ownership.unlisted = policy::UnlistedGroups::kDeny;
    auto& tgb = p.target_group_binding;
    tgb.cluster_vpc_id = "vpc-0123456789abcdef0";
    tgb.defaults.target_type = "ip";
    tgb.defaults.ip_address_type = "ipv4";
    tgb.defaults.vpc_id = "cluster";
    tgb.rules.allowed_accounts.mode = Mode::kDeny;
    tgb.rules.allowed_accounts.allowed = {"123456789012"};
    tgb.rules.allowed_regions.mode = Mode::kWarn;
    tgb.rules.allowed_regions.allowed = {"us-west-2", "eu-*"};
    return p;
  }();
  return strict;
}

/// Invariants of every answer: a known status, a JSON AdmissionReview body, no handler panic
/// (an escaping exception is a bug even though the webhook layer contains it), and a patch
/// only from mutating webhooks.
inline nlohmann::json CheckAnswer(const admission::AdmissionResult& out,
                                  const admission::Handler& handler) {
  FUZZ_CHECK(!out.panicked);
  FUZZ_CHECK(out.http_status == 200 || out.http_status == 400 || out.http_status == 415 ||
             out.http_status == 500);
  FUZZ_CHECK(out.http_status != 500);
  nlohmann::json body = nlohmann::json::parse(out.body, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(body.is_object());
  FUZZ_CHECK(body.contains("response") && body["response"].is_object());
  const auto& response = body["response"];
  FUZZ_CHECK(response.contains("allowed") && response["allowed"].is_boolean());
  FUZZ_CHECK(response["allowed"].get<bool>() == out.allowed);
  FUZZ_CHECK(response.value("uid", std::string()) == out.uid);
  if (handler.validating()) FUZZ_CHECK(!response.contains("patch"));
  return body;
}

/// Standard base64 (the patch field); nullopt on a malformed encoding.
inline std::optional<std::string> Base64Decode(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  unsigned bits = 0;
  int nbits = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '=') {
      if (i + 2 < in.size()) return std::nullopt;
      break;
    }
    const int v = value(in[i]);
    if (v < 0) return std::nullopt;
    bits = (bits << 6U) | static_cast<unsigned>(v);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out.push_back(static_cast<char>((bits >> static_cast<unsigned>(nbits)) & 0xFFU));
    }
  }
  return out;
}

/// A mutating answer's patch must be a JSONPatch that applies cleanly to the request's object.
inline void CheckPatchApplies(const nlohmann::json& answer, const nlohmann::json& object) {
  const auto& response = answer["response"];
  if (!response.contains("patch")) return;
  FUZZ_CHECK(response.value("patchType", std::string()) == "JSONPatch");
  FUZZ_CHECK(response["patch"].is_string());
  const auto decoded = Base64Decode(response["patch"].get<std::string>());
  FUZZ_CHECK(decoded.has_value());
  const auto patch = nlohmann::json::parse(*decoded, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(patch.is_array() && !patch.empty());
  bool applied = true;
  try {
    (void)object.patch(patch);
  } catch (const nlohmann::json::exception&) {
    applied = false;
  }
  FUZZ_CHECK(applied);
}

}  // namespace albwebhook::fuzz
