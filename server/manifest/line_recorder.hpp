// The line map of one document as its values are converted (internal to the manifest loader).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "albwebhook/manifest/manifest.hpp"

namespace albwebhook::manifest::detail {

/// Walks a document's values depth first: Enter a member or item (recording its line), convert
/// it, Leave. Records nothing (and builds no pointer) without a map; keeps the first line given
/// for a pointer (keys written in a mapping win over merged ones); stops at kMaxPositions
/// entries and skips pointers longer than kMaxPointerBytes.
class LineRecorder {
 public:
  explicit LineRecorder(LineMap* lines) : lines_(lines) {}

  /// The document's value itself ("").
  void Root(int line) { Record(line); }
  /// Into member `key` or item `index` of the current value; returns what Leave needs.
  std::size_t Enter(std::string_view key, int line);
  std::size_t Enter(std::size_t index, int line);
  void Leave(std::size_t mark) {
    if (lines_ != nullptr) pointer_.resize(mark);
  }

 private:
  void Record(int line);

  LineMap* lines_;
  std::string pointer_;
};

}  // namespace albwebhook::manifest::detail
