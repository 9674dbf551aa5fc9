#pragma once

// The servers the integration suites run: the in-process server (LiveServerTest: real TLS on
// 127.0.0.1 with port 0, timeouts shrunk through the ServeConfig) and the alb-webhook binary
// in a child process (LiveBinary).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "albwebhook/app/app.hpp"
#include "support/raw_client.hpp"
#include "support/review_builder.hpp"
#include "support/test_pki.hpp"

namespace albwebhook::testing {

using namespace std::chrono_literals;

inline constexpr const char* kValidateIngressPath = "/validate-networking-v1-ingress";
inline constexpr const char* kMutateIngressPath = "/mutate-networking-v1-ingress";
inline constexpr const char* kValidateTgbPath =
    "/validate-elbv2-k8s-aws-v1beta1-targetgroupbinding";

/// Polls `pred` every 5 ms until true or `limit` passes (bounded; no fixed sleeps).
template <typename Pred>
bool WaitUntil(Pred pred, std::chrono::milliseconds limit = 5000ms) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return pred();
}

// A valid review padded (in request.options, which no rule reads) to exactly `size` bytes.
inline std::string ReviewOfExactSize(const std::string& uid, std::size_t size) {
  nlohmann::json review = IngressReviewJson(uid);
  review["request"]["options"] = {{"pad", ""}};
  const std::size_t base = review.dump().size();
  review["request"]["options"]["pad"] = std::string(size - base, 'p');
  std::string body = review.dump();
  EXPECT_EQ(body.size(), size);
  return body;
}

/// Value of the sample `series` (name plus labels as rendered) in a scrape; -1 when absent.
inline double SampleValue(const std::string& scrape, const std::string& series) {
  const auto pos = scrape.find("\n" + series + " ");
  if (pos == std::string::npos) return -1;
  return std::stod(scrape.substr(pos + series.size() + 2));
}

class LiveServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("albwebhook-live");
    pki_ = MakePki(dir_ + "/pki");
    config_.listen = "127.0.0.1:0";
    config_.metrics_listen = "127.0.0.1:0";
    config_.cert_file = dir_ + "/serving/tls.crt";
    config_.key_file = dir_ + "/serving/tls.key";
    std::filesystem::create_directories(dir_ + "/serving");
    InstallServingPair(pki_.server_cert, pki_.server_key);
    config_.threads = 2;
    config_.shutdown_grace = 50ms;
    config_.shutdown_margin = 2000ms;
    config_.reload_interval = 3600s;  // tests call Reload() unless they test the poll
  }

  void TearDown() override {
    Stop();
    std::filesystem::remove_all(dir_);
  }

  void InstallServingPair(const std::string& cert, const std::string& key) {
    WriteFile(config_.cert_file, ReadFile(cert));
    WriteFile(config_.key_file, ReadFile(key));
  }

  void Start() {
    auto created = app::App::Create(config_);
    ASSERT_TRUE(created.has_value()) << created.error().message;
    server_ = std::move(*created);
    thread_ = std::thread([this] { server_->Run(); });
    ASSERT_TRUE(WaitUntil([&] { return Ready(); }));
    ctx_ = std::make_unique<ClientContext>(std::vector<std::string>{pki_.ca_cert});
  }

  void Stop() {
    if (thread_.joinable()) {
      server_->Shutdown();
      thread_.join();
    }
  }

  bool Ready() {
    try {
      return PlainRequest(server_->metrics_port(), "GET", "/readyz").status == 200;
    } catch (...) {
      return false;
    }
  }

  std::string Scrape() { return PlainRequest(server_->metrics_port(), "GET", "/metrics").body; }
  double Metric(const std::string& series) { return SampleValue(Scrape(), series); }

  /// A TLS connection through the shared client context; fails the test when it cannot.
  std::unique_ptr<RawConn> Open(std::chrono::milliseconds io_timeout = 10s) {
    return Open(*ctx_, io_timeout);
  }
  std::unique_ptr<RawConn> Open(const ClientContext& ctx,
                                std::chrono::milliseconds io_timeout = 10s) {
    std::string err;
    auto c = RawConn::DialTls(server_->webhook_port(), ctx, &err, io_timeout);
    EXPECT_EQ(err, "");
    return c;
  }

  /// The handshake error of a new connection with these client settings ("" when it succeeds).
  std::string HandshakeError(const TlsOptions& options) {
    std::string err;
    RawConn::DialTls(server_->webhook_port(), ClientContext(options), &err);
    return err;
  }

  /// A fresh connection, one valid request: the server still serves (status 200, uid echoed).
  void ExpectStillServing(const std::string& uid = "still-serving") {
    auto c = Open();
    ASSERT_NE(c, nullptr);
    ASSERT_TRUE(c->Write(PostBytes(kValidateIngressPath, IngressReviewJson(uid).dump())));
    auto r = c->ReadResponse();
    ASSERT_TRUE(r.has_value()) << "no answer to a normal request";
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(nlohmann::json::parse(r->body)["response"]["uid"], uid);
  }

  std::string dir_;
  Pki pki_;
  app::ServeConfig config_;
  std::unique_ptr<app::App> server_;
  std::thread thread_;
  std::unique_ptr<ClientContext> ctx_;
};

#ifdef ALBWEBHOOK_BINARY
/// The alb-webhook binary serving with a fresh PKI from a temporary directory (`--cert-dir`
/// first, then `args`), its log in dir/log.txt. `server` is nullptr when it did not start;
/// the directory goes with the object.
struct LiveBinary {
  LiveBinary(const std::string& name, std::vector<std::string> args)
      : dir(MakeTempDir(name)), pki(MakePki(dir)), log(dir + "/log.txt") {
    args.insert(args.begin(), {"--cert-dir", dir});
    server = BinaryServer::Start(ALBWEBHOOK_BINARY, args, log);
  }
  ~LiveBinary() {
    server.reset();
    std::filesystem::remove_all(dir);
  }
  LiveBinary(const LiveBinary&) = delete;
  LiveBinary& operator=(const LiveBinary&) = delete;

  std::string dir;
  Pki pki;
  std::string log;
  std::unique_ptr<BinaryServer> server;
};
#endif

}  // namespace albwebhook::testing
