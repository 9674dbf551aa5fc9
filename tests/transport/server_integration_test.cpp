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
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "albwebhook/app/app.hpp"
#include "albwebhook/transport/server.hpp"
#include "support/server_fixture.hpp"

namespace albwebhook::testing {
namespace {

using nlohmann::json;
using Server = app::App;
using namespace std::chrono_literals;

constexpr const char* kValidateIngress = kValidateIngressPath;
constexpr const char* kMutateIngress = kMutateIngressPath;

std::string IngressReview(const std::string& api_version, const std::string& uid,
                          const std::string& scheme, const std::string& ingress_class = "alb") {
  return ReviewBuilder()
      .ApiVersion(api_version)
      .Uid(uid)
      .Object(AlbIngress(scheme, "team-a", ingress_class))
      .Body();
}

// The status of an allowed Ingress review (uid `uid`) posted on `c`.
int PostAllowed(RawConn& c, const std::string& uid) {
  return c.Post(kValidateIngress, IngressReview("admission.k8s.io/v1", uid, "internal")).status;
}

class ServerTest : public LiveServerTest {
 protected:
  void InstallServingPair(const Pki& pki) {
    LiveServerTest::InstallServingPair(pki.server_cert, pki.server_key);
  }

  // A client of this PKI's CA: its connection, or nullptr and the handshake error in *error.
  std::unique_ptr<RawConn> ConnectTrusting(const Pki& pki, std::string* error) {
    return RawConn::DialTls(server_->webhook_port(), ClientContext({pki.ca_cert}), error);
  }

  TlsOptions ClientOptions(const Pki& pki) {
    TlsOptions o;
    o.ca_files = {pki.ca_cert};
    return o;
  }

  // The next answer on `c` (status 0, and a failure, when none comes).
  static RawResponse Answer(RawConn& c) {
    auto r = c.ReadResponse();
    if (!r) {
      ADD_FAILURE() << "no answer";
      return {};
    }
    return *r;
  }
};

TEST_F(ServerTest, AnswersV1AndV1beta1OnOneKeepAliveConnection) {
  Start();
  auto client = Open();
  EXPECT_EQ(client->NegotiatedAlpn(), "http/1.1");
  auto r1 = client->Post(std::string(kValidateIngress) + "?timeout=10s",
                         IngressReview("admission.k8s.io/v1", "uid-1", "internal"));
  EXPECT_EQ(r1.status, 200);
  EXPECT_FALSE(r1.close);
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
      SampleValue(
          scrape,
          R"(alb_webhook_requests_total{code="200",webhook="/validate-networking-v1-ingress"})"),
      2);
  EXPECT_EQ(
      SampleValue(
          scrape,
          R"(alb_webhook_requests_total{code="403",webhook="/validate-networking-v1-ingress"})"),
      1);
  EXPECT_EQ(SampleValue(scrape, "alb_webhook_connections_open"), 1);
}

TEST_F(ServerTest, MutatingAnswerCarriesPatch) {
  config_.policy_file = dir_ + "/policy.yaml";
  WriteFile(config_.policy_file, "ingress: {defaults: {migrateClassAnnotation: true}}\n");
  Start();
  auto client = Open();
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
  auto c1 = Open();
  EXPECT_EQ(c1->Post("/validate-v1-pod", "{}").status, 404);
  auto c2 = Open();
  ASSERT_TRUE(c2->Write("GET /validate-networking-v1-ingress HTTP/1.1\r\nHost: localhost\r\n\r\n"));
  auto r = Answer(*c2);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers["allow"], "POST");
}

TEST_F(ServerTest, MalformedBodyGets400ReviewAndServerKeepsServing) {
  Start();
  auto client = Open();
  auto r = client->Post(kValidateIngress, "{not json");
  EXPECT_EQ(r.status, 400);
  const json review = json::parse(r.body);
  EXPECT_EQ(review["kind"], "AdmissionReview");
  EXPECT_EQ(review["response"]["status"]["code"], 400);
  auto again = Open();
  EXPECT_EQ(PostAllowed(*again, "u"), 200);
}

TEST_F(ServerTest, BodyOverLimitAnswered413WithoutReadingIt) {
  Start();
  auto client = Open();
  // Only the header is sent: the 413 proves the server did not wait to buffer 8 MiB.
  ASSERT_TRUE(client->Write(PostHead(kValidateIngress, "Content-Length: 8388608\r\n")));
  auto r = Answer(*client);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(json::parse(r.body)["response"]["status"]["code"], 413);
  EXPECT_TRUE(r.close);
  // A chunked body that grows past the limit is cut off too.
  auto chunked = Open();
  ASSERT_TRUE(chunked->Write(PostHead(kValidateIngress, "Transfer-Encoding: chunked\r\n")));
  const std::string chunk(1024 * 1024, 'x');
  char size_line[32];
  std::snprintf(size_line, sizeof(size_line), "%zx\r\n", chunk.size());
  bool answered = false;
  for (int i = 0; i < 9 && !answered; ++i) {
    // A failed write: the server answered and closed while we were still sending.
    answered = !chunked->Write(size_line + chunk + "\r\n");
  }
  auto r2 = Answer(*chunked);
  EXPECT_EQ(r2.status, 413);
  EXPECT_EQ(
      SampleValue(
          Scrape(),
          R"(alb_webhook_requests_total{code="413",webhook="/validate-networking-v1-ingress"})"),
      2);
}

TEST_F(ServerTest, BodyJustUnderLimitIsAccepted) {
  config_.max_body_bytes = 64 * 1024;
  Start();
  auto client = Open();
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
  auto client = Open();
  ASSERT_TRUE(client->Write("POST /validate-networking-v1-ingress HTTP/1.1\r\nHost: loc"));
  // The server closes the connection once the header timeout passes (the read would fail with
  // a timeout after 10 s otherwise).
  EXPECT_TRUE(client->ReadsEof());
}

TEST_F(ServerTest, IdleKeepAliveConnectionClosedAfterIdleTimeout) {
  config_.idle_timeout = 200ms;
  Start();
  auto client = Open();
  EXPECT_EQ(PostAllowed(*client, "u"), 200);
  EXPECT_TRUE(client->ReadsEof());
}

TEST_F(ServerTest, CallerTimeoutIsHonoured) {
  config_.body_timeout = 60s;
  Start();
  auto client = Open(10s);
  ASSERT_NE(client, nullptr);
  // The caller will wait 1s (Go duration); the body never completes. The server must give up at
  // the caller's deadline, not at its own 60 s body timeout: the read would time out after 10 s.
  ASSERT_TRUE(client->Write(
      PostHead(std::string(kValidateIngress) + "?timeout=1s", "Content-Length: 100\r\n") + "{"));
  EXPECT_TRUE(client->ReadsEof());
}

TEST_F(ServerTest, CertificateHotReloadKeepsOpenConnections) {
  Start();
  auto old_conn = Open();
  EXPECT_EQ(old_conn->PeerFingerprint(), CertFingerprintOfFile(pki_.server_cert));
  EXPECT_EQ(PostAllowed(*old_conn, "a"), 200);

  const Pki next = MakePki(dir_ + "/pki2");
  InstallServingPair(next);
  server_->Reload();  // what SIGHUP does
  ASSERT_TRUE(WaitUntil([&] {
    std::string err;
    auto c = ConnectTrusting(next, &err);
    return c && c->PeerFingerprint() == CertFingerprintOfFile(next.server_cert);
  }));
  // The connection opened before the rotation still works.
  EXPECT_EQ(PostAllowed(*old_conn, "b"), 200);
  const std::string scrape = Scrape();
  EXPECT_EQ(SampleValue(scrape, R"(alb_webhook_certificate_reloads_total{result="success"})"), 2);
  EXPECT_GT(SampleValue(scrape, "alb_webhook_certificate_expiry_timestamp_seconds"), 1.7e9);
}

TEST_F(ServerTest, CertificatePollPicksUpRotationWithoutSignal) {
  config_.reload_interval = 50ms;
  Start();
  const Pki next = MakePki(dir_ + "/pki2");
  InstallServingPair(next);
  EXPECT_TRUE(WaitUntil([&] {
    std::string err;
    return ConnectTrusting(next, &err) != nullptr;
  }));
}

TEST_F(ServerTest, BrokenOrMismatchedPairIsRejectedOldOneKeepsServing) {
  Start();
  const Pki other = MakePki(dir_ + "/pki2");
  // Mismatched: new certificate with the old key.
  WriteFile(config_.cert_file, ReadFile(other.server_cert));
  server_->Reload();
  ASSERT_TRUE(WaitUntil(
      [&] { return Metric(R"(alb_webhook_certificate_reloads_total{result="failure"})") == 1; }));
  auto c = Open();
  EXPECT_EQ(c->PeerFingerprint(), CertFingerprintOfFile(pki_.server_cert));
  // Garbage.
  WriteFile(config_.cert_file, "not a certificate");
  server_->Reload();
  ASSERT_TRUE(WaitUntil(
      [&] { return Metric(R"(alb_webhook_certificate_reloads_total{result="failure"})") == 2; }));
  auto c2 = Open();
  EXPECT_EQ(PostAllowed(*c2, "x"), 200);
  EXPECT_EQ(PlainRequest(server_->metrics_port(), "GET", "/readyz").status, 200);
}

TEST_F(ServerTest, MutualTlsRequiresClientCertificate) {
  config_.client_ca_file = pki_.ca_cert;
  Start();
  const std::string review = IngressReview("admission.k8s.io/v1", "u", "internal");
  std::string err;
  // Without a client certificate: refused (TLS 1.3 reports it at the first read).
  if (auto anonymous = ConnectTrusting(pki_, &err)) {
    EXPECT_ANY_THROW(anonymous->Post(kValidateIngress, review));
  }
  // With one signed by the CA: served.
  auto authenticated = Open(ClientContext({pki_.ca_cert}, pki_.client_cert, pki_.client_key));
  ASSERT_NE(authenticated, nullptr);
  EXPECT_EQ(authenticated->Post(kValidateIngress, review).status, 200);
  // Signed by another CA: refused.
  const Pki other = MakePki(dir_ + "/other");
  const ClientContext stranger({pki_.ca_cert}, other.client_cert, other.client_key);
  if (auto c = RawConn::DialTls(server_->webhook_port(), stranger, &err)) {
    EXPECT_ANY_THROW(c->Post(kValidateIngress, review));
  }
}

TEST_F(ServerTest, WithoutClientCaAnonymousClientsAreServed) {
  Start();
  auto client = Open();
  EXPECT_EQ(PostAllowed(*client, "u"), 200);
}

TEST_F(ServerTest, RefusesOldTlsCbcSuitesAndH2OnlyAlpn) {
  Start();
  TlsOptions tls11 = ClientOptions(pki_);
  tls11.min_version = TLS1_VERSION;
  tls11.max_version = TLS1_1_VERSION;
  tls11.tls12_ciphers = "DEFAULT:@SECLEVEL=0";
  EXPECT_NE(HandshakeError(tls11), "");
  TlsOptions cbc = ClientOptions(pki_);
  cbc.max_version = TLS1_2_VERSION;
  cbc.tls12_ciphers = "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA";
  EXPECT_NE(HandshakeError(cbc), "");
  TlsOptions h2 = ClientOptions(pki_);
  h2.alpn = {"h2"};
  EXPECT_NE(HandshakeError(h2), "");
  TlsOptions tls12 = ClientOptions(pki_);
  tls12.max_version = TLS1_2_VERSION;
  EXPECT_EQ(HandshakeError(tls12), "");
  EXPECT_GE(Metric("alb_webhook_tls_handshake_failures_total"), 3);
}

TEST_F(ServerTest, PolicyReloadGoodThenBad) {
  config_.policy_file = dir_ + "/policy.yaml";
  WriteFile(config_.policy_file, "ingress: {classNames: [alb]}\n");
  Start();
  auto client = Open();
  const std::string bad_scheme = IngressReview("admission.k8s.io/v1", "p", "public");
  auto allowed = [&] {
    return json::parse(client->Post(kValidateIngress, bad_scheme).body)["response"]["allowed"];
  };
  // Rewrites the policy and reloads until the reload `result` has been counted `count` times.
  auto reload = [&](const std::string& policy, const std::string& result, double count) {
    WriteFile(config_.policy_file, policy);
    server_->Reload();
    return WaitUntil([&] {
      return Metric(R"(alb_webhook_policy_reloads_total{result=")" + result + R"("})") == count;
    });
  };
  EXPECT_EQ(allowed(), false);
  // Good reload: class "alb" is no longer ours, so the same Ingress is allowed untouched.
  ASSERT_TRUE(reload("ingress: {classNames: [other]}\n", "success", 2));
  EXPECT_EQ(allowed(), true);
  // Bad reload: kept the last good policy, counted.
  ASSERT_TRUE(reload("ingress: {classNames: [alb], nope: 1}\n", "failure", 1));
  EXPECT_EQ(allowed(), true);
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
  auto client = Open();
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
  auto idle = Open();
  EXPECT_EQ(PostAllowed(*idle, "0"), 200);
  auto client = Open();
  const std::string body = IngressReview("admission.k8s.io/v1", "inflight", "internal");
  const std::string request = PostBytes(kValidateIngress, body);
  ASSERT_TRUE(client->Write(request.substr(0, request.size() - body.size() + 10)));
  server_->Shutdown();
  ASSERT_TRUE(WaitUntil(
      [&] { return PlainRequest(server_->metrics_port(), "GET", "/readyz").status == 503; }));
  ASSERT_TRUE(client->Write(body.substr(10)));
  auto r = Answer(*client);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.close);
  EXPECT_EQ(r.headers["connection"], "close");
  EXPECT_EQ(json::parse(r.body)["response"]["uid"], "inflight");
  // A pooled idle connection gets its next answer with Connection: close too.
  auto r2 = idle->Post(kValidateIngress, IngressReview("admission.k8s.io/v1", "1", "internal"));
  EXPECT_EQ(r2.status, 200);
  EXPECT_TRUE(r2.close);
  thread_.join();  // Run() returns once the grace period is over
}

TEST(BinaryTest, SigtermDrainsAndExitsZero) {
  LiveBinary bin("albwebhook-bin", {"--shutdown-grace", "200ms", "--threads", "2"});
  ASSERT_NE(bin.server, nullptr);
  std::string err;
  auto client = RawConn::DialTls(bin.server->port(), ClientContext({bin.pki.ca_cert}), &err);
  ASSERT_EQ(err, "");
  EXPECT_EQ(PostAllowed(*client, "bin"), 200);
  ASSERT_EQ(kill(bin.server->pid(), SIGTERM), 0);
  EXPECT_TRUE(WaitUntil(
      [&] { return PlainRequest(bin.server->metrics_port(), "GET", "/readyz").status == 503; }));
  int status = 0;
  ASSERT_TRUE(WaitUntil([&] { return bin.server->Exited(&status); }, 5000ms));
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  const std::string text = ReadFile(bin.log);
  EXPECT_NE(text.find("\"uid\":\"bin\""), std::string::npos);
  EXPECT_EQ(text.find("alice"), std::string::npos) << "no request bodies or users in info logs";
}

// Context switches (voluntary and not) of each thread of process `pid`, by thread id.
std::map<std::string, long> SwitchesByThread(pid_t pid) {
  std::map<std::string, long> out;
  const std::string dir = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream status(entry.path() / "status");
    long total = 0;
    for (std::string line; std::getline(status, line);) {
      if (line.find("ctxt_switches:") != std::string::npos) {
        total += std::stol(line.substr(line.find(':') + 1));
      }
    }
    out[entry.path().filename().string()] = total;
  }
  return out;
}

// The thread whose switches grew by at least `at_least` between two readings; "" when none did.
// Also the largest growth of every other thread.
std::pair<std::string, long> BusyThread(const std::map<std::string, long>& before,
                                        const std::map<std::string, long>& after, long at_least,
                                        long* others_max) {
  std::string busy;
  *others_max = 0;
  long busiest = 0;
  for (const auto& [tid, count] : after) {
    auto it = before.find(tid);
    const long grown = count - (it == before.end() ? 0 : it->second);
    if (grown >= at_least && grown > busiest) {
      if (!busy.empty()) *others_max = std::max(*others_max, busiest);
      busy = tid;
      busiest = grown;
    } else {
      *others_max = std::max(*others_max, grown);
    }
  }
  return {busy, busiest};
}

// --threads N runs one event loop per thread: a connection's requests are all served by one
// thread (one wake-up per request, no hand-off to a second thread), and a new connection goes to
// the loop serving the fewest.
TEST(BinaryTest, EachConnectionIsServedByOneWorkerThreadAndConnectionsAreSpread) {
  LiveBinary bin("albwebhook-loops", {"--threads", "2"});
  ASSERT_NE(bin.server, nullptr);
  const ClientContext ctx({bin.pki.ca_cert});
  std::string err;
  constexpr int kRequests = 300;
  std::string first_thread;
  std::unique_ptr<RawConn> first;  // stays open while the second connection is served
  for (int conn = 0; conn < 2; ++conn) {
    auto client = RawConn::DialTls(bin.server->port(), ctx, &err);
    ASSERT_EQ(err, "");
    ASSERT_EQ(PostAllowed(*client, "warm"), 200);  // the handshake and the first request
    const auto before = SwitchesByThread(bin.server->pid());
    for (int i = 0; i < kRequests; ++i) ASSERT_EQ(PostAllowed(*client, std::to_string(i)), 200);
    const auto after = SwitchesByThread(bin.server->pid());
    long others = 0;
    const auto [busy, grown] = BusyThread(before, after, kRequests * 8 / 10, &others);
    ASSERT_NE(busy, "") << "connection " << conn << ": no thread woke once per request";
    EXPECT_LE(grown, kRequests * 2) << "connection " << conn;
    EXPECT_LE(others, kRequests / 4) << "connection " << conn << ": another thread took part";
    if (conn == 0) {
      first_thread = busy;
      first = std::move(client);
    } else {
      EXPECT_NE(busy, first_thread) << "the second connection went to the busy loop";
    }
  }
}

}  // namespace
}  // namespace albwebhook::testing
