#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace albwebhook::json {

/// RFC 6902 patch that turns `original` into `mutated`. Keys are JSON-pointer escaped
/// (`/` -> `~1`, `~` -> `~0`). Empty array when they are equal. Adding a key under an absent
/// object adds the whole object (so `/metadata/annotations` is created when missing).
nlohmann::json MakePatch(const nlohmann::json& original, const nlohmann::json& mutated);

/// Escapes one JSON-pointer reference token.
std::string EscapePointerToken(std::string_view token);

/// Standard base64 (RFC 4648 alphabet, `=` padding), as the apiserver expects for `response.patch`.
std::string Base64Encode(std::string_view bytes);

}  // namespace albwebhook::json
