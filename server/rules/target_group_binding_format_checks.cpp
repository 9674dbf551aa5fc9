// TargetGroupBinding format checks: what the LBC leaves to AWS or the CRD schema (ARNs, names,
// enums, ports, networking peers, node selectors), each reported with the format it wants.
#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "common/aws_formats.hpp"
#include "common/json_type.hpp"
#include "common/kubernetes_formats.hpp"
#include "common/text.hpp"
#include "rules/target_group_binding_checks.hpp"
#include "rules/target_group_binding_fields.hpp"

namespace albwebhook::rules::tgb {
namespace {

using nlohmann::json;

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

bool Contains(std::span<const std::string_view> list, std::string_view value) {
  for (auto item : list) {
    if (item == value) return true;
  }
  return false;
}

/// A scalar shown in a message: quoted string, number as written, or the JSON type name.
std::string Shown(const json& value) {
  if (value.is_string()) return Quote(value.get_ref<const std::string&>());
  if (value.is_number() || value.is_boolean()) return common::JsonText(value);
  return common::JsonTypeName(value);
}

/// Reports a value that is set but not of the type `is` tests (`want` names it); true when it is.
bool ExpectType(Verdict& verdict, std::string_view check, const std::string& path,
                const json& value, bool (json::*is)() const noexcept, std::string_view want) {
  if ((value.*is)()) return true;
  verdict.Deny(std::string(check), WrongType(path, want, value));
  return false;
}

bool ExpectString(Verdict& verdict, std::string_view check, const std::string& path,
                  const json& value) {
  return ExpectType(verdict, check, path, value, &json::is_string, "a string");
}

bool ExpectArray(Verdict& verdict, std::string_view check, const std::string& path,
                 const json& value) {
  return ExpectType(verdict, check, path, value, &json::is_array, "an array");
}

/// A string field of the spec with a format: unset or "" is fine, otherwise it must be valid.
struct StringFormat {
  const char* field;  // also the check name
  bool (*valid)(std::string_view);
  std::string_view what;  // "target group ARN"
  std::string_view want;  // the format, for the message
};

void CheckStringFormat(Verdict& verdict, const json& spec, const StringFormat& format) {
  const std::string path = std::string("spec.") + format.field;
  const json* value = Find(spec, format.field);
  if (value == nullptr || !ExpectString(verdict, format.field, path, *value)) return;
  const auto& text = value->get_ref<const std::string&>();
  if (text.empty() || format.valid(text)) return;
  verdict.Deny(format.field, path + " " + Quote(text) + " is not a valid " +
                                 std::string(format.what) + " (" + std::string(format.want) + ")");
}

void CheckEnum(Verdict& verdict, std::string_view check, const std::string& path, const json* value,
               std::span<const std::string_view> allowed) {
  if (value == nullptr || !ExpectString(verdict, check, path, *value)) return;
  const auto& text = value->get_ref<const std::string&>();
  if (Contains(allowed, text)) return;
  verdict.Deny(std::string(check), path + " " + Quote(text) + " is not supported (want one of: " +
                                       common::JoinList(allowed) + ")");
}

/// Whose port an IntOrString names: a Service's (a DNS-1123 label, up to 63 characters) or a
/// container's (IANA_SVC_NAME, up to 15).
enum class PortOwner { kService, kContainer };

/// IntOrString port: an integer 1-65535 or a port name.
void CheckPort(Verdict& verdict, std::string_view check, const std::string& path, const json& port,
               PortOwner owner) {
  bool valid = false;
  if (port.is_number_unsigned()) {
    const auto n = port.get<std::uint64_t>();
    valid = n >= 1 && n <= 65535;
  } else if (port.is_number_integer()) {
    const auto n = port.get<std::int64_t>();
    valid = n >= 1 && n <= 65535;
  } else if (port.is_string()) {
    const std::string& name = port.get_ref<const std::string&>();
    valid = owner == PortOwner::kService ? common::IsDns1123Label(name) : common::IsPortName(name);
  } else if (!port.is_number()) {
    verdict.Deny(std::string(check), WrongType(path, "an integer or a string", port));
    return;
  }
  if (!valid) {
    verdict.Deny(std::string(check), path + " " + Shown(port) + " is not a valid port (" +
                                         std::string(kWantPort) + ")");
  }
}

// ---- Format checks (what the LBC leaves to AWS or the CRD schema) -------------------------

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
             !common::IsDns1035Label(name->get_ref<const std::string&>())) {
    verdict.Deny(std::string(kCheck), "spec.serviceRef.name " + Shown(*name) +
                                          " is not a valid Service name (" +
                                          std::string(kWantServiceName) + ")");
  }
  const json* port = Find(*ref, "port");
  if (port == nullptr) {
    verdict.Deny(std::string(kCheck), "spec.serviceRef.port is required");
  } else {
    CheckPort(verdict, kCheck, "spec.serviceRef.port", *port, PortOwner::kService);
    // "80" (quoted) is a legal Service port *name* (DNS-1123 labels may be all digits), so the LBC
    // looks it up by name; almost always a quoted number was meant.
    if (port->is_string() && !port->get_ref<const std::string&>().empty() &&
        common::AllChars(port->get_ref<const std::string&>(), common::IsAsciiDigit)) {
      verdict.Warn(std::string(kCheck),
                   "spec.serviceRef.port " + Shown(*port) +
                       " is a string: the LBC looks it up as a Service port name; write the port "
                       "number without quotes");
    }
  }
}

void CheckNetworkingPeer(Verdict& verdict, const std::string& path, const json& peer) {
  constexpr std::string_view kCheck = "networking";
  if (!ExpectObject(verdict, kCheck, path, peer)) return;
  const json* cidr = nullptr;
  const json* group_id = nullptr;
  bool typed = true;
  const json* ip_block = Find(peer, "ipBlock");
  if (ip_block != nullptr) {
    typed = ExpectObject(verdict, kCheck, path + ".ipBlock", *ip_block) && typed;
    cidr = Find(*ip_block, "cidr");
  }
  const json* group = Find(peer, "securityGroup");
  if (group != nullptr) {
    typed = ExpectObject(verdict, kCheck, path + ".securityGroup", *group) && typed;
    group_id = Find(*group, "groupID");
  }
  if (typed && cidr == nullptr && group_id == nullptr) {
    // The LBC: "either ipBlock or securityGroup should be specified".
    verdict.Deny(std::string(kCheck),
                 path + " must set one of ipBlock.cidr and securityGroup.groupID");
  }
  // With both, the LBC uses the security group and never reads the ipBlock
  // (computePermissionsForPeerPort); the API says to set only one.
  if (group != nullptr && ip_block != nullptr) {
    verdict.Warn(std::string(kCheck), path +
                                          " sets both ipBlock and securityGroup: the LBC uses "
                                          "securityGroup and ignores ipBlock; set only one");
    cidr = nullptr;
  }
  if (cidr != nullptr && ExpectString(verdict, kCheck, path + ".ipBlock.cidr", *cidr) &&
      !common::IsValidCidr(cidr->get_ref<const std::string&>())) {
    verdict.Deny(std::string(kCheck), path + ".ipBlock.cidr " + Shown(*cidr) +
                                          " is not a valid CIDR (" + std::string(kWantCidr) + ")");
  }
  if (group_id != nullptr &&
      ExpectString(verdict, kCheck, path + ".securityGroup.groupID", *group_id) &&
      !common::IsSecurityGroupId(group_id->get_ref<const std::string&>())) {
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
  CheckPort(verdict, kCheck, path + ".port", *port, PortOwner::kContainer);
  // Instance targets are reached through NodePorts, so a named (pod) port cannot be resolved.
  if (instance_targets && port->is_string() &&
      common::IsPortName(port->get_ref<const std::string&>())) {
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
  if (common::IsLabelKey(key)) return;
  verdict.Deny("nodeSelector", path + " " + Quote(key) + " is not a valid label key (" +
                                   std::string(kWantLabelKey) + ")");
}

void CheckLabelValue(Verdict& verdict, const std::string& path, const json& value) {
  if (!ExpectString(verdict, "nodeSelector", path, value)) return;
  if (common::IsLabelValue(value.get_ref<const std::string&>())) return;
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

}  // namespace

std::string Quote(std::string_view value) {
  return common::Quote(value, kMaxShownValue, common::QuoteEscapes::kJson);
}

std::string WrongType(const std::string& path, std::string_view want, const json& value) {
  return path + " must be " + std::string(want) + ", got " + common::JsonTypeName(value);
}

bool ExpectObject(Verdict& verdict, std::string_view check, const std::string& path,
                  const json& value) {
  return ExpectType(verdict, check, path, value, &json::is_object, "an object");
}

void CheckFormats(Verdict& verdict, const json& spec) {
  CheckStringFormat(
      verdict, spec,
      {"targetGroupARN", common::IsTargetGroupArn, "target group ARN", kWantTargetGroupArn});
  CheckStringFormat(
      verdict, spec,
      {"targetGroupName", common::IsElbName, "target group name", kWantTargetGroupName});
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
  CheckStringFormat(verdict, spec,
                    {"iamRoleArnToAssume", common::IsIamRoleArn, "IAM role ARN", kWantRoleArn});
  CheckStringType(verdict, spec, "assumeRoleExternalId");
}

}  // namespace albwebhook::rules::tgb
