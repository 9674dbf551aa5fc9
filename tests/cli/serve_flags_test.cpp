// `alb-webhook serve` flags (PRODUCT.md "CLI flags", plus --max-connections and
// --max-buffered-body-bytes): defaults, both --flag=value and --flag value, and exact errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "albwebhook/cli/cli.hpp"

namespace albwebhook::cli {
namespace {

Result<app::ServeConfig> Parse(const std::vector<std::string>& args,
                                      std::string* level = nullptr) {
  std::string ignored;
  bool help = false;
  return ParseServeFlags(args, level != nullptr ? level : &ignored, &help);
}

std::string ErrorOf(const std::vector<std::string>& args) {
  auto r = Parse(args);
  EXPECT_FALSE(r) << "accepted";
  return r ? "" : r.error().message;
}

TEST(ServeFlagsTest, DefaultsArePRODUCTs) {
  std::string level;
  auto c = Parse({}, &level);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->listen, "0.0.0.0:9443");
  EXPECT_EQ(c->metrics_listen, "0.0.0.0:8080");
  EXPECT_EQ(c->cert_file, "/tmp/k8s-webhook-server/serving-certs/tls.crt");
  EXPECT_EQ(c->key_file, "/tmp/k8s-webhook-server/serving-certs/tls.key");
  EXPECT_EQ(c->policy_file, "");
  EXPECT_EQ(c->shutdown_grace, std::chrono::milliseconds(15000));
  EXPECT_EQ(c->max_connections, 4096u);
  EXPECT_EQ(c->max_buffered_body_bytes, 64u * 1024 * 1024);
  EXPECT_EQ(level, "info");
  EXPECT_TRUE(c->handle_signals);
}

TEST(ServeFlagsTest, ValuesInBothForms) {
  std::string level;
  auto c = Parse({"--listen=127.0.0.1:0", "--cert-dir", "/certs", "--threads=3",
                  "--max-connections", "10", "--max-buffered-body-bytes=16777216",
                  "--shutdown-grace", "500ms", "--log-level=warn", "--tls-key-file", "/k.pem"},
                 &level);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->listen, "127.0.0.1:0");
  EXPECT_EQ(c->cert_file, "/certs/tls.crt");
  EXPECT_EQ(c->key_file, "/k.pem");
  EXPECT_EQ(c->threads, 3);
  EXPECT_EQ(c->max_connections, 10u);
  EXPECT_EQ(c->max_buffered_body_bytes, 16u * 1024 * 1024);
  EXPECT_EQ(c->shutdown_grace, std::chrono::milliseconds(500));
  EXPECT_EQ(level, "warn");
}

TEST(ServeFlagsTest, BodyBudgetHoldsAtLeastOneLargestBody) {
  auto c = Parse({"--max-buffered-body-bytes", "7340032"});  // exactly 7 MiB
  ASSERT_TRUE(c);
  EXPECT_EQ(c->max_buffered_body_bytes, 7340032u);
  const std::string want =
      "--max-buffered-body-bytes: expected an integer from 7340032 to 1099511627776";
  EXPECT_EQ(ErrorOf({"--max-buffered-body-bytes", "7340031"}), want);
  EXPECT_EQ(ErrorOf({"--max-buffered-body-bytes", "64MiB"}), want);
  EXPECT_EQ(ErrorOf({"--max-buffered-body-bytes", "1099511627777"}), want);
  EXPECT_EQ(ErrorOf({"--max-buffered-body-bytes"}), "--max-buffered-body-bytes needs a value");
}

TEST(ServeFlagsTest, BadValuesAreNamed) {
  EXPECT_EQ(ErrorOf({"--threads", "0"}), "--threads: expected an integer from 1 to 256");
  EXPECT_EQ(ErrorOf({"--max-connections", "-1"}),
            "--max-connections: expected an integer from 1 to 1000000");
  EXPECT_EQ(ErrorOf({"--shutdown-grace", "soon"}),
            "--shutdown-grace: expected a duration such as 15s or 500ms");
  EXPECT_EQ(ErrorOf({"--log-level", "loud"}), "--log-level: expected debug, info, warn or error");
  EXPECT_EQ(ErrorOf({"--nope", "1"}).rfind("unknown flag --nope\n", 0), 0u);
  EXPECT_EQ(ErrorOf({"stray"}).rfind("unexpected argument \"stray\"", 0), 0u);
}

}  // namespace
}  // namespace albwebhook::cli

namespace albwebhook::cli {
namespace {

TEST(ServeFlagsTest, ClusterViewFlags) {
  auto defaults = Parse({});
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->kubeconfig, "");
  EXPECT_EQ(defaults->cluster_view, app::ClusterViewMode::kAuto);
  EXPECT_EQ(defaults->cluster_sync_timeout, std::chrono::milliseconds(30000));

  auto c = Parse({"--kubeconfig=/k/config", "--cluster-view", "off", "--cluster-sync-timeout=1m5s"});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->kubeconfig, "/k/config");
  EXPECT_EQ(c->cluster_view, app::ClusterViewMode::kOff);
  EXPECT_EQ(c->cluster_sync_timeout, std::chrono::milliseconds(65000));

  EXPECT_EQ(ErrorOf({"--cluster-view=on"}), "--cluster-view: expected auto or off");
  EXPECT_EQ(ErrorOf({"--cluster-sync-timeout", "soon"}),
            "--cluster-sync-timeout: expected a duration such as 30s or 500ms");
  EXPECT_EQ(ErrorOf({"--shutdown-grace", "-1s"}),
            "--shutdown-grace: expected a duration such as 15s or 500ms");
  EXPECT_EQ(ErrorOf({"--kubeconfig="}), "--kubeconfig: expected a file");
}

}  // namespace
}  // namespace albwebhook::cli
