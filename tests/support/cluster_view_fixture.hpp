#pragma once

// The real server with the cluster view on, pointed at a fake API server (real TLS both ways),
// with short backoffs and grace periods so that tests converge quickly.
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "support/fake_apiserver.hpp"
#include "support/server_fixture.hpp"

namespace albwebhook::testing {

class ClusterViewServerTest : public LiveServerTest {
 protected:
  void SetUp() override {
    LiveServerTest::SetUp();
    FakeApiServerOptions o;
    o.cert_file = pki_.server_cert;
    o.key_file = pki_.server_key;
    o.bookmark_interval = std::chrono::milliseconds(100);
    api_ = std::make_unique<FakeApiServer>(o);
    config_.kubeconfig = api_->WriteKubeconfig(dir_, pki_.ca_cert);
    config_.view.backoff_base = std::chrono::milliseconds(10);
    config_.view.backoff_cap = std::chrono::milliseconds(100);
    config_.view.broken_grace = std::chrono::milliseconds(300);
    config_.view.publish_interval = std::chrono::milliseconds(1);
    config_.cluster_sync_timeout = std::chrono::milliseconds(10000);
  }
  void TearDown() override {
    Stop();
    api_.reset();
    LiveServerTest::TearDown();
  }

  /// The AdmissionReview response to `body` posted to `path`; null when there is none.
  nlohmann::json Post(const char* path, const std::string& body) {
    auto c = Open();
    EXPECT_NE(c, nullptr);
    if (!c) return nlohmann::json();
    EXPECT_TRUE(c->Write(PostBytes(path, body)));
    auto r = c->ReadResponse();
    EXPECT_TRUE(r.has_value());
    return r ? nlohmann::json::parse(r->body)["response"] : nlohmann::json();
  }

  std::unique_ptr<FakeApiServer> api_;
};

}  // namespace albwebhook::testing
