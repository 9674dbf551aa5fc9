// Go duration parsing (include/albwebhook/util/duration.hpp).
#include "albwebhook/util/duration.hpp"

#include <charconv>
#include <system_error>

namespace albwebhook::util {

namespace {

using Millis = std::chrono::milliseconds;

bool IsNumberChar(char c) { return (c >= '0' && c <= '9') || c == '.'; }

// Milliseconds per unit, or 0 for an unknown unit.
double MillisPerUnit(std::string_view unit) {
  if (unit == "h") return 3600000;
  if (unit == "m") return 60000;
  if (unit == "s") return 1000;
  if (unit == "ms") return 1;
  if (unit == "us" || unit == "\xc2\xb5s" || unit == "\xce\xbcs") return 0.001;
  if (unit == "ns") return 0.000001;
  return 0;
}

}  // namespace

Millis ParseGoDuration(std::string_view text) {
  if (text.empty()) return Millis(-1);
  if (text == "0") return Millis(0);
  double total_ms = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    while (i < text.size() && IsNumberChar(text[i])) ++i;
    if (start == i) return Millis(-1);
    double value = 0;
    auto [ptr, ec] = std::from_chars(text.data() + start, text.data() + i, value);
    if (ec != std::errc() || ptr != text.data() + i) return Millis(-1);
    const std::size_t unit_start = i;
    while (i < text.size() && !IsNumberChar(text[i])) ++i;
    const double scale = MillisPerUnit(text.substr(unit_start, i - unit_start));
    if (scale == 0) return Millis(-1);
    total_ms += value * scale;
    if (total_ms > 86400000.0) return Millis(-1);
  }
  return Millis(static_cast<long long>(total_ms));
}

}  // namespace albwebhook::util
