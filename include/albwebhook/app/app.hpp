// The composition root of `serve`: builds the policy store, the snapshot source, the registry's
// rule sets, the admission endpoints and metrics, and hands them to the transport.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "albwebhook/cluster/config.hpp"
#include "albwebhook/cluster/view.hpp"
#include "albwebhook/rules/rule.hpp"
#include "albwebhook/state/snapshot.hpp"
#include "albwebhook/transport/route.hpp"
#include "albwebhook/transport/server.hpp"
#include "albwebhook/util/result.hpp"

namespace albwebhook::app {

/// `--cluster-view`: auto = on when a kubeconfig is given or the in-cluster config exists.
enum class ClusterViewMode { kAuto, kOff };

/// `serve`'s whole configuration: the transport's, plus what the application reads.
struct ServeConfig : transport::ServerConfig {
  std::string policy_file;  // empty: embedded default policy
  std::string kubeconfig;   // --kubeconfig; empty: the in-cluster config when it exists
  ClusterViewMode cluster_view = ClusterViewMode::kAuto;
  /// Longest wait for the view's first full list before /readyz turns 200 anyway.
  std::chrono::milliseconds cluster_sync_timeout{30000};
  /// Where the in-cluster config is looked for (tests point it elsewhere).
  cluster::InClusterSource in_cluster;
  /// The view's timings (tests shrink them); its `client` is filled from the connection config.
  cluster::ViewConfig view;
};

/// The routes (one per webhook path of `kinds`) and metrics for the transport; every handler reads
/// its snapshot from `source`. `reload` and `ready` are left empty.
transport::Wiring BuildWiring(const std::vector<rules::KindRules>& kinds,
                              std::shared_ptr<const state::SnapshotSource> source,
                              const std::string& version);

/// The running webhook: Create() loads the policy and certificates and binds both ports (errors
/// are returned, nothing is left running); the rest is transport::Server's.
class App {
 public:
  struct Parts;  // what an App owns (app.cpp); it makes App move-only

  static Result<std::unique_ptr<App>> Create(const ServeConfig& config);
  explicit App(std::unique_ptr<Parts> parts);
  ~App();

  /// Serves until Shutdown() has drained. Starts the cluster view first, when it is on.
  void Run();
  /// Graceful drain (thread-safe; see transport::Server::Shutdown). Re-checking certificate and
  /// policy files now is Reload() (what SIGHUP does).
  void Shutdown();
  void Reload();
  std::uint16_t webhook_port() const;
  std::uint16_t metrics_port() const;

 private:
  std::unique_ptr<Parts> parts_;
};

}  // namespace albwebhook::app
