// Ingress validator: the annotation families added after the core set (one table per family),
// judged with unknownAnnotations: deny so that an unknown key would show.
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

}  // namespace
}  // namespace albwebhook::rules
