#include "common/aws_formats.hpp"

#include <arpa/inet.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <vector>

#include "common/text.hpp"

namespace albwebhook::common {
namespace {

constexpr std::size_t kMaxArnLength = 2048;

bool IsWordChar(char c) { return IsAsciiAlnum(c) || c == '_'; }
bool IsWord(std::string_view text) { return AllChars(text, IsWordChar); }

/// IAM/ACM name characters: `[\w+=,.@-]`.
bool IsIamNameChar(char c) {
  return IsWordChar(c) || c == '+' || c == '=' || c == ',' || c == '.' || c == '@' || c == '-';
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t pos = text.find(sep, start);
    if (pos == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, pos - start));
    start = pos + 1;
  }
}

bool IsPrefixedHexId(std::string_view text, std::string_view prefix, bool allow32) {
  if (text.substr(0, prefix.size()) != prefix) return false;
  std::string_view hex = text.substr(prefix.size());
  if (hex.size() != 8 && hex.size() != 17 && !(allow32 && hex.size() == 32)) return false;
  return AllChars(hex, IsLowerHex);
}

/// `<name>` or `<path>/<name>` where path chars are printable ASCII and the name is 1..max_name
/// IAM name chars. `text` is what follows `server-certificate/` or `role/`.
bool IsIamPathAndName(std::string_view text, std::size_t max_name) {
  std::size_t slash = text.rfind('/');
  std::string_view name = slash == std::string_view::npos ? text : text.substr(slash + 1);
  if (name.size() > max_name || !AllChars(name, IsIamNameChar)) return false;
  if (slash != std::string_view::npos) {
    std::string_view path = text.substr(0, slash + 1);
    if (path.size() > 512) return false;
    for (char c : path) {
      if (c < 0x21 || c > 0x7e) return false;
    }
  }
  return true;
}

struct PartitionShape {
  std::string_view partition;
  std::array<std::string_view, 9> heads;  // allowed leading region labels (joined by '-')
};

// Region = <head>-<\w+>-<\d+>; head is one of the partition's fixed prefixes.
constexpr std::array<PartitionShape, 8> kPartitions{{
    {"aws", {"us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"}},
    {"aws-cn", {"cn"}},
    {"aws-us-gov", {"us-gov"}},
    {"aws-iso", {"us-iso"}},
    {"aws-iso-b", {"us-isob"}},
    {"aws-iso-e", {"eu-isoe"}},
    {"aws-iso-f", {"us-isof"}},
    {"aws-eusc", {"eusc-de"}},
}};

const PartitionShape* FindPartition(std::string_view partition) {
  for (const auto& p : kPartitions) {
    if (p.partition == partition) return &p;
  }
  return nullptr;
}

bool RegionMatches(const PartitionShape& shape, std::string_view region) {
  for (std::string_view head : shape.heads) {
    if (head.empty()) continue;
    if (region.size() <= head.size() + 1 || region.substr(0, head.size()) != head ||
        region[head.size()] != '-') {
      continue;
    }
    std::string_view rest = region.substr(head.size() + 1);
    std::size_t dash = rest.rfind('-');
    if (dash == std::string_view::npos) continue;
    if (IsWord(rest.substr(0, dash)) && IsAllDigits(rest.substr(dash + 1))) return true;
  }
  return false;
}

/// Parses an ARN and checks partition, service, region (or its absence) and account.
std::optional<Arn> ParseServiceArn(std::string_view text, std::string_view service, bool regional) {
  if (text.size() > kMaxArnLength) return std::nullopt;
  auto arn = ParseArn(text);
  if (!arn || arn->service != service) return std::nullopt;
  const PartitionShape* shape = FindPartition(arn->partition);
  if (shape == nullptr || !IsAccountId(arn->account)) return std::nullopt;
  if (regional ? !RegionMatches(*shape, arn->region) : !arn->region.empty()) return std::nullopt;
  return arn;
}

bool ParseIpv4(std::string_view text, std::array<unsigned char, 16>& out) {
  std::string copy(text);
  return inet_pton(AF_INET, copy.c_str(), out.data()) == 1;
}

bool ParseIpv6(std::string_view text, std::array<unsigned char, 16>& out) {
  if (text.find('%') != std::string_view::npos) return false;  // no zones in CIDRs
  std::string copy(text);
  return inet_pton(AF_INET6, copy.c_str(), out.data()) == 1;
}

struct ParsedCidr {
  bool v6 = false;
  std::array<unsigned char, 16> bytes{};
  int prefix = 0;
};

std::optional<ParsedCidr> ParseCidr(std::string_view text) {
  std::size_t slash = text.find('/');
  if (slash == std::string_view::npos || text.size() > 64) return std::nullopt;
  std::string_view addr = text.substr(0, slash);
  std::string_view bits = text.substr(slash + 1);
  if (!IsAllDigits(bits) || bits.size() > 3) return std::nullopt;
  ParsedCidr out;
  for (char c : bits) out.prefix = out.prefix * 10 + (c - '0');
  out.v6 = addr.find(':') != std::string_view::npos;
  if (out.v6 ? !ParseIpv6(addr, out.bytes) : !ParseIpv4(addr, out.bytes)) return std::nullopt;
  if (out.prefix > (out.v6 ? 128 : 32)) return std::nullopt;
  return out;
}

}  // namespace

std::optional<Arn> ParseArn(std::string_view text) {
  if (text.substr(0, 4) != "arn:") return std::nullopt;
  std::array<std::string_view, 5> parts;
  std::size_t start = 4;
  for (std::size_t i = 0; i < 4; ++i) {
    std::size_t pos = text.find(':', start);
    if (pos == std::string_view::npos) return std::nullopt;
    parts[i] = text.substr(start, pos - start);
    start = pos + 1;
  }
  parts[4] = text.substr(start);
  if (parts[0].empty() || parts[1].empty() || parts[4].empty()) return std::nullopt;
  return Arn{std::string(parts[0]), std::string(parts[1]), std::string(parts[2]),
             std::string(parts[3]), std::string(parts[4])};
}

bool IsKnownPartition(std::string_view partition) { return FindPartition(partition) != nullptr; }

bool IsRegionOfPartition(std::string_view partition, std::string_view region) {
  const PartitionShape* shape = FindPartition(partition);
  return shape != nullptr && RegionMatches(*shape, region);
}

bool IsRegion(std::string_view region) {
  for (const auto& shape : kPartitions) {
    if (RegionMatches(shape, region)) return true;
  }
  return false;
}

bool IsAccountId(std::string_view account) { return account.size() == 12 && IsAllDigits(account); }

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash_pos = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_pos ? text[i] != '-' : !IsLowerHex(text[i])) return false;
  }
  return true;
}

bool IsSubnetId(std::string_view text) { return IsPrefixedHexId(text, "subnet-", false); }
bool IsSecurityGroupId(std::string_view text) { return IsPrefixedHexId(text, "sg-", false); }
bool IsVpcId(std::string_view text) { return IsPrefixedHexId(text, "vpc-", true); }

bool IsValidCidr(std::string_view text) { return ParseCidr(text).has_value(); }

std::optional<std::string> CanonicalCidr(std::string_view text) {
  auto cidr = ParseCidr(text);
  if (!cidr) return std::nullopt;
  std::size_t total_bytes = cidr->v6 ? 16 : 4;
  bool changed = false;
  for (std::size_t i = 0; i < total_bytes; ++i) {
    int keep = cidr->prefix - static_cast<int>(i * 8);
    unsigned mask = keep >= 8 ? 0xffU : keep <= 0 ? 0U : (0xffU << (8 - keep)) & 0xffU;
    auto masked = static_cast<unsigned char>(cidr->bytes[i] & mask);
    if (masked != cidr->bytes[i]) changed = true;
    cidr->bytes[i] = masked;
  }
  if (!changed) return std::string(text);
  std::array<char, INET6_ADDRSTRLEN> buf{};
  if (inet_ntop(cidr->v6 ? AF_INET6 : AF_INET, cidr->bytes.data(), buf.data(),
                static_cast<socklen_t>(buf.size())) == nullptr) {
    return std::nullopt;
  }
  return std::string(buf.data()) + "/" + std::to_string(cidr->prefix);
}

bool IsAcmCertificateArn(std::string_view text) {
  auto arn = ParseServiceArn(text, "acm", true);
  if (!arn) return false;
  std::string_view resource = arn->resource;
  constexpr std::string_view kPrefix = "certificate/";
  if (resource.substr(0, kPrefix.size()) != kPrefix) return false;
  return IsUuid(resource.substr(kPrefix.size()));
}

bool IsIamServerCertificateArn(std::string_view text) {
  auto arn = ParseServiceArn(text, "iam", false);
  constexpr std::string_view kPrefix = "server-certificate/";
  if (!arn || std::string_view(arn->resource).substr(0, kPrefix.size()) != kPrefix) return false;
  return IsIamPathAndName(std::string_view(arn->resource).substr(kPrefix.size()), 128);
}

bool IsIamRoleArn(std::string_view text) {
  auto arn = ParseServiceArn(text, "iam", false);
  constexpr std::string_view kPrefix = "role/";
  if (!arn || std::string_view(arn->resource).substr(0, kPrefix.size()) != kPrefix) return false;
  return IsIamPathAndName(std::string_view(arn->resource).substr(kPrefix.size()), 64);
}

bool IsWafv2RegionalWebAclArn(std::string_view text) {
  auto arn = ParseServiceArn(text, "wafv2", true);
  if (!arn) return false;
  auto parts = Split(arn->resource, '/');
  if (parts.size() != 4 || parts[0] != "regional" || parts[1] != "webacl") return false;
  return IsWafv2AclName(parts[2]) && IsUuid(parts[3]);
}

bool IsTargetGroupArn(std::string_view text) {
  auto arn = ParseServiceArn(text, "elasticloadbalancing", true);
  if (!arn) return false;
  auto parts = Split(arn->resource, '/');
  if (parts.size() != 3 || parts[0] != "targetgroup") return false;
  return IsElbName(parts[1]) && parts[2].size() == 16 && AllChars(parts[2], IsLowerHex);
}

bool IsElbName(std::string_view name) {
  if (name.empty() || name.size() > 32 || name.front() == '-' || name.back() == '-') return false;
  return AllChars(name, [](char c) { return IsAsciiAlnum(c) || c == '-'; });
}

bool IsWafv2AclName(std::string_view name) {
  return name.size() <= 128 && AllChars(name, [](char c) { return IsWordChar(c) || c == '-'; });
}

}  // namespace albwebhook::common
