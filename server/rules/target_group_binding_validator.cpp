// TargetGroupBinding validation: the LBC's checks that need no AWS call (same order, same text),
// then format checks the LBC leaves to AWS, then policy rules. Every violation is reported.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "albwebhook/rules/target_group_binding.hpp"
#include "rules/aws_formats.hpp"
#include "rules/target_group_binding_fields.hpp"
#include "rules/target_group_binding_formats.hpp"

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

// Our format checks' expectations.
constexpr std::string_view kWantTargetGroupArn =
    "want arn:<partition>:elasticloadbalancing:<region>:<12-digit account id>:targetgroup/<name>/"
    "<16 hex digits>";
constexpr std::string_view kWantTargetGroupName =
    "want 1-32 alphanumeric characters or hyphens, not beginning or ending with a hyphen";
constexpr std::string_view kWantRoleArn =
    "want arn:<partition>:iam::<12-digit account id>:role/[<path>/]<role name>";
constexpr std::string_view kWantServiceName =
    "want a DNS-1035 label: at most 63 lowercase alphanumeric characters or '-', beginning with a "
    "letter and ending with an alphanumeric character";
constexpr std::string_view kWantPort = "want an integer 1-65535 or a port name";
constexpr std::string_view kWantCidr =
    "want an IPv4 or IPv6 address and prefix length, e.g. 10.0.0.0/16";
constexpr std::string_view kWantSecurityGroupId =
    "want sg- followed by 8 or 17 lowercase hex digits";
constexpr std::string_view kWantLabelKey =
    "want [<DNS subdomain>/]<name>, name at most 63 characters of [A-Za-z0-9._-] beginning and "
    "ending with an alphanumeric character";
constexpr std::string_view kWantLabelValue =
    "want empty, or at most 63 characters of [A-Za-z0-9._-] beginning and ending with an "
    "alphanumeric character";

constexpr std::array<std::string_view, 2> kTargetTypes = {"instance", "ip"};
constexpr std::array<std::string_view, 2> kIpAddressTypes = {"ipv4", "ipv6"};
constexpr std::array<std::string_view, 8> kProtocols = {"HTTP", "HTTPS",   "TCP",  "TLS",
                                                        "UDP",  "TCP_UDP", "QUIC", "TCP_QUIC"};
constexpr std::array<std::string_view, 2> kNetworkingProtocols = {"TCP", "UDP"};
constexpr std::array<std::string_view, 4> kSelectorOperators = {"In", "NotIn", "Exists",
                                                                "DoesNotExist"};

// Values longer than this are cut in our messages (deterministically, so ratcheting still works).
constexpr std::size_t kMaxShownValue = 128;

const json& EmptyObject() {
  static const json kEmpty = json::object();
  return kEmpty;
}

bool Contains(std::span<const std::string_view> list, std::string_view value) {
  for (auto item : list) {
    if (item == value) return true;
  }
  return false;
}

std::string Join(std::span<const std::string_view> list, std::string_view separator) {
  std::string out;
  for (auto item : list) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

/// A string shown in a message: JSON-quoted (control characters escaped), cut when long.
std::string Quote(std::string_view value) {
  const bool cut = value.size() > kMaxShownValue;
  std::string shown = json(std::string(value.substr(0, kMaxShownValue)))
                          .dump(-1, ' ', false, json::error_handler_t::replace);
  if (cut) shown.insert(shown.size() - 1, "...");
  return shown;
}

/// A scalar shown in a message: quoted string, number as written, or the JSON type name.
std::string Shown(const json& value) {
  if (value.is_string()) return Quote(value.get_ref<const std::string&>());
  if (value.is_number() || value.is_boolean()) return value.dump();
  return value.type_name();
}

std::string WrongType(const std::string& path, std::string_view want, const json& value) {
  return path + " must be " + std::string(want) + ", got " + value.type_name();
}

/// Reports a value that is set but not a string; true when it is a string.
bool ExpectString(Verdict& verdict, std::string_view check, const std::string& path,
                  const json& value) {
  if (value.is_string()) return true;
  verdict.Deny(std::string(check), WrongType(path, "a string", value));
  return false;
}

bool ExpectObject(Verdict& verdict, std::string_view check, const std::string& path,
                  const json& value) {
  if (value.is_object()) return true;
  verdict.Deny(std::string(check), WrongType(path, "an object", value));
  return false;
}

bool ExpectArray(Verdict& verdict, std::string_view check, const std::string& path,
                 const json& value) {
  if (value.is_array()) return true;
  verdict.Deny(std::string(check), WrongType(path, "an array", value));
  return false;
}

void CheckEnum(Verdict& verdict, std::string_view check, const std::string& path, const json* value,
               std::span<const std::string_view> allowed) {
  if (value == nullptr || !ExpectString(verdict, check, path, *value)) return;
  const auto& text = value->get_ref<const std::string&>();
  if (Contains(allowed, text)) return;
  verdict.Deny(std::string(check), path + " " + Quote(text) + " is not supported (want one of: " +
                                       Join(allowed, ", ") + ")");
}

/// IntOrString port: an integer 1-65535 or a port name (IANA_SVC_NAME).
void CheckPort(Verdict& verdict, std::string_view check, const std::string& path,
               const json& port) {
  bool valid = false;
  if (port.is_number_unsigned()) {
    const auto n = port.get<std::uint64_t>();
    valid = n >= 1 && n <= 65535;
  } else if (port.is_number_integer()) {
    const auto n = port.get<std::int64_t>();
    valid = n >= 1 && n <= 65535;
  } else if (port.is_string()) {
    valid = tgb::IsPortName(port.get_ref<const std::string&>());
  } else if (!port.is_number()) {
    verdict.Deny(std::string(check), WrongType(path, "an integer or a string", port));
    return;
  }
  if (!valid) {
    verdict.Deny(std::string(check), path + " " + Shown(port) + " is not a valid port (" +
                                         std::string(kWantPort) + ")");
  }
}

// ---- LBC parity checks --------------------------------------------------------------------

void CheckRequiredFields(Verdict& verdict, const json& spec) {
  std::vector<std::string_view> missing;
  if (!IsSetString(Find(spec, "targetGroupARN")) && !IsSetString(Find(spec, "targetGroupName"))) {
    missing.push_back(kRequiredArnOrName);
  }
  if (Find(spec, "targetType") == nullptr) missing.push_back(kRequiredTargetType);
  if (missing.empty()) return;
  verdict.Deny(std::string(tgb::kCheckRequiredFields),
               std::string(kRequiredFieldsPrefix) + Join(missing, ","));
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
    // Only "" -> the cluster VPC is allowed.
    return new_value != nullptr && !(new_value->is_string() && !cluster_vpc_id.empty() &&
                                     StringOf(new_value) == cluster_vpc_id);
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
  verdict.Deny(std::string(tgb::kCheckImmutableFields),
               std::string(kImmutableFieldsPrefix) + Join(changed, ","));
}

void CheckNodeSelector(Verdict& verdict, const json& spec) {
  // An empty selector {} counts as set.
  if (StringOf(Find(spec, "targetType")) == "ip" && Find(spec, "nodeSelector") != nullptr) {
    verdict.Deny(std::string(tgb::kCheckNodeSelector), std::string(kNodeSelectorWithIp));
  }
}

void CheckTargetGroupVpcId(Verdict& verdict, const json& spec) {
  const std::string_view vpc_id = StringOf(Find(spec, "vpcID"));
  if (vpc_id.empty() || IsVpcId(vpc_id)) return;
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

// ---- Format checks (what the LBC leaves to AWS or the CRD schema) -------------------------

void CheckTargetGroupArnFormat(Verdict& verdict, const json& spec) {
  constexpr std::string_view kCheck = "targetGroupARN";
  const json* arn = Find(spec, "targetGroupARN");
  if (arn == nullptr || !ExpectString(verdict, kCheck, "spec.targetGroupARN", *arn)) return;
  const auto& text = arn->get_ref<const std::string&>();
  if (text.empty() || IsTargetGroupArn(text)) return;
  verdict.Deny(std::string(kCheck), "spec.targetGroupARN " + Quote(text) +
                                        " is not a valid target group ARN (" +
                                        std::string(kWantTargetGroupArn) + ")");
}

void CheckTargetGroupNameFormat(Verdict& verdict, const json& spec) {
  constexpr std::string_view kCheck = "targetGroupName";
  const json* name = Find(spec, "targetGroupName");
  if (name == nullptr || !ExpectString(verdict, kCheck, "spec.targetGroupName", *name)) return;
  const auto& text = name->get_ref<const std::string&>();
  if (text.empty() || tgb::IsTargetGroupName(text)) return;
  verdict.Deny(std::string(kCheck), "spec.targetGroupName " + Quote(text) +
                                        " is not a valid target group name (" +
                                        std::string(kWantTargetGroupName) + ")");
}

void CheckMultiClusterTargetGroup(Verdict& verdict, const json& spec) {
  const json* value = Find(spec, "multiClusterTargetGroup");
  if (value == nullptr || value->is_boolean()) return;
  verdict.Deny("multiClusterTargetGroup",
               WrongType("spec.multiClusterTargetGroup", "a boolean", *value));
}

void CheckServiceRef(Verdict& verdict, const json& spec) {
  constexpr std::string_view kCheck = "serviceRef";
  const json* ref = Find(spec, "serviceRef");
  if (ref == nullptr) {
    verdict.Deny(std::string(kCheck), "spec.serviceRef is required");
    return;
  }
  if (!ExpectObject(verdict, kCheck, "spec.serviceRef", *ref)) return;
  const json* name = Find(*ref, "name");
  if (!IsSetString(name)) {
    verdict.Deny(std::string(kCheck), "spec.serviceRef.name is required");
  } else if (ExpectString(verdict, kCheck, "spec.serviceRef.name", *name) &&
             !tgb::IsDns1035Label(name->get_ref<const std::string&>())) {
    verdict.Deny(std::string(kCheck), "spec.serviceRef.name " + Shown(*name) +
                                          " is not a valid Service name (" +
                                          std::string(kWantServiceName) + ")");
  }
  const json* port = Find(*ref, "port");
  if (port == nullptr) {
    verdict.Deny(std::string(kCheck), "spec.serviceRef.port is required");
  } else {
    CheckPort(verdict, kCheck, "spec.serviceRef.port", *port);
  }
}

void CheckNetworkingPeer(Verdict& verdict, const std::string& path, const json& peer) {
  constexpr std::string_view kCheck = "networking";
  if (!ExpectObject(verdict, kCheck, path, peer)) return;
  const json* cidr = nullptr;
  const json* group_id = nullptr;
  bool typed = true;
  if (const json* ip_block = Find(peer, "ipBlock"); ip_block != nullptr) {
    typed = ExpectObject(verdict, kCheck, path + ".ipBlock", *ip_block) && typed;
    cidr = Find(*ip_block, "cidr");
  }
  if (const json* group = Find(peer, "securityGroup"); group != nullptr) {
    typed = ExpectObject(verdict, kCheck, path + ".securityGroup", *group) && typed;
    group_id = Find(*group, "groupID");
  }
  if (typed && (cidr == nullptr) == (group_id == nullptr)) {
    verdict.Deny(std::string(kCheck),
                 path + " must set exactly one of ipBlock.cidr and securityGroup.groupID");
  }
  if (cidr != nullptr && ExpectString(verdict, kCheck, path + ".ipBlock.cidr", *cidr) &&
      !IsValidCidr(cidr->get_ref<const std::string&>())) {
    verdict.Deny(std::string(kCheck), path + ".ipBlock.cidr " + Shown(*cidr) +
                                          " is not a valid CIDR (" + std::string(kWantCidr) + ")");
  }
  if (group_id != nullptr &&
      ExpectString(verdict, kCheck, path + ".securityGroup.groupID", *group_id) &&
      !IsSecurityGroupId(group_id->get_ref<const std::string&>())) {
    verdict.Deny(std::string(kCheck), path + ".securityGroup.groupID " + Shown(*group_id) +
                                          " is not a valid security group ID (" +
                                          std::string(kWantSecurityGroupId) + ")");
  }
}

void CheckNetworkingPort(Verdict& verdict, const std::string& path, const json& entry,
                         bool instance_targets) {
  constexpr std::string_view kCheck = "networking";
  if (!ExpectObject(verdict, kCheck, path, entry)) return;
  CheckEnum(verdict, kCheck, path + ".protocol", Find(entry, "protocol"), kNetworkingProtocols);
  const json* port = Find(entry, "port");  // unset = all ports
  if (port == nullptr) return;
  CheckPort(verdict, kCheck, path + ".port", *port);
  // Instance targets are reached through NodePorts, so a named (pod) port cannot be resolved.
  if (instance_targets && port->is_string() &&
      tgb::IsPortName(port->get_ref<const std::string&>())) {
    verdict.Deny(std::string(kCheck), path + ".port " + Shown(*port) +
                                          " must be numeric when spec.targetType is instance");
  }
}

void CheckNetworking(Verdict& verdict, const json& spec) {
  constexpr std::string_view kCheck = "networking";
  const json* networking = Find(spec, "networking");
  if (networking == nullptr || !ExpectObject(verdict, kCheck, "spec.networking", *networking)) {
    return;
  }
  const json* ingress = Find(*networking, "ingress");
  if (ingress == nullptr || !ExpectArray(verdict, kCheck, "spec.networking.ingress", *ingress)) {
    return;
  }
  const bool instance_targets = StringOf(Find(spec, "targetType")) == "instance";
  for (std::size_t i = 0; i < ingress->size(); ++i) {
    const std::string path = "spec.networking.ingress[" + std::to_string(i) + "]";
    const json& rule = (*ingress)[i];
    if (!ExpectObject(verdict, kCheck, path, rule)) continue;
    const json* from = Find(rule, "from");
    if (from == nullptr) {
      verdict.Deny(std::string(kCheck), path + ".from is required");
    } else if (ExpectArray(verdict, kCheck, path + ".from", *from)) {
      for (std::size_t j = 0; j < from->size(); ++j) {
        CheckNetworkingPeer(verdict, path + ".from[" + std::to_string(j) + "]", (*from)[j]);
      }
    }
    const json* ports = Find(rule, "ports");
    if (ports == nullptr) {
      verdict.Deny(std::string(kCheck), path + ".ports is required");
    } else if (ExpectArray(verdict, kCheck, path + ".ports", *ports)) {
      for (std::size_t j = 0; j < ports->size(); ++j) {
        CheckNetworkingPort(verdict, path + ".ports[" + std::to_string(j) + "]", (*ports)[j],
                            instance_targets);
      }
    }
  }
}

void CheckLabelKey(Verdict& verdict, const std::string& path, std::string_view key) {
  if (tgb::IsLabelKey(key)) return;
  verdict.Deny("nodeSelector", path + " " + Quote(key) + " is not a valid label key (" +
                                   std::string(kWantLabelKey) + ")");
}

void CheckLabelValue(Verdict& verdict, const std::string& path, const json& value) {
  if (!ExpectString(verdict, "nodeSelector", path, value)) return;
  if (tgb::IsLabelValue(value.get_ref<const std::string&>())) return;
  verdict.Deny("nodeSelector", path + " " + Shown(value) + " is not a valid label value (" +
                                   std::string(kWantLabelValue) + ")");
}

void CheckSelectorExpression(Verdict& verdict, const std::string& path, const json& expression) {
  constexpr std::string_view kCheck = "nodeSelector";
  if (!ExpectObject(verdict, kCheck, path, expression)) return;
  const json* key = Find(expression, "key");
  if (key == nullptr) {
    verdict.Deny(std::string(kCheck), path + ".key is required");
  } else if (ExpectString(verdict, kCheck, path + ".key", *key)) {
    CheckLabelKey(verdict, path + ".key", key->get_ref<const std::string&>());
  }
  const json* op = Find(expression, "operator");
  if (op == nullptr) {
    verdict.Deny(std::string(kCheck), path + ".operator is required");
  } else {
    CheckEnum(verdict, kCheck, path + ".operator", op, kSelectorOperators);
  }
  const json* values = Find(expression, "values");
  std::size_t count = 0;
  if (values != nullptr && ExpectArray(verdict, kCheck, path + ".values", *values)) {
    count = values->size();
    for (std::size_t i = 0; i < count; ++i) {
      CheckLabelValue(verdict, path + ".values[" + std::to_string(i) + "]", (*values)[i]);
    }
  }
  const std::string_view op_name = StringOf(op);
  if ((op_name == "In" || op_name == "NotIn") && count == 0) {
    verdict.Deny(std::string(kCheck),
                 path + ".values must be non-empty when operator is " + std::string(op_name));
  } else if ((op_name == "Exists" || op_name == "DoesNotExist") && count != 0) {
    verdict.Deny(std::string(kCheck),
                 path + ".values must be empty when operator is " + std::string(op_name));
  }
}

void CheckNodeSelectorFormat(Verdict& verdict, const json& spec) {
  constexpr std::string_view kCheck = "nodeSelector";
  const json* selector = Find(spec, "nodeSelector");
  if (selector == nullptr || !ExpectObject(verdict, kCheck, "spec.nodeSelector", *selector)) {
    return;
  }
  if (const json* labels = Find(*selector, "matchLabels");
      labels != nullptr &&
      ExpectObject(verdict, kCheck, "spec.nodeSelector.matchLabels", *labels)) {
    for (const auto& [key, value] : labels->items()) {
      CheckLabelKey(verdict, "spec.nodeSelector.matchLabels key", key);
      CheckLabelValue(verdict, "spec.nodeSelector.matchLabels[" + Quote(key) + "]", value);
    }
  }
  if (const json* expressions = Find(*selector, "matchExpressions");
      expressions != nullptr &&
      ExpectArray(verdict, kCheck, "spec.nodeSelector.matchExpressions", *expressions)) {
    for (std::size_t i = 0; i < expressions->size(); ++i) {
      CheckSelectorExpression(verdict,
                              "spec.nodeSelector.matchExpressions[" + std::to_string(i) + "]",
                              (*expressions)[i]);
    }
  }
}

void CheckStringType(Verdict& verdict, const json& spec, const char* key) {
  if (const json* value = Find(spec, key); value != nullptr) {
    ExpectString(verdict, key, std::string("spec.") + key, *value);
  }
}

void CheckIamRoleArnFormat(Verdict& verdict, const json& spec) {
  constexpr std::string_view kCheck = "iamRoleArnToAssume";
  const json* arn = Find(spec, "iamRoleArnToAssume");
  if (arn == nullptr || !ExpectString(verdict, kCheck, "spec.iamRoleArnToAssume", *arn)) return;
  const auto& text = arn->get_ref<const std::string&>();
  if (text.empty() || IsIamRoleArn(text)) return;
  verdict.Deny(std::string(kCheck), "spec.iamRoleArnToAssume " + Quote(text) +
                                        " is not a valid IAM role ARN (" +
                                        std::string(kWantRoleArn) + ")");
}

// ---- Policy -------------------------------------------------------------------------------

std::string AllowedList(const std::vector<std::string>& allowed) {
  if (allowed.empty()) return "none";
  std::string out;
  for (const auto& item : allowed) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

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
                     " of " + std::string(field) +
                     " is not allowed (allowed: " + AllowedList(rule.allowed) + ")");
}

std::optional<Arn> WellFormedArn(std::string_view text, bool (*well_formed)(std::string_view)) {
  if (!well_formed(text)) return std::nullopt;
  return ParseArn(text);
}

void CheckPolicy(Verdict& verdict, const policy::TargetGroupBindingRules& rules,
                 std::string_view ns, const json& spec) {
  // Malformed ARNs are reported by the format checks; the policy looks only at well-formed ones.
  const auto target_group = WellFormedArn(StringOf(Find(spec, "targetGroupARN")), IsTargetGroupArn);
  const auto role = WellFormedArn(StringOf(Find(spec, "iamRoleArnToAssume")), IsIamRoleArn);
  if (const auto mode = rules.allowed_accounts.ModeFor(ns); mode != policy::Mode::kOff) {
    if (target_group) {
      CheckAllowList(verdict, rules.allowed_accounts, mode, tgb::kAllowedAccountsRule, "account",
                     target_group->account, "spec.targetGroupARN");
    }
    if (role) {
      CheckAllowList(verdict, rules.allowed_accounts, mode, tgb::kAllowedAccountsRule, "account",
                     role->account, "spec.iamRoleArnToAssume");
    }
  }
  if (const auto mode = rules.allowed_regions.ModeFor(ns); mode != policy::Mode::kOff) {
    if (target_group) {
      CheckAllowList(verdict, rules.allowed_regions, mode, tgb::kAllowedRegionsRule, "region",
                     target_group->region, "spec.targetGroupARN");
    }
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
                   WrongType("the TargetGroupBinding", "an object", object));
      return verdict;
    }
    const json* spec_value = tgb::FindSpec(object);
    if (spec_value != nullptr && !ExpectObject(verdict, tgb::kCheckSpec, "spec", *spec_value)) {
      return verdict;
    }
    const json& spec = spec_value != nullptr ? *spec_value : EmptyObject();
    const auto& tgb_policy = ctx.policy.target_group_binding;

    // LBC parity, in the LBC's order (CREATE and UPDATE orders merged).
    CheckRequiredFields(verdict, spec);
    if (update && old_object.is_object()) {
      const json* old_spec = tgb::FindSpec(old_object);
      CheckImmutableFields(verdict, spec,
                           old_spec != nullptr && old_spec->is_object() ? *old_spec : EmptyObject(),
                           tgb_policy.cluster_vpc_id);
    }
    CheckNodeSelector(verdict, spec);
    CheckTargetGroupVpcId(verdict, spec);
    CheckAssumeRoleConfig(verdict, spec);
    CheckTargetGroupProtocol(verdict, spec);

    // Formats, in the CRD's field order.
    CheckTargetGroupArnFormat(verdict, spec);
    CheckTargetGroupNameFormat(verdict, spec);
    CheckMultiClusterTargetGroup(verdict, spec);
    CheckEnum(verdict, "targetType", "spec.targetType", Find(spec, "targetType"), kTargetTypes);
    CheckEnum(verdict, "targetGroupProtocol", "spec.targetGroupProtocol",
              Find(spec, "targetGroupProtocol"), kProtocols);
    CheckServiceRef(verdict, spec);
    CheckNetworking(verdict, spec);
    CheckNodeSelectorFormat(verdict, spec);
    CheckEnum(verdict, "ipAddressType", "spec.ipAddressType", Find(spec, "ipAddressType"),
              kIpAddressTypes);
    CheckStringType(verdict, spec, "vpcID");
    CheckIamRoleArnFormat(verdict, spec);
    CheckStringType(verdict, spec, "assumeRoleExternalId");

    // Policy. request.namespace is authoritative; offline checks may only have the object's own.
    std::string_view ns = ctx.ns;
    if (const json* metadata = Find(object, "metadata"); ns.empty() && metadata != nullptr) {
      ns = StringOf(Find(*metadata, "namespace"));
    }
    CheckPolicy(verdict, tgb_policy.rules, ns, spec);
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
