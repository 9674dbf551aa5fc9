// The LBC's annotation value grammars (server/rules/lbc_values.hpp).
#include "rules/lbc_values.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace albwebhook::rules {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(LbcValuesTest, ParsesStringLists) {
  EXPECT_THAT(ParseStringList(" a, ,b ,,c"), ElementsAre("a", "b", "c"));
  EXPECT_TRUE(ParseStringList("").empty());
  EXPECT_TRUE(ParseStringList(" , ").empty());
}

TEST(LbcValuesTest, ParsesStringMaps) {
  struct Case {
    std::string name;
    std::string raw;
    bool ok;
    policy::StringMap want;
  };
  std::vector<Case> cases = {
      {"ok_simple", "a=1,b=2", true, {{"a", "1"}, {"b", "2"}}},
      {"ok_trimmed", " a = 1 , b= ", true, {{"a", "1"}, {"b", ""}}},
      {"ok_escaped_comma", R"(a=x\,y,b=2)", true, {{"a", "x,y"}, {"b", "2"}}},
      {"ok_equals_in_value", "a=b=c", true, {{"a", "b=c"}}},
      {"ok_repeated_key_last_wins", "a=1,b=2,a=3", true, {{"a", "3"}, {"b", "2"}}},
      {"ok_empty", "", true, {}},
      // The LBC's split: a ',' separates only when a '=' follows somewhere after it.
      {"ok_trailing_comma_is_part_of_the_value", "a=60,", true, {{"a", "60,"}}},
      {"ok_trailing_comma_and_space", "a=60, ", true, {{"a", "60,"}}},
      {"ok_backslash_escapes_any_character",
       R"(a=x\y\\z,b=\=)",
       true,
       {{"a", R"(xy\z)"}, {"b", "="}}},
      {"ok_lone_backslash_at_end_is_literal", R"(a=x\)", true, {{"a", R"(x\)"}}},
      {"err_no_equals", "a=1,b", false, {}},
      {"err_bare_comma_in_value", "a=x,y", false, {}},
      {"err_item_without_equals_before_a_pair", "a=x,y,z=1", false, {}},
      {"err_empty_item", "a=1,,b=2", false, {}},
      {"err_whitespace_only", "  ", false, {}},
      {"err_empty_key", "=x", false, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto parsed = ParseStringMap(c.raw);
    ASSERT_EQ(parsed.has_value(), c.ok);
    if (c.ok) {
      EXPECT_EQ(*parsed, c.want);
    }
  }
}

// Past the keys scanned one by one, repeated keys are found by an index: same order, last value.
TEST(LbcValuesTest, ManyStringMapPairsKeepFirstPlaceAndLastValue) {
  std::string raw;
  policy::StringMap want;
  for (int i = 0; i < 40; ++i) {
    raw += (i == 0 ? "" : ",") + std::string("k") + std::to_string(i) + "=v" + std::to_string(i);
    want.emplace_back("k" + std::to_string(i), "v" + std::to_string(i));
  }
  raw += ",k3=late,k30=later,k0=last";
  want[3].second = "late";
  want[30].second = "later";
  want[0].second = "last";
  EXPECT_EQ(ParseStringMap(raw), want);
  // Commas before a later '=' separate (here: empty items); that '=' is found once, not per
  // comma.
  EXPECT_EQ(ParseStringMap("a=1" + std::string(1000, ',') + "b=2"), std::nullopt);
}

TEST(LbcValuesTest, AppendsStringMapEntries) {
  policy::StringMap add = {{"k", "v,w"}, {"z", ""}};
  EXPECT_EQ(AppendStringMapEntries("", add), R"(k=v\,w,z=)");
  EXPECT_EQ(AppendStringMapEntries("  ", add), R"(k=v\,w,z=)");
  EXPECT_EQ(AppendStringMapEntries("a=1", add), R"(a=1,k=v\,w,z=)");
  EXPECT_EQ(AppendStringMapEntries("a=1, ", add), R"(a=1, k=v\,w,z=)");
  EXPECT_EQ(AppendStringMapEntries(R"(a=1\,)", add), R"(a=1\,,k=v\,w,z=)");
  auto round_trip = ParseStringMap(AppendStringMapEntries("a=1", add));
  ASSERT_TRUE(round_trip.has_value());
  EXPECT_THAT(*round_trip, ElementsAre(Pair("a", "1"), Pair("k", "v,w"), Pair("z", "")));
}

// Found by tests/fuzz/annotation_parsers_fuzz: a text (or an appended value) ending in a
// backslash turned the added separator into an escaped comma, so the next entry was swallowed
// into that value (corpus/annotation_parsers_fuzz/regress-trailing-backslash).
TEST(LbcValuesTest, AppendsAfterTrailingBackslash) {
  const policy::StringMap add = {{"cost-center", "platform"}, {"team", "a"}};
  auto merged = ParseStringMap(AppendStringMapEntries(R"(b=x\)", add));
  ASSERT_TRUE(merged.has_value());
  EXPECT_THAT(*merged,
              ElementsAre(Pair("b", R"(x\)"), Pair("cost-center", "platform"), Pair("team", "a")));
  merged = ParseStringMap(AppendStringMapEntries("", {{"k", R"(v\)"}, {"team", "a"}}));
  ASSERT_TRUE(merged.has_value());
  EXPECT_THAT(*merged, ElementsAre(Pair("k", R"(v\)"), Pair("team", "a")));
}

TEST(LbcValuesTest, ParsesGoBoolsAndInts) {
  for (const char* t : {"1", "t", "T", "TRUE", "true", "True"})
    EXPECT_EQ(ParseGoBool(t), true) << t;
  for (const char* f : {"0", "f", "F", "FALSE", "false", "False"})
    EXPECT_EQ(ParseGoBool(f), false) << f;
  for (const char* bad : {"", "yes", "tRUE", " true"}) EXPECT_FALSE(ParseGoBool(bad)) << bad;

  EXPECT_EQ(ParseGoInt("42", 32).value, 42);
  EXPECT_EQ(ParseGoInt("-1000", 32).value, -1000);
  EXPECT_EQ(ParseGoInt("+7", 32).value, 7);
  EXPECT_EQ(ParseGoInt("2147483647", 32).error, GoInt::Error::kNone);
  EXPECT_EQ(ParseGoInt("-2147483648", 32).value, -2147483648LL);
  EXPECT_EQ(ParseGoInt("2147483648", 32).error, GoInt::Error::kRange);
  EXPECT_EQ(ParseGoInt("99999999999999999999999", 64).error, GoInt::Error::kRange);
  for (const char* bad : {"", "-", "1.5", " 1", "0x10", "1_000", "abc"}) {
    EXPECT_EQ(ParseGoInt(bad, 32).error, GoInt::Error::kSyntax) << bad;
  }
}

// As the LBC's port -> protocol map: each port once, the protocol of its last entry; one entry
// with both leaves it to Go's map order (HTTPS is assumed); entries without a port add none.
TEST(LbcValuesTest, ListenPortsKeepOneProtocolPerPort) {
  auto last =
      ParseListenPorts(R"([{"HTTP":81},{"HTTP":82},{"HTTPS":82},{"HTTPS":81},{"HTTP":83}])");
  EXPECT_EQ(last.error, "");
  ASSERT_EQ(last.ports.size(), 3U);
  EXPECT_EQ(last.ports[0].port, 81);
  EXPECT_EQ(last.ports[0].protocol, "HTTPS");
  EXPECT_EQ(last.ports[1].port, 82);
  EXPECT_EQ(last.ports[1].protocol, "HTTPS");
  EXPECT_EQ(last.ports[2].protocol, "HTTP");
  ASSERT_TRUE(last.dual.has_value());
  EXPECT_EQ(last.dual->port, 81);  // the first listed of those with both
  EXPECT_TRUE(last.dual->kept_https);
  EXPECT_FALSE(last.dual->random);

  auto back = ParseListenPorts(R"([{"HTTPS":443},{"HTTP":443}])");
  ASSERT_EQ(back.ports.size(), 1U);
  EXPECT_EQ(back.ports[0].protocol, "HTTP");
  EXPECT_FALSE(back.dual->kept_https);

  auto one_entry = ParseListenPorts(R"([{"HTTP":8443},{"HTTP":8443,"HTTPS":8443}])");
  ASSERT_EQ(one_entry.ports.size(), 1U);
  EXPECT_EQ(one_entry.ports[0].protocol, "HTTPS");
  ASSERT_TRUE(one_entry.dual.has_value());
  EXPECT_TRUE(one_entry.dual->random);
  // A later entry decides again.
  auto decided = ParseListenPorts(R"([{"HTTP":8443,"HTTPS":8443},{"HTTP":8443}])");
  EXPECT_EQ(decided.ports[0].protocol, "HTTP");
  EXPECT_FALSE(decided.dual->random);

  // Past 16 ports the same answer through an index.
  std::string many = R"([{"HTTP":81})";
  for (int p = 1000; p < 1030; ++p) many += R"(,{"HTTP":)" + std::to_string(p) + "}";
  many += R"(,{"HTTPS":1029},{"HTTPS":81}])";
  auto indexed = ParseListenPorts(many);
  ASSERT_EQ(indexed.ports.size(), 31U);
  EXPECT_EQ(indexed.ports[0].protocol, "HTTPS");
  EXPECT_EQ(indexed.ports[30].protocol, "HTTPS");
  EXPECT_EQ(indexed.dual->port, 81);

  for (const char* none : {"[{}]", "[null]", "[{}, null]"}) {
    auto empty = ParseListenPorts(none);
    EXPECT_EQ(empty.error, "") << none;
    EXPECT_TRUE(empty.ports.empty()) << none;
  }
}

TEST(LbcValuesTest, ParsesListenPorts) {
  auto ok = ParseListenPorts(R"([{"HTTP": 80}, null, {"HTTPS": 443, "HTTP": 8080}])");
  EXPECT_EQ(ok.error, "");
  ASSERT_EQ(ok.ports.size(), 3U);
  struct Case {
    std::string raw;
    std::string error;
  };
  std::vector<Case> cases = {
      {"", "not valid JSON: unexpected end of JSON input"},
      {"[1]", "each item must be a JSON object like {\"HTTPS\": 443}, got number"},
      {R"([{"HTTP": 80.5}])", "port for HTTP must be a JSON integer, got number"},
      {R"([{"HTTP": -1}])", "port -1 must be within [1, 65535]"},
      {R"([{"http": 80}])", R"(protocol "http" must be HTTP or HTTPS)"},
      {R"([])", R"(no listener given (need at least one {"HTTP"|"HTTPS": port}))"},
      {R"([] x)", R"(not valid JSON: invalid character 'x' after top-level value)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.raw);
    EXPECT_EQ(ParseListenPorts(c.raw).error, c.error);
  }
}

TEST(LbcValuesTest, ChecksSuccessCodes) {
  // Spaces around items and numbers: the LBC passes the text through and AWS takes it (a common
  // real-world spelling, `200, 204`).
  for (const char* ok : {"200", "200,202", "200-299", "200,300-399,404", "499", "200, 204", "200 ",
                         " 200 - 299 , 404"}) {
    EXPECT_FALSE(CheckSuccessCodes(ok, false)) << ok;
  }
  for (const char* bad : {"", "199", "500", "200-", "299-200", "20", "200,,201", "200, ", "2 00"}) {
    EXPECT_TRUE(CheckSuccessCodes(bad, false)) << bad;
  }
  for (const char* ok : {"0", "12", "0-99", "0,1,2"})
    EXPECT_FALSE(CheckSuccessCodes(ok, true)) << ok;
  for (const char* bad : {"100", "200", "0-100"}) EXPECT_TRUE(CheckSuccessCodes(bad, true)) << bad;
}

}  // namespace
}  // namespace albwebhook::rules
