// The TargetGroupBinding entry of the registry of admitted kinds.
#include "albwebhook/rules/target_group_binding.hpp"

namespace albwebhook::rules {

KindRules TargetGroupBindingKindRules() {
  return KindRules{{"elbv2.k8s.aws", "v1beta1", "TargetGroupBinding"},
                   "targetgroupbindings",
                   /*namespaced=*/true,
                   std::string(kValidateTargetGroupBindingPath),
                   std::string(kMutateTargetGroupBindingPath),
                   MakeTargetGroupBindingValidator(),
                   MakeTargetGroupBindingMutator(),
                   TargetGroupBindingCheckNames()};
}

}  // namespace albwebhook::rules
