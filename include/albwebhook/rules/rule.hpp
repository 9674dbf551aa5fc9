#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "albwebhook/api/types.hpp"
#include "albwebhook/policy/policy.hpp"

namespace albwebhook::cluster {
class ClusterState;
}

namespace albwebhook::rules {

enum class Severity { kDeny, kWarn };

/// One problem found in an object.
struct Finding {
  std::string
      check;  // check name or policy key path ("listen-ports", "ingress.rules.internetFacing")
  std::string message;  // complete user-facing text (LBC's exact text for parity checks)
  Severity severity = Severity::kDeny;
  /// A check about the change itself (the LBC's "new usage of ..." bans, immutable fields): an
  /// UPDATE never ratchets it into a warning, whatever the old object had.
  bool about_change = false;

  /// Equal findings say the same thing; about_change is how they are treated, not what they say.
  bool operator==(const Finding& other) const {
    return check == other.check && message == other.message && severity == other.severity;
  }
};

/// What a rule set says about one object.
struct Verdict {
  /// false: the object is not ours (another IngressClass...). The request is allowed untouched:
  /// no patch, no warnings, not counted as a failure.
  bool in_scope = true;
  std::vector<Finding> findings;

  void Deny(std::string check, std::string message) {
    findings.push_back({std::move(check), std::move(message), Severity::kDeny});
  }
  /// A denial of the change itself (never ratcheted; see Finding::about_change).
  void DenyChange(std::string check, std::string message) {
    findings.push_back({std::move(check), std::move(message), Severity::kDeny, true});
  }
  void Warn(std::string check, std::string message) {
    findings.push_back({std::move(check), std::move(message), Severity::kWarn});
  }
  /// Adds a finding whose severity comes from a policy rule mode (kOff adds nothing).
  void Report(policy::Mode mode, std::string check, std::string message) {
    if (mode == policy::Mode::kDeny) {
      Deny(std::move(check), std::move(message));
    } else if (mode == policy::Mode::kWarn) {
      Warn(std::move(check), std::move(message));
    }
  }
  bool HasDenials() const {
    for (const auto& f : findings) {
      if (f.severity == Severity::kDeny) return true;
    }
    return false;
  }
};

/// What a rule set knows about the request besides the objects: the request's coordinates and
/// the snapshot the adapter took for it (state/snapshot.hpp), read-only.
struct Context {
  api::Operation operation = api::Operation::kCreate;
  std::string_view ns;    // request.namespace
  std::string_view name;  // request.name (may be empty on CREATE with generateName)
  const policy::Policy& policy;
  /// The cluster view as of this request; nullptr when it is off. Rules that read it must treat
  /// what it does not hold as unknown, never as absent.
  const cluster::ClusterState* cluster = nullptr;
  /// Judged offline (`alb-webhook check`) as a cluster with the LBC's own webhooks would judge
  /// it: what the LBC's mutating webhook fills from AWS (a TargetGroupBinding's targetType) is
  /// not required.
  bool offline = false;
};

/// Validates one kind of object. Implementations are pure (no I/O, no metrics, no logging) and
/// must never throw on any JSON input: wrong types anywhere are findings or ignored.
/// Thread-safe: called concurrently from all worker threads.
class Validator {
 public:
  virtual ~Validator() = default;
  /// `object`: the new object (CREATE, UPDATE). `old_object`: JSON null on CREATE.
  /// Ratcheting (pre-existing violations become warnings on UPDATE) and the deletionTimestamp
  /// exemption are applied by the admission adapter, not here.
  virtual Verdict Validate(const Context& ctx, const nlohmann::json& object,
                           const nlohmann::json& old_object) const = 0;
};

/// Applies defaults to one kind of object. Same purity and thread-safety rules as Validator.
class Mutator {
 public:
  virtual ~Mutator() = default;
  /// Mutates `object` (a private copy of the request's object) in place; the adapter turns the
  /// difference into a JSON patch. Must be idempotent: a second call on its own output changes
  /// nothing. Never overwrites a value the user set. Deny findings deny the request.
  virtual Verdict Mutate(const Context& ctx, nlohmann::json& object,
                         const nlohmann::json& old_object) const = 0;

  /// The part of `object` that Mutate reads and writes, as an object of the same shape, or
  /// nullopt for "the whole object" (the default). When given, the adapter copies, mutates and
  /// diffs only this part: Mutate on it must change exactly what Mutate on `object` changes.
  virtual std::optional<nlohmann::json> Skeleton(const nlohmann::json& /*object*/) const {
    return std::nullopt;
  }
};

/// One admitted kind: what the registry (webhooks/registry.hpp) knows of it. Each kind's module
/// contributes one; `serve` turns it into routes and metrics, `check` into a manifest matcher.
struct KindRules {
  api::GroupVersionKind gvk;                   // {"networking.k8s.io", "v1", "Ingress"}
  std::string resource;                        // plural, as in a webhook rule: "ingresses"
  bool namespaced = true;                      // false: cluster-scoped (IngressClassParams)
  std::string validate_path;                   // "" = no validating webhook
  std::string mutate_path;                     // "" = no mutating webhook
  std::shared_ptr<const Validator> validator;  // set when validate_path is
  std::shared_ptr<const Mutator> mutator;      // set when mutate_path is
  /// Every Finding::check the two rule sets can emit (metrics pre-create their label children).
  std::vector<std::string> check_names;
};

}  // namespace albwebhook::rules
