// Parsers for alb.ingress.kubernetes.io annotation values, following the LBC's parsing rules
// (lbc-annotations.md "Generic parser behaviour"). Pure functions: they never throw, whatever the
// input. Each parser is a separate entry point so it can be fuzzed on its own.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "albwebhook/policy/policy.hpp"

namespace albwebhook::rules {

inline constexpr std::string_view kAlbAnnotationPrefix = "alb.ingress.kubernetes.io/";
inline constexpr std::string_view kIngressClassAnnotation = "kubernetes.io/ingress.class";

/// A user value ready to embed in a message: double-quoted, `"`/`\`/control characters escaped,
/// and shortened to its first `max_bytes - 3` bytes + "..." when longer than `max_bytes` (cut on a
/// UTF-8 boundary). Denials use the default 60; warnings (truncated to 120 characters by the
/// admission adapter) use kWarningValueBytes.
inline constexpr std::size_t kWarningValueBytes = 24;
std::string QuoteValue(std::string_view value, std::size_t max_bytes = 60);

/// LBC stringList: split on `,`, items trimmed, empty items dropped. Never fails.
std::vector<std::string> ParseStringList(std::string_view raw);

/// LBC stringMap `k1=v1,k2=v2`: items split on unescaped `,` (`\,` is a literal comma), trimmed,
/// empty items dropped; each item split on its first `=`; key and value trimmed; empty value
/// allowed. nullopt when an item has no `=` or an empty key. A repeated key keeps its first
/// position and its last value (Go map semantics).
std::optional<policy::StringMap> ParseStringMap(std::string_view raw);

/// Appends `entries` to the stringMap text `raw` without touching the user's text: `raw` + "," +
/// `k=v`... (commas in keys/values escaped as `\,`). `raw` empty or blank: just the entries.
std::string AppendStringMapEntries(std::string_view raw, const policy::StringMap& entries);

/// Go strconv.ParseBool: 1 t T TRUE true True 0 f F FALSE false False.
std::optional<bool> ParseGoBool(std::string_view raw);

/// Go strconv.ParseInt(raw, 10, bits): optional sign, decimal digits, no spaces.
struct GoInt {
  enum class Error { kNone, kSyntax, kRange };
  std::int64_t value = 0;
  Error error = Error::kNone;
};
GoInt ParseGoInt(std::string_view raw, int bits);

/// One entry of the listen-ports annotation.
struct ListenPort {
  std::string protocol;  // HTTP or HTTPS
  std::int64_t port = 0;
};
/// listen-ports: a non-empty JSON array of objects whose keys are `HTTP`/`HTTPS` and whose values
/// are JSON integers in [1, 65535]. On failure `error` holds the reason (without key or value).
struct ListenPortsResult {
  std::vector<ListenPort> ports;  // document order
  std::string error;              // empty = parsed
};
ListenPortsResult ParseListenPorts(std::string_view raw);

/// success-codes / matcher: `200`, `200,202`, `200-299` (and mixes); HTTP codes 200-499,
/// gRPC codes 0-99. Returns the reason when malformed, nullopt when accepted.
std::optional<std::string> CheckSuccessCodes(std::string_view raw, bool grpc);

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

/// A problem found in a JSON annotation (actions.* / conditions.*).
struct JsonAnnotationProblem {
  bool json_error = false;  // true: text is a Go-like unmarshal error; false: a validation reason
  std::string text;
};

/// conditions.<name>: JSON `[]RuleCondition` checked like the LBC's RuleCondition.Validate().
/// Returns the first problem (LBC's exact reason text), nullopt when accepted.
std::optional<JsonAnnotationProblem> ValidateConditionsJson(std::string_view raw);

/// actions.<name>: JSON `Action` checked like the LBC (first required-field problem, exact text),
/// followed by value problems AWS would reject (status codes, content type, ports, weights...).
/// An empty vector means accepted.
std::vector<JsonAnnotationProblem> ValidateActionJson(std::string_view raw);

/// Levenshtein distance, capped: returns `cap + 1` as soon as the distance exceeds `cap`.
std::size_t EditDistance(std::string_view a, std::string_view b, std::size_t cap);

}  // namespace albwebhook::rules
