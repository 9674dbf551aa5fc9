// TargetGroupBinding validation: the LBC's checks that need no AWS call (same order, same text;
// checkExistingTargetGroups, which reads the cluster view, in
// target_group_binding_cluster_checks.cpp), then format checks the LBC leaves to AWS
// (target_group_binding_format_checks.cpp), then policy rules (target_group_binding_policy.cpp).
// Every violation is reported.
#include <string>
#include <vector>

#include "albwebhook/rules/target_group_binding.hpp"
#include "common/aws_formats.hpp"
#include "common/text.hpp"
#include "rules/target_group_binding_checks.hpp"
#include "rules/target_group_binding_fields.hpp"

namespace albwebhook::rules {
namespace {

using nlohmann::json;
using tgb::Find;
using tgb::IsSetString;
using tgb::StringOf;

// LBC messages (reference/lbc-webhooks.md §5), verbatim.
constexpr std::string_view kRequiredFieldsPrefix = "TargetGroupBinding must specify these fields: ";
constexpr std::string_view kRequiredArnOrName = "either TargetGroupARN or TargetGroupName";
constexpr std::string_view kRequiredTargetType = "spec.targetType";
constexpr std::string_view kImmutableFieldsPrefix =
    "TargetGroupBinding update may not change these immutable fields: ";
constexpr std::string_view kNodeSelectorWithIp =
    "TargetGroupBinding cannot set NodeSelector when TargetType is ip";
constexpr std::string_view kVpcIdPrefix = "ValidationError: vpcID ";
constexpr std::string_view kVpcIdSuffix =
    " failed to satisfy constraint: VPC Id must begin with 'vpc-' followed by 8, 17 or 32 "
    "lowercase letters (a-f) or numbers.";
constexpr std::string_view kAssumeRoleWithInstance =
    "Unable to use instance target type while using assume role";
constexpr std::string_view kQuicWithInstance =
    "QUIC protocol is not supported for Instance target types.";

const json& EmptyObject() {
  static const json kEmpty = json::object();
  return kEmpty;
}

// ---- LBC parity checks --------------------------------------------------------------------

void CheckRequiredFields(Verdict& verdict, const json& spec, bool offline) {
  std::vector<std::string_view> missing;
  const bool target_group =
      IsSetString(Find(spec, "targetGroupARN")) || IsSetString(Find(spec, "targetGroupName"));
  if (!target_group) missing.push_back(kRequiredArnOrName);
  if (Find(spec, "targetType") == nullptr) {
    if (offline && target_group) {
      // In a cluster the LBC's mutating webhook reads it from the target group first.
      verdict.Warn(std::string(tgb::kCheckRequiredFields),
                   "spec.targetType is not set: in a cluster the LBC's mutating webhook fills it "
                   "from the target group (the checks that depend on it were skipped)");
    } else {
      missing.push_back(kRequiredTargetType);
    }
  }
  if (missing.empty()) return;
  verdict.Deny(std::string(tgb::kCheckRequiredFields),
               std::string(kRequiredFieldsPrefix) + common::JoinList(missing, ","));
}

/// Go `string` with omitempty: absent, null and "" are the same value.
bool SameString(const json* a, const json* b) {
  a = IsSetString(a) ? a : nullptr;
  b = IsSetString(b) ? b : nullptr;
  if (a == nullptr || b == nullptr) return a == b;
  return *a == *b;
}

/// Go pointer: absent and null are nil; "" is a value.
bool SamePointer(const json* a, const json* b) {
  if (a == nullptr || b == nullptr) return a == b;
  return *a == *b;
}

bool IpAddressTypeChanged(const json* old_value, const json* new_value) {
  if (old_value == nullptr) {
    // Only nil -> ipv4 is allowed (the LBC's default for TGBs made before the field existed).
    return new_value != nullptr && StringOf(new_value) != "ipv4";
  }
  return !SamePointer(old_value, new_value);
}

bool VpcIdChanged(const json* old_value, const json* new_value, std::string_view cluster_vpc_id) {
  old_value = IsSetString(old_value) ? old_value : nullptr;
  new_value = IsSetString(new_value) ? new_value : nullptr;
  if (old_value == nullptr) {
    // The LBC allows only "" -> its own VPC (--aws-vpc-id), and writes that VPC into every binding
    // it manages. Without targetGroupBinding.clusterVpcID we do not know it: any VPC id may be
    // the controller's (its format is checked on its own).
    if (new_value == nullptr || cluster_vpc_id.empty()) return false;
    return !(new_value->is_string() && StringOf(new_value) == cluster_vpc_id);
  }
  return !SameString(old_value, new_value);
}

void CheckImmutableFields(Verdict& verdict, const json& spec, const json& old_spec,
                          std::string_view cluster_vpc_id) {
  std::vector<std::string_view> changed;
  if (!SameString(Find(old_spec, "targetGroupARN"), Find(spec, "targetGroupARN"))) {
    changed.push_back("spec.targetGroupARN");
  }
  if (!SamePointer(Find(old_spec, "targetType"), Find(spec, "targetType"))) {
    changed.push_back("spec.targetType");
  }
  if (IpAddressTypeChanged(Find(old_spec, "ipAddressType"), Find(spec, "ipAddressType"))) {
    changed.push_back("spec.ipAddressType");
  }
  if (VpcIdChanged(Find(old_spec, "vpcID"), Find(spec, "vpcID"), cluster_vpc_id)) {
    changed.push_back("spec.vpcID");
  }
  if (changed.empty()) return;
  verdict.DenyChange(std::string(tgb::kCheckImmutableFields),
                     std::string(kImmutableFieldsPrefix) + common::JoinList(changed, ","));
}

void CheckNodeSelector(Verdict& verdict, const json& spec) {
  // An empty selector {} counts as set.
  if (StringOf(Find(spec, "targetType")) == "ip" && Find(spec, "nodeSelector") != nullptr) {
    verdict.Deny(std::string(tgb::kCheckNodeSelector), std::string(kNodeSelectorWithIp));
  }
}

void CheckTargetGroupVpcId(Verdict& verdict, const json& spec) {
  const std::string_view vpc_id = StringOf(Find(spec, "vpcID"));
  if (vpc_id.empty() || common::IsVpcId(vpc_id)) return;
  verdict.Deny(std::string(tgb::kCheckTargetGroupVpcId),
               std::string(kVpcIdPrefix) + std::string(vpc_id) + std::string(kVpcIdSuffix));
}

void CheckAssumeRoleConfig(Verdict& verdict, const json& spec) {
  if (!StringOf(Find(spec, "iamRoleArnToAssume")).empty() &&
      StringOf(Find(spec, "targetType")) == "instance") {
    verdict.Deny(std::string(tgb::kCheckAssumeRoleConfig), std::string(kAssumeRoleWithInstance));
  }
}

void CheckTargetGroupProtocol(Verdict& verdict, const json& spec) {
  const std::string_view protocol = StringOf(Find(spec, "targetGroupProtocol"));
  if ((protocol == "QUIC" || protocol == "TCP_QUIC") &&
      StringOf(Find(spec, "targetType")) == "instance") {
    verdict.Deny(std::string(tgb::kCheckTargetGroupProtocol), std::string(kQuicWithInstance));
  }
}

class TargetGroupBindingValidator final : public Validator {
 public:
  Verdict Validate(const Context& ctx, const json& object, const json& old_object) const override {
    Verdict verdict;
    const bool update = ctx.operation == api::Operation::kUpdate;
    if (ctx.operation != api::Operation::kCreate && !update) return verdict;
    if (!object.is_object()) {
      verdict.Deny(std::string(tgb::kCheckSpec),
                   tgb::WrongType("the TargetGroupBinding", "an object", object));
      return verdict;
    }
    const json* spec_value = tgb::FindSpec(object);
    if (spec_value != nullptr &&
        !tgb::ExpectObject(verdict, tgb::kCheckSpec, "spec", *spec_value)) {
      return verdict;
    }
    const json& spec = spec_value != nullptr ? *spec_value : EmptyObject();
    const auto& tgb_policy = ctx.policy.target_group_binding;

    // LBC parity, in the LBC's order (CREATE and UPDATE orders merged).
    CheckRequiredFields(verdict, spec, ctx.offline);
    if (update && old_object.is_object()) {
      const json* old_spec = tgb::FindSpec(old_object);
      CheckImmutableFields(verdict, spec,
                           old_spec != nullptr && old_spec->is_object() ? *old_spec : EmptyObject(),
                           tgb_policy.cluster_vpc_id);
    }
    CheckNodeSelector(verdict, spec);
    tgb::CheckExistingTargetGroups(verdict, ctx, object, spec);  // CREATE's place for it
    CheckTargetGroupVpcId(verdict, spec);
    CheckAssumeRoleConfig(verdict, spec);
    CheckTargetGroupProtocol(verdict, spec);

    // Formats, in the CRD's field order.
    tgb::CheckFormats(verdict, spec);

    // Policy. request.namespace is authoritative; offline checks may only have the object's own.
    std::string_view ns = ctx.ns;
    if (const json* metadata = Find(object, "metadata"); ns.empty() && metadata != nullptr) {
      ns = StringOf(Find(*metadata, "namespace"));
    }
    tgb::CheckPolicy(verdict, tgb_policy.rules, ns, spec);
    return verdict;
  }
};

}  // namespace

const std::vector<std::string>& TargetGroupBindingCheckNames() {
  static const std::vector<std::string> kNames = {
      std::string(tgb::kCheckTargetGroupArnOrName),
      std::string(tgb::kCheckRequiredFields),
      std::string(tgb::kCheckImmutableFields),
      std::string(tgb::kCheckNodeSelector),
      std::string(tgb::kCheckTargetGroupVpcId),
      std::string(tgb::kCheckAssumeRoleConfig),
      std::string(tgb::kCheckTargetGroupProtocol),
      std::string(tgb::kCheckExistingTargetGroups),
      std::string(tgb::kCheckClusterView),
      std::string(tgb::kCheckSpec),
      "targetGroupARN",
      "targetGroupName",
      "multiClusterTargetGroup",
      "targetType",
      "targetGroupProtocol",
      "serviceRef",
      "networking",
      "nodeSelector",
      "ipAddressType",
      "vpcID",
      "iamRoleArnToAssume",
      "assumeRoleExternalId",
      std::string(tgb::kAllowedAccountsRule),
      std::string(tgb::kAllowedRegionsRule),
  };
  return kNames;
}

std::unique_ptr<Validator> MakeTargetGroupBindingValidator() {
  return std::make_unique<TargetGroupBindingValidator>();
}

}  // namespace albwebhook::rules