// One YAML document to JSON (internal to the manifest loader).
#pragma once

#include <string>

#include "albwebhook/manifest/manifest.hpp"

namespace albwebhook::manifest::detail {

/// Parses the text of one document (as cut by SplitDocuments) that starts at `first_line` of
/// its file. Errors name the file line: the YAML marks are relative to `text`, and
/// `first_line` + mark.line is the line in the file; with Positions::kKeep, doc.lines holds that
/// line for every key and list item (and the document's first node). Never throws.
ManifestDocument ParseYamlDocument(const std::string& text, int index, int first_line,
                                   Positions positions);

}  // namespace albwebhook::manifest::detail
