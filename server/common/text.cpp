#include "common/text.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace albwebhook::common {

std::string_view Trim(std::string_view text) {
  const char* ws = " \t\n\r\f\v";
  std::size_t first = text.find_first_not_of(ws);
  if (first == std::string_view::npos) return {};
  std::size_t last = text.find_last_not_of(ws);
  return text.substr(first, last - first + 1);
}

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAsciiAlpha(char c) { return IsAsciiLower(c) || IsAsciiUpper(c); }
bool IsAsciiAlnum(char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c); }
bool IsLowerAlnum(char c) { return IsAsciiLower(c) || IsAsciiDigit(c); }
bool IsLowerHex(char c) { return IsAsciiDigit(c) || (c >= 'a' && c <= 'f'); }
char LowerAscii(char c) { return IsAsciiUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsAllDigits(std::string_view text) { return AllChars(text, IsAsciiDigit); }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

std::string ToLowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

namespace {

template <typename Items>
std::string Join(const Items& items, std::string_view separator, std::string_view if_empty) {
  if (items.empty()) return std::string(if_empty);
  std::string out;
  bool first = true;
  for (const auto& item : items) {
    if (!first) out += separator;
    first = false;
    out += item;
  }
  return out;
}

}  // namespace

std::string JoinList(std::span<const std::string_view> items, std::string_view separator,
                     std::string_view if_empty) {
  return Join(items, separator, if_empty);
}

std::string JoinList(const std::vector<std::string>& items, std::string_view separator,
                     std::string_view if_empty) {
  return Join(items, separator, if_empty);
}

std::size_t Utf8Length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::size_t EditDistance(std::string_view a, std::string_view b, std::size_t cap) {
  std::size_t diff = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (diff > cap) return cap + 1;
  std::vector<std::size_t> prev(b.size() + 1);
  std::vector<std::size_t> cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > cap) return cap + 1;
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], cap + 1);
}

namespace {

std::string EscapeControlAsUnicode(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    auto uc = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (uc < 0x20 || uc == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", uc);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

/// The JSON string dump of `value` without its surrounding quotes.
std::string EscapeJson(std::string_view value) {
  std::string dumped = nlohmann::json(std::string(value))
                           .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return dumped.substr(1, dumped.size() - 2);
}

}  // namespace

namespace {

constexpr char kGoHex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence starting at text[i] (1-4), or 0 when it is not one.
std::size_t Utf8SequenceAt(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > text.size() || (n == 2 && c < 0xc2)) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return 0;
  }
  return n;
}

void AppendGoByteEscape(std::string& out, unsigned char c) {
  static constexpr std::string_view kShort = "abtnvfr";  // \a=7 ... \r=13
  if (c >= '\a' && c <= '\r') {
    out += '\\';
    out += kShort[c - '\a'];
    return;
  }
  out += "\\x";
  out += kGoHex[c >> 4];
  out += kGoHex[c & 0xf];
}

std::string EscapeGo(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = (c < 0x20 || c == 0x7f) ? 0 : Utf8SequenceAt(text, i);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
      ++i;
    } else if (n == 0) {
      AppendGoByteEscape(out, c);
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace

std::string Quote(std::string_view value, std::size_t max_bytes, QuoteEscapes escapes) {
  if (escapes == QuoteEscapes::kGo) {
    const bool shortened = value.size() > max_bytes;
    return "\"" + EscapeGo(value.substr(0, max_bytes)) + (shortened ? "...\"" : "\"");
  }
  const bool json = escapes == QuoteEscapes::kJson;
  if (!json && max_bytes < 4) max_bytes = 4;  // room for one byte and "..."
  bool shortened = false;
  if (value.size() > max_bytes) {
    std::size_t cut = json ? max_bytes : max_bytes - 3;
    // Do not split a UTF-8 sequence: back off over continuation bytes.
    while (!json && cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
    value = value.substr(0, cut);
    shortened = true;
  }
  std::string out = "\"";
  out += json ? EscapeJson(value) : EscapeControlAsUnicode(value);
  if (shortened) out += "...";
  out += '"';
  return out;
}

std::string QuoteValue(std::string_view value, std::size_t max_bytes) {
  return Quote(value, max_bytes, QuoteEscapes::kControlAsUnicode);
}

}  // namespace albwebhook::common
