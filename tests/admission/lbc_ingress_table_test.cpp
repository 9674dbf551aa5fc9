// The LBC's Ingress webhook test tables (webhooks/networking/ingress_validator_test.go, LBC
// v3.5.0+ at 225f445), case by case, through the whole validating webhook: an AdmissionReview
// (CREATE, or UPDATE with oldObject) -> ServeAdmission -> the real Ingress handler -> the encoded
// response. The data are ours; the outcomes and messages are the LBC's, except where README
// "What differs from the LBC's own webhooks" / "Cluster view" says we differ on purpose (marked).
// The LBC's file has no Ingress mutator table (webhooks/networking has only the validator).
#include <gtest/gtest.h>

#include "admission/lbc_table_support.hpp"

namespace albwebhook::testing {
namespace {

using nlohmann::json;

constexpr const char* kClassAnnotation = "kubernetes.io/ingress.class";
constexpr const char* kGroupName = "alb.ingress.kubernetes.io/group.name";
constexpr const char* kClassBan =
    "new usage of `kubernetes.io/ingress.class` annotation is forbidden";
constexpr const char* kGroupBan =
    "new usage of `alb.ingress.kubernetes.io/group.name` annotation is forbidden";

// The LBC's conditions check (step 5) is what every Ingress it does not skip goes through: an
// invalid conditions.<svc> for a rule's backend shows whether the webhook judged the object.
constexpr const char* kProbeKey = "alb.ingress.kubernetes.io/conditions.probe";
constexpr const char* kProbeValue =
    R"([{"field":"query-string","queryStringConfig":{"values":[{"key":"k","value":""}]}}])";
constexpr const char* kProbeDenial =
    "ignoring Ingress shop/storefront since invalid alb.ingress.kubernetes.io/conditions.probe "
    "annotation: invalid queryStringConfig: value cannot be empty";

/// An Ingress shop/storefront; `ingress_class` "" leaves spec.ingressClassName out.
json Ing(json annotations, const std::string& ingress_class = "", json rules = json::array()) {
  json ing = {{"apiVersion", "networking.k8s.io/v1"},
              {"kind", "Ingress"},
              {"metadata", {{"name", "storefront"}, {"namespace", "shop"}}},
              {"spec", {{"rules", std::move(rules)}}}};
  if (!annotations.is_null()) ing["metadata"]["annotations"] = std::move(annotations);
  if (!ingress_class.empty()) ing["spec"]["ingressClassName"] = ingress_class;
  return ing;
}

/// One rule path /probe to Service `probe`, port name http.
json ProbeRules() {
  return json::parse(R"([{"http":{"paths":[{"path":"/probe","pathType":"Prefix",
    "backend":{"service":{"name":"probe","port":{"name":"http"}}}}]}}])");
}

/// `ing` with the probe: an invalid conditions annotation for the probe backend.
json WithProbe(json ing) {
  ing["metadata"]["annotations"][kProbeKey] = kProbeValue;
  ing["spec"]["rules"] = ProbeRules();
  return ing;
}

json IngressClass(const std::string& name, const std::string& controller, bool is_default = false,
                  const std::string& params = "") {
  return IngressClassObject(name, controller, is_default, params);
}

json Namespace(const std::string& name, json labels) {
  return {{"apiVersion", "v1"},
          {"kind", "Namespace"},
          {"metadata", {{"name", name}, {"labels", std::move(labels)}}}};
}

json ParamsWithSelector(const std::string& name, json match_labels) {
  return {{"apiVersion", "elbv2.k8s.aws/v1beta1"},
          {"kind", "IngressClassParams"},
          {"metadata", {{"name", name}}},
          {"spec", {{"namespaceSelector", {{"matchLabels", std::move(match_labels)}}}}}};
}

ReviewBuilder Create(const json& ing) {
  return ReviewBuilder().Uid("lbc-table").Namespace("shop").Name("storefront").Object(ing);
}
ReviewBuilder Update(const json& ing, const json& old_ing) {
  return Create(ing).Operation("UPDATE").OldObject(old_ing);
}

constexpr const char* kAlbController = "ingress.k8s.aws/alb";

// --- Test_ingressValidator_checkIngressClass ----------------------------------------------------
// The LBC asserts skip (not ours) or not. Each row is served twice: as written (always allowed
// when there is no error), and with the probe, which a judged Ingress is denied for.

struct ClassRow {
  std::string name;
  bool lbc_flag_ingress_class_empty;  // the LBC's --ingress-class "" (manage class-less Ingresses)
  json annotations;
  std::string ingress_class;
  std::vector<json> cluster;
  bool judged;  // our outcome: the probe is denied
};

TEST(LbcIngressTable, CheckIngressClass) {
  const std::vector<ClassRow> rows = {
      {"class annotation naming our class", false, {{kClassAnnotation, "alb"}}, "", {}, true},
      {"class annotation naming another class",
       false,
       {{kClassAnnotation, "nginx"}},
       "",
       {},
       false},
      {"no class at all, controller manages class-less Ingresses",
       true,
       json::object(),
       "",
       {},
       true},
      {"no class at all, controller does not manage class-less Ingresses",
       false,
       json::object(),
       "",
       {},
       false},
      // The LBC denies: invalid ingress class: ingressclasses.networking.k8s.io "awesome-class"
      // not found. We differ on purpose (README "Cluster view", "What differs from the LBC's own
      // webhooks"): a class the cluster does not have is not ours, so the Ingress of another
      // controller, created before its class, is not blocked.
      {"ingressClassName of a class the cluster does not have",
       false,
       json::object(),
       "awesome-class",
       {},
       false},
      {"ingressClassName of a class of another controller",
       false,
       json::object(),
       "awesome-class",
       {IngressClass("awesome-class", "other-controller")},
       false},
      {"ingressClassName of an ALB class without parameters",
       false,
       json::object(),
       "awesome-class",
       {IngressClass("awesome-class", kAlbController)},
       true},
      {"no class, the cluster's default class is an ALB class",
       false,
       json::object(),
       "",
       {IngressClass("awesome-class", kAlbController, true)},
       true},
      {"no class, the cluster's default class is another controller's",
       true,
       json::object(),
       "",
       {IngressClass("awesome-class", "other-controller", true)},
       false},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    policy::Policy policy;
    policy.ingress.manage_ingresses_without_class = row.lbc_flag_ingress_class_empty;
    const json ing = Ing(row.annotations, row.ingress_class);
    ExpectAnswer(ServeWhole("Ingress", Hook::kValidate, Create(ing), policy, row.cluster), Want{});
    const auto probed =
        ServeWhole("Ingress", Hook::kValidate, Create(WithProbe(ing)), policy, row.cluster);
    if (row.judged) {
      // The probe backend's Service is not in the cluster: the view's warning, never a denial.
      ExpectAnswer(probed,
                   {false,
                    kProbeDenial,
                    {"spec.rules[0].http.paths[0].backend: Service shop/probe does not exist (yet) "
                     "in the cluster"}});
    } else {
      ExpectAnswer(probed, Want{});
    }
  }
}

// The LBC's row "IngressClass with missing IngressClassParams": its webhook loads classes without
// their parameters (skip=false, no error). We load them as its reconciler does (README "Cluster
// view", IngressClass and IngressClassParams), where the same Ingress fails to build; we deny
// with the reconciler's words.
TEST(LbcIngressTable, CheckIngressClassWithMissingParams) {
  const std::vector<json> cluster = {
      IngressClass("awesome-class", kAlbController, false, "awesome-class-params")};
  ExpectAnswer(ServeWhole("Ingress", Hook::kValidate, Create(Ing(json::object(), "awesome-class")),
                          policy::Policy{}, cluster),
               {false,
                "invalid ingress class: ingressclassparams.elbv2.k8s.aws \"awesome-class-params\" "
                "not found",
                {}});
}

// --- Test_ingressValidator_checkIngressClassAnnotationUsage ------------------------------------

struct UsageRow {
  std::string name;
  bool disabled;  // --disable-ingress-class-annotation / --disable-ingress-group-name-annotation
  json annotations;
  json old_annotations;  // null: CREATE
  Want want;
};

void RunUsageRows(const std::vector<UsageRow>& rows, bool class_flag, const std::string& cls) {
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    policy::Policy policy;
    if (class_flag) {
      policy.ingress.disable_ingress_class_annotation = row.disabled;
    } else {
      policy.ingress.disable_ingress_group_name_annotation = row.disabled;
    }
    const json ing = Ing(row.annotations, cls);
    const auto review =
        row.old_annotations.is_null() ? Create(ing) : Update(ing, Ing(row.old_annotations, cls));
    ExpectAnswer(ServeWhole("Ingress", Hook::kValidate, review, policy), row.want);
  }
}

TEST(LbcIngressTable, CheckIngressClassAnnotationUsage) {
  const json alb = {{kClassAnnotation, "alb"}};
  const json nginx = {{kClassAnnotation, "nginx"}};
  const json other = {{"example.com/owner", "team-shop"}};
  const std::vector<UsageRow> rows = {
      {"CREATE with our class annotation, usage allowed", false, alb, nullptr, {}},
      {"CREATE with our class annotation, new usage forbidden",
       true,
       alb,
       nullptr,
       {false, kClassBan, {}}},
      {"CREATE with another class annotation, new usage forbidden", true, nginx, nullptr, {}},
      {"CREATE without the class annotation, new usage forbidden", true, other, nullptr, {}},
      {"UPDATE from another class to ours, usage allowed", false, alb, nginx, {}},
      {"UPDATE from another class to ours, new usage forbidden",
       true,
       alb,
       nginx,
       {false, kClassBan, {}}},
      {"UPDATE from one other class to another, new usage forbidden",
       true,
       {{kClassAnnotation, "envoy"}},
       nginx,
       {}},
      {"UPDATE dropping another class annotation, new usage forbidden", true, other, nginx, {}},
      {"UPDATE keeping our class annotation, new usage forbidden", true, alb, alb, {}},
  };
  RunUsageRows(rows, true, "");
}

// --- Test_ingressValidator_checkGroupNameAnnotationUsage ---------------------------------------

TEST(LbcIngressTable, CheckGroupNameAnnotationUsage) {
  const json group = {{kGroupName, "awesome-group"}};
  const json other = {{"example.com/owner", "team-shop"}};
  const std::vector<UsageRow> rows = {
      {"CREATE with group.name, usage allowed", false, group, nullptr, {}},
      {"CREATE with group.name, new usage forbidden", true, group, nullptr, {false, kGroupBan, {}}},
      {"CREATE without group.name, new usage forbidden", true, other, nullptr, {}},
      {"UPDATE adding group.name, usage allowed", false, group, other, {}},
      {"UPDATE adding group.name, new usage forbidden", true, group, other, {false, kGroupBan, {}}},
      {"UPDATE without group.name, new usage forbidden", true, other, other, {}},
      {"UPDATE keeping group.name, new usage forbidden", true, group, group, {}},
      // A change is a new usage: never ratcheted into a "pre-existing" warning.
      {"UPDATE changing group.name, new usage forbidden",
       true,
       {{kGroupName, "awesome-group-2"}},
       {{kGroupName, "awesome-group-1"}},
       {false, kGroupBan, {}}},
  };
  RunUsageRows(rows, false, "alb");
}

// --- Test_ingressValidator_checkIngressClassUsage ----------------------------------------------

struct ClassUsageRow {
  std::string name;
  std::vector<json> cluster;
  std::string ingress_class;
  std::optional<std::string> old_class;  // nullopt: CREATE; "" : UPDATE from no class
  Want want;
};

TEST(LbcIngressTable, CheckIngressClassUsage) {
  const json params_class =
      IngressClass("awesome-class", kAlbController, false, "awesome-class-params");
  const json params = ParamsWithSelector("awesome-class-params", {{"team", "awesome-team"}});
  const std::vector<ClassUsageRow> rows = {
      {"CREATE without ingressClassName", {}, "", std::nullopt, {}},
      // The LBC denies (class not found); a class the cluster does not have is not ours (README
      // "Cluster view" scope; "What differs from the LBC's own webhooks").
      {"CREATE naming a class the cluster does not have", {}, "awesome-class", std::nullopt, {}},
      {"CREATE naming an ALB class without parameters",
       {IngressClass("awesome-class", kAlbController)},
       "awesome-class",
       std::nullopt,
       {}},
      {"CREATE naming a class whose params' namespaceSelector does not match",
       {Namespace("shop", {{"team", "another-team"}}), params_class, params},
       "awesome-class",
       std::nullopt,
       {false,
        "invalid ingress class: namespaceSelector of IngressClassParams awesome-class-params "
        "mismatch",
        {}}},
      {"CREATE naming a class whose params' namespaceSelector matches",
       {Namespace("shop", {{"team", "awesome-team"}}), params_class, params},
       "awesome-class",
       std::nullopt,
       {}},
      {"UPDATE removing ingressClassName", {}, "", "awesome-class", {}},
      // The next two: the LBC denies (class not found); not ours here, as above.
      {"UPDATE changing to a class the cluster does not have",
       {},
       "awesome-class",
       "old-awesome-class",
       {}},
      {"UPDATE adding a class the cluster does not have", {}, "awesome-class", "", {}},
      {"UPDATE keeping a class the cluster does not have",
       {},
       "awesome-class",
       "awesome-class",
       {}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    const json ing = Ing(nullptr, row.ingress_class);
    const auto review = row.old_class ? Update(ing, Ing(nullptr, *row.old_class)) : Create(ing);
    ExpectAnswer(ServeWhole("Ingress", Hook::kValidate, review, policy::Policy{}, row.cluster),
                 row.want);
  }
}

// --- Test_ingressValidator_checkIngressAnnotationConditions ------------------------------------

json Svc1Rules() {
  return json::parse(R"([{"http":{"paths":[{"path":"/ing-1-path","pathType":"Prefix",
    "backend":{"service":{"name":"svc-1","port":{"name":"https"}}}}]}}])");
}

TEST(LbcIngressTable, CheckIngressAnnotationConditions) {
  const std::string valid =
      R"([{"field":"query-string","queryStringConfig":{"values":[{"key":"paramA","value":"paramAValue"}]}}])";
  const std::string empty_value =
      R"([{"field":"query-string","queryStringConfig":{"values":[{"key":"paramA","value":""}]}}])";
  // The LBC's "valid" row spells the key condition.svc-1, which neither it nor we read: allowed,
  // and we warn that the annotation is unknown.
  ExpectAnswer(
      ServeWhole(
          "Ingress", Hook::kValidate,
          Create(Ing({{"alb.ingress.kubernetes.io/condition.svc-1", valid}}, "alb", Svc1Rules()))),
      {true,
       "",
       {"ingress.rules.unknownAnnotations: unknown \"alb.ingress.kubernetes.io/condition.svc-1\" "
        "(did you mean conditions.svc-1?)"}});
  // The same condition under the key the LBC reads: allowed.
  ExpectAnswer(ServeWhole("Ingress", Hook::kValidate,
                          Create(Ing({{"alb.ingress.kubernetes.io/conditions.svc-1", valid}}, "alb",
                                     Svc1Rules()))),
               Want{});
  ExpectAnswer(ServeWhole("Ingress", Hook::kValidate,
                          Create(Ing({{"alb.ingress.kubernetes.io/conditions.svc-1", empty_value}},
                                     "alb", Svc1Rules()))),
               {false,
                "ignoring Ingress shop/storefront since invalid "
                "alb.ingress.kubernetes.io/conditions.svc-1 annotation: invalid "
                "queryStringConfig: value cannot be empty",
                {}});
  // A rule with a host and no http: nothing to check.
  ExpectAnswer(ServeWhole("Ingress", Hook::kValidate,
                          Create(Ing({{"alb.ingress.kubernetes.io/conditions.svc-1", valid}}, "alb",
                                     json::parse(R"([{"host":"host.example.com"}])")))),
               Want{});
}

}  // namespace
}  // namespace albwebhook::testing
