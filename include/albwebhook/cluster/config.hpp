#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "albwebhook/util/result.hpp"

namespace albwebhook::cluster {

/// How to reach the API server. PEM material is held in memory (files are read at load time);
/// the token file alone is read again later (rotation: when it changes and after every 401).
struct ClientConfig {
  std::string host;              // name or IP (IPv6 without brackets)
  std::uint16_t port = 443;
  std::string base_path;         // server URL path prefix, "" or "/prefix" (no trailing '/')
  std::string ca_pem;            // empty: the system trust store
  bool insecure_skip_tls_verify = false;
  std::string token;             // static bearer token (kubeconfig `token`)
  std::string token_file;        // re-read on change and after 401 (wins over `token`)
  std::string client_cert_pem;   // client certificate chain, with client_key_pem
  std::string client_key_pem;
  std::string source;            // "kubeconfig FILE" / "in-cluster", for logs
};

/// The current context of a kubeconfig file: server, certificate-authority(-data),
/// insecure-skip-tls-verify, token / tokenFile, client-certificate(-data) / client-key(-data).
/// Relative file paths are resolved against the kubeconfig's directory, as kubectl does.
Result<ClientConfig> LoadKubeconfig(const std::string& path);

/// Where the in-cluster config comes from; the defaults are the real ones, tests inject theirs.
struct InClusterSource {
  std::string service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";
  std::optional<std::string> host;  // unset: $KUBERNETES_SERVICE_HOST
  std::optional<std::string> port;  // unset: $KUBERNETES_SERVICE_PORT
};

/// True when the in-cluster config exists (the host variable is set and the token file exists).
bool InClusterAvailable(const InClusterSource& source = {});
/// The in-cluster config: host/port from the environment, `token` (as a token file) and
/// `ca.crt` under the service-account directory.
Result<ClientConfig> LoadInCluster(const InClusterSource& source = {});

/// Parses "https://host[:port][/path]" (http:// is refused). IPv6 literals in brackets.
Result<ClientConfig> ParseServerUrl(const std::string& url);

}  // namespace albwebhook::cluster
