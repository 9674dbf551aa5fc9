#include "common/kubernetes_formats.hpp"

#include "common/text.hpp"

namespace albwebhook::common {
namespace {

// `[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?`
bool IsQualifiedNamePart(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (!IsAsciiAlnum(name.front()) || !IsAsciiAlnum(name.back())) return false;
  return AllChars(name, [](char c) { return IsAsciiAlnum(c) || c == '-' || c == '_' || c == '.'; });
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

bool IsDns1123Label(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (!IsLowerAlnum(label.front()) || !IsLowerAlnum(label.back())) return false;
  return AllChars(label, [](char c) { return IsLowerAlnum(c) || c == '-'; });
}

bool IsDns1035Label(std::string_view name) {
  return IsDns1123Label(name) && IsAsciiLower(name.front());
}

bool IsPortName(std::string_view name) {
  if (name.empty() || name.size() > 15) return false;
  if (name.front() == '-' || name.back() == '-') return false;
  if (name.find("--") != std::string_view::npos) return false;
  bool has_letter = false;
  for (char c : name) {
    if (!IsLowerAlnum(c) && c != '-') return false;
    has_letter = has_letter || IsAsciiLower(c);
  }
  return has_letter;
}

bool IsLabelKey(std::string_view key) {
  const std::size_t slash = key.find('/');
  if (slash == std::string_view::npos) return IsQualifiedNamePart(key);
  return IsDns1123Subdomain(key.substr(0, slash)) && IsQualifiedNamePart(key.substr(slash + 1));
}

bool IsLabelValue(std::string_view value) { return value.empty() || IsQualifiedNamePart(value); }

}  // namespace albwebhook::common
