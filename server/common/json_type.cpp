#include "common/json_type.hpp"

namespace albwebhook::common {

std::string JsonTypeName(const nlohmann::json& value, JsonTypeWording wording) {
  using value_t = nlohmann::json::value_t;
  const bool article = wording == JsonTypeWording::kArticle;
  switch (value.type()) {
    case value_t::null:
      return "null";
    case value_t::object:
      return article ? "an object" : "object";
    case value_t::array:
      return article ? "an array" : "array";
    case value_t::string:
      return article ? "a string" : "string";
    case value_t::boolean:
      if (wording == JsonTypeWording::kGo) return "bool";
      return article ? "a boolean" : "boolean";
    case value_t::number_integer:
    case value_t::number_unsigned:
    case value_t::number_float:
      return article ? "a number" : "number";
    case value_t::binary:
    case value_t::discarded:
      break;
  }
  if (wording == JsonTypeWording::kGo) return "null";
  if (article) return "a number";
  return value.type_name();
}

std::string JsonText(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace albwebhook::common
