#include "rules/annotation_parsers.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <utility>

#include "json/json_parse.hpp"
#include "rules/aws_formats.hpp"

namespace albwebhook::rules {
namespace {

using nlohmann::json;

std::string_view Trim(std::string_view text) {
  const char* ws = " \t\n\r\f\v";
  std::size_t first = text.find_first_not_of(ws);
  if (first == std::string_view::npos) return {};
  std::size_t last = text.find_last_not_of(ws);
  return text.substr(first, last - first + 1);
}

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

std::string EscapeStringMapText(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ',') out += '\\';
    out += c;
  }
  return out;
}

// ---- Go encoding/json type checking -------------------------------------------------------------

enum class GoKind { kString, kBool, kInt32, kIntOrString, kStruct, kSlice };

struct GoType {
  GoKind kind;
  std::string_view name;  // Go type name as encoding/json prints it
  std::vector<std::pair<std::string_view, const GoType*>> fields;  // kStruct
  const GoType* elem = nullptr;                                    // kSlice
};

std::string JsonKind(const json& value) {
  switch (value.type()) {
    case json::value_t::string:
      return "string";
    case json::value_t::boolean:
      return "bool";
    case json::value_t::object:
      return "object";
    case json::value_t::array:
      return "array";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "number";
    default:
      return "null";
  }
}

bool FitsInt32(const json& value) {
  if (value.is_number_integer()) {
    auto v = value.get<std::int64_t>();
    return v >= std::numeric_limits<std::int32_t>::min() &&
           v <= std::numeric_limits<std::int32_t>::max();
  }
  if (value.is_number_unsigned()) {
    return value.get<std::uint64_t>() <=
           static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max());
  }
  return false;
}

std::string NumberText(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string TypeError(const json& value, std::string_view struct_name, const std::string& path,
                      std::string_view type_name) {
  std::string what = JsonKind(value);
  if (value.is_number()) what += " " + NumberText(value);
  std::string out = "json: cannot unmarshal " + what + " into Go ";
  if (path.empty()) {
    out += "value of type " + std::string(type_name);
  } else {
    out += "struct field " + std::string(struct_name) + "." + path + " of type " +
           std::string(type_name);
  }
  return out;
}

/// Matches a JSON key to a struct field name the way encoding/json does (exact, then fold).
const GoType* FindField(const GoType& type, const std::string& key, std::string_view& name_out) {
  for (const auto& [name, field_type] : type.fields) {
    if (name == key) {
      name_out = name;
      return field_type;
    }
  }
  for (const auto& [name, field_type] : type.fields) {
    if (EqualsIgnoreCase(name, key)) {
      name_out = name;
      return field_type;
    }
  }
  return nullptr;
}

/// First Go unmarshal type error of `value` against `type`, like encoding/json reports it.
/// Recursion is bounded by the depth of the Go type, not of the input.
std::optional<std::string> FirstTypeError(const json& value, const GoType& type,
                                          std::string_view struct_name, const std::string& path) {
  if (value.is_null()) return std::nullopt;  // null leaves the Go zero value
  switch (type.kind) {
    case GoKind::kString:
      if (!value.is_string()) return TypeError(value, struct_name, path, type.name);
      return std::nullopt;
    case GoKind::kBool:
      if (!value.is_boolean()) return TypeError(value, struct_name, path, type.name);
      return std::nullopt;
    case GoKind::kInt32:
      if (!FitsInt32(value)) return TypeError(value, struct_name, path, type.name);
      return std::nullopt;
    case GoKind::kIntOrString:
      if (value.is_string() || FitsInt32(value)) return std::nullopt;
      return TypeError(value, struct_name, path, type.name);
    case GoKind::kSlice:
      if (!value.is_array()) return TypeError(value, struct_name, path, type.name);
      for (const auto& item : value) {
        if (auto err = FirstTypeError(item, *type.elem, struct_name, path)) return err;
      }
      return std::nullopt;
    case GoKind::kStruct:
      if (!value.is_object()) return TypeError(value, struct_name, path, type.name);
      for (const auto& [key, item] : value.items()) {
        std::string_view field_name;
        const GoType* field_type = FindField(type, key, field_name);
        if (field_type == nullptr) continue;  // unknown fields are ignored
        std::string field_path =
            path.empty() ? std::string(field_name) : path + "." + std::string(field_name);
        std::string_view inner_struct = type.name;
        if (auto dot = inner_struct.rfind('.'); dot != std::string_view::npos) {
          inner_struct = inner_struct.substr(dot + 1);
        }
        if (auto err = FirstTypeError(item, *field_type, inner_struct, field_path)) return err;
      }
      return std::nullopt;
  }
  return std::nullopt;
}

const GoType kGoString{GoKind::kString, "string", {}, nullptr};
const GoType kGoStringSlice{GoKind::kSlice, "[]string", {}, &kGoString};
const GoType kGoBool{GoKind::kBool, "bool", {}, nullptr};
const GoType kGoInt32{GoKind::kInt32, "int32", {}, nullptr};
const GoType kGoIntOrString{GoKind::kIntOrString, "intstr.IntOrString", {}, nullptr};

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

/// A Go pointer field: present and not null.
const json* GoPtr(const json& object, std::string_view name) {
  const json* field = GoField(object, name);
  return (field == nullptr || field->is_null()) ? nullptr : field;
}

std::string GoString(const json& object, std::string_view name) {
  const json* field = GoPtr(object, name);
  return (field != nullptr && field->is_string()) ? field->get<std::string>() : std::string();
}

std::size_t GoLen(const json& object, std::string_view name) {
  const json* field = GoPtr(object, name);
  return (field != nullptr && field->is_array()) ? field->size() : 0;
}

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

bool IsAllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Values AWS rejects at deploy time (CreateRule/CreateListener action fields).
void CheckActionValues(const json& action, std::vector<JsonAnnotationProblem>& out) {
  auto add = [&out](std::string text) { out.push_back({false, std::move(text)}); };
  if (const json* fixed = GoPtr(action, "fixedResponseConfig")) {
    std::string code = GoString(*fixed, "statusCode");
    if (!code.empty() && !(code.size() == 3 && IsAllDigits(code) &&
                           (code[0] == '2' || code[0] == '4' || code[0] == '5'))) {
      add("fixedResponseConfig.statusCode " + QuoteValue(code) + " must be a 2XX, 4XX or 5XX code");
    }
    if (const json* type = GoPtr(*fixed, "contentType"); type != nullptr && type->is_string()) {
      static constexpr std::string_view kTypes[] = {"text/plain", "text/css", "text/html",
                                                    "application/javascript", "application/json"};
      auto value = type->get<std::string>();
      if (std::find(std::begin(kTypes), std::end(kTypes), value) == std::end(kTypes)) {
        add("fixedResponseConfig.contentType " + QuoteValue(value) +
            " must be text/plain, text/css, text/html, application/javascript or application/json");
      }
    }
    if (GoString(*fixed, "messageBody").size() > 1024) {
      add("fixedResponseConfig.messageBody must be at most 1024 bytes");
    }
  }
  if (const json* redirect = GoPtr(action, "redirectConfig")) {
    std::string code = GoString(*redirect, "statusCode");
    if (!code.empty() && code != "HTTP_301" && code != "HTTP_302") {
      add("redirectConfig.statusCode " + QuoteValue(code) + " must be HTTP_301 or HTTP_302");
    }
    if (const json* protocol = GoPtr(*redirect, "protocol");
        protocol != nullptr && protocol->is_string()) {
      auto value = protocol->get<std::string>();
      if (value != "HTTP" && value != "HTTPS" && value != "#{protocol}") {
        add("redirectConfig.protocol " + QuoteValue(value) + " must be HTTP, HTTPS or #{protocol}");
      }
    }
    if (const json* port = GoPtr(*redirect, "port"); port != nullptr && port->is_string()) {
      auto value = port->get<std::string>();
      GoInt parsed = ParseGoInt(value, 64);
      if (value != "#{port}" && (!IsAllDigits(value) || parsed.error != GoInt::Error::kNone ||
                                 parsed.value < 1 || parsed.value > 65535)) {
        add("redirectConfig.port " + QuoteValue(value) + " must be 1-65535 or #{port}");
      }
    }
  }
  if (const json* forward = GoPtr(action, "forwardConfig")) {
    if (const json* groups = GoPtr(*forward, "targetGroups");
        groups != nullptr && groups->is_array()) {
      if (groups->size() > 5) add("forwardConfig.targetGroups may hold at most 5 target groups");
      for (const auto& tuple : *groups) {
        if (!tuple.is_object()) continue;
        if (const json* weight = GoPtr(tuple, "weight"); weight != nullptr && weight->is_number()) {
          auto w = weight->get<std::int64_t>();
          if (w < 0 || w > 999) add("forwardConfig weight " + std::to_string(w) + " must be 0-999");
        }
        if (const json* arn = GoPtr(tuple, "targetGroupARN"); arn != nullptr && arn->is_string()) {
          if (!IsTargetGroupArn(arn->get<std::string>())) {
            add("forwardConfig targetGroupARN " + QuoteValue(arn->get<std::string>()) +
                " is not a target group ARN");
          }
        }
      }
    }
    if (const json* sticky = GoPtr(*forward, "targetGroupStickinessConfig")) {
      if (const json* d = GoPtr(*sticky, "durationSeconds"); d != nullptr && d->is_number()) {
        auto v = d->get<std::int64_t>();
        if (v < 1 || v > 604800) {
          add("targetGroupStickinessConfig.durationSeconds " + std::to_string(v) +
              " must be 1-604800");
        }
      }
    }
  }
  if (const json* arn = GoPtr(action, "targetGroupARN"); arn != nullptr && arn->is_string()) {
    if (!IsTargetGroupArn(arn->get<std::string>())) {
      add("targetGroupARN " + QuoteValue(arn->get<std::string>()) + " is not a target group ARN");
    }
  }
}

}  // namespace

std::string QuoteValue(std::string_view value, std::size_t max_bytes) {
  bool shortened = false;
  if (max_bytes < 4) max_bytes = 4;
  if (value.size() > max_bytes) {
    std::size_t cut = max_bytes - 3;
    // Do not split a UTF-8 sequence: back off over continuation bytes.
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
    value = value.substr(0, cut);
    shortened = true;
  }
  std::string out = "\"";
  for (char c : value) {
    auto uc = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (uc < 0x20 || uc == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", uc);
      out += buf;
    } else {
      out += c;
    }
  }
  if (shortened) out += "...";
  out += '"';
  return out;
}

std::vector<std::string> ParseStringList(std::string_view raw) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= raw.size()) {
    std::size_t pos = raw.find(',', start);
    if (pos == std::string_view::npos) pos = raw.size();
    std::string_view item = Trim(raw.substr(start, pos - start));
    if (!item.empty()) items.emplace_back(item);
    start = pos + 1;
  }
  return items;
}

std::optional<policy::StringMap> ParseStringMap(std::string_view raw) {
  std::vector<std::string> items;
  std::string current;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size() && raw[i + 1] == ',') {
      current += ',';
      ++i;
    } else if (raw[i] == ',') {
      items.push_back(std::move(current));
      current.clear();
    } else {
      current += raw[i];
    }
  }
  items.push_back(std::move(current));
  policy::StringMap result;
  for (const auto& item : items) {
    std::string_view trimmed = Trim(item);
    if (trimmed.empty()) continue;
    std::size_t eq = trimmed.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string key(Trim(trimmed.substr(0, eq)));
    std::string value(Trim(trimmed.substr(eq + 1)));
    if (key.empty()) return std::nullopt;
    auto it = std::find_if(result.begin(), result.end(),
                           [&key](const auto& kv) { return kv.first == key; });
    if (it != result.end()) {
      it->second = std::move(value);
    } else {
      result.emplace_back(std::move(key), std::move(value));
    }
  }
  return result;
}

// Appends an item separator. After a trailing backslash a bare ',' would read as an escaped
// comma and glue the next item onto this one, so a space goes first (items are trimmed, so the
// value still ends in the backslash).
namespace {
void AppendStringMapSeparator(std::string& out) {
  if (!out.empty() && out.back() == '\\') out += ' ';
  out += ',';
}
}  // namespace

std::string AppendStringMapEntries(std::string_view raw, const policy::StringMap& entries) {
  std::string out;
  std::string_view trimmed = Trim(raw);
  bool blank = trimmed.empty();
  if (!blank) {
    out = std::string(raw);
    // A trailing unescaped comma already separates: do not add an empty item.
    bool ends_with_separator =
        trimmed.back() == ',' && !(trimmed.size() >= 2 && trimmed[trimmed.size() - 2] == '\\');
    if (!ends_with_separator && !entries.empty()) AppendStringMapSeparator(out);
  }
  bool first = true;
  for (const auto& [key, value] : entries) {
    if (!first) AppendStringMapSeparator(out);
    first = false;
    out += EscapeStringMapText(key) + "=" + EscapeStringMapText(value);
  }
  return out;
}

std::optional<bool> ParseGoBool(std::string_view raw) {
  static constexpr std::string_view kTrue[] = {"1", "t", "T", "TRUE", "true", "True"};
  static constexpr std::string_view kFalse[] = {"0", "f", "F", "FALSE", "false", "False"};
  for (auto t : kTrue) {
    if (raw == t) return true;
  }
  for (auto f : kFalse) {
    if (raw == f) return false;
  }
  return std::nullopt;
}

GoInt ParseGoInt(std::string_view raw, int bits) {
  GoInt out;
  std::string_view digits = raw;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) {
    out.error = GoInt::Error::kSyntax;
    return out;
  }
  // Go accepts underscores only with a base prefix, which base 10 does not allow.
  const std::uint64_t limit = (std::uint64_t{1} << (bits - 1)) - (negative ? 0 : 1);
  std::uint64_t value = 0;
  bool overflow = false;
  for (char c : digits) {
    if (c < '0' || c > '9') {
      out.error = GoInt::Error::kSyntax;
      return out;
    }
    if (!overflow) {
      value = value * 10 + static_cast<std::uint64_t>(c - '0');
      if (value > limit) overflow = true;
    }
  }
  if (overflow) {
    out.error = GoInt::Error::kRange;
    return out;
  }
  out.value =
      negative ? -static_cast<std::int64_t>(value - 1) - 1 : static_cast<std::int64_t>(value);
  if (negative && value == 0) out.value = 0;
  return out;
}

ListenPortsResult ParseListenPorts(std::string_view raw) {
  ListenPortsResult result;
  GoJson parsed = ParseGoJson(raw);
  if (!parsed.error.empty()) {
    result.error = "not valid JSON: " + parsed.error;
    return result;
  }
  const json& doc = parsed.value;
  if (!doc.is_array()) {
    result.error = "expected a JSON array of objects, got " + JsonKind(doc);
    return result;
  }
  for (const auto& entry : doc) {
    if (entry.is_null()) continue;
    if (!entry.is_object()) {
      result.error =
          "each item must be a JSON object like {\"HTTPS\": 443}, got " + JsonKind(entry);
      return result;
    }
    for (const auto& [protocol, port] : entry.items()) {
      if (protocol != "HTTP" && protocol != "HTTPS") {
        result.error = "protocol " + QuoteValue(protocol) + " must be HTTP or HTTPS";
        return result;
      }
      if (!port.is_number_integer() && !port.is_number_unsigned()) {
        result.error = "port for " + protocol + " must be a JSON integer, got " + JsonKind(port) +
                       (port.is_string() ? " " + QuoteValue(port.get<std::string>()) : "");
        return result;
      }
      bool in_range = port.is_number_unsigned()
                          ? port.get<std::uint64_t>() <= 65535
                          : port.get<std::int64_t>() >= 1 && port.get<std::int64_t>() <= 65535;
      if (!in_range || (port.is_number_unsigned() && port.get<std::uint64_t>() == 0)) {
        result.error = "port " + NumberText(port) + " must be within [1, 65535]";
        return result;
      }
      result.ports.push_back({protocol, port.get<std::int64_t>()});
    }
  }
  if (result.ports.empty())
    result.error = "no listener given (need at least one {\"HTTP\"|\"HTTPS\": port})";
  return result;
}

std::optional<std::string> CheckSuccessCodes(std::string_view raw, bool grpc) {
  const int lo_limit = grpc ? 0 : 200;
  const int hi_limit = grpc ? 99 : 499;
  const std::string range = grpc ? "0-99" : "200-499";
  if (Trim(raw).empty()) return "empty (use e.g. " + std::string(grpc ? "12" : "200") + ")";
  std::size_t start = 0;
  while (start <= raw.size()) {
    std::size_t pos = raw.find(',', start);
    if (pos == std::string_view::npos) pos = raw.size();
    std::string_view item = raw.substr(start, pos - start);
    std::size_t dash = item.find('-');
    std::string_view lo_text = item.substr(0, dash);
    std::string_view hi_text = dash == std::string_view::npos ? lo_text : item.substr(dash + 1);
    auto valid_number = [grpc](std::string_view t) {
      return IsAllDigits(t) && (grpc ? t.size() <= 2 : t.size() == 3);
    };
    if (!valid_number(lo_text) || !valid_number(hi_text)) {
      return "item " + QuoteValue(item) + " is not a code or a code range like " +
             (grpc ? "0-5" : "200-299");
    }
    int lo = std::stoi(std::string(lo_text));
    int hi = std::stoi(std::string(hi_text));
    if (lo < lo_limit || hi > hi_limit || lo > hi) {
      return "item " + QuoteValue(item) + " is outside " + range;
    }
    start = pos + 1;
  }
  return std::nullopt;
}

namespace {

/// Go's quoteChar for JSON syntax errors: 'x', '\'', '"', or a quoted escape for other bytes.
std::string GoQuoteChar(char c) {
  if (c == '\'') return "'\\''";
  if (c == '"') return "'\"'";
  auto uc = static_cast<unsigned char>(c);
  if (uc >= 0x20 && uc < 0x7f) return std::string("'") + c + "'";
  char buf[8];
  std::snprintf(buf, sizeof(buf), "\"\\x%02x\"", uc);
  return buf;
}

}  // namespace

GoJson ParseGoJson(std::string_view raw) {
  GoJson out;
  if (Trim(raw).empty()) {
    out.error = "unexpected end of JSON input";
    return out;
  }
  try {
    // Same value as nlohmann's parse, faster; anything unusual (and every error) goes to nlohmann.
    if (!albwebhook::json::FastParse(raw, out.value))
      out.value = json::parse(raw.begin(), raw.end());
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    if (e.byte == 0 || e.byte > raw.size()) {
      out.error = "unexpected end of JSON input";
    } else if (what.find("expected end of input") != std::string::npos) {
      out.error = "invalid character " + GoQuoteChar(raw[e.byte - 1]) + " after top-level value";
    } else {
      out.error =
          "invalid character " + GoQuoteChar(raw[e.byte - 1]) + " looking for beginning of value";
    }
    out.value = nullptr;
  } catch (const std::exception&) {
    out.error = "invalid JSON";
    out.value = nullptr;
  }
  return out;
}

const json* GoField(const json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  if (auto it = object.find(std::string(name)); it != object.end()) return &*it;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (EqualsIgnoreCase(it.key(), name)) return &it.value();
  }
  return nullptr;
}

std::optional<JsonAnnotationProblem> ValidateConditionsJson(std::string_view raw) {
  GoJson parsed = ParseGoJson(raw);
  if (!parsed.error.empty()) return JsonAnnotationProblem{true, parsed.error};
  if (auto err = FirstTypeError(parsed.value, kRuleConditions, "", "")) {
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
  if (auto err = FirstTypeError(parsed.value, kAction, "", "")) {
    problems.push_back({true, *err});
    return problems;
  }
  const json empty = json::object();
  const json& action = parsed.value.is_object() ? parsed.value : empty;
  if (auto reason = ValidateActionRequired(action)) problems.push_back({false, *reason});
  CheckActionValues(action, problems);
  return problems;
}

std::size_t EditDistance(std::string_view a, std::string_view b, std::size_t cap) {
  std::size_t diff = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (diff > cap) return cap + 1;
  std::vector<std::size_t> prev(b.size() + 1);
  std::vector<std::size_t> cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > cap) return cap + 1;
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], cap + 1);
}

}  // namespace albwebhook::rules
