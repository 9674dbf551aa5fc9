// Faults under load (issue 6, item 4): a bounded load generator (keep-alive TLS clients on
// loopback, a few seconds at most) runs while certificates rotate or break, the policy is
// rewritten good/bad/good, and the server shuts down. Each test counts requests and failures.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/server_fixture.hpp"

namespace albwebhook::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

long long Ms(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

// Every answer must be a 200 AdmissionReview echoing the uid (all load requests use "load").
std::string ExpectAllowed(const RawResponse& r) {
  if (r.status != 200) return "status " + std::to_string(r.status) + ": " + r.body;
  const json answer = json::parse(r.body, nullptr, false);
  if (answer.is_discarded() || answer["response"]["uid"] != "load") return "bad answer: " + r.body;
  return "";
}

// Load of one allowed Ingress review (uid "load"), every answer checked by ExpectAllowed.
LoadOptions Load(std::uint16_t port, const ClientContext& ctx, int threads = 4) {
  LoadOptions o;
  o.port = port;
  o.ctx = &ctx;
  o.threads = threads;
  o.target = kValidateIngressPath;
  const std::string body = IngressReviewJson("load").dump();
  o.body = [body](int, long) { return body; };
  o.check = ExpectAllowed;
  return o;
}

// Load through a shutdown: long-lived connections; a refused connect is counted, not a failure.
LoadOptions ShutdownLoad(std::uint16_t port, const ClientContext& ctx, int threads) {
  LoadOptions o = Load(port, ctx, threads);
  o.requests_per_connection = 1000;
  o.tolerate_refused_connections = true;
  o.io_timeout = 3s;
  return o;
}

class FaultsTest : public LiveServerTest {
 protected:
  // Fingerprint a new connection sees ("" when it cannot connect).
  std::string ServedFingerprint(const ClientContext& ctx) {
    std::string err;
    auto c = RawConn::DialTls(server_->webhook_port(), ctx, &err, 2s);
    return c ? c->PeerFingerprint() : "";
  }
};

TEST_F(FaultsTest, CertificateRotatedEveryHalfSecondUnderLoad) {
  config_.reload_interval = 100ms;
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 6; ++i) pairs.push_back(IssueServerPair(pki_, "rot" + std::to_string(i)));
  Start();
  LoadOptions o = Load(server_->webhook_port(), *ctx_);
  o.requests_per_connection = 10;  // many handshakes, so new connections meet every pair
  LoadGenerator load(o);
  load.Start();
  long long worst_ms = 0;
  for (const auto& [cert, key] : pairs) {
    const auto t0 = Clock::now();
    InstallServingPair(cert, key);
    const std::string want = CertFingerprintOfFile(cert);
    // Served within the reload interval plus scheduling slack (1 s, for sanitizer builds on a
    // busy CI machine; natively it is about 100 ms, printed below).
    ASSERT_TRUE(WaitUntil([&] { return ServedFingerprint(*ctx_) == want; }, 1000ms))
        << "rotation not served within 1 s";
    worst_ms = std::max(worst_ms, Ms(Clock::now() - t0));
    std::this_thread::sleep_until(t0 + 500ms);  // the rotation cadence
  }
  load.Stop();
  std::printf(
      "certificate rotation x%zu: %ld requests, %ld connections, %zu failures, new pair "
      "served after at most %lld ms\n",
      pairs.size(), load.ok(), load.connects(), load.failures().size(), worst_ms);
  EXPECT_TRUE(load.failures().empty()) << load.FailureSummary();
  // Thresholds a sanitizer or valgrind build still meets: the load ran through every rotation.
  EXPECT_GT(load.ok(), 50);
  EXPECT_GT(load.connects(), static_cast<long>(pairs.size()));
  EXPECT_GE(Metric(R"(alb_webhook_certificate_reloads_total{result="success"})"), 1 + pairs.size());
}

TEST_F(FaultsTest, BrokenCertificateMidRunOldOneKeepsServing) {
  config_.reload_interval = 50ms;
  // Named members, not a structured binding: clang 14 cannot capture a binding in a lambda.
  const auto next = IssueServerPair(pki_, "next");
  const std::string next_cert = next.first;
  const std::string next_key = next.second;
  Start();
  const std::string original = CertFingerprintOfFile(pki_.server_cert);
  LoadOptions o = Load(server_->webhook_port(), *ctx_);
  o.requests_per_connection = 10;
  LoadGenerator load(o);
  load.Start();
  ASSERT_TRUE(WaitUntil([&] { return load.ok() > 50; }));
  // Garbage certificate: rejected, the old pair keeps serving new connections.
  WriteFile(config_.cert_file, "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
  ASSERT_TRUE(WaitUntil(
      [&] { return Metric(R"(alb_webhook_certificate_reloads_total{result="failure"})") == 1; }));
  long at = load.ok();
  ASSERT_TRUE(WaitUntil([&] { return load.ok() > at + 50; }));
  EXPECT_EQ(ServedFingerprint(*ctx_), original);
  // Half a rotation (new certificate, old key, as when the two files are written one by one):
  // rejected too; then the key arrives and the new pair is served.
  WriteFile(config_.cert_file, ReadFile(next_cert));
  ASSERT_TRUE(WaitUntil(
      [&] { return Metric(R"(alb_webhook_certificate_reloads_total{result="failure"})") == 2; }));
  at = load.ok();
  ASSERT_TRUE(WaitUntil([&] { return load.ok() > at + 50; }));
  EXPECT_EQ(ServedFingerprint(*ctx_), original);
  WriteFile(config_.key_file, ReadFile(next_key));
  EXPECT_TRUE(
      WaitUntil([&] { return ServedFingerprint(*ctx_) == CertFingerprintOfFile(next_cert); }));
  at = load.ok();
  ASSERT_TRUE(WaitUntil([&] { return load.ok() > at + 50; }));
  load.Stop();
  std::printf("broken certificate: %ld requests, %ld connections, %zu failures\n", load.ok(),
              load.connects(), load.failures().size());
  EXPECT_TRUE(load.failures().empty()) << load.FailureSummary();
  EXPECT_EQ(PlainRequest(server_->metrics_port(), "GET", "/readyz").status, 200);
}

// Two policies that answer the same Ingress differently (A denies with two violations, B
// allows with two warnings): a request that saw half of each would get one violation and one
// warning. Every answer must equal A's or B's, whatever bad files come in between.
TEST_F(FaultsTest, PolicyRewrittenGoodBadGoodUnderLoadAlwaysWhole) {
  const std::string policy_a =
      "ingress:\n  rules:\n    internetFacing: {mode: deny}\n"
      "    requiredTags: {mode: deny, keys: [team]}\n";
  const std::string policy_b =
      "ingress:\n  rules:\n    internetFacing: {mode: warn}\n"
      "    requiredTags: {mode: warn, keys: [owner]}\n";
  const std::vector<std::string> bad = {"ingress: [\n", "ingress: {rules: {nope: 1}}\n",
                                        "ingress: {rules: {internetFacing: {mode: maybe}}}\n",
                                        "targetGroupBinding: 42\n"};
  config_.policy_file = dir_ + "/policy.yaml";
  config_.reload_interval = 20ms;
  WriteFile(config_.policy_file, policy_a);
  Start();
  const std::string body = IngressReviewJson("load", "internet-facing").dump();
  auto answer = [&]() {
    auto c = Open();
    EXPECT_TRUE(c->Write(PostBytes(kValidateIngressPath, body)));
    auto r = c->ReadResponse();
    EXPECT_TRUE(r.has_value());
    return json::parse(r->body)["response"];
  };
  auto successes = [&] { return Metric(R"(alb_webhook_policy_reloads_total{result="success"})"); };
  auto failures = [&] { return Metric(R"(alb_webhook_policy_reloads_total{result="failure"})"); };
  const json ref_a = answer();
  WriteFile(config_.policy_file, policy_b);
  ASSERT_TRUE(WaitUntil([&] { return successes() == 2; }));
  const json ref_b = answer();
  ASSERT_EQ(ref_a["allowed"], false) << ref_a;
  ASSERT_EQ(ref_b["allowed"], true) << ref_b;
  ASSERT_EQ(ref_b["warnings"].size(), 2u) << ref_b;

  std::atomic<long> saw_a{0}, saw_b{0};
  LoadOptions o = Load(server_->webhook_port(), *ctx_);
  o.body = [body](int, long) { return body; };
  o.check = [&](const RawResponse& r) -> std::string {
    if (r.status != 200) return "status " + std::to_string(r.status);
    const json got = json::parse(r.body)["response"];
    if (got == ref_a) {
      ++saw_a;
    } else if (got == ref_b) {
      ++saw_b;
    } else {
      return "an answer from neither policy: " + got.dump();
    }
    return "";
  };
  LoadGenerator load(o);
  load.Start();
  double want_success = 2;
  double want_failure = 0;
  for (int cycle = 0; cycle < 4; ++cycle) {
    for (const std::string* good : {&policy_a, &policy_b}) {
      WriteFile(config_.policy_file, bad[static_cast<std::size_t>(cycle) % bad.size()]);
      ++want_failure;
      ASSERT_TRUE(WaitUntil([&] { return failures() == want_failure; })) << failures();
      long at = load.ok();
      ASSERT_TRUE(WaitUntil([&] { return load.ok() > at + 30; }));
      WriteFile(config_.policy_file, *good);
      ++want_success;
      ASSERT_TRUE(WaitUntil([&] { return successes() == want_success; })) << successes();
      at = load.ok();
      ASSERT_TRUE(WaitUntil([&] { return load.ok() > at + 30; }));
    }
  }
  load.Stop();
  std::printf(
      "policy good/bad/good x8: %ld requests (%ld saw A, %ld saw B), %zu failures, %.0f "
      "good and %.0f bad reloads\n",
      load.ok(), saw_a.load(), saw_b.load(), load.failures().size(), want_success, want_failure);
  EXPECT_TRUE(load.failures().empty()) << load.FailureSummary();
  EXPECT_GT(saw_a.load(), 100);
  EXPECT_GT(saw_b.load(), 100);
}

// Watches the listener: the first moment a connect is refused (the drain's end).
class ListenerWatch {
 public:
  explicit ListenerWatch(std::uint16_t port) {
    thread_ = std::thread([this, port] {
      while (!stop_.load()) {
        if (RawConn::Dial(port, 1s) == nullptr) {
          closed_at_ = Clock::now();
          closed_ = true;
          return;
        }
        std::this_thread::sleep_for(1ms);
      }
    });
  }
  ~ListenerWatch() {
    stop_ = true;
    thread_.join();
  }
  bool closed() const { return closed_.load(); }
  Clock::time_point closed_at() const { return closed_at_; }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<bool> closed_{false};
  Clock::time_point closed_at_{};
  std::thread thread_;
};

// Shutdown (the SIGTERM path) under load. The contract, precisely: every request whose last
// byte the client wrote on an established connection before the listener closed (the end of
// the grace period) is answered with a 200; during the grace period new connections are still
// accepted and answers carry Connection: close; a request written after the listener closed
// may find its connection closed (the client sees EOF: the apiserver is no longer sending to a
// pod that has left the Endpoints by then). Run() returns within grace + margin.
TEST_F(FaultsTest, ShutdownUnderLoadAnswersEveryRequestSentBeforeTheListenerClosed) {
  config_.shutdown_grace = 500ms;
  config_.shutdown_margin = 2000ms;
  Start();
  LoadGenerator load(ShutdownLoad(server_->webhook_port(), *ctx_, 6));
  load.Start();
  ASSERT_TRUE(WaitUntil([&] { return load.ok() > 300; }));
  const long before = load.ok();
  ListenerWatch watch(server_->webhook_port());
  const auto t_shutdown = Clock::now();
  server_->Shutdown();
  thread_.join();
  const auto t_returned = Clock::now();
  server_.reset();  // closes what is left, as the process exit would
  load.Stop();
  ASSERT_TRUE(watch.closed());
  long lost_before_close = 0;
  std::string first_lost;
  for (const auto& f : load.failures()) {
    if (f.sent < watch.closed_at()) {
      if (lost_before_close++ == 0) first_lost = f.what;
    }
  }
  std::printf(
      "shutdown under load: %ld requests before, %ld during the drain, %zu failures "
      "(%ld sent before the listener closed), listener closed after %lld ms, Run() "
      "returned after %lld ms\n",
      before, load.ok() - before, load.failures().size(), lost_before_close,
      Ms(watch.closed_at() - t_shutdown), Ms(t_returned - t_shutdown));
  EXPECT_EQ(lost_before_close, 0) << first_lost;
  EXPECT_GT(load.ok() - before, 0);
  EXPECT_GT(load.last_ok(), t_shutdown + config_.shutdown_grace / 2)
      << "the server stopped serving during the grace period";
  EXPECT_GE(t_returned - t_shutdown, config_.shutdown_grace);
  EXPECT_LT(t_returned - t_shutdown, config_.shutdown_grace + config_.shutdown_margin + 500ms);
}

// The same with the real binary and SIGTERM: exit 0 within the grace period plus the margin.
TEST(BinaryFaultsTest, SigtermUnderLoadAnswersEverySentRequestAndExitsZero) {
  LiveBinary bin("albwebhook-sigterm", {"--shutdown-grace", "400ms", "--threads", "2"});
  ASSERT_NE(bin.server, nullptr);
  BinaryServer* server = bin.server.get();
  const std::uint16_t port = server->port();
  ClientContext ctx({bin.pki.ca_cert});
  LoadGenerator load(ShutdownLoad(port, ctx, 4));
  load.Start();
  ASSERT_TRUE(WaitUntil([&] { return load.ok() > 200; }));
  const long before = load.ok();
  ListenerWatch watch(port);
  const auto t_kill = Clock::now();
  ASSERT_EQ(kill(server->pid(), SIGTERM), 0);
  int status = 0;
  ASSERT_TRUE(WaitUntil([&] { return server->Exited(&status); }, 5000ms));
  const auto exited = Clock::now();
  load.Stop();
  ASSERT_TRUE(watch.closed());
  long lost_before_close = 0;
  for (const auto& f : load.failures()) lost_before_close += f.sent < watch.closed_at() ? 1 : 0;
  std::printf(
      "binary SIGTERM under load: %ld requests before, %ld after SIGTERM, %zu failures "
      "(%ld sent before the listener closed), exit after %lld ms\n",
      before, load.ok() - before, load.failures().size(), lost_before_close, Ms(exited - t_kill));
  EXPECT_EQ(lost_before_close, 0) << load.FailureSummary();
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_LT(exited - t_kill, 400ms + 3000ms + 500ms);
}

}  // namespace
}  // namespace albwebhook::testing
