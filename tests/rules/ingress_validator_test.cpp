// Ingress validator: annotation grammar and AWS limits (one table per annotation family).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingress_test_util.hpp"

namespace albwebhook::rules {
namespace {

using namespace albwebhook::rules::testing;  // NOLINT(google-build-using-namespace)
using ::testing::ElementsAreArray;

struct Case {
  std::string name;
  json annotations;
  std::vector<std::string> deny;
  std::vector<std::string> warn;
};

void RunCases(const std::vector<Case>& cases) {
  policy::Policy policy;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Verdict v = RunValidator(policy, MakeIngress(c.annotations));
    EXPECT_TRUE(v.in_scope);
    EXPECT_THAT(Messages(v, Severity::kDeny), ElementsAreArray(c.deny));
    EXPECT_THAT(Messages(v, Severity::kWarn), ElementsAreArray(c.warn));
  }
}

const std::string kAcm =
    "arn:aws:acm:us-west-2:123456789012:certificate/12345678-1234-1234-1234-123456789012";
const std::string kWafv2 =
    "arn:aws:wafv2:us-west-2:123456789012:regional/webacl/my-acl/"
    "a1b2c3d4-5678-90ab-cdef-0123456789ab";

TEST(IngressValidatorTest, AcceptsPlainIngress) {
  RunCases(
      {{"ok_no_annotations", nullptr, {}, {}}, {"ok_empty_annotations", json::object(), {}, {}}});
}

TEST(IngressValidatorTest, RejectsBadScheme) {
  RunCases({
      {"ok_scheme_internal", Alb({{"scheme", "internal"}}), {}, {}},
      {"ok_scheme_internet_facing", Alb({{"scheme", "internet-facing"}}), {}, {}},
      {"err_scheme_public",
       Alb({{"scheme", "public"}}),
       {R"(alb.ingress.kubernetes.io/scheme "public": must be one of internal, internet-facing)"},
       {}},
      {"err_scheme_case",
       Alb({{"scheme", "Internal"}}),
       {R"(alb.ingress.kubernetes.io/scheme "Internal": must be one of internal, internet-facing)"},
       {}},
  });
}

TEST(IngressValidatorTest, RejectsBadEnums) {
  RunCases({
      {"ok_target_type_ip", Alb({{"target-type", "ip"}}), {}, {}},
      {"ok_target_type_instance", Alb({{"target-type", "instance"}}), {}, {}},
      {"err_target_type",
       Alb({{"target-type", "lambda"}}),
       {R"(alb.ingress.kubernetes.io/target-type "lambda": must be one of instance, ip)"},
       {}},
      {"ok_ip_address_type_dualstack", Alb({{"ip-address-type", "dualstack"}}), {}, {}},
      {"ok_dualstack_without_public_ipv4_public",
       Alb({{"ip-address-type", "dualstack-without-public-ipv4"}, {"scheme", "internet-facing"}}),
       {},
       {}},
      // The scheme may come from IngressClassParams or a group member: a warning at most.
      {"warn_dualstack_without_public_ipv4_no_scheme",
       Alb({{"ip-address-type", "dualstack-without-public-ipv4"}}),
       {},
       {R"(alb.ingress.kubernetes.io/ip-address-type "dualstack-without-pub...": dualstack-without-public-ipv4 needs scheme internet-facing, which this Ingress does not set (IngressClassParams or a group member may))"}},
      {"warn_dualstack_without_public_ipv4_internal",
       Alb({{"ip-address-type", "dualstack-without-public-ipv4"}, {"scheme", "internal"}}),
       {},
       {R"(alb.ingress.kubernetes.io/ip-address-type "dualstack-without-pub...": dualstack-without-public-ipv4 needs scheme internet-facing (unless IngressClassParams set it))"}},
      {"err_ip_address_type",
       Alb({{"ip-address-type", "ipv6"}}),
       {R"(alb.ingress.kubernetes.io/ip-address-type "ipv6": must be one of ipv4, dualstack, dualstack-without-public-ipv4)"},
       {}},
      {"ok_backend_protocol",
       Alb({{"backend-protocol", "HTTPS"}, {"backend-protocol-version", "GRPC"}}),
       {},
       {}},
      {"err_backend_protocol",
       Alb({{"backend-protocol", "https"}, {"backend-protocol-version", "HTTP3"}}),
       {R"(alb.ingress.kubernetes.io/backend-protocol "https": must be one of HTTP, HTTPS)",
        R"(alb.ingress.kubernetes.io/backend-protocol-version "HTTP3": must be one of HTTP1, HTTP2, GRPC)"},
       {}},
      {"ok_shield", Alb({{"shield-advanced-protection", "True"}}), {}, {}},
      {"err_shield",
       Alb({{"shield-advanced-protection", "yes"}}),
       {R"(alb.ingress.kubernetes.io/shield-advanced-protection "yes": must be a boolean (true or false))"},
       {}},
      {"err_use_regex_path_match",
       Alb({{"use-regex-path-match", "on"}}),
       {R"(alb.ingress.kubernetes.io/use-regex-path-match "on": must be a boolean (true or false))"},
       {}},
  });
}

TEST(IngressValidatorTest, RejectsBadListenPorts) {
  RunCases({
      {"ok_listen_ports", Alb({{"listen-ports", R"([{"HTTP": 80}, {"HTTPS": 443}])"}}), {}, {}},
      {"ok_listen_ports_multi_key",
       Alb({{"listen-ports", R"([{"HTTP": 80, "HTTPS": 443}])"}}),
       {},
       {}},
      {"err_listen_ports_string_port",
       Alb({{"listen-ports", R"([{"HTTPS":"443"}])"}}),
       {R"(alb.ingress.kubernetes.io/listen-ports "[{\"HTTPS\":\"443\"}]": port for HTTPS must be a JSON integer, got string "443" (accepted: e.g. [{"HTTP": 80}, {"HTTPS": 443}]))"},
       {}},
      {"err_listen_ports_empty",
       Alb({{"listen-ports", "[]"}}),
       {R"(alb.ingress.kubernetes.io/listen-ports "[]": no listener given (need at least one {"HTTP"|"HTTPS": port}) (accepted: e.g. [{"HTTP": 80}, {"HTTPS": 443}]))"},
       {}},
      {"err_listen_ports_protocol",
       Alb({{"listen-ports", R"([{"TCP": 80}])"}}),
       {R"(alb.ingress.kubernetes.io/listen-ports "[{\"TCP\": 80}]": protocol "TCP" must be HTTP or HTTPS (accepted: e.g. [{"HTTP": 80}, {"HTTPS": 443}]))"},
       {}},
      {"err_listen_ports_range",
       Alb({{"listen-ports", R"([{"HTTP": 0}])"}}),
       {R"(alb.ingress.kubernetes.io/listen-ports "[{\"HTTP\": 0}]": port 0 must be within [1, 65535] (accepted: e.g. [{"HTTP": 80}, {"HTTPS": 443}]))"},
       {}},
      {"err_listen_ports_range_high",
       Alb({{"listen-ports", R"([{"HTTP": 65536}])"}}),
       {R"(alb.ingress.kubernetes.io/listen-ports "[{\"HTTP\": 65536}]": port 65536 must be within [1, 65535] (accepted: e.g. [{"HTTP": 80}, {"HTTPS": 443}]))"},
       {}},
      {"err_listen_ports_not_json",
       Alb({{"listen-ports", "HTTP:80"}}),
       {R"(alb.ingress.kubernetes.io/listen-ports "HTTP:80": not valid JSON: invalid character 'H' looking for beginning of value (accepted: e.g. [{"HTTP": 80}, {"HTTPS": 443}]))"},
       {}},
      {"err_listen_ports_object",
       Alb({{"listen-ports", R"({"HTTP": 80})"}}),
       {R"(alb.ingress.kubernetes.io/listen-ports "{\"HTTP\": 80}": expected a JSON array of objects, got object (accepted: e.g. [{"HTTP": 80}, {"HTTPS": 443}]))"},
       {}},
      // The LBC keeps the last protocol listed for a port (a map by port), refusing nothing.
      {"warn_listen_ports_both_protocols",
       Alb({{"listen-ports", R"([{"HTTP": 8080}, {"HTTPS": 8080}])"}}),
       {},
       {R"(alb.ingress.kubernetes.io/listen-ports "[{\"HTTP\": 8080}, {\"HT...": port 8080 is listed as both HTTP and HTTPS; the LBC keeps the last, HTTPS, and drops the other)"}},
      // The port listed first among those with both protocols, whatever order the clashes show.
      {"warn_listen_ports_both_first_listed",
       Alb({{"listen-ports", R"([{"HTTP":81},{"HTTP":82},{"HTTPS":82},{"HTTPS":81}])"}}),
       {},
       {R"(alb.ingress.kubernetes.io/listen-ports "[{\"HTTP\":81},{\"HTTP\":...": port 81 is listed as both HTTP and HTTPS; the LBC keeps the last, HTTPS, and drops the other)"}},
      {"warn_listen_ports_both_in_one_entry",
       Alb({{"listen-ports", R"([{"HTTP": 8443, "HTTPS": 8443}])"}}),
       {},
       {R"(alb.ingress.kubernetes.io/listen-ports "[{\"HTTP\": 8443, \"HTTP...": port 8443 is listed as both HTTP and HTTPS; one entry names both, and the LBC takes either at random on each reconcile: list it once)"}},
      {"warn_listen_ports_no_port",
       Alb({{"listen-ports", R"([{}])"}}),
       {},
       {R"(alb.ingress.kubernetes.io/listen-ports "[{}]": no entry names a port: the LBC builds no listener from this Ingress, so its rules serve no traffic)"}},
  });
}

TEST(IngressValidatorTest, RejectsBadCertificatesAndSslPolicies) {
  RunCases({
      {"ok_certificate_acm", Alb({{"certificate-arn", kAcm}}), {}, {}},
      {"ok_certificate_list",
       Alb({{"certificate-arn", kAcm + ", arn:aws:iam::123456789012:server-certificate/prod/web"}}),
       {},
       {}},
      {"err_certificate_account",
       Alb({{"certificate-arn", "arn:aws:acm:us-west-2:xxxx:certificate/id1"}}),
       {R"(alb.ingress.kubernetes.io/certificate-arn "arn:aws:acm:us-west-2:xxxx:certificate/id1": item "arn:aws:acm:us-west-2:xxxx:certificate/id1" is not an ACM certificate ARN (arn:<partition>:acm:<region>:<account>:certificate/<uuid>) or an IAM server-certificate ARN)"},
       {}},
      {"warn_certificate_without_https",
       Alb({{"certificate-arn", kAcm}, {"listen-ports", R"([{"HTTP": 80}])"}}),
       {},
       {R"(alb.ingress.kubernetes.io/certificate-arn "arn:aws:acm:us-west-2...": unused: listen-ports has no HTTPS listener)"}},
      {"ok_ssl_policy", Alb({{"ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021-06"}}), {}, {}},
      {"warn_ssl_policy_unknown",
       Alb({{"ssl-policy", "ELBSecurityPolicy-TLS13-9-9-2030-01"}}),
       {},
       {R"(alb.ingress.kubernetes.io/ssl-policy "ELBSecurityPolicy-TLS...": not a predefined ALB security policy)"}},
      {"err_ssl_policy_shape",
       Alb({{"ssl-policy", "TLS13"}}),
       {R"(alb.ingress.kubernetes.io/ssl-policy "TLS13": must be an ELB security policy name like ELBSecurityPolicy-TLS13-1-2-2021-06)"},
       {}},
  });
}

TEST(IngressValidatorTest, RejectsBadSslRedirect) {
  RunCases({
      {"ok_ssl_redirect",
       Alb({{"listen-ports", R"([{"HTTP": 80}, {"HTTPS": 443}])"}, {"ssl-redirect", "443"}}),
       {},
       {}},
      {"ok_ssl_redirect_default_https",
       Alb({{"certificate-arn", kAcm}, {"ssl-redirect", "443"}}),
       {},
       {}},
      {"err_ssl_redirect_not_int",
       Alb({{"listen-ports", R"([{"HTTPS": 443}])"}, {"ssl-redirect", "https"}}),
       {R"(alb.ingress.kubernetes.io/ssl-redirect "https": must be the port number of an HTTPS listen-port (1-65535))"},
       {}},
      {"err_ssl_redirect_http_port",
       Alb({{"listen-ports", R"([{"HTTP": 80}, {"HTTPS": 443}])"}, {"ssl-redirect", "80"}}),
       {R"(alb.ingress.kubernetes.io/ssl-redirect "80": port 80 is an HTTP listener; it must be an HTTPS listen-port)"},
       {}},
      {"warn_ssl_redirect_missing_port",
       Alb({{"listen-ports", R"([{"HTTP": 80}, {"HTTPS": 443}])"}, {"ssl-redirect", "8443"}}),
       {},
       {R"(alb.ingress.kubernetes.io/ssl-redirect "8443": no HTTPS listen-port 8443 on this Ingress (unless IngressClassParams or a group member supply it))"}},
      {"warn_ssl_redirect_missing_port_in_group",
       Alb({{"listen-ports", R"([{"HTTP": 80}])"},
            {"ssl-redirect", "443"},
            {"group.name", "shared"}}),
       {},
       {R"(alb.ingress.kubernetes.io/ssl-redirect "443": no HTTPS listen-port 443 on this Ingress (a group member must define it))"}},
  });
}

TEST(IngressValidatorTest, RejectsBadNetworking) {
  RunCases({
      {"ok_subnets",
       Alb({{"subnets", "subnet-0123abcd, subnet-0123456789abcdef0, public-a"}}),
       {},
       {}},
      {"err_subnet_id",
       Alb({{"subnets", "subnet-xyz,subnet-0123abcd"}}),
       {R"(alb.ingress.kubernetes.io/subnets "subnet-xyz,subnet-0123abcd": item "subnet-xyz" must be subnet- followed by 8 or 17 lowercase hex digits (other items are Name tags))"},
       {}},
      {"warn_single_subnet",
       Alb({{"subnets", "subnet-0123abcd"}}),
       {},
       {R"(alb.ingress.kubernetes.io/subnets "subnet-0123abcd": an ALB needs subnets in at least 2 Availability Zones)"}},
      {"ok_security_groups", Alb({{"security-groups", "sg-0123abcd,my-sg"}}), {}, {}},
      {"err_security_group_id",
       Alb({{"security-groups", "sg-12345"}}),
       {R"(alb.ingress.kubernetes.io/security-groups "sg-12345": item "sg-12345" must be sg- followed by 8 or 17 lowercase hex digits (other items are Name tags))"},
       {}},
      {"ok_inbound_cidrs", Alb({{"inbound-cidrs", "10.0.0.0/8, 2001:db8::/32"}}), {}, {}},
      {"err_inbound_cidr",
       Alb({{"inbound-cidrs", "10.0.0.0"}}),
       {R"(alb.ingress.kubernetes.io/inbound-cidrs "10.0.0.0": item "10.0.0.0" must be an IPv4 or IPv6 CIDR with a prefix length, like 10.0.0.0/8 or ::/0)"},
       {}},
      {"warn_inbound_cidr_host_bits",
       Alb({{"inbound-cidrs", "10.1.2.3/8"}}),
       {},
       {R"(alb.ingress.kubernetes.io/inbound-cidrs "10.1.2.3/8": host bits set in 10.1.2.3/8; use 10.0.0.0/8)"}},
  });
}

TEST(IngressValidatorTest, RejectsBadWaf) {
  RunCases({
      {"ok_wafv2", Alb({{"wafv2-acl-arn", kWafv2}}), {}, {}},
      {"ok_wafv2_none", Alb({{"wafv2-acl-arn", "none"}}), {}, {}},
      {"ok_waf_classic", Alb({{"waf-acl-id", "499e8b99-6671-4614-a86d-adb1810b7fbe"}}), {}, {}},
      {"ok_both_one_none", Alb({{"waf-acl-id", "none"}, {"wafv2-acl-arn", kWafv2}}), {}, {}},
      // A YAML '>' block keeps a final newline, which the LBC passes on: when the newline is
      // what is refused, the denial says why.
      {"err_wafv2_arn_with_final_newline",
       Alb({{"wafv2-acl-arn", kWafv2 + "\n"}}),
       {R"(alb.ingress.kubernetes.io/wafv2-acl-arn "arn:aws:wafv2:us-west-2:123456789012:regional/webacl/my-a...": must be a WAFv2 regional web ACL ARN (arn:<partition>:wafv2:<region>:<account>:regional/webacl/<name>/<id>) or none)"},
       {"alb.ingress.kubernetes.io/wafv2-acl-arn: ends with a newline (a YAML '>' or '|' block "
        "adds one; '>-' does not)"}},
      // A value refused with or without its newline: no hint (the newline is not the cause).
      {"err_wafv2_wrong_arn_with_final_newline_no_hint",
       Alb({{"wafv2-acl-arn", "my-acl\n"}}),
       {R"(alb.ingress.kubernetes.io/wafv2-acl-arn "my-acl\u000a": must be a WAFv2 regional web ACL ARN (arn:<partition>:wafv2:<region>:<account>:regional/webacl/<name>/<id>) or none)"},
       {}},
      // A list or map is read with the whitespace around its items trimmed, as the LBC's
      // splitters read it: a denial of such a value is never the newline's.
      {"err_tags_map_with_final_newline_no_hint",
       Alb({{"tags", "team=a,\nenv\n"}}),
       {R"(alb.ingress.kubernetes.io/tags "team=a,\u000aenv\u000a": malformed; accepted: key=value pairs separated by commas (escape a comma in a value as \,))"},
       {}},
      {"err_wafv2_arn",
       Alb({{"wafv2-acl-arn", "my-acl"}}),
       {R"(alb.ingress.kubernetes.io/wafv2-acl-arn "my-acl": must be a WAFv2 regional web ACL ARN (arn:<partition>:wafv2:<region>:<account>:regional/webacl/<name>/<id>) or none)"},
       {}},
      {"err_wafv2_global",
       Alb({{"wafv2-acl-arn",
             "arn:aws:wafv2:us-east-1:123456789012:global/webacl/a/"
             "a1b2c3d4-5678-90ab-cdef-0123456789ab"}}),
       {R"(alb.ingress.kubernetes.io/wafv2-acl-arn "arn:aws:wafv2:us-east-1:123456789012:global/webacl/a/a1b2...": is a global (CloudFront) web ACL; an ALB needs a regional one)"},
       {}},
      {"err_waf_classic_arn",
       Alb({{"waf-acl-id", "arn:aws:waf-regional:us-west-2:123456789012:webacl/x"}}),
       {R"(alb.ingress.kubernetes.io/waf-acl-id "arn:aws:waf-regional:us-west-2:123456789012:webacl/x": takes a WAF Classic web ACL ID, not an ARN (use wafv2-acl-arn for WAFv2))"},
       {}},
      {"err_waf_both",
       Alb({{"waf-acl-id", "abc"}, {"wafv2-acl-arn", kWafv2}}),
       {R"(alb.ingress.kubernetes.io/waf-acl-id "abc" and wafv2-acl-arn "arn:aws:wafv2:us-west-2:123456789012:regional/webacl/my-a...": an ALB takes only one web ACL; set one of them to none)"},
       {}},
  });
}

TEST(IngressValidatorTest, RejectsBadGroup) {
  RunCases({
      {"ok_group", Alb({{"group.name", "team-a.shared"}, {"group.order", "-1000"}}), {}, {}},
      {"err_group_name_chars",
       Alb({{"group.name", "Team_A"}}),
       {R"(alb.ingress.kubernetes.io/group.name "Team_A": groupName must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character)"},
       {}},
      {"err_group_name_empty",
       Alb({{"group.name", ""}}),
       {R"(alb.ingress.kubernetes.io/group.name "": groupName must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character)"},
       {}},
      {"err_group_name_long",
       Alb({{"group.name", std::string(64, 'a')}}),
       {R"(alb.ingress.kubernetes.io/group.name "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...": groupName must be no more than 63 characters)"},
       {}},
      {"err_group_order_range",
       Alb({{"group.order", "1001"}}),
       {R"(alb.ingress.kubernetes.io/group.order "1001": must be an integer in [-1000, 1000])"},
       {}},
      {"err_group_order_syntax",
       Alb({{"group.order", "1.5"}}),
       {R"(alb.ingress.kubernetes.io/group.order "1.5": must be an integer in [-1000, 1000])"},
       {}},
  });
}

TEST(IngressValidatorTest, RejectsBadHealthChecks) {
  RunCases({
      {"ok_health_checks",
       Alb({{"healthcheck-protocol", "HTTPS"},
            {"healthcheck-port", "traffic-port"},
            {"healthcheck-path", "/healthz"},
            {"healthcheck-interval-seconds", "30"},
            {"healthcheck-timeout-seconds", "10"},
            {"healthy-threshold-count", "2"},
            {"unhealthy-threshold-count", "10"},
            {"success-codes", "200,202-204"}}),
       {},
       {}},
      {"ok_healthcheck_port_number", Alb({{"healthcheck-port", "8080"}}), {}, {}},
      {"ok_healthcheck_port_name", Alb({{"healthcheck-port", "http-metrics"}}), {}, {}},
      // Service port names are DNS-1123 labels (up to 63), not 15-character container port names.
      {"ok_healthcheck_port_name_over_15",
       Alb({{"healthcheck-port", "prometheus-metrics-port"}}),
       {},
       {}},
      {"err_healthcheck_protocol",
       Alb({{"healthcheck-protocol", "TCP"}}),
       {R"(alb.ingress.kubernetes.io/healthcheck-protocol "TCP": must be one of HTTP, HTTPS)"},
       {}},
      {"err_healthcheck_port",
       Alb({{"healthcheck-port", "70000"}}),
       {R"(alb.ingress.kubernetes.io/healthcheck-port "70000": port must be within [1, 65535])"},
       {}},
      {"err_healthcheck_port_name",
       Alb({{"healthcheck-port", "Traffic_Port"}}),
       {R"(alb.ingress.kubernetes.io/healthcheck-port "Traffic_Port": must be traffic-port, a port number 1-65535 or a Service port name)"},
       {}},
      {"err_healthcheck_path",
       Alb({{"healthcheck-path", "healthz"}}),
       {R"(alb.ingress.kubernetes.io/healthcheck-path "healthz": must begin with /)"},
       {}},
      {"err_healthcheck_interval",
       Alb({{"healthcheck-interval-seconds", "301"}}),
       {R"(alb.ingress.kubernetes.io/healthcheck-interval-seconds "301": must be an integer in [5, 300])"},
       {}},
      {"err_healthcheck_timeout_not_below_interval",
       Alb({{"healthcheck-interval-seconds", "10"}, {"healthcheck-timeout-seconds", "10"}}),
       {"alb.ingress.kubernetes.io/healthcheck-timeout-seconds 10 must be smaller than "
        "healthcheck-interval-seconds 10"},
       {}},
      {"warn_healthcheck_timeout_vs_default_interval",
       Alb({{"healthcheck-timeout-seconds", "20"}}),
       {},
       {"alb.ingress.kubernetes.io/healthcheck-timeout-seconds 20 must be smaller than "
        "healthcheck-interval-seconds 15 (default)"}},
      {"err_healthcheck_timeout_range",
       Alb({{"healthcheck-timeout-seconds", "1"}}),
       {R"(alb.ingress.kubernetes.io/healthcheck-timeout-seconds "1": must be an integer in [2, 120])"},
       {}},
      {"err_thresholds",
       Alb({{"healthy-threshold-count", "1"}, {"unhealthy-threshold-count", "11"}}),
       {R"(alb.ingress.kubernetes.io/healthy-threshold-count "1": must be an integer in [2, 10])",
        R"(alb.ingress.kubernetes.io/unhealthy-threshold-count "11": must be an integer in [2, 10])"},
       {}},
      {"err_success_codes",
       Alb({{"success-codes", "200-599"}}),
       {R"(alb.ingress.kubernetes.io/success-codes "200-599": item "200-599" is outside 200-499 (HTTP codes 200-499, e.g. 200, 200,204 or 200-299))"},
       {}},
      {"err_success_codes_syntax",
       Alb({{"success-codes", "2xx"}}),
       {R"(alb.ingress.kubernetes.io/success-codes "2xx": item "2xx" is not a code or a code range like 200-299 (HTTP codes 200-499, e.g. 200, 200,204 or 200-299))"},
       {}},
      {"ok_success_codes_grpc",
       Alb({{"backend-protocol-version", "GRPC"}, {"success-codes", "0-99"}}),
       {},
       {}},
      // Codes valid for the other protocol version: a backend Service's
      // backend-protocol-version overrides the Ingress's, so alone only a warning.
      {"warn_success_codes_grpc_http_codes",
       Alb({{"backend-protocol-version", "GRPC"}, {"success-codes", "200"}}),
       {},
       {R"(alb.ingress.kubernetes.io/success-codes "200": item "200" is not a code or a code range like 0-5 (gRPC codes 0-99, e.g. 0, 0,12 or 0-5); valid if a backend Service sets backend-protocol-version HTTP1 or HTTP2)"}},
      {"warn_success_codes_grpc_codes_without_version",
       Alb({{"success-codes", "0-12"}}),
       {},
       {R"(alb.ingress.kubernetes.io/success-codes "0-12": item "0-12" is not a code or a code range like 200-299 (HTTP codes 200-499, e.g. 200, 200,204 or 200-299); valid if a backend Service sets backend-protocol-version GRPC)"}},
      {"err_success_codes_grpc_neither",
       Alb({{"backend-protocol-version", "GRPC"}, {"success-codes", "200-599"}}),
       {R"(alb.ingress.kubernetes.io/success-codes "200-599": item "200-599" is not a code or a code range like 0-5 (gRPC codes 0-99, e.g. 0, 0,12 or 0-5))"},
       {}},
  });
}

// Past 16 entries the port is found through an index, with the same answer: the port listed
// first.
TEST(IngressValidatorTest, ListenPortsClashInALongListNamesThePortListedFirst) {
  std::string ports = R"([{"HTTP":81},{"HTTP":82},{"HTTPS":82})";
  for (int p = 1000; p < 1020; ++p) ports += R"(,{"HTTP":)" + std::to_string(p) + "}";
  ports += R"(,{"HTTPS":81}])";
  const Verdict v = RunValidator(policy::Policy{}, MakeIngress(Alb({{"listen-ports", ports}})));
  EXPECT_THAT(Messages(v, Severity::kDeny), ::testing::IsEmpty());
  const auto warnings = Messages(v, Severity::kWarn);
  EXPECT_THAT(warnings, ::testing::Contains(::testing::HasSubstr(
                            ": port 81 is listed as both HTTP and HTTPS; the LBC keeps the last")));
}

TEST(IngressValidatorTest, RejectsBadTags) {
  RunCases({
      {"ok_tags", Alb({{"tags", "team=a, cost-center=42,empty="}}), {}, {}},
      {"err_tags_escaped_comma_not_a_tag_char",
       Alb({{"tags", R"(owners=a\,b)"}}),
       {R"(alb.ingress.kubernetes.io/tags "owners=a\\,b": tag "owners" may contain only letters, digits, spaces and _ . : / = + - @)"},
       {}},
      {"err_tags_malformed",
       Alb({{"tags", "team=a,b"}}),
       {R"(alb.ingress.kubernetes.io/tags "team=a,b": malformed; accepted: key=value pairs separated by commas (escape a comma in a value as \,))"},
       {}},
      {"err_tags_empty_key",
       Alb({{"tags", "=x"}}),
       {R"(alb.ingress.kubernetes.io/tags "=x": malformed; accepted: key=value pairs separated by commas (escape a comma in a value as \,))"},
       {}},
      {"err_tags_aws_prefix",
       Alb({{"tags", "aws:cost=1"}}),
       {R"(alb.ingress.kubernetes.io/tags "aws:cost=1": tag key "aws:cost" uses the reserved aws: prefix)"},
       {}},
      {"err_tags_key_length",
       Alb({{"tags", std::string(129, 'k') + "=v"}}),
       {"alb.ingress.kubernetes.io/tags \"" + std::string(57, 'k') + "...\": tag key \"" +
        std::string(57, 'k') + "...\" is longer than 128 characters"},
       {}},
      {"err_tags_value_length",
       Alb({{"tags", "k=" + std::string(257, 'v')}}),
       {"alb.ingress.kubernetes.io/tags \"k=" + std::string(55, 'v') +
        "...\": tag k has a value longer than 256 characters"},
       {}},
      {"err_tags_charset",
       Alb({{"tags", "team=a;b"}}),
       {R"(alb.ingress.kubernetes.io/tags "team=a;b": tag "team" may contain only letters, digits, spaces and _ . : / = + - @)"},
       {}},
  });
}

TEST(IngressValidatorTest, RejectsBadAttributes) {
  RunCases(
      {
          {"ok_lb_attributes",
           Alb({{"load-balancer-attributes",
                 "idle_timeout.timeout_seconds=600,deletion_protection.enabled=true,"
                 "access_logs.s3.enabled=true,access_logs.s3.bucket=my-logs,access_logs.s3.prefix="
                 "p"}}),
           {},
           {}},
          {"err_lb_attribute_range",
           Alb({{"load-balancer-attributes", "idle_timeout.timeout_seconds=5000"}}),
           {R"(alb.ingress.kubernetes.io/load-balancer-attributes "idle_timeout.timeout_seconds=5000": attribute idle_timeout.timeout_seconds="5000": must be an integer in [1, 4000])"},
           {}},
          {"err_lb_attribute_bool",
           Alb({{"load-balancer-attributes", "routing.http2.enabled=yes"}}),
           {R"(alb.ingress.kubernetes.io/load-balancer-attributes "routing.http2.enabled=yes": attribute routing.http2.enabled="yes": must be true or false)"},
           {}},
          {"warn_lb_attribute_bool_case",
           Alb({{"load-balancer-attributes", "routing.http2.enabled=True"}}),
           {},
           {R"(alb.ingress.kubernetes.io/load-balancer-attributes: routing.http2.enabled="True": use lowercase true/false)"}},
          {"warn_lb_attribute_unknown",
           Alb({{"load-balancer-attributes", "idle_timeout.seconds=60"}}),
           {},
           {R"(alb.ingress.kubernetes.io/load-balancer-attributes: unknown attribute idle_timeout.seconds)"}},
          {"err_lb_attribute_nlb_only",
           Alb({{"load-balancer-attributes",
                 "dns_record.client_routing_policy=any_availability_zone"}}),
           {R"(alb.ingress.kubernetes.io/load-balancer-attributes "dns_record.client_routing_policy=any_availability_zone": attribute dns_record.client_routing_policy exists only on Network Load Balancers)"},
           {}},
          {"err_lb_attribute_enum",
           Alb({{"load-balancer-attributes", "routing.http.desync_mitigation_mode=strict"}}),
           {R"(alb.ingress.kubernetes.io/load-balancer-attributes "routing.http.desync_mitigation_mode=strict": attribute routing.http.desync_mitigation_mode="strict": must be one of monitor, defensive, strictest)"},
           {}},
          {"warn_lb_access_logs_without_bucket",
           Alb({{"load-balancer-attributes", "access_logs.s3.enabled=true"}}),
           {},
           {R"(alb.ingress.kubernetes.io/load-balancer-attributes "access_logs.s3.enabled=true": access_logs.s3.enabled=true needs access_logs.s3.bucket (unless IngressClassParams or a group member set it))"}},
          {"warn_lb_bucket_name_legacy",
           Alb({{"load-balancer-attributes", "access_logs.s3.bucket=My_Logs"}}),
           {},
           {R"(alb.ingress.kubernetes.io/load-balancer-attributes: access_logs.s3.bucket="My_Logs": S3 bucket name may contain only lowercase letters, digits, '.' and '-' (valid only for a legacy bucket created in us-east-1 before March 2018))"}},
          {"err_lb_bucket_name",
           Alb({{"load-balancer-attributes", "access_logs.s3.bucket=my logs"}}),
           {R"(alb.ingress.kubernetes.io/load-balancer-attributes "access_logs.s3.bucket=my logs": attribute access_logs.s3.bucket="my logs": S3 bucket name may contain only lowercase letters, digits, '.' and '-')"},
           {}},
          {"err_lb_listener_attribute",
           Alb({{"load-balancer-attributes", "routing.http.response.server.enabled=false"}}),
           {R"(alb.ingress.kubernetes.io/load-balancer-attributes "routing.http.response.server.enabled=false": attribute routing.http.response.server.enabled is a listener attribute; set it in listener-attributes.<Protocol>-<Port>)"},
           {}},
          {"err_lb_attributes_malformed",
           Alb({{"load-balancer-attributes", "idle_timeout.timeout_seconds"}}),
           {R"(alb.ingress.kubernetes.io/load-balancer-attributes "idle_timeout.timeout_seconds": malformed; accepted: key=value pairs separated by commas (escape a comma in a value as \,))"},
           {}},
          {"ok_tg_attributes",
           Alb({{"target-group-attributes",
                 "deregistration_delay.timeout_seconds=30,stickiness.enabled=true,"
                 "stickiness.lb_cookie.duration_seconds=60,load_balancing.algorithm.type=least_"
                 "outstanding_requests"}}),
           {},
           {}},
          {"err_tg_deregistration_delay",
           Alb({{"target-group-attributes", "deregistration_delay.timeout_seconds=3601"}}),
           {R"(alb.ingress.kubernetes.io/target-group-attributes "deregistration_delay.timeout_seconds=3601": attribute deregistration_delay.timeout_seconds="3601": must be an integer in [0, 3600])"},
           {}},
          {"err_tg_nlb_only",
           Alb({{"target-group-attributes", "proxy_protocol_v2.enabled=true"}}),
           {R"(alb.ingress.kubernetes.io/target-group-attributes "proxy_protocol_v2.enabled=true": attribute proxy_protocol_v2.enabled exists only on Network Load Balancers)"},
           {}},
          {"err_tg_slow_start",
           Alb({{"target-group-attributes", "slow_start.duration_seconds=10"}}),
           {R"(alb.ingress.kubernetes.io/target-group-attributes "slow_start.duration_seconds=10": slow_start.duration_seconds must be 0 or 30-900)"},
           {}},
          {"err_tg_slow_start_lor",
           Alb({{"target-group-attributes",
                 "slow_start.duration_seconds=30,load_balancing.algorithm.type=least_outstanding_"
                 "requests"}}),
           {R"(alb.ingress.kubernetes.io/target-group-attributes "slow_start.duration_seconds=30,load_balancing.algorithm.t...": slow start cannot be combined with least_outstanding_requests)"},
           {}},
          {"err_tg_cookie_name",
           Alb({{"target-group-attributes", "stickiness.app_cookie.cookie_name=AWSALBAPP-1"}}),
           {R"(alb.ingress.kubernetes.io/target-group-attributes "stickiness.app_cookie.cookie_name=AWSALBAPP-1": attribute stickiness.app_cookie.cookie_name="AWSALBAPP-1": must not start with AWSALB (reserved: AWSALB, AWSALBAPP, AWSALBTG))"},
           {}},
          {"ok_tg_dns_failover_off",
           Alb({{"target-group-attributes",
                 "target_group_health.dns_failover.minimum_healthy_targets.count=off"}}),
           {},
           {}},
      });
}

TEST(IngressValidatorTest, RejectsBadMiscAnnotations) {
  RunCases({
      {"ok_load_balancer_name", Alb({{"load-balancer-name", "shop-prod"}}), {}, {}},
      {"err_load_balancer_name_long",
       Alb({{"load-balancer-name", std::string(33, 'a')}}),
       {"alb.ingress.kubernetes.io/load-balancer-name \"" + std::string(33, 'a') +
        "\": must be 1-32 letters, digits or '-', not starting or ending with '-'"},
       {}},
      {"err_load_balancer_name_internal",
       Alb({{"load-balancer-name", "internal-shop"}}),
       {R"(alb.ingress.kubernetes.io/load-balancer-name "internal-shop": must not start with internal-)"},
       {}},
      {"err_customer_owned_pool_empty",
       Alb({{"customer-owned-ipv4-pool", ""}}),
       {R"(alb.ingress.kubernetes.io/customer-owned-ipv4-pool "": must not be empty)"},
       {}},
      {"ok_listener_attributes",
       Alb({{"listener-attributes.HTTPS-443", "routing.http.response.server.enabled=false"}}),
       {},
       {}},
      {"err_listener_attributes_key",
       Alb({{"listener-attributes.TCP-443", "a=b"}}),
       {R"(alb.ingress.kubernetes.io/listener-attributes.TCP-443 "a=b": the key must name a listener as listener-attributes.<HTTP|HTTPS>-<port>)"},
       {}},
      {"warn_value_with_control_chars",
       Alb({{"ssl-policy", "ELBSecurityPolicy-X\n"}}),
       {R"(alb.ingress.kubernetes.io/ssl-policy "ELBSecurityPolicy-X\u000a": must be an ELB security policy name like ELBSecurityPolicy-TLS13-1-2-2021-06)"},
       {"alb.ingress.kubernetes.io/ssl-policy: ends with a newline (a YAML '>' or '|' block adds "
        "one; '>-' does not)"}},
      {"warn_value_with_surrounding_space",
       Alb({{"scheme", " internal"}}),
       {R"(alb.ingress.kubernetes.io/scheme " internal": must be one of internal, internet-facing)"},
       {"alb.ingress.kubernetes.io/scheme: starts or ends with whitespace, which the LBC keeps"}},
  });
}

}  // namespace
}  // namespace albwebhook::rules
