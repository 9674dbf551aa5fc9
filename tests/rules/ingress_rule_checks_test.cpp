// Ingress validator: transforms.<svc> (the LBC's decode and Validate(), AWS's transform limits),
// the ALB rule each rule path becomes (host grammar, condition values and wildcards per rule as
// AWS counts them, the LBC's values-vs-regexValues error), the frontend NLB's success codes, and
// the placeholder and certificate-source warnings. Exact decisions and messages; judged with
// unknownAnnotations: deny so that an unknown key would show.
#include "rules/ingress_rule_checks.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/text.hpp"
#include "ingress_test_util.hpp"

namespace albwebhook::rules {
namespace {

using namespace albwebhook::rules::testing;  // NOLINT(google-build-using-namespace)

/// The cases judged with unknownAnnotations: deny.
void RunCases(const std::vector<IngressCase>& cases) {
  policy::Policy policy;
  policy.ingress.rules.unknown_annotations.mode = policy::Mode::kDeny;
  RunIngressCases(policy, cases);
}

/// `alb.ingress.kubernetes.io/<suffix> "<value>": <problem>`, the value quoted as denials (60
/// bytes) or warnings (24 bytes) quote it.
std::string Msg(const std::string& suffix, const std::string& value, const std::string& problem,
                std::size_t bytes = 60) {
  return std::string(kP) + suffix + " " + common::QuoteValue(value, bytes) + ": " + problem;
}

/// A rule path to Service `service` port 80.
json Path(const std::string& path, const std::string& type, const std::string& service = "web") {
  json entry = {{"path", path},
                {"backend", {{"service", {{"name", service}, {"port", {{"number", 80}}}}}}}};
  if (!type.empty()) entry["pathType"] = type;
  return entry;
}

/// An Ingress of class alb with one rule (`host`, "" for none) of `paths`.
json WithRule(const json& annotations, const std::string& host, const json& paths) {
  json rule = {{"http", {{"paths", paths}}}};
  if (!host.empty()) rule["host"] = host;
  return MakeIngress(annotations, {{"ingressClassName", "alb"}, {"rules", json::array({rule})}});
}

// --- transforms.<svc> -------------------------------------------------------------------------

const std::string kUrlRewrite =
    R"([{"type": "url-rewrite", "urlRewriteConfig": {"rewrites": [{"regex": "^\\/api\\/(.+)$", "replace": "/$1"}]}}])";
const std::string kHostRewrite =
    R"([{"type": "host-header-rewrite", "hostHeaderRewriteConfig": {"rewrites": [{"regex": "^(.+)\\.example\\.com$", "replace": "$1.example.org"}]}}])";

TEST(IngressTransformsTest, DecodedAndValidatedAsTheLbcDoes) {
  const std::string type_number = R"([{"type": 1}])";
  const std::string object = R"({"type": "url-rewrite"})";
  const std::string no_config = R"([{"type": "url-rewrite"}])";
  const std::string empty_rewrites =
      R"([{"type": "host-header-rewrite", "hostHeaderRewriteConfig": {"rewrites": []}}])";
  const std::string null_rewrites =
      R"([{"type": "url-rewrite", "urlRewriteConfig": {"rewrites": null}}])";
  const std::string unknown = R"([{"type": "path-rewrite"}])";
  const std::string folded =
      R"([{"Type": "url-rewrite", "UrlRewriteConfig": {"Rewrites": [{"Regex": "^/a$", "Replace": "/b"}]}}])";
  const std::string rewrite_not_string =
      R"([{"type": "url-rewrite", "urlRewriteConfig": {"rewrites": [{"regex": 1}]}}])";
  RunCases({
      {"ok_docs_url_rewrite", MakeIngress(Alb({{"transforms.web", kUrlRewrite}})), {}, {}},
      {"ok_docs_host_header_rewrite", MakeIngress(Alb({{"transforms.web", kHostRewrite}})), {}, {}},
      {"ok_both_types",
       MakeIngress(Alb(
           {{"transforms.web",
             R"([{"type": "url-rewrite", "urlRewriteConfig": {"rewrites": [{"regex": "^/a$", "replace": "/b"}]}}, {"type": "host-header-rewrite", "hostHeaderRewriteConfig": {"rewrites": [{"regex": "a", "replace": "b"}]}}])"}})),
       {},
       {}},
      {"ok_field_names_fold_case", MakeIngress(Alb({{"transforms.web", folded}})), {}, {}},
      {"ok_null_and_empty", MakeIngress(Alb({{"transforms.web", "null"}})), {}, {}},
      {"err_syntax",
       MakeIngress(Alb({{"transforms.web", "[{"}})),
       {Msg("transforms.web", "[{", "not valid JSON for the LBC: unexpected end of JSON input")},
       {}},
      {"err_type",
       MakeIngress(Alb({{"transforms.web", type_number}})),
       {Msg("transforms.web", type_number,
            "not valid JSON for the LBC: json: cannot unmarshal number 1 into Go struct field "
            "Transform.type of type ingress.TransformType")},
       {}},
      {"err_rewrite_type",
       MakeIngress(Alb({{"transforms.web", rewrite_not_string}})),
       {Msg("transforms.web", rewrite_not_string,
            "not valid JSON for the LBC: json: cannot unmarshal number 1 into Go struct field "
            "RewriteConfig.urlRewriteConfig.rewrites.regex of type string")},
       {}},
      {"err_not_a_list",
       MakeIngress(Alb({{"transforms.web", object}})),
       {Msg("transforms.web", object,
            "not valid JSON for the LBC: json: cannot unmarshal object into Go value of type "
            "[]ingress.Transform")},
       {}},
      {"err_missing_config",
       MakeIngress(Alb({{"transforms.web", no_config}})),
       {Msg("transforms.web", no_config, "missing urlRewriteConfig")},
       {}},
      {"err_empty_rewrites",
       MakeIngress(Alb({{"transforms.web", empty_rewrites}})),
       {Msg("transforms.web", empty_rewrites, "hostHeaderRewriteConfig.rewrites cannot be empty")},
       {}},
      {"err_null_rewrites",
       MakeIngress(Alb({{"transforms.web", null_rewrites}})),
       {Msg("transforms.web", null_rewrites, "urlRewriteConfig.rewrites cannot be empty")},
       {}},
      {"err_unknown_type",
       MakeIngress(Alb({{"transforms.web", unknown}})),
       {Msg("transforms.web", unknown, "unknown transform type: path-rewrite")},
       {}},
      {"err_null_element_is_the_zero_transform",
       MakeIngress(Alb({{"transforms.web", "[null]"}})),
       {Msg("transforms.web", "[null]", "unknown transform type: ")},
       {}},
  });
}

TEST(IngressTransformsTest, AwsTransformLimits) {
  const std::string two_url =
      R"([{"type": "url-rewrite", "urlRewriteConfig": {"rewrites": [{"regex": "a", "replace": "b"}]}}, {"type": "url-rewrite", "urlRewriteConfig": {"rewrites": [{"regex": "c", "replace": "d"}]}}])";
  const std::string two_host =
      R"([{"type": "host-header-rewrite", "hostHeaderRewriteConfig": {"rewrites": [{"regex": "a", "replace": "b"}]}}, {"type": "host-header-rewrite", "hostHeaderRewriteConfig": {"rewrites": [{"regex": "c", "replace": "d"}]}}])";
  auto one_rewrite = [](const std::string& regex, const std::string& replace) {
    json value =
        json::array({{{"type", "url-rewrite"},
                      {"urlRewriteConfig",
                       {{"rewrites", json::array({{{"regex", regex}, {"replace", replace}}})}}}}});
    return value.dump();
  };
  const std::string at_limit = one_rewrite(std::string(1024, 'a'), std::string(1024, 'b'));
  const std::string long_regex = one_rewrite(std::string(1025, 'a'), "b");
  const std::string long_replace = one_rewrite("a", std::string(1025, 'b'));
  const std::string lookahead = one_rewrite("^/(?!health)(.*)$", "/app/$1");
  const std::string backreference = one_rewrite("^/(a)\\1$", "/b");
  RunCases({
      {"ok_at_length_limit", MakeIngress(Alb({{"transforms.web", at_limit}})), {}, {}},
      {"err_two_url_rewrites",
       MakeIngress(Alb({{"transforms.web", two_url}})),
       {Msg("transforms.web", two_url, "AWS allows one url-rewrite transform per rule")},
       {}},
      {"err_two_host_rewrites",
       MakeIngress(Alb({{"transforms.web", two_host}})),
       {Msg("transforms.web", two_host, "AWS allows one host-header-rewrite transform per rule")},
       {}},
      {"err_long_regex",
       MakeIngress(Alb({{"transforms.web", long_regex}})),
       {Msg("transforms.web", long_regex,
            "transform 0 rewrite 0: regex is longer than 1024 characters (AWS limit)")},
       {}},
      {"err_long_replace",
       MakeIngress(Alb({{"transforms.web", long_replace}})),
       {Msg("transforms.web", long_replace,
            "transform 0 rewrite 0: replace is longer than 1024 characters (AWS limit)")},
       {}},
      {"warn_lookahead",
       MakeIngress(Alb({{"transforms.web", lookahead}})),
       {},
       {Msg("transforms.web", lookahead,
            "transform 0 rewrite 0: AWS transforms do not support lookaheads", 24)}},
      {"warn_backreference",
       MakeIngress(Alb({{"transforms.web", backreference}})),
       {},
       {Msg("transforms.web", backreference,
            "transform 0 rewrite 0: AWS transforms do not support backreferences", 24)}},
  });
}

TEST(IngressTransformsTest, OnlyRulePathsTakeTransforms) {
  json default_only = MakeIngress(Alb({{"transforms.fallback", kUrlRewrite}}));
  default_only["spec"]["defaultBackend"] = {
      {"service", {{"name", "fallback"}, {"port", {{"number", 80}}}}}};
  json default_bad = MakeIngress(Alb({{"transforms.fallback", "[{}]"}}));
  default_bad["spec"]["defaultBackend"] = default_only["spec"]["defaultBackend"];
  const std::string bad = R"([{"type": "url-rewrite"}])";
  RunCases({
      {"warn_unused",
       MakeIngress(Alb({{"transforms.api", bad}})),
       {},
       {Msg("transforms.api", bad, "unused: no backend of this Ingress uses service api", 24)}},
      {"warn_default_backend_only",
       default_only,
       {},
       {Msg("transforms.fallback", kUrlRewrite,
            "ignored: only the default backend uses service fallback, and an ALB default rule "
            "takes no transforms",
            24)}},
      // The LBC still decodes and validates it when it builds the default action.
      {"err_default_backend_validated",
       default_bad,
       {Msg("transforms.fallback", "[{}]", "unknown transform type: ")},
       {}},
  });
}

TEST(IngressTransformsTest, RegexFeaturesAwsDoesNotSupport) {
  EXPECT_EQ(UnsupportedRegexFeature("^/api/(?<rest>.*)$"), std::nullopt);  // named group
  EXPECT_EQ(UnsupportedRegexFeature("^/(?:a|b)+[?*+]\\+\\1?$"),
            std::optional<std::string>("backreferences"));
  EXPECT_EQ(UnsupportedRegexFeature("^/a[(?=]b$"), std::nullopt);  // inside a class: literal
  EXPECT_EQ(UnsupportedRegexFeature("(?<=/v1)/x"), std::optional<std::string>("lookbehinds"));
  EXPECT_EQ(UnsupportedRegexFeature("(?>a+)b"), std::optional<std::string>("atomic groups"));
  EXPECT_EQ(UnsupportedRegexFeature("a*+b"), std::optional<std::string>("possessive quantifiers"));
  EXPECT_EQ(UnsupportedRegexFeature("a\\++b"), std::nullopt);  // an escaped + then a quantifier
  EXPECT_EQ(UnsupportedRegexFeature("\\p{L}+"),
            std::optional<std::string>("Unicode character classes"));
  EXPECT_EQ(UnsupportedRegexFeature("(a(?R)?b)"),
            std::optional<std::string>("recursion or subroutines"));
}

// --- the ALB rule of each rule path ------------------------------------------------------------

TEST(IngressRuleConditionsTest, HostsFollowAwsHostConditionGrammar) {
  const std::string long_host = std::string(60, 'a') + "." + std::string(60, 'b') + ".example";
  const json root = json::array({Path("/", "Prefix")});
  json no_paths = MakeIngress(
      nullptr, {{"ingressClassName", "alb"}, {"rules", json::array({{{"host", "localhost"}}})}});
  RunCases({
      {"ok_host", WithRule(nullptr, "shop.example.com", root), {}, {}},
      {"ok_wildcard_host", WithRule(nullptr, "*.example.com", root), {}, {}},
      {"ok_no_paths_no_rule", no_paths, {}, {}},
      {"err_no_dot",
       WithRule(nullptr, "localhost", root),
       {R"(spec.rules[0].host "localhost": AWS host conditions need at least one '.')"},
       {}},
      // LBC issue #2561: a Kubernetes-valid host without a dot fails at CreateRule.
      {"err_hyphenated_short_host",
       WithRule(nullptr, "foo-bar", root),
       {R"(spec.rules[0].host "foo-bar": AWS host conditions need at least one '.')"},
       {}},
      {"err_digits_after_last_dot",
       WithRule(nullptr, "app.example.123", root),
       {R"(spec.rules[0].host "app.example.123": AWS host conditions allow only letters after the last '.')"},
       {}},
      {"err_longer_than_128",
       WithRule(nullptr, long_host, root),
       {"spec.rules[0].host " + common::QuoteValue(long_host) +
        ": AWS host conditions allow at most 128 characters"},
       {}},
  });
}

TEST(IngressRuleConditionsTest, ConditionValuesPerRuleAsAwsCountsThem) {
  // Host 1 + Prefix "/api" 2 ("/api", "/api/*") + annotation values.
  auto headers = [](int n) {
    json values = json::array();
    for (int i = 0; i < n; ++i) values.push_back("v" + std::to_string(i));
    return json::array({{{"field", "http-header"},
                         {"httpHeaderConfig", {{"httpHeaderName", "X-Env"}, {"values", values}}}}})
        .dump();
  };
  const json api = json::array({Path("/api", "Prefix"), Path("/other", "Prefix", "other")});
  const std::string hosts6 =
      R"([{"field": "host-header", "hostHeaderConfig": {"values": ["a.example.com", "b.example.com", "c.example.com", "d.example.com"]}}])";
  RunCases({
      {"ok_five_values",
       WithRule(Alb({{"conditions.web", headers(2)}}), "shop.example.com", api),
       {},
       {}},
      {"err_six_values",
       WithRule(Alb({{"conditions.web", headers(3)}}), "shop.example.com", api),
       {"spec.rules[0].http.paths[0]: its ALB rule would have 6 condition values (AWS allows "
        "at most 5 per rule)"},
       {}},
      // Host values of the annotation join the rule's host in one condition; "/" is one value.
      {"err_six_with_host_values",
       WithRule(Alb({{"conditions.web", hosts6}}), "shop.example.com",
                json::array({Path("/", "Prefix")})),
       {"spec.rules[0].http.paths[0]: its ALB rule would have 6 condition values (AWS allows "
        "at most 5 per rule)"},
       {}},
      {"ok_unreferenced_annotation",
       WithRule(Alb({{"conditions.unused", headers(9)}}), "shop.example.com", api),
       {},
       {}},
  });
}

TEST(IngressRuleConditionsTest, WildcardsPerRule) {
  const std::string regex_host =
      R"([{"field": "host-header", "hostHeaderConfig": {"regexValues": ["^.*a.*b.*c.*d.*e.*$"]}}])";
  RunCases({
      // "*.example.com" 1 + four in the path.
      {"ok_five",
       WithRule(nullptr, "*.example.com", json::array({Path("/a*/b*/c*/d*", "")})),
       {},
       {}},
      {"err_six",
       WithRule(
           nullptr, "*.example.com",
           json::array({Path("/", "Prefix"), Path("/a*/b*/c*/d*/e*", "ImplementationSpecific")})),
       {"spec.rules[0].http.paths[1]: its ALB rule would have 6 wildcards (* or ?) in its "
        "conditions (AWS allows at most 5 per rule)"},
       {}},
      // Values: 4 hosts + 2 paths + 1 query string; wildcards: 4 hosts + "/foo/*" + "x*".
      {"err_six_with_annotation",
       WithRule(
           Alb({{"conditions.web",
                 R"([{"field": "host-header", "hostHeaderConfig": {"values": ["*.a.com", "*.b.com", "*.c.com"]}}, {"field": "query-string", "queryStringConfig": {"values": [{"key": "k", "value": "x*"}]}}])"}}),
           "*.example.com", json::array({Path("/foo", "Prefix")})),
       {"spec.rules[0].http.paths[0]: its ALB rule would have 7 condition values (AWS allows "
        "at most 5 per rule)",
        "spec.rules[0].http.paths[0]: its ALB rule would have 6 wildcards (* or ?) in its "
        "conditions (AWS allows at most 5 per rule)"},
       {}},
      {"ok_regex_values_are_not_wildcards",
       WithRule(Alb({{"conditions.web", regex_host}}), "", json::array({Path("/foo", "Prefix")})),
       {},
       {}},
  });
}

TEST(IngressRuleConditionsTest, ValuesOrRegexValuesAsTheLbcMergesThem) {
  const std::string host_regex =
      R"([{"field": "host-header", "hostHeaderConfig": {"regexValues": ["^.*\\.example\\.com$"]}}])";
  const std::string path_values =
      R"([{"field": "path-pattern", "pathPatternConfig": {"values": ["/x"]}}])";
  const json root = json::array({Path("/", "Prefix")});
  RunCases({
      {"ok_regex_host_without_rule_host",
       WithRule(Alb({{"conditions.web", host_regex}}), "", root),
       {},
       {}},
      {"err_rule_host_and_regex",
       WithRule(Alb({{"conditions.web", host_regex}}), "shop.example.com", root),
       {R"(spec.rules[0].http.paths[0]: host condition must specify exactly one of Values and RegexValues, got both Values [shop.example.com] and RegexValues [^.*\.example\.com$])"},
       {}},
      {"err_regex_path_and_values",
       WithRule(Alb({{"use-regex-path-match", "true"}, {"conditions.web", path_values}}), "",
                json::array({Path("/api/.*", "ImplementationSpecific")})),
       {R"(spec.rules[0].http.paths[0]: path condition must specify exactly one of Values and RegexValues, got both Values [/x] and RegexValues [api/.*])"},
       {}},
  });
}

// The message is built per rule path: past 16 values the rest are counted, not listed (an
// annotation with thousands of values on thousands of paths must not cost their product).
TEST(IngressRuleConditionsTest, BothValuesMessageListsSixteenValues) {
  json values = json::array();
  for (int i = 0; i < 17; ++i) values.push_back("h" + std::to_string(i) + ".example.com");
  const json conditions = json::array(
      {{{"field", "host-header"}, {"hostHeaderConfig", {{"values", values}}}},
       {{"field", "host-header"}, {"hostHeaderConfig", {{"regexValues", {"^a$", "^b$"}}}}}});
  std::string listed = "shop.example.com";
  for (int i = 0; i < 15; ++i) listed += " h" + std::to_string(i) + ".example.com";
  RunCases({
      {"err_values_counted_past_sixteen",
       WithRule(Alb({{"conditions.web", conditions.dump()}}), "shop.example.com",
                json::array({Path("/", "Prefix"), Path("/b", "Exact")})),
       {"spec.rules[0].http.paths[0]: host condition must specify exactly one of Values and "
        "RegexValues, got both Values [" +
            listed + " ... and 2 more] and RegexValues [^a$ ^b$]",
        "spec.rules[0].http.paths[1]: host condition must specify exactly one of Values and "
        "RegexValues, got both Values [" +
            listed + " ... and 2 more] and RegexValues [^a$ ^b$]"},
       {}},
  });
}

TEST(IngressRuleConditionsTest, ConditionValuesAwsRefuses) {
  const std::string empty_host =
      R"([{"field": "host-header", "hostHeaderConfig": {"values": [""]}}])";
  const std::string bad_host =
      R"([{"field": "host-header", "hostHeaderConfig": {"values": ["example_com"]}}])";
  const std::string long_path =
      R"([{"field": "path-pattern", "pathPatternConfig": {"values": ["/)" + std::string(128, 'p') +
      R"("]}}])";
  const std::string long_header =
      R"([{"field": "http-header", "httpHeaderConfig": {"httpHeaderName": ")" +
      std::string(41, 'h') + R"(", "values": ["a"]}}])";
  const std::string lookbehind =
      R"([{"field": "path-pattern", "pathPatternConfig": {"regexValues": ["(?<=/v1)/x"]}}])";
  const std::string methods =
      R"([{"field": "http-request-method", "httpRequestMethodConfig": {"values": ["GET", "get"]}}])";
  const std::string source_ips =
      R"([{"field": "source-ip", "sourceIPConfig": {"values": ["192.168.0.0/16", "::/0", "10.0.0.1"]}}])";
  const json root = json::array({Path("/", "Prefix")});
  RunCases({
      {"ok_docs_examples",
       WithRule(
           Alb({{"conditions.web",
                 R"([{"field": "http-request-method", "httpRequestMethodConfig": {"Values": ["GET", "HEAD"]}}, {"field": "source-ip", "sourceIPConfig": {"values": ["192.168.0.0/16"]}}])"}}),
           "", root),
       {},
       {}},
      {"err_method_case",
       WithRule(Alb({{"conditions.web", methods}}), "", root),
       {Msg(
           "conditions.web", methods,
           R"(http-request-method value "get" may hold only A-Z, '-' and '_', at most 40 (AWS; case-sensitive))")},
       {}},
      {"err_source_ip_not_cidr",
       WithRule(Alb({{"conditions.web", source_ips}}), "", root),
       {Msg("conditions.web", source_ips,
            R"(source-ip value "10.0.0.1" is not an IPv4 or IPv6 CIDR like 192.0.2.0/24 (AWS))")},
       {}},
      {"err_empty_value",
       WithRule(Alb({{"conditions.web", empty_host}}), "", root),
       {Msg("conditions.web", empty_host,
            "host-header value is empty (AWS: a condition value cannot be empty)")},
       {}},
      {"err_host_value_grammar",
       WithRule(Alb({{"conditions.web", bad_host}}), "", root),
       {Msg(
           "conditions.web", bad_host,
           R"(host-header value "example_com": AWS host conditions allow only letters, digits, '-', '.', '*' and '?')")},
       {}},
      {"err_long_path_value",
       WithRule(Alb({{"conditions.web", long_path}}), "", root),
       {Msg("conditions.web", long_path,
            "path-pattern value " + common::QuoteValue("/" + std::string(128, 'p')) +
                " is longer than 128 characters (AWS limit)")},
       {}},
      {"err_long_header_name",
       WithRule(Alb({{"conditions.web", long_header}}), "", root),
       {Msg("conditions.web", long_header,
            "http-header name " + common::QuoteValue(std::string(41, 'h')) +
                " is longer than 40 characters (AWS limit)")},
       {}},
      {"warn_regex_feature",
       WithRule(Alb({{"use-regex-path-match", "true"}, {"conditions.web", lookbehind}}), "",
                json::array({Path("/api/.*", "ImplementationSpecific")})),
       {},
       {R"(alb.ingress.kubernetes.io/conditions.web: path-pattern regexValue "(?<=/v1)/x" uses lookbehinds, which AWS does not support)"}},
  });
}

// --- frontend NLB success codes ---------------------------------------------------------------

TEST(IngressRuleChecksTest, FrontendNlbSuccessCodes) {
  const std::string key = "frontend-nlb-healthcheck-success-codes";
  RunCases({
      {"ok_docs_example",
       MakeIngress(Alb({{"enable-frontend-nlb", "true"}, {key, "200"}})),
       {},
       {}},
      {"ok_nlb_range",
       MakeIngress(Alb({{"enable-frontend-nlb", "true"}, {key, "200-399,500-599"}})),
       {},
       {}},
      {"err_outside",
       MakeIngress(Alb({{"enable-frontend-nlb", "true"}, {key, "600"}})),
       {Msg(
           key, "600",
           R"(item "600" is outside 200-599 (NLB HTTP codes 200-599, e.g. 200, 200,204 or 200-399))")},
       {}},
      {"err_malformed",
       MakeIngress(Alb({{"enable-frontend-nlb", "true"}, {key, "2xx"}})),
       {Msg(
           key, "2xx",
           R"(item "2xx" is not a code or a code range like 200-299 (NLB HTTP codes 200-599, e.g. 200, 200,204 or 200-399))")},
       {}},
      {"warn_without_frontend_nlb",
       MakeIngress(Alb({{key, "600"}})),
       {},
       {Msg(
           key, "600",
           R"(item "600" is outside 200-599 (NLB HTTP codes 200-599, e.g. 200, 200,204 or 200-399) (used when enable-frontend-nlb is true for the group))",
           24)}},
  });
}

// --- warnings ---------------------------------------------------------------------------------

TEST(IngressConfigHintsTest, PlaceholdersInSubnetsAndSecurityGroups) {
  auto warning = [](const std::string& suffix, const std::string& item, const std::string& kind) {
    return std::string(kP) + suffix + ": item " + common::QuoteValue(item, 24) +
           " looks like an unrendered template placeholder (read as a " + kind + " Name tag)";
  };
  RunCases({
      {"ok_name_tags", MakeIngress(Alb({{"subnets", "public-a, public-b"}})), {}, {}},
      {"ok_ids",
       MakeIngress(Alb({{"security-groups", "sg-00000000, sg-0123456789abcdef0"}})),
       {},
       {}},
      {"warn_shell_and_docs",
       MakeIngress(Alb({{"subnets", "${PUBLIC_SUBNET_A}, <public_subnet_ids>, public-c"}})),
       {},
       {warning("subnets", "${PUBLIC_SUBNET_A}", "subnet"),
        warning("subnets", "<public_subnet_ids>", "subnet")}},
      {"warn_helm_and_marker",
       MakeIngress(Alb({{"security-groups", "{{ .Values.albSg }}, alb-sg-CHANGEME"}})),
       {},
       {warning("security-groups", "{{ .Values.albSg }}", "security group"),
        warning("security-groups", "alb-sg-CHANGEME", "security group")}},
      {"warn_frontend_nlb",
       MakeIngress(Alb({{"frontend-nlb-security-groups", "REPLACE_ME"}})),
       {},
       {warning("frontend-nlb-security-groups", "REPLACE_ME", "security group")}},
      // An item with the ID prefix is an ID: denied as one, not warned about twice.
      {"err_id_placeholder",
       MakeIngress(Alb({{"subnets", "subnet-xxxxxxxx, subnet-yyyyyyyy"}})),
       {Msg("subnets", "subnet-xxxxxxxx, subnet-yyyyyyyy",
            R"(item "subnet-xxxxxxxx" must be subnet- followed by 8 or 17 lowercase hex digits (other items are Name tags))"),
        Msg("subnets", "subnet-xxxxxxxx, subnet-yyyyyyyy",
            R"(item "subnet-yyyyyyyy" must be subnet- followed by 8 or 17 lowercase hex digits (other items are Name tags))")},
       {}},
  });
}

TEST(IngressConfigHintsTest, HttpsWithoutCertificateSource) {
  const std::string https = R"([{"HTTP": 80}, {"HTTPS": 443}])";
  const std::string acm =
      "arn:aws:acm:us-west-2:123456789012:certificate/12345678-1234-1234-1234-123456789012";
  const json root = json::array({Path("/", "Prefix")});
  json tls_host = WithRule(Alb({{"listen-ports", https}}), "", root);
  tls_host["spec"]["tls"] = json::array({{{"hosts", json::array({"shop.example.com"})}}});
  const std::string warning =
      "HTTPS:443 has no certificate-arn or host for ACM discovery; IngressClassParams or another "
      "group member may supply one";
  RunCases({
      {"warn_no_source", WithRule(Alb({{"listen-ports", https}}), "", root), {}, {warning}},
      {"ok_rule_host_for_discovery",
       WithRule(Alb({{"listen-ports", https}}), "shop.example.com", root),
       {},
       {}},
      {"ok_tls_host_for_discovery", tls_host, {}, {}},
      {"ok_certificate_arn",
       WithRule(Alb({{"listen-ports", https}, {"certificate-arn", acm}}), "", root),
       {},
       {}},
      {"ok_create_acm_cert",
       WithRule(Alb({{"listen-ports", https}, {"create-acm-cert", "true"}}), "", root),
       {},
       {}},
      {"ok_default_listener", WithRule(nullptr, "", root), {}, {}},
  });
  EXPECT_LE(warning.size(), 120U);  // the admission response cuts warnings at 120 characters
}

}  // namespace
}  // namespace albwebhook::rules
