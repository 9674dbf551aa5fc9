// The Ingress checks the cluster view adds, on states built with ClusterState::FromObjects: the
// LBC's IngressClass checks, IngressClassParams merged over annotations, the IngressGroup's
// "conflicting ..." errors naming the other member, and the policy judged on effective values.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "albwebhook/cluster/cluster_state.hpp"
#include "ingress_test_util.hpp"
#include "rules/ingress_checks.hpp"
#include "rules/ingress_class_config.hpp"
#include "rules/ingress_group.hpp"
#include "support/group_conflict_cases.hpp"

namespace albwebhook::rules::testing {
namespace {

using cluster::ClusterState;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

json Class(const std::string& params, const std::string& group = "elbv2.k8s.aws",
           const std::string& kind = "IngressClassParams") {
  json c = {{"apiVersion", "networking.k8s.io/v1"},
            {"kind", "IngressClass"},
            {"metadata", {{"name", "alb"}}},
            {"spec", {{"controller", "ingress.k8s.aws/alb"}}}};
  if (!params.empty()) {
    c["spec"]["parameters"] = {{"apiGroup", group}, {"kind", kind}, {"name", params}};
  }
  return c;
}

json Params(const std::string& name, const json& spec) {
  return {{"apiVersion", "elbv2.k8s.aws/v1beta1"},
          {"kind", "IngressClassParams"},
          {"metadata", {{"name", name}}},
          {"spec", spec}};
}

json Namespace(const std::string& name, const json& labels) {
  return {{"apiVersion", "v1"},
          {"kind", "Namespace"},
          {"metadata", {{"name", name}, {"labels", labels}}}};
}

/// An Ingress of class alb named ns/name.
json Ing(const std::string& ns, const std::string& name, json annotations) {
  json ing = MakeIngress(std::move(annotations));
  ing["metadata"]["namespace"] = ns;
  ing["metadata"]["name"] = name;
  return ing;
}

/// `candidate` (in team-a, named shop) judged against a cluster holding `objects`.
Verdict Judge(std::vector<json> objects, const json& candidate,
              const policy::Policy& policy = policy::Policy{}) {
  auto state = ClusterState::FromObjects(objects);
  Context ctx{api::Operation::kCreate, "team-a", "shop", policy, state.get()};
  return MakeIngressValidator()->Validate(ctx, candidate, json());
}

std::vector<std::string> Denials(const Verdict& v) { return Messages(v, Severity::kDeny); }

/// The messages of `check`'s findings of `severity`.
std::vector<std::string> Of(const Verdict& v, const std::string& check, Severity severity) {
  std::vector<std::string> out;
  for (const auto& f : v.findings) {
    if (f.check == check && f.severity == severity) out.push_back(f.message);
  }
  return out;
}

json Group(std::initializer_list<std::pair<std::string, std::string>> items) {
  json out = Alb(items);
  out[std::string(kP) + "group.name"] = "g";
  return out;
}

// --- IngressClass checks (class_loader.go), messages word for word ---------------------------

TEST(IngressClassCheck, ParametersThatAreNotIngressClassParams) {
  const Verdict v = Judge({Class("p", "example.com")}, Ing("team-a", "shop", nullptr));
  EXPECT_EQ(Denials(v),
            std::vector<std::string>{
                "invalid ingress class: IngressClass alb references unknown parameters"});
  // (The backend Service is not in this cluster either: a warning, under check "backend".)
  const auto denial = std::find_if(v.findings.begin(), v.findings.end(),
                                   [](const Finding& f) { return f.severity == Severity::kDeny; });
  ASSERT_NE(denial, v.findings.end());
  EXPECT_EQ(denial->check, "ingress-class");
  EXPECT_EQ(Denials(Judge({Class("p", "elbv2.k8s.aws", "TargetGroupBinding")},
                          Ing("team-a", "shop", nullptr)))
                .size(),
            1U);
}

TEST(IngressClassCheck, IngressClassParamsNotFound) {
  EXPECT_EQ(Denials(Judge({Class("missing")}, Ing("team-a", "shop", nullptr))),
            std::vector<std::string>{
                "invalid ingress class: ingressclassparams.elbv2.k8s.aws \"missing\" not found"});
  EXPECT_TRUE(
      Denials(Judge({Class("p"), Params("p", json::object())}, Ing("team-a", "shop", nullptr)))
          .empty());
}

TEST(IngressClassCheck, NamespaceSelectorMismatch) {
  json params = Params("p", {{"namespaceSelector", {{"matchLabels", {{"team", "a"}}}}}});
  EXPECT_EQ(Denials(Judge({Class("p"), params, Namespace("team-a", {{"team", "b"}})},
                          Ing("team-a", "shop", nullptr))),
            std::vector<std::string>{
                "invalid ingress class: namespaceSelector of IngressClassParams p mismatch"});
  EXPECT_TRUE(Denials(Judge({Class("p"), params, Namespace("team-a", {{"team", "a"}})},
                            Ing("team-a", "shop", nullptr)))
                  .empty());
}

TEST(IngressClassCheck, ClassConfigIsKeptPerSnapshotClassAndNamespace) {
  json params = Params("p", {{"namespaceSelector", {{"matchLabels", {{"team", "a"}}}}}});
  auto state = ClusterState::FromObjects({Class("p"), params, Namespace("team-a", {{"team", "a"}}),
                                          Namespace("team-b", {{"team", "b"}})});
  const json name = "alb";
  // Two namespaces of one snapshot: each its own answer, asked in either order and again.
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(LoadClassConfig(*state, false, &name, "team-b").state, ClassConfig::State::kInvalid);
    const ClassConfig a = LoadClassConfig(*state, false, &name, "team-a");
    EXPECT_EQ(a.state, ClassConfig::State::kParams);
    ASSERT_NE(a.params, nullptr);
    EXPECT_EQ(a.params->name, "p");
  }
  // The doc form reads the same; the class annotation bypasses the memo'd class.
  json doc = {{"spec", {{"ingressClassName", "alb"}}}};
  EXPECT_EQ(LoadClassConfig(*state, doc, "team-b").state, ClassConfig::State::kInvalid);
  EXPECT_EQ(LoadClassConfig(*state, true, &name, "team-b").state, ClassConfig::State::kNoParams);
  // A namespace the snapshot lacks is unknown (and not kept).
  EXPECT_EQ(LoadClassConfig(*state, false, &name, "team-c").state, ClassConfig::State::kUnknown);
  // A new snapshot (team-b relabelled) is not served the old one's answer.
  auto next = ClusterState::FromObjects({Class("p"), params, Namespace("team-a", {{"team", "b"}}),
                                         Namespace("team-b", {{"team", "a"}})});
  EXPECT_EQ(LoadClassConfig(*next, false, &name, "team-b").state, ClassConfig::State::kParams);
  EXPECT_EQ(LoadClassConfig(*next, false, &name, "team-a").state, ClassConfig::State::kInvalid);
  EXPECT_EQ(LoadClassConfig(*state, false, &name, "team-a").state, ClassConfig::State::kParams);
}

TEST(IngressClassCheck, WhatTheViewDoesNotHoldIsNeverADenial) {
  json params = Params("p", {{"namespaceSelector", {{"matchLabels", {{"team", "a"}}}}}});
  // The namespace is not in the view: unknown.
  EXPECT_TRUE(Denials(Judge({Class("p"), params}, Ing("team-a", "shop", nullptr))).empty());
  // The view unavailable: nothing of the cluster is judged, one warning.
  auto empty = ClusterState::Empty("not synced");
  policy::Policy policy;
  Context ctx{api::Operation::kCreate, "team-a", "shop", policy, empty.get()};
  const Verdict v = MakeIngressValidator()->Validate(ctx, Ing("team-a", "shop", nullptr), json());
  EXPECT_TRUE(Denials(v).empty());
  EXPECT_EQ(Messages(v, Severity::kWarn).size(), 1U);
  // The class annotation bypasses IngressClassParams, as in the LBC.
  EXPECT_TRUE(Denials(Judge({Class("missing")},
                            Ing("team-a", "shop", {{"kubernetes.io/ingress.class", "alb"}})))
                  .empty());
}

TEST(IngressClassCheck, MultipleDefaultClassesForAnIngressWithoutOne) {
  auto default_class = [](const std::string& name, const std::string& controller) {
    return json{{"apiVersion", "networking.k8s.io/v1"},
                {"kind", "IngressClass"},
                {"metadata",
                 {{"name", name},
                  {"annotations", {{"ingressclass.kubernetes.io/is-default-class", "true"}}}}},
                {"spec", {{"controller", controller}}}};
  };
  json classless = Ing("team-a", "shop", nullptr);
  classless["spec"].erase("ingressClassName");
  // GetDefaultIngressClass: the LBC's webhook words.
  const Verdict v = Judge(
      {default_class("alb", "ingress.k8s.aws/alb"), default_class("nginx", "k8s.io/ingress-nginx")},
      classless);
  EXPECT_EQ(Of(v, "ingress-class", Severity::kDeny),
            std::vector<std::string>{"multiple default IngressClasses found"});
  // One default of ours: the Ingress gets it, no denial.
  EXPECT_TRUE(Denials(Judge({default_class("alb", "ingress.k8s.aws/alb")}, classless)).empty());
  // Only other controllers' defaults: not ours at all.
  EXPECT_FALSE(Judge({default_class("a", "k8s.io/ingress-nginx"),
                      default_class("b", "k8s.io/ingress-nginx")},
                     classless)
                   .in_scope);
}

TEST(LabelSelector, MatchLabelsAndExpressions) {
  const json labels = {{"team", "a"}, {"tier", "web"}};
  auto m = [&](const json& selector) { return LabelSelectorMatches(selector, labels); };
  EXPECT_EQ(m(json::object()), true);
  EXPECT_EQ(m({{"matchLabels", {{"team", "a"}}}}), true);
  EXPECT_EQ(m({{"matchLabels", {{"team", "b"}}}}), false);
  auto expr = [](const std::string& key, const std::string& op, json values) {
    json r = {{"key", key}, {"operator", op}};
    if (!values.is_null()) r["values"] = std::move(values);
    return json{{"matchExpressions", json::array({r})}};
  };
  EXPECT_EQ(m(expr("team", "In", {"a", "b"})), true);
  EXPECT_EQ(m(expr("team", "In", {"c"})), false);
  EXPECT_EQ(m(expr("team", "NotIn", {"a"})), false);
  EXPECT_EQ(m(expr("env", "NotIn", {"prod"})), true);
  EXPECT_EQ(m(expr("tier", "Exists", nullptr)), true);
  EXPECT_EQ(m(expr("env", "Exists", nullptr)), false);
  EXPECT_EQ(m(expr("env", "DoesNotExist", nullptr)), true);
  EXPECT_EQ(m(expr("team", "DoesNotExist", nullptr)), false);
  EXPECT_EQ(m(expr("team", "In", json::array())), std::nullopt);  // malformed: unknown
  EXPECT_EQ(m(expr("team", "Gt", {"1"})), std::nullopt);
}

// --- IngressGroup conflicts: the candidate team-a/shop against team-b/web in group g ----------

std::vector<std::string> GroupDenials(const Verdict& v) {
  std::vector<std::string> out;
  for (const auto& f : v.findings) {
    if (f.severity == Severity::kDeny && f.check == "ingress-group") out.push_back(f.message);
  }
  return out;
}

using ConflictCase = albwebhook::testing::GroupConflictCase;

class GroupConflictTest : public ::testing::TestWithParam<ConflictCase> {};

TEST_P(GroupConflictTest, DeniedWithTheLbcWordsAndTheOtherMember) {
  const ConflictCase& c = GetParam();
  const Verdict v =
      Judge({Class(""), albwebhook::testing::MaybeDefaultBackend(Ing("team-b", "web", c.theirs),
                                                                 c.theirs_default_backend)},
            albwebhook::testing::MaybeDefaultBackend(Ing("team-a", "shop", c.mine),
                                                     c.mine_default_backend));
  if (c.expected.empty()) {
    EXPECT_TRUE(GroupDenials(v).empty()) << GroupDenials(v).front();
  } else {
    EXPECT_EQ(GroupDenials(v), std::vector<std::string>{c.expected});
  }
}

INSTANTIATE_TEST_SUITE_P(Lbc, GroupConflictTest,
                         ::testing::ValuesIn(albwebhook::testing::GroupConflictCases()),
                         [](const ::testing::TestParamInfo<ConflictCase>& info) {
                           return info.param.name;
                         });

// JudgeGroup skips the comparisons with members whose inputs equal the candidate's (they would
// compare equal values) but still counts what they settle. For every conflict case, with a twin
// of the candidate (its annotations, in another namespace) first or last in group order, the
// skipping judgement gives exactly the findings and outcome of the full one.
TEST(IngressGroupMembers, SkippingTheCandidatesTwinChangesNothing) {
  std::vector<ConflictCase> cases = albwebhook::testing::GroupConflictCases();
  // Equal success codes on a shared NLB listener warn even between equal members.
  const json nlb = Group(
      {{"enable-frontend-nlb", "true"}, {"frontend-nlb-healthcheck-success-codes", "200-399"}});
  cases.push_back({"nlb_equal_success_codes", nlb, nlb, ""});
  const policy::Policy policy;
  int skipped = 0, findings = 0;
  for (const ConflictCase& c : cases) {
    for (const char* twin_order : {"-5", "5"}) {
      SCOPED_TRACE(std::string(c.name) + ", twin group.order " + twin_order);
      json twin = albwebhook::testing::MaybeDefaultBackend(Ing("team-c", "twin", c.mine),
                                                           c.mine_default_backend);
      twin["metadata"]["annotations"][std::string(kP) + "group.order"] = twin_order;
      auto state =
          ClusterState::FromObjects({Class(""),
                                     albwebhook::testing::MaybeDefaultBackend(
                                         Ing("team-b", "web", c.theirs), c.theirs_default_backend),
                                     twin});
      const json candidate = albwebhook::testing::MaybeDefaultBackend(Ing("team-a", "shop", c.mine),
                                                                      c.mine_default_backend);
      const IngressView view = ReadIngress(candidate, "team-a");
      const ClassConfig klass = LoadClassConfig(*state, candidate, "team-a");
      ASSERT_TRUE(klass.known());
      const std::string name = CandidateGroupName(view, klass);
      if (name.empty()) continue;  // no explicit group: nothing to judge
      const auto group = LoadGroup(*state, policy.ingress, name);
      std::size_t equal_set = GroupMembers::npos;
      const CandidateMember member = ReadMember(view, klass, group.get(), &equal_set);
      if (equal_set == GroupMembers::npos) continue;  // the twin is not in the group (its class)
      ++skipped;
      Verdict full, skipping;
      const GroupOutcome a = JudgeGroup(member, *group, full);
      const GroupOutcome b = JudgeGroup(member, *group, skipping, equal_set);
      ASSERT_EQ(full.findings.size(), skipping.findings.size());
      findings += static_cast<int>(full.findings.size());
      for (std::size_t i = 0; i < full.findings.size(); ++i) {
        EXPECT_EQ(full.findings[i].severity, skipping.findings[i].severity);
        EXPECT_EQ(full.findings[i].check, skipping.findings[i].check);
        EXPECT_EQ(full.findings[i].message, skipping.findings[i].message);
      }
      EXPECT_EQ(a.scheme, b.scheme);
      EXPECT_EQ(a.has_waf, b.has_waf);
      EXPECT_EQ(a.ssl_redirect, b.ssl_redirect);
      EXPECT_EQ(a.namespaces, b.namespaces);
    }
  }
  // Not vacuous: nearly every case has the twin in its group, and most conflict with team-b/web.
  EXPECT_GE(skipped, static_cast<int>(cases.size()));
  EXPECT_GE(findings, static_cast<int>(cases.size()));
}

TEST(IngressGroupMembers, DeletedOtherClassAndOldVersionDoNotCount) {
  json deleting = Ing("team-b", "web", Group({{"scheme", "internet-facing"}}));
  deleting["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
  json nginx = Ing("team-b", "nginx", Group({{"scheme", "internet-facing"}}));
  nginx["spec"]["ingressClassName"] = "nginx";
  json old_self = Ing("team-a", "shop", Group({{"scheme", "internet-facing"}}));
  const json candidate = Ing("team-a", "shop", Group({{"scheme", "internal"}}));
  EXPECT_TRUE(GroupDenials(Judge({Class(""), deleting, nginx, old_self}, candidate)).empty());
  // The same member without deletionTimestamp conflicts.
  EXPECT_EQ(
      GroupDenials(Judge({Class(""), Ing("team-b", "web", Group({{"scheme", "internet-facing"}}))},
                         candidate))
          .size(),
      1U);
}

TEST(IngressGroupMembers, OldVersionStandingForEqualMembersIsReplacedByTheNextOfThem) {
  // team-a/shop (the candidate's old version) and team-b/x have equal inputs; the old version
  // stood for both, so team-b/x is judged in its place. team-a/t has other inputs and comes
  // after the old version but before team-b/x in group order: the scheme conflict names it,
  // the first in order.
  const auto internet = [](const std::string& ns, const std::string& name, json extra) {
    json annotations = Group({{"scheme", "internet-facing"}});
    annotations.update(extra);
    return Ing(ns, name, std::move(annotations));
  };
  const json candidate = Ing("team-a", "shop", Group({{"scheme", "internal"}}));
  const json tagged = {{std::string(kP) + "tags", "team=a"}};
  EXPECT_EQ(
      GroupDenials(Judge({Class(""), internet("team-a", "shop", json::object()),
                          internet("team-b", "x", json::object()), internet("team-a", "t", tagged)},
                         candidate)),
      std::vector<std::string>{
          "conflicting scheme: internal (this Ingress) vs internet-facing (team-a/t)"});
  EXPECT_EQ(GroupDenials(Judge({Class(""), internet("team-a", "shop", json::object()),
                                internet("team-b", "x", json::object())},
                               candidate)),
            std::vector<std::string>{
                "conflicting scheme: internal (this Ingress) vs internet-facing (team-b/x)"});
  // The old version alone: nothing to conflict with.
  EXPECT_TRUE(
      GroupDenials(Judge({Class(""), internet("team-a", "shop", json::object())}, candidate))
          .empty());
}

TEST(IngressGroupMembers, CandidateWithAMembersInputsKeepsItsOwnNameAndOrder) {
  // The candidate shares the configuration of the member with equal inputs (group.order is not
  // an input): it keeps its own name and order, and the configuration equals a fresh read.
  json member = Ing(
      "team-b", "web",
      Group({{"scheme", "internet-facing"}, {"group.order", "5"}, {"tags", "team=b,env=prod"}}));
  json candidate = Ing(
      "team-a", "shop",
      Group({{"scheme", "internet-facing"}, {"group.order", "-3"}, {"tags", "team=b,env=prod"}}));
  auto state = ClusterState::FromObjects({Class(""), member});
  const policy::Policy policy;
  const auto group = LoadGroup(*state, policy.ingress, "g");
  ASSERT_EQ(group->members.size(), 1U);
  const IngressView view = ReadIngress(candidate, "team-a");
  const ClassConfig klass = LoadClassConfig(*state, candidate, "team-a");
  ASSERT_TRUE(klass.known());
  EXPECT_EQ(CandidateGroupName(view, klass), "g");
  const CandidateMember copied = ReadMember(view, klass, group.get());
  const CandidateMember read = ReadMember(view, klass);
  EXPECT_EQ(copied.shared, &group->members[0]);
  EXPECT_EQ(read.shared, nullptr);
  EXPECT_EQ(copied.key, "team-a/shop");
  EXPECT_EQ(copied.order, -3);
  EXPECT_EQ(read.key, copied.key);
  EXPECT_EQ(read.order, copied.order);
  EXPECT_EQ(read.config().key, read.key);
  EXPECT_EQ(read.config().order, read.order);
  EXPECT_EQ(read.config().scheme, copied.config().scheme);
  EXPECT_EQ(read.config().tags, copied.config().tags);
  EXPECT_EQ(read.config().ports, copied.config().ports);
  EXPECT_EQ(read.config().group, copied.config().group);
  // The candidate comes first in group order (-3 < 5): the member's own order did not leak.
  EXPECT_TRUE(Before(copied, group->members[0]));
}

TEST(IngressGroupMembers, DeletingMemberWithDeletionProtectionWarns) {
  // team-b/web is being deleted, still holds group g's finalizer (an inactive member) and has
  // deletion protection on: the LBC refuses to reconcile g (model_builder.go).
  auto deleting = [](const std::string& ns, const std::string& name, const std::string& attributes,
                     const std::string& finalizer) {
    json ing = Ing(ns, name, Group({{"load-balancer-attributes", attributes}}));
    ing["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
    if (!finalizer.empty()) ing["metadata"]["finalizers"] = {"example.com/other", finalizer};
    return ing;
  };
  const std::string on = "idle_timeout.timeout_seconds=60,deletion_protection.enabled=true";
  const json candidate = Ing("team-a", "shop", Group({}));
  const std::string warning =
      "IngressGroup g is not reconciled by the LBC while team-b/web, being deleted, has "
      "deletion_protection.enabled=true (deletion_protection is enabled, cannot delete the "
      "ingress: web); remove it from that member's load-balancer-attributes to let changes, "
      "this one included, reach AWS";
  Verdict v =
      Judge({Class(""), deleting("team-b", "web", on, "group.ingress.k8s.aws/g")}, candidate);
  EXPECT_TRUE(Denials(v).empty());
  EXPECT_THAT(Messages(v, Severity::kWarn), ::testing::Contains(warning));
  // Another class does not matter: the finalizer makes it an inactive member.
  json other_class = deleting("team-b", "web", on, "group.ingress.k8s.aws/g");
  other_class["spec"]["ingressClassName"] = "nginx";
  EXPECT_THAT(Messages(Judge({Class(""), other_class}, candidate), Severity::kWarn),
              ::testing::Contains(warning));
  auto silent = [&](const json& member) {
    EXPECT_THAT(Messages(Judge({Class(""), member}, candidate), Severity::kWarn),
                ::testing::Not(::testing::Contains(::testing::HasSubstr("deletion_protection"))))
        << member.dump();
  };
  silent(deleting("team-b", "web", on, ""));                             // no finalizer
  silent(deleting("team-b", "web", on, "group.ingress.k8s.aws/other"));  // other group
  silent(deleting("team-b", "web", "deletion_protection.enabled=false", "group.ingress.k8s.aws/g"));
  silent(deleting("team-a", "shop", on, "group.ingress.k8s.aws/g"));  // the candidate's old self
  json active = Ing("team-b", "web", Group({{"load-balancer-attributes", on}}));
  active["metadata"]["finalizers"] = {"group.ingress.k8s.aws/g"};
  silent(active);  // not being deleted: an active member
}

/// `ing` with `n` Prefix paths /p0 ... on its one rule.
json WithPaths(json ing, int n) {
  json paths = json::array();
  for (int i = 0; i < n; ++i) {
    json path = ing["spec"]["rules"][0]["http"]["paths"][0];
    path["path"] = "/p" + std::to_string(i);
    paths.push_back(std::move(path));
  }
  ing["spec"]["rules"][0]["http"]["paths"] = std::move(paths);
  return ing;
}

std::string RuleQuotaWarning(const std::string& whose, int total, int own) {
  return whose + " would get up to " + std::to_string(total) + " listener rules (" +
         std::to_string(own) +
         " from this Ingress, one per path and listen port), over AWS's default quota of 100 per "
         "load balancer; unless it was raised, the LBC fails to create the rules past it "
         "(TooManyRules)";
}

TEST(IngressGroupRules, CountedOverTheGroupAgainstTheQuota) {
  // Three other members of 30 paths on HTTP:80 (the rules are pruned from the view: their
  // counts are kept) and the candidate's 20.
  std::vector<json> objects = {Class("")};
  for (int i = 0; i < 3; ++i) {
    objects.push_back(WithPaths(Ing("team-b", "m" + std::to_string(i), Group({})), 30));
  }
  const json candidate = WithPaths(Ing("team-a", "shop", Group({})), 20);
  Verdict v = Judge(objects, candidate);
  EXPECT_TRUE(Denials(v).empty());
  EXPECT_THAT(Messages(v, Severity::kWarn),
              ::testing::Contains(RuleQuotaWarning("the ALB of IngressGroup g", 110, 20)));

  // Two listen ports double the candidate's rules; 100 in all is within the quota.
  const json two_ports = WithPaths(
      Ing("team-a", "shop", Group({{"listen-ports", R"([{"HTTP": 80}, {"HTTP": 8080}])"}})), 5);
  EXPECT_THAT(Messages(Judge(objects, two_ports), Severity::kWarn),
              ::testing::Not(::testing::Contains(::testing::HasSubstr("listener rules"))));
  const json two_ports_more = WithPaths(
      Ing("team-a", "shop", Group({{"listen-ports", R"([{"HTTP": 80}, {"HTTP": 8080}])"}})), 6);
  EXPECT_THAT(Messages(Judge(objects, two_ports_more), Severity::kWarn),
              ::testing::Contains(RuleQuotaWarning("the ALB of IngressGroup g", 102, 12)));

  // The group redirects HTTP to HTTPS: HTTP listeners get no rules, only the candidate's 443.
  const json redirect = WithPaths(Ing("team-a", "shop",
                                      Group({{"listen-ports", R"([{"HTTP": 80}, {"HTTPS": 443}])"},
                                             {"ssl-redirect", "443"},
                                             {"certificate-arn",
                                              "arn:aws:acm:eu-west-1:123456789012:certificate/"
                                              "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}})),
                                  20);
  EXPECT_THAT(Messages(Judge(objects, redirect), Severity::kWarn),
              ::testing::Not(::testing::Contains(::testing::HasSubstr("listener rules"))));

  // The candidate's old version does not count: it is replaced.
  std::vector<json> with_old = {Class(""), WithPaths(Ing("team-b", "m0", Group({})), 30),
                                WithPaths(Ing("team-a", "shop", Group({})), 90)};
  EXPECT_THAT(Messages(Judge(with_old, candidate), Severity::kWarn),
              ::testing::Not(::testing::Contains(::testing::HasSubstr("listener rules"))));

  // No group: the Ingress alone.
  EXPECT_THAT(
      Messages(Judge({Class("")}, WithPaths(Ing("team-a", "shop", nullptr), 101)), Severity::kWarn),
      ::testing::Contains(RuleQuotaWarning("this Ingress's load balancer", 101, 101)));
}

TEST(IngressGroupMembers, ParamsGroupAndSchemeWinOverAnnotations) {
  // The params put every Ingress of the class into group g, whatever its annotations say.
  json params = Params("p", {{"group", {{"name", "g"}}}, {"scheme", "internal"}});
  json other = Ing("team-b", "web", Alb({{"scheme", "internet-facing"}}));
  other["metadata"]["annotations"]["kubernetes.io/ingress.class"] = "alb";  // no params for it
  other["metadata"]["annotations"][std::string(kP) + "group.name"] = "g";
  const Verdict v = Judge({Class("p"), params, other},
                          Ing("team-a", "shop", Alb({{"scheme", "internet-facing"}})));
  EXPECT_EQ(GroupDenials(v),
            std::vector<std::string>{
                "conflicting scheme: internal (this Ingress) vs internet-facing (team-b/web)"});
}

TEST(IngressGroupMembers, SubnetsFromParamsVersusAnnotation) {
  json params = Params("p", {{"subnets", {{"ids", {"subnet-aaaaaaaa"}}}}});
  json other = Ing("team-b", "web", Group({{"subnets", "subnet-bbbbbbbb"}}));
  other["metadata"]["annotations"]["kubernetes.io/ingress.class"] = "alb";
  EXPECT_EQ(GroupDenials(Judge({Class("p"), params, other}, Ing("team-a", "shop", Group({})))),
            std::vector<std::string>{
                "conflicting subnet specifications: IngressClassParams versus annotation: "
                "IngressClassParams p subnets {\"ids\":[\"subnet-aaaaaaaa\"]} (this Ingress) vs "
                "annotation [subnet-bbbbbbbb] (team-b/web)"});
}

TEST(IngressGroupMembers, SubnetsOfTwoParams) {
  json second = Class("p2");
  second["metadata"]["name"] = "alb2";
  json other = Ing("team-b", "web", Group({}));
  other["spec"]["ingressClassName"] = "alb2";
  const std::vector<json> objects = {
      Class("p1"), second, Params("p1", {{"subnets", {{"ids", {"subnet-aaaaaaaa"}}}}}),
      Params("p2", {{"subnets", {{"tags", {{"tier", {"public"}}}}}}}), other};
  EXPECT_EQ(GroupDenials(Judge(objects, Ing("team-a", "shop", Group({})))),
            std::vector<std::string>{
                "conflicting IngressClassParams subnet specifications: IngressClassParams p1 "
                "subnets {\"ids\":[\"subnet-aaaaaaaa\"]} (this Ingress) vs IngressClassParams p2 "
                "subnets {\"tags\":{\"tier\":[\"public\"]}} (team-b/web)"});
}

TEST(IngressGroupMembers, FirstMembersParamsSettleAttributesAndParamsTagsWin) {
  json params = Params("p", {{"loadBalancerAttributes",
                              {{{"key", "idle_timeout.timeout_seconds"}, {"value", "30"}}}},
                             {"tags", {{{"key", "env"}, {"value", "prod"}}}}});
  const std::string attrs = "idle_timeout.timeout_seconds=";
  json other = Ing("team-b", "web",
                   Group({{"load-balancer-attributes", attrs + "120"}, {"tags", "env=test"}}));
  const json candidate = Ing(
      "team-a", "shop", Group({{"load-balancer-attributes", attrs + "60"}, {"tags", "env=dev"}}));
  // team-a/shop is first: its params hold the attribute; params tags win on both members.
  EXPECT_TRUE(GroupDenials(Judge({Class("p"), params, other}, candidate)).empty());
  // team-b/web first, without params (class annotation): the attributes conflict.
  other["metadata"]["annotations"][std::string(kP) + "group.order"] = "-5";
  other["metadata"]["annotations"]["kubernetes.io/ingress.class"] = "alb";
  const Verdict v = Judge({Class("p"), params, other}, candidate);
  EXPECT_EQ(GroupDenials(v),
            (std::vector<std::string>{
                "conflicting load balancer attributes idle_timeout.timeout_seconds: "
                "60 (this Ingress) vs 120 (team-b/web)",
                "conflicting tag env: prod (this Ingress) vs test (team-b/web)"}));
}

TEST(IngressGroupMembers, FirstMembersParamsSettleIpamAndCapacity) {
  const json other = Ing("team-b", "web",
                         Group({{"ipam-ipv4-pool-id", "ipam-pool-0fedcba9876543210"},
                                {"minimum-load-balancer-capacity", "CapacityUnits=200"}}));
  const json candidate = Ing("team-a", "shop",
                             Group({{"ipam-ipv4-pool-id", "ipam-pool-0123456789abcdef0"},
                                    {"minimum-load-balancer-capacity", "CapacityUnits=100"}}));
  // No params: the IPAM pools conflict (a denial); capacity reservation is behind a feature
  // gate that is on by default, so its conflict is a warning.
  Verdict v = Judge({Class(""), other}, candidate);
  EXPECT_EQ(GroupDenials(v), (std::vector<std::string>{
                                 "conflicting ipv4 ipam pools: ipam-pool-0123456789abcdef0 (this "
                                 "Ingress) vs ipam-pool-0fedcba9876543210 (team-b/web)"}));
  EXPECT_THAT(Messages(v, Severity::kWarn),
              ::testing::Contains("conflicting capacity reservation CapacityUnits: 100 (this "
                                  "Ingress) vs 200 (team-b/web)"));
  // The first member's params set both: the annotations do not count.
  json params = Params("p", {{"ipamConfiguration", {{"ipv4IPAMPoolId", "ipam-pool-1"}}},
                             {"minimumLoadBalancerCapacity", {{"capacityUnits", 300}}}});
  v = Judge({Class("p"), params, other}, candidate);
  EXPECT_TRUE(GroupDenials(v).empty());
  EXPECT_THAT(Messages(v, Severity::kWarn),
              ::testing::Not(::testing::Contains(::testing::HasSubstr("conflicting"))));
}

// Also with 20 listen ports, HTTP:80 last in port order: the first member on each port is then
// found through an index past 16 ports, with the same answers.
TEST(IngressGroupMembers, FirstMemberOnTheListenerSettlesItsAttributes) {
  const std::string key = "listener-attributes.HTTP-80";
  std::string many_ports = "[";
  for (int p = 1; p < 20; ++p) many_ports += R"({"HTTP":)" + std::to_string(p) + "},";
  many_ports += R"({"HTTP":80}])";
  for (const std::string& ports : {std::string(), many_ports}) {
    SCOPED_TRACE(ports);
    json mine = Group({{key, "routing.http.response.server.enabled=true"}});
    json theirs = Group({{key, "routing.http.response.server.enabled=false"}});
    if (!ports.empty()) {
      mine[std::string(kP) + "listen-ports"] = ports;
      theirs[std::string(kP) + "listen-ports"] = ports;
    }
    json other = Ing("team-b", "web", theirs);
    const json candidate = Ing("team-a", "shop", mine);
    json params = Params(
        "p", {{"listeners",
               {{{"protocol", "HTTP"},
                 {"port", 80},
                 {"listenerAttributes",
                  {{{"key", "routing.http.response.server.enabled"}, {"value", "true"}}}}}}}});
    // team-a/shop is first on HTTP:80 and its params set the key: no conflict.
    EXPECT_TRUE(GroupDenials(Judge({Class("p"), params, other}, candidate)).empty());
    // team-b/web first (group.order), of class alb by the class annotation (no params): nothing
    // settles the key, so the members' values conflict.
    other["metadata"]["annotations"]["kubernetes.io/ingress.class"] = "alb";
    other["metadata"]["annotations"][std::string(kP) + "group.order"] = "-1";
    EXPECT_EQ(GroupDenials(Judge({Class("p"), params, other}, candidate)),
              (std::vector<std::string>{"conflicting listener attributes "
                                        "routing.http.response.server.enabled: true (this "
                                        "Ingress) vs false (team-b/web)"}));
  }
}

TEST(IngressGroupMembers, FrontendNlbEqualSuccessCodesOnOneListenerWarn) {
  // mergeFrontendNlbListenPortConfigs compares HealthCheckMatcher values, whose HTTPCode is a
  // *string: two members' settings never compare equal. Equal codes: a warning; different: a
  // denial (table case frontend_nlb_healthcheck_* shows the denial shape).
  const json candidate = Ing("team-a", "shop",
                             Group({{"enable-frontend-nlb", "true"},
                                    {"frontend-nlb-healthcheck-success-codes", "200-399"}}));
  const json other =
      Ing("team-b", "web", Group({{"frontend-nlb-healthcheck-success-codes", "200-399"}}));
  const std::string warning =
      "frontend NLB listener port 80: this Ingress and team-b/web both set "
      "frontend-nlb-healthcheck-success-codes (200-399); the LBC compares the two by reference, "
      "not value, and fails with conflicting Matcher; set it on one member only";
  Verdict v = Judge({Class(""), other}, candidate);
  EXPECT_TRUE(GroupDenials(v).empty());
  EXPECT_THAT(Messages(v, Severity::kWarn), ::testing::Contains(warning));
  json different = other;
  different["metadata"]["annotations"][std::string(kP) + "frontend-nlb-healthcheck-success-codes"] =
      "200";
  EXPECT_EQ(GroupDenials(Judge({Class(""), different}, candidate)),
            std::vector<std::string>{"failed to merge NLB listenPort config for port: 80: "
                                     "conflicting Matcher: 200-399 (this Ingress) vs 200 "
                                     "(team-b/web)"});
  // No shared NLB listener (the other member listens on 8080 only): nothing.
  json elsewhere = other;
  elsewhere["metadata"]["annotations"][std::string(kP) + "listen-ports"] = R"([{"HTTP":8080}])";
  EXPECT_THAT(Messages(Judge({Class(""), elsewhere}, candidate), Severity::kWarn),
              ::testing::Not(::testing::Contains(::testing::HasSubstr("success-codes"))));
  // No frontend NLB built: nothing.
  json off = candidate;
  off["metadata"]["annotations"].erase(std::string(kP) + "enable-frontend-nlb");
  EXPECT_THAT(Messages(Judge({Class(""), other}, off), Severity::kWarn),
              ::testing::Not(::testing::Contains(::testing::HasSubstr("success-codes"))));
}

TEST(IngressGroupMembers, FrontendNlbAttributesOnlyOnTheFirstMemberWarn) {
  const json candidate =
      Ing("team-a", "shop",
          Group({{"enable-frontend-nlb", "true"},
                 {"frontend-nlb-attributes", "load_balancing.cross_zone.enabled=true"}}));
  const json other = Ing("team-b", "web", Group({}));
  const std::string warning =
      "frontend NLB: team-b/web has no frontend-nlb-attributes but team-a/shop, earlier in the "
      "group, sets map[load_balancing.cross_zone.enabled:true]: the LBC fails with conflicting "
      "frontend NLB attributes; set the same value on every member";
  Verdict v = Judge({Class(""), other}, candidate);
  EXPECT_TRUE(GroupDenials(v).empty());
  EXPECT_THAT(Messages(v, Severity::kWarn), ::testing::Contains(warning));
  // The member without them first: the later one chooses, nothing to compare.
  json first = other;
  first["metadata"]["annotations"][std::string(kP) + "group.order"] = "-1";
  EXPECT_THAT(Messages(Judge({Class(""), first}, candidate), Severity::kWarn),
              ::testing::Not(::testing::Contains(::testing::HasSubstr("frontend NLB"))));
  // No frontend NLB built: nothing.
  json off = candidate;
  off["metadata"]["annotations"].erase(std::string(kP) + "enable-frontend-nlb");
  EXPECT_THAT(Messages(Judge({Class(""), other}, off), Severity::kWarn),
              ::testing::Not(::testing::Contains(::testing::HasSubstr("frontend NLB"))));
}

// --- Policy on effective values ------------------------------------------------------------------

std::vector<std::string> Checks(const Verdict& v) {
  std::vector<std::string> out;
  for (const auto& f : v.findings) {
    if (f.severity == Severity::kDeny) out.push_back(f.check);
  }
  return out;
}

bool Has(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

TEST(IngressEffectivePolicy, SchemeFromParamsOrAnotherMemberCounts) {
  policy::Policy p;
  p.ingress.rules.internet_facing.mode = policy::Mode::kDeny;
  const std::string rule = "ingress.rules.internetFacing";
  json params = Params("p", {{"scheme", "internet-facing"}});
  EXPECT_TRUE(Has(Checks(Judge({Class("p"), params}, Ing("team-a", "shop", nullptr), p)), rule));
  EXPECT_FALSE(Has(Checks(Judge({Class("")}, Ing("team-a", "shop", nullptr), p)), rule));
  json other = Ing("team-b", "web", Group({{"scheme", "internet-facing"}}));
  EXPECT_TRUE(Has(Checks(Judge({Class(""), other}, Ing("team-a", "shop", Group({})), p)), rule));
}

TEST(IngressEffectivePolicy, WafCertificatesAndListenersFromParamsAndMembers) {
  policy::Policy p;
  p.ingress.rules.waf_required.mode = policy::Mode::kDeny;
  p.ingress.rules.https_required.mode = policy::Mode::kDeny;
  p.ingress.rules.certificate_accounts = {{policy::Mode::kDeny, {}, {}}, {"111111111111"}};
  json params =
      Params("p", {{"scheme", "internet-facing"},
                   {"certificateArn", {"arn:aws:acm:us-east-1:999999999999:certificate/x"}}});
  // No WAF anywhere; the params certificate makes the default listener HTTPS:443.
  auto checks = Checks(Judge({Class("p"), params}, Ing("team-a", "shop", Group({})), p));
  EXPECT_TRUE(Has(checks, "ingress.rules.wafRequired"));
  EXPECT_TRUE(Has(checks, "ingress.rules.certificateAccounts"));
  EXPECT_FALSE(Has(checks, "ingress.rules.httpsRequired"));
  // Another member's WAF protects the shared ALB.
  json other =
      Ing("team-b", "web",
          Group({{"wafv2-acl-arn", "arn:aws:wafv2:us-east-1:111111111111:regional/webacl/a/1"}}));
  other["metadata"]["annotations"]["kubernetes.io/ingress.class"] = "alb";
  checks = Checks(Judge({Class("p"), params, other}, Ing("team-a", "shop", Group({})), p));
  EXPECT_FALSE(Has(checks, "ingress.rules.wafRequired"));
}

policy::Policy SameNamespacePolicy() {
  policy::Policy p;
  p.ingress.rules.group_ownership.mode = policy::Mode::kDeny;
  p.ingress.rules.group_ownership.unlisted = policy::UnlistedGroups::kSameNamespace;
  return p;
}

TEST(IngressEffectivePolicy, GroupOwnershipSameNamespace) {
  const policy::Policy p = SameNamespacePolicy();
  const std::string rule = "ingress.rules.groupOwnership";
  const json candidate = Ing("team-a", "shop", Group({}));
  EXPECT_FALSE(Has(Checks(Judge({Class("")}, candidate, p)), rule));  // founds the group
  EXPECT_FALSE(
      Has(Checks(Judge({Class(""), Ing("team-a", "api", Group({}))}, candidate, p)), rule));
  const Verdict v = Judge({Class(""), Ing("team-b", "web", Group({}))}, candidate, p);
  EXPECT_EQ(Denials(v), std::vector<std::string>{
                            "ingress.rules.groupOwnership: namespace \"team-a\" may not join "
                            "IngressGroup \"g\" (unlisted groups may only be joined from the "
                            "namespace of their members; it has members in namespace \"team-b\")"});
  // Without the view the members are unknown: never a denial.
  EXPECT_FALSE(Has(Checks(RunValidator(p, candidate)), rule));
}

// A thousand members are all judged: the one conflict among them is found (and reported once).
// Its speed is measured by tests/bench/cluster_bench.cpp, not asserted here.
TEST(IngressGroupMembers, ThousandMembersAreAllJudged) {
  std::vector<json> objects = {Class("")};
  for (int i = 0; i < 1000; ++i) {
    objects.push_back(Ing("team-" + std::to_string(i % 10), "web-" + std::to_string(i),
                          Group({{"scheme", i == 777 ? "internet-facing" : "internal"},
                                 {"tags", "env=prod"},
                                 {"listen-ports", "[{\"HTTP\":80}]"}})));
  }
  auto state = ClusterState::FromObjects(objects);
  policy::Policy policy;
  Context ctx{api::Operation::kCreate, "team-a", "shop", policy, state.get()};
  const Verdict v = MakeIngressValidator()->Validate(
      ctx, Ing("team-a", "shop", Group({{"scheme", "internal"}})), json());
  ASSERT_EQ(GroupDenials(v).size(), 1U);
  EXPECT_NE(GroupDenials(v)[0].find("(team-7/web-777)"), std::string::npos) << GroupDenials(v)[0];
}

// Members with equal inputs are judged once, by the first of them in group order; when that
// first one is the candidate's own old version, the next one of the set stands for it.
TEST(IngressGroupMembers, EqualMembersAreNamedByTheFirstThatIsNotTheCandidate) {
  const json shared = Group({{"scheme", "internet-facing"}, {"tags", "env=prod"}});
  const std::vector<json> objects = {Class(""), Ing("team-a", "api", shared),
                                     Ing("team-a", "shop", shared), Ing("team-b", "web", shared)};
  const json candidate = Ing("team-a", "shop", Group({{"scheme", "internal"}}));
  EXPECT_EQ(GroupDenials(Judge(objects, candidate)),
            std::vector<std::string>{
                "conflicting scheme: internal (this Ingress) vs internet-facing (team-a/api)"});
  // group.order is not an input: team-b/web now comes first and is the one named.
  json ordered = Ing("team-b", "web", shared);
  ordered["metadata"]["annotations"][std::string(kP) + "group.order"] = "-5";
  EXPECT_EQ(GroupDenials(Judge({Class(""), Ing("team-a", "api", shared), ordered}, candidate)),
            std::vector<std::string>{
                "conflicting scheme: internal (this Ingress) vs internet-facing (team-b/web)"});
  // The candidate's old version first (order -9), then two equal members.
  json old_self = Ing("team-a", "shop", shared);
  old_self["metadata"]["annotations"][std::string(kP) + "group.order"] = "-9";
  EXPECT_EQ(GroupDenials(
                Judge({Class(""), old_self, Ing("team-c", "x", shared), Ing("team-d", "y", shared)},
                      candidate)),
            std::vector<std::string>{
                "conflicting scheme: internal (this Ingress) vs internet-facing (team-c/x)"});
}

// The candidate's old version does not keep its namespace in the group: sameNamespace judges
// the namespaces of the others.
TEST(IngressEffectivePolicy, SameNamespaceIgnoresTheCandidatesOldVersion) {
  const policy::Policy p = SameNamespacePolicy();
  const std::string rule = "ingress.rules.groupOwnership";
  const json candidate = Ing("team-a", "shop", Group({}));
  // Alone in the group with its old version: it founds the group again.
  EXPECT_FALSE(
      Has(Checks(Judge({Class(""), Ing("team-a", "shop", Group({}))}, candidate, p)), rule));
  // Its old version and a member of team-b: a member outside team-a.
  EXPECT_TRUE(Has(
      Checks(Judge({Class(""), Ing("team-a", "shop", Group({})), Ing("team-b", "web", Group({}))},
                   candidate, p)),
      rule));
  // Every other member in team-a (PRODUCT.md: every current member is in this namespace).
  EXPECT_FALSE(Has(
      Checks(Judge({Class(""), Ing("team-a", "api", Group({})), Ing("team-a", "shop", Group({}))},
                   candidate, p)),
      rule));
}

// The group index is kept with the snapshot, per policy scope: a policy with other class names
// on the same snapshot sees other members, not the index built for the first policy.
TEST(IngressGroupMembers, IndexOfOneSnapshotFollowsThePolicyScope) {
  json other = Ing("team-b", "web", Group({{"scheme", "internet-facing"}}));
  other["spec"].erase("ingressClassName");
  other["metadata"]["annotations"]["kubernetes.io/ingress.class"] = "legacy";
  auto state = ClusterState::FromObjects({Class(""), other});
  const json candidate = Ing("team-a", "shop", Group({{"scheme", "internal"}}));
  policy::Policy narrow;
  policy::Policy wide;
  wide.ingress.class_names.push_back("legacy");
  Context narrow_ctx{api::Operation::kCreate, "team-a", "shop", narrow, state.get()};
  Context wide_ctx{api::Operation::kCreate, "team-a", "shop", wide, state.get()};
  const auto validator = MakeIngressValidator();
  for (int round = 0; round < 2; ++round) {  // the second round reads the kept indexes
    EXPECT_TRUE(GroupDenials(validator->Validate(narrow_ctx, candidate, json())).empty());
    EXPECT_EQ(GroupDenials(validator->Validate(wide_ctx, candidate, json())),
              std::vector<std::string>{"conflicting scheme: internal (this Ingress) vs "
                                       "internet-facing (team-b/web)"});
  }
}

TEST(ClusterStateDerived, BuiltOnceAndSharedPerKey) {
  auto state = ClusterState::FromObjects({});
  int builds = 0;
  auto build = [&builds] {
    ++builds;
    return std::make_shared<const int>(builds);
  };
  auto a = state->Derived("a", build);
  auto again = state->Derived("a", build);
  auto b = state->Derived("b", build);
  EXPECT_EQ(a, again);
  EXPECT_EQ(*std::static_pointer_cast<const int>(a), 1);
  EXPECT_EQ(*std::static_pointer_cast<const int>(b), 2);
  EXPECT_EQ(builds, 2);
  // Another snapshot keeps its own.
  EXPECT_NE(ClusterState::FromObjects({})->Derived("a", build), a);
}

// --- Object-local warnings that hedged on IngressClassParams or other members: settled ---------

constexpr const char* kCertArn =
    "arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";

TEST(SettledByTheView, SslRedirectToAPortNoMemberListensOn) {
  // Alone (no group), HTTP only: buildSSLRedirectConfig fails.
  const json alone =
      Ing("team-a", "shop", Alb({{"listen-ports", R"([{"HTTP":80}])"}, {"ssl-redirect", "443"}}));
  Verdict v = Judge({Class("")}, alone);
  EXPECT_THAT(Of(v, "ingress-group", Severity::kDeny),
              ElementsAre("listener does not exist for SSLRedirect port: 443"));
  EXPECT_THAT(Of(v, "ssl-redirect", Severity::kWarn), IsEmpty());
  // The same in a group whose other member listens on HTTPS 443: fine, and no warning left.
  const json member = Ing(
      "team-b", "web",
      Group({{"listen-ports", R"([{"HTTP":80},{"HTTPS":443}])"}, {"certificate-arn", kCertArn}}));
  const json grouped =
      Ing("team-a", "shop", Group({{"listen-ports", R"([{"HTTP":80}])"}, {"ssl-redirect", "443"}}));
  v = Judge({Class(""), member}, grouped);
  EXPECT_THAT(Of(v, "ingress-group", Severity::kDeny), IsEmpty());
  EXPECT_THAT(Of(v, "ssl-redirect", Severity::kWarn), IsEmpty());
  // Without the view the warning stays a warning.
  Verdict local = RunValidator(policy::Policy{}, grouped);
  EXPECT_THAT(
      Of(local, "ssl-redirect", Severity::kWarn),
      ElementsAre("alb.ingress.kubernetes.io/ssl-redirect \"443\": no HTTPS listen-port 443 "
                  "on this Ingress (a group member must define it)"));
}

TEST(SettledByTheView, SslRedirectToAnotherMembersHttpPort) {
  const json member = Ing("team-b", "web", Group({{"listen-ports", R"([{"HTTP":8443}])"}}));
  const json candidate = Ing(
      "team-a", "shop", Group({{"listen-ports", R"([{"HTTP":80}])"}, {"ssl-redirect", "8443"}}));
  EXPECT_THAT(Of(Judge({Class(""), member}, candidate), "ingress-group", Severity::kDeny),
              ElementsAre("listener protocol non-SSL for SSLRedirect port: 8443"));
}

TEST(SettledByTheView, SslRedirectBrokenByTheCandidateOrOnlyByOthers) {
  // team-b/web redirects to 443, which only the candidate's old version listened on.
  const json redirecting =
      Ing("team-b", "web", Group({{"listen-ports", R"([{"HTTP":80}])"}, {"ssl-redirect", "443"}}));
  const json old_version =
      Ing("team-a", "shop",
          Group({{"listen-ports", R"([{"HTTPS":443}])"}, {"certificate-arn", kCertArn}}));
  const json http_only = Ing("team-a", "shop", Group({{"listen-ports", R"([{"HTTP":80}])"}}));
  EXPECT_THAT(
      Of(Judge({Class(""), redirecting, old_version}, http_only), "ingress-group", Severity::kDeny),
      ElementsAre("listener does not exist for SSLRedirect port: 443"));
  // The group already fails without the candidate, which does not ask for the redirect: not its
  // doing.
  EXPECT_THAT(Of(Judge({Class(""), redirecting}, http_only), "ingress-group", Severity::kDeny),
              IsEmpty());
}

TEST(SettledByTheView, DualstackWithoutPublicIpv4AndTheScheme) {
  const json dualstack = Group({{"ip-address-type", "dualstack-without-public-ipv4"}});
  constexpr const char* kWarning =
      "alb.ingress.kubernetes.io/ip-address-type \"dualstack-without-pub...\": "
      "dualstack-without-public-ipv4 needs scheme internet-facing, which this Ingress does not "
      "set (IngressClassParams or a group member may)";
  // Another member makes the ALB internet-facing: settled.
  const json facing = Ing("team-b", "web", Group({{"scheme", "internet-facing"}}));
  Verdict v = Judge({Class(""), facing}, Ing("team-a", "shop", dualstack));
  EXPECT_THAT(Of(v, "ip-address-type", Severity::kWarn), IsEmpty());
  EXPECT_THAT(Of(v, "ip-address-type", Severity::kDeny), IsEmpty());
  // Its params make it internet-facing: settled too.
  v = Judge({Class("p"), Params("p", {{"scheme", "internet-facing"}})},
            Ing("team-a", "shop", dualstack));
  EXPECT_THAT(Of(v, "ip-address-type", Severity::kWarn), IsEmpty());
  // Another member makes it internal: AWS refuses.
  const json internal = Ing("team-b", "web", Group({{"scheme", "internal"}}));
  v = Judge({Class(""), internal}, Ing("team-a", "shop", dualstack));
  EXPECT_THAT(Of(v, "ip-address-type", Severity::kWarn), IsEmpty());
  EXPECT_THAT(Of(v, "ip-address-type", Severity::kDeny),
              ElementsAre("alb.ingress.kubernetes.io/ip-address-type: "
                          "dualstack-without-public-ipv4 needs scheme internet-facing, and the "
                          "load balancer's scheme is internal (AWS refuses the combination)"));
  // Nobody sets one: the controller's default scheme (a flag) decides; the warning stays.
  v = Judge({Class("")}, Ing("team-a", "shop", dualstack));
  EXPECT_THAT(Of(v, "ip-address-type", Severity::kWarn), ElementsAre(kWarning));
}

TEST(SettledByTheView, AccessLogBucketFromAnotherMemberOrTheParams) {
  const json enabled = Group({{"load-balancer-attributes", "access_logs.s3.enabled=true"}});
  const json bucket =
      Ing("team-b", "web", Group({{"load-balancer-attributes", "access_logs.s3.bucket=logs"}}));
  EXPECT_THAT(Of(Judge({Class(""), bucket}, Ing("team-a", "shop", enabled)),
                 "load-balancer-attributes", Severity::kWarn),
              IsEmpty());
  const json params = Params(
      "p", {{"loadBalancerAttributes", {{{"key", "access_logs.s3.bucket"}, {"value", "logs"}}}}});
  EXPECT_THAT(Of(Judge({Class("p"), params}, Ing("team-a", "shop", enabled)),
                 "load-balancer-attributes", Severity::kWarn),
              IsEmpty());
  // Nobody supplies it: the warning stays.
  EXPECT_THAT(Of(Judge({Class("")}, Ing("team-a", "shop", enabled)), "load-balancer-attributes",
                 Severity::kWarn),
              ElementsAre(::testing::HasSubstr("access_logs.s3.enabled=true needs "
                                               "access_logs.s3.bucket")));
}

TEST(SettledByTheView, HttpsCertificateFromTheParamsOrAnotherMember) {
  // No certificate and no host to discover one by.
  json candidate = Ing("team-a", "shop", Group({{"listen-ports", R"([{"HTTPS":443}])"}}));
  candidate["spec"]["rules"][0].erase("host");
  const json params = Params("p", {{"certificateArn", {kCertArn}}});
  EXPECT_THAT(Of(Judge({Class("p"), params}, candidate), "listen-ports", Severity::kWarn),
              IsEmpty());
  const json member =
      Ing("team-b", "web",
          Group({{"listen-ports", R"([{"HTTPS":443}])"}, {"certificate-arn", kCertArn}}));
  EXPECT_THAT(Of(Judge({Class(""), member}, candidate), "listen-ports", Severity::kWarn),
              IsEmpty());
  // A member with a certificate on another port does not supply this one.
  const json elsewhere =
      Ing("team-b", "web",
          Group({{"listen-ports", R"([{"HTTPS":8443}])"}, {"certificate-arn", kCertArn}}));
  const std::vector<std::string> warning = {
      "HTTPS:443 has no certificate-arn or host for ACM discovery; IngressClassParams or another "
      "group member may supply one"};
  EXPECT_EQ(Of(Judge({Class(""), elsewhere}, candidate), "listen-ports", Severity::kWarn), warning);
  EXPECT_EQ(Of(Judge({Class("")}, candidate), "listen-ports", Severity::kWarn), warning);
}

}  // namespace
}  // namespace albwebhook::rules::testing
