#include "cluster/reflector.hpp"

#include <malloc.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>

#include <algorithm>
#include <cmath>

#include "albwebhook/log/log.hpp"
#include "cluster/events.hpp"

// mimalloc's, when the binary is linked with it (CMakeLists.txt: the server is, tests are not).
extern "C" void mi_collect(bool force) __attribute__((weak));

namespace albwebhook::cluster {

void ReleaseFreedMemory() {
  if (mi_collect != nullptr) {
    mi_collect(true);
  } else {
    malloc_trim(0);
  }
}

namespace {

constexpr std::string_view kReasonNames[kRestartReasonCount] = {
    "closed", "expired", "error", "malformed", "unauthorized", "forbidden"};
constexpr std::size_t kStatusBodyLimit = 64 * 1024;
constexpr auto kShortWatch = std::chrono::seconds(1);

std::string_view TrimLine(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  return line;
}

}  // namespace

std::string_view RestartReasonName(RestartReason reason) {
  return kReasonNames[static_cast<std::size_t>(reason)];
}

Reflector::Reflector(Resource resource, Deps deps)
    : resource_(resource), deps_(std::move(deps)), random_(deps_.seed) {}

net::awaitable<void> Reflector::Run() {
  ApiConnection conn(deps_.executor, *deps_.tls, *deps_.client, *deps_.config);
  conn_ = &conn;
  Next next = Next::kList;
  for (;;) {
    Step step = next == Next::kList ? co_await List() : co_await Watch();
    next = step.next;
    if (step.delay > Clock::duration::zero()) {
      net::steady_timer timer(deps_.executor, step.delay);
      beast::error_code ec;
      co_await timer.async_wait(net::redirect_error(net::use_awaitable, ec));
    }
  }
}

net::awaitable<Reflector::Step> Reflector::List() {
  const ViewConfig& cfg = *deps_.config;
  std::vector<ObjectPtr> items;
  std::string cont, rv;
  bool paginate = cfg.list_page_size > 0;
  int expired_continues = 0;
  for (;;) {
    std::string target(ResourcePath(resource_));
    if (paginate) target += "?limit=" + std::to_string(cfg.list_page_size);
    if (!cont.empty()) target += (paginate ? "&continue=" : "?continue=") + QueryEscape(cont);
    last_token_ = deps_.tokens->Current();
    auto res = co_await conn_->Get(target, last_token_, Clock::now() + cfg.request_timeout,
                                   cfg.max_list_body_bytes, false);
    if (res.ec) co_return OnTransportError(res.ec, Next::kList, "list");
    if (res.status == 410 && !cont.empty()) {
      // The continue token expired: list again from the start (client-go's pager falls back to
      // one full list; so do we after a second expiry, to be sure to make progress).
      Restart(RestartReason::kExpired);
      log::Info("cluster: list continue token expired, listing again",
                {{"resource", ResourceName(resource_)}});
      items.clear();
      cont.clear();
      paginate = paginate && ++expired_continues < 2;
      continue;
    }
    if (res.status != 200) co_return OnFailure(res.status, res.body, Next::kList, "list");
    auto page = ParseListPage(resource_, res.body);
    if (!page) {
      Restart(RestartReason::kMalformed);
      log::Warn("cluster: malformed list response",
                {{"resource", ResourceName(resource_)}, {"error", page.error().message}});
      MarkBroken();
      co_return Step{Next::kList, Backoff()};
    }
    if (!page->skipped.empty()) {
      Restart(RestartReason::kMalformed);
      log::Warn("cluster: listed objects skipped (malformed)",
                {{"resource", ResourceName(resource_)}, {"errors", page->skipped}});
    }
    // An object the store already holds, unchanged in what is kept of it (a relist mostly
    // finds those), is kept as it is and the copy just parsed freed at once: a relist then
    // costs the memory of one page and of what changed, not of a second copy of the cluster
    // (and what it held is not left to the allocator afterwards).
    for (ObjectPtr& item : page->items) {
      ObjectPtr held = store_.FindShared(item->namespace_, item->name);
      if (held && held->uid == item->uid && held->rule_paths == item->rule_paths &&
          held->doc == item->doc) {
        item = std::move(held);
      }
    }
    std::move(page->items.begin(), page->items.end(), std::back_inserter(items));
    rv = std::move(page->resource_version);
    cont = std::move(page->continue_token);
    if (cont.empty()) break;
  }
  FinishList(std::move(items), std::move(rv));
  co_return Step{Next::kWatch, {}};
}

void Reflector::FinishList(std::vector<ObjectPtr> items, std::string rv) {
  store_.Replace(items);
  resource_version_ = std::move(rv);
  bool first = !status_.listed_once;
  status_.listed_once = true;
  list_completed_ = true;
  status_.served = true;
  Established();
  if (deps_.metrics.synced) deps_.metrics.synced->Set(1);
  if (deps_.metrics.objects) deps_.metrics.objects->Set(static_cast<double>(store_.size()));
  (first ? log::Info : log::Debug)("cluster: listed", {{"resource", ResourceName(resource_)},
                                                       {"objects", store_.size()},
                                                       {"resourceVersion", resource_version_}});
  Changed();
}

std::string Reflector::WatchTarget(int timeout_seconds) const {
  return std::string(ResourcePath(resource_)) +
         "?watch=true&allowWatchBookmarks=true&resourceVersion=" + QueryEscape(resource_version_) +
         "&timeoutSeconds=" + std::to_string(timeout_seconds);
}

net::awaitable<Reflector::Step> Reflector::Watch() {
  const ViewConfig& cfg = *deps_.config;
  auto lo = cfg.watch_timeout_min.count();
  auto hi = std::max(lo, cfg.watch_timeout_max.count());
  auto timeout_ms = std::uniform_int_distribution<long long>(lo, hi)(random_);
  int timeout_seconds = static_cast<int>(std::max<long long>(1, (timeout_ms + 999) / 1000));
  auto start = Clock::now();
  auto deadline = start + std::chrono::seconds(timeout_seconds) + cfg.watch_deadline_slack;
  last_token_ = deps_.tokens->Current();
  auto res = co_await conn_->Get(WatchTarget(timeout_seconds), last_token_, deadline,
                                 kStatusBodyLimit, true);
  if (res.ec) co_return OnTransportError(res.ec, Next::kWatch, "watch");
  if (res.status != 200) co_return OnFailure(res.status, res.body, Next::kWatch, "watch");
  Established();
  co_return co_await StreamEvents(start, deadline);
}

net::awaitable<Reflector::Step> Reflector::StreamEvents(Clock::time_point start,
                                                        Clock::time_point deadline) {
  std::string pending;
  std::string start_rv = resource_version_;
  for (;;) {
    bool done = false;
    auto ec = co_await conn_->ReadSome(pending, done, deadline);
    int code = 0;
    std::string why;
    if (!ApplyLines(pending, &code, &why)) {
      conn_->Close();
      MarkBroken();
      auto fields = nlohmann::json{{"resource", ResourceName(resource_)}, {"error", why}};
      if (code == 410) {
        Restart(RestartReason::kExpired);
        log::Info("cluster: watch expired (410), relisting", fields);
        co_return Step{Next::kList, {}};
      }
      Restart(code != 0 ? RestartReason::kError : RestartReason::kMalformed);
      log::Warn(code != 0 ? "cluster: watch error event, relisting"
                          : "cluster: malformed watch event, relisting",
                fields);
      co_return Step{Next::kList, Backoff()};
    }
    if (!ec && !done) continue;
    MarkBroken();
    if (ec == beast::error::timeout) {
      Restart(RestartReason::kError);
      log::Warn("cluster: watch passed its client deadline",
                {{"resource", ResourceName(resource_)}});
      conn_->Close();
      co_return Step{Next::kWatch, Backoff()};
    }
    // A normal end (the server's timeoutSeconds) or a dropped stream: resume from the last
    // resourceVersion seen, bookmarks included; no relist.
    Restart(RestartReason::kClosed);
    log::Debug("cluster: watch closed, resuming", {{"resource", ResourceName(resource_)},
                                                   {"resourceVersion", resource_version_},
                                                   {"error", ec ? ec.message() : ""}});
    bool idle_and_short = resource_version_ == start_rv && Clock::now() - start < kShortWatch;
    co_return Step{Next::kWatch, idle_and_short ? Backoff() : Clock::duration::zero()};
  }
}

bool Reflector::ApplyLines(std::string& pending, int* error_code, std::string* why) {
  *error_code = 0;
  const std::size_t max_line = deps_.config->max_line_bytes;
  bool changed = false, ok = true;
  std::size_t pos = 0;
  for (std::size_t nl; ok && (nl = pending.find('\n', pos)) != std::string::npos; pos = nl + 1) {
    std::string_view line = TrimLine(std::string_view(pending).substr(pos, nl - pos));
    if (line.empty()) continue;
    if (line.size() > max_line) {
      *why = "watch event larger than " + std::to_string(max_line) + " bytes";
      ok = false;
      break;
    }
    auto event = ParseWatchEvent(resource_, line);
    if (!event || event->type == EventType::kError) {
      *why = event ? event->error_message : event.error().message;
      *error_code = event ? event->error_code : 0;
      ok = false;
      break;
    }
    if (event->type == EventType::kAdded || event->type == EventType::kModified) {
      store_.Upsert(event->object);
      changed = true;
    } else if (event->type == EventType::kDeleted) {
      changed = store_.Remove(event->object->namespace_, event->object->name) || changed;
    }
    resource_version_ = std::move(event->resource_version);
  }
  if (ok) pending.erase(0, pos);
  if (ok && pending.size() > max_line) {
    *why = "watch event larger than " + std::to_string(max_line) + " bytes";
    ok = false;
  }
  if (changed) {
    if (deps_.metrics.objects) deps_.metrics.objects->Set(static_cast<double>(store_.size()));
    Changed();
  }
  return ok;
}

Reflector::Step Reflector::OnFailure(int status, const std::string& body, Next retry,
                                     std::string_view what) {
  nlohmann::json fields = {{"resource", ResourceName(resource_)},
                           {"request", what},
                           {"status", DescribeStatus(status, body)}};
  switch (status) {
    case 401: {
      deps_.tokens->Invalidate();
      bool rotated = deps_.tokens->Current() != last_token_;
      Restart(RestartReason::kUnauthorized);
      log::Warn("cluster: unauthorized (401), token re-read", fields);
      MarkBroken();
      return Step{retry, rotated ? Clock::duration::zero() : Backoff()};
    }
    case 403:
      Restart(RestartReason::kForbidden);
      log::Error("cluster: forbidden (403): the RBAC does not allow list/watch", fields);
      MarkBroken();
      if (!status_.forbidden) {
        status_.forbidden = true;
        Changed();
      }
      return Step{retry, Backoff()};
    case 404:
      log::Info("cluster: resource not served (404), empty until it is", fields);
      store_.Clear();
      resource_version_.clear();
      status_.listed_once = true;
      status_.served = false;
      Established();
      if (deps_.metrics.synced) deps_.metrics.synced->Set(1);
      if (deps_.metrics.objects) deps_.metrics.objects->Set(0);
      Changed();
      return Step{Next::kList, deps_.config->not_found_retry};
    case 410:
      Restart(RestartReason::kExpired);
      log::Info("cluster: resourceVersion expired (410), relisting", fields);
      MarkBroken();
      return Step{Next::kList, {}};
    default:
      Restart(RestartReason::kError);
      log::Warn("cluster: API request failed", fields);
      MarkBroken();
      return Step{retry, Backoff()};
  }
}

Reflector::Step Reflector::OnTransportError(const beast::error_code& ec, Next retry,
                                            std::string_view what) {
  Restart(RestartReason::kError);
  log::Warn("cluster: API server unreachable",
            {{"resource", ResourceName(resource_)}, {"request", what}, {"error", ec.message()}});
  MarkBroken();
  return Step{retry, Backoff()};
}

void Reflector::Established() {
  backoff_attempts_ = 0;
  if (status_.broken_since || status_.forbidden) {
    status_.broken_since.reset();
    status_.forbidden = false;
    Changed();
  }
}

void Reflector::MarkBroken() {
  if (status_.broken_since) return;
  status_.broken_since = Clock::now();
  Changed();
}

void Reflector::Restart(RestartReason reason) {
  auto* counter = deps_.metrics.restarts[static_cast<std::size_t>(reason)];
  if (counter) counter->Increment();
}

Clock::duration Reflector::Backoff() {
  const double base = static_cast<double>(deps_.config->backoff_base.count());
  const double cap = static_cast<double>(deps_.config->backoff_cap.count());
  double full = std::min(cap, base * std::pow(2.0, std::min(backoff_attempts_, 30)));
  ++backoff_attempts_;
  double jittered = full * std::uniform_real_distribution<double>(0.5, 1.0)(random_);
  return std::chrono::microseconds(static_cast<long long>(std::max(1.0, jittered * 1000)));
}

void Reflector::Changed() {
  if (deps_.changed) deps_.changed();
}

}  // namespace albwebhook::cluster
