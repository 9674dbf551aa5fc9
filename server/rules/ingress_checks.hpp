// Private building blocks of the Ingress rule sets (validator and mutator share them).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "albwebhook/policy/policy.hpp"
#include "albwebhook/rules/rule.hpp"
#include "rules/annotation_parsers.hpp"

namespace albwebhook::rules {

/// One backend of the Ingress (spec.defaultBackend or a rule path).
struct IngressBackend {
  bool in_rule_path = false;  // false for spec.defaultBackend
  std::size_t rule = 0;       // spec.rules[rule].http.paths[index].backend when in_rule_path
  std::size_t index = 0;      // (the location is spelled out only for a finding)
  bool has_service = false;
  bool has_resource = false;
  std::string service_name;                 // "" when absent or not a string
  std::string port_name;                    // "" when absent (numbered port) or not a string
  std::optional<std::int64_t> port_number;  // service.port.number when an integer

  /// "spec.defaultBackend", "spec.rules[0].http.paths[1].backend"
  std::string Location() const;
};

/// One rules[].http.paths[] entry's path (string-valued fields only).
struct IngressPath {
  std::size_t rule = 0;   // spec.rules[rule].http.paths[index]
  std::size_t index = 0;  // (a location string is built only for a finding)
  std::string path;       // "" when absent or not a string
  std::string path_type;  // "" when absent or not a string (ImplementationSpecific to the LBC)

  std::string Location() const {
    return "spec.rules[" + std::to_string(rule) + "].http.paths[" + std::to_string(index) + "]";
  }
};

/// A read-only, type-safe view of an Ingress object. Built without ever throwing: wrong types are
/// recorded in `structure_problems` / `annotation_problems` and otherwise ignored.
struct IngressView {
  std::string ns;
  std::string name;
  // String-valued annotations only, sorted; looked up by string_view without a copy.
  std::map<std::string, std::string, std::less<>> annotations;
  std::vector<std::string> structure_problems;   // wrong types in metadata/spec
  std::vector<std::string> annotation_problems;  // annotations not a map, values not strings
  std::vector<IngressBackend> backends;
  std::vector<IngressPath> paths;  // only those PathMayBeRejected (an Ingress may have thousands)
  /// The entries of spec.rules[].http.paths arrays (cluster::IngressRulePaths of the object).
  std::size_t rule_paths = 0;
  /// The target-group annotations are a target group's own: a backend Service's merged over the
  /// Ingress's (ingress_service_checks.cpp). Otherwise a Service annotation may still override
  /// one of them (the LBC merges the Service's over the Ingress's), and a check whose verdict
  /// depends on another target-group annotation (success-codes on backend-protocol-version,
  /// the health-check timeout on the interval) only warns.
  bool target_group_final = false;

  /// Full annotation key lookup; nullptr when absent.
  const std::string* Annotation(std::string_view key) const;
  /// `alb.ingress.kubernetes.io/<suffix>` lookup; nullptr when absent.
  const std::string* Alb(std::string_view suffix) const;

  /// The values this request's checks parse, each parsed once (issue 14): the annotation checks,
  /// LocalEffective and the candidate's MemberConfig read listen-ports, certificate-arn and tags.
  /// Keyed by the raw text (the parsers are pure functions of it), so a view edited or copied
  /// after a parse is never served another value's result. One request's, never shared between
  /// threads; entries are never moved (references stay valid while the view lives).
  struct ParseMemo {
    std::map<std::string, ListenPortsResult, std::less<>> listen_ports;
    std::map<std::string, std::vector<std::string>, std::less<>> string_lists;
    std::map<std::string, std::optional<policy::StringMap>, std::less<>> string_maps;
  };
  mutable ParseMemo parse_memo;

  /// ParseListenPorts(raw), ParseStringList(raw), ParseStringMap(raw), memoized on this view.
  const ListenPortsResult& ListenPorts(std::string_view raw) const;
  const std::vector<std::string>& StringList(std::string_view raw) const;
  const std::optional<policy::StringMap>& StringMap(std::string_view raw) const;
};

/// `spec`: read instead of `object`'s spec when given (see DefaultsView).
IngressView ReadIngress(const nlohmann::json& object, std::string_view request_ns,
                        const nlohmann::json* spec = nullptr);

/// The check names the per-annotation grammar checks report (one per checked suffix; aliases such
/// as web-acl-id report their canonical name), in table order.
std::vector<std::string> AnnotationCheckNames();

/// PRODUCT.md "Scope": the class annotation wins, then spec.ingressClassName, then
/// manageIngressesWithoutClass.
/// With the cluster view (`cluster` available, else pass nullptr): also spec.ingressClassName
/// naming an IngressClass whose controller is the LBC's, and a class-less Ingress under a default
/// IngressClass of the LBC; a class the cluster does not have is not ours (PRODUCT.md "Scope with
/// the view").
bool IsIngressInScope(const policy::IngressPolicy& policy, const nlohmann::json& object,
                      const cluster::ClusterState* cluster = nullptr);

/// The cluster state a rule may rely on: ctx.cluster when the view is on and available.
const cluster::ClusterState* AvailableCluster(const Context& ctx);

/// The one warning an in-scope Ingress gets while the view is on but unavailable.
inline constexpr std::string_view kIngressViewUnavailable =
    "cluster view unavailable: IngressClass and IngressGroup checks skipped";

/// Applies `policy.defaults` in place where the user set nothing. Idempotent; never throws; leaves
/// objects of unexpected shape untouched.
void ApplyIngressDefaults(const policy::IngressPolicy& policy, nlohmann::json& object);

/// False when ApplyIngressDefaults(policy, object) certainly leaves `object` as it is (no
/// annotation, tag, attribute or ssl-redirect default, and no class annotation to migrate), so
/// that callers can skip copying it. True means it may change it.
bool IngressDefaultsMayChange(const policy::IngressPolicy& policy, const nlohmann::json& object);

/// The members of `object` (an object) that ApplyIngressDefaults and the scope check read or
/// write: all but metadata.managedFields, with spec reduced to its ingressClassName. The Ingress
/// mutator's Skeleton (rule.hpp), and what DefaultsView applies the defaults to.
nlohmann::json DefaultsSkeleton(const nlohmann::json& object);

/// ReadIngress(object with `policy.defaults` applied), without copying the whole object: the
/// defaults only touch metadata.annotations and spec.ingressClassName (which ReadSpec ignores), so
/// they are applied to a skeleton (no metadata.managedFields, spec reduced to ingressClassName)
/// and the rules are read from the object's own spec. No copy at all when the defaults cannot
/// change the object.
IngressView DefaultsView(const policy::IngressPolicy& policy, const nlohmann::json& object,
                         std::string_view request_ns);

/// The listeners the LBC would build for this Ingress: listen-ports when it parses, otherwise the
/// LBC default (HTTPS 443 when certificate-arn lists a certificate, else HTTP 80). `explicit_ports`
/// is false when the default applies; nullopt when listen-ports is set but malformed.
struct EffectiveListeners {
  std::vector<ListenPort> ports;
  bool explicit_ports = false;
};
std::optional<EffectiveListeners> GetEffectiveListeners(const IngressView& view);

/// scheme annotation value, or the LBC default `internal`.
std::string EffectiveScheme(const IngressView& view);

/// The known alb.ingress.kubernetes.io suffixes, and the closest known key to an unknown one
/// (ingress_annotation_catalog.cpp).
bool IsKnownAlbSuffix(std::string_view suffix);
std::optional<std::string> SuggestAlbAnnotation(std::string_view key);
/// The check name (Finding::check) of an annotation: its suffix, its family for `<family>.<name>`
/// suffixes ("actions", "conditions"...), "waf-acl-id" for its alias web-acl-id.
std::string AlbAnnotationCheckName(std::string_view suffix);
/// One of the ALB's predefined ELBSecurityPolicy-* names.
bool IsPredefinedSslPolicy(std::string_view name);

/// What the policy rules judge: the Ingress's effective configuration. Object-local without the
/// cluster view (LocalEffective); with it, IngressClassParams merged over the annotations and the
/// values the IngressGroup shares (scheme, WAF, ssl-redirect) taken from the whole group.
struct EffectiveIngress {
  std::string scheme;                           // "internal" unless set
  bool has_waf = false;                         // a WAF (not "none") on the ALB
  std::optional<EffectiveListeners> listeners;  // nullopt: unknown or malformed
  bool has_ssl_redirect = false;
  std::optional<std::string> ssl_policy;
  std::vector<std::string> certificate_arns;
  std::optional<policy::StringMap> tags;  // nullopt: malformed
  std::optional<std::string> group;       // explicit group name
  /// The namespaces of the group's other members; nullopt when unknown (no cluster view).
  std::optional<std::vector<std::string>> member_namespaces;
};
EffectiveIngress LocalEffective(const IngressView& view);

/// With the cluster view available: the LBC's IngressClass checks, IngressClassParams merged
/// into `effective`, and the whole IngressGroup judged (ingress_cluster_checks.cpp).
void CheckIngressWithCluster(const Context& ctx, const cluster::ClusterState& cluster,
                             const nlohmann::json& object, const IngressView& view,
                             EffectiveIngress& effective, Verdict& verdict);

// Check groups; each appends findings to the verdict.
void CheckIngressStructure(const IngressView& view, Verdict& verdict);
/// The API server's own validation of a new Ingress's spec, in its words, as warnings: what it
/// refuses before any webhook is called. Offline (`alb-webhook check`) CREATEs only.
void CheckIngressApiServer(const Context& ctx, const nlohmann::json& object, Verdict& verdict);
void CheckIngressAnnotations(const IngressView& view, Verdict& verdict);
void CheckLoadBalancerAttributes(std::string_view raw, Verdict& verdict);
void CheckTargetGroupAttributes(std::string_view raw, Verdict& verdict);
void CheckIngressConditions(const IngressView& view, Verdict& verdict);
void CheckIngressBackends(const IngressView& view, Verdict& verdict);
/// The LBC's path-pattern build (wildcards in Prefix/Exact paths) and AWS's path-pattern limits.
void CheckIngressPaths(const IngressView& view, Verdict& verdict);
/// Cheap pre-filter for ReadIngress: only a path with a wildcard or of more than 126 characters
/// can fail CheckIngressPaths, so only those are kept in the view.
bool PathMayBeRejected(std::string_view path);
/// The LBC's flag-driven bans on new usage. `object` is the Ingress as sent (the class annotation
/// is judged there, before any migration); the group name on `view`.
void CheckIngressParity(const policy::IngressPolicy& policy, const IngressView& view,
                        const nlohmann::json& object, const nlohmann::json& old_object,
                        Verdict& verdict);
void CheckIngressPolicyRules(const Context& ctx, const IngressView& view,
                             const EffectiveIngress& effective, Verdict& verdict);

/// "alb.ingress.kubernetes.io/<suffix> "<value>": <problem>"
/// `max_value_bytes`: see QuoteValue (kWarningValueBytes for warnings).
std::string AnnotationMessage(std::string_view suffix, std::string_view value,
                              std::string_view problem, std::size_t max_value_bytes = 60);

}  // namespace albwebhook::rules
