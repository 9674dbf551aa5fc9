// util::ParseGoDuration: the apiserver's ?timeout= and --shutdown-grace. Pins the behaviour the
// transport has always had, including where it is stricter than Go's time.ParseDuration (no
// sign, a 24 h ceiling).
#include "albwebhook/util/duration.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <initializer_list>
#include <string_view>

namespace albwebhook::util {
namespace {

using namespace std::chrono_literals;

struct Case {
  std::string_view text;
  std::chrono::milliseconds want;
};

void ExpectParses(std::initializer_list<Case> cases) {
  for (const Case& c : cases) EXPECT_EQ(ParseGoDuration(c.text), c.want) << '"' << c.text << '"';
}

void ExpectRejects(std::initializer_list<std::string_view> texts) {
  for (std::string_view text : texts) {
    EXPECT_LT(ParseGoDuration(text).count(), 0) << '"' << text << '"';
  }
}

// Moved from the server integration tests (ServerTest.ParsesGoDurations), assertions unchanged.
TEST(GoDurationTest, ParsesGoDurations) {
  EXPECT_EQ(ParseGoDuration("10s"), 10000ms);
  EXPECT_EQ(ParseGoDuration("1m30s"), 90000ms);
  EXPECT_EQ(ParseGoDuration("500ms"), 500ms);
  EXPECT_EQ(ParseGoDuration("1.5s"), 1500ms);
  EXPECT_LT(ParseGoDuration("").count(), 0);
  EXPECT_LT(ParseGoDuration("10").count(), 0);
  EXPECT_LT(ParseGoDuration("10x").count(), 0);
  EXPECT_LT(ParseGoDuration("s").count(), 0);
}

TEST(GoDurationTest, EveryUnit) {
  ExpectParses({{"1h", 3600000ms},
                {"2m", 120000ms},
                {"10s", 10000ms},
                {"500ms", 500ms},
                {"1500us", 1ms},
                {"1500\xc2\xb5s", 1ms},  // U+00B5 MICRO SIGN
                {"1500\xce\xbcs", 1ms},  // U+03BC GREEK SMALL LETTER MU
                {"1500000ns", 1ms}});
}

TEST(GoDurationTest, SumsTheirParts) {
  ExpectParses({{"1m30s", 90000ms}, {"2h30m", 9000000ms}, {"1s500ms", 1500ms}, {"1m1m", 120000ms}});
}

TEST(GoDurationTest, FractionsTruncateToWholeMilliseconds) {
  ExpectParses({{"1.5s", 1500ms},
                {".5s", 500ms},
                {"5.s", 5000ms},
                {"0.9ms", 0ms},
                {"0.0005s", 0ms},
                {"1us", 0ms},
                {"999999ns", 0ms}});
}

TEST(GoDurationTest, ZeroWithOrWithoutUnit) {
  ExpectParses({{"0", 0ms}, {"0s", 0ms}, {"0ms", 0ms}});
  ExpectRejects({"00", "1"});  // only a lone "0" may go without a unit
}

TEST(GoDurationTest, AtMostADay) {
  ExpectParses({{"24h", 86400000ms}, {"86400000ms", 86400000ms}, {"23h59m60s", 86400000ms}});
  ExpectRejects({"25h", "86400001ms", "24h0.001s", "100000000000000000000h", "1441m"});
}

TEST(GoDurationTest, RejectsSigns) { ExpectRejects({"-1s", "+1s", "-0s", "1h-1m"}); }

TEST(GoDurationTest, RejectsMissingOrUnknownUnits) {
  ExpectRejects({"", "10", "1m30", "1ms1", "s", "ms", "10x", "1d", "1H", "1S", "1\xc2\xb5", "1sms"});
}

TEST(GoDurationTest, RejectsMalformedNumbers) {
  ExpectRejects({".s", "1..5s", "1.5.5s", "1e3s", "inf", "nan", "10 s", " 10s", "10s ", "garbage"});
}

}  // namespace
}  // namespace albwebhook::util
