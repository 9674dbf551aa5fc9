// Private: AWS and Kubernetes value formats the TargetGroupBinding rules check.
// Hand-written scanners (no std::regex: libstdc++'s recursive matcher can exhaust the stack on
// long inputs, and these run on untrusted request bodies). All functions are pure and thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace albwebhook::rules::tgb {

/// The fields of `arn:<partition>:<service>:<region>:<account>:<resource>`, viewing the input.
struct ArnParts {
  std::string_view partition;
  std::string_view service;
  std::string_view region;
  std::string_view account;
  std::string_view resource;
};

/// `arn:<partition>:elasticloadbalancing:<region>:<12 digits>:targetgroup/<tg name>/<16 hex>`
/// with a known partition and a region shaped like `us-east-1`.
std::optional<ArnParts> ParseTargetGroupArn(std::string_view arn);

/// `arn:<partition>:iam::<12 digits>:role/[<path>/]<role name>`, 20-2048 characters; role name
/// 1-64 of `[A-Za-z0-9_+=,.@-]`, path of printable ASCII (at most 512 with its leading `/`).
std::optional<ArnParts> ParseIamRoleArn(std::string_view arn);

/// Target group name: 1-32 alphanumerics or hyphens, no hyphen at either end.
bool IsTargetGroupName(std::string_view name);

/// The LBC's vpcID pattern: `vpc-` followed by 8, 17 or 32 lowercase hex digits.
bool IsLbcVpcId(std::string_view id);

/// `sg-` followed by 8 or 17 lowercase hex digits.
bool IsSecurityGroupId(std::string_view id);

/// IPv4 or IPv6 address, `/`, prefix length (0-32 or 0-128, no leading zeros).
bool IsCidr(std::string_view cidr);

/// DNS-1035 label (Service names): at most 63 of `[a-z0-9-]`, starts with a letter, ends
/// alphanumeric.
bool IsDns1035Label(std::string_view name);

/// IANA_SVC_NAME (Kubernetes port names): at most 15 of `[a-z0-9-]`, at least one letter,
/// no hyphen at either end, no `--`.
bool IsPortName(std::string_view name);

/// Kubernetes label key (qualified name): `[<DNS-1123 subdomain>/]<name>`, name at most 63 of
/// `[A-Za-z0-9._-]` beginning and ending alphanumeric.
bool IsLabelKey(std::string_view key);

/// Kubernetes label value: empty, or a name as in IsLabelKey.
bool IsLabelValue(std::string_view value);

}  // namespace albwebhook::rules::tgb
