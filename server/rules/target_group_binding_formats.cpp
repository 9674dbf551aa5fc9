#include "rules/target_group_binding_formats.hpp"

#include <arpa/inet.h>

#include <array>
#include <string>

namespace albwebhook::rules::tgb {
namespace {

constexpr std::array<std::string_view, 8> kPartitions = {
    "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"};

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLowerAlnum(char c) { return IsLower(c) || IsDigit(c); }
bool IsAlnum(char c) { return IsLower(c) || IsUpper(c) || IsDigit(c); }
bool IsLowerHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }

template <typename Pred>
bool All(std::string_view s, Pred pred) {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

bool IsPartition(std::string_view p) {
  for (auto known : kPartitions) {
    if (p == known) return true;
  }
  return false;
}

// `[a-z]{2,4}(-[a-z]+)+-[0-9]+`, e.g. us-east-1, us-gov-west-1, eusc-de-east-1.
bool IsRegion(std::string_view region) {
  std::size_t tokens = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t dash = region.find('-', start);
    const std::string_view token = region.substr(
        start, dash == std::string_view::npos ? std::string_view::npos : dash - start);
    const bool last = dash == std::string_view::npos;
    if (token.empty()) return false;
    if (tokens == 0) {
      if (token.size() < 2 || token.size() > 4 || !All(token, IsLower)) return false;
    } else if (last) {
      if (tokens < 2 || !All(token, IsDigit)) return false;
    } else if (!All(token, IsLower)) {
      return false;
    }
    ++tokens;
    if (last) return true;
    start = dash + 1;
  }
}

bool IsAccountId(std::string_view account) { return account.size() == 12 && All(account, IsDigit); }

// Splits at the first five colons; the resource keeps any further colons.
std::optional<ArnParts> SplitArn(std::string_view arn) {
  std::array<std::string_view, 5> head;
  std::size_t start = 0;
  for (auto& field : head) {
    const std::size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return std::nullopt;
    field = arn.substr(start, colon - start);
    start = colon + 1;
  }
  if (head[0] != "arn") return std::nullopt;
  return ArnParts{head[1], head[2], head[3], head[4], arn.substr(start)};
}

bool IsRoleNameChar(char c) {
  return IsAlnum(c) || c == '_' || c == '+' || c == '=' || c == ',' || c == '.' || c == '@' ||
         c == '-';
}

// `[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?`
bool IsQualifiedNamePart(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (!IsAlnum(name.front()) || !IsAlnum(name.back())) return false;
  return All(name, [](char c) { return IsAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

// DNS-1123 label `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63.
bool IsDns1123Label(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (!IsLowerAlnum(label.front()) || !IsLowerAlnum(label.back())) return false;
  return All(label, [](char c) { return IsLowerAlnum(c) || c == '-'; });
}

bool IsDns1123Subdomain(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    if (!IsDns1123Label(name.substr(start, dot == std::string_view::npos ? dot : dot - start))) {
      return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

}  // namespace

std::optional<ArnParts> ParseTargetGroupArn(std::string_view arn) {
  auto parts = SplitArn(arn);
  if (!parts || !IsPartition(parts->partition) || parts->service != "elasticloadbalancing" ||
      !IsRegion(parts->region) || !IsAccountId(parts->account)) {
    return std::nullopt;
  }
  constexpr std::string_view kPrefix = "targetgroup/";
  std::string_view resource = parts->resource;
  if (resource.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  resource.remove_prefix(kPrefix.size());
  const std::size_t slash = resource.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view id = resource.substr(slash + 1);
  if (!IsTargetGroupName(resource.substr(0, slash)) || id.size() != 16 || !All(id, IsLowerHex)) {
    return std::nullopt;
  }
  return parts;
}

std::optional<ArnParts> ParseIamRoleArn(std::string_view arn) {
  if (arn.size() < 20 || arn.size() > 2048) return std::nullopt;
  auto parts = SplitArn(arn);
  if (!parts || !IsPartition(parts->partition) || parts->service != "iam" ||
      !parts->region.empty() || !IsAccountId(parts->account)) {
    return std::nullopt;
  }
  constexpr std::string_view kPrefix = "role/";
  std::string_view resource = parts->resource;
  if (resource.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  resource.remove_prefix(kPrefix.size());
  const std::size_t last_slash = resource.rfind('/');
  const std::string_view name =
      last_slash == std::string_view::npos ? resource : resource.substr(last_slash + 1);
  const std::string_view path = last_slash == std::string_view::npos
                                    ? std::string_view{}
                                    : resource.substr(0, last_slash + 1);
  if (name.empty() || name.size() > 64 || !All(name, IsRoleNameChar)) return std::nullopt;
  // The IAM path is "/" + `path`; printable ASCII without spaces.
  if (path.size() + 1 > 512 || !All(path, [](char c) { return c >= 0x21 && c <= 0x7e; })) {
    return std::nullopt;
  }
  return parts;
}

bool IsTargetGroupName(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  if (name.front() == '-' || name.back() == '-') return false;
  return All(name, [](char c) { return IsAlnum(c) || c == '-'; });
}

bool IsLbcVpcId(std::string_view id) {
  constexpr std::string_view kPrefix = "vpc-";
  if (id.substr(0, kPrefix.size()) != kPrefix) return false;
  const std::string_view hex = id.substr(kPrefix.size());
  return (hex.size() == 8 || hex.size() == 17 || hex.size() == 32) && All(hex, IsLowerHex);
}

bool IsSecurityGroupId(std::string_view id) {
  constexpr std::string_view kPrefix = "sg-";
  if (id.substr(0, kPrefix.size()) != kPrefix) return false;
  const std::string_view hex = id.substr(kPrefix.size());
  return (hex.size() == 8 || hex.size() == 17) && All(hex, IsLowerHex);
}

bool IsCidr(std::string_view cidr) {
  const std::size_t slash = cidr.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string address(cidr.substr(0, slash));
  const std::string_view prefix = cidr.substr(slash + 1);
  if (prefix.empty() || prefix.size() > 3 || !All(prefix, IsDigit)) return false;
  if (prefix.size() > 1 && prefix.front() == '0') return false;
  int bits = 0;
  for (char c : prefix) bits = bits * 10 + (c - '0');
  std::array<unsigned char, 16> buffer{};
  if (address.find(':') == std::string::npos) {
    return inet_pton(AF_INET, address.c_str(), buffer.data()) == 1 && bits <= 32;
  }
  return inet_pton(AF_INET6, address.c_str(), buffer.data()) == 1 && bits <= 128;
}

bool IsDns1035Label(std::string_view name) { return IsDns1123Label(name) && IsLower(name.front()); }

bool IsPortName(std::string_view name) {
  if (name.empty() || name.size() > 15) return false;
  if (name.front() == '-' || name.back() == '-') return false;
  if (name.find("--") != std::string_view::npos) return false;
  bool has_letter = false;
  for (char c : name) {
    if (!IsLowerAlnum(c) && c != '-') return false;
    has_letter = has_letter || IsLower(c);
  }
  return has_letter;
}

bool IsLabelKey(std::string_view key) {
  const std::size_t slash = key.find('/');
  if (slash == std::string_view::npos) return IsQualifiedNamePart(key);
  return IsDns1123Subdomain(key.substr(0, slash)) && IsQualifiedNamePart(key.substr(slash + 1));
}

bool IsLabelValue(std::string_view value) { return value.empty() || IsQualifiedNamePart(value); }

}  // namespace albwebhook::rules::tgb
