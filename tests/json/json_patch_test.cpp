#include "albwebhook/json/json_patch.hpp"

#include <gtest/gtest.h>

namespace albwebhook::json {
namespace {

using nlohmann::json;

TEST(JsonPatchTest, EqualObjectsGiveEmptyPatch) {
  const json obj = json::parse(R"({"a":{"b":[1,2]},"c":"x"})");
  EXPECT_EQ(MakePatch(obj, obj), json::array());
}

TEST(JsonPatchTest, AddsMissingParentAsWholeObject) {
  const json original = json::parse(R"({"metadata":{"name":"x"}})");
  json mutated = original;
  mutated["metadata"]["annotations"]["alb.ingress.kubernetes.io/scheme"] = "internal";
  const json patch = MakePatch(original, mutated);
  EXPECT_EQ(patch, json::parse(R"([{"op":"add","path":"/metadata/annotations",
      "value":{"alb.ingress.kubernetes.io/scheme":"internal"}}])"));
  EXPECT_EQ(original.patch(patch), mutated);
}

TEST(JsonPatchTest, EscapesPointerTokens) {
  const json original = json::parse(R"({"metadata":{"annotations":{"a~b/c":"1","k":"v"}}})");
  json mutated = original;
  mutated["metadata"]["annotations"]["a~b/c"] = "2";
  mutated["metadata"]["annotations"]["x/y"] = "3";
  mutated["metadata"]["annotations"].erase("k");
  const json patch = MakePatch(original, mutated);
  EXPECT_EQ(patch, json::parse(R"([
      {"op":"remove","path":"/metadata/annotations/k"},
      {"op":"replace","path":"/metadata/annotations/a~0b~1c","value":"2"},
      {"op":"add","path":"/metadata/annotations/x~1y","value":"3"}])"));
  EXPECT_EQ(original.patch(patch), mutated);
}

TEST(JsonPatchTest, ReplacesArraysWhole) {
  const json original = json::parse(R"({"a":[1,2,3]})");
  const json mutated = json::parse(R"({"a":[1,3]})");
  EXPECT_EQ(MakePatch(original, mutated),
            json::parse(R"([{"op":"replace","path":"/a","value":[1,3]}])"));
}

TEST(Base64Test, EncodesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\xff\xfe\x00", 3)), "//4A");
}

}  // namespace
}  // namespace albwebhook::json
