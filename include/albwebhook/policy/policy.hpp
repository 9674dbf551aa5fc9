#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "albwebhook/util/result.hpp"

namespace albwebhook::policy {

/// A rule's mode: deny the request, allow it with a warning, or do nothing.
enum class Mode { kOff, kWarn, kDeny };
const char* ModeName(Mode mode);

/// Ordered string map (document order is kept so merged defaults come out in a stable order).
using StringMap = std::vector<std::pair<std::string, std::string>>;

/// Shell-style glob: `*` matches any run (including empty), `?` one character. Everything else
/// literal.
bool GlobMatch(std::string_view pattern, std::string_view text);
/// True when any pattern in `patterns` matches `text`.
bool AnyGlobMatch(const std::vector<std::string>& patterns, std::string_view text);

/// Fields every rule accepts.
struct Rule {
  Mode mode = Mode::kOff;
  std::vector<std::string> namespaces;          // empty = everywhere; globs
  std::vector<std::string> exclude_namespaces;  // globs

  /// Mode in force for an object in namespace `ns` (kOff when out of the rule's namespaces).
  Mode ModeFor(std::string_view ns) const;

  bool operator==(const Rule&) const = default;
};

struct InternetFacingRule : Rule {
  std::vector<std::string> allowed_namespaces;  // globs

  bool operator==(const InternetFacingRule&) const = default;
};
struct AllowListRule : Rule {
  std::vector<std::string> allowed;

  bool operator==(const AllowListRule&) const = default;
};
struct RequiredTagsRule : Rule {
  std::vector<std::string> keys;

  bool operator==(const RequiredTagsRule&) const = default;
};
enum class UnlistedGroups { kNamespacePrefixed, kAllow, kDeny, kSameNamespace };
struct GroupOwnershipRule : Rule {
  std::vector<std::pair<std::string, std::vector<std::string>>>
      groups;  // group.name -> namespace globs
  UnlistedGroups unlisted = UnlistedGroups::kNamespacePrefixed;

  bool operator==(const GroupOwnershipRule&) const = default;
};

struct IngressDefaults {
  StringMap annotations;  // full annotation keys -> values
  StringMap tags;         // merged into alb.ingress.kubernetes.io/tags
  StringMap
      load_balancer_attributes;  // merged into alb.ingress.kubernetes.io/load-balancer-attributes
  bool ssl_redirect = false;
  bool migrate_class_annotation = false;

  bool operator==(const IngressDefaults&) const = default;
};

struct IngressRules {
  InternetFacingRule internet_facing;
  Rule waf_required;
  Rule https_required;
  AllowListRule ssl_policies;
  AllowListRule certificate_accounts;
  RequiredTagsRule required_tags;
  Rule unknown_annotations{Mode::kWarn, {}, {}};
  GroupOwnershipRule group_ownership;

  bool operator==(const IngressRules&) const = default;
};

struct IngressPolicy {
  std::vector<std::string> class_names{"alb"};
  bool manage_ingresses_without_class = false;
  bool disable_ingress_class_annotation = false;
  bool disable_ingress_group_name_annotation = false;
  IngressDefaults defaults;
  IngressRules rules;

  bool operator==(const IngressPolicy&) const = default;
};

struct TargetGroupBindingDefaults {
  std::string target_type;      // "" = no default
  std::string ip_address_type;  // "" = no default
  std::string vpc_id;           // "" = no default; "cluster" = cluster_vpc_id

  bool operator==(const TargetGroupBindingDefaults&) const = default;
};

struct TargetGroupBindingRules {
  AllowListRule allowed_accounts;
  AllowListRule allowed_regions;

  bool operator==(const TargetGroupBindingRules&) const = default;
};

struct TargetGroupBindingPolicy {
  std::string cluster_vpc_id;
  TargetGroupBindingDefaults defaults;
  TargetGroupBindingRules rules;

  bool operator==(const TargetGroupBindingPolicy&) const = default;
};

/// The whole policy file (PRODUCT.md "Policy file"). A default-constructed Policy is the embedded
/// default.
struct Policy {
  IngressPolicy ingress;
  TargetGroupBindingPolicy target_group_binding;

  bool operator==(const Policy&) const = default;
};

/// The embedded default policy file text: every key at its default.
std::string_view DefaultPolicyYaml();

/// Parses a policy file. Unknown keys and wrong types are errors naming the key path,
/// e.g. "ingress.rules.sslPolicies.mode: expected one of deny, warn, off". Never throws.
Result<Policy> ParsePolicy(std::string_view yaml_text);

/// Reads and parses a policy file. Never throws.
Result<Policy> LoadPolicyFile(const std::string& path);

}  // namespace albwebhook::policy

#include <atomic>
#include <memory>
#include <mutex>

namespace albwebhook::policy {

/// Holds the policy in force and reloads it from its file.
/// Thread-safe: Current() may be called from any thread while another calls Reload().
/// Requests take a snapshot with Current() and keep it until they finish, so a reload never
/// changes the policy under a request in flight.
class PolicyStore {
 public:
  enum class ReloadOutcome { kUnchanged, kReloaded, kFailed };

  /// A store serving `initial`, parsed from `initial_text` read at `path`.
  /// `path` empty = embedded default, never reloaded.
  PolicyStore(std::string path, Policy initial, std::string initial_text = {});

  std::shared_ptr<const Policy> Current() const { return current_.load(); }
  const std::string& path() const { return path_; }

  /// Re-reads the file when its content changed. A bad file keeps the old policy; the error
  /// text is stored in `*error`. Never throws.
  ReloadOutcome Reload(std::string* error = nullptr);

 private:
  std::string path_;
  std::atomic<std::shared_ptr<const Policy>> current_;
  std::mutex reload_mutex_;
  std::string last_text_;  // guarded by reload_mutex_
};

}  // namespace albwebhook::policy
