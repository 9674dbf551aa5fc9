// What the API server refuses in a new IngressClassParams before any webhook is called: the
// CRD's structural schema (config/crd/bases/elbv2.k8s.aws_ingressclassparams.yaml in the LBC),
// in the API server's words. Warnings of `alb-webhook check` only (see
// CheckIngressClassParamsSchema): the server never sees such an object.
//
// Checked: the type of every field the schema names (fields it does not name are pruned by the
// API server, not refused), the enums (scheme, ipAddressType, targetType), the required members
// (group.name, tags[].key and value, loadBalancerAttributes[].key and value,
// listeners[].listenerAttributes[].key and value, minimumLoadBalancerCapacity.capacityUnits,
// namespaceSelector.matchExpressions[].key and operator), the subnet ID pattern and at least one
// subnet ID. An object member's null is pruned before validation, as the API server prunes it
// for fields that are not nullable; a list item's null is not. Not checked: the CRD's CEL rule
// (not both `prefixListsIDs` and `PrefixListsIDs`), int32 ranges.
#include "rules/ingress_class_params/schema_checks.hpp"

#include <cmath>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "common/text.hpp"

namespace albwebhook::rules {
namespace {

using nlohmann::json;

enum class Type { kString, kInteger, kArray, kObject };

struct Node;
struct Property {
  std::string_view name;
  const Node* node;
  bool required = false;
};

struct Node {
  Type type;
  std::vector<std::string_view> enum_values = {};
  const Node* items = nullptr;            // kArray
  std::vector<Property> properties = {};  // kObject: the members the schema names
  const Node* additional = nullptr;       // kObject: the type of every other member (a map)
  bool subnet_id = false;                 // kString: pattern subnet-[0-9a-f]+
  std::size_t min_items = 0;              // kArray
};

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kString:
      return "string";
    case Type::kInteger:
      return "integer";
    case Type::kArray:
      return "array";
    case Type::kObject:
      return "object";
  }
  return "";
}

/// The JSON type as the API server's schema validation names it.
std::string_view JsonTypeName(const json& value) {
  if (value.is_object()) return "object";
  if (value.is_array()) return "array";
  if (value.is_string()) return "string";
  if (value.is_boolean()) return "boolean";
  if (value.is_number_integer()) return "integer";
  return "number";
}

bool HasType(const json& value, Type type) {
  switch (type) {
    case Type::kString:
      return value.is_string();
    case Type::kInteger:  // a float without a fraction is an integer to the schema validator
      return value.is_number_integer() ||
             (value.is_number_float() && std::isfinite(value.get<double>()) &&
              std::trunc(value.get<double>()) == value.get<double>());
    case Type::kArray:
      return value.is_array();
    case Type::kObject:
      return value.is_object();
  }
  return false;
}

/// subnet-[0-9a-f]+ somewhere in the value (an OpenAPI pattern is unanchored).
bool MatchesSubnetId(std::string_view value) {
  for (std::size_t at = value.find("subnet-"); at != std::string_view::npos;
       at = value.find("subnet-", at + 1)) {
    const std::size_t next = at + 7;
    if (next < value.size() && ((value[next] >= '0' && value[next] <= '9') ||
                                (value[next] >= 'a' && value[next] <= 'f'))) {
      return true;
    }
  }
  return false;
}

const Node& SpecSchema() {
  static const Node kString{Type::kString};
  static const Node kInteger{Type::kInteger};
  static const Node kStrings{Type::kArray, {}, &kString};
  static const Node kKeyValue{
      Type::kObject, {}, nullptr, {{"key", &kString, true}, {"value", &kString, true}}};
  static const Node kKeyValues{Type::kArray, {}, &kKeyValue};
  static const Node kSubnetId{Type::kString, {}, nullptr, {}, nullptr, true};
  static const Node kSubnetIds{Type::kArray, {}, &kSubnetId, {}, nullptr, false, 1};
  static const Node kSubnetTags{Type::kObject, {}, nullptr, {}, &kStrings};
  static const Node kSubnets{
      Type::kObject, {}, nullptr, {{"ids", &kSubnetIds}, {"tags", &kSubnetTags}}};
  static const Node kGroup{Type::kObject, {}, nullptr, {{"name", &kString, true}}};
  static const Node kListener{
      Type::kObject,
      {},
      nullptr,
      {{"listenerAttributes", &kKeyValues}, {"port", &kInteger}, {"protocol", &kString}}};
  static const Node kListeners{Type::kArray, {}, &kListener};
  static const Node kCapacity{Type::kObject, {}, nullptr, {{"capacityUnits", &kInteger, true}}};
  static const Node kIpam{Type::kObject, {}, nullptr, {{"ipv4IPAMPoolId", &kString}}};
  static const Node kRequirement{
      Type::kObject,
      {},
      nullptr,
      {{"key", &kString, true}, {"operator", &kString, true}, {"values", &kStrings}}};
  static const Node kRequirements{Type::kArray, {}, &kRequirement};
  static const Node kLabels{Type::kObject, {}, nullptr, {}, &kString};
  static const Node kSelector{Type::kObject,
                              {},
                              nullptr,
                              {{"matchExpressions", &kRequirements}, {"matchLabels", &kLabels}}};
  static const Node kScheme{Type::kString, {"internal", "internet-facing"}};
  static const Node kIpAddressType{Type::kString,
                                   {"ipv4", "dualstack", "dualstack-without-public-ipv4"}};
  static const Node kTargetType{Type::kString, {"instance", "ip"}};
  static const Node kSpec{Type::kObject,
                          {},
                          nullptr,
                          {{"PrefixListsIDs", &kStrings},
                           {"prefixListsIDs", &kStrings},
                           {"certificateArn", &kStrings},
                           {"group", &kGroup},
                           {"inboundCIDRs", &kStrings},
                           {"ipAddressType", &kIpAddressType},
                           {"ipamConfiguration", &kIpam},
                           {"listeners", &kListeners},
                           {"loadBalancerAttributes", &kKeyValues},
                           {"loadBalancerName", &kString},
                           {"minimumLoadBalancerCapacity", &kCapacity},
                           {"namespaceSelector", &kSelector},
                           {"scheme", &kScheme},
                           {"sslPolicy", &kString},
                           {"sslRedirectPort", &kString},
                           {"subnets", &kSubnets},
                           {"tags", &kKeyValues},
                           {"targetType", &kTargetType},
                           {"wafv2AclArn", &kString},
                           {"wafv2AclName", &kString}}};
  return kSpec;
}

class Walker {
 public:
  explicit Walker(Verdict& verdict) : verdict_(verdict) {}

  /// `member`: `value` is an object's member, whose null the API server prunes before
  /// validation (a list item's null it does not).
  void Walk(const json& value, const Node& node, const std::string& path, bool member = true) {
    if (value.is_null() && member) return;
    if (!HasType(value, node.type)) {
      TypeError(value, node, path);
      return;
    }
    switch (node.type) {
      case Type::kString:
        return String(value.get_ref<const std::string&>(), node, path);
      case Type::kInteger:
        return;
      case Type::kArray:
        if (value.size() < node.min_items) {
          Warn(path + ": Invalid value: " + std::to_string(value.size()) + ": " + path +
               " in body should have at least " + std::to_string(node.min_items) + " items");
        }
        for (std::size_t i = 0; i < value.size(); ++i) {
          Walk(value[i], *node.items, path + "[" + std::to_string(i) + "]", false);
        }
        return;
      case Type::kObject:
        return Object(value, node, path);
    }
  }

 private:
  /// `path: Invalid value: "got": path in body must be of type want: "got"`. The integers here
  /// are all `format: int32`: a number with a fraction reads as float64 and a boolean or an
  /// object as "" (kube-openapi's format check), other types as the JSON type.
  void TypeError(const json& value, const Node& node, const std::string& path) {
    std::string got(value.is_null() ? std::string_view("null") : JsonTypeName(value));
    std::string want(TypeName(node.type));
    if (node.type == Type::kInteger) {
      if (value.is_number_float()) {
        got = "float64";
        want = "int32";
      } else if (value.is_boolean() || value.is_object()) {
        got = "";
        want = "int32";
      }
    }
    Warn(path + ": Invalid value: \"" + got + "\": " + path + " in body must be of type " + want +
         ": \"" + got + "\"");
  }

  void String(const std::string& value, const Node& node, const std::string& path) {
    if (!node.enum_values.empty()) {
      for (std::string_view allowed : node.enum_values) {
        if (value == allowed) return;
      }
      std::string supported;
      for (std::string_view allowed : node.enum_values) {
        if (!supported.empty()) supported += ", ";
        supported.append("\"").append(allowed).append("\"");
      }
      Warn(path + ": Unsupported value: " + Quoted(value) + ": supported values: " + supported);
    }
    if (node.subnet_id && !MatchesSubnetId(value)) {
      Warn(path + ": Invalid value: " + Quoted(value) + ": " + path +
           " in body should match 'subnet-[0-9a-f]+'");
    }
  }

  void Object(const json& value, const Node& node, const std::string& path) {
    for (const Property& p : node.properties) {
      auto it = value.find(p.name);
      if (it == value.end() || it->is_null()) {
        if (p.required) Warn(path + "." + std::string(p.name) + ": Required value");
        continue;
      }
      Walk(*it, *p.node, path + "." + std::string(p.name));
    }
    if (node.additional == nullptr) return;
    for (const auto& [key, member] : value.items()) {
      Walk(member, *node.additional, path + "." + key);
    }
  }

  static std::string Quoted(std::string_view value) {
    return common::Quote(value, 256, common::QuoteEscapes::kGo);
  }
  void Warn(std::string message) { verdict_.Warn("api-server", std::move(message)); }

  Verdict& verdict_;
};

}  // namespace

void CheckIngressClassParamsSchema(const Context& ctx, const json& object, Verdict& verdict) {
  if (!ctx.offline || ctx.operation != api::Operation::kCreate || !object.is_object()) return;
  auto spec = object.find("spec");
  if (spec == object.end()) return;
  Walker(verdict).Walk(*spec, SpecSchema(), "spec");
}

}  // namespace albwebhook::rules
