// IngressClassParams validation: the LBC's own cases (inputs and messages from its validator's
// test table) plus aggregation, types the LBC would never decode, and operations.
#include <gtest/gtest.h>

#include "albwebhook/rules/ingress_class_params.hpp"

namespace albwebhook::rules {
namespace {

using nlohmann::json;

Verdict Judge(const json& spec, api::Operation op = api::Operation::kCreate) {
  static const policy::Policy kPolicy{};
  const Context ctx{op, "", "params", kPolicy};
  json object = {{"apiVersion", "elbv2.k8s.aws/v1beta1"},
                 {"kind", "IngressClassParams"},
                 {"metadata", {{"name", "params"}}}};
  if (!spec.is_null()) object["spec"] = spec;
  return MakeIngressClassParamsValidator()->Validate(ctx, object, json());
}

// The one denial's message, or "" when allowed.
std::string Denial(const json& spec) {
  const Verdict v = Judge(spec);
  EXPECT_LE(v.findings.size(), 1U);
  if (v.findings.empty()) return "";
  EXPECT_EQ(v.findings[0].severity, Severity::kDeny);
  return v.findings[0].message;
}

TEST(IngressClassParamsValidatorTest, AcceptsWhatTheLbcAccepts) {
  EXPECT_EQ(Denial(nullptr), "");
  EXPECT_EQ(Denial(json::object()), "");
  EXPECT_EQ(Denial({{"inboundCIDRs", {"10.0.0.0/8", "2001:DB8::/32"}}}), "");
  EXPECT_EQ(Denial({{"subnets", {{"ids", {"subnet-1", "subnet-2"}}}}}), "");
  EXPECT_EQ(Denial({{"subnets", {{"tags", {{"key", {"value1", "value2"}}}}}}}), "");
  EXPECT_EQ(Denial({{"subnets", nullptr}}), "");
  EXPECT_EQ(Denial({{"subnets", {{"ids", json::array()}}}}), "");  // empty but set: allowed
}

TEST(IngressClassParamsValidatorTest, InboundCidrsWithTheLbcMessages) {
  EXPECT_EQ(Denial({{"inboundCIDRs", {"192.168.0.1"}}}),
            "spec.inboundCIDRs[0]: Invalid value: \"192.168.0.1\": Could not be parsed as a CIDR "
            "(did you mean \"192.168.0.1/32\")");
  EXPECT_EQ(Denial({{"inboundCIDRs", {"2001:DB8::"}}}),
            "spec.inboundCIDRs[0]: Invalid value: \"2001:DB8::\": Could not be parsed as a CIDR "
            "(did you mean \"2001:DB8::/64\")");
  EXPECT_EQ(Denial({{"inboundCIDRs", {"10.128.0.0/8"}}}),
            "spec.inboundCIDRs[0]: Invalid value: \"10.128.0.0/8\": Network contains bits "
            "outside prefix (did you mean \"10.0.0.0/8\")");
  EXPECT_EQ(Denial({{"inboundCIDRs", {""}}}),
            "spec.inboundCIDRs[0]: Invalid value: \"\": Could not be parsed as a CIDR");
  EXPECT_EQ(Denial({{"inboundCIDRs", {"invalid.example.com"}}}),
            "spec.inboundCIDRs[0]: Invalid value: \"invalid.example.com\": Could not be parsed "
            "as a CIDR");
}

TEST(IngressClassParamsValidatorTest, SubnetSelectorsWithTheLbcMessages) {
  EXPECT_EQ(Denial({{"subnets", json::object()}}),
            "spec.subnets: Required value: must have either `ids` or `tags`");
  EXPECT_EQ(
      Denial({{"subnets", {{"ids", {"subnet-1", "subnet-2"}}, {"tags", {{"Name", {"named"}}}}}}}),
      "spec.subnets.tags: Forbidden: may not have both `ids` and `tags` set");
  EXPECT_EQ(Denial({{"subnets", {{"ids", {"subnet-1", "subnet-2", "subnet-1"}}}}}),
            "spec.subnets.ids[2]: Duplicate value: \"subnet-1\"");
  EXPECT_EQ(
      Denial({{"subnets",
               {{"tags", {{"Name", {"name1"}}, {"Other", {"other1", "other2", "other1"}}}}}}}),
      "spec.subnets.tags[Other][2]: Duplicate value: \"other1\"");
  EXPECT_EQ(Denial({{"subnets", {{"tags", json::object()}}}}),
            "spec.subnets.tags: Required value: must have at least one tag key");
}

TEST(IngressClassParamsValidatorTest, SeveralErrorsAggregateAsApimachineryDoes) {
  EXPECT_EQ(Denial({{"inboundCIDRs", {"1.2.3.4", "1.2.3.4", "10.1.0.0/8"}},
                    {"subnets", {{"ids", {"subnet-1", "subnet-1"}}}}}),
            "[spec.inboundCIDRs[0]: Invalid value: \"1.2.3.4\": Could not be parsed as a CIDR "
            "(did you mean \"1.2.3.4/32\"), spec.inboundCIDRs[1]: Invalid value: \"1.2.3.4\": "
            "Could not be parsed as a CIDR (did you mean \"1.2.3.4/32\"), spec.inboundCIDRs[2]: "
            "Invalid value: \"10.1.0.0/8\": Network contains bits outside prefix (did you mean "
            "\"10.0.0.0/8\"), spec.subnets.ids[1]: Duplicate value: \"subnet-1\"]");
  const Verdict v = Judge({{"subnets", {{"ids", {"a", "a"}}}}, {"inboundCIDRs", {"x"}}});
  ASSERT_EQ(v.findings.size(), 1U);
  EXPECT_EQ(v.findings[0].check, "inboundCIDRs");
}

TEST(IngressClassParamsValidatorTest, OnlyCreateAndUpdateAndNoThrowOnOddTypes) {
  const json bad = {{"inboundCIDRs", {"1.2.3.4"}}};
  EXPECT_TRUE(Judge(bad, api::Operation::kUpdate).HasDenials());
  EXPECT_FALSE(Judge(bad, api::Operation::kDelete).HasDenials());
  // Types the CRD schema rejects before admission: nothing to say, never a throw.
  EXPECT_FALSE(Judge({{"inboundCIDRs", "10.0.0.0/8"}}).HasDenials());
  EXPECT_FALSE(Judge({{"inboundCIDRs", {1, json::object()}}}).HasDenials());
  EXPECT_FALSE(Judge({{"subnets", {{"ids", "subnet-1"}}}}).HasDenials());
  EXPECT_FALSE(Judge({{"subnets", {{"tags", {{"k", "v"}}}}}}).HasDenials());
  EXPECT_FALSE(Judge(json::array()).HasDenials());
}

}  // namespace
}  // namespace albwebhook::rules

// What the API server refuses against the CRD's schema, offline only (`check`), as warnings in
// its words; the server never sees such an object, and fields the schema does not name are
// pruned, not refused.
namespace albwebhook::rules {
namespace {

std::vector<std::string> Warnings(const json& spec, bool offline = true,
                                  api::Operation op = api::Operation::kCreate) {
  static const policy::Policy kPolicy{};
  const Context ctx{op, "", "params", kPolicy, nullptr, offline};
  const json object = {{"apiVersion", "elbv2.k8s.aws/v1beta1"},
                       {"kind", "IngressClassParams"},
                       {"metadata", {{"name", "params"}}},
                       {"spec", spec}};
  const Verdict v = MakeIngressClassParamsValidator()->Validate(ctx, object, json());
  std::vector<std::string> out;
  for (const Finding& f : v.findings) {
    if (f.check != "api-server") continue;
    EXPECT_EQ(f.severity, Severity::kWarn);
    out.push_back(f.message);
  }
  return out;
}

TEST(IngressClassParamsSchemaTest, ValidSpecsDrawNone) {
  EXPECT_TRUE(Warnings(json::object()).empty());
  EXPECT_TRUE(Warnings(json::parse(R"({
    "scheme": "internal", "ipAddressType": "dualstack-without-public-ipv4", "targetType": "ip",
    "group": {"name": "shared"}, "tags": [{"key": "team", "value": "a"}],
    "loadBalancerAttributes": [{"key": "idle_timeout.timeout_seconds", "value": "60"}],
    "subnets": {"tags": {"kubernetes.io/role/elb": ["1", ""]}}, "certificateArn": ["arn"],
    "listeners": [{"protocol": "HTTPS", "port": 443,
                   "listenerAttributes": [{"key": "k", "value": "v"}]}],
    "minimumLoadBalancerCapacity": {"capacityUnits": 100}, "sslPolicy": null,
    "namespaceSelector": {"matchLabels": {"team": "a"},
                          "matchExpressions": [{"key": "team", "operator": "Exists"}]},
    "someFutureField": {"x": 1}})"))
                  .empty());
}

TEST(IngressClassParamsSchemaTest, TypesEnumsRequiredAndPattern) {
  EXPECT_EQ(Warnings(json::parse(R"({"tags": {"team": "a"}})")),
            std::vector<std::string>{"spec.tags: Invalid value: \"object\": spec.tags in body must "
                                     "be of type array: \"object\""});
  EXPECT_EQ(Warnings(json::parse(R"({"scheme": "public"})")),
            std::vector<std::string>{"spec.scheme: Unsupported value: \"public\": supported "
                                     "values: \"internal\", \"internet-facing\""});
  EXPECT_EQ(Warnings(json::parse(R"({"targetType": "pod", "group": {}})")),
            (std::vector<std::string>{
                "spec.group.name: Required value",
                "spec.targetType: Unsupported value: \"pod\": supported values: \"instance\", "
                "\"ip\""}));
  EXPECT_EQ(Warnings(json::parse(
                R"({"loadBalancerAttributes": [{"key": "a", "value": 60}, {"value": "b"}]})")),
            (std::vector<std::string>{
                "spec.loadBalancerAttributes[0].value: Invalid value: \"integer\": "
                "spec.loadBalancerAttributes[0].value in body must be of type string: "
                "\"integer\"",
                "spec.loadBalancerAttributes[1].key: Required value"}));
  EXPECT_EQ(Warnings(json::parse(R"({"subnets": {"ids": ["sub-1", "subnet-0a1b"]},
                                     "listeners": [{"port": "443"}]})")),
            (std::vector<std::string>{
                "spec.listeners[0].port: Invalid value: \"string\": spec.listeners[0].port in "
                "body must be of type integer: \"string\"",
                "spec.subnets.ids[0]: Invalid value: \"sub-1\": spec.subnets.ids[0] in body "
                "should match 'subnet-[0-9a-f]+'"}));
  EXPECT_EQ(Warnings(json::parse(R"({"minimumLoadBalancerCapacity": {"capacityUnits": 1.5}})")),
            std::vector<std::string>{
                "spec.minimumLoadBalancerCapacity.capacityUnits: Invalid value: \"float64\": "
                "spec.minimumLoadBalancerCapacity.capacityUnits in body must be of type int32: "
                "\"float64\""});
}

// Review findings: what kube-openapi accepts and how it words int32 fields, null list items,
// fields of newer CRD versions, the subnet IDs' minItems.
TEST(IngressClassParamsSchemaTest, IntegersNullItemsNewerFieldsAndMinItems) {
  EXPECT_TRUE(Warnings(json::parse(R"({"minimumLoadBalancerCapacity": {"capacityUnits": 100.0},
                                       "listeners": [{"port": 443.0}]})"))
                  .empty());
  EXPECT_EQ(Warnings(json::parse(R"({"listeners": [{"port": 1.5}, {"port": true}]})")),
            (std::vector<std::string>{
                "spec.listeners[0].port: Invalid value: \"float64\": spec.listeners[0].port in "
                "body must be of type int32: \"float64\"",
                "spec.listeners[1].port: Invalid value: \"\": spec.listeners[1].port in body "
                "must be of type int32: \"\""}));
  EXPECT_EQ(Warnings(json::parse(R"({"certificateArn": [null]})")),
            std::vector<std::string>{"spec.certificateArn[0]: Invalid value: \"null\": "
                                     "spec.certificateArn[0] in body must be of type string: "
                                     "\"null\""});
  EXPECT_EQ(Warnings(json::parse(R"({"sslRedirectPort": 443, "subnets": {"ids": []}})")),
            (std::vector<std::string>{
                "spec.sslRedirectPort: Invalid value: \"integer\": spec.sslRedirectPort in body "
                "must be of type string: \"integer\"",
                "spec.subnets.ids: Invalid value: 0: spec.subnets.ids in body should have at "
                "least 1 items"}));
}

TEST(IngressClassParamsSchemaTest, OnlyOfflineCreates) {
  const json bad = json::parse(R"({"scheme": "public"})");
  EXPECT_TRUE(Warnings(bad, /*offline=*/false).empty());
  EXPECT_TRUE(Warnings(bad, /*offline=*/true, api::Operation::kUpdate).empty());
}

}  // namespace
}  // namespace albwebhook::rules
