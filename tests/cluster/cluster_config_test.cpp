// Client configuration of the cluster view: kubeconfig variants, the in-cluster directory,
// server URLs, the token file (re-read on change and on demand).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "albwebhook/cluster/config.hpp"
#include "cluster/token_source.hpp"

namespace albwebhook::cluster {
namespace {

namespace fs = std::filesystem;

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cluster-config-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  std::string Kubeconfig(const std::string& cluster, const std::string& user) {
    return Write("kubeconfig",
                 "apiVersion: v1\nkind: Config\ncurrent-context: b\n"
                 "contexts:\n- name: a\n  context: {cluster: other, user: other}\n"
                 "- name: b\n  context: {cluster: c1, user: u1}\n"
                 "clusters:\n- name: other\n  cluster: {server: 'https://wrong:1'}\n"
                 "- name: c1\n  cluster:\n" + cluster +
                 "users:\n- name: u1\n  user:\n" + user);
  }
  fs::path dir_;
};

TEST_F(ConfigTest, KubeconfigCurrentContextWithCaFileAndToken) {
  Write("ca.pem", "CA PEM");
  auto cfg = LoadKubeconfig(Kubeconfig("    server: https://10.0.0.1:6443/prefix/\n"
                                       "    certificate-authority: ca.pem\n",
                                       "    token: abc\n"));
  ASSERT_TRUE(cfg) << cfg.error().message;
  EXPECT_EQ(cfg->host, "10.0.0.1");
  EXPECT_EQ(cfg->port, 6443);
  EXPECT_EQ(cfg->base_path, "/prefix");
  EXPECT_EQ(cfg->ca_pem, "CA PEM");  // relative to the kubeconfig's directory
  EXPECT_EQ(cfg->token, "abc");
  EXPECT_TRUE(cfg->token_file.empty());
  EXPECT_FALSE(cfg->insecure_skip_tls_verify);
}

TEST_F(ConfigTest, KubeconfigDataFieldsAndClientCertificate) {
  // base64("CA DATA") = Q0EgREFUQQ==, base64("CERT") = Q0VSVA==, base64("KEY") = S0VZ
  auto cfg = LoadKubeconfig(Kubeconfig("    server: https://api.example.com\n"
                                       "    certificate-authority-data: Q0EgREFUQQ==\n",
                                       "    client-certificate-data: Q0VSVA==\n"
                                       "    client-key-data: S0VZ\n"));
  ASSERT_TRUE(cfg) << cfg.error().message;
  EXPECT_EQ(cfg->host, "api.example.com");
  EXPECT_EQ(cfg->port, 443);
  EXPECT_EQ(cfg->ca_pem, "CA DATA");
  EXPECT_EQ(cfg->client_cert_pem, "CERT");
  EXPECT_EQ(cfg->client_key_pem, "KEY");
}

TEST_F(ConfigTest, KubeconfigInsecureAndTokenFileAndCertFiles) {
  Write("crt", "C");
  Write("key", "K");
  auto cfg = LoadKubeconfig(Kubeconfig("    server: https://[::1]:8443\n"
                                       "    insecure-skip-tls-verify: true\n",
                                       "    tokenFile: tok\n    client-certificate: crt\n"
                                       "    client-key: " + (dir_ / "key").string() + "\n"));
  ASSERT_TRUE(cfg) << cfg.error().message;
  EXPECT_EQ(cfg->host, "::1");
  EXPECT_EQ(cfg->port, 8443);
  EXPECT_TRUE(cfg->insecure_skip_tls_verify);
  EXPECT_EQ(cfg->token_file, (dir_ / "tok").string());
  EXPECT_EQ(cfg->client_cert_pem, "C");
  EXPECT_EQ(cfg->client_key_pem, "K");
}

TEST_F(ConfigTest, KubeconfigErrors) {
  EXPECT_FALSE(LoadKubeconfig((dir_ / "absent").string()));
  EXPECT_FALSE(LoadKubeconfig(Write("bad", "{{{ not yaml")));
  EXPECT_FALSE(LoadKubeconfig(Write("list", "- a\n- b\n")));
  EXPECT_FALSE(LoadKubeconfig(Write("noctx", "clusters: []\n")));
  EXPECT_FALSE(LoadKubeconfig(Write("undefined", "current-context: x\ncontexts: []\n")));
  EXPECT_FALSE(LoadKubeconfig(Kubeconfig("    server: http://plain:80\n", "    token: t\n")));
  EXPECT_FALSE(LoadKubeconfig(Kubeconfig("    server: https://h:99999\n", "    token: t\n")));
  EXPECT_FALSE(LoadKubeconfig(Kubeconfig("    server: https://h\n    certificate-authority: no\n",
                                         "    token: t\n")));
  EXPECT_FALSE(LoadKubeconfig(Kubeconfig("    server: https://h\n"
                                         "    certificate-authority-data: '!!!'\n",
                                         "    token: t\n")));
  EXPECT_FALSE(LoadKubeconfig(Kubeconfig("    server: https://h\n",
                                         "    client-certificate-data: Q0VSVA==\n")));
  auto exec = LoadKubeconfig(Kubeconfig("    server: https://h\n",
                                        "    exec: {command: aws, apiVersion: x}\n"));
  ASSERT_FALSE(exec);
  EXPECT_NE(exec.error().message.find("exec"), std::string::npos);
}

TEST_F(ConfigTest, ServerUrls) {
  auto a = ParseServerUrl("https://h:1/");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->base_path, "");
  EXPECT_FALSE(ParseServerUrl("https://"));
  EXPECT_FALSE(ParseServerUrl("https://[::1"));
  EXPECT_FALSE(ParseServerUrl("https://[::1]x"));
  EXPECT_FALSE(ParseServerUrl("https://h:"));
  EXPECT_FALSE(ParseServerUrl("https://h:0"));
  EXPECT_FALSE(ParseServerUrl("https://h:12a"));
  EXPECT_FALSE(ParseServerUrl("ftp://h"));
}

TEST_F(ConfigTest, InClusterFromInjectedDirectory) {
  InClusterSource src{dir_.string(), "10.96.0.1", "443"};
  EXPECT_FALSE(InClusterAvailable(src));  // no token yet
  EXPECT_FALSE(LoadInCluster(src));
  Write("token", "sa-token\n");
  EXPECT_TRUE(InClusterAvailable(src));
  EXPECT_FALSE(LoadInCluster(src));  // no ca.crt
  Write("ca.crt", "SA CA");
  auto cfg = LoadInCluster(src);
  ASSERT_TRUE(cfg) << cfg.error().message;
  EXPECT_EQ(cfg->host, "10.96.0.1");
  EXPECT_EQ(cfg->port, 443);
  EXPECT_EQ(cfg->ca_pem, "SA CA");
  EXPECT_EQ(cfg->token_file, (dir_ / "token").string());
  EXPECT_EQ(cfg->source, "in-cluster");
  auto v6 = LoadInCluster({dir_.string(), "fd00::1", "6443"});
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "fd00::1");
  EXPECT_FALSE(LoadInCluster({dir_.string(), "h", "notaport"}));
}

TEST_F(ConfigTest, TokenFileIsReReadWhenItChangesAndAfterInvalidate) {
  std::string file = Write("token", "one\n");
  TokenSource tokens("static-ignored", file);
  EXPECT_EQ(tokens.Current(), "one");
  Write("token", "second");  // different size
  EXPECT_EQ(tokens.Current(), "second");
  Write("token", "third!");  // same size; the mtime may not change within the clock's grain
  tokens.Invalidate();
  EXPECT_EQ(tokens.Current(), "third!");
  fs::remove(file);
  EXPECT_EQ(tokens.Current(), "third!");  // keeps the last token read
  TokenSource fixed("abc", "");
  EXPECT_EQ(fixed.Current(), "abc");
}

}  // namespace
}  // namespace albwebhook::cluster
