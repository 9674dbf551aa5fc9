// Kubernetes manifests read offline: a multi-document YAML stream or a JSON text, each document
// converted to JSON the way kubectl reads it. Used by `alb-webhook check`; meant for any other
// offline reader of manifests too.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace albwebhook::manifest {

/// Nesting levels allowed in one document (YAML or JSON).
inline constexpr int kMaxDepth = 256;
/// Nodes allowed in one YAML document once its aliases are expanded (alias bombs).
inline constexpr std::size_t kMaxNodes = 1000000;

/// Where a document's values stand in the file: JSON pointer (RFC 6901: `/metadata/annotations/
/// alb.ingress.kubernetes.io~1scheme`, `/items/0`; "" is the document's value) -> 1-based line of
/// the value's key (a mapping member) or of the value itself (the document, a list item).
using LineMap = std::unordered_map<std::string, int>;

/// Positions kept per document at most, and the longest pointer kept (hostile input: alias
/// expansion, huge keys); values beyond them fall back to their nearest kept ancestor.
inline constexpr std::size_t kMaxPositions = 100000;
inline constexpr std::size_t kMaxPointerBytes = 1024;

/// One document of a manifest stream.
struct ManifestDocument {
  int index = 0;       // 1-based position among the stream's documents (empty ones included)
  int line = 0;        // 1-based line where the document starts
  bool empty = false;  // no content, or an explicit null
  nlohmann::json value;
  std::string error;  // non-empty: the document could not be read (value is null)
  LineMap lines;      // filled with Positions::kKeep: where each value's key or value stands

  /// The line of `pointer`, else of its nearest ancestor in `lines`, else `line`.
  int LineOf(std::string_view pointer) const;
};

/// Whether ParseManifests records ManifestDocument::lines (a map entry per value: only for
/// readers that report positions).
enum class Positions { kSkip, kKeep };

/// Splits a YAML stream (or a JSON text) into documents and converts each to JSON the way the
/// Kubernetes tools do: plain scalars resolve by the YAML 1.2 core schema (null, bool, int, float,
/// else string), quoted and block scalars and `!!str` are strings, merge keys (`<<`) are applied.
/// A broken document gets an error (with the file line) and does not stop the others.
/// Never throws.
std::vector<ManifestDocument> ParseManifests(std::string_view text,
                                             Positions positions = Positions::kSkip);

}  // namespace albwebhook::manifest
