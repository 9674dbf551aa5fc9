// Fuzz target: every annotation value parser in server/rules/annotation_parsers.hpp on the same
// bytes (they are all cheap), plus EditDistance on the two halves of the input.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "rules/annotation_parsers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace albwebhook::rules;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);

  (void)QuoteValue(raw, kWarningValueBytes);
  (void)QuoteValue(raw);
  (void)ParseStringList(raw);

  // Appending to a well-formed map gives a well-formed map in which every appended entry is
  // found intact (the added separator must not be escaped by the user's trailing text).
  const bool well_formed = ParseStringMap(raw).has_value();
  const albwebhook::policy::StringMap entry_sets[] = {
      {{"cost-center", "platform"}, {"team", "a"}},
      {{"path", R"(C:\)"}, {"list", "a,b"}, {"empty", ""}},
  };
  for (const auto& entries : entry_sets) {
    const auto merged = ParseStringMap(AppendStringMapEntries(raw, entries));
    if (!well_formed) continue;
    FUZZ_CHECK(merged.has_value());
    for (const auto& [key, value] : entries) {
      bool found = false;
      for (const auto& [k, v] : *merged) found = found || (k == key && v == value);
      FUZZ_CHECK(found);
    }
  }

  (void)ParseGoBool(raw);
  for (int bits : {8, 16, 32, 64}) {
    const GoInt v = ParseGoInt(raw, bits);
    if (v.error == GoInt::Error::kNone && bits < 64) {
      const std::int64_t limit = std::int64_t{1} << (bits - 1);
      FUZZ_CHECK(v.value >= -limit && v.value < limit);
    }
  }
  (void)ParseListenPorts(raw);
  (void)CheckSuccessCodes(raw, false);
  (void)CheckSuccessCodes(raw, true);
  const GoJson parsed = ParseGoJson(raw);
  if (parsed.error.empty() && parsed.value.is_object()) {
    (void)GoField(parsed.value, "Type");
    (void)GoField(parsed.value, "field");
  }
  (void)ValidateConditionsJson(raw);
  (void)ValidateActionJson(raw);

  const std::string_view a = raw.substr(0, size / 2);
  const std::string_view b = raw.substr(size / 2);
  const std::size_t d = EditDistance(a, b, 3);
  FUZZ_CHECK(EditDistance(a, a, 3) == 0);
  (void)d;
  return 0;
}
