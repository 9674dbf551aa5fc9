// Ingress mutator: golden patches, applied with nlohmann json::patch to the exact object, and a
// second pass that must change nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "albwebhook/json/json_patch.hpp"
#include "ingress_test_util.hpp"
#include "rules/ingress_checks.hpp"

namespace albwebhook::rules {
namespace {

using namespace albwebhook::rules::testing;  // NOLINT(google-build-using-namespace)

struct Case {
  std::string name;
  std::function<void(policy::Policy&)> configure;
  json object;
  json want_patch;  // exact RFC 6902 ops (json::array() = no patch)
  api::Operation op = api::Operation::kCreate;
};

Verdict Mutate(const policy::Policy& policy, json& object, api::Operation op) {
  auto mutator = MakeIngressMutator();
  Context ctx{op, "team-a", "shop", policy};
  return mutator->Mutate(ctx, object, op == api::Operation::kUpdate ? object : json());
}

void RunCases(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    policy::Policy policy;
    if (c.configure) c.configure(policy);
    json mutated = c.object;
    Verdict v = Mutate(policy, mutated, c.op);
    EXPECT_FALSE(v.HasDenials());
    json patch = ::albwebhook::json::MakePatch(c.object, mutated);
    EXPECT_EQ(patch, c.want_patch) << patch.dump();
    // The patch applies to the exact object sent and yields the mutated object.
    EXPECT_EQ(c.object.patch(patch), mutated);
    // Idempotent: a second pass changes nothing.
    json again = mutated;
    Mutate(policy, again, c.op);
    EXPECT_EQ(::albwebhook::json::MakePatch(mutated, again), json::array());
  }
}

std::string Key(const std::string& suffix) { return std::string(kP) + suffix; }
std::string Ptr(const std::string& suffix) {
  return "/metadata/annotations/alb.ingress.kubernetes.io~1" + suffix;
}
/// One RFC 6902 op ("add" or "replace") on the ALB annotation `suffix`.
json AnnotationOp(const std::string& op, const std::string& suffix, const json& value) {
  return {{"op", op}, {"path", Ptr(suffix)}, {"value", value}};
}

TEST(IngressMutatorTest, AppliesAnnotationDefaults) {
  auto defaults = [](policy::Policy& p) {
    p.ingress.defaults.annotations = {{Key("scheme"), "internal"}, {Key("target-type"), "ip"}};
  };
  json no_metadata = MakeIngress(nullptr);
  no_metadata.erase("metadata");
  RunCases({
      {"ok_no_defaults_no_patch", nullptr, MakeIngress(Alb({{"scheme", "internal"}})),
       json::array()},
      {"add_annotations_object_when_absent", defaults, MakeIngress(nullptr),
       json::array({{{"op", "add"},
                     {"path", "/metadata/annotations"},
                     {"value", {{Key("scheme"), "internal"}, {Key("target-type"), "ip"}}}}})},
      {"replace_null_annotations", defaults,
       MakeIngress(nullptr).patch(
           json::array({{{"op", "add"}, {"path", "/metadata/annotations"}, {"value", nullptr}}})),
       json::array({{{"op", "replace"},
                     {"path", "/metadata/annotations"},
                     {"value", {{Key("scheme"), "internal"}, {Key("target-type"), "ip"}}}}})},
      {"add_metadata_when_absent", defaults, no_metadata,
       json::array(
           {{{"op", "add"},
             {"path", "/metadata"},
             {"value",
              {{"annotations", {{Key("scheme"), "internal"}, {Key("target-type"), "ip"}}}}}}})},
      {"keep_user_values", defaults, MakeIngress(Alb({{"scheme", "internet-facing"}})),
       json::array({AnnotationOp("add", "target-type", "ip")})},
      {"keep_user_empty_value", defaults,
       MakeIngress(Alb({{"scheme", ""}, {"target-type", "instance"}})), json::array()},
      {"defaults_on_update_too", defaults, MakeIngress(Alb({{"target-type", "instance"}})),
       json::array({AnnotationOp("add", "scheme", "internal")}), api::Operation::kUpdate},
      {"never_on_delete", defaults, MakeIngress(nullptr), json::array(), api::Operation::kDelete},
  });
}

TEST(IngressMutatorTest, MergesTagsAndAttributes) {
  auto defaults = [](policy::Policy& p) {
    p.ingress.defaults.tags = {{"team", "platform"}, {"cost-center", "42"}, {"owners", "a,b"}};
    p.ingress.defaults.load_balancer_attributes = {{"idle_timeout.timeout_seconds", "120"}};
  };
  RunCases({
      {"create_tags_and_attributes", defaults, MakeIngress(json::object()),
       json::array(
           {AnnotationOp("add", "load-balancer-attributes", "idle_timeout.timeout_seconds=120"),
            AnnotationOp("add", "tags", R"(team=platform,cost-center=42,owners=a\,b)")})},
      {"append_without_rewriting_user_entries", defaults,
       MakeIngress(Alb({{"tags", " team = a ,x=1"},
                        {"load-balancer-attributes", "routing.http2.enabled=true,"}})),
       json::array(
           {AnnotationOp("replace", "load-balancer-attributes",
                         "routing.http2.enabled=true,idle_timeout.timeout_seconds=120"),
            AnnotationOp("replace", "tags", R"( team = a ,x=1,cost-center=42,owners=a\,b)")})},
      {"user_has_every_key", defaults,
       MakeIngress(Alb({{"tags", "team=a,cost-center=1,owners=me"},
                        {"load-balancer-attributes", "idle_timeout.timeout_seconds=60"}})),
       json::array()},
      {"malformed_map_left_alone", defaults,
       MakeIngress(Alb(
           {{"tags", "team"}, {"load-balancer-attributes", "idle_timeout.timeout_seconds=60"}})),
       json::array()},
      // The LBC does not trim a stringMap before splitting it: " " is one empty item, an error
      // (the validator reports it), so it is left alone like any malformed map.
      {"blank_map_left_alone", defaults,
       MakeIngress(
           Alb({{"tags", " "}, {"load-balancer-attributes", "idle_timeout.timeout_seconds=60"}})),
       json::array()},
      {"empty_map_filled", defaults,
       MakeIngress(
           Alb({{"tags", ""}, {"load-balancer-attributes", "idle_timeout.timeout_seconds=60"}})),
       json::array(
           {AnnotationOp("replace", "tags", R"(team=platform,cost-center=42,owners=a\,b)")})},
  });
}

TEST(IngressMutatorTest, DefaultsSslRedirect) {
  auto defaults = [](policy::Policy& p) { p.ingress.defaults.ssl_redirect = true; };
  RunCases({
      {"first_https_port", defaults,
       MakeIngress(Alb({{"listen-ports", R"([{"HTTP":80},{"HTTPS":8443},{"HTTPS":443}])"}})),
       json::array({AnnotationOp("add", "ssl-redirect", "8443")})},
      {"no_https_listener", defaults, MakeIngress(Alb({{"listen-ports", R"([{"HTTP":80}])"}})),
       json::array()},
      {"no_listen_ports", defaults, MakeIngress(json::object()), json::array()},
      {"malformed_listen_ports", defaults, MakeIngress(Alb({{"listen-ports", "[{"}})),
       json::array()},
      {"user_value_kept", defaults,
       MakeIngress(Alb({{"listen-ports", R"([{"HTTPS":443}])"}, {"ssl-redirect", "443"}})),
       json::array()},
  });
}

TEST(IngressMutatorTest, MigratesClassAnnotation) {
  json annotated = MakeIngress(json{{"kubernetes.io/ingress.class", "alb"}});
  annotated["spec"].erase("ingressClassName");
  json both = MakeIngress(json{{"kubernetes.io/ingress.class", "alb"}});
  RunCases({
      {"migrate_to_spec",
       [](policy::Policy& p) { p.ingress.defaults.migrate_class_annotation = true; }, annotated,
       json::array(
           {{{"op", "remove"}, {"path", "/metadata/annotations/kubernetes.io~1ingress.class"}},
            {{"op", "add"}, {"path", "/spec/ingressClassName"}, {"value", "alb"}}})},
      {"migration_off_by_default", nullptr, annotated, json::array()},
      {"spec_class_already_set", nullptr, both, json::array()},
  });
}

TEST(IngressMutatorTest, LeavesOtherIngressesAlone) {
  policy::Policy policy;
  policy.ingress.defaults.annotations = {{Key("scheme"), "internal"}};
  json other = MakeIngress(nullptr);
  other["spec"]["ingressClassName"] = "nginx";
  json copy = other;
  Verdict v = Mutate(policy, copy, api::Operation::kCreate);
  EXPECT_FALSE(v.in_scope);
  EXPECT_TRUE(v.findings.empty());
  EXPECT_EQ(copy, other);
}

TEST(IngressMutatorTest, SurvivesWrongTypes) {
  auto defaults = [](policy::Policy& p) {
    p.ingress.defaults.annotations = {{Key("scheme"), "internal"}};
    p.ingress.defaults.tags = {{"team", "a"}};
    p.ingress.defaults.ssl_redirect = true;
    p.ingress.manage_ingresses_without_class = true;
  };
  json annotations_array = MakeIngress(nullptr);
  annotations_array["metadata"]["annotations"] = json::array();
  json metadata_string = MakeIngress(nullptr);
  metadata_string["metadata"] = "x";
  json tags_number = MakeIngress(json{{Key("tags"), 5}, {Key("listen-ports"), 7}});
  json spec_string = MakeIngress(json{{"kubernetes.io/ingress.class", "alb"}}, "spec");
  RunCases({
      {"annotations_not_a_map", defaults, annotations_array, json::array()},
      {"metadata_not_an_object", defaults, metadata_string, json::array()},
      {"values_not_strings", defaults, tags_number,
       json::array({AnnotationOp("add", "scheme", "internal")})},
      {"spec_not_an_object_no_migration", defaults, spec_string,
       json::array(
           {AnnotationOp("add", "scheme", "internal"), AnnotationOp("add", "tags", "team=a")})},
      {"not_an_object", defaults, json::array({1, 2}), json::array()},
      {"null_object", defaults, json(), json::array()},
  });
}

// The shortcut the validator and mutator take: when IngressDefaultsMayChange is false, applying
// the defaults must change nothing; and it is false in the common case (default policy, no class
// annotation), where no copy is made.
TEST(IngressMutatorTest, DefaultsMayChangeIsFalseOnlyWhenApplyingChangesNothing) {
  std::vector<std::pair<std::string, std::function<void(policy::Policy&)>>> policies = {
      {"default", nullptr},
      {"no_migration",
       [](policy::Policy& p) { p.ingress.defaults.migrate_class_annotation = false; }},
      {"annotations",
       [](policy::Policy& p) {
         p.ingress.defaults.annotations = {{Key("scheme"), "internal"}};
       }},
      {"tags",
       [](policy::Policy& p) {
         p.ingress.defaults.tags = {{"team", "a"}};
       }},
      {"attributes",
       [](policy::Policy& p) {
         p.ingress.defaults.load_balancer_attributes = {{"idle_timeout.timeout_seconds", "60"}};
       }},
      {"ssl_redirect", [](policy::Policy& p) { p.ingress.defaults.ssl_redirect = true; }},
  };
  json class_annotation = MakeIngress(json{{"kubernetes.io/ingress.class", "alb"}});
  class_annotation["spec"].erase("ingressClassName");
  json with_certificate = MakeIngress(
      json{{Key("certificate-arn"), "arn:aws:acm:us-east-1:123456789012:certificate/abc"}});
  const std::vector<std::pair<std::string, json>> objects = {
      {"plain", MakeIngress(nullptr)},
      {"class_annotation", class_annotation},
      {"certificate", with_certificate},
      {"annotations_array",
       [] {
         json o = MakeIngress(nullptr);
         o["metadata"]["annotations"] = json::array();
         return o;
       }()},
      {"not_an_object", json::array({1})},
  };
  int unchanged_shortcuts = 0;
  for (const auto& [policy_name, configure] : policies) {
    policy::Policy policy;
    if (configure) configure(policy);
    for (const auto& [object_name, object] : objects) {
      SCOPED_TRACE(policy_name + " / " + object_name);
      json applied = object;
      ApplyIngressDefaults(policy.ingress, applied);
      if (!IngressDefaultsMayChange(policy.ingress, object)) {
        EXPECT_EQ(applied, object);
        ++unchanged_shortcuts;
      }
    }
  }
  policy::Policy defaults;
  EXPECT_FALSE(IngressDefaultsMayChange(defaults.ingress, MakeIngress(nullptr)));
  EXPECT_FALSE(
      IngressDefaultsMayChange(defaults.ingress, class_annotation));  // migration is opt-in
  defaults.ingress.defaults.migrate_class_annotation = true;
  EXPECT_TRUE(IngressDefaultsMayChange(defaults.ingress, class_annotation));
  EXPECT_GE(unchanged_shortcuts, 8);
}

}  // namespace
}  // namespace albwebhook::rules
