// The catalog of alb.ingress.kubernetes.io annotations: every suffix the LBC reads, the families
// named `<family>.<name>`, the predefined ALB security policies, and suggestions for misspelled
// keys.
#include <algorithm>

#include "common/text.hpp"
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
                                               "transforms.", "target-control-port."};

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
  std::string lower = common::ToLowerAscii(suffix);
  bool right_domain = domain == kDomain;
  if (!right_domain && common::EditDistance(domain, kDomain, 3) > 3) return std::nullopt;
  // A wrong domain with a known suffix: suggest the right domain.
  if (!right_domain && IsKnownAlbSuffix(lower)) return std::string(kAlbAnnotationPrefix) + lower;
  std::size_t cap = std::clamp<std::size_t>(lower.size() / 3, 1, 3);
  std::optional<std::string> best;
  std::size_t best_distance = cap + 1;
  for (std::string_view known : kKnownSuffixes) {
    std::size_t d = common::EditDistance(lower, known, cap);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(known);
    }
  }
  if (std::size_t dot = lower.find('.'); dot != std::string::npos && dot + 1 < lower.size()) {
    std::string head = lower.substr(0, dot + 1);
    for (std::string_view family : kKnownFamilies) {
      std::size_t d = common::EditDistance(head, family, 2);
      if (d <= 2 && d < best_distance) {
        best_distance = d;
        best = std::string(family) + std::string(suffix.substr(dot + 1));
      }
    }
  }
  if (!best) return std::nullopt;
  return std::string(kAlbAnnotationPrefix) + *best;
}

std::string AlbAnnotationCheckName(std::string_view suffix) {
  if (suffix == "web-acl-id") return "waf-acl-id";
  for (std::string_view family : kKnownFamilies) {
    if (suffix.substr(0, family.size()) == family) {
      return std::string(family.substr(0, family.size() - 1));
    }
  }
  return std::string(suffix);
}

bool IsPredefinedSslPolicy(std::string_view name) {
  return std::find(std::begin(kPredefinedSslPolicies), std::end(kPredefinedSslPolicies), name) !=
         std::end(kPredefinedSslPolicies);
}

}  // namespace albwebhook::rules
