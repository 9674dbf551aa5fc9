// The manifest loader: YAML 1.2 core-schema scalars, anchors and merge keys, document
// splitting with indexes and lines, JSON streams, and the alias-bomb limit.
#include "albwebhook/manifest/manifest.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace albwebhook::manifest {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(CheckParseManifests, PlainScalarsFollowTheYamlCoreSchema) {
  const auto docs = ParseManifests(R"(
int: 443
quoted: "443"
single: '443'
tagged: !!str 443
bool: true
bool_quoted: "true"
yes_word: yes
on_word: on
tilde: ~
null_word: null
null_quoted: "null"
empty:
float: 1.5
exp: 1e3
hex: 0x1F
octal: 0o17
leading_zero: 017
negative: -7
huge: 123456789012345678901234
underscore: 1_000
inf: .inf
block: |
  line
folded: >
  a
  b
tagged_int: !!int "12"
custom: !thing 5
version: 1.10
)");
  ASSERT_EQ(docs.size(), 1u);
  ASSERT_EQ(docs[0].error, "");
  const json& v = docs[0].value;
  EXPECT_EQ(v["int"], 443);
  EXPECT_TRUE(v["int"].is_number_integer());
  EXPECT_EQ(v["quoted"], "443");
  EXPECT_EQ(v["single"], "443");
  EXPECT_EQ(v["tagged"], "443");
  EXPECT_EQ(v["bool"], true);
  EXPECT_EQ(v["bool_quoted"], "true");
  EXPECT_EQ(v["yes_word"], "yes");  // YAML 1.2: not a bool
  EXPECT_EQ(v["on_word"], "on");
  EXPECT_TRUE(v["tilde"].is_null());
  EXPECT_TRUE(v["null_word"].is_null());
  EXPECT_EQ(v["null_quoted"], "null");
  EXPECT_TRUE(v["empty"].is_null());
  EXPECT_EQ(v["float"], 1.5);
  EXPECT_EQ(v["exp"], 1000.0);
  EXPECT_EQ(v["hex"], 31);
  EXPECT_EQ(v["octal"], 15);
  EXPECT_EQ(v["leading_zero"], 17);
  EXPECT_EQ(v["negative"], -7);
  EXPECT_TRUE(v["huge"].is_number_float());
  EXPECT_EQ(v["underscore"], "1_000");
  EXPECT_TRUE(v["inf"].is_number_float());
  EXPECT_EQ(v["block"], "line\n");
  EXPECT_EQ(v["folded"], "a b\n");
  EXPECT_EQ(v["tagged_int"], 12);
  EXPECT_EQ(v["custom"], "5");
  EXPECT_EQ(v["version"], 1.1);
}

TEST(CheckParseManifests, AnchorsAliasesAndMergeKeys) {
  const auto docs = ParseManifests(R"(
base: &base {a: 1, b: 2}
list: [*base, *base]
merged:
  <<: *base
  b: 3
many:
  <<: [{x: 1}, {x: 2, y: 2}]
)");
  ASSERT_EQ(docs.size(), 1u);
  ASSERT_EQ(docs[0].error, "");
  EXPECT_EQ(docs[0].value["list"], json::parse(R"([{"a":1,"b":2},{"a":1,"b":2}])"));
  EXPECT_EQ(docs[0].value["merged"], json::parse(R"({"a":1,"b":3})"));
  EXPECT_EQ(docs[0].value["many"], json::parse(R"({"x":1,"y":2})"));
}

TEST(CheckParseManifests, DocumentIndexesLinesAndMarkers) {
  const auto docs = ParseManifests(
      "\xEF\xBB\xBF# comment before the first marker\n"  // line 1
      "%YAML 1.2\n"                                      // 2
      "---\n"                                            // 3
      "a: 1\n"                                           // 4
      "...\n"                                            // 5
      "--- \n"                                           // 6: explicit, empty
      "--- {b: 2}\n"                                     // 7
      "---\n"                                            // 8
      "c: [3\n"                                          // 9: broken
      "---\n"                                            // 10
      "d: 4\n"                                           // 11
      "d: 5\n");                                         // 12: duplicate key
  ASSERT_EQ(docs.size(), 5u);
  EXPECT_EQ(docs[0].index, 1);
  EXPECT_EQ(docs[0].value, json::parse(R"({"a":1})"));
  EXPECT_TRUE(docs[1].empty);
  EXPECT_EQ(docs[1].line, 6);
  EXPECT_EQ(docs[2].value, json::parse(R"({"b":2})"));
  EXPECT_EQ(docs[3].index, 4);
  EXPECT_EQ(docs[3].line, 8);
  EXPECT_THAT(docs[3].error, StartsWith("invalid YAML at line "));
  EXPECT_TRUE(docs[3].value.is_null());
  EXPECT_EQ(docs[4].error, "invalid YAML at line 12, column 1: mapping key \"d\" already defined");
}

TEST(CheckParseManifests, JsonStream) {
  const auto docs = ParseManifests(
      "  {\"port\": 443, \"name\": \"443\", \"list\": [1.5, null, true]}\n{\"b\": 1}");
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].value,
            json::parse(R"({"port": 443, "name": "443", "list": [1.5, null, true]})"));
  EXPECT_EQ(docs[1].index, 2);
  EXPECT_EQ(docs[1].line, 2);
  EXPECT_EQ(docs[1].value, json::parse(R"({"b": 1})"));
  // Valid YAML, but a stream starting with '{' is JSON (as for kubectl).
  const auto bad = ParseManifests("{\"a\": }");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_THAT(bad[0].error, StartsWith("invalid JSON: parse error at line 1, column 7"));
}

TEST(CheckParseManifests, AliasBombIsRefused) {
  const auto docs = ParseManifests(R"(
a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
g: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
)");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_THAT(docs[0].error, HasSubstr("more than 1000000 nodes"));
}

}  // namespace
}  // namespace albwebhook::manifest
