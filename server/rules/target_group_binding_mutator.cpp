// TargetGroupBinding defaults on CREATE: the LBC's "ARN or name" check, then policy defaults for
// the fields the LBC would otherwise read from the AWS target group. No AWS calls.
#include <string>

#include "albwebhook/rules/target_group_binding.hpp"
#include "rules/target_group_binding_fields.hpp"

namespace albwebhook::rules {
namespace {

using nlohmann::json;
using tgb::Find;
using tgb::IsSetString;

// LBC message (reference/lbc-webhooks.md §4), verbatim.
constexpr std::string_view kArnOrNameRequired =
    "must provide either TargetGroupARN or TargetGroupName";
// Policy value of targetGroupBinding.defaults.vpcID meaning targetGroupBinding.clusterVpcID.
constexpr std::string_view kClusterVpc = "cluster";

// Each Default* step leaves a field the user set alone (null counts as unset, as in Go).
void DefaultTargetType(json& spec, const std::string& value) {
  if (value.empty() || Find(spec, "targetType") != nullptr) return;
  spec["targetType"] = value;
}

void DefaultIpAddressType(json& spec, const std::string& value) {
  if (value.empty() || Find(spec, "ipAddressType") != nullptr) return;
  spec["ipAddressType"] = value;
}

void DefaultVpcId(json& spec, const policy::TargetGroupBindingPolicy& tgb_policy) {
  // vpcID is a Go string: "" is unset, as in the LBC's defaultingVpcID.
  if (IsSetString(Find(spec, "vpcID"))) return;
  const std::string& value = tgb_policy.defaults.vpc_id == kClusterVpc ? tgb_policy.cluster_vpc_id
                                                                       : tgb_policy.defaults.vpc_id;
  if (value.empty()) return;
  spec["vpcID"] = value;
}

class TargetGroupBindingMutator final : public Mutator {
 public:
  Verdict Mutate(const Context& ctx, json& object, const json& /*old_object*/) const override {
    Verdict verdict;
    // The LBC's MutateUpdate returns the object unchanged; DELETE/CONNECT are not ours.
    if (ctx.operation != api::Operation::kCreate || !object.is_object()) return verdict;
    const json* spec = tgb::FindSpec(object);
    // A spec of the wrong type is left to the validator (and the CRD schema).
    if (spec != nullptr && !spec->is_object()) return verdict;
    if (spec == nullptr || (!IsSetString(Find(*spec, "targetGroupARN")) &&
                            !IsSetString(Find(*spec, "targetGroupName")))) {
      verdict.Deny(std::string(tgb::kCheckTargetGroupArnOrName), std::string(kArnOrNameRequired));
      return verdict;
    }
    json& mutable_spec = object["spec"];
    const auto& tgb_policy = ctx.policy.target_group_binding;
    DefaultTargetType(mutable_spec, tgb_policy.defaults.target_type);
    DefaultIpAddressType(mutable_spec, tgb_policy.defaults.ip_address_type);
    DefaultVpcId(mutable_spec, tgb_policy);
    return verdict;
  }
};

}  // namespace

std::unique_ptr<Mutator> MakeTargetGroupBindingMutator() {
  return std::make_unique<TargetGroupBindingMutator>();
}

KindRules TargetGroupBindingKindRules() {
  return {{"elbv2.k8s.aws", "v1beta1", "TargetGroupBinding"}, "targetgroupbindings",
          /*namespaced=*/true,
          std::string(kValidateTargetGroupBindingPath), std::string(kMutateTargetGroupBindingPath),
          MakeTargetGroupBindingValidator(), MakeTargetGroupBindingMutator(),
          TargetGroupBindingCheckNames()};
}

}  // namespace albwebhook::rules
