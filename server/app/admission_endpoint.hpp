// The admission route as the transport sees it: an Endpoint that serves one webhook path and
// does its telemetry (requests_total, latency, in-flight, failures by check, panics, and the
// per-request log line) in one place.
#pragma once

#include <memory>
#include <string>

#include "albwebhook/admission/handler.hpp"
#include "albwebhook/metrics/metrics.hpp"
#include "albwebhook/transport/route.hpp"

namespace albwebhook::app {

/// Serves `path` with `handler`. `metrics` must know the path (its instruments are pre-created).
std::shared_ptr<const transport::Endpoint> MakeAdmissionEndpoint(
    std::string path, std::unique_ptr<admission::Handler> handler,
    std::shared_ptr<metrics::Metrics> metrics);

/// Answers too-large and over-budget requests to paths without a route (an AdmissionReview body,
/// as for the routed ones, counted as an HTTP error).
std::shared_ptr<const transport::Endpoint> MakeUnroutedEndpoint(
    std::shared_ptr<metrics::Metrics> metrics);

}  // namespace albwebhook::app
