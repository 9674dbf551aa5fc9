// `alb-webhook check -o sarif|junit|github`: the CI formats point at the line of the offending
// annotation or field (multi-document YAML, a List, JSON), escape hostile text, and keep the
// exit codes of the text format.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "cli/check_run.hpp"

namespace albwebhook::cli {
namespace {

using check_testing::Check;
using check_testing::CheckRun;
using check_testing::Data;
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The testdata path relative to the working directory (a relative path stays relative).
std::string Relative(const std::string& name) {
  return std::filesystem::relative(Data(name)).string();
}

// The members SARIF 2.1.0 requires of what check writes; returns each result as
// "uri:line level ruleId".
std::vector<std::string> SarifResults(const json& log) {
  EXPECT_EQ(log.at("$schema"), "https://json.schemastore.org/sarif-2.1.0.json");
  EXPECT_EQ(log.at("version"), "2.1.0");
  EXPECT_EQ(log.at("runs").size(), 1u);
  const json& run = log.at("runs").at(0);
  const json& driver = run.at("tool").at("driver");
  EXPECT_EQ(driver.at("name"), "alb-webhook");
  EXPECT_THAT(driver.at("informationUri").get<std::string>(), ::testing::StartsWith("https://"));
  EXPECT_FALSE(driver.at("version").get<std::string>().empty());
  std::set<std::string> rule_ids;
  for (const json& rule : driver.at("rules")) rule_ids.insert(rule.at("id").get<std::string>());
  EXPECT_EQ(rule_ids.size(), driver.at("rules").size());  // unique
  std::vector<std::string> out;
  for (const json& result : run.at("results")) {
    const std::string rule = result.at("ruleId");
    EXPECT_TRUE(rule_ids.contains(rule)) << rule;
    EXPECT_EQ(driver.at("rules").at(result.at("ruleIndex").get<std::size_t>()).at("id"), rule);
    const std::string level = result.at("level");
    EXPECT_THAT((std::set<std::string>{"none", "note", "warning", "error"}),
                ::testing::Contains(level));
    EXPECT_FALSE(result.at("message").at("text").get<std::string>().empty());
    const json& physical = result.at("locations").at(0).at("physicalLocation");
    const int line = physical.at("region").at("startLine");
    EXPECT_GE(line, 1);
    out.push_back(physical.at("artifactLocation").at("uri").get<std::string>() + ":" +
                  std::to_string(line) + " " + level + " " + rule);
  }
  return out;
}

TEST(CheckFormatsTest, SarifPointsAtTheAnnotationOrFieldLine) {
  const std::string multi = Relative("formats/multi.yaml");
  const std::string list = Relative("formats/list.yaml");
  const std::string json_file = Relative("formats/ingress.json");
  ASSERT_FALSE(multi.starts_with("/"));
  const CheckRun run = Check({"-o", "sarif", multi, list, json_file});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err, "");
  const json log = json::parse(run.out);
  EXPECT_THAT(SarifResults(log),
              ElementsAre(multi + ":20 error scheme",  // the 2nd document's annotation
                          multi + ":21 warning ingress.rules.unknownAnnotations",
                          list + ":8 error scheme",       // items[0]'s annotation
                          list + ":17 error targetType",  // items[1].spec.targetType
                          json_file + ":8 error ssl-redirect"));
  const json& run0 = log["runs"][0];
  EXPECT_EQ(run0["invocations"][0]["executionSuccessful"], true);
  EXPECT_EQ(
      run0["results"][0]["message"]["text"],
      "alb.ingress.kubernetes.io/scheme \"public\": must be one of internal, internet-facing");
  EXPECT_EQ(run0["results"][0]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "Ingress team-a/shop");
}

TEST(CheckFormatsTest, SarifNamesStdinAndReportsBadInputAsNotifications) {
  std::ifstream file(Data("formats/multi.yaml"));
  const std::string text((std::istreambuf_iterator<char>(file)), {});
  const json from_stdin = json::parse(Check({"-o", "sarif", "-"}, text).out);
  EXPECT_THAT(
      SarifResults(from_stdin),
      ElementsAre("stdin:20 error scheme", "stdin:21 warning ingress.rules.unknownAnnotations"));

  const CheckRun broken = Check({"-o", "sarif", Data("broken.yaml")});
  EXPECT_EQ(broken.code, 2);
  const json log = json::parse(broken.out);
  EXPECT_THAT(SarifResults(log), ::testing::IsEmpty());
  const json& invocation = log["runs"][0]["invocations"][0];
  EXPECT_EQ(invocation["executionSuccessful"], false);
  const json& note = invocation["toolExecutionNotifications"][0];
  EXPECT_EQ(note["level"], "error");
  EXPECT_THAT(note["message"]["text"].get<std::string>(), HasSubstr("invalid YAML at line 17"));
  const json& where = note["locations"][0]["physicalLocation"];
  EXPECT_EQ(where["artifactLocation"]["uri"], "file://" + Data("broken.yaml"));
  EXPECT_EQ(where["region"]["startLine"], 11);  // the document's "---"
}

TEST(CheckFormatsTest, JunitTestCasePerObjectWithCountsThatAddUp) {
  const std::string multi = Relative("formats/multi.yaml");
  const std::string broken = Relative("broken.yaml");
  const CheckRun run = Check({"-o", "junit", multi, broken});
  EXPECT_EQ(run.code, 2);
  const std::string scheme =
      "[scheme] alb.ingress.kubernetes.io/scheme &quot;public&quot;: must be one of internal, "
      "internet-facing";
  const std::string skipped =
      "<skipped message=\"not an Ingress, TargetGroupBinding or IngressClassParams\"/>";
  EXPECT_EQ(run.out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<testsuites name=\"alb-webhook check\" tests=\"6\" failures=\"1\" errors=\"1\" "
            "skipped=\"2\">\n"
            "  <testsuite name=\"" +
                multi +
                "\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\">\n"
                "    <testcase name=\"Ingress team-a/ok\" classname=\"" +
                multi +
                "\"/>\n"
                "    <testcase name=\"Ingress team-a/shop\" classname=\"" +
                multi + "\"><failure message=\"" + scheme + "\" type=\"denied\">" + multi +
                ":20: " + scheme + "\n</failure><system-out>" + multi +
                ":21: [ingress.rules.unknownAnnotations] ingress.rules.unknownAnnotations: unknown "
                "&quot;alb.ingress.kubernetes.io/healthcheck-pth&quot; (did you mean "
                "healthcheck-path?)\n</system-out></testcase>\n"
                "    <testcase name=\"ConfigMap settings\" classname=\"" +
                multi + "\">" + skipped +
                "</testcase>\n"
                "  </testsuite>\n"
                "  <testsuite name=\"" +
                broken +
                "\" tests=\"3\" failures=\"0\" errors=\"1\" skipped=\"1\">\n"
                "    <testcase name=\"Ingress default/fine\" classname=\"" +
                broken +
                "\"/>\n"
                "    <testcase name=\"document 2\" classname=\"" +
                broken +
                "\"><error message=\"invalid YAML "
                "at line 17, column 1: end of sequence flow not found\" type=\"invalid input\"/>"
                "</testcase>\n"
                "    <testcase name=\"ConfigMap after-the-broken-one\" classname=\"" +
                broken + "\">" + skipped +
                "</testcase>\n"
                "  </testsuite>\n"
                "</testsuites>\n");
}

TEST(CheckFormatsTest, GithubCommandsPerFinding) {
  const std::string multi = Relative("formats/multi.yaml");
  const std::string json_file = Relative("formats/ingress.json");
  const CheckRun run = Check({"-o", "github", multi, json_file});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(
      run.out,
      "::error file=" + multi +
          ",line=20,title=scheme::alb.ingress.kubernetes.io/scheme "
          "\"public\": must be one of internal, internet-facing\n"
          "::warning file=" +
          multi +
          ",line=21,title=ingress.rules.unknownAnnotations::ingress."
          "rules.unknownAnnotations: unknown \"alb.ingress.kubernetes.io/healthcheck-pth\" (did "
          "you mean healthcheck-path?)\n"
          "::error file=" +
          json_file +
          ",line=8,title=ssl-redirect::alb.ingress.kubernetes.io/"
          "ssl-redirect \"443x\": must be the port number of an HTTPS listen-port (1-65535)\n"
          "4 objects: 1 allowed, 2 denied, 1 skipped\n");

  const CheckRun broken = Check({"-o", "github", Relative("broken.yaml")});
  EXPECT_EQ(broken.code, 2);
  EXPECT_THAT(broken.out,
              HasSubstr("::error file=" + Relative("broken.yaml") +
                        ",line=11,title=invalid input::invalid YAML at line 17, column 1"));
}

// An annotation value that reaches a message unquoted (the LBC's conditions parse error), an
// object name with a control character, markup and a newline, and a file name with ',', ':'
// and '%'.
class CheckHostileTextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One directory per test and process: ctest runs these tests in parallel, and a shared
    // directory removed by one test's TearDown vanished under another (seen once in CI).
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("check-hostile-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
            std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "a,b:c%.yaml").string();
    std::filesystem::copy_file(Data("formats/hostile.yaml"), path_,
                               std::filesystem::copy_options::overwrite_existing);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string path_;
};

const char* const kHostileMessage =
    "failed to parse json annotation, alb.ingress.kubernetes.io/conditions.web: {\"x\n50%<&\"\r: "
    "invalid character \"\\x0a\" looking for beginning of value";

TEST_F(CheckHostileTextTest, GithubEscapesDataAndProperties) {
  const CheckRun run = Check({"-o", "github", path_});
  EXPECT_EQ(run.code, 1);
  ASSERT_EQ(dir_.string().find_first_of("%,:\r\n"), std::string::npos) << dir_;
  const std::string file = (dir_ / "a%2Cb%3Ac%25.yaml").string();
  EXPECT_EQ(run.out, "::error file=" + file +
                         ",line=7,title=conditions::failed to parse json annotation, "
                         "alb.ingress.kubernetes.io/conditions.web: {\"x%0A50%25<&\"%0D: invalid "
                         "character \"\\x0a\" looking for beginning of value\n"
                         "1 object: 0 allowed, 1 denied, 0 skipped\n");
}

TEST_F(CheckHostileTextTest, JunitEscapesMarkupAndReplacesForbiddenCharacters) {
  const CheckRun run = Check({"-o", "junit", path_});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(
      run.out,
      HasSubstr("<testcase name=\"Ingress team-a/evil\xEF\xBF\xBD&lt;&amp;&quot;&#10;name\""));
  EXPECT_THAT(run.out,
              HasSubstr("<failure message=\"[conditions] failed to parse json annotation, "
                        "alb.ingress.kubernetes.io/conditions.web: {&quot;x&#10;50%&lt;&amp;&quot;"
                        "&#13;: invalid"));
  EXPECT_THAT(run.out, HasSubstr(":7: [conditions] failed to parse json annotation, "
                                 "alb.ingress.kubernetes.io/conditions.web: {&quot;x\n50%&lt;&amp;"
                                 "&quot;&#13;: invalid"));
  EXPECT_EQ(run.out.find('\x01'), std::string::npos);
  EXPECT_EQ(run.out.find('\r'), std::string::npos);
}

TEST_F(CheckHostileTextTest, SarifKeepsTheTextAndEncodesTheUri) {
  const CheckRun run = Check({"-o", "sarif", path_});
  EXPECT_EQ(run.code, 1);
  const json log = json::parse(run.out);
  const json& result = log["runs"][0]["results"][0];
  EXPECT_EQ(result["message"]["text"], kHostileMessage);
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["region"]["startLine"], 7);
  EXPECT_THAT(
      result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>(),
      ::testing::EndsWith("/a,b%3Ac%25.yaml"));
}

TEST(CheckFormatsTest, ExitCodesAreTheSameInEveryFormat) {
  const std::string allowed = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n";
  std::ifstream file(Data("formats/multi.yaml"));
  const std::string denied((std::istreambuf_iterator<char>(file)), {});
  for (const char* format : {"text", "json", "sarif", "junit", "github"}) {
    EXPECT_EQ(Check({"-o", format, "-"}, allowed).code, 0) << format;
    EXPECT_EQ(Check({"-o", format, "-"}, denied).code, 1) << format;
    EXPECT_EQ(Check({"-o", format, "-"}, denied + "---\nbad: [\n").code, 2) << format;
  }
}

TEST(CheckFormatsTest, UnknownFormatIsBadUsageAndHelpListsTheFormats) {
  const CheckRun run = Check({"-o", "xml", "-"});
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err,
            "error: -o: unknown format \"xml\" (expected text, json, sarif, junit or github)\n"
            "Run 'alb-webhook check --help' for usage.\n");
  const CheckRun help = Check({"--help"});
  EXPECT_THAT(help.out, HasSubstr("text (default), json, sarif (SARIF 2.1.0"));
  EXPECT_THAT(help.out, HasSubstr("junit (JUnit XML"));
  EXPECT_THAT(help.out, HasSubstr("github (GitHub Actions"));
}

}  // namespace
}  // namespace albwebhook::cli
