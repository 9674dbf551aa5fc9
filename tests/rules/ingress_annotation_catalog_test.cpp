// The alb.ingress.kubernetes.io annotation catalog (server/rules/ingress_annotation_catalog.cpp).
#include <gtest/gtest.h>

#include "rules/ingress_checks.hpp"

namespace albwebhook::rules {
namespace {

TEST(IngressAnnotationCatalogTest, SuggestsClosestAnnotation) {
  EXPECT_EQ(SuggestAlbAnnotation("alb.ingress.kubernetes.io/listen-port").value_or(""),
            "alb.ingress.kubernetes.io/listen-ports");
  EXPECT_EQ(SuggestAlbAnnotation("alb.ingress.kubernetes.io/SSL-Redirect").value_or(""),
            "alb.ingress.kubernetes.io/ssl-redirect");
  EXPECT_EQ(SuggestAlbAnnotation("alb.ingress.kubernetes.io/condition.svc").value_or(""),
            "alb.ingress.kubernetes.io/conditions.svc");
  EXPECT_EQ(SuggestAlbAnnotation("alb.ingress.k8s.io/scheme"), std::nullopt);
  EXPECT_EQ(SuggestAlbAnnotation("alb.ingres.kubernetes.io/scheme").value_or(""),
            "alb.ingress.kubernetes.io/scheme");
  EXPECT_EQ(SuggestAlbAnnotation("alb.ingress.kubernetes.io/zzzzzzzzzzzz"), std::nullopt);
  EXPECT_EQ(EditDistance("kitten", "sitting", 5), 3U);
  EXPECT_EQ(EditDistance("a", "abcdef", 2), 3U);
}

TEST(IngressAnnotationCatalogTest, NamesChecksAndSslPolicies) {
  EXPECT_EQ(AlbAnnotationCheckName("scheme"), "scheme");
  EXPECT_EQ(AlbAnnotationCheckName("actions.web"), "actions");
  EXPECT_EQ(AlbAnnotationCheckName("listener-attributes.HTTP-80"), "listener-attributes");
  EXPECT_EQ(AlbAnnotationCheckName("web-acl-id"), "waf-acl-id");
  EXPECT_TRUE(IsKnownAlbSuffix("conditions.web"));
  EXPECT_FALSE(IsKnownAlbSuffix("conditions."));
  EXPECT_TRUE(IsPredefinedSslPolicy("ELBSecurityPolicy-TLS13-1-2-2021-06"));
  EXPECT_FALSE(IsPredefinedSslPolicy("ELBSecurityPolicy-Custom"));
}

}  // namespace
}  // namespace albwebhook::rules
