#include "rules/lbc_actions.hpp"

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "common/aws_formats.hpp"
#include "common/text.hpp"
#include "rules/go_json.hpp"
#include "rules/lbc_values.hpp"

namespace albwebhook::rules {
namespace {

using common::QuoteValue;
using nlohmann::json;

// The LBC's types (pkg/ingress/annotations), as encoding/json sees them.
const GoType kValuesConfig{GoKind::kStruct,
                           "ingress.HostHeaderConditionConfig",
                           {{"values", &kGoStringSlice}, {"regexValues", &kGoStringSlice}},
                           nullptr};
const GoType kPathConfig{GoKind::kStruct,
                         "ingress.PathPatternConditionConfig",
                         {{"values", &kGoStringSlice}, {"regexValues", &kGoStringSlice}},
                         nullptr};
const GoType kHeaderConfig{
    GoKind::kStruct,
    "ingress.HTTPHeaderConditionConfig",
    {{"httpHeaderName", &kGoString}, {"values", &kGoStringSlice}, {"regexValues", &kGoStringSlice}},
    nullptr};
const GoType kMethodConfig{GoKind::kStruct,
                           "ingress.HTTPRequestMethodConditionConfig",
                           {{"values", &kGoStringSlice}},
                           nullptr};
const GoType kQueryPair{GoKind::kStruct,
                        "ingress.QueryStringKeyValuePair",
                        {{"key", &kGoString}, {"value", &kGoString}},
                        nullptr};
const GoType kQueryPairs{GoKind::kSlice, "[]ingress.QueryStringKeyValuePair", {}, &kQueryPair};
const GoType kQueryConfig{
    GoKind::kStruct, "ingress.QueryStringConditionConfig", {{"values", &kQueryPairs}}, nullptr};
const GoType kSourceIpConfig{
    GoKind::kStruct, "ingress.SourceIPConditionConfig", {{"values", &kGoStringSlice}}, nullptr};
const GoType kRuleCondition{GoKind::kStruct,
                            "ingress.RuleCondition",
                            {{"field", &kGoString},
                             {"hostHeaderConfig", &kValuesConfig},
                             {"httpHeaderConfig", &kHeaderConfig},
                             {"httpRequestMethodConfig", &kMethodConfig},
                             {"pathPatternConfig", &kPathConfig},
                             {"queryStringConfig", &kQueryConfig},
                             {"sourceIPConfig", &kSourceIpConfig}},
                            nullptr};
const GoType kRuleConditions{GoKind::kSlice, "[]ingress.RuleCondition", {}, &kRuleCondition};

const GoType kFixedResponseConfig{
    GoKind::kStruct,
    "ingress.FixedResponseActionConfig",
    {{"contentType", &kGoString}, {"messageBody", &kGoString}, {"statusCode", &kGoString}},
    nullptr};
const GoType kRedirectConfig{GoKind::kStruct,
                             "ingress.RedirectActionConfig",
                             {{"host", &kGoString},
                              {"path", &kGoString},
                              {"port", &kGoString},
                              {"protocol", &kGoString},
                              {"query", &kGoString},
                              {"statusCode", &kGoString}},
                             nullptr};
const GoType kTargetGroupTuple{GoKind::kStruct,
                               "ingress.TargetGroupTuple",
                               {{"targetGroupARN", &kGoString},
                                {"targetGroupName", &kGoString},
                                {"serviceName", &kGoString},
                                {"servicePort", &kGoIntOrString},
                                {"weight", &kGoInt32}},
                               nullptr};
const GoType kTargetGroupTuples{
    GoKind::kSlice, "[]ingress.TargetGroupTuple", {}, &kTargetGroupTuple};
const GoType kStickinessConfig{GoKind::kStruct,
                               "ingress.TargetGroupStickinessConfig",
                               {{"enabled", &kGoBool}, {"durationSeconds", &kGoInt32}},
                               nullptr};
const GoType kForwardConfig{
    GoKind::kStruct,
    "ingress.ForwardActionConfig",
    {{"targetGroups", &kTargetGroupTuples}, {"targetGroupStickinessConfig", &kStickinessConfig}},
    nullptr};
const GoType kAction{GoKind::kStruct,
                     "ingress.Action",
                     {{"type", &kGoString},
                      {"targetGroupARN", &kGoString},
                      {"targetGroupName", &kGoString},
                      {"fixedResponseConfig", &kFixedResponseConfig},
                      {"redirectConfig", &kRedirectConfig},
                      {"forwardConfig", &kForwardConfig}},
                     nullptr};

std::optional<std::string> CheckValuesOrRegex(const json& config, std::string_view config_name) {
  std::size_t values = GoLen(config, "values");
  std::size_t regex_values = GoLen(config, "regexValues");
  if (values == 0 && regex_values == 0) {
    return "invalid " + std::string(config_name) + ": values or regexValues must be specified";
  }
  if (values != 0 && regex_values != 0) {
    return "invalid " + std::string(config_name) +
           ": precisely one of values and regexValues can be specified";
  }
  return std::nullopt;
}

/// RuleCondition.Validate() reasons, in the LBC's order.
std::optional<std::string> ValidateCondition(const json& condition) {
  if (!condition.is_object()) return std::nullopt;  // null element: zero value, unknown field
  std::string field = GoString(condition, "field");
  struct ValuesField {
    std::string_view field;
    std::string_view config;
  };
  static constexpr ValuesField kValuesFields[] = {{"host-header", "hostHeaderConfig"},
                                                  {"path-pattern", "pathPatternConfig"},
                                                  {"http-header", "httpHeaderConfig"}};
  for (const auto& vf : kValuesFields) {
    if (field != vf.field) continue;
    const json* config = GoPtr(condition, vf.config);
    if (config == nullptr) return "missing " + std::string(vf.config);
    return CheckValuesOrRegex(*config, vf.config);
  }
  if (field == "http-request-method") {
    const json* config = GoPtr(condition, "httpRequestMethodConfig");
    if (config == nullptr) return "missing httpRequestMethodConfig";
    if (GoLen(*config, "values") == 0) {
      return "invalid httpRequestMethodConfig: values cannot be empty";
    }
    return std::nullopt;
  }
  if (field == "query-string") {
    const json* config = GoPtr(condition, "queryStringConfig");
    if (config == nullptr) return "missing queryStringConfig";
    const json* values = GoPtr(*config, "values");
    if (values == nullptr || !values->is_array() || values->empty()) {
      return "invalid queryStringConfig: Values cannot be empty";
    }
    for (const auto& pair : *values) {
      if (!pair.is_object() || GoString(pair, "value").empty()) {
        return "invalid queryStringConfig: value cannot be empty";
      }
    }
    return std::nullopt;
  }
  if (field == "source-ip") {
    const json* config = GoPtr(condition, "sourceIPConfig");
    if (config == nullptr) return "missing sourceIPConfig";
    if (GoLen(*config, "values") == 0) return "invalid sourceIPConfig: values cannot be empty";
    return std::nullopt;
  }
  return std::nullopt;
}

/// Action.validate() reasons, in the LBC's order (first one only).
std::optional<std::string> ValidateActionRequired(const json& action) {
  std::string type = GoString(action, "type");
  if (type == "fixed-response") {
    const json* config = GoPtr(action, "fixedResponseConfig");
    if (config == nullptr) return "missing FixedResponseConfig";
    if (GoString(*config, "statusCode").empty()) {
      return "invalid FixedResponseConfig: statusCode is required";
    }
    return std::nullopt;
  }
  if (type == "redirect") {
    const json* config = GoPtr(action, "redirectConfig");
    if (config == nullptr) return "missing RedirectConfig";
    if (GoString(*config, "statusCode").empty()) {
      return "invalid RedirectConfig: statusCode is required";
    }
    return std::nullopt;
  }
  if (type == "forward") {
    bool has_tg =
        GoPtr(action, "targetGroupARN") != nullptr || GoPtr(action, "targetGroupName") != nullptr;
    const json* forward = GoPtr(action, "forwardConfig");
    if (!has_tg && forward == nullptr)
      return "missing ForwardConfig or TargetGroupARN/TargetGroupName";
    if (has_tg && forward != nullptr) {
      return "either ForwardConfig or TargetGroupARN/TargetGroupName can be specified";
    }
    if (forward == nullptr) return std::nullopt;
    const json* groups = GoPtr(*forward, "targetGroups");
    if (groups == nullptr || !groups->is_array()) return std::nullopt;
    for (const auto& tuple : *groups) {
      if (!tuple.is_object()) continue;
      bool tuple_tg =
          GoPtr(tuple, "targetGroupARN") != nullptr || GoPtr(tuple, "targetGroupName") != nullptr;
      bool tuple_svc = GoPtr(tuple, "serviceName") != nullptr;
      const std::string prefix = "invalid ForwardConfig: invalid TargetGroupTuple: ";
      if (!tuple_tg && !tuple_svc) {
        return prefix + "missing serviceName or targetGroupARN/targetGroupName";
      }
      if (tuple_tg && tuple_svc) {
        return prefix + "either serviceName or targetGroupARN/targetGroupName can be specified";
      }
      if (tuple_svc && GoPtr(tuple, "servicePort") == nullptr)
        return prefix + "missing servicePort";
    }
    if (groups->size() > 1) {
      for (const auto& tuple : *groups) {
        if (!tuple.is_object() || GoPtr(tuple, "weight") == nullptr) {
          return "invalid ForwardConfig: weight must be set when route to multiple target groups";
        }
      }
    }
    return std::nullopt;
  }
  return "unknown action type: " + type;
}

using Problems = std::vector<JsonAnnotationProblem>;

void Add(Problems& out, std::string text) { out.push_back({false, std::move(text)}); }

void CheckFixedResponseValues(const json& fixed, Problems& out) {
  std::string code = GoString(fixed, "statusCode");
  if (!code.empty() && !(code.size() == 3 && common::IsAllDigits(code) &&
                         (code[0] == '2' || code[0] == '4' || code[0] == '5'))) {
    Add(out,
        "fixedResponseConfig.statusCode " + QuoteValue(code) + " must be a 2XX, 4XX or 5XX code");
  }
  if (const json* type = GoPtr(fixed, "contentType"); type != nullptr && type->is_string()) {
    static constexpr std::string_view kTypes[] = {"text/plain", "text/css", "text/html",
                                                  "application/javascript", "application/json"};
    auto value = type->get<std::string>();
    if (std::find(std::begin(kTypes), std::end(kTypes), value) == std::end(kTypes)) {
      Add(out, "fixedResponseConfig.contentType " + QuoteValue(value) +
                   " must be text/plain, text/css, text/html, application/javascript or "
                   "application/json");
    }
  }
  // AWS counts characters (FixedResponseActionConfig.MessageBody: length 0-1024).
  if (common::Utf8Length(GoString(fixed, "messageBody")) > 1024) {
    Add(out, "fixedResponseConfig.messageBody must be at most 1024 characters");
  }
}

void CheckRedirectValues(const json& redirect, Problems& out) {
  std::string code = GoString(redirect, "statusCode");
  if (!code.empty() && code != "HTTP_301" && code != "HTTP_302") {
    Add(out, "redirectConfig.statusCode " + QuoteValue(code) + " must be HTTP_301 or HTTP_302");
  }
  if (const json* protocol = GoPtr(redirect, "protocol");
      protocol != nullptr && protocol->is_string()) {
    auto value = protocol->get<std::string>();
    if (value != "HTTP" && value != "HTTPS" && value != "#{protocol}") {
      Add(out,
          "redirectConfig.protocol " + QuoteValue(value) + " must be HTTP, HTTPS or #{protocol}");
    }
  }
  if (const json* port = GoPtr(redirect, "port"); port != nullptr && port->is_string()) {
    auto value = port->get<std::string>();
    GoInt parsed = ParseGoInt(value, 64);
    if (value != "#{port}" && (!common::IsAllDigits(value) || parsed.error != GoInt::Error::kNone ||
                               parsed.value < 1 || parsed.value > 65535)) {
      Add(out, "redirectConfig.port " + QuoteValue(value) + " must be 1-65535 or #{port}");
    }
  }
}

/// `prefix` + "targetGroupARN <value> is not a target group ARN" when `object`'s targetGroupARN is
/// a string that is not one.
void CheckTargetGroupArnValue(const json& object, std::string_view prefix, Problems& out) {
  const json* arn = GoPtr(object, "targetGroupARN");
  if (arn == nullptr || !arn->is_string()) return;
  const auto& text = arn->get_ref<const std::string&>();
  if (common::IsTargetGroupArn(text)) return;
  Add(out,
      std::string(prefix) + "targetGroupARN " + QuoteValue(text) + " is not a target group ARN");
}

void CheckForwardValues(const json& forward, Problems& out) {
  if (const json* groups = GoPtr(forward, "targetGroups");
      groups != nullptr && groups->is_array()) {
    if (groups->size() > 5) Add(out, "forwardConfig.targetGroups may hold at most 5 target groups");
    for (const auto& tuple : *groups) {
      if (!tuple.is_object()) continue;
      if (const json* weight = GoPtr(tuple, "weight"); weight != nullptr && weight->is_number()) {
        auto w = weight->get<std::int64_t>();
        if (w < 0 || w > 999)
          Add(out, "forwardConfig weight " + std::to_string(w) + " must be 0-999");
      }
      CheckTargetGroupArnValue(tuple, "forwardConfig ", out);
    }
  }
  if (const json* sticky = GoPtr(forward, "targetGroupStickinessConfig")) {
    if (const json* d = GoPtr(*sticky, "durationSeconds"); d != nullptr && d->is_number()) {
      auto v = d->get<std::int64_t>();
      if (v < 1 || v > 604800) {
        Add(out, "targetGroupStickinessConfig.durationSeconds " + std::to_string(v) +
                     " must be 1-604800");
      }
    }
  }
}

/// Values AWS rejects at deploy time (CreateRule/CreateListener action fields).
void CheckActionValues(const json& action, Problems& out) {
  if (const json* fixed = GoPtr(action, "fixedResponseConfig"))
    CheckFixedResponseValues(*fixed, out);
  if (const json* redirect = GoPtr(action, "redirectConfig")) CheckRedirectValues(*redirect, out);
  if (const json* forward = GoPtr(action, "forwardConfig")) CheckForwardValues(*forward, out);
  CheckTargetGroupArnValue(action, "", out);
}

}  // namespace

std::optional<JsonAnnotationProblem> ValidateConditionsJson(std::string_view raw) {
  GoJson parsed = ParseGoJson(raw);
  if (!parsed.error.empty()) return JsonAnnotationProblem{true, parsed.error};
  if (auto err = GoUnmarshalTypeError(parsed.value, kRuleConditions)) {
    return JsonAnnotationProblem{true, *err};
  }
  if (!parsed.value.is_array()) return std::nullopt;  // null: no conditions
  for (const auto& condition : parsed.value) {
    if (auto reason = ValidateCondition(condition)) return JsonAnnotationProblem{false, *reason};
  }
  return std::nullopt;
}

std::vector<JsonAnnotationProblem> ValidateActionJson(std::string_view raw) {
  std::vector<JsonAnnotationProblem> problems;
  GoJson parsed = ParseGoJson(raw);
  if (!parsed.error.empty()) {
    problems.push_back({true, parsed.error});
    return problems;
  }
  if (auto err = GoUnmarshalTypeError(parsed.value, kAction)) {
    problems.push_back({true, *err});
    return problems;
  }
  const json empty = json::object();
  const json& action = parsed.value.is_object() ? parsed.value : empty;
  if (auto reason = ValidateActionRequired(action)) problems.push_back({false, *reason});
  CheckActionValues(action, problems);
  return problems;
}

}  // namespace albwebhook::rules
