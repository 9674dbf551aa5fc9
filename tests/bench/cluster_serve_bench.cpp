// The cluster view in the real binary (`alb-webhook serve --kubeconfig`, its allocator, the
// production intervals), against the fake API server running in this process over TLS. Figures
// only, no assertions (issue 12):
//
//   memory  the server's RSS once it has listed 10 000 Ingresses + 5 000 Services + 1 000
//           TargetGroupBindings (realistic objects, ~6 KB each as listed, pages of 500), over
//           its RSS with an empty cluster; both read from /proc/PID/status after the objects
//           metric shows the whole list and the server has been idle for a while (list buffers
//           freed). Also the peak (VmHWM) during the sync.
//   storm   validate throughput on keep-alive TLS connections, windows without and with a watch
//           storm of 200 Ingress events/s (MODIFIED, a few ADDED): rounds of two adjacent
//           windows (ABBA order), the median of the per-round ratios; pooled medians too.
//
//   latency a request's latency (one connection, requests one after another) with the view, the
//           candidate joining an IngressGroup of 50, against the same binary with
//           `--cluster-view off` (issue 13); paired windows as for the storm. Then each request
//           timed on its own, the two servers' requests interleaved one by one (ABBA), so that
//           the machine's drift falls on both alike: per-request medians and percentiles.
//           Both servers run pinned to CPU 0 and the client to CPU 1 (the CPUs' speeds differ).
//
//   albwebhook_cluster_serve_bench [memory|storm|latency|all] [--binary PATH] [--seconds S]
//                                  [--rounds R] [--connections C] [--events-per-second N]
//                                  [--server-arg FLAG]...  (appended to every server's flags,
//                                  e.g. --server-arg --threads --server-arg 1)
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cluster_objects.hpp"
#include "support/fake_apiserver.hpp"
#include "support/raw_client.hpp"
#include "support/test_pki.hpp"

using albwebhook::testing::BinaryServer;
using albwebhook::testing::ClientContext;
using albwebhook::testing::FakeApiServer;
using albwebhook::testing::FakeApiServerOptions;
using albwebhook::testing::LoadGenerator;
using albwebhook::testing::LoadOptions;
using albwebhook::testing::PlainRequest;
using albwebhook::testing::RawConn;
using albwebhook::testing::RawResponse;
using namespace albwebhook::bench;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

constexpr int kIngresses = 10000, kServices = 5000, kBindings = 1000, kNamespaces = 200;
constexpr const char* kIngressResource = "ingresses.networking.k8s.io";

struct Flags {
  std::string mode = "all";
  std::string binary = ALBWEBHOOK_BINARY;
  int seconds = 2, rounds = 10, connections = 4, events_per_second = 200;
  std::vector<std::string> server_args;  // --server-arg: appended to every server's flags
};

std::string Ns(int i) { return "team-" + std::to_string(i % kNamespaces); }

/// The fake with the class `alb` (the LBC's controller) and the namespaces; `full` adds the
/// 16 000 objects of the issue's figure.
std::unique_ptr<FakeApiServer> MakeApi(const albwebhook::testing::Pki& pki, bool full) {
  FakeApiServerOptions o;
  o.cert_file = pki.server_cert;
  o.key_file = pki.server_key;
  o.history_limit = 100000;
  auto api = std::make_unique<FakeApiServer>(o);
  api->Upsert("ingressclasses.networking.k8s.io",
              {{"metadata", {{"name", "alb"}}}, {"spec", {{"controller", "ingress.k8s.aws/alb"}}}});
  for (int n = 0; n < kNamespaces; ++n) {
    api->Upsert("namespaces", {{"metadata", {{"name", Ns(n)}, {"labels", {{"team", Ns(n)}}}}}});
  }
  if (!full) return api;
  for (int i = 0; i < kIngresses; ++i) api->Upsert(kIngressResource, IngressObject(Ns(i), i, 1));
  for (int i = 0; i < kServices; ++i) api->Upsert("services", ServiceObject(Ns(i), i));
  for (int i = 0; i < kBindings; ++i) {
    api->Upsert("targetgroupbindings.elbv2.k8s.aws", BindingObject(Ns(i), i));
  }
  return api;
}

/// A field of /proc/PID/status in KiB (VmRSS, VmHWM); -1 when unreadable.
long StatusKib(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  }
  return -1;
}

/// CPU seconds (user + system) a process has used, from /proc/PID/stat; 0 when unreadable.
/// A process's CPU time (user + system, all threads) and minor page faults, from /proc/PID/stat;
/// its context switches (voluntary and not, all threads), from /proc/PID/task/*/status.
struct ProcStat {
  double cpu_seconds = 0;
  long minor_faults = 0;
  long context_switches = 0;
};

long ContextSwitches(pid_t pid) {
  long total = 0;
  std::error_code ec;
  const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks, ec)) {
    std::ifstream in(task.path() / "status");
    std::string line;
    while (std::getline(in, line)) {
      if (line.starts_with("voluntary_ctxt_switches:") ||
          line.starts_with("nonvoluntary_ctxt_switches:")) {
        total += std::atol(line.c_str() + line.find(':') + 1);
      }
    }
  }
  return total;
}

ProcStat ReadProcStat(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ProcStat out;
  const auto paren = stat.rfind(')');
  if (paren == std::string::npos) return out;
  std::istringstream fields(stat.substr(paren + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; fields >> field; ++i) {  // field 3 is the state; minflt 10, utime 14, stime 15
    if (i == 10) out.minor_faults = std::atol(field.c_str());
    if (i == 14) utime = std::atol(field.c_str());
    if (i == 15) {
      stime = std::atol(field.c_str());
      break;
    }
  }
  out.cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  out.context_switches = ContextSwitches(pid);
  return out;
}

double CpuSeconds(pid_t pid) { return ReadProcStat(pid).cpu_seconds; }

/// The value of alb_webhook_cluster_objects for `resource`, -1 when not found.
double ObjectsMetric(std::uint16_t metrics_port, const std::string& resource) {
  std::string body;
  try {
    body = PlainRequest(metrics_port, "GET", "/metrics").body;
  } catch (const std::exception&) {
    return -1;
  }
  const std::string key = "alb_webhook_cluster_objects{resource=\"" + resource + "\"} ";
  auto at = body.find(key);
  return at == std::string::npos ? -1 : std::atof(body.c_str() + at + key.size());
}

/// The sums over every series of alb_webhook_request_duration_seconds: {sum, count}; the
/// server's own time from a complete request to its encoded answer. {-1, -1} when unreadable.
std::pair<double, double> HandlerSeconds(std::uint16_t metrics_port) {
  std::string body;
  try {
    body = PlainRequest(metrics_port, "GET", "/metrics").body;
  } catch (const std::exception&) {
    return {-1, -1};
  }
  double sum = 0, count = 0;
  std::size_t at = 0;
  while ((at = body.find("\nalb_webhook_request_duration_seconds_", at)) != std::string::npos) {
    at += 1;
    const std::size_t end = body.find('\n', at);
    const std::string line = body.substr(at, end == std::string::npos ? end : end - at);
    const std::size_t space = line.rfind(' ');
    if (space == std::string::npos) continue;
    const double value = std::atof(line.c_str() + space + 1);
    if (line.starts_with("alb_webhook_request_duration_seconds_sum")) sum += value;
    if (line.starts_with("alb_webhook_request_duration_seconds_count")) count += value;
  }
  return {sum, count};
}

/// alb_webhook_cluster_watch_restarts_total{reason="expired"} of the Ingresses; -1 when absent.
double ExpiredRestarts(std::uint16_t metrics_port) {
  std::string body;
  try {
    body = PlainRequest(metrics_port, "GET", "/metrics").body;
  } catch (const std::exception&) {
    return -1;
  }
  std::size_t at = 0;
  while ((at = body.find("alb_webhook_cluster_watch_restarts_total{", at)) != std::string::npos) {
    const std::size_t end = body.find('\n', at);
    const std::string line = body.substr(at, end - at);
    at = end;
    if (line.find("reason=\"expired\"") != std::string::npos &&
        line.find(std::string("resource=\"") + kIngressResource + "\"") != std::string::npos) {
      return std::atof(line.c_str() + line.rfind(' ') + 1);
    }
  }
  return -1;
}

struct Server {
  std::unique_ptr<BinaryServer> process;
  std::string log;
};

/// The binary with the view on, pointed at `api`; returns once /readyz answers 200 and the
/// Ingress count is `ingresses` (at most 180 s).
Server StartServer(const Flags& flags, const std::string& dir, const FakeApiServer& api,
                   const albwebhook::testing::Pki& pki, int ingresses) {
  Server s;
  // A log of its own per start: BinaryServer::Start reads the ports from the log, and a reused
  // file can still show the previous server's ports before the new one truncates it.
  static int starts = 0;
  s.log = dir + "/server-" + std::to_string(++starts) + ".log";
  const std::string kubeconfig = api.WriteKubeconfig(dir, pki.ca_cert);
  std::vector<std::string> args = {
      "--cert-dir", dir,           "--kubeconfig", kubeconfig,         "--cluster-sync-timeout",
      "120s",       "--log-level", "info",         "--shutdown-grace", "100ms"};
  args.insert(args.end(), flags.server_args.begin(), flags.server_args.end());
  s.process = BinaryServer::Start(flags.binary, args, s.log);
  if (!s.process) {
    std::fprintf(stderr, "the server did not start (see %s)\n", s.log.c_str());
    std::exit(2);
  }
  const auto limit = Clock::now() + 180s;
  while (Clock::now() < limit) {
    bool ready = false;
    try {
      ready = PlainRequest(s.process->metrics_port(), "GET", "/readyz").status == 200;
    } catch (const std::exception&) {
    }
    if (ready && ObjectsMetric(s.process->metrics_port(), kIngressResource) == ingresses) return s;
    std::this_thread::sleep_for(50ms);
  }
  std::fprintf(stderr, "the server did not sync within 180 s (see %s)\n", s.log.c_str());
  std::exit(2);
}

void MeasureMemory(const Flags& flags, const std::string& dir,
                   const albwebhook::testing::Pki& pki) {
  long base_rss = 0;
  {
    auto api = MakeApi(pki, false);
    Server s = StartServer(flags, dir, *api, pki, 0);
    std::this_thread::sleep_for(2s);
    base_rss = StatusKib(s.process->pid(), "VmRSS");
    std::printf("server RSS, view on, empty cluster (%d namespaces, 1 class): %.1f MiB\n",
                kNamespaces, base_rss / 1024.0);
    s.process->Stop(SIGTERM);
  }
  auto api = MakeApi(pki, true);
  const auto start = Clock::now();
  Server s = StartServer(flags, dir, *api, pki, kIngresses);
  const double sync_s = std::chrono::duration<double>(Clock::now() - start).count();
  std::this_thread::sleep_for(2s);
  const long rss = StatusKib(s.process->pid(), "VmRSS");
  const long hwm = StatusKib(s.process->pid(), "VmHWM");
  std::printf(
      "server RSS, %d Ingresses + %d Services + %d TGBs listed (start to synced %.1f s): "
      "%.1f MiB, +%.1f MiB over the empty cluster (target <= 64); peak during the sync "
      "+%.1f MiB\n",
      kIngresses, kServices, kBindings, sync_s, rss / 1024.0, (rss - base_rss) / 1024.0,
      (hwm - base_rss) / 1024.0);
  // Relists of everything (history compacted, watches dropped: 410 Gone): the old snapshot and
  // the new list coexist until the new one is published. Three in a row tell a plateau (the
  // allocator's high-water mark) from a leak (growth on each).
  for (int relist = 1; relist <= 3; ++relist) {
    const double expired = ExpiredRestarts(s.process->metrics_port());
    const std::string bump = "bump-" + std::to_string(relist);
    api->Upsert("services", {{"metadata", {{"name", bump}, {"namespace", Ns(0)}}}});
    api->Compact();
    api->DropWatches();
    const auto limit = Clock::now() + 120s;
    while (Clock::now() < limit && ExpiredRestarts(s.process->metrics_port()) <= expired) {
      std::this_thread::sleep_for(50ms);
    }
    while (Clock::now() < limit &&
           ObjectsMetric(s.process->metrics_port(), "services") != kServices + relist) {
      std::this_thread::sleep_for(50ms);
    }
    std::this_thread::sleep_for(3s);  // the Ingress relist too (the bump was a Service)
    const long rss2 = StatusKib(s.process->pid(), "VmRSS");
    const long hwm2 = StatusKib(s.process->pid(), "VmHWM");
    std::printf(
        "after relist %d of every resource (410 Gone): %.1f MiB, +%.1f MiB over the empty "
        "cluster; peak +%.1f MiB\n",
        relist, rss2 / 1024.0, (rss2 - base_rss) / 1024.0, (hwm2 - base_rss) / 1024.0);
    std::fflush(stdout);
  }
  s.process->Stop(SIGTERM);
}

std::string CandidateReview() {
  // A new Ingress of its own group, class alb (scope through the IngressClass), backend Service
  // app-1-svc:8080 that the cluster has (looked up in the view).
  json object = IngressObject(Ns(1), 1, 1);
  object["metadata"] = {{"name", "bench-candidate"},
                        {"namespace", Ns(1)},
                        {"annotations",
                         {{"alb.ingress.kubernetes.io/scheme", "internal"},
                          {"alb.ingress.kubernetes.io/group.name", "bench-solo"},
                          {"alb.ingress.kubernetes.io/target-type", "ip"},
                          {"alb.ingress.kubernetes.io/listen-ports", R"([{"HTTPS":443}])"}}}};
  object.erase("status");
  return json{{"apiVersion", "admission.k8s.io/v1"},
              {"kind", "AdmissionReview"},
              {"request",
               {{"uid", "bench"},
                {"kind", {{"group", "networking.k8s.io"}, {"version", "v1"}, {"kind", "Ingress"}}},
                {"resource",
                 {{"group", "networking.k8s.io"}, {"version", "v1"}, {"resource", "ingresses"}}},
                {"name", "bench-candidate"},
                {"namespace", Ns(1)},
                {"operation", "CREATE"},
                {"userInfo", {{"username", "bench"}}},
                {"object", object},
                {"oldObject", nullptr}}}}
      .dump();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

void MeasureStorm(const Flags& flags, const std::string& dir, const albwebhook::testing::Pki& pki) {
  auto api = MakeApi(pki, true);
  Server s = StartServer(flags, dir, *api, pki, kIngresses);
  const std::string body = CandidateReview();
  ClientContext ctx({pki.ca_cert});
  LoadOptions o;
  o.port = s.process->port();
  o.ctx = &ctx;
  o.threads = flags.connections;
  o.requests_per_connection = 1000000;
  o.target = "/validate-networking-v1-ingress";
  o.body = [&](int, long) { return body; };
  o.check = [](const RawResponse& r) -> std::string {
    if (r.status != 200 || r.body.find("\"allowed\":true") == std::string::npos) {
      return "status " + std::to_string(r.status) + ": " + r.body.substr(0, 300);
    }
    return "";
  };

  // The storm: one Ingress event every 1/N s while `storm` is set (MODIFIED of the listed ones;
  // every 50th an ADDED one, so that the server's object count proves the events arrived).
  // Built beforehand, so that the storm costs this process little more than the fake's own work.
  std::vector<json> changes;
  for (int n = 0; n < 400; ++n) {
    const int i = (n * 7919) % kIngresses;
    json changed = IngressObject(Ns(i), i, 1);
    changed["metadata"]["annotations"]["alb.ingress.kubernetes.io/tags"] =
        "team=payments,revision=" + std::to_string(n);
    changes.push_back(std::move(changed));
  }
  std::atomic<bool> storm{false}, running{true};
  std::atomic<long> events{0}, added{0};
  std::thread stormer([&] {
    const auto period = std::chrono::nanoseconds(1000000000L / flags.events_per_second);
    auto next = Clock::now();
    long n = 0;
    while (running.load()) {
      if (!storm.load()) {
        std::this_thread::sleep_for(1ms);
        next = Clock::now();
        continue;
      }
      if (n % 50 == 49) {
        json extra = IngressObject(Ns(static_cast<int>(n)), kIngresses + static_cast<int>(n), 1);
        extra["metadata"]["name"] = "storm-" + std::to_string(n);
        api->Upsert(kIngressResource, extra);
        added.fetch_add(1);
      } else {
        api->Upsert(kIngressResource, changes[static_cast<std::size_t>(n) % changes.size()]);
      }
      ++n;
      events.fetch_add(1);
      next += period;
      std::this_thread::sleep_until(next);
    }
  });

  {  // The storm alone: what the watch traffic costs the server (parsing, pruning, publishing).
    storm.store(true);
    std::this_thread::sleep_for(300ms);
    const double cpu0 = CpuSeconds(s.process->pid()), own0 = CpuSeconds(getpid());
    const long ev0 = events.load();
    const auto t0 = Clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(flags.seconds));
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    const double cpu = CpuSeconds(s.process->pid()) - cpu0;
    const double own = CpuSeconds(getpid()) - own0;
    const long n = events.load() - ev0;
    storm.store(false);
    std::printf(
        "the storm alone (no requests): %.0f events/s cost the server %.1f %% of a core "
        "(%.0f us per event), and this process (the fake API server making them) %.1f %%\n",
        n / secs, cpu / secs * 100, n > 0 ? cpu / n * 1e6 : 0.0, own / secs * 100);
  }
  LoadGenerator load(o);
  load.Start();
  std::this_thread::sleep_for(1s);  // warm-up: connections, handshakes, caches
  // The machine's speed drifts by ±15 % over seconds (a shared VM): each round is a pair of
  // adjacent windows, in A-B then B-A order on alternate rounds (a linear drift cancels), and
  // the figure is the median of the per-round ratios; the pooled medians are printed too.
  std::vector<double> quiet, stormy, quiet_cpu, stormy_cpu, rate_ratio, cpu_ratio;
  std::printf("validate throughput, %d keep-alive TLS connections, %d s windows:\n",
              flags.connections, flags.seconds);
  for (int round = 0; round < flags.rounds; ++round) {
    double rate_of[2] = {0, 0}, cpu_of[2] = {0, 0};
    for (bool on : {round % 2 == 1, round % 2 == 0}) {
      storm.store(on);
      std::this_thread::sleep_for(300ms);  // the storm (or its end) reaches the server
      const long ok0 = load.ok(), ev0 = events.load();
      const double cpu0 = CpuSeconds(s.process->pid()), own0 = CpuSeconds(getpid());
      const auto t0 = Clock::now();
      std::this_thread::sleep_for(std::chrono::seconds(flags.seconds));
      const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
      const long done = load.ok() - ok0;
      const double rate = static_cast<double>(done) / secs;
      const double cpu = CpuSeconds(s.process->pid()) - cpu0;
      const double own = CpuSeconds(getpid()) - own0;
      const double per_request = done > 0 ? cpu / static_cast<double>(done) * 1e6 : 0;
      (on ? stormy : quiet).push_back(rate);
      (on ? stormy_cpu : quiet_cpu).push_back(per_request);
      rate_of[on ? 1 : 0] = rate;
      cpu_of[on ? 1 : 0] = per_request;
      std::printf(
          "  round %2d, %-18s %7.0f req/s, server CPU %5.0f %% (%.0f us per request), load "
          "generator + fake API server %4.0f %%",
          round + 1, on ? "watch storm:" : "no watch events:", rate, cpu / secs * 100, per_request,
          own / secs * 100);
      if (on) std::printf("  (%.0f events/s sent)", (events.load() - ev0) / secs);
      std::printf("\n");
      std::fflush(stdout);
    }
    if (rate_of[0] > 0) rate_ratio.push_back(rate_of[1] / rate_of[0]);
    if (cpu_of[0] > 0) cpu_ratio.push_back(cpu_of[1] / cpu_of[0]);
  }
  storm.store(false);
  load.Stop();
  running.store(false);
  stormer.join();
  const double q = Median(quiet), w = Median(stormy);
  const double qc = Median(quiet_cpu), wc = Median(stormy_cpu);
  std::printf(
      "validate throughput median: %.0f req/s without, %.0f req/s with %d events/s: %+.1f %% "
      "(target within 5 %%); server CPU per request (the storm's own work included) %.0f us "
      "without, %.0f us with: %+.1f %%; %zu failed requests\n",
      q, w, flags.events_per_second, q > 0 ? (w - q) / q * 100 : 0.0, qc, wc,
      qc > 0 ? (wc - qc) / qc * 100 : 0.0, load.failures().size());
  std::printf(
      "paired (median over %d rounds of storm/quiet in adjacent windows): throughput %+.1f %% "
      "(target within 5 %%), server CPU per request %+.1f %%\n",
      flags.rounds, (Median(rate_ratio) - 1) * 100, (Median(cpu_ratio) - 1) * 100);
  if (!load.failures().empty()) std::printf("%s\n", load.FailureSummary().c_str());
  // The events reached the server: its Ingress count includes the ADDED ones.
  const double expected = kIngresses + static_cast<double>(added.load());
  double seen = -1;
  for (auto limit = Clock::now() + 10s; Clock::now() < limit && seen != expected;) {
    seen = ObjectsMetric(s.process->metrics_port(), kIngressResource);
    if (seen != expected) std::this_thread::sleep_for(50ms);
  }
  std::printf("storm delivered: %ld events sent, the server holds %.0f Ingresses (expected %.0f)\n",
              events.load(), seen, expected);
  s.process->Stop(SIGTERM);
}

/// The resource (kubectl name) an object of the group cluster belongs to.
std::string ResourceOf(const json& object) {
  const std::string kind = object.value("kind", "");
  if (kind == "IngressClass") return "ingressclasses.networking.k8s.io";
  if (kind == "IngressClassParams") return "ingressclassparams.elbv2.k8s.aws";
  if (kind == "Namespace") return "namespaces";
  if (kind == "Ingress") return kIngressResource;
  return "services";
}

/// Every thread of process `pid` (or of this process when 0, only the calling thread) onto CPU
/// `cpu`. False when the machine has no such CPU or the kernel refuses.
bool PinToCpu(pid_t pid, int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (pid == 0) return sched_setaffinity(0, sizeof(set), &set) == 0;
  bool ok = true;
  std::error_code ec;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    const pid_t tid = static_cast<pid_t>(std::atol(task.path().filename().c_str()));
    ok = sched_setaffinity(tid, sizeof(set), &set) == 0 && ok;
  }
  return ok && !ec;
}

/// The value at quantile q (0..1) of v (nearest rank).
double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

/// Issue 13, second method: each request timed on its own (write to answer read), one keep-alive
/// connection to each server, the requests interleaved one by one in ABBA order. A window method
/// compares seconds apart, and this VM's speed drifts by tens of percent over seconds; here the
/// two series share every such drift. Per round: the medians and the paired ratio; then the
/// median of the rounds' ratios and the pooled percentiles.
void MeasureInterleaved(const Flags& flags, const std::string& body, const ClientContext& ctx,
                        const BinaryServer& local_server, const BinaryServer& view_server) {
  const std::uint16_t local_port = local_server.port(), view_port = view_server.port();
  std::string error;
  auto local = RawConn::DialTls(local_port, ctx, &error);
  auto view = local ? RawConn::DialTls(view_port, ctx, &error) : nullptr;
  if (!local || !view) {
    std::fprintf(stderr, "interleaved: cannot connect: %s\n", error.c_str());
    std::exit(2);
  }
  const std::string request =
      albwebhook::testing::PostBytes("/validate-networking-v1-ingress", body);
  auto timed = [&request](RawConn& conn) {
    const auto t0 = Clock::now();
    const bool written = conn.Write(request);
    const auto response = written ? conn.ReadResponse() : std::nullopt;
    const auto t1 = Clock::now();
    if (!response || response->status != 200 ||
        response->body.find("\"allowed\":true") == std::string::npos) {
      std::fprintf(stderr, "interleaved: request failed: %s\n",
                   response ? response->body.substr(0, 300).c_str() : "no answer");
      std::exit(2);
    }
    return std::chrono::duration<double, std::micro>(t1 - t0).count();
  };
  constexpr int kWarmup = 2000, kPairs = 5000;
  for (int i = 0; i < kWarmup; ++i) {
    timed(*local);
    timed(*view);
  }
  std::printf(
      "Interleaved: each request timed on its own, object-local and view requests alternating "
      "one by one (ABBA) on one connection each, %d pairs per round:\n",
      kPairs);
  std::vector<double> all_local, all_view, ratios;
  const auto local_handler0 = HandlerSeconds(local_server.metrics_port());
  const auto view_handler0 = HandlerSeconds(view_server.metrics_port());
  for (int round = 0; round < flags.rounds; ++round) {
    std::vector<double> l, v;
    l.reserve(kPairs);
    v.reserve(kPairs);
    for (int i = 0; i < kPairs; ++i) {
      if (i % 2 == 0) {
        l.push_back(timed(*local));
        v.push_back(timed(*view));
      } else {
        v.push_back(timed(*view));
        l.push_back(timed(*local));
      }
    }
    const double ml = Median(l), mv = Median(v);
    ratios.push_back(mv / ml);
    std::printf(
        "  round %2d: object-local median %6.1f us (p90 %6.1f), view median %6.1f us (p90 "
        "%6.1f): %+.1f %%\n",
        round + 1, ml, Quantile(l, 0.9), mv, Quantile(v, 0.9), (mv / ml - 1) * 100);
    std::fflush(stdout);
    all_local.insert(all_local.end(), l.begin(), l.end());
    all_view.insert(all_view.end(), v.begin(), v.end());
  }
  const auto local_handler1 = HandlerSeconds(local_server.metrics_port());
  const auto view_handler1 = HandlerSeconds(view_server.metrics_port());
  auto per_request_us = [](std::pair<double, double> before, std::pair<double, double> after) {
    return after.second > before.second && before.second >= 0
               ? (after.first - before.first) / (after.second - before.second) * 1e6
               : 0.0;
  };
  auto mean = [](const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) sum += x;
    return v.empty() ? 0 : sum / static_cast<double>(v.size());
  };
  std::printf(
      "interleaved, %zu requests each: median of the rounds' ratios %+.1f %% (target within 10 "
      "%%); pooled median %.1f / %.1f us (%+.1f %%), mean %.1f / %.1f us (%+.1f %%), p90 %.1f / "
      "%.1f us, p99 %.1f / %.1f us (object-local / view)\n",
      all_local.size(), (Median(ratios) - 1) * 100, Median(all_local), Median(all_view),
      (Median(all_view) / Median(all_local) - 1) * 100, mean(all_local), mean(all_view),
      (mean(all_view) / mean(all_local) - 1) * 100, Quantile(all_local, 0.9),
      Quantile(all_view, 0.9), Quantile(all_local, 0.99), Quantile(all_view, 0.99));
  std::printf(
      "interleaved: the servers' own time per request (their duration histograms): "
      "object-local %.1f us, view %.1f us\n",
      per_request_us(local_handler0, local_handler1), per_request_us(view_handler0, view_handler1));
}

/// Issue 13: a request's latency as the API server sees it (one keep-alive TLS connection,
/// requests one after another), with the view on an IngressGroup of 50 members, against the same
/// binary with `--cluster-view off` (object-local), same request. Rounds of two adjacent windows
/// in ABBA order; the median of the per-round ratios. Also each server's CPU per request.
void MeasureLatency(const Flags& flags, const std::string& dir,
                    const albwebhook::testing::Pki& pki) {
  constexpr int kMembers = 50;
  FakeApiServerOptions o;
  o.cert_file = pki.server_cert;
  o.key_file = pki.server_key;
  FakeApiServer api(o);
  for (const json& object : GroupCluster(kMembers, kMembers + 1)) {
    api.Upsert(ResourceOf(object), object);
  }
  Server view = StartServer(flags, dir, api, pki, kMembers);
  const std::string local_log = dir + "/object-local.log";
  std::vector<std::string> local_args = {"--cert-dir",  dir,    "--cluster-view",   "off",
                                         "--log-level", "info", "--shutdown-grace", "100ms"};
  local_args.insert(local_args.end(), flags.server_args.begin(), flags.server_args.end());
  auto local = BinaryServer::Start(flags.binary, local_args, local_log);
  if (!local) {
    std::fprintf(stderr, "the object-local server did not start (see %s)\n", local_log.c_str());
    std::exit(2);
  }
  const std::string body = ReviewBody(Candidate(kMembers + 1));
  ClientContext ctx({pki.ca_cert});
  // Both servers on CPU 0, the client on CPU 1: this VM's two CPUs run at different speeds from
  // minute to minute, and a server left to the scheduler may sit on the other CPU than its
  // rival for a whole round (interleaved rounds then read -37 % to +87 %).
  const bool pinned = sysconf(_SC_NPROCESSORS_ONLN) >= 2 && PinToCpu(view.process->pid(), 0) &&
                      PinToCpu(local->pid(), 0) && PinToCpu(0, 1);
  std::printf("%s\n", pinned ? "both servers pinned to CPU 0, the client to CPU 1"
                             : "not pinned (fewer than 2 CPUs, or the kernel refused)");
  std::string first_answer[2];
  struct Window {
    double latency_us = 0, cpu_us = 0;
    double handler_us = 0;  // the server's own time per request (its duration histogram)
    double faults = 0;      // the server's minor page faults per request
    double switches = 0;    // the server's context switches per request
  };
  auto measure = [&](bool with_view) {
    BinaryServer& server = with_view ? *view.process : *local;
    LoadOptions lo;
    lo.port = server.port();
    lo.ctx = &ctx;
    lo.threads = 1;
    lo.requests_per_connection = 100000000;
    lo.target = "/validate-networking-v1-ingress";
    lo.body = [&](int, long) { return body; };
    std::string& answer = first_answer[with_view ? 1 : 0];
    lo.check = [&answer](const RawResponse& r) -> std::string {
      if (answer.empty()) answer = r.body;
      if (r.status != 200 || r.body.find("\"allowed\":true") == std::string::npos) {
        return "status " + std::to_string(r.status) + ": " + r.body.substr(0, 300);
      }
      return "";
    };
    LoadGenerator load(lo);
    load.Start();
    std::this_thread::sleep_for(300ms);  // the handshake and a warm-up
    const long ok0 = load.ok();
    const auto handler0 = HandlerSeconds(server.metrics_port());
    const ProcStat stat0 = ReadProcStat(server.pid());
    const auto t0 = Clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(flags.seconds));
    const long done = load.ok() - ok0;
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    const ProcStat stat1 = ReadProcStat(server.pid());
    const double cpu = stat1.cpu_seconds - stat0.cpu_seconds;
    const auto handler1 = HandlerSeconds(server.metrics_port());
    load.Stop();
    if (!load.failures().empty()) {
      std::fprintf(stderr, "failed requests: %s\n", load.FailureSummary().c_str());
      std::exit(2);
    }
    Window w;
    if (done > 0) {
      w.latency_us = secs / static_cast<double>(done) * 1e6;
      w.cpu_us = cpu / static_cast<double>(done) * 1e6;
      w.faults =
          static_cast<double>(stat1.minor_faults - stat0.minor_faults) / static_cast<double>(done);
      w.switches = static_cast<double>(stat1.context_switches - stat0.context_switches) /
                   static_cast<double>(done);
    }
    if (handler1.second > handler0.second && handler0.second >= 0) {
      w.handler_us = (handler1.first - handler0.first) / (handler1.second - handler0.second) * 1e6;
    }
    return w;
  };
  std::printf(
      "Ingress validate latency, one keep-alive TLS connection, requests one after another, %d s "
      "windows; the candidate joins an IngressGroup of %d members (view) or is judged "
      "object-local (--cluster-view off):\n",
      flags.seconds, kMembers);
  std::vector<double> latency_ratio, cpu_ratio, local_latency, view_latency, local_cpu, view_cpu,
      local_handler, view_handler;
  for (int round = 0; round < flags.rounds; ++round) {
    Window w[2];
    for (bool with_view : {round % 2 == 1, round % 2 == 0})
      w[with_view ? 1 : 0] = measure(with_view);
    std::printf(
        "  round %2d: object-local %6.1f us (server CPU %5.1f, handler %5.1f us, %.2f faults, %.2f "
        "switches), view %6.1f us (server CPU %5.1f, handler %5.1f us, %.2f faults, %.2f "
        "switches): %+.1f %%\n",
        round + 1, w[0].latency_us, w[0].cpu_us, w[0].handler_us, w[0].faults, w[0].switches,
        w[1].latency_us, w[1].cpu_us, w[1].handler_us, w[1].faults, w[1].switches,
        (w[1].latency_us / w[0].latency_us - 1) * 100);
    std::fflush(stdout);
    local_latency.push_back(w[0].latency_us);
    view_latency.push_back(w[1].latency_us);
    local_cpu.push_back(w[0].cpu_us);
    view_cpu.push_back(w[1].cpu_us);
    local_handler.push_back(w[0].handler_us);
    view_handler.push_back(w[1].handler_us);
    latency_ratio.push_back(w[1].latency_us / w[0].latency_us);
    cpu_ratio.push_back(w[1].cpu_us / w[0].cpu_us);
  }
  std::printf(
      "latency median: object-local %.1f us, view (group of %d) %.1f us; paired (median over %d "
      "rounds): %+.1f %% (target within 10 %%); server CPU per request %.1f / %.1f us, paired "
      "%+.1f %%\n",
      Median(local_latency), kMembers, Median(view_latency), flags.rounds,
      (Median(latency_ratio) - 1) * 100, Median(local_cpu), Median(view_cpu),
      (Median(cpu_ratio) - 1) * 100);
  std::printf(
      "server's own time per request (request complete to answer encoded, its duration "
      "histogram), median: object-local %.1f us, view %.1f us\n",
      Median(local_handler), Median(view_handler));
  auto warnings = [](const std::string& answer) {
    const auto parsed = json::parse(answer, nullptr, false);
    const auto* list = parsed.is_object() && parsed.contains("response")
                           ? &parsed["response"]["warnings"]
                           : nullptr;
    return list != nullptr && list->is_array() ? list->size() : 0;
  };
  std::printf("answers: object-local %zu warnings, view %zu warnings (the group's rule quota)\n",
              warnings(first_answer[0]), warnings(first_answer[1]));
  MeasureInterleaved(flags, body, ctx, *local, *view.process);
  local->Stop(SIGTERM);
  view.process->Stop(SIGTERM);
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "memory" || arg == "storm" || arg == "latency" || arg == "all")
      flags.mode = arg;
    else if (arg == "--binary")
      flags.binary = value();
    else if (arg == "--seconds")
      flags.seconds = std::max(1, std::atoi(value().c_str()));
    else if (arg == "--rounds")
      flags.rounds = std::max(1, std::atoi(value().c_str()));
    else if (arg == "--connections")
      flags.connections = std::max(1, std::atoi(value().c_str()));
    else if (arg == "--events-per-second")
      flags.events_per_second = std::max(1, std::atoi(value().c_str()));
    else if (arg == "--server-arg")
      flags.server_args.push_back(value());
    else {
      std::fprintf(stderr, "unknown argument %s\n", arg.c_str());
      return 2;
    }
  }
  const std::string dir = albwebhook::testing::MakeTempDir("albwebhook-cluster-serve-bench");
  const auto pki = albwebhook::testing::MakePki(dir);
  if (flags.mode == "memory" || flags.mode == "all") MeasureMemory(flags, dir, pki);
  if (flags.mode == "storm" || flags.mode == "all") MeasureStorm(flags, dir, pki);
  if (flags.mode == "latency" || flags.mode == "all") MeasureLatency(flags, dir, pki);
  std::filesystem::remove_all(dir);
  return 0;
}
