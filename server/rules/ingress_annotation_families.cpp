// Value checks for the annotations the LBC gained after the core set: target-control-port.*,
// capacity reservation, IPAM, prefix lists, target node labels, ACM certificate management, the
// auth-* family, mutual-authentication, jwt-validation and the frontend NLB. Each follows the
// LBC's parser (pkg/ingress, v3.5) and AWS's limits where the LBC passes the value through; a
// value whose use depends on something outside this Ingress (a controller flag, IngressClassParams,
// a backend Service, another group member) is a warning.
#include <algorithm>

#include "common/aws_formats.hpp"
#include "common/kubernetes_formats.hpp"
#include "common/text.hpp"
#include "rules/ingress_annotation_check.hpp"

namespace albwebhook::rules {
namespace {

constexpr std::string_view kTargetControlPort = "target-control-port.";

/// An EC2 resource ID: `prefix` then 8 or 17 lowercase hex digits.
bool IsEc2Id(std::string_view id, std::string_view prefix) {
  if (id.rfind(prefix, 0) != 0) return false;
  std::string_view hex = id.substr(prefix.size());
  return (hex.size() == 8 || hex.size() == 17) &&
         std::all_of(hex.begin(), hex.end(), common::IsLowerHex);
}

/// `target-control-port.<svc>.<port>`: the LBC's ParseInt32Annotation, then AWS's port range.
void CheckTargetControlPort(const Annotation& a) {
  std::string_view key = a.suffix.substr(kTargetControlPort.size());
  std::size_t dot = key.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == key.size()) {
    a.Warn("the LBC reads only keys of the form target-control-port.<service>.<port>");
  }
  CheckInt(a, 1, 65535);
}

/// The bare key is never read: the LBC builds the key from the backend's Service and port.
void CheckBareTargetControlPort(const Annotation& a) {
  a.Warn("the LBC reads only keys of the form target-control-port.<service>.<port>");
}

/// The LBC's buildLoadBalancerMinimumCapacity: stringMap whose only key is CapacityUnits, value
/// strconv.ParseInt(v, 10, 32).
void CheckMinimumCapacity(const Annotation& a) {
  auto parsed = ParseStringMap(a.value);
  if (!parsed) {
    a.Deny("malformed; accepted: CapacityUnits=<integer>");
    return;
  }
  for (const auto& [key, value] : *parsed) {
    if (key != "CapacityUnits") {
      a.Deny("invalid key to set the capacity: " + key + ", Expected key: CapacityUnits");
    } else if (ParseGoInt(value, 32).error != GoInt::Error::kNone) {
      a.Deny("invalid value to set the capacity: " + QuoteValue(value) + " (an integer)");
    }
  }
}

bool IsAlnumAscii(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// AWS IpamPoolId: ^ipam-pool-[a-zA-Z0-9]+$ (the LBC ignores an empty value).
void CheckIpamPoolId(const Annotation& a) {
  constexpr std::string_view kPrefix = "ipam-pool-";
  if (a.value.empty()) return;
  std::string_view rest =
      std::string_view(a.value).substr(std::min(a.value.size(), kPrefix.size()));
  if (a.value.rfind(kPrefix, 0) != 0 || rest.empty() || a.value.size() > 1000 ||
      !std::all_of(rest.begin(), rest.end(), IsAlnumAscii)) {
    a.Deny("must be an IPAM pool ID (ipam-pool- followed by letters and digits)");
  }
}

/// Prefix list IDs go to the security group rules as they are: no name lookup.
void CheckPrefixLists(const Annotation& a) {
  CheckListItems(a, [](const std::string& item) -> std::optional<std::string> {
    if (IsEc2Id(item, "pl-")) return std::nullopt;
    return "must be a prefix list ID (pl- followed by 8 or 17 lowercase hex digits)";
  });
}

/// Node labels become the TargetGroupBinding's nodeSelector.matchLabels, for instance targets
/// only (the target type may come from the Service or the controller default): warnings.
void CheckTargetNodeLabels(const Annotation& a) {
  auto parsed = ParseStringMap(a.value);
  if (!parsed) {
    a.Warn(
        "malformed; accepted: label=value pairs separated by commas (used for instance targets)");
    return;
  }
  for (const auto& [key, value] : *parsed) {
    if (!common::IsLabelKey(key)) {
      a.Warn("label key " + QuoteValue(key) + " is not a valid Kubernetes label key");
    } else if (!common::IsLabelValue(value)) {
      a.Warn("label " + key + " has a value that is not a valid Kubernetes label value");
    }
  }
}

/// The LBC ignores a parse error of create-acm-cert (no certificate is created).
void CheckCreateAcmCert(const Annotation& a) {
  if (!ParseGoBool(a.value)) a.Warn("not a boolean (true or false); the LBC ignores it");
}

bool IsAcmPcaArn(std::string_view text) {
  constexpr std::string_view kResource = "certificate-authority/";
  auto arn = common::ParseArn(text);
  return arn && arn->service == "acm-pca" && common::IsAccountId(arn->account) &&
         arn->resource.rfind(kResource, 0) == 0 &&
         common::IsUuid(std::string_view(arn->resource).substr(kResource.size()));
}

/// Used only when the LBC creates certificates (feature gate EnableCertificateManagement).
void CheckAcmPcaArn(const Annotation& a) {
  if (a.value.empty() || IsAcmPcaArn(a.value)) return;
  a.Warn(
      "not an ACM Private CA ARN "
      "(arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<uuid>)");
}

/// The auth-type this Ingress sets ("" when absent; a backend Service's annotations win).
std::string IngressAuthType(const IngressView& view) {
  const std::string* type = view.Alb("auth-type");
  return type == nullptr ? std::string() : *type;
}

/// An HTTPS listener on this Ingress itself (listen-ports, or certificate-arn's default).
bool HasLocalHttps(const IngressView& view) {
  auto listeners = GetEffectiveListeners(view);
  return listeners && std::any_of(listeners->ports.begin(), listeners->ports.end(),
                                  [](const ListenPort& p) { return p.protocol == "HTTPS"; });
}

/// The LBC authenticates on HTTPS listeners only: a local auth-type cognito/oidc and a local HTTPS
/// listener make AWS see the value for sure.
bool AuthApplies(const IngressView& view) {
  std::string type = IngressAuthType(view);
  return (type == "cognito" || type == "oidc") && HasLocalHttps(view);
}

/// The LBC's buildAuthType ("unknown authType"); an IdP annotation the type needs is a warning,
/// since a backend Service's annotations are merged in.
void CheckAuthType(const Annotation& a) {
  CheckEnum(a, {"none", "oidc", "cognito"});
  if (a.value != "cognito" && a.value != "oidc") return;
  std::string idp = "auth-idp-" + a.value;
  if (a.view.Alb(idp) == nullptr) {
    a.Warn("needs " + idp + ", which this Ingress does not set (a backend Service may)");
  }
}

/// A value AWS rejects only when authentication is on: a denial when AuthApplies, a warning
/// otherwise (a backend Service or IngressClassParams may turn it on).
void DenyWhenAuthApplies(const Annotation& a, std::string_view problem) {
  a.DenyIfUsed(AuthApplies(a.view), problem,
               "used with auth-type cognito or oidc on an HTTPS listener");
}

void CheckAuthOnUnauthenticated(const Annotation& a) {
  if (a.value == "deny" || a.value == "allow" || a.value == "authenticate") return;
  DenyWhenAuthApplies(a, "must be one of deny, allow, authenticate");
}

/// The LBC's ParseInt64Annotation (always), then AWS's SessionTimeout range 1-604800.
void CheckAuthSessionTimeout(const Annotation& a) {
  GoInt parsed = ParseGoInt(a.value, 64);
  if (parsed.error != GoInt::Error::kNone) {
    a.Deny("must be an integer (seconds, 1-604800)");
  } else if (parsed.value < 1 || parsed.value > 604800) {
    DenyWhenAuthApplies(a, "must be within [1, 604800] seconds");
  }
}

// The LBC's AuthIDPConfig* structs (config_types.go); authenticationRequestExtraParams is a
// map[string]string the type emulator does not describe: left out, never a false alarm.
const GoType kCognitoIdp{
    GoKind::kStruct,
    "ingress.AuthIDPConfigCognito",
    {{"userPoolARN", &kGoString}, {"userPoolClientID", &kGoString}, {"userPoolDomain", &kGoString}},
    nullptr};
const GoType kOidcIdp{GoKind::kStruct,
                      "ingress.AuthIDPConfigOIDC",
                      {{"issuer", &kGoString},
                       {"authorizationEndpoint", &kGoString},
                       {"tokenEndpoint", &kGoString},
                       {"userInfoEndpoint", &kGoString},
                       {"secretName", &kGoString}},
                      nullptr};

/// json.Unmarshal as the LBC's ParseJSONAnnotation (every backend build); then the fields AWS
/// requires when this Ingress's auth-type selects the IdP.
void CheckIdpJson(const Annotation& a, const GoType& type, std::string_view auth_type,
                  std::initializer_list<std::string_view> required) {
  std::optional<nlohmann::json> config = DecodeGoJson(a, type);
  if (!config || IngressAuthType(a.view) != auth_type) return;
  for (std::string_view field : required) {
    if (GoString(*config, field).empty()) {
      DenyWhenAuthApplies(
          a, std::string(field) + " is required with auth-type " + std::string(auth_type));
    }
  }
}

void CheckAuthIdpCognito(const Annotation& a) {
  CheckIdpJson(a, kCognitoIdp, "cognito", {"userPoolARN", "userPoolClientID", "userPoolDomain"});
}

void CheckAuthIdpOidc(const Annotation& a) {
  CheckIdpJson(
      a, kOidcIdp, "oidc",
      {"issuer", "authorizationEndpoint", "tokenEndpoint", "userInfoEndpoint", "secretName"});
}

// The LBC's MutualAuthenticationConfig (model_build_listener.go), unmarshalled as a slice.
const GoType kMtlsEntry{GoKind::kStruct,
                        "ingress.MutualAuthenticationConfig",
                        {{"port", &kGoInt32},
                         {"mode", &kGoString},
                         {"trustStore", &kGoString},
                         {"ignoreClientCertificateExpiry", &kGoBool},
                         {"advertiseTrustStoreCaNames", &kGoString}},
                        nullptr};
const GoType kMtlsEntries{GoKind::kSlice, "[]ingress.MutualAuthenticationConfig", {}, &kMtlsEntry};

/// The LBC's validateMutualAuthenticationConfig for one entry: its first error.
std::optional<std::string> MtlsEntryProblem(const nlohmann::json& entry) {
  const nlohmann::json* port_json = GoPtr(entry, "port");
  std::int64_t port = port_json != nullptr ? port_json->get<std::int64_t>() : 0;
  std::string on_port = " for port " + std::to_string(port);
  std::string mode = GoString(entry, "mode");
  std::string trust_store = GoString(entry, "trustStore");
  bool verify = mode == "verify";
  if (port < 1 || port > 65535)
    return "listen port must be within [1, 65535]: " + std::to_string(port);
  if (mode.empty()) return "mutualAuthentication mode cannot be empty" + on_port;
  if (mode != "off" && mode != "passthrough" && !verify) {
    return "mutualAuthentication mode value must be among [off, passthrough, verify]" + on_port +
           " : " + mode;
  }
  if (verify && trust_store.empty()) {
    return "trustStore is required when mutualAuthentication mode is verify" + on_port;
  }
  if (!verify && !trust_store.empty()) {
    return "Mutual Authentication mode " + mode + " does not support trustStore" + on_port;
  }
  if (!verify && GoPtr(entry, "ignoreClientCertificateExpiry") != nullptr) {
    return "Mutual Authentication mode " + mode +
           " does not support ignoring client certificate expiry" + on_port;
  }
  const nlohmann::json* advertise = GoPtr(entry, "advertiseTrustStoreCaNames");
  if (advertise == nullptr) return std::nullopt;
  if (!verify) {
    return "Mutual Authentication mode " + mode + " does not support advertiseTrustStoreCaNames" +
           on_port;
  }
  std::string value = advertise->get<std::string>();
  if (value == "on" || value == "off") return std::nullopt;
  return R"(advertiseTrustStoreCaNames only supports the values "on" and "off" got value )" +
         value + on_port;
}

/// The LBC's computeIngressMutualAuthentication: json.Unmarshal, non-empty, then the first entry
/// error (the trust-store name lookup needs AWS).
void CheckMutualAuthentication(const Annotation& a) {
  std::optional<nlohmann::json> entries = DecodeGoJson(a, kMtlsEntries);
  if (!entries) return;
  if (!entries->is_array() || entries->empty()) {
    a.Deny("empty mutualAuthentication configuration");
  } else {
    for (const auto& entry : *entries) {
      if (auto problem = MtlsEntryProblem(entry)) {
        a.Deny(*problem);
        return;
      }
    }
  }
}

// The LBC's JwtValidationConfig (config_types.go).
const GoType kClaimFormat{GoKind::kString, "ingress.jwtAdditionalClaimFormat", {}, nullptr};
const GoType kJwtClaim{
    GoKind::kStruct,
    "ingress.JwtAdditionalClaim",
    {{"format", &kClaimFormat}, {"name", &kGoString}, {"values", &kGoStringSlice}},
    nullptr};
const GoType kJwtClaims{GoKind::kSlice, "[]ingress.JwtAdditionalClaim", {}, &kJwtClaim};
const GoType kJwtConfig{
    GoKind::kStruct,
    "ingress.JwtValidationConfig",
    {{"jwksEndpoint", &kGoString}, {"issuer", &kGoString}, {"additionalClaims", &kJwtClaims}},
    nullptr};

/// The LBC's buildJwtValidationConfig (every backend build): its first error.
std::optional<std::string> JwtProblem(const nlohmann::json& config) {
  if (GoString(config, "jwksEndpoint").empty()) {
    return "jwksEndpoint is a required field for jwt validation";
  }
  if (GoString(config, "issuer").empty()) return "issuer is a required field for jwt validation";
  const nlohmann::json* claims = GoPtr(config, "additionalClaims");
  if (claims == nullptr) return std::nullopt;
  for (const auto& claim : *claims) {
    if (GoString(claim, "format").empty()) {
      return "format is a required field for additional claims for jwt validation";
    }
    if (GoString(claim, "name").empty()) {
      return "name is a required field for additional claims for jwt validation";
    }
    if (GoLen(claim, "values") == 0) {
      return "values must not be empty for additional claims for jwt validation";
    }
  }
  return std::nullopt;
}

/// Claim formats AWS accepts (on an HTTPS listener only).
void CheckJwtClaimFormats(const Annotation& a, const nlohmann::json& config) {
  const nlohmann::json* claims = GoPtr(config, "additionalClaims");
  if (claims == nullptr) return;
  for (const auto& claim : *claims) {
    std::string format = GoString(claim, "format");
    if (format == "single-string" || format == "string-array" ||
        format == "space-separated-values") {
      continue;
    }
    std::string problem = "claim format " + QuoteValue(format) +
                          " must be one of single-string, string-array, space-separated-values";
    if (HasLocalHttps(a.view)) {
      a.Deny(problem);
    } else {
      a.Warn(problem + " (used on an HTTPS listener)");
    }
  }
}

void CheckJwtValidation(const Annotation& a) {
  std::optional<nlohmann::json> config = DecodeGoJson(a, kJwtConfig);
  if (!config) return;
  if (auto problem = JwtProblem(*config)) {
    a.Deny(*problem);
    return;
  }
  CheckJwtClaimFormats(a, *config);
  if (AuthApplies(a.view)) a.Deny("authentication and jwt validation can't both be configured");
}

/// This Ingress itself turns the frontend NLB on (another group member may, too).
bool FrontendNlbEnabled(const IngressView& view) {
  const std::string* raw = view.Alb("enable-frontend-nlb");
  std::optional<bool> on = raw != nullptr ? ParseGoBool(*raw) : std::nullopt;
  return on && *on;
}

/// The LBC reads frontend-nlb-* only when the group enables the frontend NLB: a denial when this
/// Ingress enables it, a warning otherwise.
void DenyWhenFrontendNlb(const Annotation& a, std::string_view problem) {
  a.DenyIfUsed(FrontendNlbEnabled(a.view), problem,
               "used when enable-frontend-nlb is true for the group");
}

void CheckFrontendNlbScheme(const Annotation& a) {
  if (a.value == "internal" || a.value == "internet-facing") return;
  DenyWhenFrontendNlb(a, "unknown scheme: must be one of internal, internet-facing");
}

/// `prefix` items must be EC2 IDs; other items are Name tags (when `names` allows them).
void CheckFrontendNlbIds(const Annotation& a, std::string_view prefix, bool names) {
  for (const auto& item : ParseStringList(a.value)) {
    bool prefixed = item.rfind(prefix, 0) == 0;
    if (IsEc2Id(item, prefix) || (names && !prefixed)) continue;
    DenyWhenFrontendNlb(a, "item " + QuoteValue(item) + " must be " + std::string(prefix) +
                               " followed by 8 or 17 lowercase hex digits");
  }
}

void CheckFrontendNlbSubnets(const Annotation& a) { CheckFrontendNlbIds(a, "subnet-", true); }
void CheckFrontendNlbSecurityGroups(const Annotation& a) { CheckFrontendNlbIds(a, "sg-", true); }

/// EIPs: allocation IDs, internet-facing only, one per subnet (validateEIPAllocations).
void CheckFrontendNlbEips(const Annotation& a) {
  CheckFrontendNlbIds(a, "eipalloc-", false);
  const std::string* scheme = a.view.Alb("frontend-nlb-scheme");
  if (scheme != nullptr && *scheme == "internal") {
    DenyWhenFrontendNlb(a, "EIP allocations can only be set for internet facing load balancers");
  }
  const std::string* subnets = a.view.Alb("frontend-nlb-subnets");
  std::size_t eips = ParseStringList(a.value).size();
  if (subnets != nullptr && ParseStringList(*subnets).size() != eips) {
    DenyWhenFrontendNlb(a, "count of EIP allocations (" + std::to_string(eips) + ") and subnets (" +
                               std::to_string(ParseStringList(*subnets).size()) + ") must match");
  }
}

/// parseFrontendNlbListenerPortMapping: stringMap of int32 NLB port to int32 ALB port.
void CheckFrontendNlbPortMapping(const Annotation& a) {
  auto parsed = ParseStringMap(a.value);
  if (!parsed) {
    DenyWhenFrontendNlb(a, "malformed; accepted: <nlb-port>=<alb-port> pairs separated by commas");
    return;
  }
  for (const auto& [nlb, alb] : *parsed) {
    if (ParseGoInt(nlb, 32).error != GoInt::Error::kNone) {
      DenyWhenFrontendNlb(a, "invalid NLB listener port: " + nlb);
    } else if (ParseGoInt(alb, 32).error != GoInt::Error::kNone) {
      DenyWhenFrontendNlb(a, "invalid ALB listener port: " + alb);
    }
  }
}

/// traffic-port or an integer (intstr.Parse); AWS: 1-65535.
void CheckFrontendNlbHealthCheckPort(const Annotation& a) {
  if (a.value == "traffic-port") return;
  GoInt port = ParseGoInt(a.value, 32);
  if (port.error != GoInt::Error::kNone) {
    DenyWhenFrontendNlb(a,
                        "failed to resolve healthCheckPort: must be traffic-port or a port number");
  } else if (port.value < 1 || port.value > 65535) {
    DenyWhenFrontendNlb(a, "port must be within [1, 65535]");
  }
}

void CheckFrontendNlbHealthCheckProtocol(const Annotation& a) {
  if (a.value == "HTTP" || a.value == "HTTPS") return;
  DenyWhenFrontendNlb(a, "healthCheckProtocol must be within [HTTP, HTTPS]");
}

void CheckFrontendNlbHealthCheckPath(const Annotation& a) {
  if (a.value.empty() || a.value.front() != '/') {
    DenyWhenFrontendNlb(a, "must begin with /");
  } else if (a.value.size() > 1024) {
    DenyWhenFrontendNlb(a, "must be at most 1024 characters");
  }
}

/// Passed to AWS as the frontend NLB target group's HTTP matcher (buildFrontendNlbTargetGroup-
/// HealthCheckMatcher reads it as a plain string): AWS's NLB codes, 200-599.
void CheckFrontendNlbSuccessCodes(const Annotation& a) {
  if (auto problem = CheckNlbSuccessCodes(a.value)) {
    DenyWhenFrontendNlb(a, *problem + " (NLB HTTP codes 200-599, e.g. 200, 200,204 or 200-399)");
  }
}

/// An int32 (ParseInt32Annotation) within AWS's target-group range [lo, hi].
void CheckFrontendNlbInt(const Annotation& a, std::int64_t lo, std::int64_t hi) {
  GoInt parsed = ParseGoInt(a.value, 32);
  if (parsed.error == GoInt::Error::kNone && parsed.value >= lo && parsed.value <= hi) return;
  DenyWhenFrontendNlb(
      a, "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
}

/// getFrontendNlbAttributes: stringMap; dns_record.client_routing_policy is an enum.
void CheckFrontendNlbAttributes(const Annotation& a) {
  auto parsed = ParseStringMap(a.value);
  if (!parsed) {
    DenyWhenFrontendNlb(a, "malformed; accepted: key=value pairs separated by commas");
    return;
  }
  auto policy = std::find_if(parsed->begin(), parsed->end(), [](const auto& entry) {
    return entry.first == "dns_record.client_routing_policy";
  });
  if (policy == parsed->end()) return;
  const std::string& v = policy->second;
  if (v == "availability_zone_affinity" || v == "partial_availability_zone_affinity" ||
      v == "any_availability_zone") {
    return;
  }
  DenyWhenFrontendNlb(a, "invalid dns_record.client_routing_policy " + QuoteValue(v) +
                             ": must be one of any_availability_zone, "
                             "partial_availability_zone_affinity, availability_zone_affinity");
}

void CheckFrontendNlbTags(const Annotation& a) {
  if (!ParseStringMap(a.value)) {
    DenyWhenFrontendNlb(a, "malformed; accepted: key=value pairs separated by commas");
  }
}

const AnnotationCheck kFamilyChecks[] = {
    {"target-control-port", CheckBareTargetControlPort},
    {"minimum-load-balancer-capacity", CheckMinimumCapacity},
    {"ipam-ipv4-pool-id", CheckIpamPoolId},
    {"security-group-prefix-lists", CheckPrefixLists},
    {"target-node-labels", CheckTargetNodeLabels},
    {"create-acm-cert", CheckCreateAcmCert},
    {"acm-pca-arn", CheckAcmPcaArn},
    {"auth-type", CheckAuthType},
    {"auth-on-unauthenticated-request", CheckAuthOnUnauthenticated},
    {"auth-session-timeout", CheckAuthSessionTimeout},
    {"auth-idp-cognito", CheckAuthIdpCognito},
    {"auth-idp-oidc", CheckAuthIdpOidc},
    {"mutual-authentication", CheckMutualAuthentication},
    {"jwt-validation", CheckJwtValidation},
    {"enable-frontend-nlb", CheckGoBool},
    {"frontend-nlb-scheme", CheckFrontendNlbScheme},
    {"frontend-nlb-subnets", CheckFrontendNlbSubnets},
    {"frontend-nlb-security-groups", CheckFrontendNlbSecurityGroups},
    {"frontend-nlb-eip-allocations", CheckFrontendNlbEips},
    {"frontend-nlb-listener-port-mapping", CheckFrontendNlbPortMapping},
    {"frontend-nlb-healthcheck-port", CheckFrontendNlbHealthCheckPort},
    {"frontend-nlb-healthcheck-protocol", CheckFrontendNlbHealthCheckProtocol},
    {"frontend-nlb-healthcheck-path", CheckFrontendNlbHealthCheckPath},
    {"frontend-nlb-healthcheck-interval-seconds",
     [](const Annotation& a) { CheckFrontendNlbInt(a, 5, 300); }},
    {"frontend-nlb-healthcheck-timeout-seconds",
     [](const Annotation& a) { CheckFrontendNlbInt(a, 2, 120); }},
    {"frontend-nlb-healthcheck-healthy-threshold-count",
     [](const Annotation& a) { CheckFrontendNlbInt(a, 2, 10); }},
    {"frontend-nlb-healthcheck-unhealthy-threshold-count",
     [](const Annotation& a) { CheckFrontendNlbInt(a, 2, 10); }},
    {"frontend-nlb-healthcheck-success-codes", CheckFrontendNlbSuccessCodes},
    {"frontend-nlb-attributes", CheckFrontendNlbAttributes},
    {"frontend-nlb-tags", CheckFrontendNlbTags},
};

}  // namespace

std::span<const AnnotationCheck> FamilyAnnotationChecks() { return kFamilyChecks; }

std::string MtlsAttributes::Text() const {
  std::string out = "{mode " + mode;
  if (!trust_store.empty()) out += ", trustStore " + trust_store;
  if (ignore_expiry)
    out += std::string(", ignoreClientCertificateExpiry ") + (*ignore_expiry ? "true" : "false");
  if (advertise_ca_names) out += ", advertiseTrustStoreCaNames " + *advertise_ca_names;
  return out + "}";
}

std::optional<std::map<std::int64_t, MtlsAttributes>> ParseMutualAuthentication(
    std::string_view raw) {
  GoJson parsed = ParseGoJson(raw);
  if (!parsed.error.empty() || GoUnmarshalTypeError(parsed.value, kMtlsEntries) ||
      !parsed.value.is_array() || parsed.value.empty()) {
    return std::nullopt;
  }
  std::map<std::int64_t, MtlsAttributes> out;
  for (const nlohmann::json& entry : parsed.value) {
    if (MtlsEntryProblem(entry)) return std::nullopt;  // also: the port is set and in range
    MtlsAttributes a{GoString(entry, "mode"), GoString(entry, "trustStore"), std::nullopt,
                     std::nullopt};
    if (const nlohmann::json* ignore = GoPtr(entry, "ignoreClientCertificateExpiry")) {
      a.ignore_expiry = ignore->get<bool>();
    } else if (a.mode == "verify") {
      a.ignore_expiry = false;
    }
    if (const nlohmann::json* advertise = GoPtr(entry, "advertiseTrustStoreCaNames")) {
      a.advertise_ca_names = advertise->get<std::string>();
    }
    out[GoPtr(entry, "port")->get<std::int64_t>()] = std::move(a);
  }
  return out;
}

bool CheckFamilyKeyAnnotation(const Annotation& a) {
  if (a.suffix.size() > kTargetControlPort.size() &&
      a.suffix.substr(0, kTargetControlPort.size()) == kTargetControlPort) {
    CheckTargetControlPort(a);
    return true;
  }
  return false;
}

}  // namespace albwebhook::rules
