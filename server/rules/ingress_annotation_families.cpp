// Value checks for the annotations the LBC gained after the core set: target-control-port.*,
// capacity reservation, IPAM, prefix lists, target node labels, ACM certificate management and the
// auth-* family. Each follows the LBC's parser (pkg/ingress, v3.5) and AWS's limits where the LBC
// passes the value through; a value that only matters depending on a controller flag or on
// IngressClassParams is a warning.
#include <algorithm>

#include "common/aws_formats.hpp"
#include "common/kubernetes_formats.hpp"
#include "common/text.hpp"
#include "rules/ingress_annotation_check.hpp"

namespace albwebhook::rules {
namespace {

constexpr std::string_view kTargetControlPort = "target-control-port.";

/// `target-control-port.<svc>.<port>`: the LBC's ParseInt32Annotation, then AWS's port range.
void CheckTargetControlPort(const Annotation& a) {
  std::string_view key = a.suffix.substr(kTargetControlPort.size());
  std::size_t dot = key.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == key.size()) {
    a.Warn("the LBC reads only keys of the form target-control-port.<service>.<port>");
  }
  CheckInt(a, 1, 65535);
}

/// The LBC's buildLoadBalancerMinimumCapacity: stringMap whose only key is CapacityUnits, value
/// strconv.ParseInt(v, 10, 32).
void CheckMinimumCapacity(const Annotation& a) {
  auto parsed = ParseStringMap(a.value);
  if (!parsed) {
    a.Deny("malformed; accepted: CapacityUnits=<integer>");
    return;
  }
  for (const auto& [key, value] : *parsed) {
    if (key != "CapacityUnits") {
      a.Deny("invalid key to set the capacity: " + key + ", Expected key: CapacityUnits");
    } else if (ParseGoInt(value, 32).error != GoInt::Error::kNone) {
      a.Deny("invalid value to set the capacity: " + QuoteValue(value) + " (an integer)");
    }
  }
}

bool IsAlnumAscii(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// AWS IpamPoolId: ^ipam-pool-[a-zA-Z0-9]+$ (the LBC ignores an empty value).
void CheckIpamPoolId(const Annotation& a) {
  constexpr std::string_view kPrefix = "ipam-pool-";
  if (a.value.empty()) return;
  std::string_view rest =
      std::string_view(a.value).substr(std::min(a.value.size(), kPrefix.size()));
  if (a.value.rfind(kPrefix, 0) != 0 || rest.empty() || a.value.size() > 1000 ||
      !std::all_of(rest.begin(), rest.end(), IsAlnumAscii)) {
    a.Deny("must be an IPAM pool ID (ipam-pool- followed by letters and digits)");
  }
}

bool IsPrefixListId(std::string_view id) {
  constexpr std::string_view kPrefix = "pl-";
  if (id.rfind(kPrefix, 0) != 0) return false;
  std::string_view hex = id.substr(kPrefix.size());
  return (hex.size() == 8 || hex.size() == 17) &&
         std::all_of(hex.begin(), hex.end(), common::IsLowerHex);
}

/// Prefix list IDs go to the security group rules as they are: no name lookup.
void CheckPrefixLists(const Annotation& a) {
  CheckListItems(a, [](const std::string& item) -> std::optional<std::string> {
    if (IsPrefixListId(item)) return std::nullopt;
    return "must be a prefix list ID (pl- followed by 8 or 17 lowercase hex digits)";
  });
}

/// Node labels become the TargetGroupBinding's nodeSelector.matchLabels, for instance targets
/// only (the target type may come from the Service or the controller default): warnings.
void CheckTargetNodeLabels(const Annotation& a) {
  auto parsed = ParseStringMap(a.value);
  if (!parsed) {
    a.Warn(
        "malformed; accepted: label=value pairs separated by commas (used for instance targets)");
    return;
  }
  for (const auto& [key, value] : *parsed) {
    if (!common::IsLabelKey(key)) {
      a.Warn("label key " + QuoteValue(key) + " is not a valid Kubernetes label key");
    } else if (!common::IsLabelValue(value)) {
      a.Warn("label " + key + " has a value that is not a valid Kubernetes label value");
    }
  }
}

/// The LBC ignores a parse error of create-acm-cert (no certificate is created).
void CheckCreateAcmCert(const Annotation& a) {
  if (!ParseGoBool(a.value)) a.Warn("not a boolean (true or false); the LBC ignores it");
}

bool IsAcmPcaArn(std::string_view text) {
  constexpr std::string_view kResource = "certificate-authority/";
  auto arn = common::ParseArn(text);
  return arn && arn->service == "acm-pca" && common::IsAccountId(arn->account) &&
         arn->resource.rfind(kResource, 0) == 0 &&
         common::IsUuid(std::string_view(arn->resource).substr(kResource.size()));
}

/// Used only when the LBC creates certificates (feature gate EnableCertificateManagement).
void CheckAcmPcaArn(const Annotation& a) {
  if (a.value.empty() || IsAcmPcaArn(a.value)) return;
  a.Warn(
      "not an ACM Private CA ARN "
      "(arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<uuid>)");
}

const AnnotationCheck kFamilyChecks[] = {
    {"minimum-load-balancer-capacity", CheckMinimumCapacity},
    {"ipam-ipv4-pool-id", CheckIpamPoolId},
    {"security-group-prefix-lists", CheckPrefixLists},
    {"target-node-labels", CheckTargetNodeLabels},
    {"create-acm-cert", CheckCreateAcmCert},
    {"acm-pca-arn", CheckAcmPcaArn},
};

}  // namespace

std::span<const AnnotationCheck> FamilyAnnotationChecks() { return kFamilyChecks; }

bool CheckFamilyKeyAnnotation(const Annotation& a) {
  if (a.suffix.size() > kTargetControlPort.size() &&
      a.suffix.substr(0, kTargetControlPort.size()) == kTargetControlPort) {
    CheckTargetControlPort(a);
    return true;
  }
  return false;
}

}  // namespace albwebhook::rules
