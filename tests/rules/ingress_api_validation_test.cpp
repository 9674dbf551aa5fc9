// The API server's own validation of a new Ingress, as `alb-webhook check` reports it: warnings
// in the API server's words (pkg/apis/networking/validation), offline CREATEs only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingress_test_util.hpp"

namespace albwebhook::rules {
namespace {

using namespace albwebhook::rules::testing;  // NOLINT(google-build-using-namespace)
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

std::vector<std::string> ApiServerWarnings(const json& ingress, bool offline = true,
                                           api::Operation op = api::Operation::kCreate) {
  const policy::Policy policy;
  const Context ctx{op, "team-a", "shop", policy, nullptr, offline};
  const Verdict v = MakeIngressValidator()->Validate(ctx, ingress, json());
  std::vector<std::string> out;
  for (const auto& f : v.findings) {
    if (f.check == "api-server") {
      EXPECT_EQ(f.severity, Severity::kWarn) << f.message;
      out.push_back(f.message);
    }
  }
  return out;
}

/// MakeIngress's only path with `path` replaced by `entry`.
json WithPath(const json& entry) {
  json ing = MakeIngress(nullptr);
  ing["spec"]["rules"][0]["http"]["paths"][0] = entry;
  return ing;
}

const json kBackend = {{"service", {{"name", "web"}, {"port", {{"number", 80}}}}}};

constexpr const char* kSubdomain =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
constexpr const char* kWildcard =
    "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which "
    "must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric "
    "character (e.g. '*.example.com', regex used for validation is "
    "'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

TEST(IngressApiValidationTest, AValidIngressDrawsNone) {
  EXPECT_THAT(ApiServerWarnings(MakeIngress(nullptr)), IsEmpty());
  json wildcard = MakeIngress(nullptr);
  wildcard["spec"]["rules"][0]["host"] = "*.example.com";
  wildcard["spec"]["tls"] = {{{"hosts", {"*.example.com", "a.example.com"}}, {"secretName", "t"}}};
  EXPECT_THAT(ApiServerWarnings(wildcard), IsEmpty());
  // ImplementationSpecific with no path; a defaultBackend alone; a port by name.
  EXPECT_THAT(
      ApiServerWarnings(WithPath({{"pathType", "ImplementationSpecific"}, {"backend", kBackend}})),
      IsEmpty());
  json fallback = MakeIngress(nullptr);
  fallback["spec"].erase("rules");
  fallback["spec"]["defaultBackend"] = {
      {"service", {{"name", "web"}, {"port", {{"name", "http"}}}}}};
  EXPECT_THAT(ApiServerWarnings(fallback), IsEmpty());
}

TEST(IngressApiValidationTest, PathTypeAndPath) {
  EXPECT_THAT(ApiServerWarnings(WithPath({{"path", "/api"}, {"backend", kBackend}})),
              ElementsAreArray({"spec.rules[0].http.paths[0].pathType: Required value: pathType "
                                "must be specified"}));
  EXPECT_THAT(
      ApiServerWarnings(WithPath({{"path", "/api"}, {"pathType", "Regex"}, {"backend", kBackend}})),
      ElementsAreArray({"spec.rules[0].http.paths[0].pathType: Unsupported value: \"Regex\": "
                        "supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\""}));
  EXPECT_THAT(
      ApiServerWarnings(WithPath({{"path", "api"}, {"pathType", "Prefix"}, {"backend", kBackend}})),
      ElementsAreArray(
          {"spec.rules[0].http.paths[0].path: Invalid value: \"api\": must be an absolute path"}));
  EXPECT_THAT(
      ApiServerWarnings(WithPath({{"pathType", "Exact"}, {"backend", kBackend}})),
      ElementsAreArray(
          {"spec.rules[0].http.paths[0].path: Invalid value: \"\": must be an absolute path"}));
  EXPECT_THAT(ApiServerWarnings(
                  WithPath({{"path", "/a//b%2F/."}, {"pathType", "Exact"}, {"backend", kBackend}})),
              ElementsAreArray({
                  "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b%2F/.\": must not "
                  "contain '//'",
                  "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b%2F/.\": must not "
                  "contain '%2F'",
                  "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b%2F/.\": cannot end "
                  "with '/.'",
              }));
  // ImplementationSpecific: only the leading '/' (the sequences are the controller's business).
  EXPECT_THAT(
      ApiServerWarnings(WithPath(
          {{"path", "/a//b"}, {"pathType", "ImplementationSpecific"}, {"backend", kBackend}})),
      IsEmpty());
  EXPECT_THAT(
      ApiServerWarnings(
          WithPath({{"path", "a"}, {"pathType", "ImplementationSpecific"}, {"backend", kBackend}})),
      ElementsAreArray(
          {"spec.rules[0].http.paths[0].path: Invalid value: \"a\": must be an absolute path"}));
}

TEST(IngressApiValidationTest, Backends) {
  auto path_with = [](const json& backend) {
    return WithPath({{"path", "/"}, {"pathType", "Prefix"}, {"backend", backend}});
  };
  EXPECT_THAT(
      ApiServerWarnings(path_with(
          {{"service", {{"name", "web"}, {"port", {{"name", "http"}, {"number", 80}}}}}})),
      ElementsAreArray({"spec.rules[0].http.paths[0].backend: Invalid value: \"\": cannot set both "
                        "port name & port number"}));
  EXPECT_THAT(
      ApiServerWarnings(path_with({{"service", {{"name", "web"}, {"port", {{"number", 70000}}}}}})),
      ElementsAreArray({"spec.rules[0].http.paths[0].backend.service.port.number: Invalid "
                        "value: 70000: must be between 1 and 65535, inclusive"}));
  EXPECT_THAT(ApiServerWarnings(path_with({{"service", {{"port", json::object()}}}})),
              ElementsAreArray({
                  "spec.rules[0].http.paths[0].backend.service.name: Required value",
                  "spec.rules[0].http.paths[0].backend: Required value: port name or number is "
                  "required",
              }));
  EXPECT_THAT(ApiServerWarnings(WithPath({{"path", "/"}, {"pathType", "Prefix"}})),
              ElementsAreArray({"spec.rules[0].http.paths[0].backend: Invalid value: \"\": "
                                "resource or service backend is required"}));
  EXPECT_THAT(ApiServerWarnings(path_with(json::object())),
              ElementsAreArray({"spec.rules[0].http.paths[0].backend: Invalid value: \"\": "
                                "resource or service backend is required"}));
  EXPECT_THAT(
      ApiServerWarnings(path_with(
          {{"service", {{"name", "web"}, {"port", {{"number", 80}}}}},
           {"resource", {{"apiGroup", "k8s.example.com"}, {"kind", "Bucket"}, {"name", "b"}}}})),
      ElementsAreArray({"spec.rules[0].http.paths[0].backend: Invalid value: \"\": cannot set both "
                        "resource and service backends"}));
}

TEST(IngressApiValidationTest, HostsTlsAndClass) {
  json ing = MakeIngress(nullptr);
  ing["spec"]["rules"][0]["host"] = "Shop.example.com";
  ing["spec"]["rules"].push_back({{"host", "10.0.0.1"}, {"http", {{"paths", json::array()}}}});
  ing["spec"]["rules"].push_back({{"host", "*"}});
  ing["spec"]["tls"] = {{{"hosts", {"*.Example.com"}}, {"secretName", "My_Secret"}}};
  EXPECT_THAT(
      ApiServerWarnings(ing),
      ElementsAreArray({
          std::string("spec.rules[0].host: Invalid value: \"Shop.example.com\": ") + kSubdomain,
          std::string("spec.rules[1].host: Invalid value: \"10.0.0.1\": must be a DNS "
                      "name, not an IP address"),
          std::string("spec.rules[1].http.paths: Required value"),
          std::string("spec.rules[2].host: Invalid value: \"*\": ") + kWildcard,
          std::string("spec.tls[0].hosts[0]: Invalid value: \"*.Example.com\": ") + kWildcard,
          std::string("spec.tls[0].secretName: Invalid value: \"My_Secret\": ") + kSubdomain,
      }));
  json long_host = MakeIngress(nullptr);
  long_host["spec"]["rules"][0]["host"] = std::string(250, 'a') + ".com";
  EXPECT_THAT(ApiServerWarnings(long_host),
              ElementsAreArray({"spec.rules[0].host: Invalid value: \"" + std::string(250, 'a') +
                                ".com\": must be no more than 253 characters"}));
  json mismatch = MakeIngress({{"kubernetes.io/ingress.class", "alb"}});
  mismatch["spec"]["ingressClassName"] = "alb-internal";
  EXPECT_THAT(ApiServerWarnings(mismatch),
              ElementsAreArray({"annotations.kubernetes.io/ingress.class: Invalid value: \"alb\": "
                                "must match `ingressClassName` when both are specified"}));
}

TEST(IngressApiValidationTest, RulesOrDefaultBackend) {
  json none = MakeIngress(nullptr);
  none["spec"].erase("rules");
  // As Kubernetes 1.34 and later render the value (JSON).
  EXPECT_THAT(ApiServerWarnings(none),
              ElementsAreArray({"spec: Invalid value: null: either `defaultBackend` or `rules` "
                                "must be specified"}));
  none["spec"]["rules"] = json::array();
  EXPECT_THAT(ApiServerWarnings(none),
              ElementsAreArray({"spec: Invalid value: []: either `defaultBackend` or `rules` "
                                "must be specified"}));
  // No spec, or a null one, is an empty one.
  json bare = MakeIngress({{"kubernetes.io/ingress.class", "alb"}});  // in scope without a spec
  bare.erase("spec");
  EXPECT_THAT(ApiServerWarnings(bare),
              ElementsAreArray({"spec: Invalid value: null: either `defaultBackend` or `rules` "
                                "must be specified"}));
  bare["spec"] = nullptr;
  EXPECT_THAT(ApiServerWarnings(bare),
              ElementsAreArray({"spec: Invalid value: null: either `defaultBackend` or `rules` "
                                "must be specified"}));
  // A port number past int32 is a decode error, not a wrapped negative number.
  json huge = MakeIngress(nullptr);
  huge["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"]["number"] =
      18446744073709551615ULL;
  EXPECT_THAT(ApiServerWarnings(huge), IsEmpty());
}

// The server never sees what the API server refuses; an UPDATE may keep values the API server
// no longer accepts on CREATE. Neither is judged, and a warning never changes the decision.
TEST(IngressApiValidationTest, OnlyOfflineCreatesAndNeverADenial) {
  const json bad = WithPath({{"path", "api"}, {"backend", kBackend}});
  EXPECT_THAT(ApiServerWarnings(bad, /*offline=*/false), IsEmpty());
  EXPECT_THAT(ApiServerWarnings(bad, /*offline=*/true, api::Operation::kUpdate), IsEmpty());
  const policy::Policy policy;
  const Context ctx{api::Operation::kCreate, "team-a", "shop", policy, nullptr, true};
  const Verdict v = MakeIngressValidator()->Validate(ctx, bad, json());
  EXPECT_THAT(Messages(v, Severity::kDeny), IsEmpty());
}

}  // namespace
}  // namespace albwebhook::rules
