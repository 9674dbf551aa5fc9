// The Ingress entry of the registry of admitted kinds.
#include "albwebhook/rules/ingress.hpp"

namespace albwebhook::rules {

KindRules IngressKindRules() {
  return KindRules{{"networking.k8s.io", "v1", "Ingress"},
                   "ingresses",
                   /*namespaced=*/true,
                   std::string(kValidateIngressPath),
                   std::string(kMutateIngressPath),
                   MakeIngressValidator(),
                   MakeIngressMutator(),
                   IngressCheckNames()};
}

}  // namespace albwebhook::rules
