// Kubernetes manifests read offline: a multi-document YAML stream or a JSON text, each document
// converted to JSON the way kubectl reads it. Used by `alb-webhook check`; meant for any other
// offline reader of manifests too.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace albwebhook::manifest {

/// Nesting levels allowed in one document (YAML or JSON).
inline constexpr int kMaxDepth = 256;
/// Nodes allowed in one YAML document once its aliases are expanded (alias bombs).
inline constexpr std::size_t kMaxNodes = 1000000;

/// One document of a manifest stream.
struct ManifestDocument {
  int index = 0;       // 1-based position among the stream's documents (empty ones included)
  int line = 0;        // 1-based line where the document starts
  bool empty = false;  // no content, or an explicit null
  nlohmann::json value;
  std::string error;  // non-empty: the document could not be read (value is null)
};

/// Splits a YAML stream (or a JSON text) into documents and converts each to JSON the way the
/// Kubernetes tools do: plain scalars resolve by the YAML 1.2 core schema (null, bool, int, float,
/// else string), quoted and block scalars and `!!str` are strings, merge keys (`<<`) are applied.
/// A broken document gets an error (with the file line) and does not stop the others.
/// Never throws.
std::vector<ManifestDocument> ParseManifests(std::string_view text);

}  // namespace albwebhook::manifest
