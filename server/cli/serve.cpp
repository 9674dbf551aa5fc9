#include <charconv>
#include <cstdio>
#include <thread>
#include <utility>

#include "albwebhook/cli/cli.hpp"
#include "albwebhook/log/log.hpp"
#include "albwebhook/util/duration.hpp"

#ifndef ALBWEBHOOK_VERSION
#define ALBWEBHOOK_VERSION "dev"
#endif

namespace albwebhook::cli {
namespace {

constexpr const char* kUsage = R"(Usage: alb-webhook [serve] [flags]
       alb-webhook check [flags] FILE...   (see alb-webhook check --help)
       alb-webhook version

Serve flags:
  --listen HOST:PORT          HTTPS webhook address (default 0.0.0.0:9443; port 0 = any free port)
  --metrics-listen HOST:PORT  plain-HTTP /metrics /healthz /readyz (default 0.0.0.0:8080)
  --cert-dir DIR              directory with tls.crt and tls.key
                              (default /tmp/k8s-webhook-server/serving-certs)
  --tls-cert-file FILE        serving certificate chain (default <cert-dir>/tls.crt)
  --tls-key-file FILE         serving key (default <cert-dir>/tls.key)
  --client-ca-file FILE       require client certificates signed by this CA (mTLS)
  --config FILE               policy file (YAML), reloaded on change (default: embedded policy)
  --threads N                 I/O worker threads (default: number of CPUs)
  --shutdown-grace DURATION   drain time after SIGTERM (default 15s)
  --max-connections N         cap on open webhook connections (default 4096)
  --max-buffered-body-bytes N request bodies buffered at once, all connections together;
                              beyond it a request is answered 503 (default 67108864 = 64 MiB)
  --kubeconfig FILE           kubeconfig for the cluster view (its current context)
  --cluster-view MODE         auto (on with --kubeconfig or in a cluster) or off (default auto)
  --cluster-sync-timeout DURATION
                              longest wait for the view's first list before /readyz turns 200
                              (default 30s)
  --log-level LEVEL           debug, info, warn, error (default info)
  --help                      this text
)";

bool ParseCount(const std::string& text, long long min, long long max, long long* out) {
  long long v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v < min || v > max) return false;
  *out = v;
  return true;
}

// The value of the flag args[*i]: after its '=' (*flag is then cut to the name), else the next
// argument.
Result<std::string> FlagValue(const std::vector<std::string>& args, std::size_t* i,
                              std::string* flag) {
  if (const auto eq = flag->find('='); eq != std::string::npos) {
    std::string value = flag->substr(eq + 1);
    *flag = flag->substr(0, eq);
    return value;
  }
  if (*i + 1 >= args.size()) return Error{*flag + " needs a value"};
  return args[++*i];
}

// The serving pair: tls.crt and tls.key in cert_dir unless given one by one.
struct ServeFiles {
  std::string cert_dir = "/tmp/k8s-webhook-server/serving-certs";
  std::string cert_file;
  std::string key_file;
};

// Where the server listens and what it reads. False when `flag` is not one of those.
bool ApplyPathFlag(const std::string& flag, const std::string& val, app::ServeConfig* config,
                   ServeFiles* files) {
  const std::pair<const char*, std::string*> targets[] = {
      {"--listen", &config->listen},        {"--metrics-listen", &config->metrics_listen},
      {"--cert-dir", &files->cert_dir},     {"--tls-cert-file", &files->cert_file},
      {"--tls-key-file", &files->key_file}, {"--client-ca-file", &config->client_ca_file},
      {"--config", &config->policy_file}};
  for (const auto& [name, target] : targets) {
    if (flag == name) {
      *target = val;
      return true;
    }
  }
  return false;
}

// The counted limits. False when `flag` is not one of those, an Error for a bad count.
Result<bool> ApplyCountFlag(const std::string& flag, const std::string& val,
                            app::ServeConfig* config) {
  long long n = 0;
  if (flag == "--threads") {
    if (!ParseCount(val, 1, 256, &n)) return Error{"--threads: expected an integer from 1 to 256"};
    config->threads = static_cast<int>(n);
  } else if (flag == "--max-connections") {
    if (!ParseCount(val, 1, 1000000, &n))
      return Error{"--max-connections: expected an integer from 1 to 1000000"};
    config->max_connections = static_cast<std::size_t>(n);
  } else if (flag == "--max-buffered-body-bytes") {
    // At least one largest body (7 MiB), else such a request could never be served.
    if (!ParseCount(val, static_cast<long long>(config->max_body_bytes), 1LL << 40, &n)) {
      return Error{"--max-buffered-body-bytes: expected an integer from " +
                   std::to_string(config->max_body_bytes) + " to 1099511627776"};
    }
    config->max_buffered_body_bytes = static_cast<std::size_t>(n);
  } else {
    return false;
  }
  return true;
}

}  // namespace

Result<app::ServeConfig> ParseServeFlags(const std::vector<std::string>& args,
                                         std::string* log_level, bool* help) {
  app::ServeConfig config;
  const unsigned cpus = std::thread::hardware_concurrency();
  config.threads = cpus == 0 ? 1 : static_cast<int>(cpus);
  ServeFiles files;
  *log_level = "info";
  *help = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    if (flag == "--help" || flag == "-h") {
      *help = true;
      return Error{kUsage};
    }
    if (flag.rfind("--", 0) != 0) return Error{"unexpected argument \"" + flag + "\"\n\n" + kUsage};
    auto v = FlagValue(args, &i, &flag);
    if (!v) return v.error();
    const std::string& val = *v;
    auto counted = ApplyCountFlag(flag, val, &config);
    if (!counted) return counted.error();
    if (*counted || ApplyPathFlag(flag, val, &config, &files)) {
      continue;
    } else if (flag == "--shutdown-grace" || flag == "--cluster-sync-timeout") {
      const auto duration = util::ParseGoDuration(val);
      if (duration.count() < 0) {
        return Error{flag + ": expected a duration such as " +
                     (flag == "--shutdown-grace" ? "15s" : "30s") + " or 500ms"};
      }
      (flag == "--shutdown-grace" ? config.shutdown_grace : config.cluster_sync_timeout) = duration;
    } else if (flag == "--kubeconfig") {
      if (val.empty()) return Error{"--kubeconfig: expected a file"};
      config.kubeconfig = val;
    } else if (flag == "--cluster-view") {
      if (val != "auto" && val != "off") return Error{"--cluster-view: expected auto or off"};
      config.cluster_view = val == "off" ? app::ClusterViewMode::kOff : app::ClusterViewMode::kAuto;
    } else if (flag == "--log-level") {
      if (!log::ParseLevel(val)) return Error{"--log-level: expected debug, info, warn or error"};
      *log_level = val;
    } else {
      return Error{"unknown flag " + flag + "\n\n" + kUsage};
    }
  }
  config.cert_file = files.cert_file.empty() ? files.cert_dir + "/tls.crt" : files.cert_file;
  config.key_file = files.key_file.empty() ? files.cert_dir + "/tls.key" : files.key_file;
  config.handle_signals = true;
  return config;
}

int Main(const std::vector<std::string>& args) {
  std::vector<std::string> rest = args;
  std::string command = "serve";
  if (!rest.empty() && rest[0].rfind("-", 0) != 0) {
    command = rest[0];
    rest.erase(rest.begin());
  }
  if (command == "version") {
    std::printf("alb-webhook %s\n", ALBWEBHOOK_VERSION);
    return 0;
  }
  if (command == "check") return RunCheck(rest);
  if (command != "serve") {
    std::fprintf(stderr, "unknown command \"%s\"\n\n%s", command.c_str(), kUsage);
    return 2;
  }
  std::string level_name;
  bool help = false;
  auto config = ParseServeFlags(rest, &level_name, &help);
  if (!config) {
    std::fprintf(help ? stdout : stderr, "%s\n", config.error().message.c_str());
    return help ? 0 : 2;
  }
  log::SetLevel(*log::ParseLevel(level_name));
  auto server = app::App::Create(*config);
  if (!server) {
    log::Error("cannot start", {{"error", server.error().message}});
    return 1;
  }
  (*server)->Run();
  return 0;
}

}  // namespace albwebhook::cli
