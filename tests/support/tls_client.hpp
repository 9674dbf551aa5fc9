#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace albwebhook::testing {

struct HttpResponse {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  bool keep_alive = false;
};

struct TlsClientOptions {
  std::string ca_file;
  std::string client_cert;  // optional
  std::string client_key;
  std::vector<std::string> alpn{"http/1.1"};
  int min_version = 0;  // e.g. TLS1_2_VERSION; 0 = library default
  int max_version = 0;
  std::string tls12_ciphers;  // optional cipher list for TLS <= 1.2
  std::chrono::milliseconds io_timeout{10000};
};

/// A blocking HTTPS/1.1 client for tests (one connection). Verifies the server against the CA
/// and the name "localhost".
class TlsClient {
 public:
  explicit TlsClient(TlsClientOptions options);
  ~TlsClient();

  /// Connects and handshakes to 127.0.0.1:port. Returns "" or the error text.
  std::string Connect(std::uint16_t port);
  /// POST with Content-Length. Throws std::runtime_error on I/O errors.
  HttpResponse Post(const std::string& target, const std::string& body,
                    const std::string& content_type = "application/json");
  void SendRaw(const std::string& bytes);
  /// Reads one response; throws on error/EOF.
  HttpResponse ReadResponse();
  /// True when the server closed the connection (reads EOF or reset) without sending bytes.
  bool ReadsEof();
  /// SHA-256 hex of the server's leaf certificate.
  std::string PeerFingerprint();
  std::string NegotiatedAlpn();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// Plain HTTP GET/other method on 127.0.0.1:port (metrics listener).
HttpResponse PlainRequest(std::uint16_t port, const std::string& method, const std::string& target);

}  // namespace albwebhook::testing
