#include "albwebhook/app/app.hpp"

#include <atomic>
#include <chrono>
#include <optional>

#include "albwebhook/admission/handler.hpp"
#include "albwebhook/log/log.hpp"
#include "albwebhook/metrics/metrics.hpp"
#include "albwebhook/policy/policy.hpp"
#include "albwebhook/rules/registry.hpp"
#include "app/admission_endpoint.hpp"
#include "common/file.hpp"

#ifndef ALBWEBHOOK_VERSION
#define ALBWEBHOOK_VERSION "dev"
#endif

namespace albwebhook::app {
namespace {

double UnixNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Result<std::unique_ptr<policy::PolicyStore>> OpenPolicy(const std::string& path) {
  if (path.empty()) return std::make_unique<policy::PolicyStore>("", policy::Policy{});
  auto text = common::ReadFile(path, common::CannotOpenPath);
  if (!text) return Error{"policy: " + text.error().message};
  auto parsed = policy::ParsePolicy(*text);
  if (!parsed) return Error{"policy " + path + ": " + parsed.error().message};
  return std::make_unique<policy::PolicyStore>(path, std::move(*parsed), std::move(*text));
}

/// The live snapshot: the policy store's current policy and, when the view is on, its latest
/// cluster state. Two atomic loads, no lock shared with the watch.
class LiveSnapshotSource final : public state::SnapshotSource {
 public:
  explicit LiveSnapshotSource(const policy::PolicyStore& policies) : policies_(policies) {}
  /// Before serving starts only (not synchronised with Current()).
  void SetView(const cluster::View* view) { view_ = view; }
  state::Snapshot Current() const override {
    return {policies_.Current(), view_ != nullptr ? view_->Snapshot() : nullptr};
  }

 private:
  const policy::PolicyStore& policies_;
  const cluster::View* view_ = nullptr;
};

/// The API server connection for the view, or nullopt when the view is off: `--cluster-view off`,
/// or auto with neither a kubeconfig nor an in-cluster config. A kubeconfig that cannot be read
/// is a start-up error.
Result<std::optional<cluster::ClientConfig>> ViewConnection(const ServeConfig& config) {
  if (config.cluster_view == ClusterViewMode::kOff) return std::optional<cluster::ClientConfig>();
  if (!config.kubeconfig.empty()) {
    auto loaded = cluster::LoadKubeconfig(config.kubeconfig);
    if (!loaded) return Error{"--kubeconfig: " + loaded.error().message};
    return std::optional<cluster::ClientConfig>(std::move(*loaded));
  }
  if (!cluster::InClusterAvailable(config.in_cluster)) {
    return std::optional<cluster::ClientConfig>();
  }
  auto loaded = cluster::LoadInCluster(config.in_cluster);
  if (!loaded) return Error{"in-cluster config: " + loaded.error().message};
  return std::optional<cluster::ClientConfig>(std::move(*loaded));
}

void ReloadPolicy(policy::PolicyStore& store, metrics::Metrics& metrics) {
  std::string error;
  switch (store.Reload(&error)) {
    case policy::PolicyStore::ReloadOutcome::kReloaded:
      metrics.PolicyReload(true, UnixNow());
      log::Info("policy reloaded", {{"config", store.path()}});
      break;
    case policy::PolicyStore::ReloadOutcome::kFailed:
      metrics.PolicyReload(false, 0);
      log::Error("policy rejected; the previous policy stays in force", {{"error", error}});
      break;
    case policy::PolicyStore::ReloadOutcome::kUnchanged:
      break;
  }
}

void AddRoute(transport::Wiring& wiring, const std::string& path,
              std::unique_ptr<admission::Handler> handler) {
  wiring.routes.push_back(
      {path, MakeAdmissionEndpoint(path, std::move(handler), wiring.metrics)});
}

}  // namespace

transport::Wiring BuildWiring(const std::vector<rules::KindRules>& kinds,
                              std::shared_ptr<const state::SnapshotSource> source,
                              const std::string& version) {
  std::vector<std::pair<std::string, std::vector<std::string>>> webhooks;
  for (const rules::KindRules& kind : kinds) {
    if (!kind.validate_path.empty()) webhooks.emplace_back(kind.validate_path, kind.check_names);
    if (!kind.mutate_path.empty()) webhooks.emplace_back(kind.mutate_path, kind.check_names);
  }
  transport::Wiring wiring;
  wiring.metrics = std::make_shared<metrics::Metrics>(webhooks, version);
  wiring.unrouted = MakeUnroutedEndpoint(wiring.metrics);
  for (const rules::KindRules& kind : kinds) {
    const admission::ExpectedKind expected{kind.gvk.group, kind.gvk.kind};
    if (!kind.validate_path.empty()) {
      AddRoute(wiring, kind.validate_path,
               admission::MakeValidatingHandler(kind.validator, expected, source));
    }
    if (!kind.mutate_path.empty()) {
      AddRoute(wiring, kind.mutate_path,
               admission::MakeMutatingHandler(kind.mutator, expected, source));
    }
  }
  return wiring;
}

struct App::Parts {
  std::unique_ptr<policy::PolicyStore> policies;
  std::shared_ptr<metrics::Metrics> metrics;  // outlives the view (its instruments)
  std::unique_ptr<cluster::View> view;        // null when the view is off
  std::unique_ptr<transport::Server> server;
  std::string policy_label;
  std::chrono::milliseconds sync_timeout{0};
  std::atomic<std::int64_t> ready_after_ns{0};  // steady clock; set by Run()

  ~Parts() {
    server.reset();  // no request reads the view any more
    if (view) view->Stop();
  }

  /// /readyz: the view (when on) listed every resource once, or the sync timeout passed.
  bool ViewReady() const {
    if (!view || view->Synced()) return true;
    const std::int64_t after = ready_after_ns.load();
    return after != 0 && std::chrono::steady_clock::now().time_since_epoch().count() >= after;
  }
};

Result<std::unique_ptr<App>> App::Create(const ServeConfig& config) {
  auto parts = std::make_unique<Parts>();
  // Policy: the file when given (fatal if bad at start-up), else the embedded default.
  auto policies = OpenPolicy(config.policy_file);
  if (!policies) return policies.error();
  parts->policies = std::move(*policies);
  parts->policy_label = config.policy_file.empty() ? "embedded default" : config.policy_file;

  auto connection = ViewConnection(config);
  if (!connection) return connection.error();

  // The source learns of the view once it exists: the wiring (and its metrics registry, where the
  // view registers its instruments) comes first.
  auto source = std::make_shared<LiveSnapshotSource>(*parts->policies);
  transport::Wiring wiring = BuildWiring(rules::AdmittedKinds(), source, ALBWEBHOOK_VERSION);
  parts->metrics = wiring.metrics;
  if (*connection) {
    cluster::ViewConfig view_config = config.view;
    view_config.client = std::move(**connection);
    auto view = cluster::View::Create(view_config, parts->metrics->registry());
    if (!view) return Error{"cluster view: " + view.error().message};
    parts->view = std::move(*view);
    source->SetView(parts->view.get());
    parts->sync_timeout = config.cluster_sync_timeout;
    wiring.ready = [p = parts.get()] { return p->ViewReady(); };
  }
  wiring.metrics->PolicyReload(true, UnixNow());
  wiring.reload = [store = parts->policies.get(), m = wiring.metrics.get()] {
    ReloadPolicy(*store, *m);
  };
  auto server = transport::Server::Create(config, std::move(wiring));
  if (!server) return server.error();
  parts->server = std::move(*server);
  return std::unique_ptr<App>(new App(std::move(parts)));
}

App::App(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
App::~App() = default;

std::uint16_t App::webhook_port() const { return parts_->server->webhook_port(); }
std::uint16_t App::metrics_port() const { return parts_->server->metrics_port(); }

void App::Run() {
  log::Info("policy", {{"policy", parts_->policy_label}});
  if (parts_->view) {
    const auto deadline = std::chrono::steady_clock::now() + parts_->sync_timeout;
    parts_->ready_after_ns = deadline.time_since_epoch().count();
    parts_->view->Start();
    log::Info("cluster view started", {{"sync_timeout_ms", parts_->sync_timeout.count()}});
  } else {
    log::Info("cluster view off");
  }
  parts_->server->Run();
  if (parts_->view) parts_->view->Stop();
}

void App::Shutdown() { parts_->server->Shutdown(); }
void App::Reload() { parts_->server->Reload(); }

}  // namespace albwebhook::app
