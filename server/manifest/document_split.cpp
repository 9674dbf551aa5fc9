// A YAML stream cut into documents at its markers, each with the line it starts at.
#include "manifest/document_split.hpp"

namespace albwebhook::manifest::detail {
namespace {

bool IsMarker(std::string_view line, std::string_view marker) {
  if (!line.starts_with(marker)) return false;
  if (line.size() == marker.size()) return true;
  const char next = line[marker.size()];
  return next == ' ' || next == '\t' || next == '\r' || next == '\n';
}

// Text that is only blank lines, comments and directives (no document content).
bool HasContent(std::string_view text, bool* has_directive) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.starts_with("%")) {
      *has_directive = true;
      continue;
    }
    const std::size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos && line[first] != '#') return true;
  }
  return false;
}

}  // namespace

std::vector<Chunk> SplitDocuments(std::string_view text) {
  std::vector<Chunk> chunks;
  Chunk current;
  std::string prefix;  // directives waiting for their `---`
  int prefix_line = 0;
  auto finish = [&] {
    bool has_directive = false;
    const bool content = HasContent(current.text, &has_directive);
    if (current.explicit_start || content) {
      if (!prefix.empty()) {
        current.text = prefix + current.text;
        current.line = prefix_line;
        prefix.clear();
      }
      chunks.push_back(std::move(current));
    } else if (has_directive) {
      if (prefix.empty()) prefix_line = current.line;
      prefix += current.text;
    }
  };
  int line_number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    const std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
    const std::string_view line = text.substr(pos, next - pos);
    pos = next;
    ++line_number;
    if (IsMarker(line, "---")) {
      finish();
      current = Chunk{std::string(line), line_number, true};
    } else if (IsMarker(line, "...")) {
      finish();
      current = Chunk{"", line_number + 1, false};
    } else {
      current.text.append(line);
    }
  }
  finish();
  return chunks;
}

}  // namespace albwebhook::manifest::detail
