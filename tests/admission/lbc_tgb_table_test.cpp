// The LBC's TargetGroupBinding webhook test tables (webhooks/elbv2/targetgroupbinding_validator_
// test.go and targetgroupbinding_mutator_test.go, LBC v3.5.0+ at 225f445), through the whole
// webhook: AdmissionReview -> ServeAdmission -> the real TargetGroupBinding handler -> the encoded
// response. Every row that needs no AWS answer is here, with our own data: the LBC's tables use
// "tg-1" for an ARN and "foo" for a role, which our format checks deny, so the rows use
// well-formed ones; every binding has the serviceRef the CRD schema requires. Where we list
// every problem and the LBC stops at its first (README "What differs from the LBC's own
// webhooks", "All problems at once"), the row asserts our full message. Rows that need a
// DescribeTargetGroups answer are listed as not ported at the end of this file.
#include <gtest/gtest.h>

#include "admission/lbc_table_support.hpp"

namespace albwebhook::testing {
namespace {

using nlohmann::json;

std::string Arn(const std::string& name) {
  // One well-formed ARN per LBC placeholder ("tg-1" -> .../targetgroup/tg-1/<16 hex>).
  return "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/" + name +
         "/0a1b2c3d4e5f6789";
}

constexpr const char* kRole = "arn:aws:iam::444455556666:role/tgb-cross-account";
constexpr const char* kClusterVpc = "vpc-0c1d2e3f4a5b6c7d8";
constexpr const char* kTypeRequired =
    "TargetGroupBinding must specify these fields: spec.targetType";
constexpr const char* kNodeSelectorIp =
    "TargetGroupBinding cannot set NodeSelector when TargetType is ip";
constexpr const char* kQuic = "QUIC protocol is not supported for Instance target types.";
const std::string kImmutable = "TargetGroupBinding update may not change these immutable fields: ";

/// A binding ns/name (uid = name) with serviceRef web:80 and `spec` merged in (null removes).
json Tgb(const json& spec, const std::string& name = "tgb1", const std::string& ns = "ns1") {
  json tgb = {{"apiVersion", "elbv2.k8s.aws/v1beta1"},
              {"kind", "TargetGroupBinding"},
              {"metadata", {{"name", name}, {"namespace", ns}, {"uid", name}}},
              {"spec", {{"serviceRef", {{"name", "web"}, {"port", 80}}}}}};
  tgb["spec"].merge_patch(spec);
  return tgb;
}

ReviewBuilder TgbReview(const json& tgb) {
  return Elbv2Review("TargetGroupBinding", "targetgroupbindings", tgb);
}

WebhookAnswer Validate(const json& tgb, const json& old_tgb = nullptr,
                       const policy::Policy& policy = policy::Policy{},
                       const std::optional<std::vector<json>>& cluster = std::nullopt) {
  auto review = TgbReview(tgb);
  if (!old_tgb.is_null()) review.Operation("UPDATE").OldObject(old_tgb);
  return ServeWhole("TargetGroupBinding", Hook::kValidate, review, policy, cluster);
}

struct Row {
  std::string name;
  json spec;
  json old_spec;  // null: CREATE
  Want want;
};

void RunRows(const std::vector<Row>& rows, const policy::Policy& policy = policy::Policy{}) {
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    ExpectAnswer(
        Validate(Tgb(row.spec), row.old_spec.is_null() ? json() : Tgb(row.old_spec), policy),
        row.want);
  }
}

// --- Test_targetGroupBindingValidator_ValidateCreate (the rows that need no AWS answer, and the
// rows whose AWS answer agrees with the spec: we make no AWS call and allow them) --------------

TEST(LbcTgbTable, ValidateCreate) {
  const std::vector<Row> rows = {
      {"targetType is not set",
       {{"targetGroupARN", Arn("tg-2")}},
       nullptr,
       {false, kTypeRequired, {}}},
      {"targetType is set",
       {{"targetGroupARN", Arn("tg-2")}, {"targetType", "instance"}},
       nullptr,
       {}},
      {"targetType ip with a nodeSelector",
       {{"targetGroupARN", Arn("tg-1")}, {"targetType", "ip"}, {"nodeSelector", json::object()}},
       nullptr,
       {false, kNodeSelectorIp, {}}},
      {"ipAddressType ipv4 (the target group's, per the LBC's mock)",
       {{"targetGroupARN", Arn("tg-2")}, {"targetType", "instance"}, {"ipAddressType", "ipv4"}},
       nullptr,
       {}},
      // The LBC resolves the name to an ARN (AWS); the binding is valid as written.
      {"targetGroupName instead of targetGroupARN",
       {{"targetGroupName", "tg-name"}, {"targetType", "instance"}, {"ipAddressType", "ipv4"}},
       nullptr,
       {}},
      {"vpcID of the target group",
       {{"targetGroupARN", Arn("tg-2")},
        {"targetType", "instance"},
        {"ipAddressType", "ipv6"},
        {"vpcID", kClusterVpc}},
       nullptr,
       {}},
      {"targetGroupProtocol of the target group",
       {{"targetGroupARN", Arn("tg-2")},
        {"targetType", "instance"},
        {"ipAddressType", "ipv6"},
        {"vpcID", kClusterVpc},
        {"targetGroupProtocol", "HTTP"}},
       nullptr,
       {}},
      {"QUIC with instance targets",
       {{"targetGroupARN", Arn("tg-2")},
        {"targetType", "instance"},
        {"ipAddressType", "ipv6"},
        {"vpcID", kClusterVpc},
        {"targetGroupProtocol", "QUIC"}},
       nullptr,
       {false, kQuic, {}}},
      {"TCP_QUIC with instance targets",
       {{"targetGroupARN", Arn("tg-2")},
        {"targetType", "instance"},
        {"ipAddressType", "ipv6"},
        {"vpcID", kClusterVpc},
        {"targetGroupProtocol", "TCP_QUIC"}},
       nullptr,
       {false, kQuic, {}}},
      {"QUIC with ip targets",
       {{"targetGroupARN", Arn("tg-2")},
        {"targetType", "ip"},
        {"ipAddressType", "ipv6"},
        {"vpcID", kClusterVpc},
        {"targetGroupProtocol", "QUIC"}},
       nullptr,
       {}},
      {"TCP_QUIC with ip targets",
       {{"targetGroupARN", Arn("tg-2")},
        {"targetType", "ip"},
        {"ipAddressType", "ipv6"},
        {"vpcID", kClusterVpc},
        {"targetGroupProtocol", "TCP_QUIC"}},
       nullptr,
       {}},
  };
  RunRows(rows);
}

// --- Test_targetGroupBindingValidator_ValidateUpdate -------------------------------------------

TEST(LbcTgbTable, ValidateUpdate) {
  const std::vector<Row> rows = {
      // The LBC stops at the required field; we also name the change (targetType is immutable).
      {"update removes targetType",
       {{"targetGroupARN", Arn("tg-1")}},
       {{"targetGroupARN", Arn("tg-1")}, {"targetType", "instance"}},
       {false, std::string(kTypeRequired) + "; " + kImmutable + "spec.targetType", {}}},
      {"update changes targetGroupARN",
       {{"targetGroupARN", Arn("tg-2")}, {"targetType", "instance"}},
       {{"targetGroupARN", Arn("tg-1")}, {"targetType", "instance"}},
       {false, kImmutable + "spec.targetGroupARN", {}}},
      // Old and new both have it: it is not new, and a denial of the object (not of the change)
      // that the old object had word for word is ratcheted into a warning on UPDATE (README "How
      // the server behaves"). The LBC denies every UPDATE of such a binding.
      {"ip with a nodeSelector, before and after",
       {{"targetGroupARN", Arn("tg-1")}, {"targetType", "ip"}, {"nodeSelector", json::object()}},
       {{"targetGroupARN", Arn("tg-1")}, {"targetType", "ip"}, {"nodeSelector", json::object()}},
       {true, "", {std::string("pre-existing, not blocking this update: ") + kNodeSelectorIp}}},
      {"update changes ipAddressType",
       {{"targetGroupARN", Arn("tg-2")}, {"targetType", "ip"}, {"ipAddressType", "ipv6"}},
       {{"targetGroupARN", Arn("tg-2")}, {"targetType", "ip"}, {"ipAddressType", "ipv4"}},
       {false, kImmutable + "spec.ipAddressType", {}}},
      {"no change to the spec",
       {{"targetGroupARN", Arn("tg-2")}, {"targetType", "ip"}},
       {{"targetGroupARN", Arn("tg-2")}, {"targetType", "ip"}},
       {}},
  };
  RunRows(rows);
}

// The same ip + nodeSelector UPDATE where the old binding had no nodeSelector: new, denied.
TEST(LbcTgbTable, ValidateUpdateAddingNodeSelectorToIp) {
  ExpectAnswer(Validate(Tgb({{"targetGroupARN", Arn("tg-1")},
                             {"targetType", "ip"},
                             {"nodeSelector", json::object()}}),
                        Tgb({{"targetGroupARN", Arn("tg-1")}, {"targetType", "ip"}})),
               {false, kNodeSelectorIp, {}});
}

// --- Test_targetGroupBindingValidator_checkRequiredFields --------------------------------------

TEST(LbcTgbTable, CheckRequiredFields) {
  const std::vector<Row> rows = {
      {"targetType is not set",
       {{"targetGroupARN", Arn("tg-2")}},
       nullptr,
       {false, kTypeRequired, {}}},
      {"neither targetGroupARN nor targetGroupName",
       {{"targetType", "instance"}},
       nullptr,
       {false,
        "TargetGroupBinding must specify these fields: either TargetGroupARN or TargetGroupName",
        {}}},
      {"both empty strings",
       {{"targetGroupARN", ""}, {"targetGroupName", ""}, {"targetType", "instance"}},
       nullptr,
       {false,
        "TargetGroupBinding must specify these fields: either TargetGroupARN or TargetGroupName",
        {}}},
      {"targetType is set",
       {{"targetGroupARN", Arn("tg-2")}, {"targetType", "instance"}},
       nullptr,
       {}},
  };
  RunRows(rows);
}

// --- Test_targetGroupBindingValidator_checkImmutableFields (the LBC's cluster VPC is
// policy targetGroupBinding.clusterVpcID) -------------------------------------------------------

TEST(LbcTgbTable, CheckImmutableFields) {
  const auto a1 = Arn("tg-1");
  const auto a2 = Arn("tg-2");
  const std::vector<Row> rows = {
      {"targetGroupARN changed",
       {{"targetGroupARN", a2}, {"targetType", "instance"}},
       {{"targetGroupARN", a1}, {"targetType", "instance"}},
       {false, kImmutable + "spec.targetGroupARN", {}}},
      {"targetType changed",
       {{"targetGroupARN", a1}, {"targetType", "ip"}},
       {{"targetGroupARN", a1}, {"targetType", "instance"}},
       {false, kImmutable + "spec.targetType", {}}},
      {"targetType from unset to set",
       {{"targetGroupARN", a1}, {"targetType", "ip"}},
       {{"targetGroupARN", a1}},
       {false, kImmutable + "spec.targetType", {}}},
      // The LBC's function-level row; its whole webhook says the required field first, as we do.
      {"targetType from set to unset",
       {{"targetGroupARN", a1}},
       {{"targetGroupARN", a1}, {"targetType", "ip"}},
       {false, std::string(kTypeRequired) + "; " + kImmutable + "spec.targetType", {}}},
      {"targetGroupARN and targetType changed",
       {{"targetGroupARN", a2}, {"targetType", "ip"}},
       {{"targetGroupARN", a1}, {"targetType", "instance"}},
       {false, kImmutable + "spec.targetGroupARN,spec.targetType", {}}},
      {"targetGroupARN and targetType unchanged",
       {{"targetGroupARN", a1}, {"targetType", "ip"}},
       {{"targetGroupARN", a1}, {"targetType", "ip"}},
       {}},
      {"ipAddressType changed",
       {{"targetGroupARN", a1}, {"targetType", "ip"}, {"ipAddressType", "ipv4"}},
       {{"targetGroupARN", a1}, {"targetType", "ip"}, {"ipAddressType", "ipv6"}},
       {false, kImmutable + "spec.ipAddressType", {}}},
      {"ipAddressType from unset to ipv6",
       {{"targetGroupARN", a2}, {"targetType", "ip"}, {"ipAddressType", "ipv6"}},
       {{"targetGroupARN", a2}, {"targetType", "ip"}},
       {false, kImmutable + "spec.ipAddressType", {}}},
      {"ipAddressType from unset to ipv4",
       {{"targetGroupARN", a2}, {"targetType", "ip"}, {"ipAddressType", "ipv4"}},
       {{"targetGroupARN", a2}, {"targetType", "ip"}},
       {}},
      {"ipAddressType from ipv4 to unset",
       {{"targetGroupARN", a2}, {"targetType", "ip"}},
       {{"targetGroupARN", a2}, {"targetType", "ip"}, {"ipAddressType", "ipv4"}},
       {false, kImmutable + "spec.ipAddressType", {}}},
      {"vpcID changed",
       {{"targetGroupARN", a2}, {"targetType", "ip"}, {"vpcID", "vpc-0bbbbbbb"}},
       {{"targetGroupARN", a2}, {"targetType", "ip"}, {"vpcID", "vpc-0aaaaaaa"}},
       {false, kImmutable + "spec.vpcID", {}}},
      {"vpcID removed",
       {{"targetGroupARN", a2}, {"targetType", "ip"}},
       {{"targetGroupARN", a2}, {"targetType", "ip"}, {"vpcID", "vpc-0aaaaaaa"}},
       {false, kImmutable + "spec.vpcID", {}}},
      {"vpcID added, not the cluster's",
       {{"targetGroupARN", a2}, {"targetType", "ip"}, {"vpcID", "vpc-0aaaaaaa"}},
       {{"targetGroupARN", a2}, {"targetType", "ip"}},
       {false, kImmutable + "spec.vpcID", {}}},
      {"vpcID added, the cluster's",
       {{"targetGroupARN", a2}, {"targetType", "ip"}, {"vpcID", kClusterVpc}},
       {{"targetGroupARN", a2}, {"targetType", "ip"}},
       {}},
  };
  policy::Policy policy;
  policy.target_group_binding.cluster_vpc_id = kClusterVpc;
  RunRows(rows, policy);
}

// Without a cluster VPC configured (the default policy), the LBC's "vpcID added, not the
// cluster's" row is allowed: we cannot tell the LBC's VPC from another, and the LBC writes its VPC
// into every binding it manages (README "What differs from the LBC's own webhooks").
TEST(LbcTgbTable, CheckImmutableFieldsWithoutClusterVpc) {
  ExpectAnswer(
      Validate(
          Tgb({{"targetGroupARN", Arn("tg-2")}, {"targetType", "ip"}, {"vpcID", "vpc-0aaaaaaa"}}),
          Tgb({{"targetGroupARN", Arn("tg-2")}, {"targetType", "ip"}})),
      Want{});
}

// --- Test_targetGroupBindingValidator_checkNodeSelector ----------------------------------------

TEST(LbcTgbTable, CheckNodeSelector) {
  const json selector = {{"matchLabels", {{"node.kubernetes.io/pool", "edge"}}}};
  const std::vector<Row> rows = {
      {"ip without nodeSelector",
       {{"targetGroupARN", Arn("tg-1")}, {"targetType", "ip"}},
       nullptr,
       {}},
      {"instance without nodeSelector",
       {{"targetGroupARN", Arn("tg-1")}, {"targetType", "instance"}},
       nullptr,
       {}},
      {"instance with nodeSelector",
       {{"targetGroupARN", Arn("tg-1")}, {"targetType", "instance"}, {"nodeSelector", selector}},
       nullptr,
       {}},
      {"ip with nodeSelector",
       {{"targetGroupARN", Arn("tg-1")}, {"targetType", "ip"}, {"nodeSelector", selector}},
       nullptr,
       {false, kNodeSelectorIp, {}}},
  };
  RunRows(rows);
}

// --- Test_targetGroupBindingValidator_checkExistingTargetGroups (the cluster's bindings given
// as the cluster view) ---------------------------------------------------------------------------

struct ExistingRow {
  std::string name;
  std::vector<json> existing;
  json candidate;
  Want want;
};

std::string Duplicate(const std::string& tg, const std::string& names) {
  return "TargetGroup " + Arn(tg) + " is already bound to following TargetGroupBindings [" + names +
         "]. Please enable MultiCluster mode on all TargetGroupBindings referencing " + Arn(tg) +
         " or choose a different Target Group ARN.";
}

TEST(LbcTgbTable, CheckExistingTargetGroups) {
  auto bound = [](const std::string& tg, const std::string& name, const std::string& ns,
                  bool multi = false) {
    json spec = {{"targetGroupARN", Arn(tg)}, {"targetType", "ip"}};
    if (multi) spec["multiClusterTargetGroup"] = true;
    return Tgb(spec, name, ns);
  };
  const std::vector<ExistingRow> rows = {
      {"no other binding", {}, bound("tg-1", "tgb1", "ns1"), {}},
      {"one binding of another target group",
       {bound("tg-1", "tgb1", "ns1")},
       bound("tg-2", "tgb2", "ns2"),
       {}},
      // The candidate's own stored version (same uid) is not a duplicate.
      {"several bindings, one of them the candidate itself",
       {bound("tg-1", "tgb1", "ns1"), bound("tg-2", "tgb2", "ns2"), bound("tg-3", "tgb3", "ns3"),
        bound("tg-22", "tgb22", "ns1")},
       bound("tg-22", "tgb22", "ns1"),
       {}},
      {"the target group bound once already",
       {bound("tg-1", "tgb1", "ns1")},
       bound("tg-1", "tgb2", "ns1"),
       {false, Duplicate("tg-1", "ns1/tgb1"), {}}},
      {"bound already, both multi-cluster",
       {bound("tg-1", "tgb1", "ns1", true)},
       bound("tg-1", "tgb2", "ns1", true),
       {}},
      {"three multi-cluster bindings, the candidate is not",
       {bound("tg-1", "tgb1", "ns1", true), bound("tg-1", "tgb3", "ns1", true),
        bound("tg-1", "tgb4", "ns1", true)},
       bound("tg-1", "tgb2", "ns1"),
       {false, Duplicate("tg-1", "ns1/tgb1 ns1/tgb3 ns1/tgb4"), {}}},
      {"one of three bindings has the target group",
       {bound("tg-1", "tgb1", "ns1"), bound("tg-111", "tgb2", "ns2"), bound("tg-3", "tgb3", "ns3")},
       bound("tg-111", "tgb111", "ns1"),
       {false, Duplicate("tg-111", "ns2/tgb2"), {}}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    ExpectAnswer(Validate(row.candidate, nullptr, policy::Policy{}, row.existing), row.want);
  }
}

// --- Test_targetGroupBindingValidator_checkTargetGroupVpcID (the format rows; a well-formed
// vpcID is allowed, the comparison with the target group's VPC is AWS's) -----------------------

TEST(LbcTgbTable, CheckTargetGroupVpcID) {
  auto vpc_error = [](const std::string& vpc) {
    return "ValidationError: vpcID " + vpc +
           " failed to satisfy constraint: VPC Id must begin with 'vpc-' followed by 8, 17 or 32 "
           "lowercase letters (a-f) or numbers.";
  };
  auto with_vpc = [](const std::string& vpc) {
    return json{{"targetGroupARN", Arn("tg-2")}, {"targetType", "ip"}, {"vpcID", vpc}};
  };
  const std::vector<Row> rows = {
      {"8 hex characters", with_vpc("vpc-9f8e7d6c"), nullptr, {}},
      {"17 hex characters", with_vpc("vpc-0a9b8c7d6e5f4a3b2"), nullptr, {}},
      {"32 hex characters (a UUID without dashes)",
       with_vpc("vpc-3f2c9a1e7b6d4c0e8a5f1b2d3c4e5f60"),
       nullptr,
       {}},
      {"vpcID not set", {{"targetGroupARN", Arn("tg-2")}, {"targetType", "ip"}}, nullptr, {}},
      {"8 characters, wrong prefix",
       with_vpc("vpcid-1a2b3c4d"),
       nullptr,
       {false, vpc_error("vpcid-1a2b3c4d"), {}}},
      {"8 characters, illegal characters",
       with_vpc("vpc-1a2b3c@!"),
       nullptr,
       {false, vpc_error("vpc-1a2b3c@!"), {}}},
      {"17 characters, wrong prefix",
       with_vpc("vpcid-0a9b8c7d6e5f4a3b2"),
       nullptr,
       {false, vpc_error("vpcid-0a9b8c7d6e5f4a3b2"), {}}},
      {"17 characters, illegal characters",
       with_vpc("vpc-0a9b8c7d6e5f4a3GL"),
       nullptr,
       {false, vpc_error("vpc-0a9b8c7d6e5f4a3GL"), {}}},
      {"32 characters, wrong prefix",
       with_vpc("vpcid-3f2c9a1e7b6d4c0e8a5f1b2d3c4e5f60"),
       nullptr,
       {false, vpc_error("vpcid-3f2c9a1e7b6d4c0e8a5f1b2d3c4e5f60"), {}}},
      {"32 characters, illegal characters",
       with_vpc("vpc-3f2c9a1e7b6d4c0e8a5f1b2d3c4e5fzY"),
       nullptr,
       {false, vpc_error("vpc-3f2c9a1e7b6d4c0e8a5f1b2d3c4e5fzY"), {}}},
  };
  RunRows(rows);
}

// --- TestCheckAssumeRoleConfig -----------------------------------------------------------------

TEST(LbcTgbTable, CheckAssumeRoleConfig) {
  const std::vector<Row> rows = {
      {"ip without assume role",
       {{"targetGroupARN", Arn("tg-1")}, {"targetType", "ip"}},
       nullptr,
       {}},
      {"instance without assume role",
       {{"targetGroupARN", Arn("tg-1")}, {"targetType", "instance"}},
       nullptr,
       {}},
      {"ip with assume role",
       {{"targetGroupARN", Arn("tg-1")}, {"targetType", "ip"}, {"iamRoleArnToAssume", kRole}},
       nullptr,
       {}},
      {"instance with assume role",
       {{"targetGroupARN", Arn("tg-1")}, {"targetType", "instance"}, {"iamRoleArnToAssume", kRole}},
       nullptr,
       {false, "Unable to use instance target type while using assume role", {}}},
  };
  RunRows(rows);
}

// --- Test_targetGroupBindingMutator_MutateCreate: the rows with every field already set (no AWS
// call in the LBC either): nothing to fill, no patch. The LBC's "vpcid-01" is not a VPC id; the
// rows use a well-formed one. ---------------------------------------------------------------------

TEST(LbcTgbTable, MutateCreateWithEveryFieldSet) {
  for (const char* ip_type : {"ipv4", "ipv6"}) {
    SCOPED_TRACE(ip_type);
    const json tgb = Tgb({{"targetGroupARN", Arn("tg-1")},
                          {"targetType", "instance"},
                          {"ipAddressType", ip_type},
                          {"vpcID", kClusterVpc},
                          {"targetGroupProtocol", "HTTP"}});
    const auto got = ServeWhole("TargetGroupBinding", Hook::kMutate, TgbReview(tgb));
    ExpectAnswer(got, Want{});
    EXPECT_TRUE(got.patch.is_null()) << got.patch.dump();
  }
}

// The mutator's first check (checkTargetGroupArnOrName), which precedes any AWS call.
TEST(LbcTgbTable, MutateCreateWithoutArnOrName) {
  const auto got =
      ServeWhole("TargetGroupBinding", Hook::kMutate, TgbReview(Tgb({{"targetType", "ip"}})));
  ExpectAnswer(got, {false, "must provide either TargetGroupARN or TargetGroupName", {}});
  EXPECT_TRUE(got.patch.is_null());
}

// Not ported (each needs a DescribeTargetGroups answer, which we never ask for):
//  ValidateCreate: "ipAddressType mismatch with TargetGroup", "ipAddressType unspecified in tgb,
//    ipv6 in TargetGroup", "VpcID provided doesnt match TG VpcID mismatch", "tg protocol provided
//    doesnt match TG protocol mismatch".
//  checkTargetGroupVpcID: "[err] Provided VpcID doesn't match VpcID from TargetGroup", "[err]
//    vpcID is not found" (an AWS error).
//  MutateCreate: every row that defaults targetType / ipAddressType / vpcID / protocol or
//    resolves targetGroupName from AWS, and their AWS-error rows; obtainSDKTargetTypeFromAWS,
//    getIPAddressTypeFromAWS, obtainSDKVpcIDFromAWS (AWS helpers).

}  // namespace
}  // namespace albwebhook::testing
