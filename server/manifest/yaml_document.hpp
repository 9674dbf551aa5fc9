// One YAML document to JSON (internal to the manifest loader).
#pragma once

#include <string>

#include "albwebhook/manifest/manifest.hpp"

namespace albwebhook::manifest::detail {

/// Parses the text of one document (as cut by SplitDocuments) that starts at `first_line` of
/// its file. Errors name the file line: the YAML marks are relative to `text`, and
/// `first_line` + mark.line is the line in the file. Keeping each key's source line later
/// (for reports that point at an annotation) takes exactly that sum at the one place where
/// YamlToJson inserts a key. Never throws.
ManifestDocument ParseYamlDocument(const std::string& text, int index, int first_line);

}  // namespace albwebhook::manifest::detail
