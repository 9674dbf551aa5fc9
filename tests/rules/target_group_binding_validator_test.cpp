#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "albwebhook/rules/target_group_binding.hpp"
#include "rules/target_group_binding_test_support.hpp"

namespace albwebhook::rules {
namespace {

using api::Operation;
using nlohmann::json;
using namespace tgb_test;  // BaseTgb, TgbWith, Deny, Warn, kArn...

// LBC messages, verbatim (reference/lbc-webhooks.md §5). checkRequiredFields names the missing
// fields after one prefix.
std::string MissingFields(std::string_view fields) {
  return "TargetGroupBinding must specify these fields: " + std::string(fields);
}
const std::string kMissingArnOrName = MissingFields("either TargetGroupARN or TargetGroupName");
const std::string kMissingTargetType = MissingFields("spec.targetType");
const std::string kMissingBoth =
    MissingFields("either TargetGroupARN or TargetGroupName,spec.targetType");
constexpr const char* kNodeSelectorWithIp =
    "TargetGroupBinding cannot set NodeSelector when TargetType is ip";
constexpr const char* kAssumeRoleWithInstance =
    "Unable to use instance target type while using assume role";
constexpr const char* kQuicWithInstance =
    "QUIC protocol is not supported for Instance target types.";

std::string VpcIdMessage(const std::string& vpc_id) {
  return "ValidationError: vpcID " + vpc_id +
         " failed to satisfy constraint: VPC Id must begin with 'vpc-' followed by 8, 17 or 32 "
         "lowercase letters (a-f) or numbers.";
}

policy::Policy DefaultPolicy() {
  policy::Policy p;
  p.target_group_binding.cluster_vpc_id = kClusterVpc;
  return p;
}

Verdict ValidateTgb(const json& object, const json& old_object = nullptr,
                    Operation op = Operation::kCreate,
                    const policy::Policy& policy = DefaultPolicy(),
                    std::string_view ns = "team-a") {
  const auto validator = MakeTargetGroupBindingValidator();
  const Context ctx{op, ns, "web", policy};
  return validator->Validate(ctx, object, old_object);
}

struct Case {
  std::string name;
  json object;
  std::vector<Finding> want;
};

void RunCases(const std::vector<Case>& cases, Operation op = Operation::kCreate) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Verdict verdict = ValidateTgb(c.object, nullptr, op);
    EXPECT_TRUE(verdict.in_scope);
    EXPECT_EQ(verdict.findings, c.want) << "got:\n" << Describe(verdict.findings);
    ExpectKnownChecks(verdict.findings);
  }
}

TEST(TargetGroupBindingValidatorTest, AcceptsValidObjects) {
  const std::vector<Case> cases = {
      {"ok_ip_target", BaseTgb(), {}},
      {"ok_instance_target_with_node_selector",
       TgbWith({{"targetType", "instance"},
                {"nodeSelector",
                 {{"matchLabels", {{"node.kubernetes.io/pool", "web"}, {"tier", ""}}},
                  {"matchExpressions",
                   json::array(
                       {{{"key", "zone"}, {"operator", "In"}, {"values", json::array({"a", "b"})}},
                        {{"key", "spot"}, {"operator", "DoesNotExist"}}})}}}}),
       {}},
      {"ok_name_only", TgbWith({{"targetGroupARN", nullptr}, {"targetGroupName", "my-tg"}}), {}},
      {"ok_arn_and_name", TgbWith({{"targetGroupName", "My-TG-01"}}), {}},
      {"ok_named_service_port", TgbWith({{"serviceRef", {{"name", "web"}, {"port", "http"}}}}), {}},
      {"ok_port_bounds", TgbWith({{"serviceRef", {{"name", "a1"}, {"port", 65535}}}}), {}},
      {"ok_vpc_id_8", TgbWith({{"vpcID", "vpc-0123abcd"}}), {}},
      {"ok_vpc_id_17", TgbWith({{"vpcID", kClusterVpc}}), {}},
      {"ok_vpc_id_32", TgbWith({{"vpcID", "vpc-0123456789abcdef0123456789abcdef"}}), {}},
      {"ok_empty_vpc_id", TgbWith({{"vpcID", ""}}), {}},
      {"ok_assume_role_with_ip",
       TgbWith({{"iamRoleArnToAssume", kRoleArn}, {"assumeRoleExternalId", "ext-1"}}),
       {}},
      {"ok_role_with_path",
       TgbWith({{"iamRoleArnToAssume", "arn:aws:iam::210987654321:role/a/b/r"}}),
       {}},
      {"ok_quic_with_ip", TgbWith({{"targetGroupProtocol", "QUIC"}}), {}},
      {"ok_tcp_quic_with_ip", TgbWith({{"targetGroupProtocol", "TCP_QUIC"}}), {}},
      {"ok_all_enums",
       TgbWith({{"targetGroupProtocol", "TCP_UDP"},
                {"ipAddressType", "ipv6"},
                {"multiClusterTargetGroup", true}}),
       {}},
      {"ok_other_partition",
       TgbWith({{"targetGroupARN",
                 "arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:targetgroup/t/"
                 "0123456789abcdef"}}),
       {}},
      {"ok_networking",
       TgbWith({{"networking",
                 {{"ingress",
                   json::array(
                       {{{"from",
                          json::array({{{"ipBlock", {{"cidr", "10.0.0.0/16"}}}},
                                       {{"ipBlock", {{"cidr", "2001:db8::/32"}}}},
                                       {{"securityGroup", {{"groupID", "sg-0123456789abcdef0"}}}},
                                       {{"securityGroup", {{"groupID", "sg-0123abcd"}}}}})},
                         {"ports", json::array({{{"protocol", "TCP"}, {"port", 8080}},
                                                {{"protocol", "UDP"}},
                                                {{"port", "http"}},
                                                json::object()})}}})}}}}),
       {}},
      {"ok_null_optional_fields",
       TgbWith({{"nodeSelector", nullptr}, {"networking", nullptr}, {"vpcID", nullptr}}),
       {}},
  };
  RunCases(cases);
}

TEST(TargetGroupBindingValidatorTest, ParityChecksUseTheLbcMessages) {
  json explicit_null_type = BaseTgb();
  explicit_null_type["spec"]["targetType"] = nullptr;
  const std::vector<Case> cases = {
      {"err_missing_arn_name_and_target_type",
       TgbWith({{"targetGroupARN", nullptr}, {"targetType", nullptr}}),
       {Deny("checkRequiredFields", kMissingBoth)}},
      {"err_missing_arn_and_name",
       TgbWith({{"targetGroupARN", ""}, {"targetGroupName", ""}}),
       {Deny("checkRequiredFields", kMissingArnOrName)}},
      {"err_missing_target_type",
       TgbWith({{"targetType", nullptr}}),
       {Deny("checkRequiredFields", kMissingTargetType)}},
      {"err_null_target_type",
       explicit_null_type,
       {Deny("checkRequiredFields", kMissingTargetType)}},
      {"err_ip_target_with_node_selector",
       TgbWith({{"nodeSelector", {{"matchLabels", {{"pool", "web"}}}}}}),
       {Deny("checkNodeSelector", kNodeSelectorWithIp)}},
      {"err_ip_target_with_empty_node_selector",
       TgbWith({{"nodeSelector", json::object()}}),
       {Deny("checkNodeSelector", kNodeSelectorWithIp)}},
      {"err_vpc_id_format",
       TgbWith({{"vpcID", "vpc-123"}}),
       {Deny("checkTargetGroupVpcID", VpcIdMessage("vpc-123"))}},
      {"err_vpc_id_uppercase",
       TgbWith({{"vpcID", "vpc-0123ABCD"}}),
       {Deny("checkTargetGroupVpcID", VpcIdMessage("vpc-0123ABCD"))}},
      {"err_instance_target_with_assume_role",
       TgbWith({{"targetType", "instance"}, {"iamRoleArnToAssume", kRoleArn}}),
       {Deny("checkAssumeRoleConfig", kAssumeRoleWithInstance)}},
      {"err_quic_with_instance",
       TgbWith({{"targetType", "instance"}, {"targetGroupProtocol", "QUIC"}}),
       {Deny("checkTargetGroupProtocol", kQuicWithInstance)}},
      {"err_tcp_quic_with_instance",
       TgbWith({{"targetType", "instance"}, {"targetGroupProtocol", "TCP_QUIC"}}),
       {Deny("checkTargetGroupProtocol", kQuicWithInstance)}},
      {"err_ip_node_selector_and_bad_vpc_in_lbc_order",
       TgbWith({{"targetGroupARN", nullptr}, {"nodeSelector", json::object()}, {"vpcID", "vpc-x"}}),
       {Deny("checkRequiredFields", kMissingArnOrName),
        Deny("checkNodeSelector", kNodeSelectorWithIp),
        Deny("checkTargetGroupVpcID", VpcIdMessage("vpc-x"))}},
      {"err_instance_vpc_role_quic_in_lbc_order",
       TgbWith({{"targetType", "instance"},
                {"vpcID", "vpc-x"},
                {"iamRoleArnToAssume", kRoleArn},
                {"targetGroupProtocol", "QUIC"}}),
       {Deny("checkTargetGroupVpcID", VpcIdMessage("vpc-x")),
        Deny("checkAssumeRoleConfig", kAssumeRoleWithInstance),
        Deny("checkTargetGroupProtocol", kQuicWithInstance)}},
  };
  RunCases(cases);
}

TEST(TargetGroupBindingValidatorTest, ParityChecksAlsoRunOnUpdate) {
  const json object = TgbWith({{"nodeSelector", json::object()}});
  const Verdict verdict = ValidateTgb(object, object, Operation::kUpdate);
  EXPECT_EQ(verdict.findings, std::vector<Finding>{Deny("checkNodeSelector", kNodeSelectorWithIp)});
}

struct UpdateCase {
  std::string name;
  json old_spec_patch;
  json new_spec_patch;
  std::vector<Finding> want;
  std::string cluster_vpc_id = kClusterVpc;
};

TEST(TargetGroupBindingValidatorTest, ImmutableFieldsOnUpdate) {
  const auto immutable = [](const std::string& fields) {
    return Deny("checkImmutableFields",
                "TargetGroupBinding update may not change these immutable fields: " + fields);
  };
  const std::vector<UpdateCase> cases = {
      {"ok_unchanged", json::object(), json::object(), {}},
      {"ok_protocol_and_networking_change_freely",
       {{"targetGroupProtocol", "HTTP"}},
       {{"targetGroupProtocol", "HTTPS"}, {"multiClusterTargetGroup", true}},
       {}},
      {"err_arn_changed",
       json::object(),
       {{"targetGroupARN", kOtherArn}},
       {immutable("spec.targetGroupARN")}},
      {"err_arn_removed_name_kept",
       {{"targetGroupName", "my-tg"}},
       {{"targetGroupName", "my-tg"}, {"targetGroupARN", nullptr}},
       {immutable("spec.targetGroupARN")}},
      {"err_arn_added_to_name_only",
       {{"targetGroupARN", nullptr}, {"targetGroupName", "my-tg"}},
       {{"targetGroupName", "my-tg"}},
       {immutable("spec.targetGroupARN")}},
      {"ok_arn_empty_string_equals_unset",
       {{"targetGroupARN", ""}, {"targetGroupName", "t"}},
       {{"targetGroupARN", nullptr}, {"targetGroupName", "t"}},
       {}},
      {"err_target_type_changed",
       json::object(),
       {{"targetType", "instance"}},
       {immutable("spec.targetType")}},
      {"err_target_type_removed",
       json::object(),
       {{"targetType", nullptr}},
       {Deny("checkRequiredFields", kMissingTargetType), immutable("spec.targetType")}},
      {"err_target_type_added",
       {{"targetType", nullptr}},
       json::object(),
       {immutable("spec.targetType")}},
      {"ok_ip_address_type_unset_to_ipv4", json::object(), {{"ipAddressType", "ipv4"}}, {}},
      {"err_ip_address_type_unset_to_ipv6",
       json::object(),
       {{"ipAddressType", "ipv6"}},
       {immutable("spec.ipAddressType")}},
      {"err_ip_address_type_ipv4_to_unset",
       {{"ipAddressType", "ipv4"}},
       json::object(),
       {immutable("spec.ipAddressType")}},
      {"err_ip_address_type_ipv4_to_ipv6",
       {{"ipAddressType", "ipv4"}},
       {{"ipAddressType", "ipv6"}},
       {immutable("spec.ipAddressType")}},
      {"ok_ip_address_type_same", {{"ipAddressType", "ipv6"}}, {{"ipAddressType", "ipv6"}}, {}},
      {"ok_vpc_id_empty_to_cluster_vpc", json::object(), {{"vpcID", kClusterVpc}}, {}},
      {"ok_vpc_id_empty_string_to_cluster_vpc", {{"vpcID", ""}}, {{"vpcID", kClusterVpc}}, {}},
      {"ok_vpc_id_same", {{"vpcID", "vpc-0123abcd"}}, {{"vpcID", "vpc-0123abcd"}}, {}},
      {"ok_vpc_id_unset_to_empty", json::object(), {{"vpcID", ""}}, {}},
      {"err_vpc_id_empty_to_other_vpc",
       json::object(),
       {{"vpcID", "vpc-0123abcd"}},
       {immutable("spec.vpcID")}},
      // Without clusterVpcID the controller's VPC is unknown: the LBC (v2.10+) writes its VPC
      // into every binding it manages, and that update must pass.
      {"ok_vpc_id_empty_to_any_without_cluster_vpc",
       json::object(),
       {{"vpcID", kClusterVpc}},
       {},
       ""},
      {"ok_vpc_id_empty_string_to_any_without_cluster_vpc",
       {{"vpcID", ""}},
       {{"vpcID", "vpc-0123abcd"}},
       {},
       ""},
      {"err_vpc_id_changed_without_cluster_vpc",
       {{"vpcID", kClusterVpc}},
       {{"vpcID", "vpc-0123abcd"}},
       {immutable("spec.vpcID")},
       ""},
      {"err_vpc_id_changed",
       {{"vpcID", kClusterVpc}},
       {{"vpcID", "vpc-0123abcd"}},
       {immutable("spec.vpcID")}},
      {"err_vpc_id_removed", {{"vpcID", kClusterVpc}}, {{"vpcID", ""}}, {immutable("spec.vpcID")}},
      {"err_all_four_in_lbc_order",
       {{"ipAddressType", "ipv4"}, {"vpcID", kClusterVpc}},
       {{"targetGroupARN", kOtherArn},
        {"targetType", "instance"},
        {"ipAddressType", "ipv6"},
        {"vpcID", "vpc-0123abcd"}},
       {immutable("spec.targetGroupARN,spec.targetType,spec.ipAddressType,spec.vpcID")}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    policy::Policy policy = DefaultPolicy();
    policy.target_group_binding.cluster_vpc_id = c.cluster_vpc_id;
    const Verdict verdict = ValidateTgb(TgbWith(c.new_spec_patch), TgbWith(c.old_spec_patch),
                                        Operation::kUpdate, policy);
    EXPECT_EQ(verdict.findings, c.want) << "got:\n" << Describe(verdict.findings);
    ExpectKnownChecks(verdict.findings);
  }
}

TEST(TargetGroupBindingValidatorTest, CreateIgnoresOldObjectAndOtherOperationsAreAllowed) {
  const json changed = TgbWith({{"targetType", "instance"}});
  EXPECT_TRUE(ValidateTgb(changed, BaseTgb(), Operation::kCreate).findings.empty());
  const json bad = TgbWith({{"targetGroupARN", nullptr}});
  EXPECT_TRUE(ValidateTgb(bad, bad, Operation::kDelete).findings.empty());
  EXPECT_TRUE(ValidateTgb(bad, nullptr, Operation::kConnect).findings.empty());
  // UPDATE without an old object: no immutability check, the rest still runs.
  EXPECT_EQ(ValidateTgb(bad, nullptr, Operation::kUpdate).findings,
            std::vector<Finding>{Deny("checkRequiredFields", kMissingArnOrName)});
}

TEST(TargetGroupBindingValidatorTest, FormatChecks) {
  // The tail of every format check's message: ` is not a valid <what> (want <want>)`.
  const auto not_valid = [](std::string_view what, std::string_view want) {
    return " is not a valid " + std::string(what) + " (want " + std::string(want) + ")";
  };
  const std::string kWantArn = not_valid(
      "target group ARN",
      "arn:<partition>:elasticloadbalancing:<region>:<12-digit account id>:targetgroup/<name>/"
      "<16 hex digits>");
  const std::string kWantName =
      not_valid("target group name",
                "1-32 alphanumeric characters or hyphens, not beginning or ending with a hyphen");
  const std::string kWantRole = not_valid(
      "IAM role ARN", "arn:<partition>:iam::<12-digit account id>:role/[<path>/]<role name>");
  const std::string kWantService = not_valid(
      "Service name",
      "a DNS-1035 label: at most 63 lowercase alphanumeric characters or '-', beginning with a "
      "letter and ending with an alphanumeric character");
  const std::string kWantPort = not_valid("port", "an integer 1-65535 or a port name");
  const std::string kWantCidr =
      not_valid("CIDR", "an IPv4 or IPv6 address and prefix length, e.g. 10.0.0.0/16");
  const std::string kWantSg =
      not_valid("security group ID", "sg- followed by 8 or 17 lowercase hex digits");
  const std::string kWantKey = not_valid(
      "label key",
      "[<DNS subdomain>/]<name>, name at most 63 characters of [A-Za-z0-9._-] beginning and "
      "ending with an alphanumeric character");
  const std::string kWantValue =
      not_valid("label value",
                "empty, or at most 63 characters of [A-Za-z0-9._-] beginning and ending with an "
                "alphanumeric character");
  const auto ingress = [](json from, json ports) {
    return json{{"networking", {{"ingress", json::array({{{"from", from}, {"ports", ports}}})}}}};
  };
  const json any_port = json::array({json::object()});
  const json any_peer = json::array({{{"ipBlock", {{"cidr", "0.0.0.0/0"}}}}});
  const std::string long_name(200, 'a');

  const std::vector<Case> cases = {
      {"err_arn_wrong_service",
       TgbWith({{"targetGroupARN",
                 "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/x/"
                 "73e2d6bc24d8a067"}}),
       {Deny("targetGroupARN",
             "spec.targetGroupARN \"arn:aws:elasticloadbalancing:us-west-2:123456789012:"
             "loadbalancer/app/x/73e2d6bc24d8a067\"" +
                 kWantArn)}},
      {"err_arn_short_account", TgbWith({{"targetGroupARN", "arn:aws:elasticloadbalancing:us-west-2:1234:targetgroup/t/73e2d6bc24d8a067"}}),
       {Deny("targetGroupARN", "spec.targetGroupARN \"arn:aws:elasticloadbalancing:us-west-2:1234:targetgroup/t/73e2d6bc24d8a067\"" + kWantArn)}},
      {"err_arn_bad_id", TgbWith({{"targetGroupARN", "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/t/XYZ"}}),
       {Deny("targetGroupARN", "spec.targetGroupARN \"arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/t/XYZ\"" + kWantArn)}},
      {"err_arn_is_a_name", TgbWith({{"targetGroupARN", "my-tg"}}),
       {Deny("targetGroupARN", "spec.targetGroupARN \"my-tg\"" + kWantArn)}},
      {"err_arn_long_value_cut", TgbWith({{"targetGroupARN", long_name}}),
       {Deny("targetGroupARN",
             "spec.targetGroupARN \"" + std::string(128, 'a') + "...\"" + kWantArn)}},
      {"err_name_leading_hyphen", TgbWith({{"targetGroupName", "-tg"}}),
       {Deny("targetGroupName", "spec.targetGroupName \"-tg\"" + kWantName)}},
      {"err_name_trailing_hyphen", TgbWith({{"targetGroupName", "tg-"}}),
       {Deny("targetGroupName", "spec.targetGroupName \"tg-\"" + kWantName)}},
      {"err_name_too_long", TgbWith({{"targetGroupName", std::string(33, 'a')}}),
       {Deny("targetGroupName", "spec.targetGroupName \"" + std::string(33, 'a') + "\"" + kWantName)}},
      {"ok_name_32", TgbWith({{"targetGroupName", std::string(32, 'a')}}), {}},
      {"err_name_underscore", TgbWith({{"targetGroupName", "my_tg"}}),
       {Deny("targetGroupName", "spec.targetGroupName \"my_tg\"" + kWantName)}},
      {"err_target_type_enum", TgbWith({{"targetType", "lambda"}}),
       {Deny("targetType", "spec.targetType \"lambda\" is not supported (want one of: instance, ip)")}},
      {"err_protocol_enum", TgbWith({{"targetGroupProtocol", "GENEVE"}}),
       {Deny("targetGroupProtocol",
             "spec.targetGroupProtocol \"GENEVE\" is not supported (want one of: HTTP, HTTPS, TCP, "
             "TLS, UDP, TCP_UDP, QUIC, TCP_QUIC)")}},
      {"err_ip_address_type_enum", TgbWith({{"ipAddressType", "dualstack"}}),
       {Deny("ipAddressType",
             "spec.ipAddressType \"dualstack\" is not supported (want one of: ipv4, ipv6)")}},
      {"err_service_ref_missing", TgbWith({{"serviceRef", nullptr}}),
       {Deny("serviceRef", "spec.serviceRef is required")}},
      {"err_service_ref_empty", [] {
         json o = BaseTgb();
         o["spec"]["serviceRef"] = json::object();
         return o;
       }(),
       {Deny("serviceRef", "spec.serviceRef.name is required"),
        Deny("serviceRef", "spec.serviceRef.port is required")}},
      {"err_service_name_uppercase", TgbWith({{"serviceRef", {{"name", "Web"}}}}),
       {Deny("serviceRef", "spec.serviceRef.name \"Web\"" + kWantService)}},
      {"err_service_name_leading_digit", TgbWith({{"serviceRef", {{"name", "1web"}}}}),
       {Deny("serviceRef", "spec.serviceRef.name \"1web\"" + kWantService)}},
      {"err_service_port_zero", TgbWith({{"serviceRef", {{"port", 0}}}}),
       {Deny("serviceRef", "spec.serviceRef.port 0" + kWantPort)}},
      {"err_service_port_too_big", TgbWith({{"serviceRef", {{"port", 65536}}}}),
       {Deny("serviceRef", "spec.serviceRef.port 65536" + kWantPort)}},
      {"err_service_port_negative", TgbWith({{"serviceRef", {{"port", -1}}}}),
       {Deny("serviceRef", "spec.serviceRef.port -1" + kWantPort)}},
      {"err_service_port_float", TgbWith({{"serviceRef", {{"port", 80.5}}}}),
       {Deny("serviceRef", "spec.serviceRef.port 80.5" + kWantPort)}},
      // A Service port name is a DNS-1123 label: all digits is legal (a warning: probably a
      // quoted number), and up to 63 characters (the 15-character limit is for container ports).
      {"warn_service_port_numeric_string", TgbWith({{"serviceRef", {{"port", "80"}}}}),
       {Warn("serviceRef", "spec.serviceRef.port \"80\" is a string: the LBC looks it up as a "
                           "Service port name; write the port number without quotes")}},
      {"ok_service_port_name_over_15", TgbWith({{"serviceRef", {{"port", "a-very-long-port-name"}}}}), {}},
      {"err_service_port_name_over_63",
       TgbWith({{"serviceRef", {{"port", std::string(64, 'p')}}}}),
       {Deny("serviceRef", "spec.serviceRef.port \"" + std::string(64, 'p') + "\"" + kWantPort)}},
      {"err_service_port_name_uppercase", TgbWith({{"serviceRef", {{"port", "Http"}}}}),
       {Deny("serviceRef", "spec.serviceRef.port \"Http\"" + kWantPort)}},
      // The LBC uses the security group and never reads the ipBlock (not even a bad CIDR).
      {"warn_peer_with_both", TgbWith(ingress(json::array({{{"ipBlock", {{"cidr", "10.0.0.0/33"}}}, {"securityGroup", {{"groupID", "sg-0123abcd"}}}}}), any_port)),
       {Warn("networking", "spec.networking.ingress[0].from[0] sets both ipBlock and securityGroup: the LBC uses securityGroup and ignores ipBlock; set only one")}},
      {"err_peer_with_neither", TgbWith(ingress(json::array({json::object(), {{"ipBlock", json::object()}}}), any_port)),
       {Deny("networking", "spec.networking.ingress[0].from[0] must set one of ipBlock.cidr and securityGroup.groupID"),
        Deny("networking", "spec.networking.ingress[0].from[1] must set one of ipBlock.cidr and securityGroup.groupID")}},
      {"err_peer_bad_cidr", TgbWith(ingress(json::array({{{"ipBlock", {{"cidr", "10.0.0.0/33"}}}}, {{"ipBlock", {{"cidr", "10.0.0.0"}}}}, {{"ipBlock", {{"cidr", "2001:db8::/129"}}}}}), any_port)),
       {Deny("networking", "spec.networking.ingress[0].from[0].ipBlock.cidr \"10.0.0.0/33\"" + kWantCidr),
        Deny("networking", "spec.networking.ingress[0].from[1].ipBlock.cidr \"10.0.0.0\"" + kWantCidr),
        Deny("networking", "spec.networking.ingress[0].from[2].ipBlock.cidr \"2001:db8::/129\"" + kWantCidr)}},
      {"err_peer_bad_security_group", TgbWith(ingress(json::array({{{"securityGroup", {{"groupID", "sg-123"}}}}, {{"securityGroup", {{"groupID", "web-sg"}}}}}), any_port)),
       {Deny("networking", "spec.networking.ingress[0].from[0].securityGroup.groupID \"sg-123\"" + kWantSg),
        Deny("networking", "spec.networking.ingress[0].from[1].securityGroup.groupID \"web-sg\"" + kWantSg)}},
      {"err_networking_port_protocol", TgbWith(ingress(any_peer, json::array({{{"protocol", "SCTP"}, {"port", 80}}}))),
       {Deny("networking", "spec.networking.ingress[0].ports[0].protocol \"SCTP\" is not supported (want one of: TCP, UDP)")}},
      {"err_networking_port_range", TgbWith(ingress(any_peer, json::array({{{"port", 0}}, {{"port", 70000}}}))),
       {Deny("networking", "spec.networking.ingress[0].ports[0].port 0" + kWantPort),
        Deny("networking", "spec.networking.ingress[0].ports[1].port 70000" + kWantPort)}},
      {"err_named_networking_port_with_instance_targets",
       [&] { json o = TgbWith(ingress(any_peer, json::array({{{"port", "http"}}}))); o["spec"]["targetType"] = "instance"; return o; }(),
       {Deny("networking", "spec.networking.ingress[0].ports[0].port \"http\" must be numeric when spec.targetType is instance")}},
      {"err_networking_rule_without_from_and_ports", TgbWith({{"networking", {{"ingress", json::array({json::object()})}}}}),
       {Deny("networking", "spec.networking.ingress[0].from is required"),
        Deny("networking", "spec.networking.ingress[0].ports is required")}},
      {"err_node_selector_bad_key_and_value",
       TgbWith({{"targetType", "instance"}, {"nodeSelector", {{"matchLabels", {{"-bad", "ok"}, {"good", "bad value"}}}}}}),
       {Deny("nodeSelector", "spec.nodeSelector.matchLabels key \"-bad\"" + kWantKey),
        Deny("nodeSelector", "spec.nodeSelector.matchLabels[\"good\"] \"bad value\"" + kWantValue)}},
      {"err_node_selector_bad_prefix",
       TgbWith({{"targetType", "instance"}, {"nodeSelector", {{"matchLabels", {{"Example.com/a", "x"}, {"a/b/c", "x"}}}}}}),
       {Deny("nodeSelector", "spec.nodeSelector.matchLabels key \"Example.com/a\"" + kWantKey),
        Deny("nodeSelector", "spec.nodeSelector.matchLabels key \"a/b/c\"" + kWantKey)}},
      {"err_node_selector_expressions",
       TgbWith({{"targetType", "instance"},
                {"nodeSelector", {{"matchExpressions", json::array({
                    {{"key", "a"}, {"operator", "In"}},
                    {{"key", "b"}, {"operator", "Exists"}, {"values", json::array({"x"})}},
                    {{"key", "c"}, {"operator", "Gt"}, {"values", json::array({"1"})}},
                    {{"operator", "NotIn"}, {"values", json::array({"-x"})}}})}}}}),
       {Deny("nodeSelector", "spec.nodeSelector.matchExpressions[0].values must be non-empty when operator is In"),
        Deny("nodeSelector", "spec.nodeSelector.matchExpressions[1].values must be empty when operator is Exists"),
        Deny("nodeSelector", "spec.nodeSelector.matchExpressions[2].operator \"Gt\" is not supported (want one of: In, NotIn, Exists, DoesNotExist)"),
        Deny("nodeSelector", "spec.nodeSelector.matchExpressions[3].key is required"),
        Deny("nodeSelector", "spec.nodeSelector.matchExpressions[3].values[0] \"-x\"" + kWantValue)}},
      {"err_role_arn_not_iam", TgbWith({{"iamRoleArnToAssume", "arn:aws:sts::210987654321:assumed-role/x/y"}}),
       {Deny("iamRoleArnToAssume", "spec.iamRoleArnToAssume \"arn:aws:sts::210987654321:assumed-role/x/y\"" + kWantRole)}},
      {"err_role_arn_with_region", TgbWith({{"iamRoleArnToAssume", "arn:aws:iam:us-west-2:210987654321:role/x"}}),
       {Deny("iamRoleArnToAssume", "spec.iamRoleArnToAssume \"arn:aws:iam:us-west-2:210987654321:role/x\"" + kWantRole)}},
      {"err_role_arn_user", TgbWith({{"iamRoleArnToAssume", "arn:aws:iam::210987654321:user/x"}}),
       {Deny("iamRoleArnToAssume", "spec.iamRoleArnToAssume \"arn:aws:iam::210987654321:user/x\"" + kWantRole)}},
      {"ok_empty_role", TgbWith({{"iamRoleArnToAssume", ""}}), {}},
      {"err_value_with_quotes_is_escaped", TgbWith({{"targetGroupName", "a\"b\n"}}),
       {Deny("targetGroupName", "spec.targetGroupName \"a\\\"b\\n\"" + kWantName)}},
  };
  RunCases(cases);
}

TEST(TargetGroupBindingValidatorTest, WrongJsonTypesAreReportedNotThrown) {
  const std::vector<Case> cases = {
      {"err_object_is_array",
       json::array(),
       {Deny("spec", "the TargetGroupBinding must be an object, got array")}},
      {"err_spec_is_string",
       [] {
         json o = BaseTgb();
         o["spec"] = "x";
         return o;
       }(),
       {Deny("spec", "spec must be an object, got string")}},
      {"err_spec_missing",
       [] {
         json o = BaseTgb();
         o.erase("spec");
         return o;
       }(),
       {Deny("checkRequiredFields", kMissingBoth),
        Deny("serviceRef", "spec.serviceRef is required")}},
      {"err_arn_number",
       TgbWith({{"targetGroupARN", 5}}),
       {Deny("targetGroupARN", "spec.targetGroupARN must be a string, got number")}},
      {"err_name_object",
       TgbWith({{"targetGroupName", {{"a", 1}}}}),
       {Deny("targetGroupName", "spec.targetGroupName must be a string, got object")}},
      {"err_target_type_bool",
       TgbWith({{"targetType", true}}),
       {Deny("targetType", "spec.targetType must be a string, got boolean")}},
      {"err_multicluster_string",
       TgbWith({{"multiClusterTargetGroup", "true"}}),
       {Deny("multiClusterTargetGroup",
             "spec.multiClusterTargetGroup must be a boolean, got string")}},
      {"err_protocol_array",
       TgbWith({{"targetGroupProtocol", json::array({"QUIC"})}}),
       {Deny("targetGroupProtocol", "spec.targetGroupProtocol must be a string, got array")}},
      {"err_service_ref_string",
       TgbWith({{"serviceRef", "web:80"}}),
       {Deny("serviceRef", "spec.serviceRef must be an object, got string")}},
      {"err_service_fields",
       TgbWith({{"serviceRef", {{"name", 7}, {"port", {{"x", 1}}}}}}),
       {Deny("serviceRef", "spec.serviceRef.name must be a string, got number"),
        Deny("serviceRef", "spec.serviceRef.port must be an integer or a string, got object")}},
      {"err_networking_types",
       TgbWith({{"networking", {{"ingress", {{"from", 1}}}}}}),
       {Deny("networking", "spec.networking.ingress must be an array, got object")}},
      {"err_networking_nested_types",
       TgbWith({{"networking",
                 {{"ingress",
                   json::array({1,
                                {{"from", "x"}, {"ports", json::array({"y", {{"port", true}}})}},
                                {{"from", json::array({{{"ipBlock", "10.0.0.0/8"}},
                                                       {{"ipBlock", {{"cidr", 10}}}}})},
                                 {"ports", json::array()}}})}}}}),
       {Deny("networking", "spec.networking.ingress[0] must be an object, got number"),
        Deny("networking", "spec.networking.ingress[1].from must be an array, got string"),
        Deny("networking", "spec.networking.ingress[1].ports[0] must be an object, got string"),
        Deny(
            "networking",
            "spec.networking.ingress[1].ports[1].port must be an integer or a string, got boolean"),
        Deny("networking",
             "spec.networking.ingress[2].from[0].ipBlock must be an object, got string"),
        Deny("networking",
             "spec.networking.ingress[2].from[1].ipBlock.cidr must be a string, got number")}},
      {"err_node_selector_types",
       TgbWith(
           {{"targetType", "instance"},
            {"nodeSelector", {{"matchLabels", {{"a", 1}}}, {"matchExpressions", {{"key", "a"}}}}}}),
       {Deny("nodeSelector", "spec.nodeSelector.matchLabels[\"a\"] must be a string, got number"),
        Deny("nodeSelector", "spec.nodeSelector.matchExpressions must be an array, got object")}},
      {"err_node_selector_string_with_ip",
       TgbWith({{"nodeSelector", "pool=web"}}),
       {Deny("checkNodeSelector", kNodeSelectorWithIp),
        Deny("nodeSelector", "spec.nodeSelector must be an object, got string")}},
      {"err_vpc_id_number",
       TgbWith({{"vpcID", 12}}),
       {Deny("vpcID", "spec.vpcID must be a string, got number")}},
      {"err_role_and_external_id_types",
       TgbWith({{"iamRoleArnToAssume", json::array()}, {"assumeRoleExternalId", 1}}),
       {Deny("iamRoleArnToAssume", "spec.iamRoleArnToAssume must be a string, got array"),
        Deny("assumeRoleExternalId", "spec.assumeRoleExternalId must be a string, got number")}},
  };
  RunCases(cases);
}

// Replaces every node of a rich object, one at a time, with values of every JSON type; the rule
// sets must never throw, whatever they get.
TEST(TargetGroupBindingValidatorTest, NeverThrowsOnAnyTypeAnywhere) {
  const json rich = TgbWith(json::parse(R"({
    "targetGroupName": "t", "targetGroupProtocol": "HTTP", "multiClusterTargetGroup": false,
    "ipAddressType": "ipv4", "vpcID": "vpc-0123abcd",
    "iamRoleArnToAssume": "arn:aws:iam::210987654321:role/x", "assumeRoleExternalId": "e",
    "nodeSelector": {"matchLabels": {"a": "b"}, "matchExpressions": [{"key": "k", "operator": "In", "values": ["v"]}]},
    "networking": {"ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}}, {"securityGroup": {"groupID": "sg-0123abcd"}}],
                                "ports": [{"protocol": "TCP", "port": 80}]}]}
  })"));
  const std::vector<json> replacements = {nullptr,
                                          true,
                                          0,
                                          -1,
                                          18446744073709551615ULL,
                                          1.5,
                                          "",
                                          "x",
                                          json::array(),
                                          json::array({1}),
                                          json::object(),
                                          json{{"a", 1}}};
  const json flat = rich.flatten();
  std::set<std::string> pointers = {""};
  for (const auto& item : flat.items()) {
    // Every prefix of every leaf pointer is a node to replace.
    const std::string& pointer = item.key();
    for (std::size_t pos = pointer.find('/', 1);; pos = pointer.find('/', pos + 1)) {
      pointers.insert(pointer.substr(0, pos));
      if (pos == std::string::npos) break;
    }
  }
  policy::Policy policy = DefaultPolicy();
  policy.target_group_binding.rules.allowed_accounts.mode = policy::Mode::kDeny;
  policy.target_group_binding.rules.allowed_regions.mode = policy::Mode::kWarn;
  policy.target_group_binding.defaults = {"ip", "ipv4", "cluster"};
  const auto validator = MakeTargetGroupBindingValidator();
  const auto mutator = MakeTargetGroupBindingMutator();
  std::size_t runs = 0;
  for (const auto& pointer : pointers) {
    for (const auto& replacement : replacements) {
      json object = rich;
      object[json::json_pointer(pointer)] = replacement;
      for (auto op : {Operation::kCreate, Operation::kUpdate}) {
        const Context ctx{op, "team-a", "web", policy};
        EXPECT_NO_THROW({
          const Verdict v1 = validator->Validate(ctx, object, rich);
          const Verdict v2 = validator->Validate(ctx, rich, object);
          ExpectKnownChecks(v1.findings);
          ExpectKnownChecks(v2.findings);
          json copy = object;
          const Verdict v3 = mutator->Mutate(ctx, copy, rich);
          ExpectKnownChecks(v3.findings);
        }) << pointer;
        ++runs;
      }
    }
  }
  EXPECT_GT(runs, 200u);
}

struct PolicyCase {
  std::string name;
  std::function<void(policy::TargetGroupBindingRules&)> configure;
  json spec_patch;
  std::string ns = "team-a";
  std::vector<Finding> want;
};

TEST(TargetGroupBindingValidatorTest, PolicyRules) {
  const std::string accounts = "targetGroupBinding.rules.allowedAccounts";
  const std::string regions = "targetGroupBinding.rules.allowedRegions";
  const std::string tg_account_msg =
      accounts +
      ": account 123456789012 of spec.targetGroupARN is not allowed (allowed: 111111111111)";
  const std::string role_account_msg =
      accounts +
      ": account 210987654321 of spec.iamRoleArnToAssume is not allowed (allowed: 111111111111)";
  const std::string region_msg =
      regions +
      ": region us-west-2 of spec.targetGroupARN is not allowed (allowed: eu-west-1, eu-central-1)";
  const auto accounts_rule = [](policy::Mode mode, std::vector<std::string> allowed) {
    return [=](policy::TargetGroupBindingRules& r) {
      r.allowed_accounts.mode = mode;
      r.allowed_accounts.allowed = allowed;
    };
  };
  const auto regions_rule = [](policy::Mode mode) {
    return [=](policy::TargetGroupBindingRules& r) {
      r.allowed_regions.mode = mode;
      r.allowed_regions.allowed = {"eu-west-1", "eu-central-1"};
    };
  };
  const std::vector<PolicyCase> cases = {
      {"ok_rules_off_by_default", [](auto&) {}, json::object(), "team-a", {}},
      {"ok_account_allowed",
       accounts_rule(policy::Mode::kDeny, {"123456789012"}),
       json::object(),
       "team-a",
       {}},
      {"err_account_denied",
       accounts_rule(policy::Mode::kDeny, {"111111111111"}),
       json::object(),
       "team-a",
       {Deny(accounts, tg_account_msg)}},
      {"warn_account_warn_mode",
       accounts_rule(policy::Mode::kWarn, {"111111111111"}),
       json::object(),
       "team-a",
       {Warn(accounts, tg_account_msg)}},
      {"ok_account_off_mode",
       accounts_rule(policy::Mode::kOff, {"111111111111"}),
       json::object(),
       "team-a",
       {}},
      {"err_empty_allow_list_allows_nothing",
       accounts_rule(policy::Mode::kDeny, {}),
       json::object(),
       "team-a",
       {Deny(accounts,
             accounts +
                 ": account 123456789012 of spec.targetGroupARN is not allowed (allowed: none)")}},
      {"err_role_account_denied",
       accounts_rule(policy::Mode::kDeny, {"111111111111"}),
       {{"targetGroupARN", nullptr}, {"targetGroupName", "t"}, {"iamRoleArnToAssume", kRoleArn}},
       "team-a",
       {Deny(accounts, role_account_msg)}},
      {"err_both_accounts_denied",
       accounts_rule(policy::Mode::kDeny, {"111111111111"}),
       {{"iamRoleArnToAssume", kRoleArn}},
       "team-a",
       {Deny(accounts, tg_account_msg), Deny(accounts, role_account_msg)}},
      {"ok_malformed_arn_left_to_format_check",
       accounts_rule(policy::Mode::kDeny, {"111111111111"}),
       {{"targetGroupARN", "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/x"}},
       "team-a",
       {Deny("targetGroupARN",
             "spec.targetGroupARN "
             "\"arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/x\" is "
             "not a valid target group ARN (want "
             "arn:<partition>:elasticloadbalancing:<region>:<12-digit "
             "account id>:targetgroup/<name>/<16 hex digits>)")}},
      {"err_region_denied",
       regions_rule(policy::Mode::kDeny),
       json::object(),
       "team-a",
       {Deny(regions, region_msg)}},
      {"warn_region_warn_mode",
       regions_rule(policy::Mode::kWarn),
       json::object(),
       "team-a",
       {Warn(regions, region_msg)}},
      {"ok_region_allowed",
       regions_rule(policy::Mode::kDeny),
       {{"targetGroupARN",
         "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/t/73e2d6bc24d8a067"}},
       "team-a",
       {}},
      {"ok_namespace_not_listed",
       [](policy::TargetGroupBindingRules& r) {
         r.allowed_accounts = {{policy::Mode::kDeny, {"prod-*"}, {}}, {"111111111111"}};
       },
       json::object(),
       "team-a",
       {}},
      {"err_namespace_glob_listed",
       [](policy::TargetGroupBindingRules& r) {
         r.allowed_accounts = {{policy::Mode::kDeny, {"team-*"}, {}}, {"111111111111"}};
       },
       json::object(),
       "team-a",
       {Deny(accounts, tg_account_msg)}},
      {"ok_namespace_excluded",
       [](policy::TargetGroupBindingRules& r) {
         r.allowed_regions = {{policy::Mode::kDeny, {}, {"team-a"}}, {"eu-west-1"}};
       },
       json::object(),
       "team-a",
       {}},
      {"err_both_rules_after_parity_and_formats",
       [](policy::TargetGroupBindingRules& r) {
         r.allowed_accounts = {{policy::Mode::kDeny, {}, {}}, {"111111111111"}};
         r.allowed_regions = {{policy::Mode::kWarn, {}, {}}, {"eu-west-1", "eu-central-1"}};
       },
       {{"nodeSelector", json::object()}, {"targetGroupName", "-x"}},
       "team-a",
       {Deny("checkNodeSelector", kNodeSelectorWithIp),
        Deny("targetGroupName",
             "spec.targetGroupName \"-x\" is not a valid target group name (want 1-32 alphanumeric "
             "characters or hyphens, not beginning or ending with a hyphen)"),
        Deny(accounts, tg_account_msg), Warn(regions, region_msg)}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    policy::Policy policy = DefaultPolicy();
    c.configure(policy.target_group_binding.rules);
    const Verdict verdict =
        ValidateTgb(TgbWith(c.spec_patch), nullptr, Operation::kCreate, policy, c.ns);
    EXPECT_EQ(verdict.findings, c.want) << "got:\n" << Describe(verdict.findings);
    ExpectKnownChecks(verdict.findings);
  }
}

TEST(TargetGroupBindingValidatorTest, PolicyFallsBackToObjectNamespace) {
  policy::Policy policy = DefaultPolicy();
  policy.target_group_binding.rules.allowed_accounts = {{policy::Mode::kDeny, {"team-a"}, {}},
                                                        {"111111111111"}};
  // request.namespace wins when set.
  EXPECT_TRUE(
      ValidateTgb(BaseTgb(), nullptr, Operation::kCreate, policy, "other").findings.empty());
  // Offline (no request namespace): the object's metadata.namespace.
  EXPECT_EQ(ValidateTgb(BaseTgb(), nullptr, Operation::kCreate, policy, "").findings.size(), 1u);
}

TEST(TargetGroupBindingValidatorTest, MessagesAreDeterministic) {
  const json object = TgbWith({{"targetGroupARN", "bad"},
                               {"nodeSelector", json::object()},
                               {"serviceRef", {{"name", "Web"}, {"port", 0}}}});
  EXPECT_EQ(ValidateTgb(object).findings, ValidateTgb(object).findings);
}

TEST(TargetGroupBindingValidatorTest, CheckNamesAreUniqueAndComplete) {
  const auto& names = TargetGroupBindingCheckNames();
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  for (const char* expected :
       {"checkTargetGroupArnOrName", "checkRequiredFields", "checkImmutableFields",
        "checkNodeSelector", "checkTargetGroupVpcID", "checkAssumeRoleConfig",
        "checkTargetGroupProtocol", "targetGroupARN", "targetGroupBinding.rules.allowedAccounts",
        "targetGroupBinding.rules.allowedRegions"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
}

}  // namespace
}  // namespace albwebhook::rules
