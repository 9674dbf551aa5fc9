// Ingress defaults (policy.ingress.defaults). Applied on CREATE and UPDATE alike: every step only
// fills values the user left unset and is idempotent, so re-applying on UPDATE is safe and keeps
// objects created before a policy change converging. DELETE/CONNECT are never mutated.
#include "albwebhook/rules/ingress.hpp"
#include "rules/ingress_checks.hpp"
#include "rules/skeleton_mutator.hpp"

namespace albwebhook::rules {
namespace {

class IngressMutator final : public Mutator, public SkeletonMutator {
 public:
  // Everything but metadata.managedFields and the spec's members other than ingressClassName:
  // the scope check and the defaults read and write nothing else.
  nlohmann::json Skeleton(const nlohmann::json& object) const override {
    return object.is_object() ? DefaultsSkeleton(object) : object;
  }

  Verdict Mutate(const Context& ctx, nlohmann::json& object,
                 const nlohmann::json& /*old_object*/) const override {
    Verdict verdict;
    if (ctx.operation != admission::Operation::kCreate &&
        ctx.operation != admission::Operation::kUpdate) {
      return verdict;
    }
    if (!IsIngressInScope(ctx.policy.ingress, object)) {
      verdict.in_scope = false;
      return verdict;
    }
    if (!IngressDefaultsMayChange(ctx.policy.ingress, object)) return verdict;
    // Defaults go to a skeleton (no managedFields, no spec but its class name), not to a copy
    // of the whole object, and what they changed is merged back.
    nlohmann::json skeleton = DefaultsSkeleton(object);
    try {
      ApplyIngressDefaults(ctx.policy.ingress, skeleton);
    } catch (const std::exception&) {
      return verdict;  // defensive: leave the object untouched rather than half-mutated
    }
    MergeDefaultsSkeleton(std::move(skeleton), object);
    return verdict;
  }
};

}  // namespace

std::unique_ptr<Mutator> MakeIngressMutator() { return std::make_unique<IngressMutator>(); }

}  // namespace albwebhook::rules
