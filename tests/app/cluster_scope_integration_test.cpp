// The cluster view end to end: `serve` with a kubeconfig pointing at the fake API server
// (real TLS both ways) decides scope through IngressClass, sees objects added later, converges
// after dropped watches and a compacted history, and degrades to object-local checks with one
// warning when the API server cannot be reached.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "support/cluster_view_fixture.hpp"
#include "support/review_builder.hpp"

namespace albwebhook::testing {
namespace {

using nlohmann::json;

constexpr const char* kClasses = "ingressclasses.networking.k8s.io";
constexpr const char* kScopeWarning =
    "cluster view unavailable: IngressClass and IngressGroup checks skipped";

json IngressClass(const std::string& name, const std::string& controller, bool is_default) {
  return IngressClassObject(name, controller, is_default);
}

// A CREATE review of an Ingress with `scheme: public` (a denial when the Ingress is ours) and the
// given class ("" = no class at all).
std::string PublicIngressReview(const std::string& uid, const std::string& class_name) {
  json review = IngressReviewJson(uid, "public");
  json& spec = review["request"]["object"]["spec"];
  if (class_name.empty()) {
    spec.erase("ingressClassName");
  } else {
    spec["ingressClassName"] = class_name;
  }
  return review.dump();
}

// "Seen within a second" is the product's bound; under a sanitizer (2-20x slower, see the Makefile)
// the same wait gets ten seconds.
std::chrono::milliseconds SeenWithin() {
  return std::chrono::milliseconds(std::getenv("ALBWEBHOOK_SANITIZER") != nullptr ? 10000 : 1000);
}

class ClusterScopeTest : public ClusterViewServerTest {
 protected:
  json Answer(const std::string& body) { return Post(kValidateIngressPath, body); }

  bool Denied(const std::string& class_name) {
    return Answer(PublicIngressReview("u", class_name))["allowed"] == false;
  }
};

TEST_F(ClusterScopeTest, ClassOfTheLbcControllerIsOursOthersAreLeftAlone) {
  api_->Upsert(kClasses, IngressClass("team-alb", "ingress.k8s.aws/alb", false));
  api_->Upsert(kClasses, IngressClass("nginx", "k8s.io/ingress-nginx", false));
  Start();
  const json ours = Answer(PublicIngressReview("ours", "team-alb"));
  EXPECT_EQ(ours["allowed"], false);
  EXPECT_NE(ours["status"]["message"].get<std::string>().find("scheme"), std::string::npos);
  const json theirs = Answer(PublicIngressReview("theirs", "nginx"));
  EXPECT_EQ(theirs["allowed"], true);
  EXPECT_FALSE(theirs.contains("warnings"));
  // A class the cluster does not have: not ours (it may be applied after its Ingresses).
  EXPECT_EQ(Answer(PublicIngressReview("unknown", "later-class"))["allowed"], true);
  // classNames still counts.
  EXPECT_EQ(Answer(PublicIngressReview("listed", "alb"))["allowed"], false);
  EXPECT_EQ(Metric("alb_webhook_cluster_synced{resource=\"ingressclasses.networking.k8s.io\"}"), 1);
}

TEST_F(ClusterScopeTest, DefaultClassOfTheLbcTakesClasslessIngresses) {
  api_->Upsert(kClasses, IngressClass("nginx", "k8s.io/ingress-nginx", false));
  Start();
  EXPECT_EQ(Answer(PublicIngressReview("no-default", ""))["allowed"], true);
  api_->Upsert(kClasses, IngressClass("default-alb", "ingress.k8s.aws/alb", true));
  EXPECT_TRUE(WaitUntil([&] { return Denied(""); }, SeenWithin()));
}

TEST_F(ClusterScopeTest, ObjectsAddedLaterAreSeenAndWatchLossConverges) {
  Start();
  EXPECT_FALSE(Denied("late-alb"));
  api_->Upsert(kClasses, IngressClass("late-alb", "ingress.k8s.aws/alb", false));
  EXPECT_TRUE(WaitUntil([&] { return Denied("late-alb"); }, SeenWithin()));
  // Every watch dropped and the history compacted: the view relists and converges.
  api_->DropWatches();
  api_->Compact();
  api_->Upsert(kClasses, IngressClass("after-compaction", "ingress.k8s.aws/alb", false));
  api_->Remove(kClasses, "", "late-alb");
  EXPECT_TRUE(WaitUntil([&] { return Denied("after-compaction") && !Denied("late-alb"); }));
}

TEST_F(ClusterScopeTest, UnreachableApiServerDegradesWithOneWarningAndNoNewDenial) {
  api_->Upsert(kClasses, IngressClass("team-alb", "ingress.k8s.aws/alb", false));
  api_.reset();  // nothing listens there any more
  config_.cluster_sync_timeout = std::chrono::milliseconds(300);
  Start();  // waits for /readyz: 200 once the sync timeout passed
  const json ours = Answer(PublicIngressReview("listed", "alb"));
  EXPECT_EQ(ours["allowed"], false);  // object-local checks unchanged
  ASSERT_TRUE(ours.contains("warnings"));
  EXPECT_EQ(ours["warnings"], json::array({kScopeWarning}));
  const json unknown = Answer(PublicIngressReview("by-controller", "team-alb"));
  EXPECT_EQ(unknown["allowed"], true);  // the class cannot be read: not judged, not denied
  EXPECT_EQ(Metric("alb_webhook_cluster_synced{resource=\"ingressclasses.networking.k8s.io\"}"), 0);
}

TEST_F(ClusterScopeTest, ReadyzWaitsForTheFirstSync) {
  api_->SetLatency(std::chrono::milliseconds(1500));
  config_.cluster_sync_timeout = std::chrono::milliseconds(60000);
  auto created = app::App::Create(config_);
  ASSERT_TRUE(created.has_value()) << created.error().message;
  server_ = std::move(*created);
  thread_ = std::thread([this] { server_->Run(); });
  // Six resources listed through a slow API server: not ready at first, ready once synced.
  EXPECT_TRUE(WaitUntil([&] {
    try {
      return PlainRequest(server_->metrics_port(), "GET", "/readyz").status == 503;
    } catch (...) {
      return false;
    }
  }));
  EXPECT_TRUE(WaitUntil([&] { return Ready(); }, std::chrono::milliseconds(15000)));
}

TEST_F(ClusterScopeTest, ClusterViewOffIgnoresTheKubeconfig) {
  api_->Upsert(kClasses, IngressClass("team-alb", "ingress.k8s.aws/alb", false));
  config_.cluster_view = app::ClusterViewMode::kOff;
  Start();
  const json answer = Answer(PublicIngressReview("off", "team-alb"));
  EXPECT_EQ(answer["allowed"], true);
  EXPECT_FALSE(answer.contains("warnings"));
  EXPECT_EQ(api_->Requests(), 0U);
}

TEST_F(ClusterScopeTest, UnreadableKubeconfigIsAStartupError) {
  config_.kubeconfig = dir_ + "/missing-kubeconfig";
  auto created = app::App::Create(config_);
  ASSERT_FALSE(created.has_value());
  EXPECT_NE(created.error().message.find("--kubeconfig"), std::string::npos);
}

// An IngressGroup member from the API server: a candidate joining group g with another scheme
// is denied with the LBC's words and the other member's name; once the member is being deleted,
// it has left the group.
TEST_F(ClusterScopeTest, GroupConflictNamesTheOtherMember) {
  api_->Upsert(kClasses, IngressClass("team-alb", "ingress.k8s.aws/alb", false));
  json member = AlbIngress("internet-facing", "team-b", "team-alb");
  member["metadata"]["annotations"]["alb.ingress.kubernetes.io/group.name"] = "g";
  api_->Upsert("ingresses.networking.k8s.io", member);
  Start();
  json review = IngressReviewJson("join", "internal");
  json& candidate = review["request"]["object"];
  candidate["metadata"]["name"] = "shop";
  candidate["spec"]["ingressClassName"] = "team-alb";
  candidate["metadata"]["annotations"]["alb.ingress.kubernetes.io/group.name"] = "g";
  const json denied = Answer(review.dump());
  EXPECT_EQ(denied["allowed"], false);
  EXPECT_NE(denied["status"]["message"].get<std::string>().find(
                "conflicting scheme: internal (this Ingress) vs internet-facing (team-b/web)"),
            std::string::npos)
      << denied.dump();
  member["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
  api_->Upsert("ingresses.networking.k8s.io", member);
  EXPECT_TRUE(WaitUntil([&] { return Answer(review.dump())["allowed"] == true; }, SeenWithin()));
}

// The LBC's IngressClassParams checks: params not found is denied with its words; a
// namespaceSelector is judged on the Namespace's labels once the view holds the Namespace.
TEST_F(ClusterScopeTest, IngressClassParamsCheckedAsTheLbcLoadsThem) {
  json klass = IngressClass("team-alb", "ingress.k8s.aws/alb", false);
  klass["spec"]["parameters"] = {
      {"apiGroup", "elbv2.k8s.aws"}, {"kind", "IngressClassParams"}, {"name", "team-params"}};
  api_->Upsert(kClasses, klass);
  Start();
  json review = IngressReviewJson("params", "internal");
  review["request"]["object"]["spec"]["ingressClassName"] = "team-alb";
  const std::string team_review = review.dump();
  const json missing = Answer(team_review);
  EXPECT_EQ(missing["allowed"], false);
  EXPECT_EQ(
      missing["status"]["message"].get<std::string>().find(
          "invalid ingress class: ingressclassparams.elbv2.k8s.aws \"team-params\" not found"),
      0U)
      << missing.dump();
  api_->Upsert("ingressclassparams.elbv2.k8s.aws",
               {{"metadata", {{"name", "team-params"}}},
                {"spec", {{"namespaceSelector", {{"matchLabels", {{"team", "a"}}}}}}}});
  // The Namespace is not in the view yet: unknown, allowed.
  EXPECT_TRUE(WaitUntil([&] { return Answer(team_review)["allowed"] == true; }, SeenWithin()));
  api_->Upsert("namespaces", {{"metadata", {{"name", "team-a"}, {"labels", {{"team", "b"}}}}}});
  EXPECT_TRUE(WaitUntil(
      [&] {
        const json a = Answer(team_review);
        return a["allowed"] == false &&
               a["status"]["message"].get<std::string>().find(
                   "invalid ingress class: namespaceSelector of IngressClassParams team-params "
                   "mismatch") == 0;
      },
      SeenWithin()));
}

}  // namespace
}  // namespace albwebhook::testing
