// A fast JSON parser for request bodies that builds the same nlohmann::json as nlohmann's own.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

namespace albwebhook::json {

/// Parses `text` into `out` the way nlohmann::json::parse(text) does, roughly three times faster
/// (no per-character token buffer, no SAX indirection). It covers the JSON the apiserver sends:
/// strings (escapes, \u outside surrogates, well-formed UTF-8), integers up to 18 digits,
/// literals, arrays and objects (duplicate keys: the last wins, as in nlohmann). Returns false on
/// anything else, valid or not (floats, surrogate escapes, a byte-order mark, syntax errors);
/// `out` is then unspecified and the caller parses with nlohmann, which gives the value or the
/// error. Nesting deeper than `max_depth` arrays/objects also returns false. Never throws except
/// std::bad_alloc.
bool FastParse(std::string_view text, nlohmann::json& out, int max_depth = 1024);

/// A member left out of the value: `member` of every object that is the value of a member named
/// `parent` (e.g. {"metadata", "managedFields"}).
struct SkipMember {
  std::string_view parent;
  std::string_view member;
};

/// FastParse, except that every member `skip` names is checked (the text is still refused
/// exactly when FastParse refuses it) but not built into `out`. For request bodies whose
/// metadata.managedFields (often a third of an object) nothing reads.
bool FastParseSkipping(std::string_view text, nlohmann::json& out, const SkipMember& skip,
                       int max_depth = 1024);

}  // namespace albwebhook::json
