// A YAML stream cut into documents (internal to the manifest loader).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace albwebhook::manifest::detail {

/// One document's text and the file line it starts at.
struct Chunk {
  std::string text;
  int line = 1;
  bool explicit_start = false;
};

/// Splits a YAML stream at document markers (`---`, `...` at column 0; the YAML spec forbids them
/// inside content), so one broken document does not hide the others. Directives stay with the
/// document they precede; text with no content and no `---` is no document.
std::vector<Chunk> SplitDocuments(std::string_view text);

}  // namespace albwebhook::manifest::detail
