// The cluster view: six reflectors on one io_context thread, and the publication of immutable
// ClusterState snapshots (coalesced; availability re-evaluated when a broken watch's grace ends).
#include "albwebhook/cluster/view.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "albwebhook/log/log.hpp"
#include "cluster/reflector.hpp"

namespace albwebhook::cluster {

struct View::Impl {
  ViewConfig config;
  std::shared_ptr<net::ssl::context> tls;
  TokenSource tokens;
  std::unique_ptr<net::io_context> io;
  std::vector<std::unique_ptr<Reflector>> reflectors;
  std::unique_ptr<net::steady_timer> publish_timer, grace_timer;
  bool publish_pending = false;
  std::chrono::steady_clock::time_point last_publish{};  // io thread
  std::thread thread;
  bool started = false, stopped = false;
  std::atomic<std::shared_ptr<const ClusterState>> state;
  mutable std::mutex sync_mu;
  mutable std::condition_variable sync_cv;
  bool all_synced = false;  // guarded by sync_mu
  std::string last_reason;  // io thread: logs availability changes once

  Impl(const ViewConfig& c, std::shared_ptr<net::ssl::context> ctx)
      : config(c),
        tls(std::move(ctx)),
        tokens(c.client.token, c.client.token_file),
        io(std::make_unique<net::io_context>(1)) {
    state.store(ClusterState::Empty("not yet listed"));
  }

  void MakeReflectors(prometheus::Registry& registry);
  void RequestPublish();
  void Publish();
  std::string Availability(Clock::time_point now, std::optional<Clock::time_point>& next_check);
};

void View::Impl::MakeReflectors(prometheus::Registry& registry) {
  auto& synced = prometheus::BuildGauge()
                     .Name("alb_webhook_cluster_synced")
                     .Help("1 once the watched resource has been listed (404 counts: not served).")
                     .Register(registry);
  auto& objects = prometheus::BuildGauge()
                      .Name("alb_webhook_cluster_objects")
                      .Help("Objects held in the cluster view's cache, by resource.")
                      .Register(registry);
  auto& restarts = prometheus::BuildCounter()
                       .Name("alb_webhook_cluster_watch_restarts_total")
                       .Help("Lists and watches started again, by resource and reason.")
                       .Register(registry);
  std::uint64_t seed = std::random_device{}();
  for (Resource r : kAllResources) {
    std::string name(ResourceName(r));
    Reflector::Deps deps;
    deps.executor = io->get_executor();
    deps.tls = tls.get();
    deps.client = &config.client;
    deps.config = &config;
    deps.tokens = &tokens;
    deps.metrics.synced = &synced.Add({{"resource", name}});
    deps.metrics.objects = &objects.Add({{"resource", name}});
    for (std::size_t i = 0; i < kRestartReasonCount; ++i) {
      auto reason = std::string(RestartReasonName(static_cast<RestartReason>(i)));
      deps.metrics.restarts[i] = &restarts.Add({{"resource", name}, {"reason", reason}});
    }
    deps.changed = [this] { RequestPublish(); };
    deps.seed = seed + static_cast<std::uint64_t>(r);
    reflectors.push_back(std::make_unique<Reflector>(r, std::move(deps)));
  }
  publish_timer = std::make_unique<net::steady_timer>(*io);
  grace_timer = std::make_unique<net::steady_timer>(*io);
}

void View::Impl::RequestPublish() {
  if (publish_pending) return;
  publish_pending = true;
  // Leading edge: a change after a quiet interval is published at once (the next turn of the
  // io loop); during a storm, at most one snapshot per interval.
  publish_timer->expires_at(last_publish + config.publish_interval);
  publish_timer->async_wait([this](beast::error_code ec) {
    if (ec) return;
    publish_pending = false;
    Publish();
  });
}

std::string View::Impl::Availability(Clock::time_point now,
                                     std::optional<Clock::time_point>& next_check) {
  std::string unlisted, forbidden, broken;
  auto add = [](std::string& list, Resource r) {
    list += (list.empty() ? "" : ", ") + std::string(ResourceName(r));
  };
  for (const auto& refl : reflectors) {
    const ReflectorStatus& s = refl->status();
    if (!s.listed_once) add(unlisted, refl->resource());
    if (s.forbidden) add(forbidden, refl->resource());
    if (s.listed_once && s.broken_since) {
      auto until = *s.broken_since + config.broken_grace;
      if (until <= now) {
        add(broken, refl->resource());
      } else if (!next_check || until < *next_check) {
        next_check = until;
      }
    }
  }
  std::string reason;
  auto part = [&reason](const char* what, const std::string& list) {
    if (!list.empty()) reason += (reason.empty() ? "" : "; ") + std::string(what) + list;
  };
  part("not yet listed: ", unlisted);
  part("forbidden (403): ", forbidden);
  part("watch broken: ", broken);
  return reason;
}

void View::Impl::Publish() {
  last_publish = std::chrono::steady_clock::now();
  std::optional<Clock::time_point> next_check;
  std::string reason = Availability(Clock::now(), next_check);
  ClusterState::DataArray data;
  std::array<ResourceStatus, kResourceCount> status;
  bool all = true, listed = false;
  for (std::size_t i = 0; i < kResourceCount; ++i) {
    Reflector& refl = *reflectors[i];
    listed = refl.TakeListCompleted() || listed;
    data[i] = refl.store().Export();
    status[i].synced = refl.status().listed_once;
    status[i].served = refl.status().served;
    status[i].forbidden = refl.status().forbidden;
    all = all && status[i].synced;
  }
  bool available = reason.empty();
  state.store(std::make_shared<const ClusterState>(std::move(data), status, available, reason));
  // The previous snapshot is gone (unless a request still holds it): after a list, that frees
  // the replaced objects; with the list's parsed pages, tens of MiB at 10 000 Ingresses.
  if (listed) ReleaseFreedMemory();
  if (reason != last_reason) {
    if (available) {
      log::Info("cluster view available");
    } else if (all) {
      log::Warn("cluster view unavailable", {{"reason", reason}});
    }
    last_reason = reason;
  }
  if (next_check) {
    grace_timer->expires_at(*next_check);
    grace_timer->async_wait([this](beast::error_code ec) {
      if (!ec) Publish();
    });
  }
  {
    std::lock_guard lock(sync_mu);
    all_synced = all;
  }
  sync_cv.notify_all();
}

Result<std::unique_ptr<View>> View::Create(const ViewConfig& config,
                                           prometheus::Registry& registry) {
  if (config.client.host.empty()) return Error{"cluster view: no API server host"};
  auto tls = MakeTlsContext(config.client);
  if (!tls) return tls.error();
  auto impl = std::make_unique<Impl>(config, std::move(tls.value()));
  impl->MakeReflectors(registry);
  return std::unique_ptr<View>(new View(std::move(impl)));
}

View::View(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

View::~View() {
  Stop();
  impl_->reflectors.clear();
}

void View::Start() {
  if (impl_->started) return;
  impl_->started = true;
  log::Info("cluster view starting", {{"source", impl_->config.client.source},
                                      {"server", impl_->config.client.host + ":" +
                                                     std::to_string(impl_->config.client.port)}});
  for (auto& refl : impl_->reflectors) {
    net::co_spawn(*impl_->io, refl->Run(), net::detached);
  }
  impl_->thread = std::thread([io = impl_->io.get()] { io->run(); });
}

void View::Stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  if (impl_->thread.joinable()) {
    impl_->io->stop();
    impl_->thread.join();
  }
  // Destroys the coroutine frames (and their connections) while the reflectors still exist.
  impl_->publish_timer.reset();
  impl_->grace_timer.reset();
  impl_->io.reset();
}

StatePtr View::Snapshot() const { return impl_->state.load(std::memory_order_acquire); }

bool View::Synced() const {
  std::lock_guard lock(impl_->sync_mu);
  return impl_->all_synced;
}

bool View::WaitSynced(Millis timeout) const {
  std::unique_lock lock(impl_->sync_mu);
  return impl_->sync_cv.wait_for(lock, timeout, [this] { return impl_->all_synced; });
}

}  // namespace albwebhook::cluster
