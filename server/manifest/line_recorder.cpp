// Recording a document's line map (see line_recorder.hpp).
#include "manifest/line_recorder.hpp"

#include "albwebhook/util/json_pointer.hpp"

namespace albwebhook::manifest::detail {

std::size_t LineRecorder::Enter(std::string_view key, int line) {
  if (lines_ == nullptr) return 0;
  const std::size_t mark = pointer_.size();
  util::AppendPointerToken(pointer_, key);
  Record(line);
  return mark;
}

std::size_t LineRecorder::Enter(std::size_t index, int line) {
  if (lines_ == nullptr) return 0;
  return Enter(std::to_string(index), line);
}

void LineRecorder::Record(int line) {
  if (lines_ == nullptr || lines_->size() >= kMaxPositions || pointer_.size() > kMaxPointerBytes)
    return;
  lines_->emplace(pointer_, line);
}

}  // namespace albwebhook::manifest::detail
