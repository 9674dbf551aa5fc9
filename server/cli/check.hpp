// `alb-webhook check` internals, exposed for tests.
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace albwebhook::cli {

/// RunCheck with its standard streams passed in: `-` reads `in`, results go to `out`, problems
/// with the input to `err`. Returns the exit code (0 all allowed, 1 something denied, 2 bad input
/// or config). Never throws.
int RunCheckWith(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                 std::ostream& err);

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

}  // namespace albwebhook::cli
