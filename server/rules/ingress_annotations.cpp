// Per-annotation checks for alb.ingress.kubernetes.io/* (lbc-annotations.md, aws-limits.md), and
// the checks that look at two annotations together (health check timing, WAF exclusivity).
#include <algorithm>
#include <array>
#include <functional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/aws_formats.hpp"
#include "common/kubernetes_formats.hpp"
#include "common/text.hpp"
#include "rules/ingress_annotation_check.hpp"

namespace albwebhook::rules {
namespace {

constexpr int kMaxReportedItems = 5;

}  // namespace

void CheckEnum(const Annotation& a, std::initializer_list<std::string_view> accepted) {
  if (std::find(accepted.begin(), accepted.end(), a.value) != accepted.end()) return;
  a.Deny("must be one of " + common::JoinList(std::span(accepted.begin(), accepted.end())));
}

void CheckGoBool(const Annotation& a) {
  if (!ParseGoBool(a.value)) a.Deny("must be a boolean (true or false)");
}

std::optional<std::int64_t> CheckInt(const Annotation& a, std::int64_t lo, std::int64_t hi) {
  GoInt parsed = ParseGoInt(a.value, 32);
  std::string accepted = "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  if (parsed.error != GoInt::Error::kNone) {
    a.Deny("must be " + accepted);
    return std::nullopt;
  }
  if (parsed.value < lo || parsed.value > hi) a.Deny("must be " + accepted);
  return parsed.value;
}

void CheckListItems(
    const Annotation& a,
    const std::function<std::optional<std::string>(const std::string&)>& problem_of) {
  int reported = 0;
  for (const auto& item : a.view.StringList(a.value)) {
    auto problem = problem_of(item);
    if (!problem) continue;
    if (reported++ == kMaxReportedItems) break;
    a.Deny("item " + QuoteValue(item) + " " + *problem);
  }
}

std::optional<nlohmann::json> DecodeGoJson(const Annotation& a, const GoType& type) {
  GoJson parsed = ParseGoJson(a.value);
  std::optional<std::string> error =
      parsed.error.empty() ? GoUnmarshalTypeError(parsed.value, type) : parsed.error;
  if (error) {
    a.Deny("not valid JSON for the LBC: " + *error);
    return std::nullopt;
  }
  return std::move(parsed.value);
}

namespace {

void CheckListenPortsAnnotation(const Annotation& a) {
  const ListenPortsResult& parsed = a.view.ListenPorts(a.value);
  if (!parsed.error.empty()) {
    a.Deny(parsed.error + R"( (accepted: e.g. [{"HTTP": 80}, {"HTTPS": 443}]))");
    return;
  }
  if (parsed.ports.empty()) {
    a.Warn(
        "no entry names a port: the LBC builds no listener from this Ingress, so its rules "
        "serve no traffic");
    return;
  }
  // The LBC keeps one protocol per port (the last listed) and refuses nothing here: a warning,
  // since the other listener is silently dropped.
  if (parsed.dual) {
    const std::string head =
        "port " + std::to_string(parsed.dual->port) + " is listed as both HTTP and HTTPS; ";
    a.Warn(parsed.dual->random
               ? head +
                     "one entry names both, and the LBC takes either at random on each "
                     "reconcile: list it once"
               : head + "the LBC keeps the last, " + (parsed.dual->kept_https ? "HTTPS" : "HTTP") +
                     ", and drops the other");
  }
}

void CheckCertificateArns(const Annotation& a) {
  CheckListItems(a, [](const std::string& item) -> std::optional<std::string> {
    if (common::IsAcmCertificateArn(item) || common::IsIamServerCertificateArn(item))
      return std::nullopt;
    return "is not an ACM certificate ARN "
           "(arn:<partition>:acm:<region>:<account>:certificate/<uuid>) "
           "or an IAM server-certificate ARN";
  });
  auto listeners = GetEffectiveListeners(a.view);
  if (listeners && listeners->explicit_ports && !a.view.StringList(a.value).empty() &&
      std::none_of(listeners->ports.begin(), listeners->ports.end(),
                   [](const ListenPort& p) { return p.protocol == "HTTPS"; })) {
    a.Warn("unused: listen-ports has no HTTPS listener");
  }
}

void CheckSslPolicy(const Annotation& a) {
  constexpr std::string_view kPrefix = "ELBSecurityPolicy-";
  std::string_view rest =
      std::string_view(a.value).substr(std::min(a.value.size(), kPrefix.size()));
  bool shaped = a.value.rfind(kPrefix, 0) == 0 && !rest.empty() &&
                std::all_of(rest.begin(), rest.end(), [](char c) {
                  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '-';
                });
  if (!shaped) {
    a.Deny("must be an ELB security policy name like ELBSecurityPolicy-TLS13-1-2-2021-06");
    return;
  }
  if (!IsPredefinedSslPolicy(a.value)) a.Warn("not a predefined ALB security policy");
}

void CheckSslRedirect(const Annotation& a) {
  GoInt parsed = ParseGoInt(a.value, 32);
  if (parsed.error != GoInt::Error::kNone || parsed.value < 1 || parsed.value > 65535) {
    a.Deny("must be the port number of an HTTPS listen-port (1-65535)");
    return;
  }
  auto listeners = GetEffectiveListeners(a.view);
  if (!listeners) return;  // listen-ports itself is reported
  for (const auto& port : listeners->ports) {
    if (port.port != parsed.value) continue;
    if (port.protocol == "HTTPS") return;
    a.Deny("port " + std::to_string(parsed.value) +
           " is an HTTP listener; it must be an HTTPS listen-port");
    return;
  }
  // The redirect is the ALB's: another group member (the group may also come from the class's
  // IngressClassParams) or an IngressClassParams certificate can supply the HTTPS port.
  std::string problem = "no HTTPS listen-port " + std::to_string(parsed.value) + " on this Ingress";
  if (a.view.Alb("group.name") != nullptr) {
    a.Warn(problem + " (a group member must define it)");
  } else {
    a.Warn(problem + " (unless IngressClassParams or a group member supply it)");
  }
}

void CheckSubnets(const Annotation& a) {
  CheckListItems(a, [](const std::string& item) -> std::optional<std::string> {
    if (item.rfind("subnet-", 0) != 0 || common::IsSubnetId(item)) return std::nullopt;
    return "must be subnet- followed by 8 or 17 lowercase hex digits (other items are Name tags)";
  });
  auto items = ParseStringList(a.value);
  if (items.size() == 1 && common::IsSubnetId(items[0])) {
    a.Warn("an ALB needs subnets in at least 2 Availability Zones");
  }
}

void CheckSecurityGroups(const Annotation& a) {
  CheckListItems(a, [](const std::string& item) -> std::optional<std::string> {
    if (item.rfind("sg-", 0) != 0 || common::IsSecurityGroupId(item)) return std::nullopt;
    return "must be sg- followed by 8 or 17 lowercase hex digits (other items are Name tags)";
  });
}

void CheckInboundCidrs(const Annotation& a) {
  CheckListItems(a, [](const std::string& item) -> std::optional<std::string> {
    if (common::IsValidCidr(item)) return std::nullopt;
    return "must be an IPv4 or IPv6 CIDR with a prefix length, like 10.0.0.0/8 or ::/0";
  });
  for (const auto& item : ParseStringList(a.value)) {
    auto canonical = common::CanonicalCidr(item);
    if (canonical && *canonical != item) {
      a.Warn("host bits set in " + item + "; use " + *canonical);
    }
  }
}

void CheckIpAddressType(const Annotation& a) {
  CheckEnum(a, {"ipv4", "dualstack", "dualstack-without-public-ipv4"});
  // The scheme may come from IngressClassParams (which win over the annotation) or another group
  // member: judged on this Ingress alone, a warning.
  if (a.value == "dualstack-without-public-ipv4" && EffectiveScheme(a.view) != "internet-facing") {
    a.Warn(a.view.Alb("scheme") != nullptr
               ? "dualstack-without-public-ipv4 needs scheme internet-facing (unless "
                 "IngressClassParams set it)"
               : "dualstack-without-public-ipv4 needs scheme internet-facing, which this Ingress "
                 "does not set (IngressClassParams or a group member may)");
  }
}

void CheckWafAclId(const Annotation& a) {
  if (a.value.empty() || a.value == "none") return;
  if (a.value.rfind("arn:", 0) == 0) {
    a.Deny("takes a WAF Classic web ACL ID, not an ARN (use wafv2-acl-arn for WAFv2)");
  } else if (a.value.size() > 128 || a.value.find_first_not_of(" \t\r\n") == std::string::npos) {
    a.Deny("must be a WAF Classic web ACL ID (1-128 characters) or none");
  }
}

void CheckWafv2AclArn(const Annotation& a) {
  if (a.value.empty() || a.value == "none" || common::IsWafv2RegionalWebAclArn(a.value)) return;
  auto arn = common::ParseArn(a.value);
  if (arn && arn->service == "wafv2" && arn->resource.rfind("global/", 0) == 0) {
    a.Deny("is a global (CloudFront) web ACL; an ALB needs a regional one");
    return;
  }
  a.Deny(
      "must be a WAFv2 regional web ACL ARN "
      "(arn:<partition>:wafv2:<region>:<account>:regional/webacl/<name>/<id>) or none");
}

void CheckWafv2AclName(const Annotation& a) {
  if (a.value == "none") return;
  if (!common::IsWafv2AclName(a.value))
    a.Deny("must be a WAFv2 web ACL name ([A-Za-z0-9_-]{1,128})");
}

void CheckGroupName(const Annotation& a) {
  const std::string& v = a.value;
  bool ok = !v.empty() && common::IsLowerAlnum(v.front()) && common::IsLowerAlnum(v.back()) &&
            std::all_of(v.begin(), v.end(),
                        [](char c) { return common::IsLowerAlnum(c) || c == '-' || c == '.'; });
  if (!ok) {
    a.Deny(
        "groupName must consist of lower case alphanumeric characters, '-' or '.', and must "
        "start and end with an alphanumeric character");
  } else if (v.size() > 63) {
    a.Deny("groupName must be no more than 63 characters");
  }
}

void CheckHealthCheckPort(const Annotation& a) {
  if (a.value == "traffic-port") return;
  GoInt parsed = ParseGoInt(a.value, 32);
  if (parsed.error == GoInt::Error::kNone) {
    if (parsed.value < 1 || parsed.value > 65535) a.Deny("port must be within [1, 65535]");
    return;
  }
  // A Service port name: a DNS-1123 label (up to 63 characters; the 15-character IANA limit is
  // for container ports).
  if (!common::IsDns1123Label(a.value)) {
    a.Deny("must be traffic-port, a port number 1-65535 or a Service port name");
  }
}

void CheckHealthCheckPath(const Annotation& a) {
  if (a.value.empty() || a.value.front() != '/') {
    a.Deny("must begin with /");
  } else if (a.value.size() > 1024) {
    a.Deny("must be at most 1024 characters");
  }
}

void CheckSuccessCodesAnnotation(const Annotation& a) {
  const std::string* version = a.view.Alb("backend-protocol-version");
  bool grpc = version != nullptr && *version == "GRPC";
  auto problem = CheckSuccessCodes(a.value, grpc);
  if (!problem) return;
  std::string message = *problem + (grpc ? " (gRPC codes 0-99, e.g. 0, 0,12 or 0-5)"
                                         : " (HTTP codes 200-499, e.g. 200, 200,204 or 200-299)");
  // The codes' grammar is the target group's protocol version, which a backend Service's
  // backend-protocol-version annotation overrides (Argo CD's documented setup puts GRPC on the
  // Service and success-codes 0 on the Ingress). Codes valid for the other version: a warning
  // here, decided per Service with the cluster view.
  if (!a.view.target_group_final && !CheckSuccessCodes(a.value, !grpc)) {
    a.Warn(message + (grpc ? "; valid if a backend Service sets backend-protocol-version HTTP1 "
                             "or HTTP2"
                           : "; valid if a backend Service sets backend-protocol-version GRPC"));
    return;
  }
  a.Deny(std::move(message));
}

bool IsTagChar(unsigned char c) {
  if (c >= 0x80) return true;  // non-ASCII letters/numbers: left to AWS
  return std::isalnum(c) != 0 || c == ' ' || c == '_' || c == '.' || c == ':' || c == '/' ||
         c == '=' || c == '+' || c == '-' || c == '@';
}

void CheckTags(const Annotation& a) {
  const auto& parsed = a.view.StringMap(a.value);
  if (!parsed) {
    a.Deny(
        "malformed; accepted: key=value pairs separated by commas (escape a comma in a value "
        "as \\,)");
    return;
  }
  if (parsed->size() > 50) a.Deny("at most 50 tags are allowed");
  int reported = 0;
  for (const auto& [key, value] : *parsed) {
    std::optional<std::string> problem;
    if (common::Utf8Length(key) > 128) {
      problem = "tag key " + QuoteValue(key) + " is longer than 128 characters";
    } else if (common::Utf8Length(value) > 256) {
      problem = "tag " + key + " has a value longer than 256 characters";
    } else if (key.size() >= 4 && (key[0] == 'a' || key[0] == 'A') &&
               (key[1] == 'w' || key[1] == 'W') && (key[2] == 's' || key[2] == 'S') &&
               key[3] == ':') {
      problem = "tag key " + QuoteValue(key) + " uses the reserved aws: prefix";
    } else if (!std::all_of(key.begin(), key.end(), IsTagChar) ||
               !std::all_of(value.begin(), value.end(), IsTagChar)) {
      problem = "tag " + QuoteValue(key) +
                " may contain only letters, digits, spaces and _ . : / = + - @";
    }
    if (problem && reported++ < kMaxReportedItems) a.Deny(*problem);
  }
}

void CheckLoadBalancerName(const Annotation& a) {
  if (!common::IsElbName(a.value)) {
    a.Deny("must be 1-32 letters, digits or '-', not starting or ending with '-'");
  } else if (a.value.rfind("internal-", 0) == 0) {
    a.Deny("must not start with internal-");
  }
}

void CheckListenerAttributes(const Annotation& a) {
  std::string_view target = a.suffix.substr(std::string_view("listener-attributes.").size());
  std::size_t dash = target.find('-');
  std::string_view protocol = target.substr(0, dash);
  GoInt port = dash == std::string_view::npos ? GoInt{0, GoInt::Error::kSyntax}
                                              : ParseGoInt(target.substr(dash + 1), 32);
  if ((protocol != "HTTP" && protocol != "HTTPS") || port.error != GoInt::Error::kNone ||
      port.value < 1 || port.value > 65535) {
    a.Deny("the key must name a listener as listener-attributes.<HTTP|HTTPS>-<port>");
  }
  if (!ParseStringMap(a.value)) {
    a.Deny("malformed; accepted: key=value pairs separated by commas");
  }
}

void CheckActions(const Annotation& a) {
  for (const auto& problem : ValidateActionJson(a.value)) {
    a.Deny(problem.json_error ? "not a valid action: " + problem.text : problem.text);
  }
}

const AnnotationCheck kChecks[] = {
    {"scheme",
     [](const Annotation& a) {
       CheckEnum(a, {"internal", "internet-facing"});
     }},
    {"target-type",
     [](const Annotation& a) {
       CheckEnum(a, {"instance", "ip"});
     }},
    {"listen-ports", CheckListenPortsAnnotation},
    {"certificate-arn", CheckCertificateArns},
    {"ssl-policy", CheckSslPolicy},
    {"ssl-redirect", CheckSslRedirect},
    {"subnets", CheckSubnets},
    {"security-groups", CheckSecurityGroups},
    {"inbound-cidrs", CheckInboundCidrs},
    {"ip-address-type", CheckIpAddressType},
    {"waf-acl-id", CheckWafAclId},
    {"web-acl-id", CheckWafAclId},
    {"wafv2-acl-arn", CheckWafv2AclArn},
    {"wafv2-acl-name", CheckWafv2AclName},
    {"group.name", CheckGroupName},
    {"group.order", [](const Annotation& a) { CheckInt(a, -1000, 1000); }},
    {"healthcheck-protocol",
     [](const Annotation& a) {
       CheckEnum(a, {"HTTP", "HTTPS"});
     }},
    {"healthcheck-port", CheckHealthCheckPort},
    {"healthcheck-path", CheckHealthCheckPath},
    {"healthcheck-interval-seconds", [](const Annotation& a) { CheckInt(a, 5, 300); }},
    {"healthcheck-timeout-seconds", [](const Annotation& a) { CheckInt(a, 2, 120); }},
    {"healthy-threshold-count", [](const Annotation& a) { CheckInt(a, 2, 10); }},
    {"unhealthy-threshold-count", [](const Annotation& a) { CheckInt(a, 2, 10); }},
    {"success-codes", CheckSuccessCodesAnnotation},
    {"backend-protocol",
     [](const Annotation& a) {
       CheckEnum(a, {"HTTP", "HTTPS"});
     }},
    {"backend-protocol-version",
     [](const Annotation& a) {
       CheckEnum(a, {"HTTP1", "HTTP2", "GRPC"});
     }},
    {"tags", CheckTags},
    {"load-balancer-attributes",
     [](const Annotation& a) { CheckLoadBalancerAttributes(a.value, a.verdict); }},
    {"target-group-attributes",
     [](const Annotation& a) { CheckTargetGroupAttributes(a.value, a.verdict); }},
    {"shield-advanced-protection", CheckGoBool},
    {"use-regex-path-match", CheckGoBool},
    {"manage-backend-security-group-rules", CheckGoBool},
    {"multi-cluster-target-group", CheckGoBool},
    {"load-balancer-name", CheckLoadBalancerName},
    {"customer-owned-ipv4-pool",
     [](const Annotation& a) {
       if (a.value.empty()) a.Deny("must not be empty");
     }},
};

/// Timeout must stay below the interval (AWS: "Health check timeout must be smaller than the
/// interval"). Both explicit, or the target group's final values: deny. One explicit (the other
/// is the LBC default, which a Service annotation may override): warn.
void CheckHealthCheckTiming(const IngressView& view, Verdict& verdict) {
  const std::string* interval_raw = view.Alb("healthcheck-interval-seconds");
  const std::string* timeout_raw = view.Alb("healthcheck-timeout-seconds");
  if (interval_raw == nullptr && timeout_raw == nullptr) return;
  GoInt interval = interval_raw ? ParseGoInt(*interval_raw, 32) : GoInt{15, GoInt::Error::kNone};
  GoInt timeout = timeout_raw ? ParseGoInt(*timeout_raw, 32) : GoInt{5, GoInt::Error::kNone};
  if (interval.error != GoInt::Error::kNone || timeout.error != GoInt::Error::kNone) return;
  if (timeout.value < interval.value) return;
  std::string message = std::string(kAlbAnnotationPrefix) + "healthcheck-timeout-seconds " +
                        std::to_string(timeout.value) + (timeout_raw ? "" : " (default)") +
                        " must be smaller than healthcheck-interval-seconds " +
                        std::to_string(interval.value) + (interval_raw ? "" : " (default)");
  if ((interval_raw != nullptr && timeout_raw != nullptr) || view.target_group_final) {
    verdict.Deny("healthcheck-timeout-seconds", message);
  } else {
    verdict.Warn("healthcheck-timeout-seconds", message);
  }
}

bool IsActiveWaf(const std::string* value) {
  return value != nullptr && !value->empty() && *value != "none";
}

void CheckWafExclusive(const IngressView& view, Verdict& verdict) {
  const std::string* classic = view.Alb("waf-acl-id");
  std::string classic_key = "waf-acl-id";
  if (classic == nullptr) {
    classic = view.Alb("web-acl-id");
    classic_key = "web-acl-id";
  }
  const std::string* v2 = view.Alb("wafv2-acl-arn");
  std::string v2_key = "wafv2-acl-arn";
  if (!IsActiveWaf(v2)) {
    v2 = view.Alb("wafv2-acl-name");
    v2_key = "wafv2-acl-name";
  }
  if (IsActiveWaf(classic) && IsActiveWaf(v2)) {
    verdict.Deny("waf-acl-id", std::string(kAlbAnnotationPrefix) + classic_key + " " +
                                   QuoteValue(*classic) + " and " + v2_key + " " + QuoteValue(*v2) +
                                   ": an ALB takes only one web ACL; set one of them to none");
  }
}

/// Suffix -> its checks: kChecks' then the families', each in table order (the order their
/// findings come in). Built on first use; one lookup per annotation instead of a scan of both
/// tables.
const std::unordered_map<std::string_view, std::vector<CheckFn>>& ChecksBySuffix() {
  static const auto index = [] {
    std::unordered_map<std::string_view, std::vector<CheckFn>> out;
    for (const auto& check : kChecks) out[check.suffix].push_back(check.fn);
    for (const auto& check : FamilyAnnotationChecks()) out[check.suffix].push_back(check.fn);
    return out;
  }();
  return index;
}

}  // namespace

std::vector<std::string> AnnotationCheckNames() {
  std::vector<std::string> names;
  auto add = [&names](std::string_view suffix) {
    std::string name = AlbAnnotationCheckName(suffix);
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  for (const auto& check : kChecks) add(check.suffix);
  for (const auto& check : FamilyAnnotationChecks()) add(check.suffix);
  add("target-control-port.");
  return names;
}

namespace {

/// Runs the checks of the annotation `suffix` with `value`: its actions or listener attributes,
/// its family's key checks, its table checks. False for a family key (judged whole by
/// CheckFamilyKeyAnnotation).
/// Inlined: it runs for every annotation of every request.
[[gnu::always_inline]] inline bool JudgeAnnotation(const IngressView& view, std::string_view suffix,
                                                   const std::string& value, Verdict& verdict) {
  Annotation a{view, suffix, value, verdict};
  if (suffix.rfind("actions.", 0) == 0 && suffix.size() > 8) {
    CheckActions(a);
  } else if (suffix.rfind("listener-attributes.", 0) == 0) {
    CheckListenerAttributes(a);
  } else if (CheckFamilyKeyAnnotation(a)) {
    return false;
  }
  const auto& index = ChecksBySuffix();
  if (auto checks = index.find(suffix); checks != index.end()) {
    for (const CheckFn fn : checks->second) fn(a);
  }
  return true;
}

std::size_t Denials(const Verdict& verdict, std::size_t first) {
  std::size_t n = 0;
  for (std::size_t i = first; i < verdict.findings.size(); ++i) {
    n += verdict.findings[i].severity == Severity::kDeny ? 1 : 0;
  }
  return n;
}

/// A denied value that starts or ends with whitespace: most often a YAML block scalar (`>` or
/// `|` keeps a final newline). Said once, after the denial, and only when the whitespace is what
/// is refused: the value without it draws fewer denials. (Lists, maps and JSON values are read
/// with the whitespace around their items trimmed or ignored, as the LBC reads them: there the
/// whitespace is never the cause.)
void HintSurroundingWhitespace(const IngressView& view, std::string_view suffix,
                               const std::string& key, const std::string& value,
                               std::size_t first_finding, Verdict& verdict) {
  if (value.empty()) return;
  auto space = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; };
  if (!space(value.front()) && !space(value.back())) return;
  const std::size_t denials = Denials(verdict, first_finding);
  if (denials == 0) return;
  std::size_t begin = 0, end = value.size();
  while (begin < end && space(value[begin])) ++begin;
  while (end > begin && space(value[end - 1])) --end;
  Verdict trimmed;
  JudgeAnnotation(view, suffix, value.substr(begin, end - begin), trimmed);
  if (Denials(trimmed, 0) >= denials) return;
  for (std::size_t i = first_finding; i < verdict.findings.size(); ++i) {
    if (verdict.findings[i].severity != Severity::kDeny) continue;
    std::string check = verdict.findings[i].check;
    verdict.Warn(std::move(check),
                 key + (value.back() == '\n'
                            ? ": ends with a newline (a YAML '>' or '|' block adds one; '>-' does "
                              "not)"
                            : ": starts or ends with whitespace, which the LBC keeps"));
    return;
  }
}

}  // namespace

void CheckIngressAnnotations(const IngressView& view, Verdict& verdict) {
  for (const auto& [key, value] : view.annotations) {
    if (key.rfind(kAlbAnnotationPrefix, 0) != 0) continue;
    std::string_view suffix = std::string_view(key).substr(kAlbAnnotationPrefix.size());
    const std::size_t before = verdict.findings.size();
    if (!JudgeAnnotation(view, suffix, value, verdict)) continue;
    if (verdict.findings.size() != before) {
      HintSurroundingWhitespace(view, suffix, key, value, before, verdict);
    }
  }
  CheckHealthCheckTiming(view, verdict);
  CheckWafExclusive(view, verdict);
}

}  // namespace albwebhook::rules