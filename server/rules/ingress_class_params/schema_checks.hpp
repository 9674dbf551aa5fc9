// IngressClassParams against its CRD's structural schema (types, enums, required members), as the
// API server words its refusals: warnings for `alb-webhook check`.
#pragma once

#include <nlohmann/json.hpp>

#include "albwebhook/rules/rule.hpp"

namespace albwebhook::rules {

/// Offline (`check`) CREATEs only: the server never sees an object the API server refused.
void CheckIngressClassParamsSchema(const Context& ctx, const nlohmann::json& object,
                                   Verdict& verdict);

}  // namespace albwebhook::rules
