// Ingress defaults (policy.ingress.defaults). Applied on CREATE and UPDATE alike: every step only
// fills values the user left unset and is idempotent, so re-applying on UPDATE is safe and keeps
// objects created before a policy change converging. DELETE/CONNECT are never mutated.
#include "albwebhook/rules/ingress.hpp"
#include "rules/ingress_checks.hpp"

namespace albwebhook::rules {
namespace {

class IngressMutator final : public Mutator {
 public:
  // Everything but metadata.managedFields and the spec's members other than ingressClassName:
  // the scope check and the defaults read and write nothing else.
  std::optional<nlohmann::json> Skeleton(const nlohmann::json& object) const override {
    if (!object.is_object()) return std::nullopt;
    return DefaultsSkeleton(object);
  }

  Verdict Mutate(const Context& ctx, nlohmann::json& object,
                 const nlohmann::json& /*old_object*/) const override {
    Verdict verdict;
    if (ctx.operation != api::Operation::kCreate &&
        ctx.operation != api::Operation::kUpdate) {
      return verdict;
    }
    if (!IsIngressInScope(ctx.policy.ingress, object, AvailableCluster(ctx))) {
      verdict.in_scope = false;
      return verdict;
    }
    // `object` is the whole object or its Skeleton (the adapter's choice): the defaults touch
    // the same members of either.
    if (IngressDefaultsMayChange(ctx.policy.ingress, object)) {
      ApplyIngressDefaults(ctx.policy.ingress, object);
    }
    return verdict;
  }
};

}  // namespace

std::unique_ptr<Mutator> MakeIngressMutator() { return std::make_unique<IngressMutator>(); }

KindRules IngressKindRules() {
  return {{"networking.k8s.io", "v1", "Ingress"}, "ingresses", /*namespaced=*/true,
          std::string(kValidateIngressPath), std::string(kMutateIngressPath),
          MakeIngressValidator(), MakeIngressMutator(), IngressCheckNames()};
}

}  // namespace albwebhook::rules
