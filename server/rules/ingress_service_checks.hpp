// Private: the Ingress's backend Services as the cluster view holds them
// (ingress_service_checks.cpp).
#pragma once

#include "albwebhook/rules/rule.hpp"
#include "rules/ingress_checks.hpp"

namespace albwebhook::rules {

/// With the cluster view available (nothing otherwise), for each service backend of the view
/// (spec.defaultBackend, spec.rules[].http.paths[].backend; use-annotation backends aside):
///  - a Service the view does not hold, or a port (by number or name) it does not have: a warning
///    (GitOps applies in any order);
///  - the target-group annotations of the Service merged over the Ingress's, as the LBC merges
///    them (the Service's value wins), judged with the Ingress's grammar checks: each finding the
///    merge adds is reported as "target group for Service <ns>/<name>: <finding>".
void CheckIngressServices(const Context& ctx, const IngressView& view, Verdict& verdict);

}  // namespace albwebhook::rules
