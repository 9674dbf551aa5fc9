// Fuzz target: the AWS identifier and Kubernetes name format checks
// (server/common/aws_formats.hpp, server/common/kubernetes_formats.hpp).
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "common/aws_formats.hpp"
#include "common/kubernetes_formats.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace albwebhook::common;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (const auto arn = ParseArn(text)) {
    (void)IsKnownPartition(arn->partition);
    (void)IsRegionOfPartition(arn->partition, arn->region);
    (void)IsAccountId(arn->account);
  }
  const bool valid_cidr = IsValidCidr(text);
  const auto canonical = CanonicalCidr(text);
  FUZZ_CHECK(canonical.has_value() == valid_cidr);
  if (canonical) {
    // The canonical form is itself a valid CIDR and its own canonical form.
    FUZZ_CHECK(IsValidCidr(*canonical));
    const auto again = CanonicalCidr(*canonical);
    FUZZ_CHECK(again.has_value() && *again == *canonical);
  }
  // The plain predicates: each must return (not crash, hang or read out of bounds) on any text.
  for (bool (*check)(std::string_view) :
       {IsRegion, IsAccountId, IsUuid, IsSubnetId, IsSecurityGroupId, IsVpcId, IsAcmCertificateArn,
        IsIamServerCertificateArn, IsIamRoleArn, IsWafv2RegionalWebAclArn, IsTargetGroupArn,
        IsElbName, IsDns1035Label, IsPortName, IsLabelKey, IsLabelValue}) {
    (void)check(text);
  }
  return 0;
}
