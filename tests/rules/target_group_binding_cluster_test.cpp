// checkExistingTargetGroups against the cluster view (ClusterState::FromObjects).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "albwebhook/cluster/cluster_state.hpp"
#include "albwebhook/rules/target_group_binding.hpp"
#include "rules/target_group_binding_test_support.hpp"

namespace albwebhook::rules {
namespace {

using api::Operation;
using nlohmann::json;
using namespace tgb_test;  // BaseTgb, TgbWith, Deny, Warn, kArn...

// The LBC's message, word for word (webhooks/elbv2/targetgroupbinding_validator.go).
std::string Duplicate(std::string_view names) {
  return "TargetGroup " + std::string(kArn) + " is already bound to following " +
         "TargetGroupBindings [" + std::string(names) +
         "]. Please enable MultiCluster mode on all TargetGroupBindings referencing " +
         std::string(kArn) + " or choose a different Target Group ARN.";
}

/// A stored TargetGroupBinding `ns/name` with `uid`, bound to `arn`.
json Stored(std::string_view ns, std::string_view name, std::string_view uid,
            const char* arn = kArn, bool multi_cluster = false) {
  json object = BaseTgb();
  object["metadata"] = {{"namespace", ns}, {"name", name}, {"uid", uid}};
  object["spec"]["targetGroupARN"] = arn;
  if (multi_cluster) object["spec"]["multiClusterTargetGroup"] = true;
  return object;
}

/// The candidate team-a/web (BaseTgb), with `uid` when not empty.
json Candidate(std::string_view uid = {}, bool multi_cluster = false) {
  json object = BaseTgb();
  if (!uid.empty()) object["metadata"]["uid"] = uid;
  if (multi_cluster) object["spec"]["multiClusterTargetGroup"] = true;
  return object;
}

std::vector<Finding> Judge(const cluster::ClusterState& state, const json& object,
                           Operation op = Operation::kCreate, const json& old = nullptr) {
  const policy::Policy policy;
  const Context ctx{op, "team-a", "web", policy, &state};
  auto findings = MakeTargetGroupBindingValidator()->Validate(ctx, object, old).findings;
  ExpectKnownChecks(findings);
  return findings;
}

std::shared_ptr<const cluster::ClusterState> State(const std::vector<json>& objects) {
  std::vector<std::string> skipped;
  auto state = cluster::ClusterState::FromObjects(objects, &skipped);
  EXPECT_TRUE(skipped.empty()) << skipped.front();
  return state;
}

TEST(TargetGroupBindingCluster, DuplicateOnCreateNamesEveryOtherBindingInOrder) {
  auto state = State({Stored("team-b", "api", "u-2"), Stored("team-a", "old", "u-3"),
                      Stored("team-c", "elsewhere", "u-4", kOtherArn)});
  EXPECT_EQ(
      Judge(*state, Candidate()),
      std::vector<Finding>{Deny("checkExistingTargetGroups", Duplicate("team-a/old team-b/api"))});
}

TEST(TargetGroupBindingCluster, DuplicateOnUpdateExcludesItsOwnOldVersionByUid) {
  // The stored old version of team-a/web (u-1) and another binding of the same target group.
  auto state = State({Stored("team-a", "web", "u-1"), Stored("team-b", "api", "u-2")});
  json updated = Candidate("u-1");
  updated["metadata"]["labels"] = {{"tier", "web"}};
  EXPECT_EQ(Judge(*state, updated, Operation::kUpdate, Candidate("u-1")),
            std::vector<Finding>{Deny("checkExistingTargetGroups", Duplicate("team-b/api"))});
}

TEST(TargetGroupBindingCluster, OwnOldVersionAloneIsNoDuplicate) {
  auto state = State({Stored("team-a", "web", "u-1")});
  EXPECT_TRUE(Judge(*state, Candidate("u-1"), Operation::kUpdate, Candidate("u-1")).empty());
  // Without a UID (CREATE, or `check` on a manifest) the same namespace/name is its own version.
  EXPECT_TRUE(Judge(*state, Candidate()).empty());
}

TEST(TargetGroupBindingCluster, MultiClusterMustBeSetOnAllBindings) {
  auto all = State(
      {Stored("team-b", "api", "u-2", kArn, true), Stored("team-c", "jobs", "u-3", kArn, true)});
  EXPECT_TRUE(Judge(*all, Candidate({}, true)).empty());
  // The candidate alone does not set it.
  EXPECT_EQ(
      Judge(*all, Candidate()),
      std::vector<Finding>{Deny("checkExistingTargetGroups", Duplicate("team-b/api team-c/jobs"))});
  // One of the others does not set it.
  auto some = State(
      {Stored("team-b", "api", "u-2", kArn, true), Stored("team-c", "jobs", "u-3", kArn, false)});
  EXPECT_EQ(
      Judge(*some, Candidate({}, true)),
      std::vector<Finding>{Deny("checkExistingTargetGroups", Duplicate("team-b/api team-c/jobs"))});
}

TEST(TargetGroupBindingCluster, NoArnYetOrNoViewMeansNoCheck) {
  auto state = State({Stored("team-b", "api", "u-2")});
  // The mutator fills the ARN from targetGroupName; this validator cannot resolve it.
  json by_name = TgbWith({{"targetGroupARN", nullptr}, {"targetGroupName", "my-tg"}});
  EXPECT_TRUE(Judge(*state, by_name).empty());
  // The view off: v1 behaviour.
  const policy::Policy policy;
  const Context off{Operation::kCreate, "team-a", "web", policy, nullptr};
  EXPECT_TRUE(
      MakeTargetGroupBindingValidator()->Validate(off, Candidate(), nullptr).findings.empty());
}

TEST(TargetGroupBindingCluster, UnavailableViewSkipsWithOneWarning) {
  auto state = cluster::ClusterState::Empty("not synced");
  EXPECT_EQ(Judge(*state, Candidate()),
            std::vector<Finding>{Warn("cluster-view",
                                      "cluster view unavailable: TargetGroupBinding duplicate "
                                      "target group check skipped")});
}

}  // namespace
}  // namespace albwebhook::rules
