// `alb-webhook check`: manifests in, decisions out, with the real rule sets.
#include "cli/check.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/check_run.hpp"
#include "support/group_conflict_cases.hpp"

namespace albwebhook::cli {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

using check_testing::Check;
using check_testing::CheckRun;
using check_testing::Data;

/// The run exited with `code`, wrote nothing to stderr and exactly `out` to stdout.
void ExpectRunImpl(const CheckRun& run, int code, const std::string& out) {
  EXPECT_EQ(run.code, code);
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out, out);
}
// A macro, so that a failure names the caller's line (std::source_location is not available to
// clang 14 with libstdc++ 12, the sanitizer build's compiler).
#define EXPECT_RUN(...)         \
  do {                          \
    SCOPED_TRACE("EXPECT_RUN"); \
    ExpectRunImpl(__VA_ARGS__); \
  } while (0)

class CheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "albwebhook-check-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  std::string dir_;
};

constexpr const char* kInternalIngress = R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: internal
  annotations:
    alb.ingress.kubernetes.io/scheme: internal
spec:
  ingressClassName: alb
  defaultBackend:
    service: {name: web, port: {number: 80}}
)";

// ---------------------------------------------------------------------------------------------
// Text and JSON output

TEST_F(CheckTest, TextOutputForMultiDocumentFileWithMixedKinds) {
  const std::string path = Data("mixed.yaml");
  const CheckRun run = Check({path});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err, "");
  // The unknown-annotation warning's wording belongs to the rule set; the line's shape is ours.
  const std::string warn_prefix =
      "  warn  [ingress.rules.unknownAnnotations] ingress.rules.unknownAnnotations: ";
  const auto warn_at = run.out.find(warn_prefix);
  ASSERT_NE(warn_at, std::string::npos) << run.out;
  const auto warn_end = run.out.find('\n', warn_at);
  EXPECT_THAT(run.out.substr(warn_at, warn_end - warn_at),
              HasSubstr("\"alb.ingress.kubernetes.io/healthcheck-pth\""));
  std::string listing = run.out;
  listing.replace(warn_at, warn_end - warn_at, "  warn  ...");
  EXPECT_EQ(listing,
            path + ":1 Ingress team-a/shop: DENIED\n" +
                "  deny  [scheme] alb.ingress.kubernetes.io/scheme \"public\": must be one of "
                "internal, internet-facing\n" +
                path + ":4 Ingress default/api: ALLOWED\n" + "  warn  ...\n" + path +
                ":5 TargetGroupBinding team-a/web: ALLOWED\n" +
                "4 objects: 2 allowed, 1 denied, 1 skipped\n");
}

TEST_F(CheckTest, JsonOutputCarriesEveryField) {
  const std::string path = Data("mixed.yaml");
  const CheckRun run = Check({"--output", "json", path});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err, "");
  const json report = json::parse(run.out);
  ASSERT_EQ(report["results"].size(), 3u);
  EXPECT_EQ(report["results"][0], json::parse(R"({
              "file": ")" + path + R"(", "document": 1, "item": null,
              "kind": "Ingress", "namespace": "team-a", "name": "shop",
              "inScope": true, "allowed": false,
              "violations": [{"check": "scheme", "message":
                "alb.ingress.kubernetes.io/scheme \"public\": must be one of internal, internet-facing"}],
              "warnings": [],
              "patch": []
            })"));
  const json& api = report["results"][1];
  EXPECT_EQ(api["document"], 4);
  EXPECT_EQ(api["namespace"], "default");
  EXPECT_EQ(api["allowed"], true);
  EXPECT_EQ(api["violations"], json::array());
  ASSERT_EQ(api["warnings"].size(), 1u);
  EXPECT_EQ(api["warnings"][0]["check"], "ingress.rules.unknownAnnotations");
  EXPECT_EQ(api["patch"], json::array());
  const json& tgb = report["results"][2];
  EXPECT_EQ(tgb["kind"], "TargetGroupBinding");
  EXPECT_EQ(tgb["document"], 5);
  EXPECT_EQ(tgb["allowed"], true);
  EXPECT_EQ(report["skipped"], json::parse(R"([{"file": ")" + path + R"(", "document": 2,
              "item": null, "apiVersion": "v1", "kind": "Service", "name": "web",
              "reason": "not an Ingress, TargetGroupBinding or IngressClassParams"}])"));
  EXPECT_EQ(report["errors"], json::array());
  EXPECT_EQ(report["summary"],
            json::parse(R"({"objects": 4, "allowed": 2, "denied": 1, "skipped": 1, "errors": 0})"));
}

TEST_F(CheckTest, TypedListFromJsonExpandsItemsAndKeepsOutOfScopeAllowed) {
  const std::string path = Data("list.json");
  const CheckRun run = Check({path});
  EXPECT_RUN(run, 0,
             path + ":1.items[0] Ingress team-b/internal-app: ALLOWED\n" + path +
                 ":1.items[1] Ingress team-b/public-app: ALLOWED\n" + path +
                 ":1.items[2] Ingress team-b/nginx-app: ALLOWED (out of scope)\n"
                 "3 objects: 3 allowed, 0 denied, 0 skipped\n");

  const json report = json::parse(Check({"-o", "json", path}).out);
  ASSERT_EQ(report["results"].size(), 3u);
  EXPECT_EQ(report["results"][0]["item"], 0);
  EXPECT_EQ(report["results"][0]["kind"], "Ingress");  // inferred from IngressList
  EXPECT_EQ(report["results"][2]["inScope"], false);
  EXPECT_EQ(report["results"][2]["patch"], json::array());
}

TEST_F(CheckTest, GenericListInYaml) {
  const CheckRun run = Check({"-"}, R"(apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: settings}
  - apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: bad, namespace: shop, annotations: {alb.ingress.kubernetes.io/scheme: public}}
    spec: {ingressClassName: alb}
)");
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.out, HasSubstr("<stdin>:1.items[1] Ingress shop/bad: DENIED\n"));
  EXPECT_THAT(run.out, HasSubstr("2 objects: 0 allowed, 1 denied, 1 skipped\n"));
}

// ---------------------------------------------------------------------------------------------
// Policy file

TEST_F(CheckTest, ConfigPolicyIsApplied) {
  const CheckRun run = Check({"--config", Data("policy.yaml"), "-o", "json", Data("list.json")});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err, "");
  const json report = json::parse(run.out);
  ASSERT_EQ(report["results"].size(), 3u);
  const json tags_patch = json::parse(R"([{"op": "add",
      "path": "/metadata/annotations/alb.ingress.kubernetes.io~1tags",
      "value": "cost-center=platform"}])");
  EXPECT_EQ(report["results"][0]["allowed"], true);
  EXPECT_EQ(report["results"][0]["patch"], tags_patch);
  EXPECT_EQ(report["results"][1]["allowed"], false);
  EXPECT_EQ(report["results"][1]["violations"],
            json::parse(R"js([{"check": "ingress.rules.internetFacing", "message":
              "ingress.rules.internetFacing: scheme internet-facing is not allowed in namespace \"team-b\" (allowed: team-a)"}])js"));
  EXPECT_EQ(report["results"][1]["patch"], tags_patch);
  EXPECT_EQ(report["results"][2]["patch"], json::array());  // out of scope: untouched

  // Without --config the same file passes.
  EXPECT_EQ(Check({Data("list.json")}).code, 0);
}

TEST_F(CheckTest, BadConfigExitsTwoBeforeReadingManifests) {
  const std::string policy = Write("policy.yaml", "ingress:\n  rulez: {}\n");
  const CheckRun run = Check({"--config=" + policy, Data("mixed.yaml")});
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(run.err, StartsWith("error: --config: " + policy + ": "));
  EXPECT_THAT(run.err, HasSubstr("rulez"));

  const CheckRun missing = Check({"--config", dir_ + "/absent.yaml", Data("mixed.yaml")});
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, StartsWith("error: --config: "));
  EXPECT_THAT(missing.err, HasSubstr("absent.yaml"));
}

// ---------------------------------------------------------------------------------------------
// Inputs: stdin, namespaces, directories, skipped documents

TEST_F(CheckTest, StdinWithNamespaceFlag) {
  const CheckRun run = Check({"--namespace", "team-z", "-o", "json", "-"}, kInternalIngress);
  EXPECT_EQ(run.code, 0);
  const json report = json::parse(run.out);
  ASSERT_EQ(report["results"].size(), 1u);
  EXPECT_EQ(report["results"][0]["file"], "<stdin>");
  EXPECT_EQ(report["results"][0]["namespace"], "team-z");
  EXPECT_EQ(report["results"][0]["patch"], json::array());  // the namespace fill is no patch

  // metadata.namespace wins over --namespace.
  std::string with_ns = kInternalIngress;
  with_ns.replace(with_ns.find("  name: internal"), 16, "  name: internal\n  namespace: own");
  const CheckRun own = Check({"-n", "ignored", "-"}, with_ns);
  EXPECT_EQ(own.code, 0);
  EXPECT_EQ(own.out,
            "<stdin>:1 Ingress own/internal: ALLOWED\n1 object: 1 allowed, 0 denied, 0 skipped\n");
}

TEST_F(CheckTest, SkippedDocumentsAreCountedAndEmptyOnesIgnored) {
  const CheckRun run = Check({"-"}, R"(---
# only a comment
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
---
~
---
apiVersion: networking.k8s.io/v2
kind: Ingress
metadata: {name: legacy}
---
name: not-a-k8s-object
---
)" + std::string(kInternalIngress));
  EXPECT_RUN(run, 0,
             "<stdin>:4 Ingress legacy: skipped (only networking.k8s.io/v1 Ingress, "
             "elbv2.k8s.aws/v1beta1 TargetGroupBinding and elbv2.k8s.aws/v1beta1 "
             "IngressClassParams are checked)\n"
             "<stdin>:5: skipped (no apiVersion or kind)\n"
             "<stdin>:6 Ingress default/internal: ALLOWED\n"
             "4 objects: 1 allowed, 0 denied, 3 skipped\n");
}

// Older versions are judged as the API server would hand them to the webhook: converted.
TEST_F(CheckTest, LegacyIngressAndBindingVersionsAreConvertedAndJudged) {
  const CheckRun run = Check({"-o", "json", "-"}, R"(apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: old
  annotations: {kubernetes.io/ingress.class: alb, alb.ingress.kubernetes.io/scheme: public}
spec:
  backend: {serviceName: fallback, servicePort: 80}
  rules:
  - http:
      paths:
      - path: /api
        backend: {serviceName: api, servicePort: http}
---
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata:
  name: fine
  annotations: {kubernetes.io/ingress.class: alb}
spec:
  rules:
  - http:
      paths:
      - {path: /, backend: {serviceName: web, servicePort: 8080}}
---
apiVersion: elbv2.k8s.aws/v1alpha1
kind: TargetGroupBinding
metadata: {name: tgb}
spec:
  targetGroupARN: arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-tg/73e2d6bc24d8a067
  targetType: ip
  serviceRef: {name: web, port: 80}
)");
  EXPECT_EQ(run.code, 1) << run.out << run.err;
  const json report = json::parse(run.out);
  ASSERT_EQ(report["results"].size(), 3U) << run.out;
  // Judged, not skipped: the bad scheme is found, and the converted backends raise nothing.
  EXPECT_EQ(report["results"][0]["kind"], "Ingress");
  EXPECT_EQ(report["results"][0]["allowed"], false);
  EXPECT_EQ(report["results"][0]["violations"], json::parse(R"([{"check": "scheme", "message":
              "alb.ingress.kubernetes.io/scheme \"public\": must be one of internal, internet-facing"}])"));
  EXPECT_EQ(report["results"][1]["allowed"], true);
  EXPECT_EQ(report["results"][1]["violations"], json::array());
  // v1beta1 paths without a type are served as ImplementationSpecific (the API server's
  // defaulting): nothing for the API server's own checks to say.
  EXPECT_EQ(report["results"][1]["warnings"], json::array());
  EXPECT_EQ(report["results"][0]["warnings"], json::array());
  EXPECT_EQ(report["results"][2]["kind"], "TargetGroupBinding");
  EXPECT_EQ(report["results"][2]["allowed"], true);
}

// What the API server refuses before any webhook runs: `check` says so in its words, as a
// warning (the decision stays the webhook's).
TEST_F(CheckTest, WhatTheApiServerRefusesIsAWarning) {
  EXPECT_RUN(Check({"-"}, R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: alb
  rules:
  - http:
      paths:
      - path: /api
        backend: {service: {name: web, port: {number: 80}}}
)"),
             0,
             "<stdin>:1 Ingress shop/web: ALLOWED\n"
             "  warn  [api-server] spec.rules[0].http.paths[0].pathType: Required value: pathType "
             "must be specified\n"
             "1 object: 1 allowed, 0 denied, 0 skipped\n");
}

// Offline, as a cluster with the LBC's webhooks would judge it: the LBC's mutating webhook fills a
// missing targetType from the target group, so it is a warning here (the server, which runs
// after that mutator, still denies a binding that reaches it without one).
TEST_F(CheckTest, BindingWithoutTargetTypeIsAllowedOffline) {
  const std::string binding = R"(apiVersion: elbv2.k8s.aws/v1beta1
kind: TargetGroupBinding
metadata: {name: web, namespace: shop}
spec:
  targetGroupARN: arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-tg/73e2d6bc24d8a067
  serviceRef: {name: web, port: 80}
)";
  EXPECT_RUN(Check({"-"}, binding), 0,
             "<stdin>:1 TargetGroupBinding shop/web: ALLOWED\n"
             "  warn  [checkRequiredFields] spec.targetType is not set: in a cluster the LBC's "
             "mutating webhook fills it from the target group (the checks that depend on it were "
             "skipped)\n"
             "1 object: 1 allowed, 0 denied, 0 skipped\n");
  // Without a target group the mutator has nothing to read: the LBC's message, both fields.
  std::string no_group = binding;
  const std::size_t from = no_group.find("  targetGroupARN");
  no_group.erase(from, no_group.find("  serviceRef") - from);
  const CheckRun denied = Check({"-"}, no_group);
  EXPECT_EQ(denied.code, 1);
  EXPECT_THAT(denied.out, HasSubstr("TargetGroupBinding must specify these fields: either "
                                    "TargetGroupARN or TargetGroupName,spec.targetType"));
}

TEST_F(CheckTest, DirectoryStandsForItsManifestFiles) {
  Write("b.yaml", kInternalIngress);
  Write("a.json", R"({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x"}})");
  Write("notes.txt", "not: [a manifest");
  const CheckRun run = Check({dir_});
  EXPECT_RUN(run, 0,
             dir_ + "/b.yaml:1 Ingress default/internal: ALLOWED\n" +
                 "2 objects: 1 allowed, 0 denied, 1 skipped\n");
}

TEST_F(CheckTest, QuotedAndPlainScalarsReachTheRulesAsKubernetesWouldSeeThem) {
  const std::string plain =
      "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: p\n"
      "  annotations:\n    alb.ingress.kubernetes.io/healthcheck-port: 8080\n"
      "spec:\n  ingressClassName: alb\n";
  std::string quoted = plain;
  quoted.replace(quoted.find("8080"), 4, "\"8080\"");
  const CheckRun as_number = Check({"-o", "json", "-"}, plain);
  EXPECT_EQ(as_number.code, 1);
  const json denied = json::parse(as_number.out)["results"][0];
  EXPECT_EQ(denied["allowed"], false);
  ASSERT_EQ(denied["violations"].size(), 1u);
  EXPECT_THAT(denied["violations"][0]["message"].get<std::string>(), HasSubstr("healthcheck-port"));
  EXPECT_EQ(Check({"-"}, quoted).code, 0);
}

// ---------------------------------------------------------------------------------------------
// Bad input, exit codes, robustness

TEST_F(CheckTest, BrokenDocumentIsReportedAndTheOthersStillChecked) {
  const std::string path = Data("broken.yaml");
  const CheckRun run = Check({path});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, StartsWith("error: " + path + ":2: invalid YAML at line 1"));
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1);
  EXPECT_EQ(run.out, path + ":1 Ingress default/fine: ALLOWED\n" +
                         "2 objects: 1 allowed, 0 denied, 1 skipped; 1 error\n");

  const json report = json::parse(Check({"-o", "json", path}).out);
  ASSERT_EQ(report["errors"].size(), 1u);
  EXPECT_EQ(report["errors"][0]["file"], path);
  EXPECT_EQ(report["errors"][0]["document"], 2);
  EXPECT_EQ(report["summary"]["errors"], 1);
}

TEST_F(CheckTest, BadInputWinsOverDenial) {
  const std::string broken = Write("broken.json", "{\"apiVersion\": \"v1\",");
  const CheckRun run = Check({Data("mixed.yaml"), broken});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, StartsWith("error: " + broken + ":1: invalid JSON: "));
  EXPECT_THAT(run.out, HasSubstr("4 objects: 2 allowed, 1 denied, 1 skipped; 1 error\n"));
}

TEST_F(CheckTest, UnreadableFileExitsTwo) {
  const CheckRun run = Check({dir_ + "/missing.yaml"});
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.err, "error: " + dir_ + "/missing.yaml: cannot read: No such file or directory\n");
  EXPECT_EQ(run.out, "0 objects: 0 allowed, 0 denied, 0 skipped; 1 error\n");
}

TEST_F(CheckTest, FlagErrorsAndHelp) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--bogus", "x.yaml"}, {}, {"--output", "yaml", "-"}, {"--config"}, {"-n", "", "-"}}) {
    const CheckRun run = Check(args);
    EXPECT_EQ(run.code, 2) << ::testing::PrintToString(args);
    EXPECT_THAT(run.err, StartsWith("error: "));
    EXPECT_THAT(run.err, HasSubstr("alb-webhook check --help"));
    EXPECT_EQ(run.out, "");
  }
  EXPECT_EQ(Check({"--bogus", "x.yaml"}).err,
            "error: unknown flag --bogus\nRun 'alb-webhook check --help' for usage.\n");
  const CheckRun help = Check({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_THAT(help.out, StartsWith("Usage: alb-webhook check [flags] FILE...\n"));
  EXPECT_THAT(help.out, HasSubstr("Exit status: 0 all allowed, 1 something denied, 2 bad input"));

  // After "--" everything is a file, even "--help".
  const CheckRun dashdash = Check({"--", "--help"});
  EXPECT_EQ(dashdash.code, 2);
  EXPECT_EQ(dashdash.err, "error: --help: cannot read: No such file or directory\n");
}

TEST_F(CheckTest, WrongTypesEverywhereNeverCrash) {
  const std::string path = Data("wrong-types.yaml");
  const CheckRun run = Check({path});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err, "");
  EXPECT_THAT(run.out, HasSubstr(path + ":6: skipped (not a Kubernetes object but a JSON string)"));
  EXPECT_THAT(run.out, HasSubstr(path + ":9.items[0]: skipped (not a Kubernetes object but a JSON "
                                        "number)"));
  // Document 8 is an older Ingress version: converted and judged (not ours: no class).
  EXPECT_THAT(run.out, HasSubstr(path + ":8 Ingress default/old: ALLOWED (out of scope)\n"));
  EXPECT_THAT(run.out, HasSubstr("11 objects: 3 allowed, 4 denied, 4 skipped\n"));
  EXPECT_EQ(Check({"-o", "json", path}).code, 1);
}

TEST_F(CheckTest, HostileStreamsAreBadInputNotCrashes) {
  std::string deep_yaml(400, '[');
  deep_yaml += std::string(400, ']');
  std::string deep_json = "{\"kind\":" + deep_yaml + "}";
  for (const std::string& text :
       {deep_yaml, deep_json, std::string("a: &a [*a]\n"), std::string("\x01\x02\xff\n"),
        std::string("key: 'unterminated\n"), std::string("{\"a\": 1} trailing")}) {
    const CheckRun run = Check({"-"}, text);
    EXPECT_TRUE(run.code == 0 || run.code == 2) << text.substr(0, 40) << " -> " << run.code;
  }
  EXPECT_EQ(Check({"-"}, deep_yaml).code, 2);
  EXPECT_EQ(Check({"-"}, deep_json).code, 2);
}

}  // namespace
}  // namespace albwebhook::cli

namespace albwebhook::cli {
namespace {

// IngressClassParams has no defaults (no mutator): check judges it with the validator alone.
TEST(CheckIngressClassParamsTest, JudgedWithTheLbcMessages) {
  const std::string params = R"(apiVersion: elbv2.k8s.aws/v1beta1
kind: IngressClassParams
metadata:
  name: public
spec:
  inboundCIDRs: [10.128.0.0/8]
---
apiVersion: elbv2.k8s.aws/v1beta1
kind: IngressClassParams
metadata:
  name: fine
spec:
  subnets:
    ids: [subnet-0123456789abcdef0]
)";
  const CheckRun run = Check({"-"}, params);
  EXPECT_RUN(run, 1,
             "<stdin>:1 IngressClassParams public: DENIED\n"
             "  deny  [inboundCIDRs] spec.inboundCIDRs[0]: Invalid value: \"10.128.0.0/8\": "
             "Network contains bits outside prefix (did you mean \"10.0.0.0/8\")\n"
             "<stdin>:2 IngressClassParams fine: ALLOWED\n"
             "2 objects: 1 allowed, 1 denied, 0 skipped\n");
}

}  // namespace
}  // namespace albwebhook::cli

namespace albwebhook::cli {
namespace {

constexpr const char* kTeamClass = R"(apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: team-alb
spec:
  controller: ingress.k8s.aws/alb
)";

constexpr const char* kPublicTeamIngress = R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    alb.ingress.kubernetes.io/scheme: public
spec:
  ingressClassName: team-alb
)";

// Without a cluster the class is unknown (not in classNames): the Ingress is not ours. With
// --cluster-state holding the IngressClass — or the class among the checked files, which join
// the cluster — it is, and its bad scheme is denied.
TEST(CheckClusterStateTest, IngressClassFromTheClusterStateDecidesScope) {
  const CheckRun alone = Check({"-"}, kPublicTeamIngress);
  EXPECT_EQ(alone.code, 0);
  EXPECT_EQ(alone.out,
            "<stdin>:1 Ingress shop/web: ALLOWED (out of scope)\n"
            "1 object: 1 allowed, 0 denied, 0 skipped\n");

  const std::string dir = ::testing::TempDir() + "/cluster-state-test";
  std::filesystem::create_directories(dir);
  { std::ofstream(dir + "/classes.yaml") << kTeamClass; }
  const CheckRun with_state = Check({"--cluster-state", dir, "-"}, kPublicTeamIngress);
  EXPECT_EQ(with_state.code, 1);
  EXPECT_NE(with_state.out.find("<stdin>:1 Ingress shop/web: DENIED"), std::string::npos);
  EXPECT_NE(with_state.out.find("deny  [scheme]"), std::string::npos);

  // The class in a checked file joins the cluster too (a repository checked as a whole).
  const CheckRun together =
      Check({"--cluster-state", "-", "-"}, std::string(kTeamClass) + "---\n" + kPublicTeamIngress);
  EXPECT_EQ(together.code, 1);
  EXPECT_NE(together.out.find("Ingress shop/web: DENIED"), std::string::npos);

  const CheckRun missing =
      Check({"--cluster-state", dir + "/absent.yaml", "-"}, kPublicTeamIngress);
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("absent.yaml: cannot read"), std::string::npos);
  std::filesystem::remove_all(dir);
}

constexpr const char* kBoundArn =
    "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-tg/73e2d6bc24d8a067";

/// A TargetGroupBinding ns/name of kBoundArn, as a manifest; `extra` is appended to its spec.
std::string BoundTgb(const std::string& ns, const std::string& name, const std::string& extra) {
  return "apiVersion: elbv2.k8s.aws/v1beta1\nkind: TargetGroupBinding\nmetadata:\n  name: " + name +
         "\n  namespace: " + ns + "\nspec:\n  serviceRef: {name: " + name +
         ", port: 80}\n  targetGroupARN: " + kBoundArn + "\n  targetType: ip\n" + extra;
}

// A target group already bound in the cluster state: the LBC's checkExistingTargetGroups denial.
TEST(CheckClusterStateTest, TargetGroupBoundTwiceIsDenied) {
  const std::string dir = ::testing::TempDir() + "/cluster-state-tgb-test";
  std::filesystem::create_directories(dir);
  { std::ofstream(dir + "/bindings.yaml") << BoundTgb("team-b", "api", ""); }
  const std::string second = BoundTgb("team-a", "web", "  multiClusterTargetGroup: true\n");
  const CheckRun run = Check({"--cluster-state", dir, "-"}, second);
  const std::string arn = kBoundArn;
  EXPECT_RUN(run, 1,
             "<stdin>:1 TargetGroupBinding team-a/web: DENIED\n"
             "  deny  [checkExistingTargetGroups] TargetGroup " +
                 arn +
                 " is already bound to following TargetGroupBindings [team-b/api]. Please enable "
                 "MultiCluster mode on all TargetGroupBindings referencing " +
                 arn +
                 " or choose a different Target Group ARN.\n"
                 "1 object: 0 allowed, 1 denied, 0 skipped\n");
  // Without the state, nothing is known of other bindings.
  EXPECT_EQ(Check({"-"}, second).code, 0);
  // Both in the checked files, which join the cluster: each is the other's duplicate.
  const CheckRun together =
      Check({"--cluster-state", "-", "-"}, BoundTgb("team-b", "api", "") + "---\n" + second);
  EXPECT_EQ(together.code, 1);
  EXPECT_NE(together.out.find("TargetGroupBinding team-b/api: DENIED"), std::string::npos);
  EXPECT_NE(together.out.find("TargetGroupBinding team-a/web: DENIED"), std::string::npos);
  std::filesystem::remove_all(dir);
}

// Two Ingresses of one group checked together: each is judged against the other, so the scheme
// conflict the LBC would raise at reconcile fails the check (exit 1), naming the other member.
TEST(CheckClusterStateTest, GroupConflictAcrossCheckedFilesExitsOne) {
  auto member = [](const std::string& name, const std::string& scheme) {
    return "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: " + name +
           "\n  namespace: shop\n  annotations:\n    alb.ingress.kubernetes.io/group.name: g\n"
           "    alb.ingress.kubernetes.io/scheme: " +
           scheme + "\nspec:\n  ingressClassName: team-alb\n";
  };
  const std::string repo = std::string(kTeamClass) + "---\n" + member("a", "internal") + "---\n" +
                           member("b", "internet-facing");
  const CheckRun run = Check({"--cluster-state", "-", "-"}, repo);
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.out.find("conflicting scheme: internal (this Ingress) vs internet-facing (shop/b)"),
            std::string::npos)
      << run.out;
  const CheckRun agreeing = Check({"--cluster-state", "-", "-"},
                                  std::string(kTeamClass) + "---\n" + member("a", "internal") +
                                      "---\n" + member("b", "internal"));
  EXPECT_EQ(agreeing.code, 0) << agreeing.out;
}

// Manifests written without metadata.namespace (common in repositories applied with `kubectl
// apply -n`): in the cluster state as among the checked files they are in --namespace, so a
// member replaces its own old version, the other member is named with its namespace, and a
// backend Service is found.
TEST(CheckClusterStateTest, ObjectsWithoutANamespaceAreInTheCheckNamespace) {
  // Only a has the default backend (two would be the LBC's "multiple ingress defined default
  // backend").
  auto member = [](const std::string& name, const std::string& scheme) {
    return "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: " + name +
           "\n  annotations:\n    alb.ingress.kubernetes.io/group.name: g\n"
           "    alb.ingress.kubernetes.io/scheme: " +
           scheme + "\nspec:\n  ingressClassName: team-alb\n" +
           (name == "a" ? "  defaultBackend:\n    service:\n      name: web\n"
                          "      port: {number: 80}\n"
                        : "");
  };
  const std::string service =
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n";
  const std::string repo = std::string(kTeamClass) + "---\n" + service + "---\n" +
                           member("a", "internal") + "---\n" + member("b", "internet-facing");
  const CheckRun run = Check({"--cluster-state", "-", "-n", "shop", "-"}, repo);
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.out.find("conflicting scheme: internal (this Ingress) vs internet-facing (shop/b)"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(run.out.find("does not exist"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("(/"), std::string::npos) << run.out;  // no member without a namespace
  const CheckRun agreeing = Check({"--cluster-state", "-", "-n", "shop", "-"},
                                  std::string(kTeamClass) + "---\n" + service + "---\n" +
                                      member("a", "internal") + "---\n" + member("b", "internal"));
  EXPECT_EQ(agreeing.code, 0) << agreeing.out;
  EXPECT_EQ(agreeing.out.find("does not exist"), std::string::npos) << agreeing.out;
}

// The same cases as the rule and fake-API-server tests: a repository holding both members (and
// the IngressClass) checked as a cluster exits 1 with the LBC's words naming the other member.
TEST(CheckClusterStateTest, EachLbcGroupConflictExitsOne) {
  const json klass = {{"apiVersion", "networking.k8s.io/v1"},
                      {"kind", "IngressClass"},
                      {"metadata", {{"name", "alb"}}},
                      {"spec", {{"controller", "ingress.k8s.aws/alb"}}}};
  auto member = [](const std::string& ns, const std::string& name, const json& annotations) {
    return json{{"apiVersion", "networking.k8s.io/v1"},
                {"kind", "Ingress"},
                {"metadata", {{"name", name}, {"namespace", ns}, {"annotations", annotations}}},
                {"spec", {{"ingressClassName", "alb"}}}};
  };
  for (const auto& c : albwebhook::testing::GroupConflictCases()) {
    SCOPED_TRACE(c.name);
    const json repo = {{"apiVersion", "v1"},
                       {"kind", "List"},
                       {"items",
                        {klass,
                         albwebhook::testing::MaybeDefaultBackend(member("team-b", "web", c.theirs),
                                                                  c.theirs_default_backend),
                         albwebhook::testing::MaybeDefaultBackend(member("team-a", "shop", c.mine),
                                                                  c.mine_default_backend)}}};
    const CheckRun run = Check({"--cluster-state", "-", "-"}, repo.dump());
    if (c.expected.empty()) {
      EXPECT_EQ(run.code, 0) << run.out;
    } else {
      EXPECT_EQ(run.code, 1) << run.out;
      EXPECT_NE(run.out.find(c.expected), std::string::npos) << run.out;
    }
  }
}

}  // namespace
}  // namespace albwebhook::cli
