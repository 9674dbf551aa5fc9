// Type-safe reads of a JSON object's members that never throw: nullptr / an empty view where the
// member is absent or of another type. For code that walks objects whose shape is not yet known to
// be right (the Ingress spec as sent, say), without copying strings.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace albwebhook::common {

/// Member `key` of `object`; nullptr when `object` is not an object or has no such member.
inline const nlohmann::json* JsonMember(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

/// Member `key` of `object` when it is a string (a view into `object`), else an empty view.
inline std::string_view JsonStringMember(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* value = JsonMember(object, key);
  return value != nullptr && value->is_string()
             ? std::string_view(value->get_ref<const std::string&>())
             : std::string_view();
}

}  // namespace albwebhook::common
