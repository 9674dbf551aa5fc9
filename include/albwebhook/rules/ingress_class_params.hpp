#pragma once

#include <memory>
#include <string_view>

#include "albwebhook/rules/rule.hpp"

namespace albwebhook::rules {

inline constexpr std::string_view kValidateIngressClassParamsPath =
    "/validate-elbv2-k8s-aws-v1beta1-ingressclassparams";

/// elbv2.k8s.aws/v1beta1 IngressClassParams: the LBC's own admission checks (inboundCIDRs,
/// subnet selectors), its messages word for word.
std::unique_ptr<Validator> MakeIngressClassParamsValidator();

/// The registry entry (rules/registry.hpp): validation only, no defaults.
KindRules IngressClassParamsKindRules();

}  // namespace albwebhook::rules
