// JSON string text without a DOM: the scan the parser and the writers share, and the writer of
// the AdmissionReview answer's and the log lines' strings.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace albwebhook::util {

/// The length of the run of bytes at the start of `text` that a JSON string holds as they are
/// and that are ASCII: up to the first '"', '\\', control character (< 0x20) or byte >= 0x80.
/// Eight bytes at a time (the JSON parser's strings, AppendJsonString).
inline std::size_t PlainAsciiPrefix(std::string_view text) {
  static_assert(std::endian::native == std::endian::little);
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  // A flag (0x80) in each byte of `v` that is special. The lowest flag is exact (the borrows of
  // the subtractions only run upwards, past a true match), so the first special byte is at
  // countr_zero / 8; flags above it may be spurious.
  auto special = [](std::uint64_t v) {
    auto has_zero = [](std::uint64_t x) { return (x - kOnes) & ~x & kHigh; };
    const std::uint64_t below_space = (v - kOnes * 0x20) & ~v & kHigh;
    return below_space | has_zero(v ^ (kOnes * '"')) | has_zero(v ^ (kOnes * '\\')) | (v & kHigh);
  };
  std::size_t i = 0;
  for (; text.size() - i >= 8; i += 8) {
    std::uint64_t v;
    std::memcpy(&v, text.data() + i, 8);
    if (const std::uint64_t flags = special(v); flags != 0) {
      return i + static_cast<std::size_t>(std::countr_zero(flags)) / 8;
    }
  }
  for (; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
  }
  return i;
}

/// Appends `text` as a JSON string, byte for byte what nlohmann's dump (no ensure_ascii, invalid
/// UTF-8 replaced by U+FFFD) writes for it. ASCII is escaped here in one pass over plain runs;
/// text with a byte >= 0x80 goes through nlohmann's serializer, which checks and repairs its UTF-8.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace albwebhook::util
