// Ingress validation: structure, annotation grammar and AWS limits, LBC-parity admission checks,
// backends, and the org policy rules. Runs on the object with the policy defaults applied, which is
// what the validating webhook sees after the mutating one (so requiredTags is judged after
// defaults).
#include "albwebhook/cluster/cluster_state.hpp"
#include "albwebhook/rules/ingress.hpp"
#include "rules/ingress_checks.hpp"
#include "rules/ingress_rule_checks.hpp"
#include "rules/ingress_service_checks.hpp"

namespace albwebhook::rules {
namespace {

class IngressValidator final : public Validator {
 public:
  Verdict Validate(const Context& ctx, const nlohmann::json& object,
                   const nlohmann::json& old_object) const override {
    Verdict verdict;
    try {
      const policy::IngressPolicy& policy = ctx.policy.ingress;
      if (!IsIngressInScope(policy, object, AvailableCluster(ctx))) {
        verdict.in_scope = false;
        return verdict;
      }
      if (ctx.cluster != nullptr && !ctx.cluster->available()) {
        verdict.Warn("cluster-view", std::string(kIngressViewUnavailable));
      }
      IngressView view = DefaultsView(policy, object, ctx.ns);  // object with defaults applied
      if (view.name.empty()) view.name = std::string(ctx.name);
      CheckIngressStructure(view, verdict);
      CheckIngressApiServer(ctx, object, verdict);
      CheckIngressParity(policy, view, object, old_object, verdict);
      CheckIngressAnnotations(view, verdict);
      CheckIngressConditions(view, verdict);
      CheckIngressBackends(view, verdict);
      CheckIngressPaths(view, verdict);
      CheckIngressRuleConditions(view, object, verdict);
      CheckIngressTransforms(view, verdict);
      CheckIngressConfigHints(view, object, verdict);
      CheckIngressServices(ctx, view, verdict);
      EffectiveIngress effective = LocalEffective(view);
      if (const cluster::ClusterState* cluster = AvailableCluster(ctx)) {
        CheckIngressWithCluster(ctx, *cluster, object, view, effective, verdict);
      }
      CheckIngressPolicyRules(ctx, view, effective, verdict);
    } catch (const std::exception&) {
      // Defensive only: every accessor above is type-checked. Fail closed with a clear reason.
      verdict.Deny("internal", "the Ingress could not be validated (internal error)");
    }
    return verdict;
  }
};

}  // namespace

std::unique_ptr<Validator> MakeIngressValidator() { return std::make_unique<IngressValidator>(); }

const std::vector<std::string>& IngressCheckNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names = {"structure", "annotations"};
    for (std::string& name : AnnotationCheckNames()) names.push_back(std::move(name));
    for (const char* name :
         {"listener-attributes", "actions", "conditions", "transforms", "backend", "paths",
          "rule-conditions",
          // the API server's own validation of a new Ingress (seen offline only)
          "api-server",
          // cluster view: the LBC's IngressClass checks, IngressGroup conflicts
          "ingress-class", "ingress-group",
          // LBC flag parity
          "ingress.disableIngressClassAnnotation", "ingress.disableIngressGroupNameAnnotation",
          // policy rules
          "ingress.rules.internetFacing", "ingress.rules.wafRequired",
          "ingress.rules.httpsRequired", "ingress.rules.sslPolicies",
          "ingress.rules.certificateAccounts", "ingress.rules.requiredTags",
          "ingress.rules.unknownAnnotations", "ingress.rules.groupOwnership",
          // defensive catch-all
          "internal"}) {
      names.emplace_back(name);
    }
    return names;
  }();
  return kNames;
}

}  // namespace albwebhook::rules
