// YAML 1.2 core-schema resolution of scalars (internal to the manifest loader).
#pragma once

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <string>

namespace albwebhook::manifest::detail {

/// A document that cannot be converted: the message and where (relative to the document).
struct ConvertError {
  std::string message;
  YAML::Mark mark;
};

/// A plain (untagged, unquoted) scalar: null, bool, int, float, else the string itself.
nlohmann::json ResolvePlain(const std::string& v);

/// A scalar node by its tag: plain as ResolvePlain, quoted/block/`!!str` as strings, `!!null`,
/// `!!bool`, `!!int`, `!!float` checked (ConvertError when the text does not fit), application
/// tags (`!foo`) as their text.
nlohmann::json ResolveScalar(const YAML::Node& node);

}  // namespace albwebhook::manifest::detail
