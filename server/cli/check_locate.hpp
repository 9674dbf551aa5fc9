// What a finding of `alb-webhook check` points at in its object (internal to the check command).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace albwebhook::cli::check {

/// The JSON pointer, relative to `object`, of the annotation or field a finding is about, from
/// its wording (findings carry no field path): the first annotation key of the object (one with a
/// prefix: `x/y`) that the message names as a whole word, or the first `spec.` field path it names
/// (`spec.a.b[2].c`), whichever comes first; else the annotation the check is named after
/// (`scheme`, and the Ingress policy rules' subjects: `ingress.rules.internetFacing` -> scheme) or
/// the spec field
/// (`nodeSelector`), when the object has it; else "" (the object itself).
std::string FindingPointer(const nlohmann::json& object, std::string_view check,
                           std::string_view message);

/// FindingPointer for the many findings of one object: what it needs of the object is read once.
class FindingLocator {
 public:
  explicit FindingLocator(const nlohmann::json& object);
  std::string Pointer(std::string_view check, std::string_view message) const;

 private:
  const nlohmann::json& object_;
  const nlohmann::json* annotations_;
  std::vector<std::string_view> irregular_keys_;  // with '/' and a character not of a word
};

}  // namespace albwebhook::cli::check
