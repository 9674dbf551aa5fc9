// The Go encoding/json emulator (server/rules/go_json.hpp) and the action/condition checks built
// on it (server/rules/lbc_actions.hpp).
#include "rules/go_json.hpp"

#include <gtest/gtest.h>

#include <string>

#include "rules/lbc_actions.hpp"
#include "rules/lbc_values.hpp"

namespace albwebhook::rules {
namespace {

TEST(GoJsonTest, ParsesJsonLikeGo) {
  EXPECT_EQ(ParseGoJson("").error, "unexpected end of JSON input");
  EXPECT_EQ(ParseGoJson("[1,").error, "unexpected end of JSON input");
  EXPECT_EQ(ParseGoJson("nope").error, R"(invalid character 'o' looking for beginning of value)");
  EXPECT_EQ(ParseGoJson("{\"a\":1}").error, "");
  nlohmann::json obj = {{"Values", 1}, {"field", 2}};
  ASSERT_NE(GoField(obj, "values"), nullptr);
  EXPECT_EQ(*GoField(obj, "values"), 1);
  EXPECT_EQ(GoField(obj, "missing"), nullptr);
  EXPECT_EQ(GoField(nlohmann::json::array(), "x"), nullptr);
}

TEST(GoJsonTest, NeverThrowsOnHostileJson) {
  std::string deep(10000, '[');
  EXPECT_NO_THROW(ValidateConditionsJson(deep));
  EXPECT_NO_THROW(ValidateActionJson(deep));
  EXPECT_NO_THROW(ParseListenPorts(deep));
  std::string nested = std::string(5000, '[') + std::string(5000, ']');
  EXPECT_NO_THROW(ValidateConditionsJson(nested));
  EXPECT_NO_THROW(
      ValidateActionJson(R"({"type":"forward","forwardConfig":{"targetGroups":[1,null,"x"]}})"));
  EXPECT_NO_THROW(ValidateActionJson(
      R"({"type":"forward","forwardConfig":{"targetGroups":[{"weight":99999999999}]}})"));
  EXPECT_NO_THROW(ParseListenPorts(R"([{"HTTP": 18446744073709551615}])"));
  EXPECT_NO_THROW(ValidateConditionsJson("\"\xff\xfe\""));
}

TEST(GoJsonTest, ReportsTheFirstUnmarshalTypeError) {
  auto first_error = [](const char* text, const GoType& type) {
    return GoUnmarshalTypeError(ParseGoJson(text).value, type).value_or("");
  };
  EXPECT_EQ(first_error(R"("x")", kGoString), "");
  EXPECT_EQ(first_error("null", kGoString), "");  // null leaves the zero value
  EXPECT_EQ(first_error("1", kGoString),
            "json: cannot unmarshal number 1 into Go value of type string");
  EXPECT_EQ(first_error(R"(["a", true])", kGoStringSlice),
            "json: cannot unmarshal bool into Go value of type string");
  EXPECT_EQ(first_error("2147483648", kGoInt32),
            "json: cannot unmarshal number 2147483648 into Go value of type int32");
  EXPECT_EQ(first_error(R"("80")", kGoIntOrString), "");
  const GoType port{GoKind::kStruct, "ingress.Port", {{"number", &kGoInt32}}, nullptr};
  EXPECT_EQ(first_error(R"({"NUMBER": "x", "other": 1})", port),
            "json: cannot unmarshal string into Go struct field Port.number of type int32");
}

}  // namespace
}  // namespace albwebhook::rules
