// Differential check of albwebhook::json::FastParse against nlohmann::json::parse: random
// documents and byte-level mutations of them (and of the benchmark bodies). Whenever FastParse
// accepts, nlohmann must accept and give the same value with the same types; whenever nlohmann
// rejects, FastParse must reject. Exit 1 on the first difference.
//   albwebhook_parse_check [iterations] [seed]
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "albwebhook/json/json_parse.hpp"

namespace {

using nlohmann::json;

bool StrictEqual(const json& a, const json& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case json::value_t::object: {
      if (a.size() != b.size()) return false;
      auto ib = b.begin();
      for (auto ia = a.begin(); ia != a.end(); ++ia, ++ib) {
        if (ia.key() != ib.key() || !StrictEqual(ia.value(), ib.value())) return false;
      }
      return true;
    }
    case json::value_t::array: {
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (!StrictEqual(a[i], b[i])) return false;
      }
      return true;
    }
    default:
      return a == b;
  }
}

class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  std::string Document() {
    std::string out;
    Value(out, 0);
    return out;
  }

  std::string Mutate(std::string s) {
    const int edits = 1 + Pick(3);
    for (int i = 0; i < edits && !s.empty(); ++i) {
      const std::size_t at = Pick(static_cast<int>(s.size()));
      switch (Pick(4)) {
        case 0:
          s.erase(at, 1);
          break;
        case 1:
          s.insert(at, 1, Interesting());
          break;
        case 2:
          s[at] = Interesting();
          break;
        default:
          s.insert(at, s.substr(Pick(static_cast<int>(s.size())), Pick(6)));
      }
    }
    return s;
  }

 private:
  int Pick(int n) { return n <= 0 ? 0 : std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  char Interesting() {
    static const std::string kBytes =
        "{}[]\",:\\/ "
        "\t\n\r0123456789-+.eEtrufalsn\x01\x1f\x7f\x80\xbf\xc2\xe0\xed\xef\xf0\xf4\xf5\xff"
        "uU";
    return kBytes[Pick(static_cast<int>(kBytes.size()))];
  }

  void Space(std::string& out) {
    static const char* kSpace[] = {"", "", "", " ", "\n", "\t", "\r\n  "};
    out += kSpace[Pick(7)];
  }

  void String(std::string& out) {
    static const char* kPieces[] = {"a",
                                    "metadata",
                                    "alb.ingress.kubernetes.io/scheme",
                                    "\\\"",
                                    "\\\\",
                                    "\\/",
                                    "\\n",
                                    "\\t",
                                    "\\b",
                                    "\\f",
                                    "\\r",
                                    "\\u0041",
                                    "\\u00e9",
                                    "\\u20ac",
                                    "\\u0000",
                                    "\\ud83d",
                                    "\\ude00",
                                    "\\ud83d\\ude00",
                                    "é",
                                    "€",
                                    "😀",
                                    "\xc3",
                                    "\xed\xa0\x80",
                                    "\xf4\x90\x80\x80",
                                    "\xe0\x80\x80",
                                    "\xc0\xaf",
                                    " ",
                                    "\\x",
                                    "\\u12",
                                    "\\uZZZZ"};
    out += '"';
    const int n = Pick(5);
    for (int i = 0; i < n; ++i) out += kPieces[Pick(sizeof(kPieces) / sizeof(kPieces[0]))];
    out += '"';
  }

  void Number(std::string& out) {
    static const char* kNumbers[] = {"0",
                                     "-0",
                                     "7",
                                     "8080",
                                     "-12",
                                     "01",
                                     "1.5",
                                     "1e3",
                                     "-2E-2",
                                     "123456789012345678",
                                     "1234567890123456789",
                                     "18446744073709551615",
                                     "18446744073709551616",
                                     "-9223372036854775808",
                                     "-9223372036854775809",
                                     "-",
                                     "1.",
                                     ".5"};
    out += kNumbers[Pick(sizeof(kNumbers) / sizeof(kNumbers[0]))];
  }

  void Value(std::string& out, int depth) {
    Space(out);
    const int kind = depth > 6 ? 2 + Pick(4) : Pick(6);
    switch (kind) {
      case 0: {
        out += '{';
        const int n = Pick(5);
        for (int i = 0; i < n; ++i) {
          if (i > 0) out += ',';
          Space(out);
          // Few distinct keys, so duplicates happen.
          static const char* kKeys[] = {"\"a\"",        "\"b\"",        "\"spec\"",
                                        "\"a\\u0062\"", "\"metadata\"", "\"managedFields\""};
          out += kKeys[Pick(6)];
          Space(out);
          out += ':';
          Value(out, depth + 1);
        }
        Space(out);
        out += '}';
        break;
      }
      case 1: {
        out += '[';
        const int n = Pick(5);
        for (int i = 0; i < n; ++i) {
          if (i > 0) out += ',';
          Value(out, depth + 1);
        }
        Space(out);
        out += ']';
        break;
      }
      case 2:
        String(out);
        break;
      case 3:
        Number(out);
        break;
      case 4: {
        static const char* kLiterals[] = {"true", "false", "null", "nul", "True"};
        out += kLiterals[Pick(5)];
        break;
      }
      default:
        String(out);
    }
    Space(out);
  }

  std::mt19937 rng_;
};

// FastParse's value as FastParseSkipping({"metadata", "managedFields"}) should give it.
void StripManagedFields(json& value, bool under_metadata) {
  if (value.is_object()) {
    if (under_metadata) value.erase("managedFields");
    for (auto& [key, member] : value.items()) StripManagedFields(member, key == "metadata");
  } else if (value.is_array()) {
    for (auto& item : value) StripManagedFields(item, false);
  }
}

// 0 = same outcome, 1 = difference (printed).
int Check(const std::string& doc, long* fast_accepted) {
  json fast;
  const bool fast_ok = albwebhook::json::FastParse(doc, fast);
  json skipping;
  static constexpr albwebhook::json::SkipMember kManagedFields{"metadata", "managedFields"};
  const bool skipping_ok = albwebhook::json::FastParseSkipping(doc, skipping, kManagedFields);
  if (skipping_ok != fast_ok) {
    std::fprintf(stderr, "FastParseSkipping %s what FastParse %s\n--- input ---\n%s\n",
                 skipping_ok ? "accepts" : "refuses", fast_ok ? "accepts" : "refuses", doc.c_str());
    return 1;
  }
  if (fast_ok) {
    json want = fast;
    StripManagedFields(want, false);
    if (!StrictEqual(skipping, want)) {
      std::fprintf(stderr, "FastParseSkipping kept or lost a member\n--- input ---\n%s\n",
                   doc.c_str());
      return 1;
    }
  }
  json slow;
  bool slow_ok = true;
  try {
    slow = json::parse(doc);
  } catch (const json::exception&) {
    slow_ok = false;
  }
  if (!fast_ok) return 0;  // the fallback is nlohmann itself: always the same outcome
  ++*fast_accepted;
  if (slow_ok && StrictEqual(fast, slow)) return 0;
  std::fprintf(stderr, "difference on %zu bytes: nlohmann %s\n--- input ---\n%s\n", doc.size(),
               slow_ok ? "accepts with another value" : "rejects", doc.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const long iterations = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 200000;
  const unsigned seed = argc > 2 ? static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10)) : 1;
  Generator gen(seed);
  long fast_accepted = 0;
  long checked = 0;
  for (const char* file :
       {ALBWEBHOOK_BENCH_DATA "/ingress.json", ALBWEBHOOK_BENCH_DATA "/tgb.json"}) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (Check(text.str(), &fast_accepted) != 0) return 1;
    for (int i = 0; i < 2000; ++i, ++checked) {
      if (Check(gen.Mutate(text.str()), &fast_accepted) != 0) return 1;
    }
  }
  for (long i = 0; i < iterations; ++i, ++checked) {
    std::string doc = gen.Document();
    if (Check(doc, &fast_accepted) != 0) return 1;
    if (Check(gen.Mutate(doc), &fast_accepted) != 0) return 1;
    checked += 1;
  }
  std::printf("parse_check: %ld documents, FastParse accepted %ld, no difference with nlohmann\n",
              checked, fast_accepted);
  return 0;
}
