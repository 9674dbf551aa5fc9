// The LBC's action and condition semantics: the JSON of the actions.<name> and conditions.<name>
// annotations judged like the LBC's Action.validate() and RuleCondition.Validate() (first reason,
// exact text), after a Go encoding/json unmarshal into the LBC's types (rules/go_json.hpp), then
// the values AWS would reject when the LBC creates the rule (status codes, ports, weights...).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace albwebhook::rules {

/// A problem found in a JSON annotation (actions.* / conditions.*).
struct JsonAnnotationProblem {
  bool json_error = false;  // true: text is a Go-like unmarshal error; false: a validation reason
  std::string text;
};

/// conditions.<name>: JSON `[]RuleCondition` checked like the LBC's RuleCondition.Validate().
/// Returns the first problem (LBC's exact reason text), nullopt when accepted.
std::optional<JsonAnnotationProblem> ValidateConditionsJson(std::string_view raw);

/// actions.<name>: JSON `Action` checked like the LBC (first required-field problem, exact text),
/// followed by value problems AWS would reject (status codes, content type, ports, weights...).
/// An empty vector means accepted.
std::vector<JsonAnnotationProblem> ValidateActionJson(std::string_view raw);

}  // namespace albwebhook::rules
