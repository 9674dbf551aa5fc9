// Tests for the shared AWS format helpers (server/common/aws_formats.hpp).
#include "common/aws_formats.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace albwebhook::common {
namespace {

struct Case {
  std::string name;
  std::string input;
  bool want;
};

void RunCases(const std::vector<Case>& cases, bool (*fn)(std::string_view)) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(fn(c.input), c.want) << c.input;
  }
}

TEST(IngressFormatsTest, ParsesArn) {
  auto arn = ParseArn("arn:aws:acm:us-west-2:123456789012:certificate/a:b");
  ASSERT_TRUE(arn.has_value());
  EXPECT_EQ(arn->partition, "aws");
  EXPECT_EQ(arn->service, "acm");
  EXPECT_EQ(arn->region, "us-west-2");
  EXPECT_EQ(arn->account, "123456789012");
  EXPECT_EQ(arn->resource, "certificate/a:b");
  EXPECT_FALSE(ParseArn("arn:aws:acm:us-west-2").has_value());
  EXPECT_FALSE(ParseArn("nope:aws:acm:r:a:x").has_value());
  EXPECT_FALSE(ParseArn("").has_value());
}

TEST(IngressFormatsTest, ChecksRegionsAndAccounts) {
  // Each partition with regions that belong to it and regions that do not.
  struct PartitionCase {
    std::string partition;
    std::vector<std::string> regions;
    std::vector<std::string> not_regions;
  };
  const std::vector<PartitionCase> partitions = {
      {"aws", {"us-west-2", "ap-southeast-5"}, {"cn-north-1", "us-gov-west-1", "us-west"}},
      {"aws-cn", {"cn-north-1"}, {}},
      {"aws-us-gov", {"us-gov-west-1"}, {}},
      {"aws-eusc", {"eusc-de-east-1"}, {}},
      {"nope", {}, {"us-west-2"}},
  };
  for (const auto& p : partitions) {
    for (const auto& r : p.regions)
      EXPECT_TRUE(IsRegionOfPartition(p.partition, r)) << p.partition << " " << r;
    for (const auto& r : p.not_regions)
      EXPECT_FALSE(IsRegionOfPartition(p.partition, r)) << p.partition << " " << r;
  }
  EXPECT_TRUE(IsRegion("eu-isoe-west-1"));
  RunCases({{"ok_12", "123456789012", true},
            {"err_11", "12345678901", false},
            {"err_letter", "12345678901a", false}},
           IsAccountId);
}

TEST(IngressFormatsTest, ChecksResourceIds) {
  RunCases({{"ok_8", "subnet-0123abcd", true},
            {"ok_17", "subnet-0123456789abcdef0", true},
            {"err_upper", "subnet-0123ABCD", false},
            {"err_len", "subnet-0123abc", false},
            {"err_prefix", "sub-0123abcd", false}},
           IsSubnetId);
  RunCases({{"ok_8", "sg-0123abcd", true},
            {"ok_17", "sg-0123456789abcdef0", true},
            {"err_9", "sg-0123abcde", false}},
           IsSecurityGroupId);
  RunCases({{"ok_32", "vpc-0123456789abcdef0123456789abcdef", true},
            {"ok_8", "vpc-0123abcd", true},
            {"err_10", "vpc-0123abcdef", false}},
           IsVpcId);
}

TEST(IngressFormatsTest, ChecksCidrs) {
  RunCases({{"ok_v4", "10.0.0.0/8", true},
            {"ok_v4_host_bits", "10.0.0.1/8", true},
            {"ok_v6", "2001:db8::/32", true},
            {"ok_v6_all", "::/0", true},
            {"ok_v4_all", "0.0.0.0/0", true},
            {"err_no_prefix", "10.0.0.0", false},
            {"err_prefix_33", "10.0.0.0/33", false},
            {"err_v6_129", "::/129", false},
            {"err_leading_zero", "010.0.0.0/8", false},
            {"err_words", "any", false},
            {"err_zone", "fe80::1%eth0/64", false},
            {"err_empty_prefix", "10.0.0.0/", false},
            {"err_sign", "10.0.0.0/+8", false}},
           IsValidCidr);
  EXPECT_EQ(CanonicalCidr("10.0.0.1/8").value_or(""), "10.0.0.0/8");
  EXPECT_EQ(CanonicalCidr("10.0.0.0/8").value_or(""), "10.0.0.0/8");
  EXPECT_EQ(CanonicalCidr("2001:db8::1/32").value_or(""), "2001:db8::/32");
  EXPECT_FALSE(CanonicalCidr("nope").has_value());
}

// One VPC ID rule (the LBC's) for TargetGroupBinding specs and the policy file.
TEST(IngressFormatsTest, ChecksVpcIds) {
  RunCases({{"ok_8", "vpc-0123abcd", true},
            {"ok_17", "vpc-0123456789abcdef0", true},
            {"ok_32", "vpc-0123456789abcdef0123456789abcdef", true},
            {"err_7", "vpc-0123abc", false},
            {"err_31", "vpc-0123456789abcdef0123456789abcde", false},
            {"err_upper", "vpc-0123ABCD", false},
            {"err_prefix", "vcp-0123abcd", false},
            {"err_empty", "", false}},
           IsVpcId);
}

TEST(IngressFormatsTest, ChecksCertificateArns) {
  const std::string id = "12345678-abcd-1234-abcd-123456789012";
  RunCases({{"ok_acm", "arn:aws:acm:us-west-2:123456789012:certificate/" + id, true},
            {"ok_acm_cn", "arn:aws-cn:acm:cn-north-1:123456789012:certificate/" + id, true},
            {"err_acm_region", "arn:aws:acm:cn-north-1:123456789012:certificate/" + id, false},
            {"err_acm_account", "arn:aws:acm:us-west-2:xxxx:certificate/" + id, false},
            {"err_acm_resource", "arn:aws:acm:us-west-2:123456789012:cert/" + id, false},
            {"err_acm_empty_id", "arn:aws:acm:us-west-2:123456789012:certificate/", false},
            // ACM certificate ids are UUIDs: a placeholder can never be valid.
            {"err_acm_placeholder", "arn:aws:acm:us-west-2:123456789012:certificate/YOUR-CERT-ARN",
             false},
            {"err_acm_short_id", "arn:aws:acm:us-west-2:123456789012:certificate/abc", false},
            {"err_acm_uuid_misplaced_dash",
             "arn:aws:acm:us-west-2:123456789012:certificate/1234567-81234-1234-1234-123456789012",
             false},
            {"err_acm_uuid_non_hex",
             "arn:aws:acm:us-west-2:123456789012:certificate/1234567g-1234-1234-1234-123456789012",
             false},
            {"err_acm_uuid_suffix", "arn:aws:acm:us-west-2:123456789012:certificate/" + id + "/x",
             false},
            {"err_partition", "arn:aws-xx:acm:us-west-2:123456789012:certificate/" + id, false}},
           IsAcmCertificateArn);
  RunCases({{"ok_iam", "arn:aws:iam::123456789012:server-certificate/my-cert", true},
            {"ok_iam_path", "arn:aws:iam::123456789012:server-certificate/cloudfront/prod/my-cert",
             true},
            {"err_region", "arn:aws:iam:us-east-1:123456789012:server-certificate/my-cert", false},
            {"err_no_name", "arn:aws:iam::123456789012:server-certificate/", false}},
           IsIamServerCertificateArn);
  RunCases({{"ok_role", "arn:aws:iam::123456789012:role/my-role", true},
            {"err_user", "arn:aws:iam::123456789012:user/me", false}},
           IsIamRoleArn);
}

TEST(IngressFormatsTest, ChecksWafAndTargetGroupArns) {
  RunCases({{"ok",
             "arn:aws:wafv2:us-west-2:123456789012:regional/webacl/my-acl/"
             "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
             false},
            {"ok_lower",
             "arn:aws:wafv2:us-west-2:123456789012:regional/webacl/my-acl/"
             "a1b2c3d4-5678-90ab-cdef-0123456789ab",
             true},
            {"err_global",
             "arn:aws:wafv2:us-east-1:123456789012:global/webacl/my-acl/"
             "a1b2c3d4-5678-90ab-cdef-0123456789ab",
             false},
            {"err_short", "arn:aws:wafv2:us-west-2:123456789012:regional/webacl/my-acl", false}},
           IsWafv2RegionalWebAclArn);
  RunCases(
      {{"ok",
        "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-targets/"
        "73e2d6bc24d8a067",
        true},
       {"err_id", "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-targets/73e2",
        false},
       {"err_name",
        "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/-x/73e2d6bc24d8a067",
        false}},
      IsTargetGroupArn);
  EXPECT_TRUE(IsUuid("a1b2c3d4-5678-90ab-cdef-0123456789ab"));
  RunCases({{"ok_wafv2_name", "my_acl-1", true},
            {"ok_wafv2_name_128", std::string(128, 'a'), true},
            {"err_wafv2_name_129", std::string(129, 'a'), false},
            {"err_wafv2_name_empty", "", false},
            {"err_wafv2_name_dot", "my.acl", false}},
           IsWafv2AclName);
  EXPECT_FALSE(IsUuid("a1b2c3d4567890abcdef0123456789ab"));
}

}  // namespace
}  // namespace albwebhook::common
