// `alb-webhook check -o sarif`: SARIF 2.1.0 (OASIS), the format of GitHub code scanning.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/check_formats.hpp"
#include "common/text.hpp"

#ifndef ALBWEBHOOK_VERSION
#define ALBWEBHOOK_VERSION "dev"
#endif

namespace albwebhook::cli::check {
namespace {

using nlohmann::json;

constexpr const char* kSchema = "https://json.schemastore.org/sarif-2.1.0.json";
// The annotations the tool checks, as the LBC documents them (the project has no site of its own).
constexpr const char* kInformationUri =
    "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/"
    "annotations/";

// A URI reference for a path: relative stays relative; absolute becomes file://. Bytes other than
// unreserved characters, '/' and a few sub-delimiters are percent-encoded (so is ':', which
// would make a relative path's first segment look like a scheme).
std::string PathUri(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = path.starts_with("/") ? "file://" : "";
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (common::IsAsciiAlnum(c) ||
        std::string_view("-._~/!$&'()*+,;=@").find(c) != std::string_view::npos) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

json PhysicalLocation(const Location& loc, int line) {
  json physical = {{"artifactLocation", {{"uri", PathUri(ArtifactName(loc))}}}};
  if (line > 0) physical["region"] = {{"startLine", line}};
  return physical;
}

class SarifRun {
 public:
  void Add(const Outcome& outcome) {
    if (const auto* e = std::get_if<InputError>(&outcome.what)) {
      const json location = {{"physicalLocation", PhysicalLocation(outcome.loc, outcome.loc.line)}};
      notifications_.push_back({{"level", "error"},
                                {"message", {{"text", e->message}}},
                                {"locations", json::array({location})}});
      return;
    }
    const auto* d = std::get_if<Decision>(&outcome.what);
    if (d == nullptr) return;
    for (const Finding& f : d->violations) AddResult(outcome, f, "error");
    for (const Finding& f : d->warnings) AddResult(outcome, f, "warning");
  }

  json Done() const {
    json driver = {{"name", "alb-webhook"},
                   {"informationUri", kInformationUri},
                   {"version", ALBWEBHOOK_VERSION},
                   {"rules", rules_}};
    json invocation = {{"executionSuccessful", notifications_.empty()}};
    if (!notifications_.empty()) invocation["toolExecutionNotifications"] = notifications_;
    return {{"tool", {{"driver", driver}}},
            {"invocations", json::array({invocation})},
            {"results", results_}};
  }

 private:
  // The rule's index in driver.rules, added on first use.
  std::size_t RuleIndex(const std::string& id) {
    const auto [it, added] = rule_index_.emplace(id, rules_.size());
    if (added) {
      const bool policy = id.starts_with("ingress.") || id.starts_with("targetGroupBinding.");
      const std::string text = policy ? "Policy rule " + id + " (the --config policy file)"
                                      : "Check " + id + " of the webhook's rule sets";
      rules_.push_back({{"id", id}, {"shortDescription", {{"text", text}}}});
    }
    return it->second;
  }

  void AddResult(const Outcome& outcome, const Finding& f, const char* level) {
    const int line = f.line > 0 ? f.line : std::max(outcome.loc.line, 1);
    const json object = {{"fullyQualifiedName", OutcomeTitle(outcome)}, {"kind", "resource"}};
    const json location = {{"physicalLocation", PhysicalLocation(outcome.loc, line)},
                           {"logicalLocations", json::array({object})}};
    results_.push_back({{"ruleId", f.check},
                        {"ruleIndex", RuleIndex(f.check)},
                        {"level", level},
                        {"message", {{"text", f.message}}},
                        {"locations", json::array({location})}});
  }

  std::map<std::string, std::size_t> rule_index_;
  json rules_ = json::array();
  json results_ = json::array();
  json notifications_ = json::array();
};

}  // namespace

void WriteSarif(const std::vector<Outcome>& outcomes, std::ostream& out) {
  SarifRun run;
  for (const Outcome& outcome : outcomes) run.Add(outcome);
  const json log = {
      {"$schema", kSchema}, {"version", "2.1.0"}, {"runs", json::array({run.Done()})}};
  out << log.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

}  // namespace albwebhook::cli::check
