// IngressClassParams validation, as the LBC's validating webhook makes it
// (webhooks/elbv2/ingressclassparams_validator.go): every spec.inboundCIDRs entry is a canonical
// CIDR, and spec.subnets selects by `ids` or by `tags` (not both, not neither) without duplicates.
// The errors are Kubernetes field errors, aggregated as apimachinery does ("[a, b]" for several,
// duplicates once), so the denial reads exactly as the LBC's. Tag keys are visited in sorted
// order (Go visits a map in random order).
#include <set>
#include <string>
#include <vector>

#include "albwebhook/rules/ingress_class_params.hpp"
#include "common/aws_formats.hpp"
#include "rules/ingress_class_params/field_errors.hpp"
#include "rules/ingress_class_params/schema_checks.hpp"

namespace albwebhook::rules {
namespace {

using common::CanonicalCidr;
using common::IsValidCidr;
using nlohmann::json;

const json* Member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// A JSON member that Go decodes to nil: absent or null.
bool IsNil(const json* value) { return value == nullptr || value->is_null(); }

// Go's net.ParseIP, by way of the CIDR parser.
bool IsIp(const std::string& text) {
  return text.find('/') == std::string::npos && IsValidCidr(text + "/0");
}

void CheckCidr(const std::string& cidr, const std::string& path, FieldErrors& errors) {
  if (!IsValidCidr(cidr)) {
    std::string detail = "Could not be parsed as a CIDR";
    if (IsIp(cidr)) {
      detail += " (did you mean \"" + cidr + (cidr.find(':') == std::string::npos ? "/32" : "/64") +
                "\")";
    }
    errors.Invalid(path, cidr, detail);
    return;
  }
  const std::optional<std::string> canonical = CanonicalCidr(cidr);
  if (canonical && *canonical != cidr) {
    errors.Invalid(path, cidr,
                   "Network contains bits outside prefix (did you mean \"" + *canonical + "\")");
  }
}

void CheckInboundCidrs(const json& spec, FieldErrors& errors) {
  const json* cidrs = Member(spec, "inboundCIDRs");
  if (cidrs == nullptr || !cidrs->is_array()) return;
  for (std::size_t i = 0; i < cidrs->size(); ++i) {
    const json& cidr = (*cidrs)[i];
    if (cidr.is_string()) {
      CheckCidr(cidr.get<std::string>(), "spec.inboundCIDRs[" + std::to_string(i) + "]", errors);
    }
  }
}

// Duplicate strings of `values`, each reported at its index under `path`.
void CheckDuplicates(const json& values, const std::string& path, FieldErrors& errors) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!values[i].is_string()) continue;
    const std::string value = values[i].get<std::string>();
    if (!seen.insert(value).second) {
      errors.Duplicate(path + "[" + std::to_string(i) + "]", value);
    }
  }
}

void CheckSubnetTags(const json& tags, FieldErrors& errors) {
  if (!tags.is_object()) return;
  if (tags.empty()) errors.Required("spec.subnets.tags", "must have at least one tag key");
  for (const auto& [key, values] : tags.items()) {  // nlohmann keeps keys sorted
    if (values.is_array()) CheckDuplicates(values, "spec.subnets.tags[" + key + "]", errors);
  }
}

void CheckSubnetSelectors(const json& spec, FieldErrors& errors) {
  const json* subnets = Member(spec, "subnets");
  if (IsNil(subnets) || !subnets->is_object()) return;
  const json* ids = Member(*subnets, "ids");
  const json* tags = Member(*subnets, "tags");
  if (IsNil(ids) && IsNil(tags)) {
    errors.Required("spec.subnets", "must have either `ids` or `tags`");
    return;
  }
  if (!IsNil(ids)) {
    if (!IsNil(tags)) {
      errors.Forbidden("spec.subnets.tags", "may not have both `ids` and `tags` set");
      return;
    }
    if (ids->is_array()) CheckDuplicates(*ids, "spec.subnets.ids", errors);
    return;
  }
  CheckSubnetTags(*tags, errors);
}

class IngressClassParamsValidator final : public Validator {
 public:
  Verdict Validate(const Context& ctx, const json& object,
                   const json& /*old_object*/) const override {
    Verdict verdict;
    if (ctx.operation != api::Operation::kCreate && ctx.operation != api::Operation::kUpdate) {
      return verdict;
    }
    CheckIngressClassParamsSchema(ctx, object, verdict);
    const json* spec = Member(object, "spec");
    if (spec == nullptr || !spec->is_object()) return verdict;
    FieldErrors cidr_errors;
    CheckInboundCidrs(*spec, cidr_errors);
    FieldErrors subnet_errors;
    CheckSubnetSelectors(*spec, subnet_errors);
    FieldErrors all = cidr_errors;
    all.Append(subnet_errors);
    if (!all.empty()) {
      // One denial carrying the LBC's aggregate; the metric names the first failing check.
      verdict.Deny(cidr_errors.empty() ? "subnets" : "inboundCIDRs", all.Aggregate());
    }
    return verdict;
  }
};

}  // namespace

std::unique_ptr<Validator> MakeIngressClassParamsValidator() {
  return std::make_unique<IngressClassParamsValidator>();
}

KindRules IngressClassParamsKindRules() {
  return KindRules{{"elbv2.k8s.aws", "v1beta1", "IngressClassParams"},
                   "ingressclassparams",
                   /*namespaced=*/false,
                   std::string(kValidateIngressClassParamsPath),
                   "",
                   MakeIngressClassParamsValidator(),
                   nullptr,
                   {"inboundCIDRs", "subnets", "api-server"}};
}

}  // namespace albwebhook::rules
