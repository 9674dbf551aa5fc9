// Every "conflicting ..." error of the LBC's IngressGroup model build, end to end: the other
// member is put into the fake API server, `serve` (with a kubeconfig pointing at it) sees it
// through its watch, and the candidate's CREATE is denied with the LBC's words and the other
// member's name. The cases are the rule tests' (tests/support/group_conflict_cases.hpp).
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "support/cluster_view_fixture.hpp"
#include "support/group_conflict_cases.hpp"
#include "support/review_builder.hpp"

namespace albwebhook::testing {
namespace {

using nlohmann::json;

constexpr const char* kIngresses = "ingresses.networking.k8s.io";

std::chrono::milliseconds SeenWithin() {
  return std::chrono::milliseconds(std::getenv("ALBWEBHOOK_SANITIZER") != nullptr ? 10000 : 2000);
}

json Member(const std::string& ns, const std::string& name, const json& annotations) {
  json ing = AlbIngress("internal", ns, "alb");
  ing["metadata"]["name"] = name;
  ing["metadata"]["annotations"] = annotations;
  return ing;
}

class ClusterGroupConflictsTest : public ClusterViewServerTest {
 protected:
  void SetUp() override {
    ClusterViewServerTest::SetUp();
    api_->Upsert("ingressclasses.networking.k8s.io",
                 {{"apiVersion", "networking.k8s.io/v1"},
                  {"kind", "IngressClass"},
                  {"metadata", {{"name", "alb"}}},
                  {"spec", {{"controller", "ingress.k8s.aws/alb"}}}});
    Start();
  }

  /// The answer to a CREATE of team-a/shop with `annotations` (and a default backend).
  json Create(const json& annotations, bool default_backend = false) {
    const std::string body =
        ReviewBuilder()
            .Uid("shop")
            .Name("shop")
            .Namespace("team-a")
            .Object(MaybeDefaultBackend(Member("team-a", "shop", annotations), default_backend))
            .Body();
    return Post(kValidateIngressPath, body);
  }

  static std::string Message(const json& answer) {
    const json* message = answer.contains("status") && answer["status"].contains("message")
                              ? &answer["status"]["message"]
                              : nullptr;
    return message != nullptr && message->is_string() ? message->get<std::string>() : "";
  }
};

TEST_F(ClusterGroupConflictsTest, EachLbcConflictIsDeniedNamingTheOtherMember) {
  const GroupConflictCase reference = GroupConflictCases().front();  // "scheme": a conflict
  ASSERT_FALSE(reference.expected.empty());
  for (const GroupConflictCase& c : GroupConflictCases()) {
    SCOPED_TRACE(c.name);
    if (c.expected.empty()) {
      // First a state that denies, so that "allowed" below proves the view saw the new member.
      api_->Upsert(kIngresses, Member("team-b", "web", reference.theirs));
      ASSERT_TRUE(WaitUntil(
          [&] {
            return Message(Create(reference.mine)).find(reference.expected) != std::string::npos;
          },
          SeenWithin()));
    }
    api_->Upsert(kIngresses,
                 MaybeDefaultBackend(Member("team-b", "web", c.theirs), c.theirs_default_backend));
    json answer;
    const bool seen = WaitUntil(
        [&] {
          answer = Create(c.mine, c.mine_default_backend);
          return c.expected.empty() ? answer["allowed"] == true
                                    : Message(answer).find(c.expected) != std::string::npos;
        },
        SeenWithin());
    EXPECT_TRUE(seen) << answer.dump();
    if (!c.expected.empty()) {
      EXPECT_EQ(answer["allowed"], false) << answer.dump();
    }
  }
}

}  // namespace
}  // namespace albwebhook::testing
