#pragma once

#include <string>

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

/// A fresh unique temporary directory.
std::string MakeTempDir(const std::string& prefix);

/// SHA-256 fingerprint (hex) of a PEM certificate file's leaf.
std::string CertFingerprintOfFile(const std::string& pem_file);

/// Runs a shell command; returns its exit status.
int RunCommand(const std::string& command);

void WriteFile(const std::string& path, const std::string& content);
std::string ReadFile(const std::string& path);

}  // namespace albwebhook::testing
