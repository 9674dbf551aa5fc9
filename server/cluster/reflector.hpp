// The reflector of one resource, as client-go runs it: a paginated list, then a watch from the
// list's resourceVersion (bookmarks on), resumed from the last resourceVersion seen after a
// normal close, a relist on 410 Gone, jittered exponential backoff on errors. Runs as a
// coroutine on the View's thread; the View reads its state on the same thread.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <utility>

#include "cluster/http_client.hpp"
#include "cluster/store.hpp"
#include "cluster/token_source.hpp"

namespace prometheus {
class Counter;
class Gauge;
}  // namespace prometheus

namespace albwebhook::cluster {

/// Restart reasons (the `reason` label of alb_webhook_cluster_watch_restarts_total).
enum class RestartReason { kClosed, kExpired, kError, kMalformed, kUnauthorized, kForbidden };
inline constexpr std::size_t kRestartReasonCount = 6;
std::string_view RestartReasonName(RestartReason reason);

struct ReflectorMetrics {
  prometheus::Gauge* synced = nullptr;
  prometheus::Gauge* objects = nullptr;
  std::array<prometheus::Counter*, kRestartReasonCount> restarts{};
};

/// What the View reads when it publishes.
struct ReflectorStatus {
  bool listed_once = false;
  bool served = true;
  bool forbidden = false;
  std::optional<Clock::time_point> broken_since;  // no list or watch established since then
};

/// Returns freed memory to the OS: mimalloc's mi_collect(true) when the binary is linked with
/// it, else glibc's malloc_trim(0). For the io thread after a list has been published (the
/// list's parsed pages and the replaced objects are free then, and the thread goes back to
/// idle watches, so the allocator would otherwise keep them).
void ReleaseFreedMemory();

class Reflector {
 public:
  struct Deps {
    net::any_io_executor executor;
    net::ssl::context* tls = nullptr;
    const ClientConfig* client = nullptr;
    const ViewConfig* config = nullptr;
    TokenSource* tokens = nullptr;
    ReflectorMetrics metrics;
    std::function<void()> changed;  // the cache or the status changed: publish soon
    std::uint64_t seed = 0;
  };
  Reflector(Resource resource, Deps deps);

  /// Runs until the io_context stops.
  net::awaitable<void> Run();

  Resource resource() const { return resource_; }
  ResourceStore& store() { return store_; }
  const ReflectorStatus& status() const { return status_; }
  /// True once after each completed list (the View releases memory after publishing it).
  bool TakeListCompleted() { return std::exchange(list_completed_, false); }

  // Steps, public for tests that drive a reflector by hand.
  enum class Next { kList, kWatch };
  struct Step {
    Next next;
    Clock::duration delay{};
  };
  /// Applies the complete lines of `pending` (consuming them). Returns false, with the cache
  /// untouched by the offending line, when a line is malformed, too long, or an ERROR event
  /// (`*error_code` set to its code, 0 otherwise).
  bool ApplyLines(std::string& pending, int* error_code, std::string* why);
  const std::string& resource_version() const { return resource_version_; }
  void set_resource_version(std::string rv) { resource_version_ = std::move(rv); }

 private:
  net::awaitable<Step> List();
  net::awaitable<Step> Watch();
  net::awaitable<Step> StreamEvents(Clock::time_point start, Clock::time_point deadline);
  Step OnFailure(int status, const std::string& body, Next retry, std::string_view what);
  Step OnTransportError(const beast::error_code& ec, Next retry, std::string_view what);
  void FinishList(std::vector<ObjectPtr> items, std::string rv);
  void Established();
  void MarkBroken();
  void Restart(RestartReason reason);
  Clock::duration Backoff();
  std::string WatchTarget(int timeout_seconds) const;
  void Changed();

  Resource resource_;
  Deps deps_;
  // Lives in Run()'s coroutine frame, so that it is destroyed with the frame while the
  // io_context still exists (a socket must not outlive its io_context).
  ApiConnection* conn_ = nullptr;
  ResourceStore store_;
  ReflectorStatus status_;
  std::string resource_version_;
  std::string last_token_;  // the token of the last request (a 401 retries at once if it changed)
  int backoff_attempts_ = 0;
  bool list_completed_ = false;
  std::mt19937_64 random_;
};

}  // namespace albwebhook::cluster
