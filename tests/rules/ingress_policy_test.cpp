// Ingress validator: scope, wrong JSON types, backends, LBC parity checks and the policy rules.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "common/text.hpp"
#include "ingress_test_util.hpp"

namespace albwebhook::rules {
namespace {

using namespace albwebhook::rules::testing;  // NOLINT(google-build-using-namespace)
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

struct Case {
  std::string name;
  std::function<void(policy::Policy&)> configure;
  json object;
  std::vector<std::string> deny;
  std::vector<std::string> warn;
  std::string ns = "team-a";
  json old_object = nullptr;
};

void RunCases(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    policy::Policy policy;
    if (c.configure) c.configure(policy);
    Verdict v =
        RunValidator(policy, c.object, c.old_object, c.ns,
                     c.old_object.is_null() ? api::Operation::kCreate : api::Operation::kUpdate);
    EXPECT_TRUE(v.in_scope);
    EXPECT_THAT(Messages(v, Severity::kDeny), ElementsAreArray(c.deny));
    EXPECT_THAT(Messages(v, Severity::kWarn), ElementsAreArray(c.warn));
  }
}

json WithAnnotation(json object, const std::string& key, const json& value) {
  object["metadata"]["annotations"][key] = value;
  return object;
}

const std::string kAcm =
    "arn:aws:acm:us-west-2:123456789012:certificate/12345678-1234-1234-1234-123456789012";

TEST(IngressScopeTest, SkipsIngressesOfOtherClasses) {
  struct ScopeCase {
    std::string name;
    json object;
    bool manage_without_class;
    bool want_in_scope;
  };
  json no_class = MakeIngress(Alb({{"scheme", "public"}}));
  no_class["spec"].erase("ingressClassName");
  json other_spec = MakeIngress(Alb({{"scheme", "public"}}));
  other_spec["spec"]["ingressClassName"] = "nginx";
  json annotation_wins = WithAnnotation(MakeIngress(Alb({{"scheme", "public"}})),
                                        "kubernetes.io/ingress.class", "nginx");
  json annotation_ours = WithAnnotation(other_spec, "kubernetes.io/ingress.class", "alb");
  std::vector<ScopeCase> cases = {
      {"in_scope_spec_class", MakeIngress(Alb({{"scheme", "public"}})), false, true},
      {"out_of_scope_other_spec_class", other_spec, false, false},
      {"out_of_scope_annotation_wins", annotation_wins, false, false},
      {"in_scope_annotation_ours", annotation_ours, false, true},
      {"out_of_scope_no_class", no_class, false, false},
      {"in_scope_no_class_managed", no_class, true, true},
      {"out_of_scope_not_an_object", json::array(), false, false},
      {"out_of_scope_class_not_string",
       WithAnnotation(other_spec, "kubernetes.io/ingress.class", 5), false, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    policy::Policy policy;
    policy.ingress.manage_ingresses_without_class = c.manage_without_class;
    Verdict v = RunValidator(policy, c.object);
    EXPECT_EQ(v.in_scope, c.want_in_scope);
    if (c.want_in_scope) {
      EXPECT_TRUE(v.HasDenials());
    } else {
      EXPECT_THAT(v.findings, IsEmpty());
    }
  }
}

TEST(IngressScopeTest, UsesConfiguredClassNames) {
  policy::Policy policy;
  policy.ingress.class_names = {"alb-internal", "alb-public"};
  json ing = MakeIngress(nullptr);
  EXPECT_FALSE(RunValidator(policy, ing).in_scope);
  ing["spec"]["ingressClassName"] = "alb-public";
  EXPECT_TRUE(RunValidator(policy, ing).in_scope);
}

TEST(IngressValidatorTest, ReportsWrongJsonTypes) {
  json annotations_array = MakeIngress(nullptr);
  annotations_array["metadata"]["annotations"] = json::array({"x"});
  json value_number = MakeIngress(Alb({{"scheme", "internal"}}));
  value_number["metadata"]["annotations"][std::string(kP) + "group.order"] = 5;
  json rules_string = MakeIngress(nullptr);
  rules_string["spec"]["rules"] = "everything";
  json paths_object = MakeIngress(nullptr);
  paths_object["spec"]["rules"][0]["http"]["paths"] = json::object();
  json backend_null_service = MakeIngress(nullptr);
  backend_null_service["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"] = 7;
  // Locations spelled out only when reported (ReadSpec): a path, a backend and the default
  // backend's service of the wrong type, past the first rule and path.
  json late_paths = MakeIngress(nullptr);
  json& second_rule = late_paths["spec"]["rules"][1];
  second_rule = late_paths["spec"]["rules"][0];
  second_rule["http"]["paths"][1] = "root";
  second_rule["http"]["paths"][2] = second_rule["http"]["paths"][0];
  second_rule["http"]["paths"][2]["backend"] = json::array();
  late_paths["spec"]["defaultBackend"] = {{"service", "web"}};
  json spec_string = MakeIngress(nullptr);
  spec_string["spec"] = "x";
  spec_string["metadata"]["annotations"] = {{"kubernetes.io/ingress.class", "alb"}};
  policy::Policy no_migration;
  RunCases({
      {"err_annotations_not_a_map",
       [](policy::Policy& p) { p.ingress.defaults.migrate_class_annotation = false; },
       annotations_array,
       {"metadata.annotations: expected an object of strings, got an array"},
       {}},
      {"err_annotation_not_a_string",
       nullptr,
       value_number,
       {R"(metadata.annotations["alb.ingress.kubernetes.io/group.order"]: expected a string, got a number)"},
       {}},
      {"err_rules_not_an_array",
       nullptr,
       rules_string,
       {"spec.rules: expected an array, got a string"},
       {}},
      {"err_paths_not_an_array",
       nullptr,
       paths_object,
       {"spec.rules[0].http.paths: expected an array, got an object"},
       {}},
      {"err_service_not_an_object",
       nullptr,
       backend_null_service,
       {"spec.rules[0].http.paths[0].backend.service: expected an object, got a number"},
       {}},
      {"err_path_backend_and_default_service_types",
       nullptr,
       late_paths,
       {"spec.defaultBackend.service: expected an object, got a string",
        "spec.rules[1].http.paths[1]: expected an object, got a string",
        "spec.rules[1].http.paths[2].backend: expected an object, got an array"},
       {}},
      {"err_spec_not_an_object",
       [](policy::Policy& p) { p.ingress.defaults.migrate_class_annotation = false; },
       spec_string,
       {"spec: expected an object, got a string"},
       {}},
  });
}

TEST(IngressValidatorTest, ChecksBackends) {
  json resource = MakeIngress(nullptr);
  resource["spec"]["rules"][0]["http"]["paths"][0]["backend"] = {
      {"resource", {{"apiGroup", "k8s.example.com"}, {"kind", "Bucket"}, {"name", "b"}}}};
  json default_resource = MakeIngress(nullptr);
  default_resource["spec"]["defaultBackend"] = {{"resource", {{"kind", "Bucket"}, {"name", "b"}}}};
  json use_annotation = MakeIngress(nullptr);
  use_annotation["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"] = {
      {"name", "redirect"}, {"port", {{"name", "use-annotation"}}}};
  json with_action = WithAnnotation(
      use_annotation, std::string(kP) + "actions.redirect",
      R"({"type":"redirect","redirectConfig":{"protocol":"HTTPS","port":"443","statusCode":"HTTP_301"}})");
  RunCases({
      {"err_resource_backend",
       nullptr,
       resource,
       {"spec.rules[0].http.paths[0].backend: resource backends are not supported by the AWS Load "
        "Balancer Controller; use a service backend"},
       {}},
      {"err_default_resource_backend",
       nullptr,
       default_resource,
       {"spec.defaultBackend: resource backends are not supported by the AWS Load Balancer "
        "Controller; use a service backend"},
       {}},
      {"warn_use_annotation_without_action",
       nullptr,
       use_annotation,
       {},
       {"spec.rules[0].http.paths[0].backend: use-annotation needs annotation actions.redirect"}},
      {"ok_use_annotation_with_action", nullptr, with_action, {}, {}},
  });
}

TEST(IngressValidatorTest, ChecksActions) {
  auto action = [](const std::string& value) { return MakeIngress(Alb({{"actions.web", value}})); };
  const std::string key = "alb.ingress.kubernetes.io/actions.web ";
  auto body_of = [](int n, const std::string& character) {
    std::string body;
    for (int i = 0; i < n; ++i) body += character;
    return R"({"type":"fixed-response","fixedResponseConfig":{"statusCode":"200","messageBody":")" +
           body + R"("}})";
  };
  RunCases({
      {"ok_fixed_response",
       nullptr,
       action(
           R"({"type":"fixed-response","fixedResponseConfig":{"contentType":"text/plain","statusCode":"404","messageBody":"nope"}})"),
       {},
       {}},
      {"ok_forward_weighted",
       nullptr,
       action(
           R"({"type":"forward","forwardConfig":{"targetGroups":[{"serviceName":"a","servicePort":"80","weight":20},{"serviceName":"b","servicePort":80,"weight":80}]}})"),
       {},
       {}},
      {"err_unknown_type",
       nullptr,
       action(R"({"type":"drop"})"),
       {key + R"("{\"type\":\"drop\"}": unknown action type: drop)"},
       {}},
      {"err_missing_fixed_response",
       nullptr,
       action(R"({"type":"fixed-response"})"),
       {key + R"("{\"type\":\"fixed-response\"}": missing FixedResponseConfig)"},
       {}},
      {"err_fixed_response_status_required",
       nullptr,
       action(R"({"type":"fixed-response","fixedResponseConfig":{}})"),
       {key +
        R"("{\"type\":\"fixed-response\",\"fixedResponseConfig\":{}}": invalid FixedResponseConfig: statusCode is required)"},
       {}},
      // AWS counts the body's characters, not its bytes.
      {"ok_fixed_response_body_1024_characters",
       nullptr,
       action(body_of(1024, "\xC3\xA9")),
       {},
       {}},
      {"err_fixed_response_body_1025_characters",
       nullptr,
       action(body_of(1025, "x")),
       {key + common::QuoteValue(body_of(1025, "x"), 60) +
        ": fixedResponseConfig.messageBody must be at most 1024 characters"},
       {}},
      {"err_redirect_status",
       nullptr,
       action(R"({"type":"redirect","redirectConfig":{"statusCode":"301"}})"),
       {key +
        R"("{\"type\":\"redirect\",\"redirectConfig\":{\"statusCode\":\"301\"}}": redirectConfig.statusCode "301" must be HTTP_301 or HTTP_302)"},
       {}},
      {"err_missing_redirect",
       nullptr,
       action(R"({"type":"redirect"})"),
       {key + R"("{\"type\":\"redirect\"}": missing RedirectConfig)"},
       {}},
      {"err_forward_missing",
       nullptr,
       action(R"({"type":"forward"})"),
       {key +
        R"("{\"type\":\"forward\"}": missing ForwardConfig or TargetGroupARN/TargetGroupName)"},
       {}},
      {"err_forward_weight",
       nullptr,
       action(
           R"({"type":"forward","forwardConfig":{"targetGroups":[{"serviceName":"a","servicePort":80},{"serviceName":"b","servicePort":80}]}})"),
       {key +
        R"("{\"type\":\"forward\",\"forwardConfig\":{\"targetGroups\":[{\"serv...": invalid ForwardConfig: weight must be set when route to multiple target groups)"},
       {}},
      {"err_forward_missing_port",
       nullptr,
       action(R"({"type":"forward","forwardConfig":{"targetGroups":[{"serviceName":"a"}]}})"),
       {key +
        R"("{\"type\":\"forward\",\"forwardConfig\":{\"targetGroups\":[{\"serv...": invalid ForwardConfig: invalid TargetGroupTuple: missing servicePort)"},
       {}},
      {"err_fixed_response_code",
       nullptr,
       action(R"({"type":"fixed-response","fixedResponseConfig":{"statusCode":"302"}})"),
       {key +
        R"("{\"type\":\"fixed-response\",\"fixedResponseConfig\":{\"statusCo...": fixedResponseConfig.statusCode "302" must be a 2XX, 4XX or 5XX code)"},
       {}},
      {"err_action_json_type",
       nullptr,
       action(R"({"type":"fixed-response","fixedResponseConfig":{"statusCode":404}})"),
       {key +
        R"("{\"type\":\"fixed-response\",\"fixedResponseConfig\":{\"statusCo...": not a valid action: json: cannot unmarshal number 404 into Go struct field FixedResponseActionConfig.fixedResponseConfig.statusCode of type string)"},
       {}},
      {"err_action_not_json",
       nullptr,
       action("{"),
       {key + R"("{": not a valid action: unexpected end of JSON input)"},
       {}},
  });
}

TEST(IngressValidatorTest, ChecksConditionsWithLbcMessages) {
  auto conditions = [](const std::string& value) {
    return MakeIngress(Alb({{"conditions.web", value}}));
  };
  const std::string prefix =
      "ignoring Ingress team-a/shop since invalid alb.ingress.kubernetes.io/conditions.web "
      "annotation: ";
  RunCases({
      {"ok_host_header",
       nullptr,
       conditions(R"([{"field":"host-header","hostHeaderConfig":{"values":["a.example.com"]}}])"),
       {},
       {}},
      {"ok_unknown_field", nullptr, conditions(R"([{"field":"whatever"}])"), {}, {}},
      {"ok_case_insensitive_fields",
       nullptr,
       conditions(R"([{"Field":"source-ip","SourceIPConfig":{"Values":["10.0.0.0/8"]}}])"),
       {},
       {}},
      {"err_missing_host_header_config",
       nullptr,
       conditions(R"([{"field":"host-header"}])"),
       {prefix + "missing hostHeaderConfig"},
       {}},
      {"err_host_header_both",
       nullptr,
       conditions(
           R"([{"field":"host-header","hostHeaderConfig":{"values":["a"],"regexValues":["b"]}}])"),
       {prefix +
        "invalid hostHeaderConfig: precisely one of values and regexValues can be specified"},
       {}},
      {"err_path_pattern_empty",
       nullptr,
       conditions(R"([{"field":"path-pattern","pathPatternConfig":{}}])"),
       {prefix + "invalid pathPatternConfig: values or regexValues must be specified"},
       {}},
      {"err_http_header_missing",
       nullptr,
       conditions(R"([{"field":"http-header","httpHeaderConfig":null}])"),
       {prefix + "missing httpHeaderConfig"},
       {}},
      {"err_method_empty",
       nullptr,
       conditions(R"([{"field":"http-request-method","httpRequestMethodConfig":{"values":[]}}])"),
       {prefix + "invalid httpRequestMethodConfig: values cannot be empty"},
       {}},
      {"err_query_string_empty",
       nullptr,
       conditions(R"([{"field":"query-string","queryStringConfig":{}}])"),
       {prefix + "invalid queryStringConfig: Values cannot be empty"},
       {}},
      {"err_query_string_value_empty",
       nullptr,
       conditions(R"([{"field":"query-string","queryStringConfig":{"values":[{"key":"a"}]}}])"),
       {prefix + "invalid queryStringConfig: value cannot be empty"},
       {}},
      {"err_source_ip_empty",
       nullptr,
       conditions(R"([{"field":"source-ip","sourceIPConfig":{"values":[]}}])"),
       {prefix + "invalid sourceIPConfig: values cannot be empty"},
       {}},
      {"err_conditions_syntax",
       nullptr,
       conditions(R"([{"field":)"),
       {R"(failed to parse json annotation, alb.ingress.kubernetes.io/conditions.web: [{"field":: unexpected end of JSON input)"},
       {}},
      {"err_conditions_type",
       nullptr,
       conditions(R"({"field":"host-header"})"),
       {R"(failed to parse json annotation, alb.ingress.kubernetes.io/conditions.web: {"field":"host-header"}: json: cannot unmarshal object into Go value of type []ingress.RuleCondition)"},
       {}},
      {"err_conditions_nested_type",
       nullptr,
       conditions(R"([{"field":"host-header","hostHeaderConfig":{"values":"a"}}])"),
       {R"(failed to parse json annotation, alb.ingress.kubernetes.io/conditions.web: [{"field":"host-header","hostHeaderConfig":{"values":"a"}}]: json: cannot unmarshal string into Go struct field HostHeaderConditionConfig.hostHeaderConfig.values of type []string)"},
       {}},
      {"ok_unreferenced_conditions_ignored",
       nullptr,
       MakeIngress(Alb({{"conditions.other", "not json"}})),
       {},
       {}},
  });
}

TEST(IngressValidatorTest, ChecksLbcFlagParity) {
  auto disable_class = [](policy::Policy& p) {
    p.ingress.disable_ingress_class_annotation = true;
    p.ingress.defaults.migrate_class_annotation = false;
  };
  auto disable_group = [](policy::Policy& p) {
    p.ingress.disable_ingress_group_name_annotation = true;
  };
  json with_class =
      WithAnnotation(MakeIngress(json::object()), "kubernetes.io/ingress.class", "alb");
  with_class["spec"].erase("ingressClassName");
  json grouped = MakeIngress(Alb({{"group.name", "shared"}}));
  json regrouped = MakeIngress(Alb({{"group.name", "other"}}));
  const std::string class_msg =
      "new usage of `kubernetes.io/ingress.class` annotation is forbidden";
  const std::string group_msg =
      "new usage of `alb.ingress.kubernetes.io/group.name` annotation is forbidden";
  RunCases({
      {"err_new_class_annotation", disable_class, with_class, {class_msg}, {}},
      {"ok_existing_class_annotation", disable_class, with_class, {}, {}, "team-a", with_class},
      {"ok_class_annotation_allowed", nullptr, with_class, {}, {}},
      // The LBC judges the object as sent: a class migration by a mutating webhook does not
      // make a new class annotation acceptable.
      {"err_class_annotation_even_when_migrated",
       [](policy::Policy& p) {
         p.ingress.disable_ingress_class_annotation = true;
         p.ingress.defaults.migrate_class_annotation = true;
       },
       with_class,
       {class_msg},
       {}},
      {"err_new_group_name", disable_group, grouped, {group_msg}, {}},
      {"ok_unchanged_group_name", disable_group, grouped, {}, {}, "team-a", grouped},
      {"err_changed_group_name", disable_group, regrouped, {group_msg}, {}, "team-a", grouped},
      {"ok_removed_group_name", disable_group, MakeIngress(nullptr), {}, {}, "team-a", grouped},
  });
}

/// An Ingress with the one ALB annotation `key` = `value` that draws `warning` under the default
/// policy and nothing else.
Case WarnsOnce(std::string name, const std::string& key, const std::string& value,
               std::string warning) {
  return {std::move(name), nullptr, MakeIngress(Alb({{key, value}})), {}, {std::move(warning)}};
}

TEST(IngressValidatorTest, ReportsUnknownAnnotations) {
  RunCases({
      WarnsOnce(
          "warn_typo_suffix", "schem", "internal",
          R"(ingress.rules.unknownAnnotations: unknown "alb.ingress.kubernetes.io/schem" (did you mean scheme?))"),
      WarnsOnce(
          "warn_typo_family", "action.web", "{}",
          R"(ingress.rules.unknownAnnotations: unknown "alb.ingress.kubernetes.io/action.web" (did you mean actions.web?))"),
      WarnsOnce(
          "warn_typo_domain", "alb.ingress.kubernetes.com/scheme", "internal",
          R"(ingress.rules.unknownAnnotations: unknown "alb.ingress.kubernetes.com/scheme" (did you mean alb.ingress.kubernetes.io/scheme?))"),
      WarnsOnce(
          "warn_no_suggestion", "completely-unrelated-thing", "x",
          R"(ingress.rules.unknownAnnotations: unknown "alb.ingress.kubernetes.io/completely-unrelated-thing")"),
      {"ok_other_domain", nullptr, MakeIngress(Alb({{"example.com/scheme", "x"}})), {}, {}},
      {"err_unknown_deny",
       [](policy::Policy& p) { p.ingress.rules.unknown_annotations.mode = policy::Mode::kDeny; },
       MakeIngress(Alb({{"Scheme", "internal"}})),
       {R"(ingress.rules.unknownAnnotations: unknown "alb.ingress.kubernetes.io/Scheme" (did you mean scheme?))"},
       {}},
      {"ok_unknown_off",
       [](policy::Policy& p) { p.ingress.rules.unknown_annotations.mode = policy::Mode::kOff; },
       MakeIngress(Alb({{"schem", "internal"}})),
       {},
       {}},
      {"ok_unknown_excluded_namespace",
       [](policy::Policy& p) {
         p.ingress.rules.unknown_annotations.exclude_namespaces = {"team-*"};
       },
       MakeIngress(Alb({{"schem", "internal"}})),
       {},
       {}},
  });
}

/// Runs `object` under a rule in deny, warn and off modes: deny/warn expect `message`, off nothing.
void ExpectAllModes(const std::string& name, policy::Rule& (*rule)(policy::Policy&),
                    const std::function<void(policy::Policy&)>& configure, const json& object,
                    const std::string& message, const std::string& ns = "team-a") {
  for (policy::Mode mode : {policy::Mode::kDeny, policy::Mode::kWarn, policy::Mode::kOff}) {
    SCOPED_TRACE(name + "/" + policy::ModeName(mode));
    policy::Policy p;
    if (configure) configure(p);
    rule(p).mode = mode;
    Verdict v = RunValidator(p, object, nullptr, ns);
    std::vector<std::string> want =
        message.empty() ? std::vector<std::string>{} : std::vector<std::string>{message};
    EXPECT_THAT(Messages(v, Severity::kDeny),
                ElementsAreArray(mode == policy::Mode::kDeny ? want : std::vector<std::string>{}));
    EXPECT_THAT(Messages(v, Severity::kWarn),
                ElementsAreArray(mode == policy::Mode::kWarn ? want : std::vector<std::string>{}));
  }
}

policy::Rule& InternetFacing(policy::Policy& p) { return p.ingress.rules.internet_facing; }
policy::Rule& WafRequired(policy::Policy& p) { return p.ingress.rules.waf_required; }
policy::Rule& HttpsRequired(policy::Policy& p) { return p.ingress.rules.https_required; }
policy::Rule& SslPolicies(policy::Policy& p) { return p.ingress.rules.ssl_policies; }
policy::Rule& CertificateAccounts(policy::Policy& p) {
  return p.ingress.rules.certificate_accounts;
}
policy::Rule& RequiredTags(policy::Policy& p) { return p.ingress.rules.required_tags; }
policy::Rule& GroupOwnership(policy::Policy& p) { return p.ingress.rules.group_ownership; }

TEST(IngressPolicyTest, InternetFacingRule) {
  auto allow_public = [](policy::Policy& p) {
    p.ingress.rules.internet_facing.allowed_namespaces = {"public-*"};
  };
  json public_ing = MakeIngress(Alb({{"scheme", "internet-facing"}}));
  ExpectAllModes(
      "err_internet_facing_team_a", InternetFacing, allow_public, public_ing,
      R"(ingress.rules.internetFacing: scheme internet-facing is not allowed in namespace "team-a" (allowed: public-*))");
  ExpectAllModes("ok_internet_facing_allowed_ns", InternetFacing, allow_public, public_ing, "",
                 "public-web");
  ExpectAllModes("ok_internal", InternetFacing, allow_public, MakeIngress(nullptr), "");
  ExpectAllModes(
      "ok_rule_scoped_elsewhere", InternetFacing,
      [](policy::Policy& p) { p.ingress.rules.internet_facing.namespaces = {"prod-*"}; },
      public_ing, "");
  ExpectAllModes(
      "err_default_scheme_applies", InternetFacing,
      [](policy::Policy& p) {
        p.ingress.defaults.annotations = {{std::string(kP) + "scheme", "internet-facing"}};
      },
      MakeIngress(nullptr),
      R"(ingress.rules.internetFacing: scheme internet-facing is not allowed in namespace "team-a" (allowed: none))");
}

TEST(IngressPolicyTest, WafRequiredRule) {
  const std::string msg =
      "ingress.rules.wafRequired: an internet-facing ALB needs "
      "alb.ingress.kubernetes.io/wafv2-acl-arn "
      "or waf-acl-id (not none)";
  ExpectAllModes("err_no_waf", WafRequired, nullptr,
                 MakeIngress(Alb({{"scheme", "internet-facing"}})), msg);
  ExpectAllModes("err_waf_none", WafRequired, nullptr,
                 MakeIngress(Alb({{"scheme", "internet-facing"}, {"wafv2-acl-arn", "none"}})), msg);
  ExpectAllModes("ok_waf_classic", WafRequired, nullptr,
                 MakeIngress(Alb({{"scheme", "internet-facing"}, {"waf-acl-id", "abc"}})), "");
  ExpectAllModes("ok_internal", WafRequired, nullptr, MakeIngress(nullptr), "");
}

TEST(IngressPolicyTest, HttpsRequiredRule) {
  ExpectAllModes("err_default_http_listener", HttpsRequired, nullptr,
                 MakeIngress(Alb({{"scheme", "internet-facing"}})),
                 "ingress.rules.httpsRequired: an internet-facing ALB needs an HTTPS listener in "
                 "alb.ingress.kubernetes.io/listen-ports");
  ExpectAllModes("err_http_without_redirect", HttpsRequired, nullptr,
                 MakeIngress(Alb({{"scheme", "internet-facing"},
                                  {"listen-ports", R"([{"HTTP":80},{"HTTPS":443}])"}})),
                 "ingress.rules.httpsRequired: plain HTTP listener 80 needs "
                 "alb.ingress.kubernetes.io/ssl-redirect");
  ExpectAllModes("ok_http_with_redirect", HttpsRequired, nullptr,
                 MakeIngress(Alb({{"scheme", "internet-facing"},
                                  {"listen-ports", R"([{"HTTP":80},{"HTTPS":443}])"},
                                  {"ssl-redirect", "443"}})),
                 "");
  ExpectAllModes("ok_certificate_default_https", HttpsRequired, nullptr,
                 MakeIngress(Alb({{"scheme", "internet-facing"}, {"certificate-arn", kAcm}})), "");
}

TEST(IngressPolicyTest, SslPoliciesRule) {
  auto allowed = [](policy::Policy& p) {
    p.ingress.rules.ssl_policies.allowed = {"ELBSecurityPolicy-TLS13-1-2-2021-06"};
  };
  ExpectAllModes(
      "err_ssl_policy_not_allowed", SslPolicies, allowed,
      MakeIngress(Alb({{"ssl-policy", "ELBSecurityPolicy-2016-08"}})),
      R"(ingress.rules.sslPolicies: ssl-policy "ELBSecurityPolicy-2016-08" is not allowed (allowed: ELBSecurityPolicy-TLS13-1-2-2021-06))");
  ExpectAllModes("ok_ssl_policy_allowed", SslPolicies, allowed,
                 MakeIngress(Alb({{"ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021-06"}})), "");
  ExpectAllModes("ok_ssl_policy_unset", SslPolicies, allowed, MakeIngress(nullptr), "");
}

TEST(IngressPolicyTest, CertificateAccountsRule) {
  auto allowed = [](policy::Policy& p) {
    p.ingress.rules.certificate_accounts.allowed = {"111122223333"};
  };
  ExpectAllModes(
      "err_certificate_account", CertificateAccounts, allowed,
      MakeIngress(Alb({{"certificate-arn", kAcm}})),
      "ingress.rules.certificateAccounts: certificate account 123456789012 is not allowed "
      "(allowed: 111122223333)");
  ExpectAllModes("ok_certificate_account", CertificateAccounts, allowed,
                 MakeIngress(Alb({{"certificate-arn",
                                   "arn:aws:acm:us-west-2:111122223333:certificate/"
                                   "0b1c2d3e-aaaa-bbbb-cccc-0123456789ab"}})),
                 "");
}

TEST(IngressPolicyTest, RequiredTagsRule) {
  auto keys = [](policy::Policy& p) {
    p.ingress.rules.required_tags.keys = {"team", "cost-center"};
  };
  ExpectAllModes("err_missing_tags", RequiredTags, keys, MakeIngress(Alb({{"tags", "team=a"}})),
                 "ingress.rules.requiredTags: alb.ingress.kubernetes.io/tags lacks cost-center");
  ExpectAllModes(
      "err_no_tags", RequiredTags, keys, MakeIngress(nullptr),
      "ingress.rules.requiredTags: alb.ingress.kubernetes.io/tags lacks team, cost-center");
  ExpectAllModes(
      "ok_tags_after_defaults", RequiredTags,
      [&keys](policy::Policy& p) {
        keys(p);
        p.ingress.defaults.tags = {{"cost-center", "42"}};
      },
      MakeIngress(Alb({{"tags", "team=a"}})), "");
}

TEST(IngressPolicyTest, GroupOwnershipRule) {
  auto groups = [](policy::Policy& p) {
    p.ingress.rules.group_ownership.groups = {{"shared", {"team-*"}}, {"platform", {"infra"}}};
  };
  ExpectAllModes("ok_listed_group", GroupOwnership, groups,
                 MakeIngress(Alb({{"group.name", "shared"}})), "");
  ExpectAllModes(
      "err_listed_group_other_ns", GroupOwnership, groups,
      MakeIngress(Alb({{"group.name", "platform"}})),
      R"(ingress.rules.groupOwnership: namespace "team-a" may not join IngressGroup "platform" (allowed: infra))");
  ExpectAllModes("ok_unlisted_prefixed", GroupOwnership, groups,
                 MakeIngress(Alb({{"group.name", "team-a-web"}})), "");
  ExpectAllModes(
      "err_unlisted_not_prefixed", GroupOwnership, groups,
      MakeIngress(Alb({{"group.name", "team-b-web"}})),
      R"(ingress.rules.groupOwnership: namespace "team-a" may not join IngressGroup "team-b-web" (unlisted groups must be named "team-a" or start with "team-a-"))");
  ExpectAllModes(
      "ok_unlisted_allow", GroupOwnership,
      [&groups](policy::Policy& p) {
        groups(p);
        p.ingress.rules.group_ownership.unlisted = policy::UnlistedGroups::kAllow;
      },
      MakeIngress(Alb({{"group.name", "anything"}})), "");
  ExpectAllModes(
      "err_unlisted_deny", GroupOwnership,
      [&groups](policy::Policy& p) {
        groups(p);
        p.ingress.rules.group_ownership.unlisted = policy::UnlistedGroups::kDeny;
      },
      MakeIngress(Alb({{"group.name", "team-a"}})),
      R"(ingress.rules.groupOwnership: namespace "team-a" may not join IngressGroup "team-a" (the group is not listed in the policy))");
  ExpectAllModes("ok_no_group", GroupOwnership, groups, MakeIngress(nullptr), "");
}

TEST(IngressPolicyTest, ListsEveryCheckName) {
  const auto& names = IngressCheckNames();
  std::set<std::string> unique(names.begin(), names.end());
  EXPECT_EQ(unique.size(), names.size());
  for (const char* name : {"scheme", "listen-ports", "conditions", "actions", "backend",
                           "ingress.rules.internetFacing", "ingress.rules.unknownAnnotations",
                           "ingress.disableIngressClassAnnotation"}) {
    EXPECT_TRUE(unique.count(name)) << name;
  }
}

TEST(IngressPolicyTest, EmitsOnlyListedCheckNames) {
  policy::Policy p;
  p.ingress.rules.internet_facing.mode = policy::Mode::kDeny;
  p.ingress.rules.waf_required.mode = policy::Mode::kDeny;
  p.ingress.rules.https_required.mode = policy::Mode::kDeny;
  p.ingress.rules.required_tags = {{policy::Mode::kDeny, {}, {}}, {"team"}};
  json ing = MakeIngress(Alb({{"scheme", "public"},
                              {"listen-ports", "x"},
                              {"tags", "a"},
                              {"schem", "x"},
                              {"healthcheck-timeout-seconds", "99"},
                              {"conditions.web", "[{\"field\":\"source-ip\"}]"}}));
  Verdict v = RunValidator(p, ing);
  std::set<std::string> names(IngressCheckNames().begin(), IngressCheckNames().end());
  EXPECT_GE(v.findings.size(), 5U);
  for (const auto& f : v.findings) EXPECT_TRUE(names.count(f.check)) << f.check;
}

TEST(IngressPolicyTest, KeepsWarningsShortAndPrintable) {
  policy::Policy p;
  json ing = MakeIngress(Alb({{"certificate-arn", kAcm},
                              {"listen-ports", R"([{"HTTP": 80}])"},
                              {"ssl-redirect", "443"},
                              {"group.name", "shared"},
                              {"ssl-policy", "ELBSecurityPolicy-TLS13-1-2-Custom-2030-01\n"},
                              {"subnets", "subnet-0123456789abcdef0"},
                              {"inbound-cidrs", "10.1.2.3/8"},
                              {"healthcheck-timeout-seconds", "20"},
                              {"load-balancer-attributes",
                               "routing.http2.enabled=TRUE,some.future.attribute.enabled=true"},
                              {"healthchek-path", "/"}}));
  ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"] = {
      {"name", "a-rather-long-service-name-for-actions"}, {"port", {{"name", "use-annotation"}}}};
  Verdict v = RunValidator(p, ing);
  auto warnings = Messages(v, Severity::kWarn);
  EXPECT_GE(warnings.size(), 8U);
  for (const auto& w : warnings) {
    EXPECT_LE(w.size(), 120U) << w;
    for (char c : w) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << w;
  }
}

}  // namespace
}  // namespace albwebhook::rules
