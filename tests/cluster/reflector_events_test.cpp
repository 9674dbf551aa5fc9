// The reflector's event application, fed directly: order, bookmarks, deletes, and every kind of
// bad line stopping at the line before it (the relist that follows is the integration tests').
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cluster/reflector.hpp"

namespace albwebhook::cluster {
namespace {

using nlohmann::json;

std::string Event(const std::string& type, const std::string& name, const std::string& rv,
                  const std::string& host = "a.example.com") {
  json obj = {{"metadata", {{"name", name}, {"namespace", "ns"}, {"resourceVersion", rv}}},
              {"spec", {{"ingressClassName", host}, {"rules", {{{"host", host}}}}}}};
  return json{{"type", type}, {"object", obj}}.dump() + "\n";
}

class ReflectorEventsTest : public ::testing::Test {
 protected:
  ReflectorEventsTest() {
    Reflector::Deps deps;
    deps.config = &config_;
    deps.changed = [this] { ++changes_; };
    reflector_ = std::make_unique<Reflector>(Resource::kIngresses, std::move(deps));
  }
  bool Apply(std::string& pending) { return reflector_->ApplyLines(pending, &code_, &why_); }
  const Object* Find(const std::string& name) { return reflector_->store().Find("ns", name); }

  ViewConfig config_;
  std::unique_ptr<Reflector> reflector_;
  int changes_ = 0, code_ = -1;
  std::string why_;
};

TEST_F(ReflectorEventsTest, AppliesEventsInOrderAndKeepsPartialLines) {
  std::string pending = Event("ADDED", "a", "2") + Event("MODIFIED", "a", "3", "b.example.com") +
                        Event("ADDED", "b", "4") + Event("DELETED", "b", "5") + "\r\n\n";
  std::string next = Event("ADDED", "c", "6");
  pending += next.substr(0, 10);
  ASSERT_TRUE(Apply(pending)) << why_;
  EXPECT_EQ(code_, 0);
  EXPECT_EQ(pending, next.substr(0, 10));  // the incomplete line waits for the rest
  ASSERT_NE(Find("a"), nullptr);
  EXPECT_EQ(Find("a")->spec()["ingressClassName"], "b.example.com");
  EXPECT_EQ(Find("b"), nullptr);
  EXPECT_EQ(reflector_->resource_version(), "5");
  EXPECT_GT(changes_, 0);
  pending += next.substr(10);
  ASSERT_TRUE(Apply(pending));
  EXPECT_TRUE(pending.empty());
  EXPECT_NE(Find("c"), nullptr);
  EXPECT_EQ(reflector_->store().size(), 2u);
}

TEST_F(ReflectorEventsTest, BookmarkMovesTheResourceVersionOnly) {
  std::string pending =
      R"({"type":"BOOKMARK","object":{"kind":"Ingress","metadata":{"resourceVersion":"42"}}})"
      "\n";
  ASSERT_TRUE(Apply(pending));
  EXPECT_EQ(reflector_->resource_version(), "42");
  EXPECT_EQ(reflector_->store().size(), 0u);
  EXPECT_EQ(changes_, 0);
}

TEST_F(ReflectorEventsTest, DeleteOfAnUnknownObjectIsHarmless) {
  std::string pending = Event("DELETED", "ghost", "8");
  ASSERT_TRUE(Apply(pending));
  EXPECT_EQ(reflector_->resource_version(), "8");
}

TEST_F(ReflectorEventsTest, ErrorEventCarriesItsCode) {
  std::string pending =
      Event("ADDED", "a", "2") +
      R"({"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"old"}})"
      "\n" +
      Event("ADDED", "z", "9");
  EXPECT_FALSE(Apply(pending));
  EXPECT_EQ(code_, 410);
  EXPECT_NE(Find("a"), nullptr);  // before the error: applied
  EXPECT_EQ(Find("z"), nullptr);  // after it: not
  EXPECT_EQ(reflector_->resource_version(), "2");
}

TEST_F(ReflectorEventsTest, MalformedLinesStopWithoutTouchingTheCache) {
  const std::vector<std::string> bad = {
      "{not json\n",
      R"({"type":"ADDED","object":{"kind":"Service","metadata":{"name":"s","namespace":"ns","resourceVersion":"3"}}})"
      "\n",
      R"({"type":"UPSERTED","object":{"metadata":{"name":"s","namespace":"ns","resourceVersion":"3"}}})"
      "\n",
      R"({"type":"ADDED","object":{"metadata":{"name":"s","namespace":"ns","resourceVersion":"3","labels":[]}}})"
      "\n",
      R"({"type":"ADDED","object":{"metadata":{"name":"s","resourceVersion":"3"}}})"
      "\n",
  };
  for (const auto& line : bad) {
    std::string pending = Event("ADDED", "ok", "2") + line;
    EXPECT_FALSE(Apply(pending)) << line;
    EXPECT_EQ(code_, 0);
    EXPECT_FALSE(why_.empty());
    EXPECT_EQ(reflector_->store().size(), 1u) << line;
    EXPECT_EQ(Find("s"), nullptr);
  }
}

TEST_F(ReflectorEventsTest, OversizedLinesAreRefused) {
  config_.max_line_bytes = 256;
  std::string big = Event("ADDED", "big", "2", std::string(400, 'x'));
  std::string pending = big;
  EXPECT_FALSE(Apply(pending));
  EXPECT_NE(why_.find("larger"), std::string::npos);
  std::string partial = big.substr(0, 300);  // no newline yet, already over the bound
  EXPECT_FALSE(Apply(partial));
  EXPECT_EQ(reflector_->store().size(), 0u);
}

}  // namespace
}  // namespace albwebhook::cluster
