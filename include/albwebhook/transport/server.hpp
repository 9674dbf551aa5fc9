#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "albwebhook/transport/route.hpp"
#include "albwebhook/util/result.hpp"

namespace albwebhook::transport {

using Millis = std::chrono::milliseconds;

/// Everything the server needs; defaults are the production values (PRODUCT.md, issue 2).
/// Tests shrink the timeouts instead of sleeping on real time.
struct ServerConfig {
  std::string listen = "0.0.0.0:9443";          // host:port; port 0 picks a free port
  std::string metrics_listen = "0.0.0.0:8080";  // plain HTTP: /metrics /healthz /readyz
  std::string cert_file;                        // PEM chain
  std::string key_file;                         // PEM key
  std::string client_ca_file;                   // non-empty: require and verify client certs
  int threads = 1;
  Millis shutdown_grace{15000};  // keep serving (Connection: close) after SIGTERM
  Millis shutdown_margin{3000};  // then wait at most this long for requests in flight
  Millis idle_timeout{120000};   // keep-alive idle; above the apiserver's 90 s pool timeout
  Millis header_timeout{10000};  // whole request header, once its first byte arrived
  Millis body_timeout{30000};    // whole body; also capped by the request's ?timeout=
  Millis handshake_timeout{10000};
  Millis write_timeout{10000};
  Millis reload_interval{10000};  // certificate and policy file poll
  std::size_t max_body_bytes = 7 * 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_connections = 4096;
  // All request bodies buffered at once, over every connection. A request reserves its
  // Content-Length (a chunked one: each chunk, as its header arrives) before any body byte is
  // buffered; beyond the budget it is answered 503 + Retry-After without its body being read.
  // 64 MiB is nine 7 MiB bodies in flight - far more than the apiserver sends at once (objects
  // are at most ~1.5 MiB in etcd) - and, with 4096 idle connections (~275 MiB), keeps the pod
  // under the 384Mi limit in deploy/base. See SECURITY.md "Bounded memory per connection".
  std::size_t max_buffered_body_bytes = 64 * 1024 * 1024;
  bool handle_signals = false;  // SIGTERM/SIGINT drain, SIGHUP reload (the binary sets this)
};

/// The HTTPS admission server plus its metrics/health listener.
/// Create() loads certificates and binds both ports (errors are returned, nothing
/// is left running). Run() serves until a drain completes. Shutdown() and Reload() are
/// thread-safe and may be called from any thread (or a signal, when handle_signals is set).
class Server {
 public:
  static Result<std::unique_ptr<Server>> Create(const ServerConfig& config, Wiring wiring);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t webhook_port() const;
  std::uint16_t metrics_port() const;

  /// Serves on config.threads threads; returns after Shutdown() has drained.
  void Run();
  /// Starts the graceful drain: /readyz turns 503 at once, answers carry Connection: close for
  /// shutdown_grace, then listeners close and requests in flight finish (bounded by the margin).
  void Shutdown();
  /// Re-checks the certificate files and runs wiring.reload now (what SIGHUP does).
  void Reload();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace albwebhook::transport
