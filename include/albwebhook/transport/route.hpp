// What the transport knows of the application: paths, and one call per request to the endpoint
// behind a path. The transport includes nothing of admission, rules or policy; the composition
// root (app/) wires endpoints in.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace albwebhook::metrics {
class Metrics;
}

namespace albwebhook::transport {

/// One request as the session hands it to an endpoint.
struct Call {
  enum class Body {
    kReceived,    // the whole body was read: `body`
    kTooLarge,    // Content-Length (or the chunks so far) over the limit; body not read
    kOverBudget,  // the global budget of buffered bodies is spent; body not read
  };
  Body state = Body::kReceived;
  std::string_view body;          // kReceived only
  std::string_view content_type;  // the Content-Type header as sent
  std::chrono::steady_clock::time_point started;  // when the request header began to arrive
  std::size_t body_limit = 0;      // max_body_bytes
  std::size_t body_wanted = 0;     // kOverBudget: the bytes the request wanted to reserve
  std::size_t budget_in_use = 0;   // kOverBudget: bytes reserved by all connections
  std::size_t budget = 0;          // kOverBudget: max_buffered_body_bytes
};

/// The answer the session writes as it is (Content-Type: application/json).
struct Reply {
  int status = 200;
  std::string body;
  bool retry_after = false;  // adds Retry-After: 1
};

/// Answers the calls of one path (or of unknown paths, see Wiring::unrouted). Thread-safe; must
/// not throw. Telemetry (metrics, logs) is the endpoint's business, not the session's.
class Endpoint {
 public:
  virtual ~Endpoint() = default;
  virtual Reply Answer(const Call& call) const = 0;
};

struct Route {
  std::string path;
  std::shared_ptr<const Endpoint> endpoint;
};

/// Everything the composition root hands the server besides its ServerConfig.
struct Wiring {
  std::vector<Route> routes;  // POST only; other methods get 405, other paths 404
  /// Answers a too-large or over-budget request whose path has no route (the check on the size
  /// comes before the one on the path). Required.
  std::shared_ptr<const Endpoint> unrouted;
  /// The server's metrics (connections, TLS, HTTP errors, certificate reloads; /metrics).
  std::shared_ptr<metrics::Metrics> metrics;
  /// Called on every reload poll and on SIGHUP, after the certificates (the policy file...).
  std::function<void()> reload;
  /// Extra readiness condition for /readyz (the cluster view's first sync); empty = none.
  std::function<bool()> ready;
};

}  // namespace albwebhook::transport
