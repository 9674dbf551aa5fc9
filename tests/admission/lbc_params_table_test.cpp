// The LBC's IngressClassParams webhook test table (webhooks/elbv2/ingressclassparams_validator_
// test.go, LBC v3.5.0+ at 225f445), through the whole validating webhook, as the LBC runs it: each
// row as a CREATE and as an UPDATE from an empty IngressClassParams. Our data; the LBC's messages.
#include <gtest/gtest.h>

#include "admission/lbc_table_support.hpp"

namespace albwebhook::testing {
namespace {

using nlohmann::json;

json Params(const json& spec) {
  json p = {{"apiVersion", "elbv2.k8s.aws/v1beta1"},
            {"kind", "IngressClassParams"},
            {"metadata", {{"name", "edge"}}}};
  if (!spec.is_null()) p["spec"] = spec;
  return p;
}

ReviewBuilder ParamsReview(const json& params) {
  return Elbv2Review("IngressClassParams", "ingressclassparams", params);
}

struct Row {
  std::string name;
  json spec;
  Want want;
};

TEST(LbcParamsTable, ValidateCreateAndUpdate) {
  // Subnet ids of the shape AWS gives them (the LBC's own "subnet-1" rows:
  // LbcPlaceholderSubnetIds).
  const std::string s1 = "subnet-0a1b2c3d";
  const std::string s2 = "subnet-0e1f2a3b4c5d6e7f8";
  const std::vector<Row> rows = {
      {"empty", nullptr, {}},
      {"inboundCIDRs, valid IPv4 and IPv6",
       {{"inboundCIDRs", {"10.0.0.0/8", "2001:DB8::/32"}}},
       {}},
      {"inboundCIDRs, IPv4 without a length",
       {{"inboundCIDRs", {"192.168.0.1"}}},
       {false,
        "spec.inboundCIDRs[0]: Invalid value: \"192.168.0.1\": Could not be parsed as a CIDR (did "
        "you mean \"192.168.0.1/32\")",
        {}}},
      {"inboundCIDRs, IPv6 without a length",
       {{"inboundCIDRs", {"2001:DB8::"}}},
       {false,
        "spec.inboundCIDRs[0]: Invalid value: \"2001:DB8::\": Could not be parsed as a CIDR (did "
        "you mean \"2001:DB8::/64\")",
        {}}},
      {"inboundCIDRs, bits outside the prefix",
       {{"inboundCIDRs", {"10.128.0.0/8"}}},
       {false,
        "spec.inboundCIDRs[0]: Invalid value: \"10.128.0.0/8\": Network contains bits outside "
        "prefix (did you mean \"10.0.0.0/8\")",
        {}}},
      {"inboundCIDRs, empty string",
       {{"inboundCIDRs", {""}}},
       {false, "spec.inboundCIDRs[0]: Invalid value: \"\": Could not be parsed as a CIDR", {}}},
      {"inboundCIDRs, a domain name",
       {{"inboundCIDRs", {"invalid.example.com"}}},
       {false,
        "spec.inboundCIDRs[0]: Invalid value: \"invalid.example.com\": Could not be parsed as a "
        "CIDR",
        {}}},
      {"subnets by id", {{"subnets", {{"ids", {s1, s2}}}}}, {}},
      {"subnets by tag", {{"subnets", {{"tags", {{"key", {"value1", "value2"}}}}}}}, {}},
      {"subnets selector empty",
       {{"subnets", json::object()}},
       {false, "spec.subnets: Required value: must have either `ids` or `tags`", {}}},
      {"subnets by id and by tag",
       {{"subnets", {{"ids", {s1, s2}}, {"tags", {{"Name", {"named-subnet"}}}}}}},
       {false, "spec.subnets.tags: Forbidden: may not have both `ids` and `tags` set", {}}},
      {"subnets, a duplicate id",
       {{"subnets", {{"ids", {s1, s2, s1}}}}},
       {false, "spec.subnets.ids[2]: Duplicate value: \"" + s1 + "\"", {}}},
      {"subnets, a duplicate tag value",
       {{"subnets", {{"tags", {{"Name", {"name1"}}, {"Other", {"other1", "other2", "other1"}}}}}}},
       {false, "spec.subnets.tags[Other][2]: Duplicate value: \"other1\"", {}}},
      {"subnets, empty tags map",
       {{"subnets", {{"tags", json::object()}}}},
       {false, "spec.subnets.tags: Required value: must have at least one tag key", {}}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    const json params = Params(row.spec);
    ExpectAnswer(ServeWhole("IngressClassParams", Hook::kValidate, ParamsReview(params)), row.want);
    ExpectAnswer(ServeWhole("IngressClassParams", Hook::kValidate,
                            ParamsReview(params).Operation("UPDATE").OldObject(Params(nullptr))),
                 row.want);
  }
}

// The LBC's valid row with its own ids, "subnet-1" and "subnet-2": allowed, as by the LBC. (AWS has
// no such subnet ids, `subnet-` and 8 or 17 hex digits; spec.subnets.ids formats are not judged.)
TEST(LbcParamsTable, LbcPlaceholderSubnetIds) {
  const json params = Params({{"subnets", {{"ids", {"subnet-1", "subnet-2"}}}}});
  ExpectAnswer(ServeWhole("IngressClassParams", Hook::kValidate, ParamsReview(params)), Want{});
}

}  // namespace
}  // namespace albwebhook::testing
