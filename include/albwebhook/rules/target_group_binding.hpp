#pragma once

#include <memory>
#include <string_view>

#include "albwebhook/rules/rule.hpp"

namespace albwebhook::rules {

inline constexpr std::string_view kValidateTargetGroupBindingPath =
    "/validate-elbv2-k8s-aws-v1beta1-targetgroupbinding";
inline constexpr std::string_view kMutateTargetGroupBindingPath =
    "/mutate-elbv2-k8s-aws-v1beta1-targetgroupbinding";

/// elbv2.k8s.aws/v1beta1 TargetGroupBinding rule sets (LBC parity, formats, policy, defaults).
std::unique_ptr<Validator> MakeTargetGroupBindingValidator();
std::unique_ptr<Mutator> MakeTargetGroupBindingMutator();

}  // namespace albwebhook::rules
