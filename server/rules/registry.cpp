#include "albwebhook/rules/registry.hpp"

#include "albwebhook/rules/ingress.hpp"
#include "albwebhook/rules/ingress_class_params.hpp"
#include "albwebhook/rules/target_group_binding.hpp"

namespace albwebhook::rules {

std::vector<KindRules> AdmittedKinds() {
  std::vector<KindRules> kinds;
  kinds.push_back(IngressKindRules());
  kinds.push_back(TargetGroupBindingKindRules());
  kinds.push_back(IngressClassParamsKindRules());
  return kinds;
}

const KindRules* FindKind(const std::vector<KindRules>& kinds, std::string_view api_version,
                          std::string_view kind) {
  for (const KindRules& k : kinds) {
    if (k.gvk.kind != kind) continue;
    const std::string expected =
        k.gvk.group.empty() ? k.gvk.version : k.gvk.group + "/" + k.gvk.version;
    if (api_version == expected) return &k;
  }
  return nullptr;
}

}  // namespace albwebhook::rules
