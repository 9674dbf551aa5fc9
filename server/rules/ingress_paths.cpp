// Ingress paths as the LBC turns them into ALB path patterns (model_build_listener_rules.go):
// Exact and Prefix paths may hold no glob wildcard (the LBC fails the whole group's model build
// with its own words), and every pattern it would send must fit AWS's path-pattern limits.
#include <algorithm>
#include <string>
#include <string_view>

#include "common/text.hpp"
#include "rules/ingress_checks.hpp"
#include "rules/lbc_values.hpp"

namespace albwebhook::rules {
namespace {

constexpr std::string_view kCheck = "paths";
// AWS: each path-pattern value is at most 128 characters.
constexpr std::size_t kMaxPatternLength = 128;

// The longest pattern the LBC builds from `path`: a Prefix path "/foo" (or "/foo/") becomes
// "/foo" and "/foo/*"; "/" becomes "/*"; Exact and ImplementationSpecific paths are sent as they
// are (ImplementationSpecific as a regex without its leading '/' under use-regex-path-match,
// whose limits AWS does not publish: not measured here).
std::size_t LongestPattern(const IngressPath& p) {
  if (p.path_type != "Prefix") return p.path.size();
  if (p.path == "/") return 2;
  std::string_view trimmed = p.path;
  if (!trimmed.empty() && trimmed.back() == '/') trimmed.remove_suffix(1);
  return trimmed.size() + 2;
}

bool UsesRegexPaths(const IngressView& view) {
  const std::string* raw = view.Alb("use-regex-path-match");
  return raw != nullptr && ParseGoBool(*raw).value_or(false);
}

}  // namespace

bool PathMayBeRejected(std::string_view path) {
  // A Prefix path of 127 characters makes a pattern of 129 ("/p" -> "/p/*").
  // (A plain loop: find_first_of searches its set once per character; this runs for every path.)
  return path.size() > kMaxPatternLength - 2 ||
         std::any_of(path.begin(), path.end(), [](char c) { return c == '*' || c == '?'; });
}

void CheckIngressPaths(const IngressView& view, Verdict& verdict) {
  const bool regex = UsesRegexPaths(view);
  for (const IngressPath& p : view.paths) {
    const bool wildcard = p.path.find_first_of("*?") != std::string::npos;
    if (p.path_type == "Exact" && wildcard) {
      verdict.Deny(std::string(kCheck),
                   p.Location() + ": exact path shouldn't contain wildcards: " + p.path);
    } else if (p.path_type == "Prefix" && p.path != "/" && wildcard) {
      verdict.Deny(std::string(kCheck),
                   p.Location() + ": prefix path shouldn't contain wildcards: " + p.path);
    } else if (!(regex && p.path_type != "Exact" && p.path_type != "Prefix") &&
               LongestPattern(p) > kMaxPatternLength) {
      verdict.Deny(std::string(kCheck), p.Location() + ": path " + common::QuoteValue(p.path) +
                                            " makes an ALB path pattern of " +
                                            std::to_string(LongestPattern(p)) +
                                            " characters (AWS allows at most " +
                                            std::to_string(kMaxPatternLength) + ")");
    }
  }
}

}  // namespace albwebhook::rules
