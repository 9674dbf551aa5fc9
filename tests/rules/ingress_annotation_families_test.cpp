// Ingress validator: the annotation families added after the core set (one table per family),
// judged with unknownAnnotations: deny so that an unknown key would show.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/text.hpp"
#include "ingress_test_util.hpp"

namespace albwebhook::rules {
namespace {

using namespace albwebhook::rules::testing;  // NOLINT(google-build-using-namespace)
using common::QuoteValue;
using ::testing::ElementsAreArray;

struct Case {
  std::string name;
  json annotations;
  std::vector<std::string> deny;
  std::vector<std::string> warn;
};

void RunCases(const std::vector<Case>& cases) {
  policy::Policy policy;
  policy.ingress.rules.unknown_annotations.mode = policy::Mode::kDeny;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Verdict v = RunValidator(policy, MakeIngress(c.annotations));
    EXPECT_TRUE(v.in_scope);
    EXPECT_THAT(Messages(v, Severity::kDeny), ElementsAreArray(c.deny));
    EXPECT_THAT(Messages(v, Severity::kWarn), ElementsAreArray(c.warn));
  }
}

TEST(IngressAnnotationFamiliesTest, TargetControlPort) {
  RunCases({
      {"ok_docs_example", Alb({{"target-control-port.my-service.80", "3000"}}), {}, {}},
      {"ok_named_port", Alb({{"target-control-port.my-service.http", "3000"}}), {}, {}},
      {"err_not_int",
       Alb({{"target-control-port.svc.80", "abc"}}),
       {R"(alb.ingress.kubernetes.io/target-control-port.svc.80 "abc": must be an integer in [1, 65535])"},
       {}},
      {"err_out_of_range",
       Alb({{"target-control-port.svc.80", "70000"}}),
       {R"(alb.ingress.kubernetes.io/target-control-port.svc.80 "70000": must be an integer in [1, 65535])"},
       {}},
      {"warn_bare_key",
       Alb({{"target-control-port", "3000"}}),
       {},
       {R"(alb.ingress.kubernetes.io/target-control-port "3000": the LBC reads only keys of the form target-control-port.<service>.<port>)"}},
      {"warn_key_without_port",
       Alb({{"target-control-port.svc", "3000"}}),
       {},
       {R"(alb.ingress.kubernetes.io/target-control-port.svc "3000": the LBC reads only keys of the form target-control-port.<service>.<port>)"}},
  });
}

TEST(IngressAnnotationFamiliesTest, MinimumLoadBalancerCapacity) {
  RunCases({
      {"ok_docs_example", Alb({{"minimum-load-balancer-capacity", "CapacityUnits=1000"}}), {}, {}},
      {"err_key",
       Alb({{"minimum-load-balancer-capacity", "capacityUnits=100"}}),
       {R"(alb.ingress.kubernetes.io/minimum-load-balancer-capacity "capacityUnits=100": invalid key to set the capacity: capacityUnits, Expected key: CapacityUnits)"},
       {}},
      {"err_value",
       Alb({{"minimum-load-balancer-capacity", "CapacityUnits=lots"}}),
       {R"(alb.ingress.kubernetes.io/minimum-load-balancer-capacity "CapacityUnits=lots": invalid value to set the capacity: "lots" (an integer))"},
       {}},
      {"err_malformed",
       Alb({{"minimum-load-balancer-capacity", "1000"}}),
       {R"(alb.ingress.kubernetes.io/minimum-load-balancer-capacity "1000": malformed; accepted: CapacityUnits=<integer>)"},
       {}},
  });
}

TEST(IngressAnnotationFamiliesTest, IpamAndPrefixLists) {
  RunCases({
      {"ok_ipam", Alb({{"ipam-ipv4-pool-id", "ipam-pool-0c9f1b2d3e4f5a6b7"}}), {}, {}},
      {"ok_ipam_empty_ignored", Alb({{"ipam-ipv4-pool-id", ""}}), {}, {}},
      {"err_ipam",
       Alb({{"ipam-ipv4-pool-id", "pool-123"}}),
       {R"(alb.ingress.kubernetes.io/ipam-ipv4-pool-id "pool-123": must be an IPAM pool ID (ipam-pool- followed by letters and digits))"},
       {}},
      {"ok_prefix_lists",
       Alb({{"security-group-prefix-lists", "pl-00000000, pl-1111111111111111a"}}),
       {},
       {}},
      {"err_prefix_list",
       Alb({{"security-group-prefix-lists", "pl-00000000,my-list"}}),
       {R"(alb.ingress.kubernetes.io/security-group-prefix-lists "pl-00000000,my-list": item "my-list" must be a prefix list ID (pl- followed by 8 or 17 lowercase hex digits))"},
       {}},
  });
}

TEST(IngressAnnotationFamiliesTest, TargetNodeLabelsAndAcm) {
  RunCases({
      {"ok_node_labels", Alb({{"target-node-labels", "label1=value1, label2=value2"}}), {}, {}},
      {"warn_node_label_value",
       Alb({{"target-node-labels", "tier=a b"}}),
       {},
       {R"(alb.ingress.kubernetes.io/target-node-labels "tier=a b": label tier has a value that is not a valid Kubernetes label value)"}},
      {"ok_create_acm_cert", Alb({{"create-acm-cert", "true"}}), {}, {}},
      {"warn_create_acm_cert",
       Alb({{"create-acm-cert", "yes"}}),
       {},
       {R"(alb.ingress.kubernetes.io/create-acm-cert "yes": not a boolean (true or false); the LBC ignores it)"}},
      {"ok_acm_pca_arn",
       Alb({{"acm-pca-arn",
             "arn:aws:acm-pca:us-west-2:123456789012:certificate-authority/"
             "12345678-1234-1234-1234-123456789012"}}),
       {},
       {}},
      {"warn_acm_pca_arn",
       Alb({{"acm-pca-arn", "arn:aws:acm:us-west-2:123456789012:certificate/x"}}),
       {},
       {R"(alb.ingress.kubernetes.io/acm-pca-arn "arn:aws:acm:us-west-2...": not an ACM Private CA ARN (arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<uuid>))"}},
  });
}

const json kHttps = json::array({json{{"HTTPS", 443}}});
const std::string kCognito =
    R"({"userPoolARN":"arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_abc",)"
    R"("userPoolClientID":"my-client","userPoolDomain":"my-domain"})";
const std::string kOidc =
    R"({"issuer":"https://example.com","authorizationEndpoint":"https://a.example.com",)"
    R"("tokenEndpoint":"https://t.example.com","userInfoEndpoint":"https://u.example.com",)"
    R"("secretName":"my-k8s-secret"})";

TEST(IngressAnnotationFamiliesTest, AuthEnumsAndTimeout) {
  RunCases({
      {"ok_auth_type_none", Alb({{"auth-type", "none"}}), {}, {}},
      {"ok_cognito",
       Alb({{"auth-type", "cognito"},
            {"auth-idp-cognito", kCognito},
            {"auth-scope", "openid"},
            {"auth-session-cookie", "my-cookie"},
            {"auth-session-timeout", "86400"},
            {"auth-on-unauthenticated-request", "authenticate"},
            {"listen-ports", kHttps.dump()}}),
       {},
       {}},
      {"err_auth_type",
       Alb({{"auth-type", "OIDC"}}),
       {R"(alb.ingress.kubernetes.io/auth-type "OIDC": must be one of none, oidc, cognito)"},
       {}},
      {"warn_oidc_without_idp",
       Alb({{"auth-type", "oidc"}}),
       {},
       {R"(alb.ingress.kubernetes.io/auth-type "oidc": needs auth-idp-oidc, which this Ingress does not set (a backend Service may))"}},
      {"err_on_unauthenticated",
       Alb({{"auth-type", "oidc"},
            {"auth-idp-oidc", kOidc},
            {"listen-ports", kHttps.dump()},
            {"auth-on-unauthenticated-request", "Deny"}}),
       {R"(alb.ingress.kubernetes.io/auth-on-unauthenticated-request "Deny": must be one of deny, allow, authenticate)"},
       {}},
      {"warn_on_unauthenticated_no_auth",
       Alb({{"auth-on-unauthenticated-request", "Deny"}}),
       {},
       {R"(alb.ingress.kubernetes.io/auth-on-unauthenticated-request "Deny": must be one of deny, allow, authenticate (used with auth-type cognito or oidc on an HTTPS listener))"}},
      {"err_session_timeout_syntax",
       Alb({{"auth-session-timeout", "1d"}}),
       {R"(alb.ingress.kubernetes.io/auth-session-timeout "1d": must be an integer (seconds, 1-604800))"},
       {}},
      {"err_session_timeout_range",
       Alb({{"auth-type", "cognito"},
            {"auth-idp-cognito", kCognito},
            {"listen-ports", kHttps.dump()},
            {"auth-session-timeout", "604801"}}),
       {R"(alb.ingress.kubernetes.io/auth-session-timeout "604801": must be within [1, 604800] seconds)"},
       {}},
  });
}

TEST(IngressAnnotationFamiliesTest, AuthIdpJson) {
  RunCases({
      {"ok_oidc_unknown_field_ignored",
       Alb({{"auth-idp-oidc", R"({"issuer":"https://example.com","extra":1})"}}),
       {},
       {}},
      {"ok_oidc_extra_params",
       Alb({{"auth-idp-oidc",
             R"({"issuer":"https://e.com","authenticationRequestExtraParams":{"k":"v"}})"}}),
       {},
       {}},
      {"err_cognito_syntax",
       Alb({{"auth-idp-cognito", "{"}}),
       {R"(alb.ingress.kubernetes.io/auth-idp-cognito "{": not valid JSON for the LBC: unexpected end of JSON input)"},
       {}},
      {"err_oidc_type",
       Alb({{"auth-idp-oidc", R"({"issuer":1})"}}),
       {R"(alb.ingress.kubernetes.io/auth-idp-oidc "{\"issuer\":1}": not valid JSON for the LBC: json: cannot unmarshal number 1 into Go struct field AuthIDPConfigOIDC.issuer of type string)"},
       {}},
      {"err_oidc_required",
       Alb({{"auth-type", "oidc"},
            {"listen-ports", kHttps.dump()},
            {"auth-idp-oidc", R"({"issuer":"https://example.com","secretName":"s"})"}}),
       {R"(alb.ingress.kubernetes.io/auth-idp-oidc "{\"issuer\":\"https://example.com\",\"secretName\":\"s\"}": authorizationEndpoint is required with auth-type oidc)",
        R"(alb.ingress.kubernetes.io/auth-idp-oidc "{\"issuer\":\"https://example.com\",\"secretName\":\"s\"}": tokenEndpoint is required with auth-type oidc)",
        R"(alb.ingress.kubernetes.io/auth-idp-oidc "{\"issuer\":\"https://example.com\",\"secretName\":\"s\"}": userInfoEndpoint is required with auth-type oidc)"},
       {}},
  });
}

TEST(IngressAnnotationFamiliesTest, MutualAuthentication) {
  const std::string kP = "alb.ingress.kubernetes.io/mutual-authentication ";
  auto deny = [&](const std::string& value, const std::string& problem) {
    return Case{"err_" + problem,
                Alb({{"mutual-authentication", value}}),
                {kP + QuoteValue(value) + ": " + problem},
                {}};
  };
  RunCases({
      {"ok_docs_example",
       Alb({{"mutual-authentication",
             R"([{"port": 443, "mode": "off"}, {"port": 80, "mode": "passthrough"}, )"
             R"({"port": 8443, "mode": "verify", "trustStore": "arn:aws:elasticloadbalancing:)"
             R"(us-east-1:123456789012:truststore/tsName/tsId", "ignoreClientCertificateExpiry": )"
             R"(true, "advertiseTrustStoreCaNames": "on"}])"}}),
       {},
       {}},
      deny("[]", "empty mutualAuthentication configuration"),
      deny(R"([{"port": 443}])", "mutualAuthentication mode cannot be empty for port 443"),
      deny(R"([{"mode": "off"}])", "listen port must be within [1, 65535]: 0"),
      deny(R"([{"port": 443, "mode": "strict"}])",
           "mutualAuthentication mode value must be among [off, passthrough, verify] for port "
           "443 : strict"),
      deny(R"([{"port": 443, "mode": "verify"}])",
           "trustStore is required when mutualAuthentication mode is verify for port 443"),
      deny(R"([{"port": 443, "mode": "off", "trustStore": "ts"}])",
           "Mutual Authentication mode off does not support trustStore for port 443"),
      deny(
          R"([{"port": 443, "mode": "verify", "trustStore": "ts", "advertiseTrustStoreCaNames": "yes"}])",
          R"(advertiseTrustStoreCaNames only supports the values "on" and "off" got value yes for port 443)"),
      deny(R"({"port": 443, "mode": "off"})",
           "not valid JSON for the LBC: json: cannot unmarshal object into Go value of type "
           "[]ingress.MutualAuthenticationConfig"),
  });
}

TEST(IngressAnnotationFamiliesTest, JwtValidation) {
  const std::string kP = "alb.ingress.kubernetes.io/jwt-validation ";
  const std::string ok =
      R"({"jwksEndpoint": "https://issuer.example.com/.well-known/jwks.json", "issuer": )"
      R"("https://issuer.example.com", "additionalClaims": [{"format": "string-array", "name": )"
      R"("scope", "values": ["read:api"]}]})";
  auto deny = [&](const std::string& value, const std::string& problem) {
    return Case{"err_" + problem,
                Alb({{"jwt-validation", value}}),
                {kP + QuoteValue(value) + ": " + problem},
                {}};
  };
  RunCases({
      {"ok_docs_example", Alb({{"jwt-validation", ok}}), {}, {}},
      deny(R"({"issuer": "i"})", "jwksEndpoint is a required field for jwt validation"),
      deny(R"({"jwksEndpoint": "j"})", "issuer is a required field for jwt validation"),
      deny(
          R"({"jwksEndpoint": "j", "issuer": "i", "additionalClaims": [{"name": "n", "values": ["v"]}]})",
          "format is a required field for additional claims for jwt validation"),
      deny(
          R"({"jwksEndpoint": "j", "issuer": "i", "additionalClaims": [{"format": "single-string", "name": "n"}]})",
          "values must not be empty for additional claims for jwt validation"),
      {"err_with_auth",
       Alb({{"jwt-validation", ok},
            {"auth-type", "cognito"},
            {"auth-idp-cognito", kCognito},
            {"listen-ports", kHttps.dump()}}),
       {kP + QuoteValue(ok) + ": authentication and jwt validation can't both be configured"},
       {}},
      {"warn_claim_format",
       Alb({{"jwt-validation",
             R"({"jwksEndpoint": "j", "issuer": "i", "additionalClaims": [{"format": "list", "name": "n", "values": ["v"]}]})"}}),
       {},
       {R"(alb.ingress.kubernetes.io/jwt-validation "{\"jwksEndpoint\": \"j\",...": claim format "list" must be one of single-string, string-array, space-separated-values (used on an HTTPS listener))"}},
  });
}

TEST(IngressAnnotationFamiliesTest, FrontendNlb) {
  const std::string kOn = "true";
  RunCases({
      {"ok_docs_example",
       Alb({{"enable-frontend-nlb", kOn},
            {"frontend-nlb-scheme", "internet-facing"},
            {"frontend-nlb-subnets", "subnet-00000001,subnet-0123456789abcdef0"},
            {"frontend-nlb-security-groups", "sg-00000000,my-sg"},
            {"frontend-nlb-listener-port-mapping", "80=443"},
            {"frontend-nlb-eip-allocations", "eipalloc-00000000,eipalloc-0123456789abcdef0"},
            {"frontend-nlb-healthcheck-port", "traffic-port"},
            {"frontend-nlb-healthcheck-protocol", "HTTP"},
            {"frontend-nlb-healthcheck-path", "/"},
            {"frontend-nlb-healthcheck-interval-seconds", "15"},
            {"frontend-nlb-healthcheck-timeout-seconds", "5"},
            {"frontend-nlb-healthcheck-healthy-threshold-count", "3"},
            {"frontend-nlb-healthcheck-unhealthy-threshold-count", "3"},
            {"frontend-nlb-healthcheck-success-codes", "200"},
            {"frontend-nlb-attributes", "dns_record.client_routing_policy=any_availability_zone"},
            {"frontend-nlb-tags", "Environment=dev,Team=test"}}),
       {},
       {}},
      {"err_enable",
       Alb({{"enable-frontend-nlb", "yes"}}),
       {R"(alb.ingress.kubernetes.io/enable-frontend-nlb "yes": must be a boolean (true or false))"},
       {}},
      {"err_scheme",
       Alb({{"enable-frontend-nlb", kOn}, {"frontend-nlb-scheme", "public"}}),
       {R"(alb.ingress.kubernetes.io/frontend-nlb-scheme "public": unknown scheme: must be one of internal, internet-facing)"},
       {}},
      {"warn_scheme_not_enabled_here",
       Alb({{"frontend-nlb-scheme", "public"}}),
       {},
       {R"(alb.ingress.kubernetes.io/frontend-nlb-scheme "public": unknown scheme: must be one of internal, internet-facing (used when enable-frontend-nlb is true for the group))"}},
      {"err_port_mapping",
       Alb({{"enable-frontend-nlb", kOn}, {"frontend-nlb-listener-port-mapping", "http=443"}}),
       {R"(alb.ingress.kubernetes.io/frontend-nlb-listener-port-mapping "http=443": invalid NLB listener port: http)"},
       {}},
      {"err_eips",
       Alb({{"enable-frontend-nlb", kOn},
            {"frontend-nlb-scheme", "internal"},
            {"frontend-nlb-subnets", "subnet-00000000"},
            {"frontend-nlb-eip-allocations", "eipalloc-00000000,10.0.0.1"}}),
       {R"(alb.ingress.kubernetes.io/frontend-nlb-eip-allocations "eipalloc-00000000,10.0.0.1": item "10.0.0.1" must be eipalloc- followed by 8 or 17 lowercase hex digits)",
        R"(alb.ingress.kubernetes.io/frontend-nlb-eip-allocations "eipalloc-00000000,10.0.0.1": EIP allocations can only be set for internet facing load balancers)",
        R"(alb.ingress.kubernetes.io/frontend-nlb-eip-allocations "eipalloc-00000000,10.0.0.1": count of EIP allocations (2) and subnets (1) must match)"},
       {}},
      {"err_health_check",
       Alb({{"enable-frontend-nlb", kOn},
            {"frontend-nlb-healthcheck-port", "http"},
            {"frontend-nlb-healthcheck-protocol", "TCP"},
            {"frontend-nlb-healthcheck-path", "health"},
            {"frontend-nlb-healthcheck-interval-seconds", "1"},
            {"frontend-nlb-healthcheck-unhealthy-threshold-count", "11"}}),
       {R"(alb.ingress.kubernetes.io/frontend-nlb-healthcheck-interval-seconds "1": must be an integer in [5, 300])",
        R"(alb.ingress.kubernetes.io/frontend-nlb-healthcheck-path "health": must begin with /)",
        R"(alb.ingress.kubernetes.io/frontend-nlb-healthcheck-port "http": failed to resolve healthCheckPort: must be traffic-port or a port number)",
        R"(alb.ingress.kubernetes.io/frontend-nlb-healthcheck-protocol "TCP": healthCheckProtocol must be within [HTTP, HTTPS])",
        R"(alb.ingress.kubernetes.io/frontend-nlb-healthcheck-unhealthy-threshold-count "11": must be an integer in [2, 10])"},
       {}},
      {"err_attributes",
       Alb({{"enable-frontend-nlb", kOn},
            {"frontend-nlb-attributes", "dns_record.client_routing_policy=closest"}}),
       {R"(alb.ingress.kubernetes.io/frontend-nlb-attributes "dns_record.client_routing_policy=closest": invalid dns_record.client_routing_policy "closest": must be one of any_availability_zone, partial_availability_zone_affinity, availability_zone_affinity)"},
       {}},
  });
}

}  // namespace
}  // namespace albwebhook::rules
