// FastParse: nlohmann's value for the JSON the apiserver sends; FastParseSkipping leaves one
// member out without accepting anything FastParse refuses.
#include "albwebhook/json/json_parse.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace albwebhook::json {
namespace {

using nlohmann::json;

constexpr SkipMember kManagedFields{"metadata", "managedFields"};

TEST(FastParseTest, SameValueAsNlohmann) {
  const std::vector<std::string> docs = {
      R"({"a":1,"b":[true,false,null,-0,-12,"x\n\u00e9\"\\"],"c":{"d":{}}})",
      R"( [ 1 , {"k" : "v"} , [] ] )",
      R"({"dup":1,"dup":{"x":2}})",
      "\"caf\xc3\xa9\"",
      R"({"metadata":{"name":"web","managedFields":[{"manager":"kubectl"}]}})",
  };
  for (const auto& doc : docs) {
    SCOPED_TRACE(doc);
    json fast;
    ASSERT_TRUE(FastParse(doc, fast));
    EXPECT_EQ(fast, json::parse(doc));
  }
}

// Strings are scanned 8 bytes at a time and the scan stops at the first special byte of a word
// (quote, backslash, control, non-ASCII): one at every offset, with specials after it (which the
// word test may flag spuriously), read in full and in the skipped member alike.
TEST(FastParseTest, SpecialBytesAtEveryOffsetOfAWord) {
  const std::vector<std::string> specials = {"\\\"", "\\n",  "\xc3\xa9", "\\u0041",
                                             "\\\\", "\x01", "\xff"};
  for (std::size_t offset = 0; offset < 20; ++offset) {
    for (const auto& special : specials) {
      for (const std::string tail : {"", "xyz", "\\t\x7f\xe2\x82\xac!", "\x02"}) {
        const std::string text = std::string(offset, 'a') + special + tail;
        const std::string doc = "[\"" + text + "\"]";
        SCOPED_TRACE(testing::PrintToString(doc));
        const bool valid = json::accept(doc);
        json fast;
        ASSERT_EQ(FastParse(doc, fast), valid);
        if (valid) {
          EXPECT_EQ(fast, json::parse(doc));
        }
        const std::string skipped = R"({"metadata":{"managedFields":[")" + text + R"("]}})";
        json out;
        EXPECT_EQ(FastParseSkipping(skipped, out, kManagedFields), valid);
        if (valid) {
          EXPECT_EQ(out, json::parse(R"({"metadata":{}})"));
        }
      }
    }
  }
}

TEST(FastParseTest, RefusesWhatItDoesNotHandleOrWhatIsInvalid) {
  for (const std::string doc : {"", "{", "[1,]", "{\"a\" 1}", "1.5", "1e3", "\"\\ud83d\\ude00\"",
                                "\"\x01\"", "\"\xff\"", "tru", "{} x", "12345678901234567890"}) {
    SCOPED_TRACE(doc);
    json out;
    EXPECT_FALSE(FastParse(doc, out));
  }
  json out;
  EXPECT_FALSE(FastParse("[[[[1]]]]", out, 3));
  EXPECT_TRUE(FastParse("[[[1]]]", out, 3));
}

TEST(FastParseSkippingTest, LeavesOutManagedFieldsOfEveryMetadataOnly) {
  const std::string doc = R"({"request":{
      "object":{"metadata":{"name":"web","managedFields":[{"manager":"kubectl","fieldsV1":{"f:spec":{}}}],"uid":"1"},
                "spec":{"managedFields":"kept: not under metadata"}},
      "oldObject":{"metadata":{"managedFields":[],"name":"old"}},
      "managedFields":{"kept":true}}})";
  json out;
  ASSERT_TRUE(FastParseSkipping(doc, out, kManagedFields));
  json want = json::parse(doc);
  want["request"]["object"]["metadata"].erase("managedFields");
  want["request"]["oldObject"]["metadata"].erase("managedFields");
  EXPECT_EQ(out, want);
}

TEST(FastParseSkippingTest, RefusesExactlyWhatFastParseRefusesInsideTheSkippedMember) {
  const std::vector<std::string> bad_values = {
      R"([{"a":1,}])", R"([1.5])", R"(["\ud800"])", "[\"\x01\"]", "[\"\xc3\"]", R"({"a" 1})",
      R"([tru])",      R"([01])",  R"(["x)",        R"({"a":[)",  R"(-)",
  };
  for (const auto& v : bad_values) {
    const std::string doc = R"({"metadata":{"managedFields":)" + v + R"(,"name":"x"}})";
    SCOPED_TRACE(doc);
    json a;
    json b;
    EXPECT_FALSE(FastParse(doc, a));
    EXPECT_FALSE(FastParseSkipping(doc, b, kManagedFields));
  }
  // The depth limit counts inside the skipped member too.
  const std::string deep = R"({"metadata":{"managedFields":[[[[1]]]]}})";
  json out;
  EXPECT_FALSE(FastParseSkipping(deep, out, kManagedFields, 5));
  EXPECT_TRUE(FastParseSkipping(deep, out, kManagedFields, 6));
  EXPECT_FALSE(FastParse(deep, out, 5));
  EXPECT_TRUE(FastParse(deep, out, 6));
}

TEST(FastParseSkippingTest, DuplicateAndNestedMetadata) {
  const std::string doc =
      R"({"metadata":{"managedFields":[1],"managedFields":[2],"labels":{"metadata":{"managedFields":3}}}})";
  json out;
  ASSERT_TRUE(FastParseSkipping(doc, out, kManagedFields));
  EXPECT_EQ(out, json::parse(R"({"metadata":{"labels":{"metadata":{}}}})"));
}

}  // namespace
}  // namespace albwebhook::json
