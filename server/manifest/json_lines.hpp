// The line map of a JSON document (internal to the manifest loader).
#pragma once

#include <string_view>

#include "albwebhook/manifest/manifest.hpp"

namespace albwebhook::manifest::detail {

/// Records in doc->lines the line of every member and item of the JSON value at the start of
/// `text` (a document that parsed: its first character is on line doc->line). Never throws.
void RecordJsonLines(std::string_view text, ManifestDocument* doc);

}  // namespace albwebhook::manifest::detail
