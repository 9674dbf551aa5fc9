// Integration tests: the real server, real TLS, on 127.0.0.1 with port 0. Timeouts are shrunk
// through ServerConfig instead of sleeping on real time.
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "albwebhook/app/app.hpp"
#include "albwebhook/transport/server.hpp"
#include "support/test_pki.hpp"
#include "support/tls_client.hpp"

namespace albwebhook::testing {
namespace {

using nlohmann::json;
using Server = app::App;
using ServerConfig = app::ServeConfig;
using namespace std::chrono_literals;

constexpr const char* kValidateIngress = "/validate-networking-v1-ingress";
constexpr const char* kMutateIngress = "/mutate-networking-v1-ingress";

std::string IngressReview(const std::string& api_version, const std::string& uid,
                          const std::string& scheme, const std::string& ingress_class = "alb") {
  json object = {{"apiVersion", "networking.k8s.io/v1"},
                 {"kind", "Ingress"},
                 {"metadata",
                  {{"name", "web"},
                   {"namespace", "team-a"},
                   {"annotations", {{"alb.ingress.kubernetes.io/scheme", scheme}}}}},
                 {"spec", {{"ingressClassName", ingress_class}, {"rules", json::array()}}}};
  json review = {
      {"apiVersion", api_version},
      {"kind", "AdmissionReview"},
      {"request",
       {{"uid", uid},
        {"kind", {{"group", "networking.k8s.io"}, {"version", "v1"}, {"kind", "Ingress"}}},
        {"resource",
         {{"group", "networking.k8s.io"}, {"version", "v1"}, {"resource", "ingresses"}}},
        {"name", "web"},
        {"namespace", "team-a"},
        {"operation", "CREATE"},
        {"userInfo", {{"username", "alice"}}},
        {"object", object},
        {"oldObject", nullptr},
        {"dryRun", false}}}};
  return review.dump();
}

// Polls `pred` every 5 ms until true or `limit` passes (bounded; no fixed sleeps).
template <typename Pred>
bool Eventually(Pred pred, std::chrono::milliseconds limit = 5000ms) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return pred();
}

// Value of a metric sample line `name{labels} value` in a scrape ("" labels = no braces).
double MetricValue(const std::string& scrape, const std::string& series) {
  const auto pos = scrape.find("\n" + series + " ");
  if (pos == std::string::npos) return -1;
  return std::stod(scrape.substr(pos + series.size() + 2));
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("albwebhook-it");
    pki_ = MakePki(dir_ + "/pki");
    config_.listen = "127.0.0.1:0";
    config_.metrics_listen = "127.0.0.1:0";
    config_.cert_file = dir_ + "/serving/tls.crt";
    config_.key_file = dir_ + "/serving/tls.key";
    std::filesystem::create_directories(dir_ + "/serving");
    InstallServingPair(pki_);
    config_.threads = 2;
    config_.shutdown_grace = 50ms;
    config_.shutdown_margin = 2000ms;
    config_.reload_interval = 3600s;  // tests call Reload() unless they test the poll
  }

  void TearDown() override {
    Stop();
    std::filesystem::remove_all(dir_);
  }

  void InstallServingPair(const Pki& pki) {
    WriteFile(config_.cert_file, ReadFile(pki.server_cert));
    WriteFile(config_.key_file, ReadFile(pki.server_key));
  }

  void Start() {
    auto created = Server::Create(config_);
    ASSERT_TRUE(created.has_value()) << created.error().message;
    server_ = std::move(*created);
    thread_ = std::thread([this] { server_->Run(); });
    ASSERT_TRUE(Eventually([&] { return Metrics(); }));
  }

  void Stop() {
    if (thread_.joinable()) {
      server_->Shutdown();
      thread_.join();
    }
  }

  bool Metrics() {
    try {
      return PlainRequest(server_->metrics_port(), "GET", "/readyz").status == 200;
    } catch (...) {
      return false;
    }
  }

  std::string Scrape() { return PlainRequest(server_->metrics_port(), "GET", "/metrics").body; }

  TlsClientOptions ClientOptions(const Pki& pki) {
    TlsClientOptions o;
    o.ca_file = pki.ca_cert;
    return o;
  }

  std::unique_ptr<TlsClient> Connected(const Pki& pki) {
    auto c = std::make_unique<TlsClient>(ClientOptions(pki));
    const auto err = c->Connect(server_->webhook_port());
    EXPECT_EQ(err, "");
    return c;
  }

  std::string dir_;
  Pki pki_;
  ServerConfig config_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

TEST_F(ServerTest, AnswersV1AndV1beta1OnOneKeepAliveConnection) {
  Start();
  auto client = Connected(pki_);
  EXPECT_EQ(client->NegotiatedAlpn(), "http/1.1");
  auto r1 = client->Post(std::string(kValidateIngress) + "?timeout=10s",
                         IngressReview("admission.k8s.io/v1", "uid-1", "internal"));
  EXPECT_EQ(r1.status, 200);
  EXPECT_TRUE(r1.keep_alive);
  EXPECT_EQ(r1.headers["content-type"], "application/json");
  EXPECT_EQ(
      json::parse(r1.body),
      json::parse(
          R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"uid-1","allowed":true}})"));
  // Same connection, v1beta1.
  auto r2 = client->Post(kValidateIngress,
                         IngressReview("admission.k8s.io/v1beta1", "uid-2", "internal"));
  EXPECT_EQ(r2.status, 200);
  EXPECT_EQ(
      json::parse(r2.body),
      json::parse(
          R"({"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","response":{"uid":"uid-2","allowed":true}})"));
  // A denial on the same connection still.
  auto r3 = client->Post(kValidateIngress, IngressReview("admission.k8s.io/v1", "uid-3", "public"));
  EXPECT_EQ(r3.status, 200);
  const json denied = json::parse(r3.body)["response"];
  EXPECT_EQ(denied["uid"], "uid-3");
  EXPECT_EQ(denied["allowed"], false);
  EXPECT_EQ(denied["status"]["code"], 403);
  EXPECT_NE(denied["status"]["message"].get<std::string>().find("alb.ingress.kubernetes.io/scheme"),
            std::string::npos);
  const std::string scrape = Scrape();
  EXPECT_EQ(
      MetricValue(
          scrape,
          R"(alb_webhook_requests_total{code="200",webhook="/validate-networking-v1-ingress"})"),
      2);
  EXPECT_EQ(
      MetricValue(
          scrape,
          R"(alb_webhook_requests_total{code="403",webhook="/validate-networking-v1-ingress"})"),
      1);
  EXPECT_EQ(MetricValue(scrape, "alb_webhook_connections_open"), 1);
}

TEST_F(ServerTest, MutatingAnswerCarriesPatch) {
  Start();
  auto client = Connected(pki_);
  json review = json::parse(IngressReview("admission.k8s.io/v1", "uid-m", "internal"));
  auto& obj = review["request"]["object"];
  obj["spec"].erase("ingressClassName");
  obj["metadata"]["annotations"]["kubernetes.io/ingress.class"] = "alb";
  auto r = client->Post(kMutateIngress, review.dump());
  ASSERT_EQ(r.status, 200);
  const json resp = json::parse(r.body)["response"];
  EXPECT_EQ(resp["allowed"], true);
  EXPECT_EQ(resp["patchType"], "JSONPatch");
  EXPECT_TRUE(resp["patch"].is_string());
}

TEST_F(ServerTest, UnknownPath404WrongMethod405) {
  Start();
  auto c1 = Connected(pki_);
  EXPECT_EQ(c1->Post("/validate-v1-pod", "{}").status, 404);
  auto c2 = Connected(pki_);
  c2->SendRaw("GET /validate-networking-v1-ingress HTTP/1.1\r\nHost: localhost\r\n\r\n");
  auto r = c2->ReadResponse();
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers["allow"], "POST");
}

TEST_F(ServerTest, MalformedBodyGets400ReviewAndServerKeepsServing) {
  Start();
  auto client = Connected(pki_);
  auto r = client->Post(kValidateIngress, "{not json");
  EXPECT_EQ(r.status, 400);
  const json review = json::parse(r.body);
  EXPECT_EQ(review["kind"], "AdmissionReview");
  EXPECT_EQ(review["response"]["status"]["code"], 400);
  auto again = Connected(pki_);
  EXPECT_EQ(
      again->Post(kValidateIngress, IngressReview("admission.k8s.io/v1", "u", "internal")).status,
      200);
}

TEST_F(ServerTest, BodyOverLimitAnswered413WithoutReadingIt) {
  Start();
  auto client = Connected(pki_);
  // Only the header is sent: the 413 proves the server did not wait to buffer 8 MiB.
  client->SendRaw(
      "POST /validate-networking-v1-ingress HTTP/1.1\r\nHost: localhost\r\n"
      "Content-Type: application/json\r\nContent-Length: 8388608\r\n\r\n");
  auto r = client->ReadResponse();
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(json::parse(r.body)["response"]["status"]["code"], 413);
  EXPECT_FALSE(r.keep_alive);
  // A chunked body that grows past the limit is cut off too.
  auto chunked = Connected(pki_);
  chunked->SendRaw(
      "POST /validate-networking-v1-ingress HTTP/1.1\r\nHost: localhost\r\n"
      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
  const std::string chunk(1024 * 1024, 'x');
  char size_line[32];
  std::snprintf(size_line, sizeof(size_line), "%zx\r\n", chunk.size());
  bool answered = false;
  for (int i = 0; i < 9 && !answered; ++i) {
    try {
      chunked->SendRaw(size_line + chunk + "\r\n");
    } catch (const std::exception&) {
      answered = true;  // the server answered and closed while we were still sending
    }
  }
  auto r2 = chunked->ReadResponse();
  EXPECT_EQ(r2.status, 413);
  EXPECT_EQ(
      MetricValue(
          Scrape(),
          R"(alb_webhook_requests_total{code="413",webhook="/validate-networking-v1-ingress"})"),
      2);
}

TEST_F(ServerTest, BodyJustUnderLimitIsAccepted) {
  config_.max_body_bytes = 64 * 1024;
  Start();
  auto client = Connected(pki_);
  json review = json::parse(IngressReview("admission.k8s.io/v1", "big", "internal"));
  std::string body = review.dump();
  review["request"]["object"]["metadata"]["labels"]["pad"] =
      std::string(config_.max_body_bytes - body.size() - 20, 'p');
  body = review.dump();
  ASSERT_LE(body.size(), config_.max_body_bytes);
  EXPECT_EQ(client->Post(kValidateIngress, body).status, 200);
}

TEST_F(ServerTest, SlowHeaderTimesOut) {
  config_.header_timeout = 200ms;
  Start();
  auto client = Connected(pki_);
  client->SendRaw("POST /validate-networking-v1-ingress HTTP/1.1\r\nHost: loc");
  // The server closes the connection once the header timeout passes (the read would fail with
  // a timeout after 10 s otherwise).
  EXPECT_TRUE(client->ReadsEof());
}

TEST_F(ServerTest, IdleKeepAliveConnectionClosedAfterIdleTimeout) {
  config_.idle_timeout = 200ms;
  Start();
  auto client = Connected(pki_);
  EXPECT_EQ(
      client->Post(kValidateIngress, IngressReview("admission.k8s.io/v1", "u", "internal")).status,
      200);
  EXPECT_TRUE(client->ReadsEof());
}

TEST_F(ServerTest, CallerTimeoutIsHonoured) {
  config_.body_timeout = 60s;
  Start();
  TlsClientOptions o = ClientOptions(pki_);
  o.io_timeout = 10s;
  TlsClient client(o);
  ASSERT_EQ(client.Connect(server_->webhook_port()), "");
  // The caller will wait 1s (Go duration); the body never completes. The server must give up at
  // the caller's deadline, not at its own 60 s body timeout: the read would time out after 10 s.
  client.SendRaw(
      "POST /validate-networking-v1-ingress?timeout=1s HTTP/1.1\r\nHost: localhost\r\n"
      "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
  EXPECT_TRUE(client.ReadsEof());
}

TEST_F(ServerTest, CertificateHotReloadKeepsOpenConnections) {
  Start();
  auto old_conn = Connected(pki_);
  EXPECT_EQ(old_conn->PeerFingerprint(), CertFingerprintOfFile(pki_.server_cert));
  EXPECT_EQ(old_conn->Post(kValidateIngress, IngressReview("admission.k8s.io/v1", "a", "internal"))
                .status,
            200);

  const Pki next = MakePki(dir_ + "/pki2");
  InstallServingPair(next);
  server_->Reload();  // what SIGHUP does
  ASSERT_TRUE(Eventually([&] {
    TlsClient c(ClientOptions(next));
    return c.Connect(server_->webhook_port()).empty() &&
           c.PeerFingerprint() == CertFingerprintOfFile(next.server_cert);
  }));
  // The connection opened before the rotation still works.
  EXPECT_EQ(old_conn->Post(kValidateIngress, IngressReview("admission.k8s.io/v1", "b", "internal"))
                .status,
            200);
  const std::string scrape = Scrape();
  EXPECT_EQ(MetricValue(scrape, R"(alb_webhook_certificate_reloads_total{result="success"})"), 2);
  EXPECT_GT(MetricValue(scrape, "alb_webhook_certificate_expiry_timestamp_seconds"), 1.7e9);
}

TEST_F(ServerTest, CertificatePollPicksUpRotationWithoutSignal) {
  config_.reload_interval = 50ms;
  Start();
  const Pki next = MakePki(dir_ + "/pki2");
  InstallServingPair(next);
  EXPECT_TRUE(Eventually([&] {
    TlsClient c(ClientOptions(next));
    return c.Connect(server_->webhook_port()).empty();
  }));
}

TEST_F(ServerTest, BrokenOrMismatchedPairIsRejectedOldOneKeepsServing) {
  Start();
  const Pki other = MakePki(dir_ + "/pki2");
  // Mismatched: new certificate with the old key.
  WriteFile(config_.cert_file, ReadFile(other.server_cert));
  server_->Reload();
  ASSERT_TRUE(Eventually([&] {
    return MetricValue(Scrape(), R"(alb_webhook_certificate_reloads_total{result="failure"})") == 1;
  }));
  auto c = Connected(pki_);
  EXPECT_EQ(c->PeerFingerprint(), CertFingerprintOfFile(pki_.server_cert));
  // Garbage.
  WriteFile(config_.cert_file, "not a certificate");
  server_->Reload();
  ASSERT_TRUE(Eventually([&] {
    return MetricValue(Scrape(), R"(alb_webhook_certificate_reloads_total{result="failure"})") == 2;
  }));
  auto c2 = Connected(pki_);
  EXPECT_EQ(
      c2->Post(kValidateIngress, IngressReview("admission.k8s.io/v1", "x", "internal")).status,
      200);
  EXPECT_EQ(PlainRequest(server_->metrics_port(), "GET", "/readyz").status, 200);
}

TEST_F(ServerTest, MutualTlsRequiresClientCertificate) {
  config_.client_ca_file = pki_.ca_cert;
  Start();
  // Without a client certificate: refused (TLS 1.3 reports it at the first read).
  TlsClient anonymous(ClientOptions(pki_));
  const std::string err = anonymous.Connect(server_->webhook_port());
  if (err.empty()) {
    EXPECT_ANY_THROW(
        anonymous.Post(kValidateIngress, IngressReview("admission.k8s.io/v1", "u", "internal")));
  }
  // With one signed by the CA: served.
  TlsClientOptions o = ClientOptions(pki_);
  o.client_cert = pki_.client_cert;
  o.client_key = pki_.client_key;
  TlsClient authenticated(o);
  ASSERT_EQ(authenticated.Connect(server_->webhook_port()), "");
  EXPECT_EQ(
      authenticated.Post(kValidateIngress, IngressReview("admission.k8s.io/v1", "u", "internal"))
          .status,
      200);
  // Signed by another CA: refused.
  const Pki other = MakePki(dir_ + "/other");
  TlsClientOptions bad = ClientOptions(pki_);
  bad.client_cert = other.client_cert;
  bad.client_key = other.client_key;
  TlsClient stranger(bad);
  if (stranger.Connect(server_->webhook_port()).empty()) {
    EXPECT_ANY_THROW(
        stranger.Post(kValidateIngress, IngressReview("admission.k8s.io/v1", "u", "internal")));
  }
}

TEST_F(ServerTest, WithoutClientCaAnonymousClientsAreServed) {
  Start();
  auto client = Connected(pki_);
  EXPECT_EQ(
      client->Post(kValidateIngress, IngressReview("admission.k8s.io/v1", "u", "internal")).status,
      200);
}

TEST_F(ServerTest, RefusesOldTlsCbcSuitesAndH2OnlyAlpn) {
  Start();
  TlsClientOptions tls11 = ClientOptions(pki_);
  tls11.min_version = TLS1_VERSION;
  tls11.max_version = TLS1_1_VERSION;
  tls11.tls12_ciphers = "DEFAULT:@SECLEVEL=0";
  EXPECT_NE(TlsClient(tls11).Connect(server_->webhook_port()), "");
  TlsClientOptions cbc = ClientOptions(pki_);
  cbc.max_version = TLS1_2_VERSION;
  cbc.tls12_ciphers = "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA";
  EXPECT_NE(TlsClient(cbc).Connect(server_->webhook_port()), "");
  TlsClientOptions h2 = ClientOptions(pki_);
  h2.alpn = {"h2"};
  EXPECT_NE(TlsClient(h2).Connect(server_->webhook_port()), "");
  TlsClientOptions tls12 = ClientOptions(pki_);
  tls12.max_version = TLS1_2_VERSION;
  TlsClient ok(tls12);
  EXPECT_EQ(ok.Connect(server_->webhook_port()), "");
  EXPECT_GE(MetricValue(Scrape(), "alb_webhook_tls_handshake_failures_total"), 3);
}

TEST_F(ServerTest, PolicyReloadGoodThenBad) {
  config_.policy_file = dir_ + "/policy.yaml";
  WriteFile(config_.policy_file, "ingress: {classNames: [alb]}\n");
  Start();
  auto client = Connected(pki_);
  const std::string bad_scheme = IngressReview("admission.k8s.io/v1", "p", "public");
  EXPECT_EQ(json::parse(client->Post(kValidateIngress, bad_scheme).body)["response"]["allowed"],
            false);
  // Good reload: class "alb" is no longer ours, so the same Ingress is allowed untouched.
  WriteFile(config_.policy_file, "ingress: {classNames: [other]}\n");
  server_->Reload();
  ASSERT_TRUE(Eventually([&] {
    return MetricValue(Scrape(), R"(alb_webhook_policy_reloads_total{result="success"})") == 2;
  }));
  EXPECT_EQ(json::parse(client->Post(kValidateIngress, bad_scheme).body)["response"]["allowed"],
            true);
  // Bad reload: kept the last good policy, counted.
  WriteFile(config_.policy_file, "ingress: {classNames: [alb], nope: 1}\n");
  server_->Reload();
  ASSERT_TRUE(Eventually([&] {
    return MetricValue(Scrape(), R"(alb_webhook_policy_reloads_total{result="failure"})") == 1;
  }));
  EXPECT_EQ(json::parse(client->Post(kValidateIngress, bad_scheme).body)["response"]["allowed"],
            true);
}

TEST_F(ServerTest, BadPolicyAtStartupIsAnError) {
  config_.policy_file = dir_ + "/policy.yaml";
  WriteFile(config_.policy_file, "ingress: {rules: {wafRequired: {mode: maybe}}}\n");
  auto created = Server::Create(config_);
  ASSERT_FALSE(created.has_value());
  EXPECT_NE(created.error().message.find(
                "ingress.rules.wafRequired.mode: expected one of deny, warn, off"),
            std::string::npos);
}

TEST_F(ServerTest, MetricsEndpointServesOnlyMetricsAndHealth) {
  Start();
  auto client = Connected(pki_);
  client->Post(kValidateIngress, IngressReview("admission.k8s.io/v1", "u", "internal"));
  const auto metrics = PlainRequest(server_->metrics_port(), "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  for (const char* name :
       {"alb_webhook_requests_total", "alb_webhook_request_duration_seconds_bucket",
        "alb_webhook_requests_in_flight", "alb_webhook_tls_handshake_failures_total",
        "alb_webhook_certificate_expiry_timestamp_seconds", "alb_webhook_certificate_reloads_total",
        "alb_webhook_policy_reloads_total",
        "alb_webhook_policy_last_reload_success_timestamp_seconds", "alb_webhook_build_info",
        "alb_webhook_validation_failures_total"}) {
    EXPECT_NE(metrics.body.find(name), std::string::npos) << name;
  }
  EXPECT_NE(
      metrics.body.find(
          R"(alb_webhook_request_duration_seconds_bucket{webhook="/validate-networking-v1-ingress",le="0.0001"})"),
      std::string::npos);
  EXPECT_EQ(PlainRequest(server_->metrics_port(), "GET", "/healthz").status, 200);
  EXPECT_EQ(PlainRequest(server_->metrics_port(), "GET", "/readyz").status, 200);
  EXPECT_EQ(PlainRequest(server_->metrics_port(), "GET", "/validate-networking-v1-ingress").status,
            404);
  EXPECT_EQ(PlainRequest(server_->metrics_port(), "POST", "/metrics").status, 405);
  // The exposition passes promtool (the prometheus package is installed by make deps).
  const std::string file = dir_ + "/scrape.txt";
  WriteFile(file, metrics.body);
  EXPECT_EQ(RunCommand("promtool check metrics < '" + file + "'"), 0);
}

TEST_F(ServerTest, DrainAnswersInFlightRequestWithConnectionClose) {
  config_.shutdown_grace = 300ms;
  Start();
  auto idle = Connected(pki_);
  EXPECT_EQ(
      idle->Post(kValidateIngress, IngressReview("admission.k8s.io/v1", "0", "internal")).status,
      200);
  auto client = Connected(pki_);
  const std::string body = IngressReview("admission.k8s.io/v1", "inflight", "internal");
  client->SendRaw(
      "POST /validate-networking-v1-ingress HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
      "application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10));
  server_->Shutdown();
  ASSERT_TRUE(Eventually(
      [&] { return PlainRequest(server_->metrics_port(), "GET", "/readyz").status == 503; }));
  client->SendRaw(body.substr(10));
  auto r = client->ReadResponse();
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.keep_alive);
  EXPECT_EQ(r.headers["connection"], "close");
  EXPECT_EQ(json::parse(r.body)["response"]["uid"], "inflight");
  // A pooled idle connection gets its next answer with Connection: close too.
  auto r2 = idle->Post(kValidateIngress, IngressReview("admission.k8s.io/v1", "1", "internal"));
  EXPECT_EQ(r2.status, 200);
  EXPECT_FALSE(r2.keep_alive);
  thread_.join();  // Run() returns once the grace period is over
}

TEST(BinaryTest, SigtermDrainsAndExitsZero) {
  const std::string dir = MakeTempDir("albwebhook-bin");
  const Pki pki = MakePki(dir);
  const std::string log = dir + "/log.txt";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    FILE* f = std::freopen(log.c_str(), "w", stderr);
    (void)f;
    execl(ALBWEBHOOK_BINARY, ALBWEBHOOK_BINARY, "serve", "--listen", "127.0.0.1:0",
          "--metrics-listen", "127.0.0.1:0", "--cert-dir", dir.c_str(), "--shutdown-grace", "200ms",
          "--threads", "2", static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait for the "serving" line with the chosen ports.
  std::uint16_t port = 0;
  std::uint16_t metrics_port = 0;
  ASSERT_TRUE(Eventually([&] {
    const std::string text = ReadFile(log);
    const auto pos = text.find("\"msg\":\"serving\"");
    if (pos == std::string::npos) return false;
    const json line = json::parse(text.substr(
        text.rfind('\n', pos) == std::string::npos ? 0 : text.rfind('\n', pos) + 1,
        text.find('\n', pos) -
            (text.rfind('\n', pos) == std::string::npos ? 0 : text.rfind('\n', pos) + 1)));
    port = line["webhook_port"].get<std::uint16_t>();
    metrics_port = line["metrics_port"].get<std::uint16_t>();
    return true;
  }));
  TlsClientOptions o;
  o.ca_file = pki.ca_cert;
  TlsClient client(o);
  ASSERT_EQ(client.Connect(port), "");
  EXPECT_EQ(
      client.Post(kValidateIngress, IngressReview("admission.k8s.io/v1", "bin", "internal")).status,
      200);
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  EXPECT_TRUE(
      Eventually([&] { return PlainRequest(metrics_port, "GET", "/readyz").status == 503; }));
  int status = 0;
  ASSERT_TRUE(Eventually([&] { return waitpid(pid, &status, WNOHANG) == pid; }, 5000ms));
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  const std::string text = ReadFile(log);
  EXPECT_NE(text.find("\"uid\":\"bin\""), std::string::npos);
  EXPECT_EQ(text.find("alice"), std::string::npos) << "no request bodies or users in info logs";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace albwebhook::testing
