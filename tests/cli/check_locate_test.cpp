// What a finding points at: an annotation the message names, a spec field path it names, the
// annotation or field the check is named after, else the object.
#include "cli/check_locate.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace albwebhook::cli::check {
namespace {

using nlohmann::json;

const json kObject = json::parse(R"({
  "metadata": {"annotations": {
    "alb.ingress.kubernetes.io/scheme": "internet-facing",
    "alb.ingress.kubernetes.io/actions.x": "{}",
    "alb.ingress.kubernetes.io/actions.x-y": "{}",
    "alb.ingress.kubernetes.io/ssl-policy": "p",
    "description": "a word"}},
  "spec": {"nodeSelector": {}, "rules": []}
})");

std::string Pointer(const std::string& check, const std::string& message) {
  return FindingPointer(kObject, check, message);
}

TEST(CheckFindingPointer, TheFirstAnnotationKeyTheMessageNamesAsAWholeWord) {
  EXPECT_EQ(Pointer("scheme", "alb.ingress.kubernetes.io/scheme \"public\": must be one of"),
            "/metadata/annotations/alb.ingress.kubernetes.io~1scheme");
  EXPECT_EQ(Pointer("actions", "alb.ingress.kubernetes.io/actions.x-y \"{}\": bad"),
            "/metadata/annotations/alb.ingress.kubernetes.io~1actions.x-y");
  EXPECT_EQ(Pointer("w",
                    "unknown \"alb.ingress.kubernetes.io/actions.x\" and "
                    "alb.ingress.kubernetes.io/scheme"),
            "/metadata/annotations/alb.ingress.kubernetes.io~1actions.x");
  // Keys without a prefix are words of any sentence: never matched.
  EXPECT_EQ(Pointer("other", "a description of the problem"), "");
}

TEST(CheckFindingPointer, SpecFieldPathsWithIndexes) {
  EXPECT_EQ(Pointer("backend", "spec.rules[0].http.paths[12].backend: resource backends"),
            "/spec/rules/0/http/paths/12/backend");
  EXPECT_EQ(Pointer("targetType", "spec.targetType \"pod\" is not supported."), "/spec/targetType");
  // Whichever the message names first.
  EXPECT_EQ(Pointer("x", "spec.rules needs alb.ingress.kubernetes.io/scheme"), "/spec/rules");
  EXPECT_EQ(Pointer("x", "alb.ingress.kubernetes.io/scheme needs spec.rules"),
            "/metadata/annotations/alb.ingress.kubernetes.io~1scheme");
  EXPECT_EQ(Pointer("x", "podspec.rules is not a spec path"), "");
}

TEST(CheckFindingPointer, FromTheCheckName) {
  EXPECT_EQ(Pointer("ingress.rules.internetFacing",
                    "ingress.rules.internetFacing: scheme internet-facing is not allowed"),
            "/metadata/annotations/alb.ingress.kubernetes.io~1scheme");
  EXPECT_EQ(Pointer("ingress.rules.sslPolicies", "ingress.rules.sslPolicies: ssl-policy \"p\""),
            "/metadata/annotations/alb.ingress.kubernetes.io~1ssl-policy");
  EXPECT_EQ(Pointer("nodeSelector", "a label key is not valid"), "/spec/nodeSelector");
  // Named after an annotation the object does not have: the object.
  EXPECT_EQ(Pointer("ingress.rules.requiredTags", "ingress.rules.requiredTags: lacks team"), "");
  EXPECT_EQ(FindingPointer(json::array(), "scheme", "alb.ingress.kubernetes.io/scheme"), "");
}

// A key with characters outside annotation keys' (a file may hold one) is still found as a whole
// word, earliest first; the locator reads the object once for many findings.
TEST(CheckFindingPointer, IrregularKeysAndOneLocatorForManyFindings) {
  const json object = json::parse(R"({"metadata": {"annotations": {
    "example.com/a b": "1", "example.com/a": "2", "alb.ingress.kubernetes.io/scheme": "x"}}})");
  const FindingLocator locator(object);
  EXPECT_EQ(locator.Pointer("w", "key example.com/a b is odd"),
            "/metadata/annotations/example.com~1a b");
  EXPECT_EQ(locator.Pointer("w", "key example.com/a is fine, example.com/a b later"),
            "/metadata/annotations/example.com~1a");
  EXPECT_EQ(locator.Pointer("w", "alb.ingress.kubernetes.io/scheme then example.com/a b"),
            "/metadata/annotations/alb.ingress.kubernetes.io~1scheme");
  EXPECT_EQ(locator.Pointer("w", "example.com/a/b names neither"), "");
}

}  // namespace
}  // namespace albwebhook::cli::check
