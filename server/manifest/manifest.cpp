// Manifest streams: JSON when the text starts with '{' (as kubectl decides), else YAML cut into
// documents, each converted on its own so that one broken document does not hide the others.
#include "albwebhook/manifest/manifest.hpp"

#include <algorithm>
#include <istream>
#include <sstream>

#include "manifest/document_split.hpp"
#include "manifest/json_lines.hpp"
#include "manifest/yaml_document.hpp"

namespace albwebhook::manifest {
namespace {

using nlohmann::json;

bool DeeperThan(const json& value, int limit) {
  if (limit < 0) return true;
  if (!value.is_structured()) return false;
  for (const auto& child : value) {
    if (DeeperThan(child, limit - 1)) return true;
  }
  return false;
}

std::string WithoutJsonExceptionPrefix(std::string message) {
  if (message.starts_with("[json.exception.")) {
    const auto close = message.find("] ");
    if (close != std::string::npos) message.erase(0, close + 2);
  }
  return message;
}

// One or more concatenated JSON values; reading stops at the first broken one (the rest of the
// stream cannot be framed).
std::vector<ManifestDocument> ParseJsonStream(std::string_view text, Positions positions) {
  std::vector<ManifestDocument> docs;
  std::istringstream stream{std::string(text)};
  while (true) {
    stream >> std::ws;
    if (stream.peek() == std::char_traits<char>::eof()) break;
    ManifestDocument doc;
    doc.index = static_cast<int>(docs.size()) + 1;
    const auto offset = static_cast<std::size_t>(stream.tellg());
    doc.line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
    try {
      stream >> doc.value;
    } catch (const json::exception& e) {
      doc.value = nullptr;
      doc.error = "invalid JSON: " + WithoutJsonExceptionPrefix(e.what());
    }
    if (doc.error.empty() && DeeperThan(doc.value, kMaxDepth)) {
      doc.value = nullptr;
      doc.error = "invalid JSON: nested deeper than " + std::to_string(kMaxDepth) + " levels";
    }
    if (doc.error.empty() && positions == Positions::kKeep)
      detail::RecordJsonLines(text.substr(offset), &doc);
    const bool stop = !doc.error.empty();
    docs.push_back(std::move(doc));
    if (stop) break;
  }
  return docs;
}

}  // namespace

int ManifestDocument::LineOf(std::string_view pointer) const {
  while (true) {
    if (const auto it = lines.find(std::string(pointer)); it != lines.end()) return it->second;
    if (pointer.empty()) return line;
    const std::size_t slash = pointer.rfind('/');
    pointer = pointer.substr(0, slash == std::string_view::npos ? 0 : slash);
  }
}

std::vector<ManifestDocument> ParseManifests(std::string_view text, Positions positions) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{')
    return ParseJsonStream(text, positions);
  std::vector<ManifestDocument> docs;
  int index = 0;
  for (const auto& chunk : detail::SplitDocuments(text)) {
    docs.push_back(detail::ParseYamlDocument(chunk.text, ++index, chunk.line, positions));
  }
  return docs;
}

}  // namespace albwebhook::manifest
