#include "common/text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace albwebhook::common {
namespace {

TEST(TextTest, Trim) {
  EXPECT_EQ(Trim("  a b \t\n"), "a b");
  EXPECT_EQ(Trim(" \f\v\r "), "");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim("x"), "x");
}

TEST(TextTest, CharacterClasses) {
  EXPECT_TRUE(IsLowerHex('a') && IsLowerHex('f') && IsLowerHex('0'));
  EXPECT_FALSE(IsLowerHex('g') || IsLowerHex('A'));
  EXPECT_TRUE(IsLowerAlnum('z') && IsLowerAlnum('9'));
  EXPECT_FALSE(IsLowerAlnum('Z') || IsLowerAlnum('-'));
  EXPECT_TRUE(IsAsciiAlnum('Z'));
  EXPECT_FALSE(IsAsciiAlnum('\xc3'));
  EXPECT_EQ(LowerAscii('Q'), 'q');
  EXPECT_EQ(LowerAscii('\xc3'), '\xc3');
}

TEST(TextTest, AllCharsAndDigits) {
  EXPECT_TRUE(IsAllDigits("0123"));
  EXPECT_FALSE(IsAllDigits(""));
  EXPECT_FALSE(IsAllDigits("+1"));
  EXPECT_FALSE(AllChars("", IsAsciiAlpha));  // empty never matches
  EXPECT_TRUE(AllChars("abC", IsAsciiAlpha));
}

TEST(TextTest, CaseFolding) {
  EXPECT_TRUE(EqualsIgnoreCase("TargetGroupARN", "targetgrouparn"));
  EXPECT_FALSE(EqualsIgnoreCase("abc", "abcd"));
  EXPECT_EQ(ToLowerAscii("Group.Name-\xc3\x89"), "group.name-\xc3\x89");
  EXPECT_TRUE(StartsWith("actions.x", "actions."));
  EXPECT_FALSE(StartsWith("act", "actions."));
}

TEST(TextTest, JoinList) {
  const std::vector<std::string> none;
  EXPECT_EQ(JoinList(none), "");
  EXPECT_EQ(JoinList(none, ", ", "none"), "none");
  EXPECT_EQ(JoinList(std::vector<std::string>{"a", "b", "c"}), "a, b, c");
  const std::vector<std::string_view> views = {"x", "y"};
  EXPECT_EQ(JoinList(views, ","), "x,y");
}

TEST(TextTest, Utf8Length) {
  EXPECT_EQ(Utf8Length(""), 0U);
  EXPECT_EQ(Utf8Length("abc"), 3U);
  EXPECT_EQ(Utf8Length("\xc3\xa9t\xc3\xa9"), 3U);  // été
  EXPECT_EQ(Utf8Length("\xf0\x9f\x98\x80"), 1U);   // one emoji
}

TEST(TextTest, EditDistanceIsCapped) {
  EXPECT_EQ(EditDistance("kitten", "sitting", 2), 3U);  // cap + 1
  EXPECT_EQ(EditDistance("", "abc", 5), 3U);
  EXPECT_EQ(EditDistance("same", "same", 0), 0U);
}

TEST(QuoteTest, QuotesAndShortensValues) {
  EXPECT_EQ(QuoteValue("abc"), "\"abc\"");
  EXPECT_EQ(QuoteValue("a\"b\\c\n\x01"), R"("a\"b\\c\u000a\u0001")");
  EXPECT_EQ(QuoteValue(std::string(60, 'x')), "\"" + std::string(60, 'x') + "\"");
  EXPECT_EQ(QuoteValue(std::string(61, 'x')), "\"" + std::string(57, 'x') + "...\"");
  // A multi-byte character straddling the cut is not split.
  std::string utf8 = std::string(56, 'x') + "\xc3\xa9" + std::string(10, 'y');
  EXPECT_EQ(QuoteValue(utf8), "\"" + std::string(56, 'x') + "...\"");
}

TEST(QuoteTest, ControlAsUnicodeLimits) {
  EXPECT_EQ(QuoteValue("a\x7f"), "\"a\\u007f\"");
  EXPECT_EQ(QuoteValue("\xc3\xa9"), "\"\xc3\xa9\"");  // UTF-8 kept as is
  EXPECT_EQ(QuoteValue("abcdef", 1), "\"a...\"");     // at least 4 bytes
  EXPECT_EQ(QuoteValue("abcdefghijklmnopqrstuvwxyz", kWarningValueBytes),
            "\"abcdefghijklmnopqrstu...\"");
}

TEST(QuoteTest, JsonEscapesAsNlohmannDumps) {
  EXPECT_EQ(Quote("a\nb\"c", 128, QuoteEscapes::kJson), "\"a\\nb\\\"c\"");
  EXPECT_EQ(Quote("\x01", 128, QuoteEscapes::kJson), "\"\\u0001\"");
  EXPECT_EQ(Quote("bad\xff", 128, QuoteEscapes::kJson), "\"bad\xef\xbf\xbd\"");  // U+FFFD
  EXPECT_EQ(Quote(std::string(129, 'x'), 128, QuoteEscapes::kJson),
            "\"" + std::string(128, 'x') + "...\"");
  EXPECT_EQ(Quote(std::string(128, 'x'), 128, QuoteEscapes::kJson),
            "\"" + std::string(128, 'x') + "\"");
}

TEST(TextTest, QuoteGoEscapesAsStrconvQuote) {
  auto go = [](std::string_view text) {
    return Quote(text, std::string_view::npos, QuoteEscapes::kGo);
  };
  EXPECT_EQ(go(""), "\"\"");
  EXPECT_EQ(go("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(go("tab\there\n\a\v\r"), "\"tab\\there\\n\\a\\v\\r\"");
  EXPECT_EQ(go(std::string("\x01\x7f", 2)), "\"\\x01\\x7f\"");
  EXPECT_EQ(go("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  EXPECT_EQ(go("\xff\xc0\x80"), "\"\\xff\\xc0\\x80\"");
  EXPECT_EQ(Quote("abcdef", 3, QuoteEscapes::kGo), "\"abc...\"");
}

}  // namespace
}  // namespace albwebhook::common
