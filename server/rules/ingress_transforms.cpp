// transforms.<svc> (LBC v2.14.1+, URL and host-header rewrites): decoded like the LBC's
// buildTransforms (json.Unmarshal into []Transform, then Transform.Validate(), first error, exact
// text), then AWS's limits on the listener rule the transforms are attached to (RuleTransform /
// RewriteConfig: one transform of each type per rule, regex and replacement at most 1,024
// characters). The LBC parses transforms.<svc> for every backend naming <svc>, the default backend
// included, but attaches them only to rule-path rules (an ALB default rule takes no transforms).
#include <algorithm>
#include <map>
#include <optional>

#include "common/text.hpp"
#include "rules/ingress_annotation_check.hpp"
#include "rules/ingress_rule_checks.hpp"

namespace albwebhook::rules {
namespace {

using nlohmann::json;

constexpr std::string_view kFamily = "transforms.";
constexpr std::size_t kMaxRewriteChars = 1024;

// The LBC's types (pkg/ingress/config_types.go), as encoding/json sees them.
const GoType kRewriteConfig{GoKind::kStruct,
                            "ingress.RewriteConfig",
                            {{"regex", &kGoString}, {"replace", &kGoString}},
                            nullptr};
const GoType kRewriteConfigs{GoKind::kSlice, "[]ingress.RewriteConfig", {}, &kRewriteConfig};
const GoType kRewriteConfigObject{
    GoKind::kStruct, "ingress.RewriteConfigObject", {{"rewrites", &kRewriteConfigs}}, nullptr};
const GoType kTransformType{GoKind::kString, "ingress.TransformType", {}, nullptr};
const GoType kTransform{GoKind::kStruct,
                        "ingress.Transform",
                        {{"type", &kTransformType},
                         {"hostHeaderRewriteConfig", &kRewriteConfigObject},
                         {"urlRewriteConfig", &kRewriteConfigObject}},
                        nullptr};
const GoType kTransforms{GoKind::kSlice, "[]ingress.Transform", {}, &kTransform};

/// The config field a transform type reads; empty for an unknown type.
std::string_view ConfigField(std::string_view type) {
  if (type == "host-header-rewrite") return "hostHeaderRewriteConfig";
  if (type == "url-rewrite") return "urlRewriteConfig";
  return {};
}

/// Transform.Validate() for one element (a JSON null element is the zero Transform).
std::optional<std::string> ValidateTransform(const json& transform) {
  std::string type = GoString(transform, "type");
  std::string_view field = ConfigField(type);
  if (field.empty()) return "unknown transform type: " + type;
  const json* config = GoPtr(transform, field);
  if (config == nullptr) return "missing " + std::string(field);
  if (GoLen(*config, "rewrites") == 0) return std::string(field) + ".rewrites cannot be empty";
  return std::nullopt;
}

/// How the Ingress uses Service (or action) `name`.
struct Use {
  bool rule_path = false;
  bool default_backend = false;
};

/// How the Ingress uses each Service name, read once per request: an Ingress may carry
/// thousands of transforms.<svc> keys and thousands of backends.
std::map<std::string_view, Use, std::less<>> UsesByService(const IngressView& view) {
  std::map<std::string_view, Use, std::less<>> uses;
  for (const auto& backend : view.backends) {
    if (!backend.has_service) continue;
    Use& use = uses[backend.service_name];
    (backend.in_rule_path ? use.rule_path : use.default_backend) = true;
  }
  return uses;
}

/// AWS's limits on the transforms of one rule; `transforms` passed Validate().
void CheckAwsTransformLimits(const Annotation& a, const json& transforms) {
  std::size_t host_rewrites = 0;
  std::size_t url_rewrites = 0;
  for (std::size_t i = 0; i < transforms.size(); ++i) {
    std::string type = GoString(transforms[i], "type");
    (type == "host-header-rewrite" ? host_rewrites : url_rewrites) += 1;
    const json& rewrites = *GoPtr(*GoPtr(transforms[i], ConfigField(type)), "rewrites");
    for (std::size_t j = 0; j < rewrites.size(); ++j) {
      std::string where = "transform " + std::to_string(i) + " rewrite " + std::to_string(j);
      for (std::string_view field : {"regex", "replace"}) {
        std::string text = GoString(rewrites[j], field);
        if (common::Utf8Length(text) > kMaxRewriteChars) {
          a.Deny(where + ": " + std::string(field) + " is longer than 1024 characters (AWS limit)");
        }
      }
      if (auto feature = UnsupportedRegexFeature(GoString(rewrites[j], "regex"))) {
        a.Warn(where + ": AWS transforms do not support " + *feature);
      }
    }
  }
  if (host_rewrites > 1) a.Deny("AWS allows one host-header-rewrite transform per rule");
  if (url_rewrites > 1) a.Deny("AWS allows one url-rewrite transform per rule");
}

void CheckTransformsAnnotation(const Annotation& a, std::string_view service, Use use) {
  if (!use.rule_path && !use.default_backend) {
    a.Warn("unused: no backend of this Ingress uses service " + std::string(service));
    return;
  }
  std::optional<json> transforms = DecodeGoJson(a, kTransforms);
  if (!transforms || !transforms->is_array() || transforms->empty()) return;  // null, []: none
  for (const auto& transform : *transforms) {
    if (auto problem = ValidateTransform(transform)) {
      a.Deny(*problem);
      return;
    }
  }
  if (!use.rule_path) {
    a.Warn("ignored: only the default backend uses service " + std::string(service) +
           ", and an ALB default rule takes no transforms");
    return;
  }
  CheckAwsTransformLimits(a, *transforms);
}

}  // namespace

void CheckIngressTransforms(const IngressView& view, Verdict& verdict) {
  const std::string prefix = std::string(kAlbAnnotationPrefix) + std::string(kFamily);
  std::optional<std::map<std::string_view, Use, std::less<>>> uses;
  for (auto it = view.annotations.lower_bound(prefix);
       it != view.annotations.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    std::string_view suffix = std::string_view(it->first).substr(kAlbAnnotationPrefix.size());
    std::string_view service = suffix.substr(kFamily.size());
    if (service.empty()) continue;  // the bare "transforms." key is reported as unknown
    if (!uses) uses = UsesByService(view);
    auto use = uses->find(service);
    CheckTransformsAnnotation(Annotation{view, suffix, it->second, verdict}, service,
                              use == uses->end() ? Use{} : use->second);
  }
}

std::optional<std::string> UnsupportedRegexFeature(std::string_view regex) {
  bool in_class = false;
  for (std::size_t i = 0; i < regex.size(); ++i) {
    char c = regex[i];
    char next = i + 1 < regex.size() ? regex[i + 1] : '\0';
    if (c == '\\') {
      if (next >= '1' && next <= '9') return "backreferences";
      if (next == 'k' && !in_class) return "backreferences";
      if (next == 'p' || next == 'P') return "Unicode character classes";
      ++i;  // the escaped character is a literal
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') {
      in_class = true;
      if (next == ']') ++i;  // "[]...]": the first ] is a literal
      continue;
    }
    if ((c == '*' || c == '+' || c == '?' || c == '}') && next == '+' && i > 0) {
      return "possessive quantifiers";
    }
    if (c != '(' || next != '?') continue;
    std::string_view group = regex.substr(i + 2, 3);
    if (group.rfind('=', 0) == 0 || group.rfind('!', 0) == 0) return "lookaheads";
    if (group.rfind("<=", 0) == 0 || group.rfind("<!", 0) == 0) return "lookbehinds";
    if (group.rfind('>', 0) == 0) return "atomic groups";
    if (group.rfind('R', 0) == 0 || group.rfind('&', 0) == 0 || group.rfind("P>", 0) == 0 ||
        (!group.empty() && (common::IsAsciiDigit(group[0]) ||
                            ((group[0] == '+' || group[0] == '-') && group.size() > 1 &&
                             common::IsAsciiDigit(group[1]))))) {
      return "recursion or subroutines";
    }
  }
  return std::nullopt;
}

}  // namespace albwebhook::rules
