// A small emulator of Go's encoding/json, enough to judge LBC annotations the way the LBC's
// json.Unmarshal would: syntax errors worded like Go's, field lookup with Go's case folding, and
// the first "cannot unmarshal" type error of a value against a described Go type. Pure functions;
// they never throw.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace albwebhook::rules {

/// Parses JSON the way Go's encoding/json reports syntax errors. On failure `error` holds a Go-like
/// message ("unexpected end of JSON input", "invalid character 'x' looking for beginning of
/// value").
struct GoJson {
  nlohmann::json value;
  std::string error;  // empty = parsed
};
GoJson ParseGoJson(std::string_view raw);

/// Go encoding/json field lookup on a JSON object: exact name first, then ASCII case-insensitive.
/// nullptr when absent or when `object` is not an object.
const nlohmann::json* GoField(const nlohmann::json& object, std::string_view name);
/// A Go pointer field: GoField, but nullptr when the value is JSON null.
const nlohmann::json* GoPtr(const nlohmann::json& object, std::string_view name);
/// A Go string field: its value, "" when absent, null or not a string.
std::string GoString(const nlohmann::json& object, std::string_view name);
/// The length of a Go slice field, 0 when absent, null or not an array.
std::size_t GoLen(const nlohmann::json& object, std::string_view name);

/// A Go type as far as unmarshalling JSON into it goes.
enum class GoKind { kString, kBool, kInt32, kIntOrString, kStruct, kSlice };
struct GoType {
  GoKind kind;
  std::string_view name;  // Go type name as encoding/json prints it
  std::vector<std::pair<std::string_view, const GoType*>> fields;  // kStruct
  const GoType* elem = nullptr;                                    // kSlice
};

extern const GoType kGoString;
extern const GoType kGoStringSlice;
extern const GoType kGoBool;
extern const GoType kGoInt32;
extern const GoType kGoIntOrString;

/// The first error json.Unmarshal would report for `value` into a value of `type`
/// ("json: cannot unmarshal number into Go struct field Action.type of type string"); nullopt
/// when it unmarshals. Unknown object keys are ignored and null leaves the zero value, as in Go.
/// Recursion is bounded by the depth of the Go type, not of the input.
std::optional<std::string> GoUnmarshalTypeError(const nlohmann::json& value, const GoType& type);

}  // namespace albwebhook::rules
