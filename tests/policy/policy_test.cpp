#include "albwebhook/policy/policy.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace albwebhook::policy {
namespace {

TEST(PolicyTest, EmbeddedDefaultEqualsAllKeysAtDefaults) {
  auto parsed = ParsePolicy(DefaultPolicyYaml());
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(*parsed, Policy{});
  EXPECT_EQ(parsed->ingress.class_names, std::vector<std::string>{"alb"});
  EXPECT_EQ(parsed->ingress.rules.unknown_annotations.mode, Mode::kWarn);
  EXPECT_FALSE(parsed->ingress.defaults.migrate_class_annotation);  // opt-in
}

TEST(PolicyTest, EmptyFileIsDefault) {
  auto parsed = ParsePolicy("");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, Policy{});
}

TEST(PolicyTest, ParsesEveryKey) {
  auto parsed = ParsePolicy(R"(
ingress:
  classNames: [alb, alb-internal]
  manageIngressesWithoutClass: true
  disableIngressClassAnnotation: true
  disableIngressGroupNameAnnotation: true
  defaults:
    annotations:
      alb.ingress.kubernetes.io/scheme: internal
      alb.ingress.kubernetes.io/target-type: ip
    tags: {team: platform, env: prod}
    loadBalancerAttributes: {idle_timeout.timeout_seconds: "120"}
    sslRedirect: true
    migrateClassAnnotation: true
  rules:
    internetFacing: {mode: deny, allowedNamespaces: [edge-*], excludeNamespaces: [sandbox]}
    wafRequired: {mode: warn, namespaces: [prod-*]}
    httpsRequired: {mode: deny}
    sslPolicies: {mode: deny, allowed: [ELBSecurityPolicy-TLS13-1-2-2021-06]}
    certificateAccounts: {mode: deny, allowed: ["123456789012"]}
    requiredTags: {mode: deny, keys: [team]}
    unknownAnnotations: {mode: deny}
    groupOwnership:
      mode: deny
      groups: {shared-public: [edge, edge-*]}
      unlisted: deny
targetGroupBinding:
  clusterVpcID: vpc-0123456789abcdef0
  defaults: {targetType: ip, ipAddressType: ipv4, vpcID: cluster}
  rules:
    allowedAccounts: {mode: deny, allowed: ["123456789012"]}
    allowedRegions: {mode: warn, allowed: [us-east-1, eu-west-1]}
)");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  const Policy& p = *parsed;
  EXPECT_EQ(p.ingress.class_names, (std::vector<std::string>{"alb", "alb-internal"}));
  EXPECT_TRUE(p.ingress.manage_ingresses_without_class);
  EXPECT_TRUE(p.ingress.disable_ingress_class_annotation);
  EXPECT_TRUE(p.ingress.disable_ingress_group_name_annotation);
  EXPECT_EQ(p.ingress.defaults.annotations,
            (StringMap{{"alb.ingress.kubernetes.io/scheme", "internal"},
                       {"alb.ingress.kubernetes.io/target-type", "ip"}}));
  EXPECT_EQ(p.ingress.defaults.tags, (StringMap{{"team", "platform"}, {"env", "prod"}}));
  EXPECT_EQ(p.ingress.defaults.load_balancer_attributes,
            (StringMap{{"idle_timeout.timeout_seconds", "120"}}));
  EXPECT_TRUE(p.ingress.defaults.ssl_redirect);
  EXPECT_TRUE(p.ingress.defaults.migrate_class_annotation);  // the default is false
  const auto& r = p.ingress.rules;
  EXPECT_EQ(r.internet_facing.mode, Mode::kDeny);
  EXPECT_EQ(r.internet_facing.allowed_namespaces, std::vector<std::string>{"edge-*"});
  EXPECT_EQ(r.internet_facing.exclude_namespaces, std::vector<std::string>{"sandbox"});
  EXPECT_EQ(r.waf_required.mode, Mode::kWarn);
  EXPECT_EQ(r.waf_required.namespaces, std::vector<std::string>{"prod-*"});
  EXPECT_EQ(r.https_required.mode, Mode::kDeny);
  EXPECT_EQ(r.ssl_policies.allowed,
            std::vector<std::string>{"ELBSecurityPolicy-TLS13-1-2-2021-06"});
  EXPECT_EQ(r.certificate_accounts.allowed, std::vector<std::string>{"123456789012"});
  EXPECT_EQ(r.required_tags.keys, std::vector<std::string>{"team"});
  EXPECT_EQ(r.unknown_annotations.mode, Mode::kDeny);
  EXPECT_EQ(r.group_ownership.mode, Mode::kDeny);
  ASSERT_EQ(r.group_ownership.groups.size(), 1U);
  EXPECT_EQ(r.group_ownership.groups[0].first, "shared-public");
  EXPECT_EQ(r.group_ownership.groups[0].second, (std::vector<std::string>{"edge", "edge-*"}));
  EXPECT_EQ(r.group_ownership.unlisted, UnlistedGroups::kDeny);
  const auto& t = p.target_group_binding;
  EXPECT_EQ(t.cluster_vpc_id, "vpc-0123456789abcdef0");
  EXPECT_EQ(t.defaults.target_type, "ip");
  EXPECT_EQ(t.defaults.ip_address_type, "ipv4");
  EXPECT_EQ(t.defaults.vpc_id, "cluster");
  EXPECT_EQ(t.rules.allowed_accounts.mode, Mode::kDeny);
  EXPECT_EQ(t.rules.allowed_regions.mode, Mode::kWarn);
  EXPECT_EQ(t.rules.allowed_regions.allowed, (std::vector<std::string>{"us-east-1", "eu-west-1"}));
}

TEST(PolicyTest, ErrorsNameTheKeyPath) {
  struct Case {
    std::string name;
    std::string yaml;
    std::string want_error;
  };
  const std::vector<Case> cases = {
      {"err_unknown_top_key", "ingres: {}", "ingres: unknown key"},
      {"err_unknown_rule_key",
       "ingress: {rules: {internetFacing: {mode: deny, allowedNamespace: [a]}}}",
       "ingress.rules.internetFacing.allowedNamespace: unknown key"},
      {"err_unknown_rule", "ingress: {rules: {wafRequird: {mode: deny}}}",
       "ingress.rules.wafRequird: unknown key"},
      {"err_bad_mode", "ingress: {rules: {sslPolicies: {mode: block}}}",
       "ingress.rules.sslPolicies.mode: expected one of deny, warn, off"},
      {"err_bool_type", "ingress: {manageIngressesWithoutClass: maybe}",
       "ingress.manageIngressesWithoutClass: expected true or false"},
      {"err_list_type", "ingress: {classNames: alb}",
       "ingress.classNames: expected a list of strings"},
      {"err_list_item_type", "ingress: {classNames: [alb, {a: b}]}",
       "ingress.classNames[1]: expected a string"},
      {"err_map_type", "ingress: {defaults: {tags: [a]}}",
       "ingress.defaults.tags: expected a mapping of strings to strings"},
      {"err_map_value_type", "ingress: {defaults: {tags: {team: [a]}}}",
       "ingress.defaults.tags.team: expected a string"},
      {"err_section_type", "ingress: [1]", "ingress: expected a mapping"},
      {"err_top_type", "- a", "(top level): expected a mapping"},
      {"err_unlisted", "ingress: {rules: {groupOwnership: {unlisted: maybe}}}",
       "ingress.rules.groupOwnership.unlisted: expected one of namespacePrefixed, sameNamespace, "
       "allow, deny"},
      {"err_groups_type", "ingress: {rules: {groupOwnership: {groups: {g: a}}}}",
       "ingress.rules.groupOwnership.groups.g: expected a list of strings"},
      {"err_account", "ingress: {rules: {certificateAccounts: {allowed: ['1234']}}}",
       "ingress.rules.certificateAccounts.allowed[0]: expected a 12-digit AWS account id"},
      {"err_tgb_target_type", "targetGroupBinding: {defaults: {targetType: lambda}}",
       "targetGroupBinding.defaults.targetType: expected \"\", instance or ip"},
      {"err_tgb_vpc_cluster_without_id", "targetGroupBinding: {defaults: {vpcID: cluster}}",
       "targetGroupBinding.defaults.vpcID: \"cluster\" needs targetGroupBinding.clusterVpcID to be "
       "set"},
      {"err_tgb_cluster_vpc", "targetGroupBinding: {clusterVpcID: vpc-xyz}",
       "targetGroupBinding.clusterVpcID: expected a VPC id (vpc- and 8, 17 or 32 hex digits)"},
      {"err_region", "targetGroupBinding: {rules: {allowedRegions: {allowed: [Mars]}}}",
       "targetGroupBinding.rules.allowedRegions.allowed[0]: expected an AWS region such as "
       "us-east-1"},
      {"err_namespaces_type", "targetGroupBinding: {rules: {allowedAccounts: {namespaces: x}}}",
       "targetGroupBinding.rules.allowedAccounts.namespaces: expected a list of strings"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto parsed = ParsePolicy(c.yaml);
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().message, c.want_error);
  }
}

// One VPC ID rule for the policy and the rules (common::IsVpcId): 8, 17 or 32 hex digits, as the
// LBC accepts for a TargetGroupBinding's spec.vpcID.
TEST(PolicyTest, ClusterVpcIdTakesEveryLengthTheLbcAccepts) {
  for (const std::string vpc :
       {"vpc-0123abcd", "vpc-0123456789abcdef0", "vpc-0123456789abcdef0123456789abcdef"}) {
    SCOPED_TRACE(vpc);
    auto parsed = ParsePolicy("targetGroupBinding: {clusterVpcID: " + vpc +
                              ", defaults: {vpcID: " + vpc + "}}");
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    EXPECT_EQ(parsed->target_group_binding.cluster_vpc_id, vpc);
    EXPECT_EQ(parsed->target_group_binding.defaults.vpc_id, vpc);
  }
  for (const std::string vpc :
       {"vpc-0123abc", "vpc-0123456789abcdef0123456789abcde", "vpc-0123456789ABCDEF0"}) {
    SCOPED_TRACE(vpc);
    EXPECT_FALSE(ParsePolicy("targetGroupBinding: {clusterVpcID: " + vpc + "}").has_value());
  }
}

// allowedRegions takes the regions the ARN checks accept (common::IsRegion).
TEST(PolicyTest, AllowedRegionsAreRegionsOfKnownPartitions) {
  EXPECT_TRUE(ParsePolicy("targetGroupBinding: {rules: {allowedRegions: {allowed: "
                          "[us-east-1, cn-north-1, us-gov-west-1, eusc-de-east-1]}}}")
                  .has_value());
  EXPECT_FALSE(ParsePolicy("targetGroupBinding: {rules: {allowedRegions: {allowed: [xx-foo-1]}}}")
                   .has_value());
}

TEST(PolicyTest, MissingFileIsAnError) {
  auto loaded = LoadPolicyFile("/nonexistent/albwebhook-policy.yaml");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().message, "cannot open policy file /nonexistent/albwebhook-policy.yaml");
}

// A key's control bytes are escaped in the message: a NUL at the start of an unknown top-level key
// once made the message empty (std::runtime_error::what() ends at the NUL), found by policy_fuzz.
TEST(PolicyTest, ErrorsEscapeControlBytesInKeys) {
  auto parsed = ParsePolicy(std::string("\"\\0x\": 1\n", 9));
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().message, "\\x00x: unknown key");

  parsed = ParsePolicy(std::string("ingress:\n  \"a\\nb\\e\": 1\n"));
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().message, "ingress.a\\x0ab\\x1b: unknown key");

  parsed = ParsePolicy(std::string("ingress: {defaults: {tags: {\"t\\0\": [a]}}}"));
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().message, "ingress.defaults.tags.t\\x00: expected a string");
}

TEST(PolicyTest, InvalidYamlIsAnError) {
  auto parsed = ParsePolicy("ingress: {classNames: [alb");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().message.rfind("invalid YAML: ", 0), 0U) << parsed.error().message;
}

TEST(GlobTest, Matches) {
  EXPECT_TRUE(GlobMatch("team-*", "team-a"));
  EXPECT_TRUE(GlobMatch("team-*", "team-"));
  EXPECT_FALSE(GlobMatch("team-*", "team"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("a?c", "abc"));
  EXPECT_FALSE(GlobMatch("a?c", "ac"));
  EXPECT_TRUE(GlobMatch("*-prod-*", "x-prod-y"));
  EXPECT_FALSE(GlobMatch("prod", "production"));
  EXPECT_TRUE(GlobMatch("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "aXXbYY"));
}

TEST(RuleTest, ModeForAppliesNamespaceScoping) {
  Rule rule{Mode::kDeny, {"team-*"}, {"team-sandbox"}};
  EXPECT_EQ(rule.ModeFor("team-a"), Mode::kDeny);
  EXPECT_EQ(rule.ModeFor("team-sandbox"), Mode::kOff);
  EXPECT_EQ(rule.ModeFor("other"), Mode::kOff);
  Rule everywhere{Mode::kWarn, {}, {"kube-*"}};
  EXPECT_EQ(everywhere.ModeFor("x"), Mode::kWarn);
  EXPECT_EQ(everywhere.ModeFor("kube-public"), Mode::kOff);
  Rule off{Mode::kOff, {}, {}};
  EXPECT_EQ(off.ModeFor("x"), Mode::kOff);
}

class PolicyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("albwebhook-policy-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "policy.yaml").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& text) { std::ofstream(path_, std::ios::trunc) << text; }
  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(PolicyStoreTest, ReloadGoodBadGood) {
  Write("ingress: {classNames: [one]}");
  auto initial = LoadPolicyFile(path_);
  ASSERT_TRUE(initial.has_value());
  PolicyStore store(path_, *initial, "ingress: {classNames: [one]}");
  const auto before = store.Current();
  EXPECT_EQ(store.Reload(), PolicyStore::ReloadOutcome::kUnchanged);

  Write("ingress: {classNames: [two]}");
  EXPECT_EQ(store.Reload(), PolicyStore::ReloadOutcome::kReloaded);
  EXPECT_EQ(store.Current()->ingress.class_names, std::vector<std::string>{"two"});
  // A snapshot taken before the reload is unchanged (requests in flight keep their policy).
  EXPECT_EQ(before->ingress.class_names, std::vector<std::string>{"one"});

  Write("ingress: {classNames: [three], bogus: 1}");
  std::string error;
  EXPECT_EQ(store.Reload(&error), PolicyStore::ReloadOutcome::kFailed);
  EXPECT_EQ(error, path_ + ": ingress.bogus: unknown key");
  EXPECT_EQ(store.Current()->ingress.class_names, std::vector<std::string>{"two"});
  // The same bad file is reported once, not at every poll.
  EXPECT_EQ(store.Reload(), PolicyStore::ReloadOutcome::kUnchanged);

  std::filesystem::remove(path_);
  EXPECT_EQ(store.Reload(&error), PolicyStore::ReloadOutcome::kFailed);
  EXPECT_EQ(store.Current()->ingress.class_names, std::vector<std::string>{"two"});

  Write("ingress: {classNames: [four]}");
  EXPECT_EQ(store.Reload(), PolicyStore::ReloadOutcome::kReloaded);
  EXPECT_EQ(store.Current()->ingress.class_names, std::vector<std::string>{"four"});
}

TEST_F(PolicyStoreTest, EmbeddedDefaultNeverReloads) {
  PolicyStore store("", Policy{});
  EXPECT_EQ(store.Reload(), PolicyStore::ReloadOutcome::kUnchanged);
  EXPECT_EQ(*store.Current(), Policy{});
}

}  // namespace
}  // namespace albwebhook::policy

namespace albwebhook::policy {
namespace {

// The ConfigMap shipped in deploy/ must load in the server and be the embedded default.
TEST(PolicyTest, DeployedPolicyLoadsAndEqualsEmbeddedDefault) {
  auto parsed = LoadPolicyFile(std::string(ALBWEBHOOK_TESTDATA) + "/../../deploy/base/policy.yaml");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(*parsed, Policy{});
}

}  // namespace
}  // namespace albwebhook::policy
