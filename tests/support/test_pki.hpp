#pragma once

#include <string>
#include <utility>

typedef struct x509_st X509;

namespace albwebhook::testing {

/// Files of a throwaway PKI made with the openssl CLI: a CA, a server pair for localhost /
/// 127.0.0.1, and a client pair. Every call makes a new CA (so two Pki differ).
struct Pki {
  std::string dir;
  std::string ca_cert, ca_key;
  std::string server_cert, server_key;
  std::string client_cert, client_key;
};

/// Creates the PKI under `dir` (created if absent). Aborts the test on failure.
Pki MakePki(const std::string& dir);

/// Issues another server pair for localhost / 127.0.0.1 from pki's CA, as `<name>.crt` and
/// `<name>.key` in pki.dir (certificate rotation without a CA change). Returns {cert, key}.
std::pair<std::string, std::string> IssueServerPair(const Pki& pki, const std::string& name);

/// A fresh unique temporary directory.
std::string MakeTempDir(const std::string& prefix);

/// SHA-256 fingerprint (hex) of a certificate ("" for nullptr).
std::string CertFingerprint(X509* cert);

/// SHA-256 fingerprint (hex) of a PEM certificate file's leaf.
std::string CertFingerprintOfFile(const std::string& pem_file);

/// Runs a shell command; returns its exit status.
int RunCommand(const std::string& command);

void WriteFile(const std::string& path, const std::string& content);
std::string ReadFile(const std::string& path);

}  // namespace albwebhook::testing
