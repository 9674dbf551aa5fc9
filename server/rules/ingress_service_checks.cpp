// An Ingress's backend Services with the cluster view: existence and ports (warnings), and the
// target-group settings as the LBC builds them from the Service's and the Ingress's annotations
// (pkg/ingress/model_build_target_group.go: MergeStringMap(svc.Annotations, ing.Annotations), so
// the Service's value wins; IngressClassParams' targetType wins over both).
#include "rules/ingress_service_checks.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "albwebhook/cluster/cluster_state.hpp"
#include "rules/go_json.hpp"
#include "rules/lbc_values.hpp"

namespace albwebhook::rules {
namespace {

using nlohmann::json;

/// The annotations the LBC reads from the Service-over-Ingress merge for a target group. Their
/// checks read only annotations of this list (the merged view holds no others).
constexpr std::array<std::string_view, 13> kTargetGroupSuffixes = {
    "target-type",                   // IngressClassParams' targetType wins over both
    "backend-protocol",              //
    "backend-protocol-version",      //
    "healthcheck-port",              //
    "healthcheck-protocol",          //
    "healthcheck-path",              //
    "success-codes",                 //
    "healthcheck-interval-seconds",  //
    "healthcheck-timeout-seconds",   //
    "healthy-threshold-count",       //
    "unhealthy-threshold-count",     //
    "target-group-attributes",       //
    "target-node-labels",            // instance targets only
};

/// One service backend to look up: the Service, the port by name or number, and the first
/// backend of the view that names them (its location is spelled out only for a finding). The
/// names are views of the IngressView, which outlives the check.
struct ServiceBackend {
  const IngressBackend* first = nullptr;
  std::string_view service;
  std::string_view port_name;
  std::optional<std::int64_t> port_number;

  std::string PortText() const {
    return port_name.empty() ? std::to_string(*port_number) : std::string(port_name);
  }
};

/// GoString without a copy: the string field `name` of `object` ("" when absent or not a string).
std::string_view GoStringView(const json& object, std::string_view name) {
  const json* field = GoPtr(object, name);
  return field != nullptr && field->is_string()
             ? std::string_view(field->get_ref<const std::string&>())
             : std::string_view();
}

/// The backend's service reference; nullopt for a resource backend, a use-annotation action, or
/// a reference without a name or a port (the structure checks report those).
std::optional<ServiceBackend> ToServiceBackend(const IngressBackend& backend) {
  if (!backend.has_service || backend.service_name.empty()) return std::nullopt;
  if (backend.port_name == "use-annotation") return std::nullopt;
  ServiceBackend out{&backend, backend.service_name, backend.port_name, std::nullopt};
  if (out.port_name.empty()) out.port_number = backend.port_number;
  if (out.port_name.empty() && !out.port_number) return std::nullopt;
  return out;
}

/// The view's service backends (spec.defaultBackend, then spec.rules[].http.paths[].backend, in
/// order, as ReadIngress read them); each Service and port once (its first backend): a repeated
/// one adds nothing, the same lookups and findings. Most Ingresses route every path to one or two
/// Services: a scan of the few kept so far, then a set once there are many (a 1 MiB Ingress may
/// have ten thousand paths).
std::vector<ServiceBackend> ServiceBackends(const IngressView& view) {
  constexpr std::size_t kScanned = 16;
  using Key = std::tuple<std::string_view, std::string_view, std::optional<std::int64_t>>;
  std::vector<ServiceBackend> out;
  std::set<Key> seen;  // used past kScanned distinct backends
  for (const IngressBackend& backend : view.backends) {
    auto read = ToServiceBackend(backend);
    if (!read) continue;
    if (out.size() < kScanned) {
      bool repeated = false;
      for (const ServiceBackend& kept : out) {
        if (kept.service == read->service && kept.port_name == read->port_name &&
            kept.port_number == read->port_number) {
          repeated = true;
          break;
        }
      }
      if (repeated) continue;
    } else {
      if (seen.empty()) {
        for (const ServiceBackend& kept : out) {
          seen.emplace(kept.service, kept.port_name, kept.port_number);
        }
      }
      if (!seen.emplace(read->service, read->port_name, read->port_number).second) continue;
    }
    out.push_back(*read);
  }
  return out;
}

bool SamePort(const json& port, const ServiceBackend& backend) {
  if (!backend.port_name.empty()) return GoStringView(port, "name") == backend.port_name;
  const json* number = GoPtr(port, "port");
  return number != nullptr && number->is_number_integer() &&
         number->get<std::int64_t>() == *backend.port_number;
}

bool HasPort(const cluster::Object& service, const ServiceBackend& backend) {
  const json* ports = GoPtr(service.spec(), "ports");
  if (ports == nullptr || !ports->is_array()) return false;
  for (const json& port : *ports) {
    if (SamePort(port, backend)) return true;
  }
  return false;
}

bool IsTargetGroupKey(std::string_view key) {
  if (!key.starts_with(kAlbAnnotationPrefix)) return false;
  key.remove_prefix(kAlbAnnotationPrefix.size());
  return std::find(kTargetGroupSuffixes.begin(), kTargetGroupSuffixes.end(), key) !=
         kTargetGroupSuffixes.end();
}

/// The Ingress's target-group annotations (only those: their checks read no others). `is_final`:
/// they are a target group's own values (see IngressView::target_group_final).
IngressView TargetGroupView(const IngressView& view, bool is_final) {
  IngressView out;
  out.ns = view.ns;
  out.name = view.name;
  out.target_group_final = is_final;
  auto it = view.annotations.lower_bound(kAlbAnnotationPrefix);
  for (; it != view.annotations.end() && it->first.starts_with(kAlbAnnotationPrefix); ++it) {
    if (IsTargetGroupKey(it->first)) out.annotations.emplace_hint(out.annotations.end(), *it);
  }
  return out;
}

/// The Service's string-valued target-group annotations, in key order (views of the snapshot's
/// object, which outlives the check): what its target group takes over the Ingress's.
using Overrides = std::vector<std::pair<std::string_view, std::string_view>>;
Overrides ServiceOverrides(const cluster::Object& service) {
  Overrides out;
  const json& metadata = service.metadata();
  auto annotations = metadata.find("annotations");
  if (annotations == metadata.end() || !annotations->is_object()) return out;
  const auto& map = annotations->get_ref<const json::object_t&>();
  for (auto it = map.lower_bound(kAlbAnnotationPrefix);
       it != map.end() && it->first.starts_with(kAlbAnnotationPrefix); ++it) {
    if (!it->second.is_string() || !IsTargetGroupKey(it->first)) continue;
    out.emplace_back(it->first, it->second.get_ref<const std::string&>());
  }
  return out;
}

/// The Ingress's target-group annotations with the Service's over them.
IngressView MergedView(const IngressView& view, const Overrides& overrides) {
  IngressView merged = TargetGroupView(view, true);
  for (const auto& [key, value] : overrides) {
    merged.annotations.insert_or_assign(std::string(key), std::string(value));
  }
  return merged;
}

/// The bytes of target-group annotations judged per request for the backend Services, past the
/// first judgement. Services with the same target-group annotations share one judgement; each
/// distinct set re-judges the Ingress's values under it, so many Services with distinct sets and
/// megabytes of Ingress annotations would cost their product.
constexpr std::size_t kMergedJudgementBytes = 4u << 20;

/// The judgements of the target groups' final annotations, one per distinct Service overrides.
struct MergedJudgements {
  std::map<Overrides, std::vector<Finding>> by_overrides;
  std::size_t bytes = 0;
  std::size_t not_judged = 0;  // Services left unjudged by the budget

  /// The findings for a Service with `overrides`; nullptr when the budget is spent.
  const std::vector<Finding>* Judge(const IngressView& view, const Overrides& overrides,
                                    std::size_t ingress_bytes) {
    auto found = by_overrides.find(overrides);
    if (found != by_overrides.end()) return &found->second;
    std::size_t cost = ingress_bytes;
    for (const auto& [key, value] : overrides) cost += key.size() + value.size();
    if (!by_overrides.empty() && bytes + cost > kMergedJudgementBytes) {
      ++not_judged;
      return nullptr;
    }
    bytes += cost;
    Verdict judged;
    CheckIngressAnnotations(MergedView(view, overrides), judged);
    return &by_overrides.emplace(overrides, std::move(judged.findings)).first->second;
  }
};

/// The bytes of the Ingress's target-group annotations.
std::size_t TargetGroupBytes(const IngressView& view) {
  std::size_t bytes = 0;
  auto it = view.annotations.lower_bound(kAlbAnnotationPrefix);
  for (; it != view.annotations.end() && it->first.starts_with(kAlbAnnotationPrefix); ++it) {
    if (IsTargetGroupKey(it->first)) bytes += it->first.size() + it->second.size();
  }
  return bytes;
}

/// A finding's message and severity: what the request's verdict already says.
using Said = std::pair<std::string, Severity>;

/// What the Ingress's own target-group annotations said in the request's verdict (judged as the
/// Ingress's, not final).
std::set<Said> OwnFindings(const IngressView& view) {
  Verdict own;
  CheckIngressAnnotations(TargetGroupView(view, false), own);
  std::set<Said> said;
  for (Finding& f : own.findings) said.emplace(std::move(f.message), f.severity);
  return said;
}

/// The findings of the Ingress's own target-group annotations that only hold until the backend
/// Services are known: those that judging the same values as a target group's final ones does not
/// repeat (a success-codes value valid for the other protocol version, a health-check timeout
/// against a default interval). Only when the Ingress sets an annotation such a check reads;
/// then it also fills `own` (OwnFindings), from the same judgement.
std::vector<Finding> HedgedFindings(const IngressView& view, std::optional<std::set<Said>>& own) {
  const std::string* codes = view.Alb("success-codes");
  const std::string* version = view.Alb("backend-protocol-version");
  const bool codes_refused =
      codes != nullptr && CheckSuccessCodes(*codes, version != nullptr && *version == "GRPC");
  const bool one_timing = (view.Alb("healthcheck-interval-seconds") == nullptr) !=
                          (view.Alb("healthcheck-timeout-seconds") == nullptr);
  if (!codes_refused && !one_timing) return {};
  Verdict local;
  Verdict settled;
  CheckIngressAnnotations(TargetGroupView(view, false), local);
  CheckIngressAnnotations(TargetGroupView(view, true), settled);
  std::vector<Finding> hedged;
  own.emplace();  // what `local` says is OwnFindings: not judged again
  for (Finding& f : local.findings) {
    own->emplace(f.message, f.severity);
    if (std::find(settled.findings.begin(), settled.findings.end(), f) == settled.findings.end()) {
      hedged.push_back(std::move(f));
    }
  }
  return hedged;
}

/// Findings of the Ingress's annotation checks on a target group's final annotations (`judged`)
/// that the Ingress's own annotations do not already say, attributed to the Service's target
/// group. `own` (OwnFindings) is computed on first need (a merge without findings needs none).
void ReportMergedFindings(const IngressView& view, const std::vector<Finding>& judged,
                          std::optional<std::set<Said>>& own, const std::string& service,
                          Verdict& verdict) {
  if (judged.empty()) return;
  if (!own) own = OwnFindings(view);
  for (const Finding& f : judged) {
    if (own->count(Said(f.message, f.severity)) > 0) continue;
    std::string message = "target group for Service " + service + ": " + f.message;
    // IngressClassParams' spec.targetType overrides the Service's target-type: never certain.
    if (f.check == "target-type" || f.severity == Severity::kWarn) {
      verdict.Warn(f.check, std::move(message));
    } else {
      verdict.Deny(f.check, std::move(message));
    }
  }
}

/// A named healthcheck-port (the Service's, else the Ingress's) is looked up among the Service's
/// ports by the LBC; a name it does not have fails the build of the target group. A warning: the
/// Service may gain the port later.
void CheckNamedHealthCheckPort(const IngressView& view, const cluster::Object& service,
                               const std::string& name, Verdict& verdict) {
  static const std::string kKey = std::string(kAlbAnnotationPrefix) + "healthcheck-port";
  const std::string* port = service.Annotation(kKey);
  if (port == nullptr) port = view.Annotation(kKey);
  if (port == nullptr || *port == "traffic-port" ||
      ParseGoInt(*port, 32).error == GoInt::Error::kNone) {
    return;
  }
  const ServiceBackend named{nullptr, {}, *port, std::nullopt};
  if (HasPort(service, named)) return;
  // The LBC's words (buildTargetGroupHealthCheckPort, k8s.LookupServicePort).
  verdict.Warn("healthcheck-port", "target group for Service " + name +
                                       ": failed to resolve healthCheckPort: unable to find port " +
                                       *port + " on service " + name);
}

}  // namespace

void CheckIngressServices(const Context& ctx, const IngressView& view, Verdict& verdict) {
  const cluster::ClusterState* cluster = AvailableCluster(ctx);
  if (cluster == nullptr || view.ns.empty()) return;  // no namespace: its Services are unknown
  std::set<std::string> reported;     // "<service>" and "<service>:<port>", each reported once
  std::optional<std::set<Said>> own;  // computed once, when a merge has findings
  const std::vector<Finding> hedged = HedgedFindings(view, own);
  bool all_known = true;  // every backend Service is in the view (and its target group judged)
  bool any_service = false;
  MergedJudgements judgements;
  std::optional<std::size_t> ingress_bytes;
  for (const ServiceBackend& backend : ServiceBackends(view)) {
    any_service = true;
    std::string name = view.ns;
    name += '/';
    name += backend.service;
    const cluster::Object* service = cluster->FindService(view.ns, backend.service);
    if (service == nullptr) {
      all_known = false;
      if (reported.insert(name).second) {
        verdict.Warn("backend", backend.first->Location() + ": Service " + name +
                                    " does not exist (yet) in the cluster");
      }
      continue;
    }
    if (!HasPort(*service, backend) && reported.insert(name + ":" + backend.PortText()).second) {
      // The LBC's words (k8s.LookupServicePort).
      verdict.Warn("backend", backend.first->Location() + ": unable to find port " +
                                  backend.PortText() + " on service " + name);
    }
    if (!reported.insert(name).second) continue;  // what follows: once per Service
    CheckNamedHealthCheckPort(view, *service, name, verdict);
    // When the Service sets none and nothing is hedged, the Ingress alone decides, and its
    // own checks have judged it; else the target group's final values are judged.
    Overrides overrides = ServiceOverrides(*service);
    if (overrides.empty() && hedged.empty()) continue;
    if (!ingress_bytes) ingress_bytes = TargetGroupBytes(view);
    const std::vector<Finding>* judged = judgements.Judge(view, overrides, *ingress_bytes);
    if (judged == nullptr) {
      all_known = false;
      continue;
    }
    ReportMergedFindings(view, *judged, own, name, verdict);
  }
  if (judgements.not_judged != 0) {
    verdict.Warn("backend", "the target groups of " + std::to_string(judgements.not_judged) +
                                " backend Services were not judged: their Services' " +
                                "target-group annotations differ, and judging each set again " +
                                "would pass " + std::to_string(kMergedJudgementBytes >> 20) +
                                " MiB of annotations");
  }
  // Every backend's target group judged on its final values: the hedged findings are settled.
  if (!hedged.empty() && any_service && all_known) {
    for (const Finding& h : hedged) {
      auto it = std::find(verdict.findings.begin(), verdict.findings.end(), h);
      if (it != verdict.findings.end()) verdict.findings.erase(it);
    }
  }
}

}  // namespace albwebhook::rules
