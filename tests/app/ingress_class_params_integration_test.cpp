// The IngressClassParams webhook, served by the real server over TLS: the registry's third kind
// reaches the wire with its own route, metrics and the LBC's message.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/server_fixture.hpp"

namespace albwebhook::testing {
namespace {

using nlohmann::json;

constexpr const char* kValidateParamsPath = "/validate-elbv2-k8s-aws-v1beta1-ingressclassparams";

std::string ParamsReview(const std::string& uid, const json& spec) {
  const json object = {{"apiVersion", "elbv2.k8s.aws/v1beta1"},
                       {"kind", "IngressClassParams"},
                       {"metadata", {{"name", "params"}}},
                       {"spec", spec}};
  return json{{"apiVersion", "admission.k8s.io/v1"},
              {"kind", "AdmissionReview"},
              {"request",
               {{"uid", uid},
                {"kind",
                 {{"group", "elbv2.k8s.aws"}, {"version", "v1beta1"}, {"kind", "IngressClassParams"}}},
                {"name", "params"},
                {"operation", "CREATE"},
                {"object", object},
                {"oldObject", nullptr}}}}
      .dump();
}

class IngressClassParamsWebhookTest : public LiveServerTest {};

TEST_F(IngressClassParamsWebhookTest, DeniesWithTheLbcMessageAndAllowsTheValid) {
  Start();
  const std::string series =
      "alb_webhook_requests_total{code=\"403\",webhook=\"" + std::string(kValidateParamsPath) +
      "\"}";
  EXPECT_EQ(Metric(series), 0);  // pre-registered from the registry
  auto c = Open();
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->Write(PostBytes(kValidateParamsPath,
                                 ParamsReview("bad", {{"inboundCIDRs", {"10.128.0.0/8"}}}))));
  auto denied = c->ReadResponse();
  ASSERT_TRUE(denied.has_value());
  EXPECT_EQ(denied->status, 200);
  const json answer = json::parse(denied->body)["response"];
  EXPECT_EQ(answer["uid"], "bad");
  EXPECT_EQ(answer["allowed"], false);
  EXPECT_EQ(answer["status"]["message"],
            "spec.inboundCIDRs[0]: Invalid value: \"10.128.0.0/8\": Network contains bits "
            "outside prefix (did you mean \"10.0.0.0/8\")");
  ASSERT_TRUE(c->Write(PostBytes(kValidateParamsPath,
                                 ParamsReview("good", {{"inboundCIDRs", {"10.0.0.0/8"}}}))));
  auto allowed = c->ReadResponse();
  ASSERT_TRUE(allowed.has_value());
  EXPECT_EQ(json::parse(allowed->body)["response"]["allowed"], true);
  EXPECT_EQ(Metric(series), 1);
  EXPECT_EQ(Metric("alb_webhook_validation_failures_total{check=\"inboundCIDRs\",webhook=\"" +
                   std::string(kValidateParamsPath) + "\"}"),
            1);
}

TEST_F(IngressClassParamsWebhookTest, NoMutatingRouteForParams) {
  Start();
  auto c = Open();
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->Write(PostBytes("/mutate-elbv2-k8s-aws-v1beta1-ingressclassparams",
                                 ParamsReview("m", json::object()))));
  auto r = c->ReadResponse();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 404);
}

}  // namespace
}  // namespace albwebhook::testing
