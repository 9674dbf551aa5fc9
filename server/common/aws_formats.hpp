// AWS identifier and address formats (aws-limits.md §6): the one definition of each, shared by the
// Ingress and TargetGroupBinding rule sets and the policy parser. All functions are pure,
// allocation-light, never throw and never use std::regex (its recursive matcher can overflow the
// stack on long untrusted input).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace albwebhook::common {

/// `arn:<partition>:<service>:<region>:<account>:<resource>` split into its parts. `resource` keeps
/// any further `:` or `/`.
struct Arn {
  std::string partition;
  std::string service;
  std::string region;
  std::string account;
  std::string resource;
};

/// Splits an ARN into its six parts. nullopt unless it starts with `arn:` and has all six fields.
/// Says nothing about the partition, region or account being well-formed.
std::optional<Arn> ParseArn(std::string_view text);

/// `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`.
bool IsKnownPartition(std::string_view partition);
/// Region shape of that partition (e.g. `us-west-2` in `aws`, `cn-north-1` in `aws-cn`).
bool IsRegionOfPartition(std::string_view partition, std::string_view region);
/// Any region shape of any known partition.
bool IsRegion(std::string_view region);
/// Exactly 12 decimal digits.
bool IsAccountId(std::string_view account);
/// Lowercase 8-4-4-4-12 hex UUID.
bool IsUuid(std::string_view text);

/// `subnet-` + 8 or 17 lowercase hex digits.
bool IsSubnetId(std::string_view text);
/// `sg-` + 8 or 17 lowercase hex digits.
bool IsSecurityGroupId(std::string_view text);
/// `vpc-` + 8, 17 or 32 lowercase hex digits: what the LBC accepts (its webhook's VPC ID check,
/// and so a TargetGroupBinding's spec.vpcID and the policy's clusterVpcID / defaults.vpcID).
bool IsVpcId(std::string_view text);

/// Load balancer or target group name: 1-32 ASCII letters, digits or '-', not beginning or ending
/// with '-'.
bool IsElbName(std::string_view name);
/// WAFv2 web ACL name: 1-128 of `[A-Za-z0-9_-]`.
bool IsWafv2AclName(std::string_view name);

/// IPv4 or IPv6 address with a prefix length (`10.0.0.0/8`, `2001:db8::/32`), as Go's
/// net.ParseCIDR accepts it (host bits may be set; IPv4 octets have no leading zeros; no zone).
bool IsValidCidr(std::string_view text);
/// For a valid CIDR: the same network with the host bits cleared (`10.0.0.1/8` -> `10.0.0.0/8`).
/// Equal to the input when it is already canonical. nullopt when the input is not a valid CIDR.
std::optional<std::string> CanonicalCidr(std::string_view text);

/// `arn:<P>:acm:<region>:<account>:certificate/<id>` (id: `[\w+=,.@-]+` segments separated by `/`).
bool IsAcmCertificateArn(std::string_view text);
/// `arn:<P>:iam::<account>:server-certificate/[<path>/]<name>` (name `[\w+=,.@-]{1,128}`).
bool IsIamServerCertificateArn(std::string_view text);
/// `arn:<P>:iam::<account>:role/[<path>/]<name>` (name `[\w+=,.@-]{1,64}`).
bool IsIamRoleArn(std::string_view text);
/// `arn:<P>:wafv2:<region>:<account>:regional/webacl/<name>/<uuid>` (name `[\w-]{1,128}`).
bool IsWafv2RegionalWebAclArn(std::string_view text);
/// `arn:<P>:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<16 hex>`.
bool IsTargetGroupArn(std::string_view text);

}  // namespace albwebhook::common
