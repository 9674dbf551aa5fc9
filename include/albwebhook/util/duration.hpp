// Go duration strings ("10s", "1m30s", "500ms"): the apiserver's ?timeout= on webhook requests and
// the --shutdown-grace flag.
#pragma once

#include <chrono>
#include <string_view>

namespace albwebhook::util {

/// Parses a Go duration ("10s", "1m30s", "500ms", "1.5s"): one or more decimal numbers, each with
/// a unit of h, m, s, ms, us (or µs), ns; "0" alone is zero. Truncates to whole milliseconds.
/// Returns a negative value when malformed (no sign is accepted) or longer than 24 hours.
std::chrono::milliseconds ParseGoDuration(std::string_view text);

}  // namespace albwebhook::util
