// Client configuration: kubeconfig (current context) and in-cluster service account.
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "albwebhook/cluster/config.hpp"

namespace albwebhook::cluster {
namespace {

namespace fs = std::filesystem;

Result<std::string> ReadWholeFile(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{std::string("cannot read ") + what + " " + path};
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

Result<std::string> DecodeBase64(std::string_view text, const std::string& field) {
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=' || c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    int v = Base64Value(c);
    if (v < 0) return Error{field + " is not valid base64"};
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

// The entry named `name` of a kubeconfig list (clusters, users, contexts): its `key` map.
YAML::Node NamedEntry(const YAML::Node& root, const char* list, const std::string& name,
                      const char* key) {
  const YAML::Node entries = root[list];
  if (!entries || !entries.IsSequence()) return YAML::Node();
  for (const auto& entry : entries) {
    if (entry.IsMap() && entry["name"] && entry["name"].IsScalar() &&
        entry["name"].as<std::string>() == name) {
      return entry[key];
    }
  }
  return YAML::Node();
}

std::string Scalar(const YAML::Node& map, const char* key) {
  if (!map || !map.IsMap()) return "";
  const YAML::Node v = map[key];
  return v && v.IsScalar() ? v.as<std::string>() : "";
}

std::string Resolve(const fs::path& base_dir, const std::string& file) {
  fs::path p(file);
  return p.is_absolute() ? file : (base_dir / p).string();
}

// `<key>-data` (base64) or `<key>` (a file): the PEM, "" when neither is set.
Result<std::string> PemField(const YAML::Node& map, const std::string& key,
                             const fs::path& base_dir) {
  std::string data = Scalar(map, (key + "-data").c_str());
  if (!data.empty()) return DecodeBase64(data, key + "-data");
  std::string file = Scalar(map, key.c_str());
  if (file.empty()) return std::string();
  return ReadWholeFile(Resolve(base_dir, file), key.c_str());
}

Result<bool> ApplyCluster(const YAML::Node& cluster, const fs::path& dir, ClientConfig& cfg) {
  if (!cluster || !cluster.IsMap()) return Error{"kubeconfig: the current context's cluster is missing"};
  auto server = ParseServerUrl(Scalar(cluster, "server"));
  if (!server) return Error{"kubeconfig: " + server.error().message};
  cfg.host = server->host;
  cfg.port = server->port;
  cfg.base_path = server->base_path;
  auto ca = PemField(cluster, "certificate-authority", dir);
  if (!ca) return Error{"kubeconfig: " + ca.error().message};
  cfg.ca_pem = std::move(ca.value());
  cfg.insecure_skip_tls_verify = Scalar(cluster, "insecure-skip-tls-verify") == "true";
  return true;
}

Result<bool> ApplyUser(const YAML::Node& user, const fs::path& dir, ClientConfig& cfg) {
  if (!user) return true;  // no credentials: anonymous (or client certificates in the cluster)
  if (!user.IsMap()) return Error{"kubeconfig: the current context's user is not a map"};
  cfg.token = Scalar(user, "token");
  std::string token_file = Scalar(user, "tokenFile");
  if (!token_file.empty()) cfg.token_file = Resolve(dir, token_file);
  auto cert = PemField(user, "client-certificate", dir);
  if (!cert) return Error{"kubeconfig: " + cert.error().message};
  auto key = PemField(user, "client-key", dir);
  if (!key) return Error{"kubeconfig: " + key.error().message};
  if (cert->empty() != key->empty()) {
    return Error{"kubeconfig: client-certificate and client-key must be given together"};
  }
  cfg.client_cert_pem = std::move(cert.value());
  cfg.client_key_pem = std::move(key.value());
  bool has_credentials =
      !cfg.token.empty() || !cfg.token_file.empty() || !cfg.client_cert_pem.empty();
  if (user["exec"] && !has_credentials) {
    return Error{"kubeconfig: exec credential plugins are not supported"};
  }
  return true;
}

}  // namespace

Result<ClientConfig> ParseServerUrl(const std::string& url) {
  constexpr std::string_view kScheme = "https://";
  if (url.rfind(kScheme, 0) != 0) return Error{"server URL must start with https://: " + url};
  std::string_view rest = std::string_view(url).substr(kScheme.size());
  ClientConfig cfg;
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view path = rest.substr(slash);
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    cfg.base_path = std::string(path);
  }
  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return Error{"server URL has a bad IPv6 host: " + url};
    cfg.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return Error{"server URL is malformed: " + url};
    has_port = !after.empty();
    if (has_port) port_text = after.substr(1);
  } else {
    auto colon = authority.find(':');
    cfg.host = std::string(authority.substr(0, colon));
    has_port = colon != std::string_view::npos;
    if (has_port) port_text = authority.substr(colon + 1);
  }
  if (cfg.host.empty()) return Error{"server URL has no host: " + url};
  if (has_port) {
    unsigned port = 0;
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || p != port_text.data() + port_text.size() || port == 0 || port > 65535) {
      return Error{"server URL has a bad port: " + url};
    }
    cfg.port = static_cast<std::uint16_t>(port);
  }
  return cfg;
}

Result<ClientConfig> LoadKubeconfig(const std::string& path) {
  auto text = ReadWholeFile(path, "kubeconfig");
  if (!text) return text.error();
  try {
    YAML::Node root = YAML::Load(text.value());
    if (!root.IsMap()) return Error{"kubeconfig " + path + " is not a YAML map"};
    std::string context_name = Scalar(root, "current-context");
    if (context_name.empty()) return Error{"kubeconfig " + path + " has no current-context"};
    YAML::Node context = NamedEntry(root, "contexts", context_name, "context");
    if (!context || !context.IsMap()) {
      return Error{"kubeconfig: context " + context_name + " is not defined"};
    }
    fs::path dir = fs::absolute(fs::path(path)).parent_path();
    ClientConfig cfg;
    auto cluster = ApplyCluster(NamedEntry(root, "clusters", Scalar(context, "cluster"), "cluster"),
                                dir, cfg);
    if (!cluster) return cluster.error();
    auto user = ApplyUser(NamedEntry(root, "users", Scalar(context, "user"), "user"), dir, cfg);
    if (!user) return user.error();
    cfg.source = "kubeconfig " + path;
    return cfg;
  } catch (const std::exception& e) {
    return Error{"kubeconfig " + path + ": " + e.what()};
  }
}

namespace {
std::optional<std::string> EnvOr(const std::optional<std::string>& given, const char* name) {
  if (given) return given;
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}
}  // namespace

bool InClusterAvailable(const InClusterSource& source) {
  std::error_code ec;
  return EnvOr(source.host, "KUBERNETES_SERVICE_HOST").has_value() &&
         fs::exists(fs::path(source.service_account_dir) / "token", ec);
}

Result<ClientConfig> LoadInCluster(const InClusterSource& source) {
  auto host = EnvOr(source.host, "KUBERNETES_SERVICE_HOST");
  auto port = EnvOr(source.port, "KUBERNETES_SERVICE_PORT");
  if (!host || !port) return Error{"in-cluster: KUBERNETES_SERVICE_HOST/PORT are not set"};
  std::string authority = host->find(':') != std::string::npos ? "[" + *host + "]" : *host;
  auto cfg = ParseServerUrl("https://" + authority + ":" + *port);
  if (!cfg) return Error{"in-cluster: " + cfg.error().message};
  fs::path dir(source.service_account_dir);
  std::error_code ec;
  if (!fs::exists(dir / "token", ec)) {
    return Error{"in-cluster: no service-account token in " + dir.string()};
  }
  cfg->token_file = (dir / "token").string();
  auto ca = ReadWholeFile((dir / "ca.crt").string(), "service-account CA");
  if (!ca) return Error{"in-cluster: " + ca.error().message};
  cfg->ca_pem = std::move(ca.value());
  cfg->source = "in-cluster";
  return cfg;
}

}  // namespace albwebhook::cluster
