// Fuzz target: the policy file parser (policy::ParsePolicy, YAML). A policy that parses is then
// used for one Ingress and one TargetGroupBinding evaluation, so fuzzed policies also drive the
// policy-dependent rules (namespace globs, allow lists, defaults).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "albwebhook/admission/handler.hpp"
#include "fuzz_support.hpp"

namespace albwebhook::fuzz {
namespace {

const nlohmann::json& SampleIngress() {
  static const nlohmann::json ingress = nlohmann::json::parse(R"({
    "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
    "metadata": {"name": "shop", "namespace": "team-a", "annotations": {
      "alb.ingress.kubernetes.io/scheme": "internet-facing",
      "alb.ingress.kubernetes.io/group.name": "shared",
      "alb.ingress.kubernetes.io/listen-ports": "[{\"HTTPS\": 443}]",
      "alb.ingress.kubernetes.io/certificate-arn": "arn:aws:acm:us-west-2:123456789012:certificate/12345678-1234-1234-1234-123456789012",
      "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-2016-08",
      "alb.ingress.kubernetes.io/tags": "owner=shop"}},
    "spec": {"ingressClassName": "alb", "rules": [{"host": "shop.example.com", "http": {"paths": [
      {"path": "/", "pathType": "Prefix",
       "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}})");
  return ingress;
}

const nlohmann::json& SampleTgb() {
  static const nlohmann::json tgb = nlohmann::json::parse(R"({
    "apiVersion": "elbv2.k8s.aws/v1beta1", "kind": "TargetGroupBinding",
    "metadata": {"name": "web", "namespace": "team-a"},
    "spec": {"serviceRef": {"name": "web", "port": 80},
      "targetGroupARN": "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-tg/73e2d6bc24d8a067"}})");
  return tgb;
}

}  // namespace
}  // namespace albwebhook::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace albwebhook;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = policy::ParsePolicy(text);
  if (!parsed.has_value()) {
    FUZZ_CHECK(!parsed.error().message.empty());
    return 0;
  }
  const state::Snapshot snapshot{std::make_shared<const policy::Policy>(*parsed), nullptr};
  static const auto ingress_validator = rules::MakeIngressValidator();
  static const auto ingress_mutator = rules::MakeIngressMutator();
  static const auto tgb_validator = rules::MakeTargetGroupBindingValidator();
  static const auto tgb_mutator = rules::MakeTargetGroupBindingMutator();
  (void)admission::EvaluateCreate(ingress_mutator.get(), *ingress_validator, fuzz::SampleIngress(),
                                  "team-a", snapshot);
  (void)admission::EvaluateCreate(tgb_mutator.get(), *tgb_validator, fuzz::SampleTgb(), "team-a",
                                  snapshot);
  return 0;
}
