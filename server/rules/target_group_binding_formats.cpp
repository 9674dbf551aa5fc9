#include "rules/target_group_binding_formats.hpp"

namespace albwebhook::rules::tgb {
namespace {

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLowerAlnum(char c) { return IsLower(c) || IsDigit(c); }
bool IsAlnum(char c) { return IsLower(c) || IsUpper(c) || IsDigit(c); }
template <typename Pred>
bool All(std::string_view s, Pred pred) {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
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

bool IsTargetGroupName(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  if (name.front() == '-' || name.back() == '-') return false;
  return All(name, [](char c) { return IsAlnum(c) || c == '-'; });
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
