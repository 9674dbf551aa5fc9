// Security posture (issue 6, item 6), beyond what server_integration_test.cpp already checks:
// each legacy protocol and each CBC/NULL/non-ECDHE suite refused one by one, the AEAD suites
// accepted; mTLS refusals that never reach a handler; nothing from object bodies, user names or
// keys in the binary's info logs; the metrics port serving nothing but metrics and health, with
// label sets that requests cannot grow.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "support/server_fixture.hpp"

namespace albwebhook::testing {
namespace {

using nlohmann::json;

struct Handshake {
  bool ok = false;
  std::string cipher;
  std::string version;
};

// One handshake with exactly these protocol versions and suites (client side).
Handshake TryHandshake(std::uint16_t port, const std::string& ca, int min_version, int max_version,
                       const std::string& tls12_ciphers, const std::string& tls13_suites = "") {
  Handshake out;
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_security_level(ctx, 0);  // let the client offer what a weak client would
  SSL_CTX_set_min_proto_version(ctx, min_version);
  SSL_CTX_set_max_proto_version(ctx, max_version);
  if (!tls12_ciphers.empty()) SSL_CTX_set_cipher_list(ctx, tls12_ciphers.c_str());
  if (!tls13_suites.empty()) SSL_CTX_set_ciphersuites(ctx, tls13_suites.c_str());
  SSL_CTX_load_verify_locations(ctx, ca.c_str(), nullptr);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  auto conn = RawConn::Dial(port, std::chrono::seconds(3));
  if (conn) {
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, conn->fd());
    SSL_set_tlsext_host_name(ssl, "localhost");
    if (SSL_connect(ssl) == 1) {
      out.ok = true;
      out.cipher = SSL_get_cipher_name(ssl);
      out.version = SSL_get_version(ssl);
      SSL_shutdown(ssl);
    }
    SSL_free(ssl);
  }
  ERR_clear_error();
  SSL_CTX_free(ctx);
  return out;
}

class SecurityTest : public LiveServerTest {};

TEST_F(SecurityTest, OnlyTls12And13WithAeadEcdheSuites) {
  Start();
  const auto port = server_->webhook_port();
  const std::string& ca = pki_.ca_cert;
  // Protocols below TLS 1.2, each alone, with every suite the client has.
  EXPECT_FALSE(TryHandshake(port, ca, SSL3_VERSION, SSL3_VERSION, "ALL:@SECLEVEL=0").ok);
  EXPECT_FALSE(TryHandshake(port, ca, TLS1_VERSION, TLS1_VERSION, "ALL:@SECLEVEL=0").ok);
  EXPECT_FALSE(TryHandshake(port, ca, TLS1_1_VERSION, TLS1_1_VERSION, "ALL:@SECLEVEL=0").ok);
  // TLS 1.2 suites that are not ECDHE + AEAD, each alone.
  for (const char* suite :
       {"ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-ECDSA-AES128-SHA256",
        "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA384",
        "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA", "DHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-NULL-SHA", "NULL-SHA256", "ECDHE-ECDSA-AES128-CCM8",
        "ECDHE-ECDSA-ARIA128-GCM-SHA256", "ECDHE-ECDSA-CAMELLIA128-SHA256"}) {
    const Handshake h = TryHandshake(port, ca, TLS1_2_VERSION, TLS1_2_VERSION, suite);
    EXPECT_FALSE(h.ok) << suite << " was accepted";
  }
  // The AEAD suites are accepted (the certificate is ECDSA).
  for (const char* suite : {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
                            "ECDHE-ECDSA-CHACHA20-POLY1305"}) {
    const Handshake h = TryHandshake(port, ca, TLS1_2_VERSION, TLS1_2_VERSION, suite);
    EXPECT_TRUE(h.ok) << suite;
    EXPECT_EQ(h.cipher, suite);
  }
  for (const char* suite :
       {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}) {
    const Handshake h = TryHandshake(port, ca, TLS1_3_VERSION, TLS1_3_VERSION, "", suite);
    EXPECT_TRUE(h.ok) << suite;
    EXPECT_EQ(h.version, "TLSv1.3");
  }
  // A client offering everything gets an AEAD suite.
  const Handshake any = TryHandshake(port, ca, TLS1_2_VERSION, TLS1_2_VERSION, "ALL:@SECLEVEL=0");
  EXPECT_TRUE(any.ok);
  EXPECT_TRUE(any.cipher.find("GCM") != std::string::npos ||
              any.cipher.find("CHACHA20") != std::string::npos)
      << any.cipher;
  ExpectStillServing();
}

TEST_F(SecurityTest, MutualTlsRefusalsNeverReachAHandler) {
  config_.client_ca_file = pki_.ca_cert;
  Start();
  const std::string request = PostBytes(kValidateIngressPath, IngressReviewJson("anon").dump());
  // A client that has no certificate, one that presents the server's own certificate (not for
  // client auth), and one from another CA: no answer, whatever the TLS version.
  const Pki other = MakePki(dir_ + "/other");
  struct Client {
    const char* name;
    std::string cert, key;
  };
  const std::vector<Client> refused = {{"no certificate", "", ""},
                                       {"server certificate", pki_.server_cert, pki_.server_key},
                                       {"other CA", other.client_cert, other.client_key}};
  for (const auto& c : refused) {
    for (const bool tls13 : {false, true}) {
      ClientContext ctx({pki_.ca_cert}, c.cert, c.key);
      SSL_CTX_set_max_proto_version(ctx.get(), tls13 ? TLS1_3_VERSION : TLS1_2_VERSION);
      auto conn = RawConn::Dial(server_->webhook_port(), std::chrono::seconds(3));
      ASSERT_NE(conn, nullptr);
      // TLS 1.2 fails in the handshake; TLS 1.3 may complete on the client side and then
      // receive the alert: the request is never answered either way.
      if (conn->StartTls(ctx).empty()) {
        conn->Write(request);
        EXPECT_FALSE(conn->ReadResponse().has_value())
            << c.name << (tls13 ? " TLS 1.3" : " TLS 1.2");
      }
    }
  }
  EXPECT_EQ(
      Metric(R"(alb_webhook_requests_total{code="200",webhook="/validate-networking-v1-ingress"})"),
      0);
  // The server counts a failed handshake when its side of it ends, which can be after the
  // client saw the alert: a bounded wait, not an immediate read.
  EXPECT_TRUE(WaitUntil([&] { return Metric("alb_webhook_tls_handshake_failures_total") >= 6; }))
      << Metric("alb_webhook_tls_handshake_failures_total");
  // The apiserver's certificate is served.
  ClientContext good({pki_.ca_cert}, pki_.client_cert, pki_.client_key);
  auto conn = RawConn::Dial(server_->webhook_port());
  ASSERT_EQ(conn->StartTls(good), "");
  ASSERT_TRUE(conn->Write(request));
  auto r = conn->ReadResponse();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
}

// Nothing from object bodies, user names or key files reaches the logs at info: the binary
// runs, its stderr is captured, and requests carrying a marker everywhere a user can put text
// (object, oldObject, user name, malformed JSON around the marker, a key file) are sent.
TEST(BinarySecurityTest, NoObjectBodiesUserNamesOrKeysInInfoLogs) {
  LiveBinary bin("albwebhook-logs",
                 {"--shutdown-grace", "50ms", "--threads", "1", "--log-level", "info"});
  ASSERT_NE(bin.server, nullptr);
  BinaryServer* server = bin.server.get();
  const std::string& log = bin.log;
  const std::uint16_t port = server->port();
  const std::string marker = "S3CR3T-MARKER";
  json object = AlbIngress("bad-" + marker);
  object["metadata"]["annotations"]["alb.ingress.kubernetes.io/auth-idp-oidc"] =
      R"({"issuer":"https://x","clientSecret":")" + marker + R"("})";
  object["metadata"]["labels"] = {{"k", marker}};
  object["spec"]["rules"] = json::array({{{"host", marker + ".example.com"}}});
  ReviewBuilder builder;
  builder.Uid("logged-uid").User("user-" + marker, {"g-" + marker}).Object(object);
  const json review = builder.Json();
  const json update = builder.Operation("UPDATE").OldObject(object).Json();
  std::string invalid_json = review.dump();  // a raw control character right after the marker
  invalid_json.replace(invalid_json.find("user-" + marker), 5 + marker.size(),
                       "user-" + marker + std::string(1, '\x01'));
  std::string unterminated = review.dump();
  unterminated.resize(unterminated.find(marker) + marker.size() + 3);
  json wrong_type = review;
  wrong_type["request"]["object"]["metadata"]["annotations"] = marker;
  // Identifiers of any length: the logged uid, name and namespace are cut (lines stay bounded).
  json long_ids = review;
  long_ids["request"]["uid"] = std::string(100000, 'u');
  long_ids["request"]["name"] = std::string(100000, 'n');
  long_ids["request"]["namespace"] = std::string(100000, 's');
  json secret_kind = review;  // a Secret sent to the wrong webhook
  secret_kind["request"]["kind"] = {{"group", ""}, {"version", "v1"}, {"kind", "Secret"}};
  secret_kind["request"]["object"] = {{"kind", "Secret"}, {"data", {{"password", marker}}}};
  std::string err;
  auto conn = RawConn::DialTls(port, ClientContext({bin.pki.ca_cert}), &err);
  ASSERT_EQ(err, "");
  int answered = 0;
  for (const auto& [target, body] :
       std::vector<std::pair<std::string, std::string>>{{kValidateIngressPath, review.dump()},
                                                        {kMutateIngressPath, review.dump()},
                                                        {kValidateIngressPath, update.dump()},
                                                        {kValidateIngressPath, invalid_json},
                                                        {kValidateIngressPath, unterminated},
                                                        {kValidateIngressPath, wrong_type.dump()},
                                                        {kValidateIngressPath, long_ids.dump()},
                                                        {kValidateIngressPath, secret_kind.dump()},
                                                        {kValidateTgbPath, secret_kind.dump()}}) {
    ASSERT_TRUE(conn->Write(PostBytes(target, body)));
    auto r = conn->ReadResponse();
    ASSERT_TRUE(r.has_value());
    ++answered;
  }
  // A key file carrying the marker: rejected on SIGHUP, and not echoed.
  WriteFile(bin.dir + "/tls.key",
            "-----BEGIN PRIVATE KEY-----\n" + marker + "\n-----END PRIVATE KEY-----\n");
  ASSERT_EQ(kill(server->pid(), SIGHUP), 0);
  ASSERT_TRUE(WaitUntil(
      [&] { return ReadFile(log).find("serving certificate rejected") != std::string::npos; }));
  EXPECT_EQ(server->Stop(SIGTERM), 0);
  const std::string text = ReadFile(log);
  EXPECT_EQ(answered, 9);
  EXPECT_NE(text.find("\"uid\":\"logged-uid\""), std::string::npos) << "requests are logged";
  EXPECT_EQ(text.find(marker), std::string::npos) << text;
  EXPECT_EQ(text.find("BEGIN PRIVATE KEY"), std::string::npos);
  // One line per request or event, each a JSON object of bounded size.
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    EXPECT_FALSE(json::parse(line, nullptr, false).is_discarded()) << line;
    EXPECT_LT(line.size(), 2048u) << line;
  }
}

TEST_F(SecurityTest, MetricsPortServesOnlyMetricsAndHealth) {
  Start();
  const auto mport = server_->metrics_port();
  for (const char* path :
       {"/", "/metrics/", "/metricsx", "/healthz/", "/debug/pprof/",
        "/validate-networking-v1-ingress", "/mutate-networking-v1-ingress",
        "/validate-elbv2-k8s-aws-v1beta1-targetgroupbinding", "/readyz/../metrics", "//metrics",
        "/%6detrics", "*", "/config", "/policy"}) {
    EXPECT_EQ(PlainRequest(mport, "GET", path).status, 404) << path;
    EXPECT_EQ(PlainRequest(mport, "POST", path).status, 404) << path;
  }
  for (const char* path : {"/metrics", "/healthz", "/readyz"}) {
    for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"}) {
      EXPECT_EQ(PlainRequest(mport, method, path).status, 405) << method << " " << path;
    }
    EXPECT_EQ(PlainRequest(mport, "GET", std::string(path) + "?x=1").status, 200) << path;
  }
  // An admission review posted to the metrics port is never evaluated.
  {
    auto c = RawConn::Dial(mport);
    ASSERT_TRUE(c->Write(PostBytes(kValidateIngressPath, IngressReviewJson("m").dump())));
    auto r = c->ReadResponse();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, 404);
  }
  // TLS to the plain port: closed. A huge header, a huge body, a malformed request: their
  // status, then a close; nothing served.
  {
    auto c = RawConn::Dial(mport, std::chrono::seconds(3));
    EXPECT_NE(c->StartTls(*ctx_), "");
  }
  const std::pair<std::string, int> refused[] = {
      {"GET /metrics HTTP/1.1\r\nX: " + std::string(64 * 1024, 'a') + "\r\n\r\n", 431},
      {"POST /metrics HTTP/1.1\r\nContent-Length: 1000000\r\n\r\n" + std::string(100000, 'a'), 413},
      {"GET /metrics HTTP/1.1\r\nHost : x\r\n\r\n", 400},
      {"GET /metrics HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
  };
  for (const auto& [request, status] : refused) {
    auto c = RawConn::Dial(mport, std::chrono::seconds(3));
    c->Write(request);
    auto r = c->ReadResponse();
    ASSERT_TRUE(r.has_value()) << status;
    EXPECT_EQ(r->status, status);
    EXPECT_FALSE(c->ReadResponse().has_value()) << status;  // then closed
  }
  EXPECT_EQ(
      Metric(R"(alb_webhook_requests_total{code="200",webhook="/validate-networking-v1-ingress"})"),
      0);
}

// Requests cannot add series: paths, content types, uids and methods from the wire never become
// label values (a cardinality attack would grow the scrape and the server's memory).
TEST_F(SecurityTest, RequestsCannotGrowTheMetricLabelSets) {
  Start();
  ExpectStillServing("warm");
  auto series = [&] {
    const std::string scrape = Scrape();
    std::size_t lines = 0;
    for (std::size_t i = 0; i < scrape.size(); ++i) lines += scrape[i] == '\n' ? 1 : 0;
    return std::pair{lines, scrape};
  };
  const auto [before, before_text] = series();
  auto c = Open();
  for (int i = 0; i < 100; ++i) {
    const std::string n = std::to_string(i);
    c->Write(PostBytes("/validate-" + n, "{}"));
    ASSERT_TRUE(c->ReadResponse().has_value());  // 404 closes the connection
    c = Open();
    json review = IngressReviewJson("uid-label-" + n);
    review["request"]["kind"]["kind"] = "Kind" + n;
    c->Write(PostBytes(kValidateIngressPath, review.dump()));
    ASSERT_TRUE(c->ReadResponse().has_value());
  }
  const auto [after, after_text] = series();
  EXPECT_EQ(after, before);
  EXPECT_EQ(after_text.find("uid-label-"), std::string::npos);
  EXPECT_EQ(after_text.find("Kind1"), std::string::npos);
  EXPECT_EQ(after_text.find("/validate-1"), std::string::npos);
}

}  // namespace
}  // namespace albwebhook::testing
