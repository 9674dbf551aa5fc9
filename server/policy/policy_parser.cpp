// Policy file parsing: YAML -> typed Policy. Every key is checked; errors name the key path.
#include <yaml-cpp/yaml.h>

#include <optional>
#include <stdexcept>

#include "albwebhook/policy/policy.hpp"
#include "common/aws_formats.hpp"
#include "common/file.hpp"

namespace albwebhook::policy {
namespace {

constexpr std::string_view kDefaultPolicyYaml = R"(# alb-webhook policy: every key at its default.
ingress:
  classNames: [alb]
  manageIngressesWithoutClass: false
  disableIngressClassAnnotation: false
  disableIngressGroupNameAnnotation: false
  defaults:
    annotations: {}
    tags: {}
    loadBalancerAttributes: {}
    sslRedirect: false
    migrateClassAnnotation: false
  rules:
    internetFacing:      {mode: off, allowedNamespaces: []}
    wafRequired:         {mode: off}
    httpsRequired:       {mode: off}
    sslPolicies:         {mode: off, allowed: []}
    certificateAccounts: {mode: off, allowed: []}
    requiredTags:        {mode: off, keys: []}
    unknownAnnotations:  {mode: warn}
    groupOwnership:      {mode: off, groups: {}, unlisted: namespacePrefixed}
targetGroupBinding:
  clusterVpcID: ""
  defaults: {targetType: "", ipAddressType: "", vpcID: ""}
  rules:
    allowedAccounts: {mode: off, allowed: []}
    allowedRegions:  {mode: off, allowed: []}
)";

// Thrown inside the parser only; ParsePolicy turns it into an Error. The message is kept as a
// std::string: what() is a C string and would end at a NUL byte of a key.
struct PolicyError : std::runtime_error {
  explicit PolicyError(std::string text)
      : std::runtime_error("policy error"), message(std::move(text)) {}
  std::string message;
};

[[noreturn]] void Fail(const std::string& path, const std::string& what) {
  throw PolicyError(path + ": " + what);
}

// A key as it appears in an error's path: control bytes (NUL, newline, ESC...) written as \xNN, so
// that a message is never empty, cut short or split across log lines by the file's own bytes.
std::string DisplayKey(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (const char c : key) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      constexpr std::string_view kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4U];
      out += kHex[byte & 0xFU];
    } else {
      out += c;
    }
  }
  return out;
}

std::string Join(const std::string& parent, const std::string& key) {
  return parent.empty() ? DisplayKey(key) : parent + "." + DisplayKey(key);
}

using common::IsAccountId;
using common::IsRegion;
using common::IsVpcId;

// A YAML mapping walked key by key; unknown keys are reported when Finish() runs.
class MapReader {
 public:
  MapReader(const YAML::Node& node, std::string path) : node_(node), path_(std::move(path)) {
    if (!node_.IsMap()) Fail(path_.empty() ? "(top level)" : path_, "expected a mapping");
  }

  // Returns the child node if present and not null.
  std::optional<YAML::Node> Get(const std::string& key) {
    seen_.push_back(key);
    YAML::Node child = node_[key];
    if (!child.IsDefined() || child.IsNull()) return std::nullopt;
    return child;
  }

  std::string Path(const std::string& key) const { return Join(path_, key); }

  void Finish() const {
    for (const auto& entry : node_) {
      if (!entry.first.IsScalar())
        Fail(path_.empty() ? "(top level)" : path_, "keys must be strings");
      const auto key = entry.first.Scalar();
      bool known = false;
      for (const auto& s : seen_) known = known || s == key;
      if (!known) Fail(Join(path_, key), "unknown key");
    }
  }

 private:
  YAML::Node node_;
  std::string path_;
  std::vector<std::string> seen_;
};

std::string ReadString(const YAML::Node& node, const std::string& path) {
  if (!node.IsScalar()) Fail(path, "expected a string");
  return node.Scalar();
}

bool ReadBool(const YAML::Node& node, const std::string& path) {
  if (node.IsScalar()) {
    const auto& s = node.Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  Fail(path, "expected true or false");
}

std::vector<std::string> ReadStringList(const YAML::Node& node, const std::string& path) {
  if (!node.IsSequence()) Fail(path, "expected a list of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const auto item_path = path + "[" + std::to_string(i) + "]";
    auto value = ReadString(node[i], item_path);
    if (value.empty()) Fail(item_path, "must not be empty");
    out.push_back(std::move(value));
  }
  return out;
}

StringMap ReadStringMap(const YAML::Node& node, const std::string& path) {
  if (!node.IsMap()) Fail(path, "expected a mapping of strings to strings");
  StringMap out;
  for (const auto& entry : node) {
    if (!entry.first.IsScalar() || entry.first.Scalar().empty())
      Fail(path, "keys must be non-empty strings");
    const auto key = entry.first.Scalar();
    out.emplace_back(key, ReadString(entry.second, Join(path, key)));
  }
  return out;
}

Mode ReadMode(const YAML::Node& node, const std::string& path) {
  if (node.IsScalar()) {
    const auto& s = node.Scalar();
    if (s == "deny") return Mode::kDeny;
    if (s == "warn") return Mode::kWarn;
    if (s == "off") return Mode::kOff;
  }
  Fail(path, "expected one of deny, warn, off");
}

template <typename T, typename Fn>
void Optional(MapReader& map, const std::string& key, T& target, Fn read) {
  if (auto node = map.Get(key)) target = read(*node, map.Path(key));
}

// Reads the mapping at `key` of `parent`, when present and not null, with `read`, then reports its
// unknown keys.
template <typename Read>
void ReadSection(MapReader& parent, const std::string& key, Read read) {
  auto node = parent.Get(key);
  if (!node) return;
  MapReader map(*node, parent.Path(key));
  read(map);
  map.Finish();
}

// Reads the keys every rule accepts; `extra` reads the rule's own keys.
template <typename R, typename Extra>
void ReadRule(MapReader& parent, const std::string& key, R& rule, Extra extra) {
  ReadSection(parent, key, [&](MapReader& map) {
    Optional(map, "mode", rule.mode, ReadMode);
    Optional(map, "namespaces", rule.namespaces, ReadStringList);
    Optional(map, "excludeNamespaces", rule.exclude_namespaces, ReadStringList);
    extra(map);
  });
}

void NoExtra(MapReader& /*map*/) {}

// Reads `allowed` and checks every item with `valid`; `expected` names what an item must be.
void ReadAllowed(MapReader& map, std::vector<std::string>& allowed, bool (*valid)(std::string_view),
                 const char* expected) {
  Optional(map, "allowed", allowed, ReadStringList);
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    if (!valid(allowed[i])) Fail(map.Path("allowed") + "[" + std::to_string(i) + "]", expected);
  }
}

constexpr const char* kExpectedAccountId = "expected a 12-digit AWS account id";

UnlistedGroups ReadUnlistedGroups(const YAML::Node& node, const std::string& path) {
  const auto value = ReadString(node, path);
  if (value == "namespacePrefixed") return UnlistedGroups::kNamespacePrefixed;
  if (value == "allow") return UnlistedGroups::kAllow;
  if (value == "deny") return UnlistedGroups::kDeny;
  if (value == "sameNamespace") return UnlistedGroups::kSameNamespace;
  Fail(path, "expected one of namespacePrefixed, sameNamespace, allow, deny");
}

void ReadGroupOwnership(MapReader& m, GroupOwnershipRule& g) {
  if (auto groups = m.Get("groups")) {
    const auto path = m.Path("groups");
    if (!groups->IsMap()) Fail(path, "expected a mapping of group names to namespace lists");
    for (const auto& entry : *groups) {
      if (!entry.first.IsScalar() || entry.first.Scalar().empty())
        Fail(path, "keys must be non-empty strings");
      const auto name = entry.first.Scalar();
      g.groups.emplace_back(name, ReadStringList(entry.second, Join(path, name)));
    }
  }
  Optional(m, "unlisted", g.unlisted, ReadUnlistedGroups);
}

void ReadIngressRules(MapReader& rules, IngressRules& r) {
  ReadRule(rules, "internetFacing", r.internet_facing, [&](MapReader& m) {
    Optional(m, "allowedNamespaces", r.internet_facing.allowed_namespaces, ReadStringList);
  });
  ReadRule(rules, "wafRequired", r.waf_required, NoExtra);
  ReadRule(rules, "httpsRequired", r.https_required, NoExtra);
  ReadRule(rules, "sslPolicies", r.ssl_policies,
           [&](MapReader& m) { Optional(m, "allowed", r.ssl_policies.allowed, ReadStringList); });
  ReadRule(rules, "certificateAccounts", r.certificate_accounts, [&](MapReader& m) {
    ReadAllowed(m, r.certificate_accounts.allowed, IsAccountId, kExpectedAccountId);
  });
  ReadRule(rules, "requiredTags", r.required_tags,
           [&](MapReader& m) { Optional(m, "keys", r.required_tags.keys, ReadStringList); });
  ReadRule(rules, "unknownAnnotations", r.unknown_annotations, NoExtra);
  ReadRule(rules, "groupOwnership", r.group_ownership,
           [&](MapReader& m) { ReadGroupOwnership(m, r.group_ownership); });
}

void ReadIngress(MapReader& map, IngressPolicy& ing) {
  Optional(map, "classNames", ing.class_names, ReadStringList);
  Optional(map, "manageIngressesWithoutClass", ing.manage_ingresses_without_class, ReadBool);
  Optional(map, "disableIngressClassAnnotation", ing.disable_ingress_class_annotation, ReadBool);
  Optional(map, "disableIngressGroupNameAnnotation", ing.disable_ingress_group_name_annotation,
           ReadBool);
  ReadSection(map, "defaults", [&d = ing.defaults](MapReader& defaults) {
    Optional(defaults, "annotations", d.annotations, ReadStringMap);
    Optional(defaults, "tags", d.tags, ReadStringMap);
    Optional(defaults, "loadBalancerAttributes", d.load_balancer_attributes, ReadStringMap);
    Optional(defaults, "sslRedirect", d.ssl_redirect, ReadBool);
    Optional(defaults, "migrateClassAnnotation", d.migrate_class_annotation, ReadBool);
  });
  ReadSection(map, "rules", [&ing](MapReader& rules) { ReadIngressRules(rules, ing.rules); });
}

// Checked after the defaults mapping is read (and its unknown keys reported).
void CheckTargetGroupBindingDefaults(const TargetGroupBindingPolicy& tgb) {
  const auto& d = tgb.defaults;
  if (!d.target_type.empty() && d.target_type != "instance" && d.target_type != "ip") {
    Fail("targetGroupBinding.defaults.targetType", "expected \"\", instance or ip");
  }
  if (!d.ip_address_type.empty() && d.ip_address_type != "ipv4" && d.ip_address_type != "ipv6") {
    Fail("targetGroupBinding.defaults.ipAddressType", "expected \"\", ipv4 or ipv6");
  }
  if (d.vpc_id == "cluster" && tgb.cluster_vpc_id.empty()) {
    Fail("targetGroupBinding.defaults.vpcID",
         "\"cluster\" needs targetGroupBinding.clusterVpcID to be set");
  }
  if (!d.vpc_id.empty() && d.vpc_id != "cluster" && !IsVpcId(d.vpc_id)) {
    Fail("targetGroupBinding.defaults.vpcID",
         "expected \"\", cluster or a VPC id (vpc- and 8, 17 or 32 hex digits)");
  }
}

void ReadTargetGroupBinding(MapReader& map, TargetGroupBindingPolicy& tgb) {
  Optional(map, "clusterVpcID", tgb.cluster_vpc_id, ReadString);
  if (!tgb.cluster_vpc_id.empty() && !IsVpcId(tgb.cluster_vpc_id)) {
    Fail("targetGroupBinding.clusterVpcID", "expected a VPC id (vpc- and 8, 17 or 32 hex digits)");
  }
  ReadSection(map, "defaults", [&d = tgb.defaults](MapReader& defaults) {
    Optional(defaults, "targetType", d.target_type, ReadString);
    Optional(defaults, "ipAddressType", d.ip_address_type, ReadString);
    Optional(defaults, "vpcID", d.vpc_id, ReadString);
  });
  CheckTargetGroupBindingDefaults(tgb);
  ReadSection(map, "rules", [&r = tgb.rules](MapReader& rules) {
    ReadRule(rules, "allowedAccounts", r.allowed_accounts, [&](MapReader& m) {
      ReadAllowed(m, r.allowed_accounts.allowed, IsAccountId, kExpectedAccountId);
    });
    ReadRule(rules, "allowedRegions", r.allowed_regions, [&](MapReader& m) {
      ReadAllowed(m, r.allowed_regions.allowed, IsRegion,
                  "expected an AWS region such as us-east-1");
    });
  });
}

}  // namespace

std::string_view DefaultPolicyYaml() { return kDefaultPolicyYaml; }

Result<Policy> ParsePolicy(std::string_view yaml_text) {
  try {
    const YAML::Node root = YAML::Load(std::string(yaml_text));
    Policy policy;
    if (!root.IsDefined() || root.IsNull()) return policy;  // empty file = all defaults
    MapReader top(root, "");
    ReadSection(top, "ingress", [&](MapReader& map) { ReadIngress(map, policy.ingress); });
    ReadSection(top, "targetGroupBinding",
                [&](MapReader& map) { ReadTargetGroupBinding(map, policy.target_group_binding); });
    top.Finish();
    return policy;
  } catch (const PolicyError& e) {
    return Error{e.message};
  } catch (const YAML::Exception& e) {
    return Error{std::string("invalid YAML: ") + e.what()};
  } catch (const std::exception& e) {
    return Error{std::string("invalid policy: ") + e.what()};
  }
}

namespace {

Result<std::string> ReadFile(const std::string& path) {
  return common::ReadFile(
      path, [](common::ReadFileStep step, const std::string& file, std::string_view /*reason*/) {
        return (step == common::ReadFileStep::kOpen ? "cannot open policy file "
                                                    : "cannot read policy file ") +
               file;
      });
}

}  // namespace

Result<Policy> LoadPolicyFile(const std::string& path) {
  auto text = ReadFile(path);
  if (!text) return text.error();
  auto policy = ParsePolicy(*text);
  if (!policy) return Error{path + ": " + policy.error().message};
  return policy;
}

PolicyStore::PolicyStore(std::string path, Policy initial, std::string initial_text)
    : path_(std::move(path)),
      current_(std::make_shared<const Policy>(std::move(initial))),
      last_text_(std::move(initial_text)) {}

PolicyStore::ReloadOutcome PolicyStore::Reload(std::string* error) {
  if (path_.empty()) return ReloadOutcome::kUnchanged;
  std::lock_guard lock(reload_mutex_);
  auto text = ReadFile(path_);
  if (!text) {
    if (error) *error = text.error().message;
    return ReloadOutcome::kFailed;
  }
  if (*text == last_text_) return ReloadOutcome::kUnchanged;
  auto policy = ParsePolicy(*text);
  if (!policy) {
    if (error) *error = path_ + ": " + policy.error().message;
    // Remember the bad text so an unchanged bad file is reported once, not every poll.
    last_text_ = std::move(*text);
    return ReloadOutcome::kFailed;
  }
  current_.store(std::make_shared<const Policy>(std::move(*policy)));
  last_text_ = std::move(*text);
  return ReloadOutcome::kReloaded;
}

}  // namespace albwebhook::policy
