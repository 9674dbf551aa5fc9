// An Ingress's backend Services with the cluster view (ClusterState::FromObjects): missing
// Services and ports, and the Service's target-group annotations merged over the Ingress's.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "albwebhook/cluster/cluster_state.hpp"
#include "rules/ingress_test_util.hpp"

namespace albwebhook::rules {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using namespace testing;  // MakeIngress, Alb, Messages

/// Service team-a/<name> with `ports` ({name, port} pairs) and `annotations`.
json Service(const std::string& name, const std::vector<json>& ports,
             const json& annotations = nullptr) {
  json svc = {{"apiVersion", "v1"},
              {"kind", "Service"},
              {"metadata", {{"name", name}, {"namespace", "team-a"}, {"uid", "svc-" + name}}},
              {"spec", {{"type", "ClusterIP"}, {"ports", json(ports)}}}};
  if (!annotations.is_null()) svc["metadata"]["annotations"] = annotations;
  return svc;
}

json Port(const std::string& name, int port) { return {{"name", name}, {"port", port}}; }

Verdict Judge(const std::vector<json>& objects, const json& ingress) {
  std::vector<std::string> skipped;
  auto state = cluster::ClusterState::FromObjects(objects, &skipped);
  EXPECT_THAT(skipped, IsEmpty());
  const policy::Policy policy;
  const Context ctx{api::Operation::kCreate, "team-a", "shop", policy, state.get()};
  return MakeIngressValidator()->Validate(ctx, ingress, nullptr);
}

/// MakeIngress with a defaultBackend `service`:`port` (a number, or a name when a string) too.
json WithDefaultBackend(json ingress, const json& port) {
  const char* key = port.is_string() ? "name" : "number";
  ingress["spec"]["defaultBackend"] = {{"service", {{"name", "api"}, {"port", {{key, port}}}}}};
  return ingress;
}

constexpr const char* kRulePath = "spec.rules[0].http.paths[0].backend";

TEST(IngressServices, MissingServiceIsAWarningNamingIt) {
  Verdict v = Judge({}, MakeIngress(nullptr));
  EXPECT_THAT(Messages(v, Severity::kDeny), IsEmpty());
  EXPECT_THAT(Messages(v, Severity::kWarn),
              ElementsAre(std::string(kRulePath) +
                          ": Service team-a/web does not exist (yet) in the cluster"));
}

TEST(IngressServices, MissingPortByNumberOrNameIsAWarning) {
  const std::vector<json> objects = {Service("web", {Port("http", 8080)}),
                                     Service("api", {Port("grpc", 9000)})};
  Verdict v = Judge(objects, WithDefaultBackend(MakeIngress(nullptr), "http"));
  EXPECT_THAT(Messages(v, Severity::kDeny), IsEmpty());
  EXPECT_THAT(
      Messages(v, Severity::kWarn),
      ElementsAre("spec.defaultBackend: unable to find port http on service team-a/api",
                  std::string(kRulePath) + ": unable to find port 80 on service team-a/web"));
  // Present ports (by name and by number): nothing.
  const std::vector<json> fine = {Service("web", {Port("http", 80)}),
                                  Service("api", {Port("grpc", 9000)})};
  EXPECT_THAT(Judge(fine, WithDefaultBackend(MakeIngress(nullptr), "grpc")).findings, IsEmpty());
}

TEST(IngressServices, RepeatedBackendsAreReportedOnceAtTheFirst) {
  // Four paths: web:80 twice (missing port), web:http (present), web:80 again; one Service.
  json ingress = MakeIngress(Alb({{"healthcheck-path", "/healthz"}}));
  json& paths = ingress["spec"]["rules"][0]["http"]["paths"];
  json path = paths[0];
  for (const json& port : {json{{"number", 80}}, json{{"name", "http"}}, json{{"number", 80}}}) {
    path["backend"]["service"]["port"] = port;
    paths.push_back(path);
  }
  Verdict v =
      Judge({Service("web", {Port("http", 8080)}, Alb({{"healthcheck-path", "nope"}}))}, ingress);
  EXPECT_THAT(
      Messages(v, Severity::kWarn),
      ElementsAre(std::string(kRulePath) + ": unable to find port 80 on service team-a/web"));
  EXPECT_THAT(Messages(v, Severity::kDeny),
              ElementsAre("target group for Service team-a/web: "
                          "alb.ingress.kubernetes.io/healthcheck-path \"nope\": must begin "
                          "with /"));
  // The Service's valid value over none of the Ingress's: nothing.
  Verdict fine = Judge({Service("web", {Port("http", 80)}, Alb({{"healthcheck-path", "/x"}}))},
                       MakeIngress(nullptr));
  EXPECT_THAT(fine.findings, IsEmpty());
}

TEST(IngressServices, ManyServicesEachReportedOnceAtItsFirstBackend) {
  // 40 paths over 20 missing Services (past the few compared one by one, into the set): each
  // Service is reported once, at its first path, in path order.
  json ingress = MakeIngress(nullptr);
  json& paths = ingress["spec"]["rules"][0]["http"]["paths"];
  const json path = paths[0];
  paths = json::array();
  for (int i = 0; i < 40; ++i) {
    json p = path;
    p["path"] = "/p" + std::to_string(i);
    p["backend"]["service"]["name"] = "svc-" + std::to_string(i % 20);
    paths.push_back(std::move(p));
  }
  std::vector<std::string> expected;
  for (int i = 0; i < 20; ++i) {
    expected.push_back("spec.rules[0].http.paths[" + std::to_string(i) +
                       "].backend: Service team-a/svc-" + std::to_string(i) +
                       " does not exist (yet) in the cluster");
  }
  EXPECT_EQ(Messages(Judge({}, ingress), Severity::kWarn), expected);
}

TEST(IngressServices, UseAnnotationBackendsAreNotServices) {
  json ingress =
      MakeIngress(Alb({{"actions.redirect", R"({"type":"fixed-response",)"
                                            R"("fixedResponseConfig":{"statusCode":"503"}})"}}));
  ingress["spec"]["defaultBackend"] = {
      {"service", {{"name", "redirect"}, {"port", {{"name", "use-annotation"}}}}}};
  EXPECT_THAT(Judge({Service("web", {Port("http", 80)})}, ingress).findings, IsEmpty());
}

TEST(IngressServices, ServiceBackendProtocolVersionMakesTheIngressSuccessCodesGrpc) {
  json ingress = MakeIngress(Alb({{"success-codes", "200"}}));
  const json grpc = Alb({{"backend-protocol-version", "GRPC"}});
  Verdict v = Judge({Service("web", {Port("http", 80)}, grpc)}, ingress);
  EXPECT_THAT(Messages(v, Severity::kWarn), IsEmpty());
  EXPECT_THAT(Messages(v, Severity::kDeny),
              ElementsAre("target group for Service team-a/web: "
                          "alb.ingress.kubernetes.io/success-codes \"200\": item \"200\" is not a "
                          "code or a code range like 0-5 (gRPC codes 0-99, e.g. 0, 0,12 or 0-5)"));
  // Without the Service's annotation the Ingress's value is fine.
  EXPECT_THAT(Judge({Service("web", {Port("http", 80)})}, ingress).findings, IsEmpty());
}

TEST(IngressServices, ServiceAnnotationOverridesTheIngresss) {
  // The Ingress's good health-check path is overridden by the Service's bad one.
  json ingress = MakeIngress(Alb({{"healthcheck-path", "/healthz"}}));
  const json bad_path = Alb({{"healthcheck-path", "healthz"}});
  Verdict v = Judge({Service("web", {Port("http", 80)}, bad_path)}, ingress);
  EXPECT_THAT(Messages(v, Severity::kDeny),
              ElementsAre("target group for Service team-a/web: "
                          "alb.ingress.kubernetes.io/healthcheck-path \"healthz\": must begin "
                          "with /"));
  // The Service's GRPC is overridden by nothing on the Ingress: the Service wins.
  json http1 = MakeIngress(Alb({{"backend-protocol-version", "HTTP1"}, {"success-codes", "0"}}));
  Verdict grpc = Judge(
      {Service("web", {Port("http", 80)}, Alb({{"backend-protocol-version", "GRPC"}}))}, http1);
  // The Ingress alone (HTTP1) only warns about "0" (valid for gRPC, which a Service may set);
  // the Service's GRPC makes it valid, and the view settles the warning: no finding.
  EXPECT_THAT(grpc.findings, IsEmpty());
}

// Argo CD's documented setup: GRPC on the Service, gRPC codes on the Ingress. Alone, the
// Ingress gets a warning (the version may come from a Service); with the view each backend's
// target group is judged on its final values and the warning is settled.
TEST(IngressServices, GrpcCodesOnTheIngressWithGrpcOnTheServiceAreFine) {
  const json ingress = MakeIngress(Alb({{"success-codes", "0"}}));
  const json grpc = Alb({{"backend-protocol-version", "GRPC"}});
  EXPECT_THAT(Judge({Service("web", {Port("http", 80)}, grpc)}, ingress).findings, IsEmpty());
  // A plain Service: the Ingress's "0" is that target group's HTTP matcher, which AWS refuses.
  Verdict plain = Judge({Service("web", {Port("http", 80)})}, ingress);
  EXPECT_THAT(Messages(plain, Severity::kWarn), IsEmpty());
  EXPECT_THAT(Messages(plain, Severity::kDeny),
              ElementsAre("target group for Service team-a/web: "
                          "alb.ingress.kubernetes.io/success-codes \"0\": item \"0\" is not a "
                          "code or a code range like 200-299 (HTTP codes 200-499, e.g. 200, "
                          "200,204 or 200-299)"));
}

TEST(IngressServices, GrpcCodesDenyOnlyTheBackendThatIsNotGrpc) {
  json ingress = WithDefaultBackend(MakeIngress(Alb({{"success-codes", "0-12"}})), "grpc");
  const json grpc = Alb({{"backend-protocol-version", "GRPC"}});
  Verdict v = Judge({Service("web", {Port("http", 80)}, grpc), Service("api", {Port("grpc", 81)})},
                    ingress);
  EXPECT_THAT(Messages(v, Severity::kWarn), IsEmpty());
  EXPECT_THAT(Messages(v, Severity::kDeny),
              ElementsAre("target group for Service team-a/api: "
                          "alb.ingress.kubernetes.io/success-codes \"0-12\": item \"0-12\" is "
                          "not a code or a code range like 200-299 (HTTP codes 200-499, e.g. 200, "
                          "200,204 or 200-299)"));
  // Both backends GRPC: nothing.
  EXPECT_THAT(
      Judge({Service("web", {Port("http", 80)}, grpc), Service("api", {Port("grpc", 81)}, grpc)},
            ingress)
          .findings,
      IsEmpty());
}

TEST(IngressServices, GrpcCodesStayAWarningWhileABackendServiceIsUnknown) {
  json ingress = WithDefaultBackend(MakeIngress(Alb({{"success-codes", "0"}})), "grpc");
  const json grpc = Alb({{"backend-protocol-version", "GRPC"}});
  Verdict v = Judge({Service("web", {Port("http", 80)}, grpc)}, ingress);  // no Service api
  EXPECT_THAT(Messages(v, Severity::kDeny), IsEmpty());
  EXPECT_THAT(Messages(v, Severity::kWarn),
              ElementsAre("alb.ingress.kubernetes.io/success-codes \"0\": item \"0\" is not a "
                          "code or a code range like 200-299 (HTTP codes 200-499, e.g. 200, "
                          "200,204 or 200-299); valid if a backend Service sets "
                          "backend-protocol-version GRPC",
                          "spec.defaultBackend: Service team-a/api does not exist (yet) in the "
                          "cluster"));
}

TEST(IngressServices, HealthCheckTimeoutAgainstTheDefaultIntervalIsSettledPerService) {
  // timeout 20 against the default interval 15: alone a warning (a Service may set the interval).
  const json ingress = MakeIngress(Alb({{"healthcheck-timeout-seconds", "20"}}));
  Verdict plain = Judge({Service("web", {Port("http", 80)})}, ingress);
  EXPECT_THAT(Messages(plain, Severity::kWarn), IsEmpty());
  EXPECT_THAT(Messages(plain, Severity::kDeny),
              ElementsAre("target group for Service team-a/web: "
                          "alb.ingress.kubernetes.io/healthcheck-timeout-seconds 20 must be "
                          "smaller than healthcheck-interval-seconds 15 (default)"));
  const json longer = Alb({{"healthcheck-interval-seconds", "30"}});
  EXPECT_THAT(Judge({Service("web", {Port("http", 80)}, longer)}, ingress).findings, IsEmpty());
}

/// MakeIngress(annotations) with one rule path per Service name, in order.
json WithPaths(json ingress, const std::vector<std::string>& services) {
  json& paths = ingress["spec"]["rules"][0]["http"]["paths"];
  const json path = paths[0];
  paths = json::array();
  for (std::size_t i = 0; i < services.size(); ++i) {
    json p = path;
    p["path"] = "/p" + std::to_string(i);
    p["backend"]["service"]["name"] = services[i];
    paths.push_back(std::move(p));
  }
  return ingress;
}

std::string TimeoutDenial(const std::string& service) {
  return "target group for Service team-a/" + service +
         ": alb.ingress.kubernetes.io/healthcheck-timeout-seconds 20 must be smaller than "
         "healthcheck-interval-seconds 15 (default)";
}

TEST(IngressServices, ServicesWithTheSameAnnotationsShareOneJudgement) {
  // Judged once per distinct set of Service annotations: each Service still gets its own finding.
  const json ingress =
      WithPaths(MakeIngress(Alb({{"healthcheck-timeout-seconds", "20"}})), {"a", "b", "c", "d"});
  const json longer = Alb({{"healthcheck-interval-seconds", "30"}});
  const json healthy = Alb({{"healthy-threshold-count", "3"}});
  Verdict v = Judge({Service("a", {Port("http", 80)}), Service("b", {Port("http", 80)}, longer),
                     Service("c", {Port("http", 80)}), Service("d", {Port("http", 80)}, healthy)},
                    ingress);
  EXPECT_THAT(Messages(v, Severity::kWarn), IsEmpty());
  EXPECT_THAT(Messages(v, Severity::kDeny),
              ElementsAre(TimeoutDenial("a"), TimeoutDenial("c"), TimeoutDenial("d")));
}

TEST(IngressServices, DistinctServiceAnnotationsPastTheBudgetAreNotJudged) {
  // 1 MiB of the Ingress's target-group annotations judged again per distinct set of Service
  // annotations: past 4 MiB the rest are not judged, said in one warning, and what they would
  // settle stays hedged.
  const std::string long_path = "/" + std::string(1u << 20, 'p');
  const std::vector<std::string> names = {"s0", "s1", "s2", "s3", "s4", "s5"};
  const json ingress = WithPaths(
      MakeIngress(Alb({{"healthcheck-timeout-seconds", "20"}, {"healthcheck-path", long_path}})),
      names);
  std::vector<json> services;
  for (std::size_t i = 0; i < names.size(); ++i) {
    services.push_back(Service(names[i], {Port("http", 80)},
                               Alb({{"healthy-threshold-count", std::to_string(2 + i)}})));
  }
  Verdict v = Judge(services, ingress);
  std::vector<std::string> timeout_denials;
  for (const std::string& m : Messages(v, Severity::kDeny)) {
    if (m.find("healthcheck-timeout-seconds") != std::string::npos) timeout_denials.push_back(m);
  }
  EXPECT_THAT(timeout_denials,
              ElementsAre(TimeoutDenial("s0"), TimeoutDenial("s1"), TimeoutDenial("s2")));
  EXPECT_THAT(Messages(v, Severity::kWarn),
              ElementsAre("alb.ingress.kubernetes.io/healthcheck-timeout-seconds 20 must be "
                          "smaller than healthcheck-interval-seconds 15 (default)",
                          "the target groups of 3 backend Services were not judged: their "
                          "Services' target-group annotations differ, and judging each set again "
                          "would pass 4 MiB of annotations"));
}

TEST(IngressServices, ServiceTargetTypeIsOnlyAWarning) {
  // IngressClassParams' targetType would override it.
  Verdict v = Judge({Service("web", {Port("http", 80)}, Alb({{"target-type", "pod"}}))},
                    MakeIngress(nullptr));
  EXPECT_THAT(Messages(v, Severity::kDeny), IsEmpty());
  EXPECT_THAT(Messages(v, Severity::kWarn),
              ElementsAre("target group for Service team-a/web: "
                          "alb.ingress.kubernetes.io/target-type \"pod\": must be one of "
                          "instance, ip"));
}

TEST(IngressServices, NamedHealthCheckPortMustBeAPortOfTheService) {
  const json ingress = MakeIngress(Alb({{"healthcheck-port", "metrics"}}));
  Verdict v = Judge({Service("web", {Port("http", 80)})}, ingress);
  EXPECT_THAT(Messages(v, Severity::kDeny), IsEmpty());
  EXPECT_THAT(Messages(v, Severity::kWarn),
              ElementsAre("target group for Service team-a/web: failed to resolve "
                          "healthCheckPort: unable to find port metrics on service team-a/web"));
  // The Service has it; or the Service's own annotation (a number) overrides the name.
  EXPECT_THAT(Judge({Service("web", {Port("http", 80), Port("metrics", 9090)})}, ingress).findings,
              IsEmpty());
  EXPECT_THAT(
      Judge({Service("web", {Port("http", 80)}, Alb({{"healthcheck-port", "9090"}}))}, ingress)
          .findings,
      IsEmpty());
}

TEST(IngressServices, NonTargetGroupServiceAnnotationsAreIgnored) {
  Verdict v = Judge({Service("web", {Port("http", 80)}, Alb({{"scheme", "public"}}))},
                    MakeIngress(nullptr));
  EXPECT_THAT(v.findings, IsEmpty());
}

TEST(IngressServices, NothingWithoutAnAvailableView) {
  const policy::Policy policy;
  auto state = cluster::ClusterState::Empty("not synced");
  const Context ctx{api::Operation::kCreate, "team-a", "shop", policy, state.get()};
  Verdict v = MakeIngressValidator()->Validate(ctx, MakeIngress(nullptr), nullptr);
  for (const auto& f : v.findings) EXPECT_NE(f.check, "backend") << f.message;
}

}  // namespace
}  // namespace albwebhook::rules
