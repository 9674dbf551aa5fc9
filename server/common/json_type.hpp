// The name of a JSON value's type in messages. One function; the three wordings in use are kept
// because messages must stay byte-identical: Go's encoding/json ("bool", in its unmarshal errors),
// nlohmann::json's type_name() ("boolean"), and with an article ("a boolean", "expected ..., got").
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace albwebhook::common {

enum class JsonTypeWording {
  kJson,     // null, object, array, string, boolean, number (as nlohmann::json::type_name())
  kGo,       // null, object, array, string, bool, number (as Go's encoding/json names them)
  kArticle,  // null, an object, an array, a string, a boolean, a number
};

/// The type of `value` in `wording`. Binary and discarded values (never produced by parsing JSON
/// text) are named as nlohmann::json names them in kJson, "null" in kGo and "a number" in
/// kArticle.
std::string JsonTypeName(const nlohmann::json& value,
                         JsonTypeWording wording = JsonTypeWording::kJson);

/// `value` as compact JSON text (numbers as written: 80, 1.5, -3); invalid UTF-8 in strings is
/// replaced by U+FFFD rather than throwing.
std::string JsonText(const nlohmann::json& value);

}  // namespace albwebhook::common
