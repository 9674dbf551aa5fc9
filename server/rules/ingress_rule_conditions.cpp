// The ALB listener rule the LBC builds for each rule path (model_build_listener_rules.go:
// buildRuleConditions): the rule's host as a host-header value, the path as one or two
// path-pattern values (Prefix "/foo" -> "/foo" and "/foo/*"; a regex under use-regex-path-match),
// plus every condition of the backend's conditions.<svc> annotation, host and path values merged
// into the same two conditions. What AWS then refuses (CreateRule ValidationError) is judged here:
// host-header values outside AWS's grammar, empty or over-long condition values, more than 5
// condition values or 5 wildcards in one rule; and the LBC's own "exactly one of Values and
// RegexValues" error. Every value comes from this Ingress, so these are denials.
//
// Cost: the rules are walked once for their hosts; paths are walked only when a referenced
// conditions.<svc> annotation or a host with five wildcards could push a rule over a limit.
// Otherwise only the paths the view kept (those with a wildcard) can, and only those are judged.
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "common/aws_formats.hpp"
#include "common/json_access.hpp"
#include "common/text.hpp"
#include "rules/ingress_rule_checks.hpp"

namespace albwebhook::rules {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxValuesPerRule = 5;
constexpr std::size_t kMaxWildcardsPerRule = 5;
constexpr std::size_t kMaxValueChars = 128;
constexpr std::size_t kMaxHeaderNameChars = 40;
constexpr int kMaxReportedPerAnnotation = 5;

using common::JsonMember;
using common::JsonStringMember;

std::size_t Wildcards(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return c == '*' || c == '?'; }));
}

/// Go's %s of a []string: "[a b c]".
/// Go's %v of a []string made of `head` then `tail`. Past kMaxListedValues items the rest is
/// counted, not listed: a message is built per rule path, and an annotation with thousands of
/// values shared by thousands of paths must not cost their product (AWS allows 5 values per rule).
constexpr std::size_t kMaxListedValues = 16;
std::string GoStringSlice(const std::vector<std::string>& head,
                          const std::vector<std::string>& tail = {}) {
  std::string out = "[";
  std::size_t listed = 0;
  for (const auto* part : {&head, &tail}) {
    for (const auto& item : *part) {
      if (listed == kMaxListedValues) break;
      if (listed++ != 0) out += ' ';
      out += item;
    }
  }
  std::size_t total = head.size() + tail.size();
  if (total > listed) out += " ... and " + std::to_string(total - listed) + " more";
  return out + "]";
}

/// What a valid conditions.<svc> annotation adds to every rule of a path using <svc>.
struct AnnotationConditions {
  std::vector<std::string> host_values, host_regex, path_values, path_regex;
  std::size_t other_values = 0;  // http-header, http-request-method, query-string, source-ip
  std::size_t wildcards = 0;     // in values (regexValues are not wildcards)
};

/// Reads the values of one condition into `out`, and reports (through `problem`) the values AWS
/// refuses: empty ones, over-long ones, host values outside the host grammar.
class ConditionReader {
 public:
  ConditionReader(AnnotationConditions& out, const std::function<void(std::string)>& problem,
                  const std::function<void(std::string)>& warning)
      : out_(out), problem_(problem), warning_(warning) {}

  void Read(const json& condition) {
    std::string field = GoString(condition, "field");
    if (field == "host-header") {
      const json& config = *GoPtr(condition, "hostHeaderConfig");
      Strings(config, "values", "host-header", &out_.host_values, true, true);
      Strings(config, "regexValues", "host-header", &out_.host_regex, false, false);
    } else if (field == "path-pattern") {
      const json& config = *GoPtr(condition, "pathPatternConfig");
      Strings(config, "values", "path-pattern", &out_.path_values, true, false);
      Strings(config, "regexValues", "path-pattern", &out_.path_regex, false, false);
    } else if (field == "http-header") {
      const json& config = *GoPtr(condition, "httpHeaderConfig");
      if (std::string name = GoString(config, "httpHeaderName");
          common::Utf8Length(name) > kMaxHeaderNameChars) {
        problem_("http-header name " + QuoteValue(name) +
                 " is longer than 40 characters (AWS limit)");
      }
      Strings(config, "values", "http-header", nullptr, true, false);
      Strings(config, "regexValues", "http-header", nullptr, false, false);
    } else if (field == "http-request-method") {
      const json& config = *GoPtr(condition, "httpRequestMethodConfig");
      Strings(config, "values", "http-request-method", nullptr, false, false);
      Each(config, [this](const std::string& method) {
        if (!method.empty() && (method.size() > kMaxHeaderNameChars ||
                                !std::all_of(method.begin(), method.end(), IsMethodChar))) {
          problem_("http-request-method value " + QuoteValue(method) +
                   " may hold only A-Z, '-' and '_', at most 40 (AWS; case-sensitive)");
        }
      });
    } else if (field == "source-ip") {
      const json& config = *GoPtr(condition, "sourceIPConfig");
      Strings(config, "values", "source-ip", nullptr, false, false);
      Each(config, [this](const std::string& cidr) {
        if (!cidr.empty() && !common::IsValidCidr(cidr)) {
          problem_("source-ip value " + QuoteValue(cidr) +
                   " is not an IPv4 or IPv6 CIDR like 192.0.2.0/24 (AWS)");
        }
      });
    } else if (field == "query-string") {
      const json* pairs = GoPtr(*GoPtr(condition, "queryStringConfig"), "values");
      for (const auto& pair : *pairs) {
        ++out_.other_values;
        for (std::string_view part : {"key", "value"}) {
          std::string text = GoString(pair, part);
          out_.wildcards += Wildcards(text);
          Length("query-string " + std::string(part), text);
        }
      }
    }
  }

 private:
  static bool IsMethodChar(char c) { return (c >= 'A' && c <= 'Z') || c == '-' || c == '_'; }

  /// Calls `fn` with each string of `config`'s values.
  template <typename Fn>
  static void Each(const json& config, Fn fn) {
    const json* values = GoPtr(config, "values");
    if (values == nullptr) return;
    for (const auto& value : *values) {
      if (value.is_string()) fn(value.get_ref<const std::string&>());
    }
  }

  void Length(const std::string& what, std::string_view text) {
    if (common::Utf8Length(text) > kMaxValueChars) {
      problem_(what + " " + QuoteValue(text) + " is longer than 128 characters (AWS limit)");
    }
  }

  /// The strings of `config[key]`: counted (kept in `keep` when given), wildcards counted when
  /// `glob`, checked for emptiness and length, host values against the host grammar.
  void Strings(const json& config, std::string_view key, std::string_view field,
               std::vector<std::string>* keep, bool glob, bool host) {
    const json* values = GoPtr(config, key);
    if (values == nullptr) return;
    bool regex = key == "regexValues";
    for (const auto& value : *values) {
      std::string text = value.is_string() ? value.get<std::string>() : std::string();
      if (keep != nullptr) {
        keep->push_back(text);
      } else {
        ++out_.other_values;
      }
      if (glob) out_.wildcards += Wildcards(text);
      std::string what = std::string(field) + (regex ? " regexValue" : " value");
      if (text.empty()) {
        problem_(what + " is empty (AWS: a condition value cannot be empty)");
      } else if (host) {
        if (auto reason = AlbHostProblem(text))
          problem_(what + " " + QuoteValue(text) + ": " + *reason);
      } else {
        Length(what, text);
      }
      if (regex) {
        if (auto feature = UnsupportedRegexFeature(text)) {
          warning_(what + " " + QuoteValue(text, 24) + " uses " + *feature +
                   ", which AWS does not support");
        }
      }
    }
  }

  AnnotationConditions& out_;
  const std::function<void(std::string)>& problem_;
  const std::function<void(std::string)>& warning_;
};

/// The conditions.<svc> annotations that rule paths use and that pass the LBC's own checks
/// (CheckIngressConditions reports the others), by <svc>; AWS's value problems reported once per
/// annotation.
std::map<std::string, AnnotationConditions, std::less<>> ReadAnnotationConditions(
    const IngressView& view, Verdict& verdict) {
  std::map<std::string, AnnotationConditions, std::less<>> out;
  const std::string prefix = std::string(kAlbAnnotationPrefix) + "conditions.";
  auto first = view.annotations.lower_bound(prefix);
  if (first == view.annotations.end() || first->first.compare(0, prefix.size(), prefix) != 0) {
    return out;
  }
  std::set<std::string_view> services;
  for (const auto& backend : view.backends) {
    if (backend.in_rule_path && backend.has_service) services.insert(backend.service_name);
  }
  for (std::string_view service : services) {
    const std::string* raw = view.Annotation(prefix + std::string(service));
    if (raw == nullptr || ValidateConditionsJson(*raw)) continue;
    GoJson parsed = ParseGoJson(*raw);
    AnnotationConditions& conditions = out[std::string(service)];
    if (!parsed.value.is_array()) continue;
    std::string suffix = "conditions." + std::string(service);
    int reported = 0;
    std::function<void(std::string)> problem = [&](std::string text) {
      if (reported++ < kMaxReportedPerAnnotation) {
        verdict.Deny("conditions", AnnotationMessage(suffix, *raw, text));
      }
    };
    std::function<void(std::string)> warning = [&](std::string text) {
      verdict.Warn("conditions", std::string(kAlbAnnotationPrefix) + suffix + ": " + text);
    };
    ConditionReader reader(conditions, problem, warning);
    for (const auto& condition : parsed.value) {
      if (condition.is_object()) reader.Read(condition);
    }
  }
  return out;
}

/// The path-pattern values (or regex values) the LBC builds for one path; false when it refuses
/// the path (reported by CheckIngressPaths) or the path type is not one it knows.
struct PathPatterns {
  std::vector<std::string> values, regex;
  std::size_t wildcards = 0;
};
bool BuildPathPatterns(std::string_view path, std::string_view type, bool regex_paths,
                       PathPatterns& out) {
  if (path.empty()) return true;
  bool wildcard = path.find_first_of("*?") != std::string_view::npos;
  if (type.empty() || type == "ImplementationSpecific") {
    if (regex_paths) {
      out.regex.emplace_back(path.substr(1));
    } else {
      out.values.emplace_back(path);
      out.wildcards = Wildcards(path);
    }
    return true;
  }
  if (type == "Exact") {
    if (wildcard) return false;
    out.values.emplace_back(path);
    return true;
  }
  if (type != "Prefix") return false;
  out.wildcards = 1;
  if (path == "/") {
    out.values.emplace_back("/*");
    return true;
  }
  if (wildcard) return false;
  std::string_view trimmed = path;
  if (trimmed.back() == '/') trimmed.remove_suffix(1);
  out.values.emplace_back(trimmed);
  out.values.push_back(std::string(trimmed) + "/*");
  return true;
}

struct RulePath {
  std::size_t rule = 0;
  std::size_t index = 0;
  std::string_view host;
  std::string_view path;
  std::string_view type;
  const AnnotationConditions* conditions = nullptr;  // nullptr: none
};

/// One rule path's ALB rule, judged as AWS and the LBC judge it.
void JudgeRulePath(const RulePath& p, bool regex_paths, Verdict& verdict) {
  PathPatterns patterns;
  if (!BuildPathPatterns(p.path, p.type, regex_paths, patterns)) return;
  static const AnnotationConditions kNone;
  const AnnotationConditions& c = p.conditions != nullptr ? *p.conditions : kNone;
  // The rule's values are the path's own followed by the annotation's; only their counts matter
  // unless a message lists them (no per-path copies of the annotation's values).
  std::vector<std::string> own_host;
  if (!p.host.empty()) own_host.emplace_back(p.host);
  const std::size_t hosts = own_host.size() + c.host_values.size();
  const std::size_t paths = patterns.values.size() + c.path_values.size();
  const std::size_t path_regex = patterns.regex.size() + c.path_regex.size();
  std::string location =
      "spec.rules[" + std::to_string(p.rule) + "].http.paths[" + std::to_string(p.index) + "]: ";
  if (hosts != 0 && !c.host_regex.empty()) {
    verdict.Deny(std::string(kRuleConditionsCheck),
                 location +
                     "host condition must specify exactly one of Values and RegexValues, got "
                     "both Values " +
                     GoStringSlice(own_host, c.host_values) + " and RegexValues " +
                     GoStringSlice(c.host_regex));
    return;
  }
  if (paths != 0 && path_regex != 0) {
    verdict.Deny(std::string(kRuleConditionsCheck),
                 location +
                     "path condition must specify exactly one of Values and RegexValues, got "
                     "both Values " +
                     GoStringSlice(patterns.values, c.path_values) + " and RegexValues " +
                     GoStringSlice(patterns.regex, c.path_regex));
    return;
  }
  std::size_t values = hosts + c.host_regex.size() + paths + path_regex + c.other_values;
  if (values > kMaxValuesPerRule) {
    verdict.Deny(std::string(kRuleConditionsCheck),
                 location + "its ALB rule would have " + std::to_string(values) +
                     " condition values (AWS allows at most 5 per rule)");
  }
  std::size_t wildcards = Wildcards(p.host) + patterns.wildcards + c.wildcards;
  if (wildcards > kMaxWildcardsPerRule) {
    verdict.Deny(std::string(kRuleConditionsCheck),
                 location + "its ALB rule would have " + std::to_string(wildcards) +
                     " wildcards (* or ?) in its conditions (AWS allows at most 5 per rule)");
  }
}

bool UsesRegexPaths(const IngressView& view) {
  const std::string* raw = view.Alb("use-regex-path-match");
  return raw != nullptr && ParseGoBool(*raw).value_or(false);
}

}  // namespace

// HostHeaderConditionConfig.Values (ELBv2 API reference): at most 128 characters, A-Z a-z 0-9 - .
// and the wildcards * ?, at least one '.', only letters after the last '.'. A Kubernetes-valid
// host without a dot fails at CreateRule (LBC issue #2561: "Condition value 'foo-bar' contains a
// character that is not valid").
std::optional<std::string> AlbHostProblem(std::string_view host) {
  if (host.size() > kMaxValueChars) {
    return "AWS host conditions allow at most 128 characters";
  }
  auto allowed = [](char c) {
    return common::IsAsciiAlnum(c) || c == '-' || c == '.' || c == '*' || c == '?';
  };
  if (!std::all_of(host.begin(), host.end(), allowed)) {
    return "AWS host conditions allow only letters, digits, '-', '.', '*' and '?'";
  }
  std::size_t dot = host.rfind('.');
  if (dot == std::string_view::npos) return "AWS host conditions need at least one '.'";
  std::string_view last = host.substr(dot + 1);
  if (!std::all_of(last.begin(), last.end(),
                   [](char c) { return common::IsAsciiAlpha(c) || c == '*' || c == '?'; })) {
    return "AWS host conditions allow only letters after the last '.'";
  }
  return std::nullopt;
}

void CheckIngressRuleConditions(const IngressView& view, const json& object, Verdict& verdict) {
  const json* spec = JsonMember(object, "spec");
  const json* rules = spec != nullptr ? JsonMember(*spec, "rules") : nullptr;
  if (rules == nullptr || !rules->is_array()) return;
  const auto conditions = ReadAnnotationConditions(view, verdict);
  const bool regex_paths = UsesRegexPaths(view);
  auto kept = view.paths.begin();  // the view's paths, in (rule, index) order
  for (std::size_t i = 0; i < rules->size(); ++i) {
    const json& rule = (*rules)[i];
    const json* http = JsonMember(rule, "http");
    const json* paths = http != nullptr ? JsonMember(*http, "paths") : nullptr;
    if (paths == nullptr || !paths->is_array() || paths->empty()) continue;
    std::string_view host = JsonStringMember(rule, "host");
    if (!host.empty()) {
      if (auto problem = AlbHostProblem(host)) {
        verdict.Deny(
            std::string(kRuleConditionsCheck),
            "spec.rules[" + std::to_string(i) + "].host " + QuoteValue(host) + ": " + *problem);
      }
    }
    if (conditions.empty() && Wildcards(host) + 1 <= kMaxWildcardsPerRule) {
      // Without annotation conditions a rule has at most 3 values, and only a path with a
      // wildcard (kept in the view) can bring its wildcards over the limit.
      for (; kept != view.paths.end() && kept->rule <= i; ++kept) {
        if (kept->rule == i) {
          JudgeRulePath({i, kept->index, host, kept->path, kept->path_type, nullptr}, regex_paths,
                        verdict);
        }
      }
      continue;
    }
    for (std::size_t j = 0; j < paths->size(); ++j) {
      const json& path = (*paths)[j];
      const json* backend = JsonMember(path, "backend");
      const json* service = backend != nullptr ? JsonMember(*backend, "service") : nullptr;
      std::string_view service_name = service != nullptr ? JsonStringMember(*service, "name") : "";
      auto found = conditions.find(service_name);
      JudgeRulePath({i, j, host, JsonStringMember(path, "path"), JsonStringMember(path, "pathType"),
                     found == conditions.end() ? nullptr : &found->second},
                    regex_paths, verdict);
    }
  }
}

}  // namespace albwebhook::rules
