// The manifest loader's line map: JSON pointer -> file line of each key and list item, for YAML
// (multi-document, merge keys, flow style) and JSON streams.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "albwebhook/manifest/manifest.hpp"

namespace albwebhook::manifest {
namespace {

using ::testing::IsEmpty;

TEST(ManifestLines, YamlKeysAndItemsAcrossDocuments) {
  const auto docs = ParseManifests(
      "# comment\n"                                // 1
      "apiVersion: v1\n"                           // 2
      "kind: A\n"                                  // 3
      "---\n"                                      // 4
      "apiVersion: v1\n"                           // 5
      "metadata:\n"                                // 6
      "  annotations:\n"                           // 7
      "    alb.ingress.kubernetes.io/scheme: x\n"  // 8
      "    a~b: |\n"                               // 9
      "      text\n"                               // 10
      "spec:\n"                                    // 11
      "  rules:\n"                                 // 12
      "  - host: a\n"                              // 13
      "  - {host: b,\n"                            // 14
      "     http: {}}\n",                          // 15
      Positions::kKeep);
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].lines, (LineMap{{"", 2}, {"/apiVersion", 2}, {"/kind", 3}}));
  EXPECT_EQ(docs[1].line, 4);
  EXPECT_EQ(docs[1].lines, (LineMap{{"", 5},
                                    {"/apiVersion", 5},
                                    {"/metadata", 6},
                                    {"/metadata/annotations", 7},
                                    {"/metadata/annotations/alb.ingress.kubernetes.io~1scheme", 8},
                                    {"/metadata/annotations/a~0b", 9},
                                    {"/spec", 11},
                                    {"/spec/rules", 12},
                                    {"/spec/rules/0", 13},
                                    {"/spec/rules/0/host", 13},
                                    {"/spec/rules/1", 14},
                                    {"/spec/rules/1/host", 14},
                                    {"/spec/rules/1/http", 15}}));
}

TEST(ManifestLines, LineOfFallsBackToTheNearestAncestorThenTheDocument) {
  const auto docs = ParseManifests("---\n\na: 1\nb:\n  c: 2\n", Positions::kKeep);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].LineOf("/b/c"), 5);
  EXPECT_EQ(docs[0].LineOf("/b/missing/deeper"), 4);
  EXPECT_EQ(docs[0].LineOf("/missing"), 3);  // the document's first node
  EXPECT_EQ(docs[0].LineOf("not a pointer"), 3);
  ManifestDocument bare;
  bare.line = 7;
  EXPECT_EQ(bare.LineOf("/a"), 7);
}

TEST(ManifestLines, WrittenKeysWinOverMergedOnes) {
  const auto docs = ParseManifests(
      "base: &b\n"  // 1
      "  x: 1\n"    // 2
      "  y: 2\n"    // 3
      "obj:\n"      // 4
      "  <<: *b\n"  // 5
      "  y: 3\n",   // 6
      Positions::kKeep);
  ASSERT_EQ(docs.size(), 1u);
  ASSERT_EQ(docs[0].error, "");
  EXPECT_EQ(docs[0].lines.at("/obj/y"), 6);
  EXPECT_EQ(docs[0].lines.at("/obj/x"), 2);  // merged: where it is written
}

TEST(ManifestLines, JsonStreamMembersAndItems) {
  const auto docs = ParseManifests(
      "{\"kind\": \"List\",\n"                         // 1
      " \"items\": [\n"                                // 2
      "  {\"metadata\":\n"                             // 3
      "    {\"annotations\": {\"a/b\": \"\\n\"}}},\n"  // 4
      "  1\n"                                          // 5
      "  ,\n"                                          // 6
      "  {\"x\": [2\n"                                 // 7
      "]}]}\n"                                         // 8
      "\n"                                             // 9
      "{\"second\": true}\n",                          // 10
      Positions::kKeep);
  ASSERT_EQ(docs.size(), 2u);
  ASSERT_EQ(docs[0].error, "");
  EXPECT_EQ(docs[0].lines, (LineMap{{"", 1},
                                    {"/kind", 1},
                                    {"/items", 2},
                                    {"/items/0", 3},
                                    {"/items/0/metadata", 3},
                                    {"/items/0/metadata/annotations", 4},
                                    {"/items/0/metadata/annotations/a~1b", 4},
                                    {"/items/1", 5},  // the lexer reads the newline after 1 too
                                    {"/items/2", 7},
                                    {"/items/2/x", 7},
                                    {"/items/2/x/0", 7}}));
  EXPECT_EQ(docs[1].lines, (LineMap{{"", 10}, {"/second", 10}}));
}

TEST(ManifestLines, NotKeptUnlessAskedNorForBrokenDocuments) {
  const std::string text = "a: 1\n---\nb: [\n";
  const auto skipped = ParseManifests(text);
  ASSERT_EQ(skipped.size(), 2u);
  EXPECT_THAT(skipped[0].lines, IsEmpty());
  const auto kept = ParseManifests(text, Positions::kKeep);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].lines.at("/a"), 1);
  EXPECT_NE(kept[1].error, "");
  EXPECT_THAT(kept[1].lines, IsEmpty());
}

TEST(ManifestLines, LongPointersAndAliasExpansionAreCapped) {
  const std::string k(400, 'k');  // plain keys may not be longer than 1024 characters
  const auto docs = ParseManifests(
      k + "1:\n  " + k + "2:\n    " + k + "3:\n      inner: 1\nshort: 2\n", Positions::kKeep);
  ASSERT_EQ(docs.size(), 1u);
  ASSERT_EQ(docs[0].error, "");
  const std::string two = "/" + k + "1/" + k + "2";
  EXPECT_EQ(docs[0].lines.at(two), 2);
  EXPECT_FALSE(docs[0].lines.contains(two + "/" + k + "3"));  // over kMaxPointerBytes
  EXPECT_EQ(docs[0].LineOf(two + "/" + k + "3/inner"), 2);
  EXPECT_EQ(docs[0].lines.at("/short"), 5);

  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'e'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + char(c - 1);
    bomb += "]\n";
  }
  const auto big = ParseManifests(bomb, Positions::kKeep);  // over 111111 values
  ASSERT_EQ(big.size(), 1u);
  ASSERT_EQ(big[0].error, "");
  EXPECT_EQ(big[0].lines.size(), kMaxPositions);
}

}  // namespace
}  // namespace albwebhook::manifest
