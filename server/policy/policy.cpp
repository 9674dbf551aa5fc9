#include "albwebhook/policy/policy.hpp"

namespace albwebhook::policy {

const char* ModeName(Mode mode) {
  switch (mode) {
    case Mode::kDeny:
      return "deny";
    case Mode::kWarn:
      return "warn";
    case Mode::kOff:
      break;
  }
  return "off";
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative matcher with single-star backtracking: linear in practice, no recursion.
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool AnyGlobMatch(const std::vector<std::string>& patterns, std::string_view text) {
  for (const auto& pattern : patterns) {
    if (GlobMatch(pattern, text)) return true;
  }
  return false;
}

Mode Rule::ModeFor(std::string_view ns) const {
  if (mode == Mode::kOff) return Mode::kOff;
  if (!namespaces.empty() && !AnyGlobMatch(namespaces, ns)) return Mode::kOff;
  if (AnyGlobMatch(exclude_namespaces, ns)) return Mode::kOff;
  return mode;
}

}  // namespace albwebhook::policy
