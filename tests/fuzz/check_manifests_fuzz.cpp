// Fuzz target: `alb-webhook check` manifest reading (cli::ParseManifests: multi-document YAML or
// JSON to JSON, with its line map), then the whole check command on the same text from stdin, in
// every output format, so List expansion, evaluation and reporting see fuzzed documents too.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "cli/check.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace albwebhook;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto docs = cli::ParseManifests(text, manifest::Positions::kKeep);
  int previous = 0;
  for (const auto& doc : docs) {
    FUZZ_CHECK(doc.index > previous);
    previous = doc.index;
    FUZZ_CHECK(doc.line >= 1);
    if (!doc.error.empty()) FUZZ_CHECK(doc.value.is_null() && doc.lines.empty());
    FUZZ_CHECK(doc.lines.size() <= manifest::kMaxPositions);
    for (const auto& [pointer, line] : doc.lines) FUZZ_CHECK(line >= doc.line);
  }
  for (const char* format : {"text", "json", "sarif", "junit", "github"}) {
    std::istringstream in{std::string(text)};
    std::ostringstream out;
    std::ostringstream err;
    const int rc = cli::RunCheckWith({"--output", format, "-"}, in, out, err);
    FUZZ_CHECK(rc == 0 || rc == 1 || rc == 2);
    if ((std::string_view(format) == "json" && rc != 2) || std::string_view(format) == "sarif") {
      FUZZ_CHECK(!nlohmann::json::parse(out.str(), nullptr, false).is_discarded());
    }
  }
  return 0;
}
