// JSON pointers (RFC 6901): JSON patch paths and the manifest loader's line map.
#pragma once

#include <string>
#include <string_view>

namespace albwebhook::util {

/// Appends "/" and `token` as one reference token (`~` -> `~0`, `/` -> `~1`) to `pointer`.
void AppendPointerToken(std::string& pointer, std::string_view token);

}  // namespace albwebhook::util
