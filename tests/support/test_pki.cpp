#include "support/test_pki.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace albwebhook::testing {

int RunCommand(const std::string& command) {
  const int rc = std::system(command.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string MakeTempDir(const std::string& prefix) {
  std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  char* made = mkdtemp(tmpl.data());
  if (made == nullptr) ADD_FAILURE() << "mkdtemp failed";
  return tmpl;
}

void WriteFile(const std::string& path, const std::string& content) {
  // Write then rename: readers never see a half-written file.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
  }
  std::filesystem::rename(tmp, path);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

Pki MakePki(const std::string& dir) {
  std::filesystem::create_directories(dir);
  Pki p;
  p.dir = dir;
  p.ca_cert = dir + "/ca.crt";
  p.ca_key = dir + "/ca.key";
  p.server_cert = dir + "/tls.crt";
  p.server_key = dir + "/tls.key";
  p.client_cert = dir + "/client.crt";
  p.client_key = dir + "/client.key";
  const std::string ext = dir + "/server.ext";
  WriteFile(ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  const std::string client_ext = dir + "/client.ext";
  WriteFile(client_ext, "extendedKeyUsage=clientAuth\n");
  const std::string q = " >/dev/null 2>&1";
  const std::string cmd =
      "set -e; cd '" + dir + "'; " +
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 2 "
      "-subj '/CN=test-ca' -keyout ca.key -out ca.crt" +
      q + "; " +
      "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 "
      "-subj '/CN=localhost' -keyout tls.key -out tls.csr" +
      q + "; " +
      "openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days 2 "
      "-extfile server.ext -out tls.crt" +
      q + "; " +
      "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 "
      "-subj '/CN=kube-apiserver' -keyout client.key -out client.csr" +
      q + "; " +
      "openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days 2 "
      "-extfile client.ext -out client.crt" +
      q;
  EXPECT_EQ(RunCommand(cmd), 0) << "openssl failed in " << dir;
  return p;
}

std::pair<std::string, std::string> IssueServerPair(const Pki& pki, const std::string& name) {
  const std::string q = " >/dev/null 2>&1";
  const std::string cmd =
      "set -e; cd '" + pki.dir + "'; " +
      "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 "
      "-subj '/CN=localhost' -keyout " +
      name + ".key -out " + name + ".csr" + q + "; " + "openssl x509 -req -in " + name +
      ".csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 "
      "-days 2 -extfile server.ext -out " +
      name + ".crt" + q;
  EXPECT_EQ(RunCommand(cmd), 0) << "openssl failed in " << pki.dir;
  return {pki.dir + "/" + name + ".crt", pki.dir + "/" + name + ".key"};
}

std::string CertFingerprint(X509* cert) {
  if (cert == nullptr) return "";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  X509_digest(cert, EVP_sha256(), md, &len);
  std::string hex;
  char buf[3];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof(buf), "%02x", md[i]);
    hex += buf;
  }
  return hex;
}

std::string CertFingerprintOfFile(const std::string& pem_file) {
  FILE* f = std::fopen(pem_file.c_str(), "r");
  if (f == nullptr) return "";
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  std::string hex = CertFingerprint(cert);
  X509_free(cert);
  return hex;
}

}  // namespace albwebhook::testing
