#pragma once

#include <memory>
#include <string>

#include "albwebhook/admission/types.hpp"
#include "albwebhook/rules/rule.hpp"
#include "albwebhook/state/snapshot.hpp"

namespace albwebhook::admission {

/// Answers one admission request (controller-runtime's Handler: dependencies come through the
/// constructor, per-request data through Handle). Thread-safe. Implementations should not throw;
/// the webhook layer still turns an escaping exception into a 500 answer that carries the uid.
class Handler {
 public:
  virtual ~Handler() = default;
  virtual Response Handle(const Request& request) const = 0;
  /// True for validating webhooks (their answers never carry a patch).
  virtual bool validating() const = 0;
};

/// Expected object kind for a handler; a request for another kind is answered 400.
struct ExpectedKind {
  std::string group;  // "networking.k8s.io"
  std::string kind;   // "Ingress"
};

/// Both adapters take one snapshot from `source` per request and give the rule set a
/// rules::Context over it.
///
/// Validating adapter: CREATE/UPDATE run the validator; DELETE and CONNECT are allowed; an UPDATE
/// of an object being deleted (metadata.deletionTimestamp) is allowed; on UPDATE a denial that
/// the old object already had, word for word, becomes a warning (ratcheting).
std::unique_ptr<Handler> MakeValidatingHandler(std::shared_ptr<const rules::Validator> validator,
                                               ExpectedKind kind,
                                               std::shared_ptr<const state::SnapshotSource> source);

/// Mutating adapter: CREATE/UPDATE run the mutator on a copy of the object and answer the
/// difference as a JSON patch (none when unchanged); DELETE, CONNECT and objects being deleted
/// are allowed without calling the mutator. A mutator with a Skeleton is given (a copy of) only
/// that part of the object, and the patch is the difference on it.
std::unique_ptr<Handler> MakeMutatingHandler(std::shared_ptr<const rules::Mutator> mutator,
                                             ExpectedKind kind,
                                             std::shared_ptr<const state::SnapshotSource> source);

/// Runs `rules` on one object as a CREATE would, the way the server does: mutate, then validate
/// the mutated object (`mutator` may be null: a kind without defaults). Used by `alb-webhook
/// check`: the rules see Context::offline.
struct Evaluation {
  bool in_scope = true;
  bool allowed = true;
  std::vector<rules::Finding> findings;  // mutator's then validator's
  nlohmann::json patch = nlohmann::json::array();
  nlohmann::json mutated;
};
Evaluation EvaluateCreate(const rules::Mutator* mutator, const rules::Validator& validator,
                          const nlohmann::json& object, std::string_view ns,
                          const state::Snapshot& snapshot);

}  // namespace albwebhook::admission
