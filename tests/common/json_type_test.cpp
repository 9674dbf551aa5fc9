#include "common/json_type.hpp"

#include <gtest/gtest.h>

namespace albwebhook::common {
namespace {

using nlohmann::json;

TEST(JsonTypeTest, ThreeWordings) {
  struct Case {
    json value;
    const char* json_name;
    const char* go_name;
    const char* article_name;
  };
  const Case cases[] = {
      {nullptr, "null", "null", "null"},
      {json::object(), "object", "object", "an object"},
      {json::array(), "array", "array", "an array"},
      {"s", "string", "string", "a string"},
      {true, "boolean", "bool", "a boolean"},
      {1, "number", "number", "a number"},
      {-1, "number", "number", "a number"},
      {1.5, "number", "number", "a number"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.value.dump());
    EXPECT_EQ(JsonTypeName(c.value), c.value.type_name());
    EXPECT_EQ(JsonTypeName(c.value, JsonTypeWording::kJson), c.json_name);
    EXPECT_EQ(JsonTypeName(c.value, JsonTypeWording::kGo), c.go_name);
    EXPECT_EQ(JsonTypeName(c.value, JsonTypeWording::kArticle), c.article_name);
  }
}

TEST(JsonTypeTest, JsonText) {
  EXPECT_EQ(JsonText(json(80)), "80");
  EXPECT_EQ(JsonText(json(-3)), "-3");
  EXPECT_EQ(JsonText(json(1.5)), "1.5");
  EXPECT_EQ(JsonText(json("bad\xff")), "\"bad\xef\xbf\xbd\"");
}

}  // namespace
}  // namespace albwebhook::common
