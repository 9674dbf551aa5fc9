// Target groups bound twice and backend Services, judged end to end: `serve` with a kubeconfig
// pointing at the fake API server (real TLS both ways) denies a second TargetGroupBinding of a
// target group with the LBC's message, and warns about a backend Service that does not exist.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/cluster_view_fixture.hpp"
#include "support/review_builder.hpp"

namespace albwebhook::testing {
namespace {

// How long an object the fake API server got may take to reach the answers: milliseconds
// normally; the bound is generous for sanitizer builds (a pass costs only the real delay).
constexpr std::chrono::milliseconds kSeenWithin{15000};

using nlohmann::json;

constexpr const char* kTgbs = "targetgroupbindings.elbv2.k8s.aws";
constexpr const char* kServices = "services";
constexpr const char* kArn =
    "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-tg/73e2d6bc24d8a067";

json Tgb(const std::string& ns, const std::string& name, bool multi_cluster) {
  return {{"apiVersion", "elbv2.k8s.aws/v1beta1"},
          {"kind", "TargetGroupBinding"},
          {"metadata", {{"name", name}, {"namespace", ns}}},
          {"spec",
           {{"serviceRef", {{"name", name}, {"port", 80}}},
            {"targetGroupARN", kArn},
            {"targetType", "ip"},
            {"multiClusterTargetGroup", multi_cluster}}}};
}

std::string TgbReview(const json& object) {
  return ReviewBuilder()
      .Uid("tgb")
      .Kind("elbv2.k8s.aws", "v1beta1", "TargetGroupBinding")
      .Resource("elbv2.k8s.aws", "v1beta1", "targetgroupbindings")
      .Name(object["metadata"]["name"])
      .Object(object)
      .Body();
}

/// An Ingress of class alb with one rule path to Service `service` port 80.
std::string IngressReview(const std::string& service) {
  json ingress = AlbIngress();
  ingress["spec"]["rules"] = {
      {{"http",
        {{"paths",
          {{{"path", "/"},
            {"pathType", "Prefix"},
            {"backend", {{"service", {{"name", service}, {"port", {{"number", 80}}}}}}}}}}}}}};
  return ReviewBuilder().Uid("ing").Object(ingress).Body();
}

using ClusterBindingsServicesTest = ClusterViewServerTest;

TEST_F(ClusterBindingsServicesTest, SecondBindingOfATargetGroupIsDeniedWithTheLbcMessage) {
  api_->Upsert(kTgbs, Tgb("team-b", "api", false));
  api_->Upsert(kTgbs, Tgb("team-a", "jobs", true));
  Start();
  const json denied = Post(kValidateTgbPath, TgbReview(Tgb("team-a", "web", true)));
  EXPECT_EQ(denied["allowed"], false);
  EXPECT_EQ(denied["status"]["message"],
            std::string("TargetGroup ") + kArn +
                " is already bound to following TargetGroupBindings [team-a/jobs team-b/api]. "
                "Please enable MultiCluster mode on all TargetGroupBindings referencing " +
                kArn + " or choose a different Target Group ARN.");
  // Multi-cluster mode on every binding: allowed.
  api_->Upsert(kTgbs, Tgb("team-b", "api", true));
  EXPECT_TRUE(WaitUntil(
      [&] {
        return Post(kValidateTgbPath, TgbReview(Tgb("team-a", "web", true)))["allowed"] == true;
      },
      kSeenWithin));
}

TEST_F(ClusterBindingsServicesTest, MissingBackendServiceIsAWarningThenSeen) {
  Start();
  const json missing = Post(kValidateIngressPath, IngressReview("web"));
  EXPECT_EQ(missing["allowed"], true);
  EXPECT_EQ(missing["warnings"],
            json::array({"spec.rules[0].http.paths[0].backend: Service team-a/web does not "
                         "exist (yet) in the cluster"}));
  api_->Upsert(kServices, {{"apiVersion", "v1"},
                           {"kind", "Service"},
                           {"metadata", {{"name", "web"}, {"namespace", "team-a"}}},
                           {"spec", {{"ports", {{{"name", "http"}, {"port", 80}}}}}}});
  EXPECT_TRUE(WaitUntil(
      [&] {
        const json seen = Post(kValidateIngressPath, IngressReview("web"));
        return seen["allowed"] == true && !seen.contains("warnings");
      },
      kSeenWithin));
}

}  // namespace
}  // namespace albwebhook::testing
