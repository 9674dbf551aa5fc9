#pragma once

// The in-process server fixture shared by the hostile-input and fault integration suites (the
// same pattern as ServerTest in server_integration_test.cpp): real TLS on 127.0.0.1 with port
// 0, timeouts shrunk through the ServeConfig.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "albwebhook/app/app.hpp"
#include "support/raw_client.hpp"
#include "support/test_pki.hpp"
#include "support/tls_client.hpp"

namespace albwebhook::testing {

using namespace std::chrono_literals;

inline constexpr const char* kValidateIngressPath = "/validate-networking-v1-ingress";
inline constexpr const char* kMutateIngressPath = "/mutate-networking-v1-ingress";
inline constexpr const char* kValidateTgbPath =
    "/validate-elbv2-k8s-aws-v1beta1-targetgroupbinding";

/// An AdmissionReview (v1, CREATE) of an Ingress of class alb with the given scheme.
inline nlohmann::json IngressReviewJson(const std::string& uid,
                                        const std::string& scheme = "internal",
                                        const std::string& ns = "team-a") {
  using nlohmann::json;
  json object = {{"apiVersion", "networking.k8s.io/v1"},
                 {"kind", "Ingress"},
                 {"metadata",
                  {{"name", "web"},
                   {"namespace", ns},
                   {"annotations", {{"alb.ingress.kubernetes.io/scheme", scheme}}}}},
                 {"spec", {{"ingressClassName", "alb"}, {"rules", json::array()}}}};
  return {{"apiVersion", "admission.k8s.io/v1"},
          {"kind", "AdmissionReview"},
          {"request",
           {{"uid", uid},
            {"kind", {{"group", "networking.k8s.io"}, {"version", "v1"}, {"kind", "Ingress"}}},
            {"resource",
             {{"group", "networking.k8s.io"}, {"version", "v1"}, {"resource", "ingresses"}}},
            {"name", "web"},
            {"namespace", ns},
            {"operation", "CREATE"},
            {"userInfo", {{"username", "alice"}}},
            {"object", object},
            {"oldObject", nullptr},
            {"dryRun", false}}}};
}

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

/// Value of the sample `series` (name plus labels as rendered) in a scrape; -1 when absent.
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
    auto c = RawConn::Dial(server_->webhook_port(), io_timeout);
    EXPECT_NE(c, nullptr) << "connect refused";
    if (!c) return nullptr;
    const std::string err = c->StartTls(*ctx_);
    EXPECT_EQ(err, "");
    if (!err.empty()) return nullptr;
    return c;
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

}  // namespace albwebhook::testing
