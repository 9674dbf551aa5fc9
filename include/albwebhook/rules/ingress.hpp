#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "albwebhook/rules/rule.hpp"

namespace albwebhook::rules {

inline constexpr std::string_view kValidateIngressPath = "/validate-networking-v1-ingress";
inline constexpr std::string_view kMutateIngressPath = "/mutate-networking-v1-ingress";

/// networking.k8s.io/v1 Ingress rule sets (annotation grammar, org policy, defaults).
std::unique_ptr<Validator> MakeIngressValidator();
std::unique_ptr<Mutator> MakeIngressMutator();

/// Every Finding::check the Ingress rule sets can emit (a small fixed set: annotation short names,
/// "structure", "annotations", "backend", "actions", "conditions", parity flags and policy rule key
/// paths). Metrics pre-create their label children from it.
const std::vector<std::string>& IngressCheckNames();

/// The registry entry (rules/registry.hpp): paths, rule sets and check names.
KindRules IngressKindRules();

}  // namespace albwebhook::rules
