// Text utilities shared by the rules, the policy parser and the admission layer: ASCII helpers,
// list joining, UTF-8 lengths, a capped edit distance, and quoting user values for messages. Pure
// functions; nothing here throws (beyond std::bad_alloc) or depends on the locale.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace albwebhook::common {

/// `text` without leading and trailing ASCII whitespace (" \t\n\r\f\v").
std::string_view Trim(std::string_view text);

bool IsAsciiDigit(char c);
bool IsAsciiLower(char c);
bool IsAsciiUpper(char c);
bool IsAsciiAlpha(char c);
bool IsAsciiAlnum(char c);
/// `[a-z0-9]`.
bool IsLowerAlnum(char c);
/// `[0-9a-f]`.
bool IsLowerHex(char c);
char LowerAscii(char c);

/// True when `text` is non-empty and every character satisfies `pred`.
template <typename Pred>
bool AllChars(std::string_view text, Pred pred) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!pred(c)) return false;
  }
  return true;
}
/// One or more ASCII digits.
bool IsAllDigits(std::string_view text);

/// ASCII case-insensitive equality.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
/// `text` with A-Z lowered (other bytes unchanged).
std::string ToLowerAscii(std::string_view text);
bool StartsWith(std::string_view text, std::string_view prefix);

/// `items` joined by `separator`; `if_empty` when there are none (e.g. "none" in allow lists).
std::string JoinList(std::span<const std::string_view> items, std::string_view separator = ", ",
                     std::string_view if_empty = {});
std::string JoinList(const std::vector<std::string>& items, std::string_view separator = ", ",
                     std::string_view if_empty = {});

/// Number of UTF-8 code points, counted as bytes that are not continuation bytes (10xxxxxx).
std::size_t Utf8Length(std::string_view text);

/// Levenshtein distance, capped: returns `cap + 1` as soon as the distance exceeds `cap`.
std::size_t EditDistance(std::string_view a, std::string_view b, std::size_t cap);

// Quoting user values for messages (denials, warnings, findings). One function, two escape
// conventions, because existing messages must stay byte-identical: annotation messages escape every
// control byte as \u00XX and cut on a UTF-8 boundary; TargetGroupBinding messages are JSON strings
// as nlohmann::json dumps them (\n, \t..., invalid UTF-8 replaced by U+FFFD).
enum class QuoteEscapes {
  /// `"` and `\` backslash-escaped, bytes < 0x20 and 0x7f as \u00XX, other bytes as they are.
  /// A value over the limit keeps its first `max_bytes - 3` bytes, cut on a UTF-8 boundary
  /// (`max_bytes` is at least 4).
  kControlAsUnicode,
  /// A JSON string as nlohmann::json dumps it (short escapes, invalid UTF-8 -> U+FFFD).
  /// A value over the limit keeps its first `max_bytes` bytes.
  kJson,
  /// Go's %q (strconv.Quote), as Kubernetes field errors print values: `"` and `\` escaped,
  /// control bytes as \a \b \f \n \r \t \v or \xNN, bytes that are not UTF-8 as \xNN, the
  /// rest as is. A value over the limit keeps its first `max_bytes` bytes.
  kGo,
};

/// `value` double-quoted and escaped; when longer than `max_bytes`, shortened and "..." added
/// inside the quotes.
std::string Quote(std::string_view value, std::size_t max_bytes,
                  QuoteEscapes escapes = QuoteEscapes::kControlAsUnicode);

/// Annotation values in messages: Quote(value, max_bytes, kControlAsUnicode). Denials use the
/// default 60; warnings (truncated to 120 characters by the admission adapter) use
/// kWarningValueBytes.
inline constexpr std::size_t kWarningValueBytes = 24;
std::string QuoteValue(std::string_view value, std::size_t max_bytes = 60);

}  // namespace albwebhook::common
