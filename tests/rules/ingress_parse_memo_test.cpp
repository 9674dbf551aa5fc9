// IngressView's per-request parse memo (issue 14): listen-ports, stringLists and stringMaps are
// parsed once per request, keyed by their raw text, so an edited or copied view is never served
// another value's result.
#include <gtest/gtest.h>

#include <string>

#include "rules/ingress_checks.hpp"

namespace albwebhook::rules {
namespace {

TEST(IngressParseMemo, GivesWhatTheParsersGive) {
  const IngressView view;
  for (const char* raw : {R"([{"HTTP":80},{"HTTPS":443}])", "[]", "not json", ""}) {
    const ListenPortsResult& memo = view.ListenPorts(raw);
    const ListenPortsResult parsed = ParseListenPorts(raw);
    EXPECT_EQ(memo.error, parsed.error) << raw;
    ASSERT_EQ(memo.ports.size(), parsed.ports.size()) << raw;
    for (std::size_t i = 0; i < parsed.ports.size(); ++i) {
      EXPECT_EQ(memo.ports[i].protocol, parsed.ports[i].protocol);
      EXPECT_EQ(memo.ports[i].port, parsed.ports[i].port);
    }
  }
  for (const char* raw : {"a, b,,c", "", "x"}) {
    EXPECT_EQ(view.StringList(raw), ParseStringList(raw)) << raw;
  }
  for (const char* raw : {"team=a,env=prod", "novalue", "", "k=v\\,w"}) {
    EXPECT_EQ(view.StringMap(raw), ParseStringMap(raw)) << raw;
  }
}

TEST(IngressParseMemo, ParsesEachValueOnceAndKeepsReferencesStable) {
  const IngressView view;
  const ListenPortsResult& first = view.ListenPorts(R"([{"HTTP":80}])");
  const ListenPortsResult& other = view.ListenPorts(R"([{"HTTPS":443}])");  // a second entry
  EXPECT_EQ(&view.ListenPorts(R"([{"HTTP":80}])"), &first);                 // served from the memo
  ASSERT_EQ(first.ports.size(), 1U);
  EXPECT_EQ(first.ports[0].protocol, "HTTP");  // still valid after the second entry
  ASSERT_EQ(other.ports.size(), 1U);
  EXPECT_EQ(other.ports[0].port, 443);
  EXPECT_EQ(view.parse_memo.listen_ports.size(), 2U);
}

TEST(IngressParseMemo, AnEditedViewIsNotServedTheOldValue) {
  IngressView view;
  const std::string key = std::string(kAlbAnnotationPrefix) + "listen-ports";
  view.annotations[key] = R"([{"HTTP":80}])";
  auto before = GetEffectiveListeners(view);
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(before->ports.at(0).port, 80);
  view.annotations[key] = R"([{"HTTPS":8443}])";  // e.g. a merged view overriding a value
  auto after = GetEffectiveListeners(view);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->ports.at(0).protocol, "HTTPS");
  EXPECT_EQ(after->ports.at(0).port, 8443);

  IngressView copy = view;  // a copy starts from the memo: keyed by text, still correct
  copy.annotations[key] = "not json";
  EXPECT_FALSE(GetEffectiveListeners(copy).has_value());
  EXPECT_TRUE(GetEffectiveListeners(view).has_value());
}

TEST(IngressParseMemo, LocalEffectiveReadsTagsAndCertificatesThroughIt) {
  IngressView view;
  const std::string prefix(kAlbAnnotationPrefix);
  view.annotations[prefix + "tags"] = "team=a,env=prod";
  view.annotations[prefix + "certificate-arn"] = "arn:one, arn:two";
  EffectiveIngress e = LocalEffective(view);
  ASSERT_TRUE(e.tags.has_value());
  EXPECT_EQ(*e.tags, *ParseStringMap("team=a,env=prod"));
  EXPECT_EQ(e.certificate_arns, (std::vector<std::string>{"arn:one", "arn:two"}));
  ASSERT_TRUE(e.listeners.has_value());
  EXPECT_EQ(e.listeners->ports.at(0).port, 443);  // HTTPS by default with a certificate
  view.annotations[prefix + "tags"] = "malformed";
  EXPECT_FALSE(LocalEffective(view).tags.has_value());
}

}  // namespace
}  // namespace albwebhook::rules
