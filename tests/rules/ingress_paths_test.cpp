// Paths as the LBC builds them into ALB path patterns: wildcards in Prefix/Exact paths (the
// LBC's most reported model-build failure, in its words) and AWS's 128-character pattern limit.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rules/ingress_test_util.hpp"

namespace albwebhook::rules::testing {
namespace {

using ::testing::ElementsAreArray;

/// An Ingress with one rule whose paths are (path, pathType) pairs; pathType "" leaves it out.
json WithPaths(const std::vector<std::pair<std::string, std::string>>& paths,
               const json& annotations = nullptr) {
  json ing = MakeIngress(annotations);
  json& list = ing["spec"]["rules"][0]["http"]["paths"];
  list = json::array();
  for (const auto& [path, type] : paths) {
    json entry = {{"path", path},
                  {"backend", {{"service", {{"name", "web"}, {"port", {{"number", 80}}}}}}}};
    if (!type.empty()) entry["pathType"] = type;
    list.push_back(entry);
  }
  return ing;
}

std::vector<std::string> Denials(const json& ingress) {
  return Messages(RunValidator(policy::Policy{}, ingress), Severity::kDeny);
}

TEST(IngressPathsTest, WildcardsInPrefixAndExactPathsAreTheLbcsModelBuildError) {
  EXPECT_THAT(Denials(WithPaths({{"/*", "Prefix"}, {"/api/v?", "Exact"}, {"/ok", "Prefix"}})),
              ElementsAreArray({
                  "spec.rules[0].http.paths[0]: prefix path shouldn't contain wildcards: /*",
                  "spec.rules[0].http.paths[1]: exact path shouldn't contain wildcards: /api/v?",
              }));
}

TEST(IngressPathsTest, WildcardsAreFineWhereTheLbcSendsThePathAsIs) {
  // "/" under Prefix becomes "/*"; ImplementationSpecific (or no pathType) is an ALB pattern.
  EXPECT_THAT(Denials(WithPaths({{"/", "Prefix"},
                                 {"/*", "ImplementationSpecific"},
                                 {"/static/*.js", ""},
                                 {"/v?/items", "ImplementationSpecific"}})),
              ElementsAreArray(std::vector<std::string>{}));
}

TEST(IngressPathsTest, PatternsLongerThanAwsAllowsAreDenied) {
  const std::string p126 = "/" + std::string(125, 'a');  // Prefix: "/a…a" and "/a…a/*" (128)
  const std::string p127 = "/" + std::string(126, 'a');  // Prefix: 129
  const std::string p129 = "/" + std::string(128, 'a');
  EXPECT_THAT(Denials(WithPaths(
                  {{p126, "Prefix"}, {p126 + "/", "Prefix"}, {p129.substr(0, 128), "Exact"}})),
              ElementsAreArray(std::vector<std::string>{}));
  const std::vector<std::string> denied = Denials(WithPaths({{p127, "Prefix"}, {p129, "Exact"}}));
  ASSERT_EQ(denied.size(), 2U);
  EXPECT_THAT(denied[0], ::testing::StartsWith("spec.rules[0].http.paths[0]: path \"/aaaa"));
  EXPECT_THAT(
      denied[0],
      ::testing::EndsWith(" makes an ALB path pattern of 129 characters (AWS allows at most 128)"));
  EXPECT_THAT(
      denied[1],
      ::testing::EndsWith(" makes an ALB path pattern of 129 characters (AWS allows at most 128)"));
}

TEST(IngressPathsTest, RegexPathsAreNotMeasuredAgainstThePatternLimit) {
  const std::string long_regex = "/" + std::string(200, 'a');
  EXPECT_THAT(Denials(WithPaths({{long_regex, "ImplementationSpecific"}},
                                Alb({{"use-regex-path-match", "true"}}))),
              ElementsAreArray(std::vector<std::string>{}));
  // Prefix paths stay path patterns under use-regex-path-match.
  EXPECT_EQ(
      Denials(WithPaths({{long_regex, "Prefix"}}, Alb({{"use-regex-path-match", "true"}}))).size(),
      1U);
}

}  // namespace
}  // namespace albwebhook::rules::testing
