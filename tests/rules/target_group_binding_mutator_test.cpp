#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "albwebhook/json/json_patch.hpp"
#include "albwebhook/rules/target_group_binding.hpp"
#include "rules/target_group_binding_test_support.hpp"

namespace albwebhook::rules {
namespace {

using api::Operation;
using nlohmann::json;
using namespace tgb_test;  // BaseTgb, TgbWith, Deny, Warn, kArn...

constexpr const char* kArnOrNameRequired = "must provide either TargetGroupARN or TargetGroupName";

policy::Policy PolicyWithDefaults(std::string target_type, std::string ip_address_type,
                                  std::string vpc_id, std::string cluster_vpc_id = kClusterVpc) {
  policy::Policy p;
  p.target_group_binding.cluster_vpc_id = std::move(cluster_vpc_id);
  p.target_group_binding.defaults.target_type = std::move(target_type);
  p.target_group_binding.defaults.ip_address_type = std::move(ip_address_type);
  p.target_group_binding.defaults.vpc_id = std::move(vpc_id);
  return p;
}

Verdict MutateTgb(json& object, const policy::Policy& policy, Operation op = Operation::kCreate,
                  const json& old_object = nullptr) {
  const auto mutator = MakeTargetGroupBindingMutator();
  const Context ctx{op, "team-a", "web", policy};
  return mutator->Mutate(ctx, object, old_object);
}

struct Case {
  std::string name;
  json object;
  policy::Policy policy;
  json want_patch;
  std::vector<Finding> want_findings = {};
};

TEST(TargetGroupBindingMutatorTest, DefaultsOnCreate) {
  const policy::Policy all = PolicyWithDefaults("instance", "ipv4", "cluster");
  const policy::Policy none;
  json null_type = TgbWith({{"vpcID", ""}});
  null_type["spec"]["targetType"] = nullptr;
  const std::vector<Case> cases = {
      {"ok_no_policy_defaults_no_patch", TgbWith({{"targetType", nullptr}}), none, json::array()},
      {"ok_all_defaults_applied", TgbWith({{"targetType", nullptr}}), all, json::parse(R"([
         {"op": "add", "path": "/spec/ipAddressType", "value": "ipv4"},
         {"op": "add", "path": "/spec/targetType", "value": "instance"},
         {"op": "add", "path": "/spec/vpcID", "value": "vpc-0123456789abcdef0"}])")},
      {"ok_user_values_kept", TgbWith({{"ipAddressType", "ipv6"}, {"vpcID", "vpc-0123abcd"}}), all,
       json::array()},
      {"ok_wrong_typed_user_values_kept",
       TgbWith({{"targetType", 1}, {"ipAddressType", true}, {"vpcID", json::array()}}), all,
       json::array()},
      {"ok_null_and_empty_vpc_count_as_unset", null_type, all, json::parse(R"([
         {"op": "add", "path": "/spec/ipAddressType", "value": "ipv4"},
         {"op": "replace", "path": "/spec/targetType", "value": "instance"},
         {"op": "replace", "path": "/spec/vpcID", "value": "vpc-0123456789abcdef0"}])")},
      {"ok_literal_vpc_default", BaseTgb(), PolicyWithDefaults("", "", "vpc-0123abcd"),
       json::parse(R"([{"op": "add", "path": "/spec/vpcID", "value": "vpc-0123abcd"}])")},
      {"ok_cluster_vpc_default_without_cluster_vpc", BaseTgb(),
       PolicyWithDefaults("", "", "cluster", ""), json::array()},
      {"ok_name_only_gets_defaults_but_no_arn",
       TgbWith({{"targetGroupARN", nullptr}, {"targetGroupName", "my-tg"}}),
       PolicyWithDefaults("", "ipv6", ""),
       json::parse(R"([{"op": "add", "path": "/spec/ipAddressType", "value": "ipv6"}])")},
      {"err_missing_arn_and_name",
       TgbWith({{"targetGroupARN", nullptr}, {"targetType", nullptr}}),
       all,
       json::array(),
       {Deny("checkTargetGroupArnOrName", kArnOrNameRequired)}},
      {"err_empty_arn_and_name",
       TgbWith({{"targetGroupARN", ""}, {"targetGroupName", ""}}),
       all,
       json::array(),
       {Deny("checkTargetGroupArnOrName", kArnOrNameRequired)}},
      {"err_spec_missing",
       [] {
         json o = BaseTgb();
         o.erase("spec");
         return o;
       }(),
       all,
       json::array(),
       {Deny("checkTargetGroupArnOrName", kArnOrNameRequired)}},
      {"ok_spec_wrong_type_left_to_validator",
       [] {
         json o = BaseTgb();
         o["spec"] = json::array();
         return o;
       }(),
       all, json::array()},
      {"ok_object_wrong_type", json("x"), all, json::array()},
      {"ok_wrong_typed_arn_counts_as_set",
       TgbWith({{"targetGroupARN", 7}, {"targetType", nullptr}}), PolicyWithDefaults("ip", "", ""),
       json::parse(R"([{"op": "add", "path": "/spec/targetType", "value": "ip"}])")},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    json mutated = c.object;
    const Verdict verdict = MutateTgb(mutated, c.policy);
    EXPECT_EQ(verdict.findings, c.want_findings);
    ExpectKnownChecks(verdict.findings);
    const json patch = albwebhook::json::MakePatch(c.object, mutated);
    EXPECT_EQ(patch, c.want_patch) << patch.dump();
    // The patch applied to the exact original gives the mutated object...
    EXPECT_EQ(c.object.patch(patch), mutated);
    // ...and a second pass over it changes nothing (idempotent).
    json again = c.object.patch(patch);
    const Verdict second = MutateTgb(again, c.policy);
    EXPECT_EQ(second.findings, c.want_findings);
    EXPECT_EQ(albwebhook::json::MakePatch(mutated, again), json::array());
  }
}

TEST(TargetGroupBindingMutatorTest, UpdateAndOtherOperationsAreUntouched) {
  const policy::Policy all = PolicyWithDefaults("instance", "ipv4", "cluster");
  for (auto op : {Operation::kUpdate, Operation::kDelete, Operation::kConnect}) {
    SCOPED_TRACE(api::OperationName(op));
    for (const json& original :
         {TgbWith({{"targetType", nullptr}}), TgbWith({{"targetGroupARN", nullptr}})}) {
      json object = original;
      const Verdict verdict = MutateTgb(object, all, op, original);
      EXPECT_TRUE(verdict.findings.empty());
      EXPECT_EQ(object, original);
    }
  }
}

TEST(TargetGroupBindingMutatorTest, DefaultedObjectPassesTheValidator) {
  const policy::Policy all = PolicyWithDefaults("ip", "ipv4", "cluster");
  json object = TgbWith({{"targetType", nullptr}});
  ASSERT_TRUE(MutateTgb(object, all).findings.empty());
  const auto validator = MakeTargetGroupBindingValidator();
  const Context ctx{Operation::kCreate, "team-a", "web", all};
  EXPECT_TRUE(validator->Validate(ctx, object, nullptr).findings.empty());
  // Without a targetType default the validator says what is missing.
  json bare = TgbWith({{"targetType", nullptr}});
  const policy::Policy none;
  ASSERT_TRUE(MutateTgb(bare, none).findings.empty());
  const Context bare_ctx{Operation::kCreate, "team-a", "web", none};
  EXPECT_EQ(
      validator->Validate(bare_ctx, bare, nullptr).findings,
      std::vector<Finding>{Deny("checkRequiredFields",
                                "TargetGroupBinding must specify these fields: spec.targetType")});
}

}  // namespace
}  // namespace albwebhook::rules
