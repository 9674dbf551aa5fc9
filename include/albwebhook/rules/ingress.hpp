#pragma once

#include <memory>
#include <string_view>

#include "albwebhook/rules/rule.hpp"

namespace albwebhook::rules {

inline constexpr std::string_view kValidateIngressPath = "/validate-networking-v1-ingress";
inline constexpr std::string_view kMutateIngressPath = "/mutate-networking-v1-ingress";

/// networking.k8s.io/v1 Ingress rule sets (annotation grammar, org policy, defaults).
std::unique_ptr<Validator> MakeIngressValidator();
std::unique_ptr<Mutator> MakeIngressMutator();

}  // namespace albwebhook::rules
