// Adapters between the admission envelope and the pure rule sets (controller-runtime's
// validatorForType/defaulterForType, the LBC's mutating/validating handlers).
#include <algorithm>
#include <unordered_set>

#include "albwebhook/admission/handler.hpp"
#include "albwebhook/admission/response.hpp"
#include "albwebhook/json/json_patch.hpp"
#include "albwebhook/json/json_patch_skip.hpp"

namespace albwebhook::admission {
namespace {

using nlohmann::json;

constexpr std::string_view kPreExistingPrefix = "pre-existing, not blocking this update: ";

constexpr std::string_view kManagedFieldsPointer = "/metadata/managedFields";

// The object for a mutator: a copy, without metadata.managedFields (often a third of an object;
// no mutator reads or writes it).
json CopyWithoutManagedFields(const json& object) {
  auto meta = object.is_object() ? object.find("metadata") : object.end();
  if (meta == object.end() || !meta->is_object() || !meta->contains("managedFields")) return object;
  json copy = json::object();
  for (const auto& [key, value] : object.items()) {
    if (key != "metadata") {
      copy[key] = value;
      continue;
    }
    json& metadata = copy[key] = json::object();
    for (const auto& [meta_key, meta_value] : value.items()) {
      if (meta_key != "managedFields") metadata[meta_key] = meta_value;
    }
  }
  return copy;
}

bool BeingDeleted(const json& object) {
  if (!object.is_object()) return false;
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return false;
  auto ts = meta->find("deletionTimestamp");
  return ts != meta->end() && !ts->is_null();
}

std::string JoinMessages(const std::vector<rules::Finding>& findings, rules::Severity severity) {
  std::string out;
  std::size_t left_out = 0;
  for (const auto& f : findings) {
    if (f.severity != severity) continue;
    const std::size_t room = kMaxDenialMessageBytes - std::min(out.size(), kMaxDenialMessageBytes);
    if (!out.empty() && (left_out != 0 || f.message.size() + 2 > room)) {
      ++left_out;
      continue;
    }
    if (!out.empty()) out += "; ";
    if (f.message.size() <= room) {
      out += f.message;
      continue;
    }
    // The first problem alone is past the cap (it quotes a huge value): its head, cut at a
    // character boundary.
    std::size_t cut = room - 3;
    while (cut > 0 && (static_cast<unsigned char>(f.message[cut]) & 0xC0) == 0x80) --cut;
    out.append(f.message, 0, cut);
    out += "...";
  }
  if (left_out != 0) {
    out += "; ... and " + std::to_string(left_out) + " more problem" + (left_out == 1 ? "" : "s");
  }
  return out;
}

// Turns a verdict into a response: denials join into one message; warnings pass through.
Response FromVerdict(const rules::Verdict& verdict) {
  Response r;
  std::size_t denials = 0;
  for (const auto& f : verdict.findings) {
    if (f.severity == rules::Severity::kDeny) {
      ++denials;
      if (std::find(r.failed_checks.begin(), r.failed_checks.end(), f.check) ==
          r.failed_checks.end()) {
        r.failed_checks.push_back(f.check);
      }
    } else {
      r.warnings.push_back(f.message);
    }
  }
  if (denials > 0) {
    auto warnings = std::move(r.warnings);
    auto checks = std::move(r.failed_checks);
    r = Denied(JoinMessages(verdict.findings, rules::Severity::kDeny));
    r.warnings = std::move(warnings);
    r.failed_checks = std::move(checks);
    r.violations = denials;
    std::string joined;
    for (const auto& c : r.failed_checks) joined += (joined.empty() ? "" : ",") + c;
    r.audit_annotations.emplace_back("denied-checks", joined);
  }
  return r;
}

// Checks the request's kind against the handler's; empty kind (old clients) is accepted.
bool KindMatches(const Request& request, const ExpectedKind& kind) {
  if (request.kind.kind.empty() && request.kind.group.empty()) return true;
  return request.kind.group == kind.group && request.kind.kind == kind.kind;
}

Response WrongKind(const Request& request, const ExpectedKind& kind) {
  return Errored(400, "this webhook handles " + kind.group + "/" + kind.kind + ", got " +
                          request.kind.group + "/" + request.kind.kind);
}

rules::Context MakeContext(const Request& request, Operation op, const state::Snapshot& snapshot) {
  return rules::Context{op, request.ns, request.name, *snapshot.policy, snapshot.cluster.get()};
}

// What both adapters share: the kind they admit, where their snapshots come from, and the
// answers given before any rule set runs.
class Adapter : public Handler {
 protected:
  Adapter(ExpectedKind kind, std::shared_ptr<const state::SnapshotSource> source)
      : kind_(std::move(kind)), source_(std::move(source)) {}

  // Another kind: 400. DELETE and CONNECT: allowed (never patched: a patch on DELETE is an
  // apiserver internal error whatever the failurePolicy). nullopt: the rule set decides.
  std::optional<Response> Precheck(const Request& request) const {
    if (!KindMatches(request, kind_)) return WrongKind(request, kind_);
    if (request.operation == Operation::kDelete || request.operation == Operation::kConnect) {
      return Allowed();
    }
    return std::nullopt;
  }

  state::Snapshot Snapshot() const { return source_->Current(); }

 private:
  ExpectedKind kind_;
  std::shared_ptr<const state::SnapshotSource> source_;
};

class ValidatingHandler final : public Adapter {
 public:
  ValidatingHandler(std::shared_ptr<const rules::Validator> validator, ExpectedKind kind,
                    std::shared_ptr<const state::SnapshotSource> source)
      : Adapter(std::move(kind), std::move(source)), validator_(std::move(validator)) {}

  bool validating() const override { return true; }

  Response Handle(const Request& request) const override {
    if (auto early = Precheck(request)) return *early;
    // The LBC must always be able to remove its finalizers from an object being deleted.
    if (request.operation == Operation::kUpdate && BeingDeleted(request.object)) return Allowed();

    const state::Snapshot snapshot = Snapshot();
    rules::Verdict verdict = validator_->Validate(MakeContext(request, request.operation, snapshot),
                                                  request.object, request.old_object);
    if (!verdict.in_scope) return Allowed();
    if (request.operation == Operation::kUpdate && verdict.HasDenials())
      Ratchet(request, snapshot, verdict);
    return FromVerdict(verdict);
  }

 private:
  // A denial the old object already had, word for word, does not block an UPDATE: it becomes a
  // warning. The old object is judged as a CREATE would be, under the same policy. Denials of the
  // change itself (new usage, immutable fields) are never ratcheted.
  void Ratchet(const Request& request, const state::Snapshot& snapshot,
               rules::Verdict& verdict) const {
    const rules::Verdict old_verdict = validator_->Validate(
        MakeContext(request, Operation::kCreate, snapshot), request.old_object, json());
    if (!old_verdict.in_scope) return;
    std::unordered_set<std::string> old_denials;
    for (const auto& f : old_verdict.findings) {
      if (f.severity == rules::Severity::kDeny) old_denials.insert(f.message);
    }
    for (auto& f : verdict.findings) {
      if (f.severity == rules::Severity::kDeny && !f.about_change &&
          old_denials.count(f.message) > 0) {
        f.severity = rules::Severity::kWarn;
        f.message.insert(0, kPreExistingPrefix);
      }
    }
  }

  std::shared_ptr<const rules::Validator> validator_;
};

class MutatingHandler final : public Adapter {
 public:
  MutatingHandler(std::shared_ptr<const rules::Mutator> mutator, ExpectedKind kind,
                  std::shared_ptr<const state::SnapshotSource> source)
      : Adapter(std::move(kind), std::move(source)), mutator_(std::move(mutator)) {}

  bool validating() const override { return false; }

  Response Handle(const Request& request) const override {
    if (auto early = Precheck(request)) return *early;
    if (BeingDeleted(request.object)) return Allowed();
    // A mutator that only touches a skeleton of the object mutates (and is diffed on) a copy of
    // that skeleton; any other gets a copy of the whole object.
    const std::optional<json> skeleton = mutator_->Skeleton(request.object);
    const json& original = skeleton ? *skeleton : request.object;
    json mutated = CopyWithoutManagedFields(original);
    const state::Snapshot snapshot = Snapshot();
    rules::Verdict verdict = mutator_->Mutate(MakeContext(request, request.operation, snapshot),
                                              mutated, request.old_object);
    if (!verdict.in_scope) return Allowed();
    Response r = FromVerdict(verdict);
    // Diff against the object exactly as sent (never a re-serialized copy: kubebuilder#510),
    // managedFields aside: it is the apiserver's, left out of the copy, never patched.
    if (r.allowed) {
      r.patch = albwebhook::json::MakePatchSkipping(original, mutated, kManagedFieldsPointer);
    }
    return r;
  }

 private:
  std::shared_ptr<const rules::Mutator> mutator_;
};

}  // namespace

std::unique_ptr<Handler> MakeValidatingHandler(
    std::shared_ptr<const rules::Validator> validator, ExpectedKind kind,
    std::shared_ptr<const state::SnapshotSource> source) {
  return std::make_unique<ValidatingHandler>(std::move(validator), std::move(kind),
                                             std::move(source));
}

std::unique_ptr<Handler> MakeMutatingHandler(std::shared_ptr<const rules::Mutator> mutator,
                                             ExpectedKind kind,
                                             std::shared_ptr<const state::SnapshotSource> source) {
  return std::make_unique<MutatingHandler>(std::move(mutator), std::move(kind), std::move(source));
}

Evaluation EvaluateCreate(const rules::Mutator* mutator, const rules::Validator& validator,
                          const json& object, std::string_view ns,
                          const state::Snapshot& snapshot) {
  Evaluation e;
  const rules::Context ctx{Operation::kCreate, ns, "", *snapshot.policy, snapshot.cluster.get(),
                           /*offline=*/true};
  e.mutated = object;
  // A kind without defaults mutates nothing (and is in scope as far as mutation goes).
  rules::Verdict mutation =
      mutator != nullptr ? mutator->Mutate(ctx, e.mutated, json()) : rules::Verdict{};
  if (!mutation.in_scope) e.mutated = object;
  const json& judged = e.mutated;
  rules::Verdict validation = validator.Validate(ctx, judged, json());
  e.in_scope = mutation.in_scope || validation.in_scope;
  if (mutation.in_scope) {
    e.findings = std::move(mutation.findings);
  }
  if (validation.in_scope) {
    e.findings.insert(e.findings.end(), validation.findings.begin(), validation.findings.end());
  }
  e.allowed = std::none_of(e.findings.begin(), e.findings.end(), [](const rules::Finding& f) {
    return f.severity == rules::Severity::kDeny;
  });
  if (mutation.in_scope && !mutation.HasDenials())
    e.patch = albwebhook::json::MakePatch(object, e.mutated);
  return e;
}

}  // namespace albwebhook::admission
