// Older API versions `check` reads as the API server would serve them to the webhook (internal to
// the check command): extensions/v1beta1 and networking.k8s.io/v1beta1 Ingresses converted to
// networking.k8s.io/v1, elbv2.k8s.aws/v1alpha1 TargetGroupBindings to v1beta1.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

namespace albwebhook::cli::check {

/// The object converted to the version the webhook is registered for, or nullopt when it is not
/// of an older version we convert (then it is judged, or skipped, as it is).
std::optional<nlohmann::json> ConvertLegacyVersion(const nlohmann::json& object);

}  // namespace albwebhook::cli::check
