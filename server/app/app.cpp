#include "albwebhook/app/app.hpp"

#include <chrono>
#include <fstream>
#include <sstream>

#include "albwebhook/admission/handler.hpp"
#include "albwebhook/log/log.hpp"
#include "albwebhook/metrics/metrics.hpp"
#include "albwebhook/policy/policy.hpp"
#include "albwebhook/rules/registry.hpp"
#include "app/admission_endpoint.hpp"

#ifndef ALBWEBHOOK_VERSION
#define ALBWEBHOOK_VERSION "dev"
#endif

namespace albwebhook::app {
namespace {

double UnixNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Result<std::string> ReadPolicyText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot open " + path};
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

Result<std::unique_ptr<policy::PolicyStore>> OpenPolicy(const std::string& path) {
  if (path.empty()) return std::make_unique<policy::PolicyStore>("", policy::Policy{});
  auto text = ReadPolicyText(path);
  if (!text) return Error{"policy: " + text.error().message};
  auto parsed = policy::ParsePolicy(*text);
  if (!parsed) return Error{"policy " + path + ": " + parsed.error().message};
  return std::make_unique<policy::PolicyStore>(path, std::move(*parsed), std::move(*text));
}

/// The live snapshot: the policy store's current policy (the cluster view joins it later).
class LiveSnapshotSource final : public state::SnapshotSource {
 public:
  explicit LiveSnapshotSource(const policy::PolicyStore& policies) : policies_(policies) {}
  state::Snapshot Current() const override { return {policies_.Current(), nullptr}; }

 private:
  const policy::PolicyStore& policies_;
};

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
  std::unique_ptr<transport::Server> server;
  std::string policy_label;
};

Result<std::unique_ptr<App>> App::Create(const ServeConfig& config) {
  auto parts = std::make_unique<Parts>();
  // Policy: the file when given (fatal if bad at start-up), else the embedded default.
  auto policies = OpenPolicy(config.policy_file);
  if (!policies) return policies.error();
  parts->policies = std::move(*policies);
  parts->policy_label = config.policy_file.empty() ? "embedded default" : config.policy_file;

  auto source = std::make_shared<LiveSnapshotSource>(*parts->policies);
  transport::Wiring wiring = BuildWiring(rules::AdmittedKinds(), source, ALBWEBHOOK_VERSION);
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
  parts_->server->Run();
}

void App::Shutdown() { parts_->server->Shutdown(); }
void App::Reload() { parts_->server->Reload(); }

}  // namespace albwebhook::app
