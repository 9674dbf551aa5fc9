// Fuzz target: the fuzz bytes become the object (or its annotations / spec fields) of a valid
// AdmissionReview, so every input reaches the Ingress and TargetGroupBinding rule sets instead of
// stopping in the decoder.
//
// Input layout: byte 0 picks kind (bit 0), operation (bits 1-2: CREATE, UPDATE, DELETE, UPDATE
// of an object being deleted) and policy (bit 3: default or strict). The rest is either a JSON
// object, used as the object itself, or lines "key=value": annotations on a base Ingress (a key
// without '/' gets the alb.ingress.kubernetes.io/ prefix), or spec fields on a base
// TargetGroupBinding (a value that parses as JSON is used as JSON, else as a string).
// On UPDATE the old object is the base object, so ratcheting and diffs are exercised too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"

namespace albwebhook::fuzz {
namespace {

using nlohmann::json;

json BaseIngress() {
  return json::parse(R"({
    "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
    "metadata": {"name": "shop", "namespace": "team-a",
                 "annotations": {"alb.ingress.kubernetes.io/scheme": "internet-facing"}},
    "spec": {"ingressClassName": "alb", "rules": [{"host": "shop.example.com", "http": {"paths": [
      {"path": "/", "pathType": "Prefix",
       "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}})");
}

json BaseTgb() {
  return json::parse(R"({
    "apiVersion": "elbv2.k8s.aws/v1beta1", "kind": "TargetGroupBinding",
    "metadata": {"name": "web", "namespace": "team-a"},
    "spec": {"serviceRef": {"name": "web", "port": 80},
      "targetGroupARN": "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-tg/73e2d6bc24d8a067",
      "targetType": "ip"}})");
}

// Lines "key=value" applied to `object` (annotations for an Ingress, spec for a TGB).
void ApplyLines(std::string_view text, bool ingress, json& object) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string key(line.substr(0, eq));
    const std::string_view value = line.substr(eq + 1);
    if (ingress) {
      if (key.find('/') == std::string::npos) key.insert(0, "alb.ingress.kubernetes.io/");
      object["metadata"]["annotations"][key] = value;
    } else {
      json parsed = json::parse(value, nullptr, /*allow_exceptions=*/false);
      object["spec"][key] = parsed.is_discarded() ? json(value) : std::move(parsed);
    }
  }
}

}  // namespace
}  // namespace albwebhook::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace albwebhook;
  using nlohmann::json;
  if (size == 0) return 0;
  const unsigned selector = data[0];
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const bool ingress = (selector & 1U) == 0;
  const unsigned op = (selector >> 1U) & 3U;
  static const policy::Policy kDefault{};
  const policy::Policy& policy = (selector & 8U) != 0 ? fuzz::StrictPolicy() : kDefault;

  const json base = ingress ? fuzz::BaseIngress() : fuzz::BaseTgb();
  json object = json::parse(rest, nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded() || !object.is_object()) {
    object = base;
    fuzz::ApplyLines(rest, ingress, object);
  }
  json request = {
      {"uid", "705ab4f5-6393-11e8-b7cc-42010a800002"},
      {"kind", ingress
                   ? json{{"group", "networking.k8s.io"}, {"version", "v1"}, {"kind", "Ingress"}}
                   : json{{"group", "elbv2.k8s.aws"},
                          {"version", "v1beta1"},
                          {"kind", "TargetGroupBinding"}}},
      {"name", ingress ? "shop" : "web"},
      {"namespace", "team-a"},
      {"operation", op == 0   ? "CREATE"
                    : op == 2 ? "DELETE"
                              : "UPDATE"},
      {"userInfo", {{"username", "alice"}}},
      {"object", op == 2 ? json(nullptr) : object},
      {"oldObject", op == 0   ? json(nullptr)
                    : op == 2 ? object
                              : base},
      {"dryRun", false}};
  if (op == 3) request["object"]["metadata"]["deletionTimestamp"] = "2024-01-01T00:00:00Z";
  const std::string body = json{
      {"apiVersion", "admission.k8s.io/v1"},
      {"kind", "AdmissionReview"},
      {"request", request}}.dump(-1, ' ', false, json::error_handler_t::replace);

  const auto& h = fuzz::Handlers::Get(policy);
  const admission::Handler& validating = ingress ? *h.validate_ingress : *h.validate_tgb;
  const admission::Handler& mutating = ingress ? *h.mutate_ingress : *h.mutate_tgb;
  const auto validated = admission::ServeAdmission(body, "application/json", validating);
  (void)fuzz::CheckAnswer(validated, validating);
  const auto mutated = admission::ServeAdmission(body, "application/json", mutating);
  const json answer = fuzz::CheckAnswer(mutated, mutating);
  // The object is valid JSON in a valid envelope: the decoder must accept it.
  FUZZ_CHECK(validated.operation != "" && mutated.operation != "");
  // Checked against the object as sent (dump() replaced any invalid UTF-8).
  fuzz::CheckPatchApplies(answer, json::parse(body).at("request").at("object"));
  return 0;
}
