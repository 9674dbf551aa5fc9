// Per-annotation checks for alb.ingress.kubernetes.io/* (lbc-annotations.md, aws-limits.md).
#include <algorithm>
#include <array>
#include <functional>

#include "rules/aws_formats.hpp"
#include "rules/ingress_checks.hpp"

namespace albwebhook::rules {
namespace {

// Every suffix the LBC reads (pkg/annotations/constants.go, v3.5).
constexpr std::string_view kKnownSuffixes[] = {
    "load-balancer-name",
    "group.name",
    "group.order",
    "tags",
    "ip-address-type",
    "scheme",
    "subnets",
    "customer-owned-ipv4-pool",
    "load-balancer-attributes",
    "wafv2-acl-arn",
    "wafv2-acl-name",
    "waf-acl-id",
    "web-acl-id",
    "shield-advanced-protection",
    "security-groups",
    "listen-ports",
    "ssl-redirect",
    "inbound-cidrs",
    "certificate-arn",
    "ssl-policy",
    "target-type",
    "backend-protocol",
    "backend-protocol-version",
    "target-group-attributes",
    "healthcheck-port",
    "healthcheck-protocol",
    "healthcheck-path",
    "healthcheck-interval-seconds",
    "healthcheck-timeout-seconds",
    "healthy-threshold-count",
    "unhealthy-threshold-count",
    "success-codes",
    "auth-type",
    "auth-idp-cognito",
    "auth-idp-oidc",
    "auth-on-unauthenticated-request",
    "auth-scope",
    "auth-session-cookie",
    "auth-session-timeout",
    "jwt-validation",
    "target-node-labels",
    "manage-backend-security-group-rules",
    "mutual-authentication",
    "security-group-prefix-lists",
    "multi-cluster-target-group",
    "minimum-load-balancer-capacity",
    "ipam-ipv4-pool-id",
    "enable-frontend-nlb",
    "frontend-nlb-scheme",
    "frontend-nlb-subnets",
    "frontend-nlb-security-groups",
    "frontend-nlb-listener-port-mapping",
    "frontend-nlb-eip-allocations",
    "frontend-nlb-healthcheck-port",
    "frontend-nlb-healthcheck-protocol",
    "frontend-nlb-healthcheck-path",
    "frontend-nlb-healthcheck-interval-seconds",
    "frontend-nlb-healthcheck-timeout-seconds",
    "frontend-nlb-healthcheck-healthy-threshold-count",
    "frontend-nlb-healthcheck-unhealthy-threshold-count",
    "frontend-nlb-healthcheck-success-codes",
    "frontend-nlb-attributes",
    "frontend-nlb-tags",
    "use-regex-path-match",
    "target-control-port",
    "create-acm-cert",
    "acm-pca-arn",
    "dry-run-plan",
};

// Families whose suffix is `<family>.<name>`.
constexpr std::string_view kKnownFamilies[] = {"actions.", "conditions.", "listener-attributes.",
                                               "transforms."};

constexpr std::string_view kPredefinedSslPolicies[] = {
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
    "ELBSecurityPolicy-TLS13-1-1-2021-06",
    "ELBSecurityPolicy-TLS13-1-0-2021-06",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "ELBSecurityPolicy-TLS-1-2-2017-01",
    "ELBSecurityPolicy-TLS-1-1-2017-01",
    "ELBSecurityPolicy-2016-08",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
    "ELBSecurityPolicy-FS-1-2-Res-2019-08",
    "ELBSecurityPolicy-FS-1-2-2019-08",
    "ELBSecurityPolicy-FS-1-1-2019-08",
    "ELBSecurityPolicy-FS-2018-06",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-0-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-RFC9151-FIPS-2023-07",
    "ELBSecurityPolicy-TLS13-1-2-RFC9151-FIPS-2023-07",
    "ELBSecurityPolicy-TLS13-1-2-Ext0-RFC9151-FIPS-2023-07",
    "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP1-FIPS-2023-07",
    "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP2-FIPS-2023-07",
    "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP3-FIPS-2023-07",
    "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP4-FIPS-2023-07",
};

constexpr int kMaxReportedItems = 5;

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/// Shared state of one annotation check.
struct Annotation {
  const IngressView& view;
  std::string_view suffix;
  const std::string& value;
  Verdict& verdict;

  void Deny(std::string_view problem) const {
    verdict.Deny(CheckName(), AnnotationMessage(suffix, value, problem));
  }
  void Warn(std::string_view problem) const {
    verdict.Warn(CheckName(), AnnotationMessage(suffix, value, problem, kWarningValueBytes));
  }
  std::string CheckName() const {
    if (suffix == "web-acl-id") return "waf-acl-id";
    for (std::string_view family : kKnownFamilies) {
      if (suffix.substr(0, family.size()) == family) {
        return std::string(family.substr(0, family.size() - 1));
      }
    }
    return std::string(suffix);
  }
};

void CheckEnum(const Annotation& a, std::initializer_list<std::string_view> accepted) {
  if (std::find(accepted.begin(), accepted.end(), a.value) != accepted.end()) return;
  std::string list;
  for (auto item : accepted) list += (list.empty() ? "" : ", ") + std::string(item);
  a.Deny("must be one of " + list);
}

void CheckGoBool(const Annotation& a) {
  if (!ParseGoBool(a.value)) a.Deny("must be a boolean (true or false)");
}

/// int32 annotation within [lo, hi]; returns the value when it parses (even out of range).
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

/// `<item> must be ...` for each bad item of a string list (at most kMaxReportedItems).
void CheckListItems(
    const Annotation& a,
    const std::function<std::optional<std::string>(const std::string&)>& problem_of) {
  int reported = 0;
  for (const auto& item : ParseStringList(a.value)) {
    auto problem = problem_of(item);
    if (!problem) continue;
    if (reported++ == kMaxReportedItems) break;
    a.Deny("item " + QuoteValue(item) + " " + *problem);
  }
}

void CheckListenPortsAnnotation(const Annotation& a) {
  ListenPortsResult parsed = ParseListenPorts(a.value);
  if (!parsed.error.empty()) {
    a.Deny(parsed.error + R"( (accepted: e.g. [{"HTTP": 80}, {"HTTPS": 443}]))");
    return;
  }
  for (std::size_t i = 0; i < parsed.ports.size(); ++i) {
    for (std::size_t j = i + 1; j < parsed.ports.size(); ++j) {
      if (parsed.ports[i].port == parsed.ports[j].port &&
          parsed.ports[i].protocol != parsed.ports[j].protocol) {
        a.Deny("port " + std::to_string(parsed.ports[i].port) +
               " is listed as both HTTP and HTTPS");
        return;
      }
    }
  }
}

void CheckCertificateArns(const Annotation& a) {
  CheckListItems(a, [](const std::string& item) -> std::optional<std::string> {
    if (IsAcmCertificateArn(item) || IsIamServerCertificateArn(item)) return std::nullopt;
    return "is not an ACM certificate ARN "
           "(arn:<partition>:acm:<region>:<account>:certificate/<id>) "
           "or an IAM server-certificate ARN";
  });
  auto listeners = GetEffectiveListeners(a.view);
  if (listeners && listeners->explicit_ports && !ParseStringList(a.value).empty() &&
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
  if (std::find(std::begin(kPredefinedSslPolicies), std::end(kPredefinedSslPolicies), a.value) ==
      std::end(kPredefinedSslPolicies)) {
    a.Warn("not a predefined ALB security policy");
  }
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
  std::string problem = "no HTTPS listen-port " + std::to_string(parsed.value) + " on this Ingress";
  if (a.view.Alb("group.name") != nullptr) {
    a.Warn(problem + " (a group member must define it)");
  } else {
    a.Deny(problem);
  }
}

void CheckSubnets(const Annotation& a) {
  CheckListItems(a, [](const std::string& item) -> std::optional<std::string> {
    if (item.rfind("subnet-", 0) != 0 || IsSubnetId(item)) return std::nullopt;
    return "must be subnet- followed by 8 or 17 lowercase hex digits (other items are Name tags)";
  });
  auto items = ParseStringList(a.value);
  if (items.size() == 1 && IsSubnetId(items[0])) {
    a.Warn("an ALB needs subnets in at least 2 Availability Zones");
  }
}

void CheckSecurityGroups(const Annotation& a) {
  CheckListItems(a, [](const std::string& item) -> std::optional<std::string> {
    if (item.rfind("sg-", 0) != 0 || IsSecurityGroupId(item)) return std::nullopt;
    return "must be sg- followed by 8 or 17 lowercase hex digits (other items are Name tags)";
  });
}

void CheckInboundCidrs(const Annotation& a) {
  CheckListItems(a, [](const std::string& item) -> std::optional<std::string> {
    if (IsValidCidr(item)) return std::nullopt;
    return "must be an IPv4 or IPv6 CIDR with a prefix length, like 10.0.0.0/8 or ::/0";
  });
  for (const auto& item : ParseStringList(a.value)) {
    auto canonical = CanonicalCidr(item);
    if (canonical && *canonical != item) {
      a.Warn("host bits set in " + item + "; use " + *canonical);
    }
  }
}

void CheckIpAddressType(const Annotation& a) {
  CheckEnum(a, {"ipv4", "dualstack", "dualstack-without-public-ipv4"});
  if (a.value == "dualstack-without-public-ipv4" && EffectiveScheme(a.view) != "internet-facing") {
    a.Deny("dualstack-without-public-ipv4 needs scheme internet-facing");
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
  if (a.value.empty() || a.value == "none" || IsWafv2RegionalWebAclArn(a.value)) return;
  auto arn = ParseArn(a.value);
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
  bool ok = !a.value.empty() && a.value.size() <= 128 &&
            std::all_of(a.value.begin(), a.value.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '_' || c == '-';
            });
  if (!ok) a.Deny("must be a WAFv2 web ACL name ([A-Za-z0-9_-]{1,128})");
}

void CheckGroupName(const Annotation& a) {
  const std::string& v = a.value;
  bool ok = !v.empty() && IsLowerAlnum(v.front()) && IsLowerAlnum(v.back()) &&
            std::all_of(v.begin(), v.end(),
                        [](char c) { return IsLowerAlnum(c) || c == '-' || c == '.'; });
  if (!ok) {
    a.Deny(
        "groupName must consist of lower case alphanumeric characters, '-' or '.', and must "
        "start and end with an alphanumeric character");
  } else if (v.size() > 63) {
    a.Deny("groupName must be no more than 63 characters");
  }
}

bool IsIanaServiceName(std::string_view name) {
  if (name.empty() || name.size() > 15) return false;
  if (name.front() == '-' || name.back() == '-' || name.find("--") != std::string_view::npos) {
    return false;
  }
  bool has_letter = false;
  for (char c : name) {
    if (c >= 'a' && c <= 'z') has_letter = true;
    if (!IsLowerAlnum(c) && c != '-') return false;
  }
  return has_letter;
}

void CheckHealthCheckPort(const Annotation& a) {
  if (a.value == "traffic-port") return;
  GoInt parsed = ParseGoInt(a.value, 32);
  if (parsed.error == GoInt::Error::kNone) {
    if (parsed.value < 1 || parsed.value > 65535) a.Deny("port must be within [1, 65535]");
    return;
  }
  if (!IsIanaServiceName(a.value)) {
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
  if (auto problem = CheckSuccessCodes(a.value, grpc)) {
    a.Deny(*problem + (grpc ? " (gRPC codes 0-99, e.g. 0, 0,12 or 0-5)"
                            : " (HTTP codes 200-499, e.g. 200, 200,204 or 200-299)"));
  }
}

bool IsTagChar(unsigned char c) {
  if (c >= 0x80) return true;  // non-ASCII letters/numbers: left to AWS
  return std::isalnum(c) != 0 || c == ' ' || c == '_' || c == '.' || c == ':' || c == '/' ||
         c == '=' || c == '+' || c == '-' || c == '@';
}

std::size_t Utf8Length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

void CheckTags(const Annotation& a) {
  auto parsed = ParseStringMap(a.value);
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
    if (Utf8Length(key) > 128) {
      problem = "tag key " + QuoteValue(key) + " is longer than 128 characters";
    } else if (Utf8Length(value) > 256) {
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
  const std::string& v = a.value;
  bool chars = !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
  if (!chars || v.size() > 32 || v.front() == '-' || v.back() == '-') {
    a.Deny("must be 1-32 letters, digits or '-', not starting or ending with '-'");
  } else if (v.rfind("internal-", 0) == 0) {
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

using CheckFn = void (*)(const Annotation&);

struct AnnotationCheck {
  std::string_view suffix;
  CheckFn fn;
};

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
/// interval"). Both explicit: deny. One explicit (the other is the LBC default, which a Service
/// annotation may override): warn.
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
  if (interval_raw != nullptr && timeout_raw != nullptr) {
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

}  // namespace

bool IsKnownAlbSuffix(std::string_view suffix) {
  if (std::find(std::begin(kKnownSuffixes), std::end(kKnownSuffixes), suffix) !=
      std::end(kKnownSuffixes)) {
    return true;
  }
  for (std::string_view family : kKnownFamilies) {
    if (suffix.size() > family.size() && suffix.substr(0, family.size()) == family) return true;
  }
  return false;
}

std::optional<std::string> SuggestAlbAnnotation(std::string_view key) {
  constexpr std::string_view kDomain = "alb.ingress.kubernetes.io";
  std::size_t slash = key.find('/');
  if (slash == std::string_view::npos || key.size() > 320) return std::nullopt;
  std::string_view domain = key.substr(0, slash);
  std::string_view suffix = key.substr(slash + 1);
  std::string lower(suffix);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  bool right_domain = domain == kDomain;
  if (!right_domain && EditDistance(domain, kDomain, 3) > 3) return std::nullopt;
  // A wrong domain with a known suffix: suggest the right domain.
  if (!right_domain && IsKnownAlbSuffix(lower)) return std::string(kAlbAnnotationPrefix) + lower;
  std::size_t cap = std::clamp<std::size_t>(lower.size() / 3, 1, 3);
  std::optional<std::string> best;
  std::size_t best_distance = cap + 1;
  for (std::string_view known : kKnownSuffixes) {
    std::size_t d = EditDistance(lower, known, cap);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(known);
    }
  }
  if (std::size_t dot = lower.find('.'); dot != std::string::npos && dot + 1 < lower.size()) {
    std::string head = lower.substr(0, dot + 1);
    for (std::string_view family : kKnownFamilies) {
      std::size_t d = EditDistance(head, family, 2);
      if (d <= 2 && d < best_distance) {
        best_distance = d;
        best = std::string(family) + std::string(suffix.substr(dot + 1));
      }
    }
  }
  if (!best) return std::nullopt;
  return std::string(kAlbAnnotationPrefix) + *best;
}

void CheckIngressAnnotations(const IngressView& view, Verdict& verdict) {
  for (const auto& [key, value] : view.annotations) {
    if (key.rfind(kAlbAnnotationPrefix, 0) != 0) continue;
    std::string_view suffix = std::string_view(key).substr(kAlbAnnotationPrefix.size());
    Annotation a{view, suffix, value, verdict};
    if (suffix.rfind("actions.", 0) == 0 && suffix.size() > 8) {
      CheckActions(a);
    } else if (suffix.rfind("listener-attributes.", 0) == 0) {
      CheckListenerAttributes(a);
    }
    for (const auto& check : kChecks) {
      if (check.suffix == suffix) check.fn(a);
    }
  }
  CheckHealthCheckTiming(view, verdict);
  CheckWafExclusive(view, verdict);
}

}  // namespace albwebhook::rules
