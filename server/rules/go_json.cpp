#include "rules/go_json.hpp"

#include <cstdint>
#include <cstdio>
#include <limits>

#include "albwebhook/json/json_parse.hpp"
#include "common/json_type.hpp"
#include "common/text.hpp"

namespace albwebhook::rules {
namespace {

using nlohmann::json;

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

std::string TypeError(const json& value, std::string_view struct_name, const std::string& path,
                      std::string_view type_name) {
  std::string what = common::JsonTypeName(value, common::JsonTypeWording::kGo);
  if (value.is_number()) what += " " + common::JsonText(value);
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
    if (common::EqualsIgnoreCase(name, key)) {
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

const GoType kGoString{GoKind::kString, "string", {}, nullptr};
const GoType kGoStringSlice{GoKind::kSlice, "[]string", {}, &kGoString};
const GoType kGoBool{GoKind::kBool, "bool", {}, nullptr};
const GoType kGoInt32{GoKind::kInt32, "int32", {}, nullptr};
const GoType kGoIntOrString{GoKind::kIntOrString, "intstr.IntOrString", {}, nullptr};

std::optional<std::string> GoUnmarshalTypeError(const json& value, const GoType& type) {
  return FirstTypeError(value, type, "", "");
}

GoJson ParseGoJson(std::string_view raw) {
  GoJson out;
  if (common::Trim(raw).empty()) {
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
  if (auto it = object.find(name); it != object.end()) return &*it;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (common::EqualsIgnoreCase(it.key(), name)) return &it.value();
  }
  return nullptr;
}

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

}  // namespace albwebhook::rules
