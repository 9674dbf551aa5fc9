// The "conflicting ..." errors of the LBC's IngressGroup model build as cases: the candidate
// team-a/shop against team-b/web, both of class alb (IngressClass alb, controller
// ingress.k8s.aws/alb, no params). Shared by the rule tests (ClusterState::FromObjects), the
// fake-API-server tests (serve with a kubeconfig) and the `check --cluster-state` tests.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace albwebhook::testing {

struct GroupConflictCase {
  const char* name;
  nlohmann::json mine;                  // the candidate's annotations
  nlohmann::json theirs;                // the other member's annotations
  std::string expected;                 // the one group denial; "" = no conflict
  bool mine_default_backend = false;    // the candidate sets spec.defaultBackend
  bool theirs_default_backend = false;  // the other member does
};

/// `ingress` with a spec.defaultBackend (Service web, port 80) when `set`.
inline nlohmann::json MaybeDefaultBackend(nlohmann::json ingress, bool set) {
  if (set) {
    ingress["spec"]["defaultBackend"] = {
        {"service", {{"name", "web"}, {"port", {{"number", 80}}}}}};
  }
  return ingress;
}

namespace group_conflict_detail {

/// alb.ingress.kubernetes.io/<suffix> annotations (a key with a '/' is kept as it is).
inline nlohmann::json Alb(std::initializer_list<std::pair<std::string, std::string>> items) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, v] : items) {
    out[k.find('/') == std::string::npos ? "alb.ingress.kubernetes.io/" + k : k] = v;
  }
  return out;
}

/// Alb(items) in IngressGroup g.
inline nlohmann::json Group(std::initializer_list<std::pair<std::string, std::string>> items) {
  nlohmann::json out = Alb(items);
  out["alb.ingress.kubernetes.io/group.name"] = "g";
  return out;
}

}  // namespace group_conflict_detail

inline std::vector<GroupConflictCase> GroupConflictCases() {
  using group_conflict_detail::Alb;
  using group_conflict_detail::Group;
  using ConflictCase = GroupConflictCase;
  constexpr const char* kSub1 = "subnet-aaaaaaaa,subnet-bbbbbbbb";
  constexpr const char* kTls = "[{\"HTTPS\":443},{\"HTTPS\":8443}]";
  constexpr const char* kCert = "arn:aws:acm:us-east-1:111111111111:certificate/abc";
  constexpr const char* kAcmCert =
      "arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
  // An HTTPS member (listeners 443 and 8443, a valid certificate) with this mutual-authentication.
  constexpr const char* kVerifyTsA = R"([{"port":443,"mode":"verify","trustStore":"ts-a"}])";
  auto mtls = [&](const char* entries) {
    return Group({{"listen-ports", kTls},
                  {"certificate-arn", kAcmCert},
                  {"mutual-authentication", entries}});
  };
  return {
      ConflictCase{"scheme", Group({{"scheme", "internal"}}),
                   Group({{"scheme", "internet-facing"}}),
                   "conflicting scheme: internal (this Ingress) vs internet-facing (team-b/web)"},
      ConflictCase{"same_scheme", Group({{"scheme", "internal"}}), Group({{"scheme", "internal"}}),
                   ""},
      ConflictCase{"not_a_member", Group({{"scheme", "internal"}}),
                   Alb({{"scheme", "internet-facing"}, {"group.name", "other"}}), ""},
      ConflictCase{"ip_address_type", Group({{"ip-address-type", "ipv4"}}),
                   Group({{"ip-address-type", "dualstack"}}),
                   "conflicting IPAddressType: ipv4 (this Ingress) vs dualstack (team-b/web)"},
      ConflictCase{"load_balancer_name", Group({{"load-balancer-name", "a"}}),
                   Group({{"load-balancer-name", "b"}}),
                   "conflicting load balancer name: a (this Ingress) vs b (team-b/web)"},
      ConflictCase{"subnets", Group({{"subnets", kSub1}}),
                   Group({{"subnets", "subnet-cccccccc,subnet-bbbbbbbb"}}),
                   "conflicting subnets: [subnet-aaaaaaaa subnet-bbbbbbbb] (this Ingress) vs "
                   "[subnet-cccccccc subnet-bbbbbbbb] (team-b/web)"},
      ConflictCase{"subnets_any_order", Group({{"subnets", kSub1}}),
                   Group({{"subnets", "subnet-bbbbbbbb, subnet-aaaaaaaa"}}), ""},
      ConflictCase{"security_groups_order_counts",
                   Group({{"security-groups", "sg-11111111,sg-22222222"}}),
                   Group({{"security-groups", "sg-22222222,sg-11111111"}}),
                   "conflicting securityGroups: [sg-11111111 sg-22222222] (this Ingress) vs "
                   "[sg-22222222 sg-11111111] (team-b/web)"},
      ConflictCase{"coip", Group({{"customer-owned-ipv4-pool", "ipv4pool-coip-1"}}),
                   Group({{"customer-owned-ipv4-pool", "ipv4pool-coip-2"}}),
                   "conflicting CustomerOwnedIPv4Pool: ipv4pool-coip-1 (this Ingress) vs "
                   "ipv4pool-coip-2 (team-b/web)"},
      ConflictCase{"lb_attributes",
                   Group({{"load-balancer-attributes", "idle_timeout.timeout_seconds=60"}}),
                   Group({{"load-balancer-attributes", "idle_timeout.timeout_seconds=120"}}),
                   "conflicting load balancer attributes idle_timeout.timeout_seconds: 60 (this "
                   "Ingress) vs 120 (team-b/web)"},
      ConflictCase{"tags", Group({{"tags", "env=prod,team=a"}}), Group({{"tags", "env=dev"}}),
                   "conflicting tag env: prod (this Ingress) vs dev (team-b/web)"},
      ConflictCase{"wafv2_names", Group({{"wafv2-acl-name", "a"}}),
                   Group({{"wafv2-acl-name", "b"}}),
                   "conflicting WAFv2 WebACL names: a (this Ingress) vs b (team-b/web)"},
      ConflictCase{"wafv2_arns",
                   Group({{"wafv2-acl-arn",
                           "arn:aws:wafv2:us-east-1:111111111111:regional/webacl/a/"
                           "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"}}),
                   Group({{"wafv2-acl-arn", "none"}}),
                   "conflicting WAFv2 WebACL ARNs: "
                   "arn:aws:wafv2:us-east-1:111111111111:regional/webacl/a/"
                   "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e (this Ingress) vs "
                   "none (team-b/web)"},
      ConflictCase{"wafv2_arns_ignored_with_a_name",
                   Group({{"wafv2-acl-arn", "none"}, {"wafv2-acl-name", "a"}}),
                   Group({{"wafv2-acl-arn",
                           "arn:aws:wafv2:us-east-1:111111111111:regional/webacl/a/"
                           "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"}}),
                   ""},
      ConflictCase{"waf_classic", Group({{"waf-acl-id", "a"}}), Group({{"web-acl-id", "b"}}),
                   "conflicting WAFClassic WebACL IDs: a (this Ingress) vs b (team-b/web)"},
      // buildListenerDefaultActions: one default backend per listener.
      ConflictCase{"default_backends", Group({}), Group({}),
                   "multiple ingress defined default backend: [team-a/shop team-b/web]", true,
                   true},
      ConflictCase{"default_backends_other_listeners", Group({{"listen-ports", "[{\"HTTP\":80}]"}}),
                   Group({{"listen-ports", "[{\"HTTP\":8080}]"}}), "", true, true},
      // The HTTP listener's default action is the redirect; 443 has one default backend.
      ConflictCase{"default_backends_behind_ssl_redirect",
                   Group({{"listen-ports", "[{\"HTTP\":80}]"}, {"ssl-redirect", "443"}}),
                   Group({{"listen-ports", "[{\"HTTP\":80},{\"HTTPS\":443}]"},
                          {"certificate-arn", kAcmCert}}),
                   "", true, true},
      ConflictCase{"shield", Group({{"shield-advanced-protection", "true"}}),
                   Group({{"shield-advanced-protection", "false"}}),
                   "conflicting enable shield advanced protection: true (this Ingress) vs "
                   "false (team-b/web)"},
      // The flags are compared only when the ALB takes the security-groups annotation's groups
      // (buildLoadBalancerSecurityGroups); with managed groups they never meet.
      ConflictCase{"manage_backend_sg_rules_managed_groups",
                   Group({{"manage-backend-security-group-rules", "true"}}),
                   Group({{"manage-backend-security-group-rules", "f"}}), ""},
      ConflictCase{"manage_backend_sg_rules",
                   Group({{"manage-backend-security-group-rules", "true"},
                          {"security-groups", "sg-0123456789abcdef0"}}),
                   Group({{"manage-backend-security-group-rules", "f"},
                          {"security-groups", "sg-0123456789abcdef0"}}),
                   "conflicting manage backend security group rules settings: true (this "
                   "Ingress) vs false (team-b/web)"},
      ConflictCase{"manage_backend_sg_rules_groups_from_the_other_member",
                   Group({{"manage-backend-security-group-rules", "true"}}),
                   Group({{"manage-backend-security-group-rules", "false"},
                          {"security-groups", "sg-0123456789abcdef0"}}),
                   "conflicting manage backend security group rules settings: true (this "
                   "Ingress) vs false (team-b/web)"},
      ConflictCase{"same_manage_backend_sg_rules",
                   Group({{"manage-backend-security-group-rules", "true"}}),
                   Group({{"manage-backend-security-group-rules", "1"}}), ""},
      ConflictCase{
          "listener_attributes",
          Group({{"listener-attributes.HTTP-80", "routing.http.response.server.enabled=true"}}),
          Group({{"listener-attributes.HTTP-80", "routing.http.response.server.enabled=false"}}),
          "conflicting listener attributes routing.http.response.server.enabled: true "
          "(this Ingress) vs false (team-b/web)"},
      ConflictCase{
          "listener_attributes_other_listener",
          Group({{"listener-attributes.HTTP-80", "routing.http.response.server.enabled=true"}}),
          Group({{"listen-ports", "[{\"HTTP\":8080}]"},
                 {"listener-attributes.HTTP-8080", "routing.http.response.server.enabled=false"}}),
          ""},
      ConflictCase{"mtls", mtls(kVerifyTsA), mtls(R"([{"port":443,"mode":"passthrough"}])"),
                   "failed to merge listenPort config for port: 443: conflicting mTLS "
                   "Attributes, team-a/shop: {mode verify, trustStore ts-a, "
                   "ignoreClientCertificateExpiry false} | team-b/web: {mode passthrough}"},
      ConflictCase{"mtls_default_ignore_expiry", mtls(kVerifyTsA),
                   mtls(R"([{"port":443,"mode":"verify","trustStore":"ts-a",)"
                        R"("ignoreClientCertificateExpiry":false}])"),
                   ""},
      ConflictCase{"mtls_store_by_name_and_arn", mtls(kVerifyTsA),
                   mtls(R"([{"port":443,"mode":"verify","trustStore":)"
                        R"("arn:aws:elasticloadbalancing:us-east-1:111111111111:truststore/)"
                        R"(ts-a/0123456789abcdef"}])"),
                   ""},
      ConflictCase{"frontend_nlb_enable", Group({{"enable-frontend-nlb", "true"}}),
                   Group({{"enable-frontend-nlb", "false"}}),
                   "conflicting enable frontend NLB values: true (this Ingress) vs false "
                   "(team-b/web)"},
      ConflictCase{"frontend_nlb_scheme",
                   Group({{"enable-frontend-nlb", "true"}, {"frontend-nlb-scheme", "internal"}}),
                   Group({{"frontend-nlb-scheme", "internet-facing"}}),
                   "frontend NLB: conflicting scheme: internal (this Ingress) vs internet-facing "
                   "(team-b/web)"},
      ConflictCase{"frontend_nlb_tags",
                   Group({{"enable-frontend-nlb", "true"}, {"frontend-nlb-tags", "team=a"}}),
                   Group({{"enable-frontend-nlb", "true"}, {"frontend-nlb-tags", "team=a,env=b"}}),
                   "conflicting frontend NLB tags: map[team:a] (this Ingress) vs map[env:b "
                   "team:a] (team-b/web)"},
      ConflictCase{"frontend_nlb_attributes",
                   Group({{"enable-frontend-nlb", "true"},
                          {"frontend-nlb-attributes", "load_balancing.cross_zone.enabled=true"}}),
                   Group({{"frontend-nlb-attributes", "load_balancing.cross_zone.enabled=false"}}),
                   "conflicting frontend NLB attributes: "
                   "map[load_balancing.cross_zone.enabled:true] (this Ingress) vs "
                   "map[load_balancing.cross_zone.enabled:false] (team-b/web)"},
      ConflictCase{"frontend_nlb_not_built", Group({{"frontend-nlb-scheme", "internal"}}),
                   Group({{"frontend-nlb-scheme", "internet-facing"}}), ""},
      // buildFrontendNlbSubnetMappings: EIPs across members.
      ConflictCase{"frontend_nlb_eips_differ",
                   Group({{"enable-frontend-nlb", "true"},
                          {"frontend-nlb-scheme", "internet-facing"},
                          {"frontend-nlb-eip-allocations",
                           "eipalloc-0123456789abcdef0,eipalloc-0123456789abcdef1"}}),
                   Group({{"frontend-nlb-eip-allocations",
                           "eipalloc-0123456789abcdef0,eipalloc-0123456789abcdef2"}}),
                   "all EIP allocations for the ingress group must be the same: "
                   "[eipalloc-0123456789abcdef0 eipalloc-0123456789abcdef1] (this Ingress) vs "
                   "[eipalloc-0123456789abcdef0 eipalloc-0123456789abcdef2] (team-b/web)"},
      ConflictCase{"frontend_nlb_eips_same_in_any_order",
                   Group({{"enable-frontend-nlb", "true"},
                          {"frontend-nlb-scheme", "internet-facing"},
                          {"frontend-nlb-eip-allocations",
                           "eipalloc-0123456789abcdef0,eipalloc-0123456789abcdef1"}}),
                   Group({{"frontend-nlb-eip-allocations",
                           "eipalloc-0123456789abcdef1,eipalloc-0123456789abcdef0"}}),
                   ""},
      ConflictCase{"frontend_nlb_eips_on_an_nlb_made_internal",
                   Group({{"enable-frontend-nlb", "true"},
                          {"frontend-nlb-eip-allocations", "eipalloc-0123456789abcdef0"}}),
                   Group({{"frontend-nlb-scheme", "internal"}}),
                   "EIP allocations can only be set for internet facing load balancers: this "
                   "Ingress sets frontend-nlb-eip-allocations [eipalloc-0123456789abcdef0] and "
                   "team-b/web sets frontend-nlb-scheme internal"},
      // No member sets the NLB's scheme: the controller's default scheme decides.
      ConflictCase{"frontend_nlb_eips_scheme_from_controller",
                   Group({{"enable-frontend-nlb", "true"},
                          {"frontend-nlb-eip-allocations", "eipalloc-0123456789abcdef0"}}),
                   Group({{"enable-frontend-nlb", "true"}}), ""},
      ConflictCase{"frontend_nlb_eips_not_one_per_subnet",
                   Group({{"enable-frontend-nlb", "true"},
                          {"frontend-nlb-scheme", "internet-facing"},
                          {"frontend-nlb-eip-allocations", "eipalloc-0123456789abcdef0"}}),
                   Group({{"frontend-nlb-subnets", "subnet-aaaaaaaa,subnet-bbbbbbbb"}}),
                   "count of EIP allocations (1) and subnets (2) must match: this Ingress sets "
                   "frontend-nlb-eip-allocations [eipalloc-0123456789abcdef0] and team-b/web sets "
                   "frontend-nlb-subnets [subnet-aaaaaaaa subnet-bbbbbbbb]"},
      ConflictCase{"frontend_nlb_subnets_against_the_others_eips",
                   Group({{"enable-frontend-nlb", "true"},
                          {"frontend-nlb-subnets", "subnet-aaaaaaaa,subnet-bbbbbbbb"}}),
                   Group({{"frontend-nlb-scheme", "internet-facing"},
                          {"frontend-nlb-eip-allocations", "eipalloc-0123456789abcdef0"}}),
                   "count of EIP allocations (1) and subnets (2) must match: team-b/web sets "
                   "frontend-nlb-eip-allocations [eipalloc-0123456789abcdef0] and this Ingress "
                   "sets frontend-nlb-subnets [subnet-aaaaaaaa subnet-bbbbbbbb]"},
      // mergeFrontendNlbListenPortConfigs: one NLB port forwarding to two ALB ports.
      ConflictCase{"frontend_nlb_target_port",
                   Group({{"enable-frontend-nlb", "true"},
                          {"listen-ports", "[{\"HTTP\":8080}]"},
                          {"frontend-nlb-listener-port-mapping", "80=8080"}}),
                   Group({{"listen-ports", "[{\"HTTP\":8081}]"},
                          {"frontend-nlb-listener-port-mapping", "80=8081"}}),
                   "failed to merge NLB listenPort config for port: 80: conflicting Target Port: "
                   "8080 (this Ingress) vs 8081 (team-b/web)"},
      ConflictCase{"frontend_nlb_target_port_not_built",
                   Group({{"listen-ports", "[{\"HTTP\":8080}]"},
                          {"frontend-nlb-listener-port-mapping", "80=8080"}}),
                   Group({{"listen-ports", "[{\"HTTP\":8081}]"},
                          {"frontend-nlb-listener-port-mapping", "80=8081"}}),
                   ""},
      // A mapped ALB port the member does not listen on gives no NLB listener: nothing shared.
      ConflictCase{"frontend_nlb_mapping_to_unlistened_port",
                   Group({{"enable-frontend-nlb", "true"},
                          {"frontend-nlb-listener-port-mapping", "80=9999"}}),
                   Group({{"enable-frontend-nlb", "true"}}), ""},
      ConflictCase{"frontend_nlb_healthcheck_interval",
                   Group({{"enable-frontend-nlb", "true"},
                          {"frontend-nlb-healthcheck-interval-seconds", "10"}}),
                   Group({{"frontend-nlb-healthcheck-interval-seconds", "15"}}),
                   "failed to merge NLB listenPort config for port: 80: conflicting "
                   "IntervalSeconds: 10 (this Ingress) vs 15 (team-b/web)"},
      ConflictCase{
          "frontend_nlb_healthcheck_port_same_number",
          Group({{"enable-frontend-nlb", "true"}, {"frontend-nlb-healthcheck-port", "8080"}}),
          Group({{"frontend-nlb-healthcheck-port", "08080"}}), ""},
      ConflictCase{
          "frontend_nlb_healthcheck_set_by_one",
          Group({{"enable-frontend-nlb", "true"}, {"frontend-nlb-healthcheck-path", "/healthz"}}),
          Group({{"enable-frontend-nlb", "true"}}), ""},
      ConflictCase{"ipam_pool", Group({{"ipam-ipv4-pool-id", "ipam-pool-0123456789abcdef0"}}),
                   Group({{"ipam-ipv4-pool-id", "ipam-pool-0fedcba9876543210"}}),
                   "conflicting ipv4 ipam pools: ipam-pool-0123456789abcdef0 (this Ingress) vs "
                   "ipam-pool-0fedcba9876543210 (team-b/web)"},
      ConflictCase{"ipam_pool_empty_is_unset",
                   Group({{"ipam-ipv4-pool-id", "ipam-pool-0123456789abcdef0"}}),
                   Group({{"ipam-ipv4-pool-id", ""}}), ""},
      ConflictCase{
          "ssl_redirect",
          Group({{"listen-ports", kTls}, {"certificate-arn", kCert}, {"ssl-redirect", "443"}}),
          Group({{"listen-ports", kTls}, {"certificate-arn", kCert}, {"ssl-redirect", "8443"}}),
          "conflicting sslRedirect port: 443 (this Ingress) vs 8443 (team-b/web)"},
      ConflictCase{"protocol", Group({{"listen-ports", "[{\"HTTP\":8080}]"}}),
                   Group({{"listen-ports", "[{\"HTTPS\":8080}]"}}),
                   "failed to merge listenPort config for port: 8080: conflicting protocol, "
                   "team-a/shop: HTTP | team-b/web: HTTPS"},
      ConflictCase{"protocol_other_first", Group({{"listen-ports", "[{\"HTTP\":8080}]"}}),
                   Group({{"listen-ports", "[{\"HTTPS\":8080}]"}, {"group.order", "-1"}}),
                   "failed to merge listenPort config for port: 8080: conflicting protocol, "
                   "team-b/web: HTTPS | team-a/shop: HTTP"},
      ConflictCase{"protocol_by_default_listener", Group({{"certificate-arn", kCert}}),
                   Group({{"listen-ports", "[{\"HTTP\":443}]"}}),
                   "failed to merge listenPort config for port: 443: conflicting protocol, "
                   "team-a/shop: HTTPS | team-b/web: HTTP"},
      ConflictCase{"inbound_cidrs", Group({{"inbound-cidrs", "10.0.0.0/8"}}),
                   Group({{"inbound-cidrs", "192.168.0.0/16, ::/0"}}),
                   "failed to merge listenPort config for port: 80: conflicting inbound-cidrs, "
                   "team-a/shop: [10.0.0.0/8], [] | team-b/web: [192.168.0.0/16], [::/0]"},
      ConflictCase{"prefix_lists", Group({{"security-group-prefix-lists", "pl-11111111"}}),
                   Group({{"security-group-prefix-lists", "pl-22222222"}}),
                   "failed to merge listenPort config for port: 80: conflicting "
                   "inbound-prefix-lists, team-a/shop: [pl-11111111] | team-b/web: "
                   "[pl-22222222]"},
      ConflictCase{"ssl_policy",
                   Group({{"certificate-arn", kCert}, {"ssl-policy", "ELBSecurityPolicy-2016-08"}}),
                   Group({{"certificate-arn", kCert},
                          {"ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021-06"}}),
                   "failed to merge listenPort config for port: 443: conflicting sslPolicy, "
                   "team-a/shop: ELBSecurityPolicy-2016-08 | team-b/web: "
                   "ELBSecurityPolicy-TLS13-1-2-2021-06"}};
}

}  // namespace albwebhook::testing
