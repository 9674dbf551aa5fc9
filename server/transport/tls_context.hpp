// The serving TLS context: how it is built from the PEM files (TLS 1.2+, AEAD suites, ALPN
// http/1.1, optional client-certificate verification), and TlsStore, which holds the context in
// force and swaps it when the files change (hot reload).
#pragma once

#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <mutex>
#include <string>

namespace albwebhook::transport::detail {

/// Holds the TLS context in force and swaps it when the files change. New handshakes take the
/// current context; open connections keep the one they started with.
class TlsStore {
 public:
  TlsStore(std::string cert_file, std::string key_file, std::string ca_file)
      : cert_file_(std::move(cert_file)),
        key_file_(std::move(key_file)),
        ca_file_(std::move(ca_file)) {}

  std::shared_ptr<boost::asio::ssl::context> Current() const { return current_.load(); }

  enum class Outcome { kUnchanged, kReloaded, kFailed };

  /// Loads when the files' bytes differ from what was last tried. A bad pair keeps the old one.
  /// kReloaded sets *not_after (unix seconds), kFailed sets *error; a missing file is reported
  /// once (then kUnchanged until the error changes).
  Outcome Reload(std::string* error, double* not_after);

 private:
  std::string cert_file_, key_file_, ca_file_;
  std::atomic<std::shared_ptr<boost::asio::ssl::context>> current_;
  std::mutex mutex_;
  std::string last_tried_;
  std::string last_error_;
};

}  // namespace albwebhook::transport::detail
