// Cluster view figures (no assertions): memory of the cache for 10 000 Ingresses + 5 000
// Services + 1 000 TargetGroupBindings of realistic size, the cost of taking a snapshot, and the
// cost of applying and publishing one watch event at that size; and the cost of validating one
// Ingress object-local (no view) against validating it in an IngressGroup of 50 and 1 000 members.
//   cmake -DALBWEBHOOK_BENCH=ON ... && cmake --build build --target albwebhook_cluster_bench
#include <malloc.h>
#include <prometheus/registry.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <thread>

#include "albwebhook/admission/handler.hpp"
#include "albwebhook/admission/webhook.hpp"
#include "albwebhook/cluster/cluster_state.hpp"
#include "albwebhook/cluster/view.hpp"
#include "albwebhook/rules/ingress.hpp"
#include "albwebhook/state/snapshot.hpp"
#include "cluster/events.hpp"
#include "cluster/object.hpp"
#include "cluster/store.hpp"
#include "cluster_objects.hpp"

using namespace albwebhook::cluster;
using nlohmann::json;
using BenchClock = std::chrono::steady_clock;
using namespace albwebhook::bench;

namespace {

double RssMiB() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1 << 20);
}

std::string Ns(int i, int namespaces) { return "team-" + std::to_string(i % namespaces); }

std::shared_ptr<const ClusterState> Publish(std::array<ResourceStore, kResourceCount>& stores) {
  ClusterState::DataArray data;
  std::array<ResourceStatus, kResourceCount> status{};
  for (std::size_t i = 0; i < kResourceCount; ++i) {
    data[i] = stores[i].Export();
    status[i].synced = true;
  }
  return std::make_shared<const ClusterState>(std::move(data), status, true, "");
}

void Fill(std::array<ResourceStore, kResourceCount>& stores, int namespaces) {
  auto at = [&](Resource r) -> ResourceStore& { return stores[static_cast<std::size_t>(r)]; };
  for (int i = 0; i < 10000; ++i) {
    at(Resource::kIngresses)
        .Upsert(MakeObject(Resource::kIngresses, IngressObject(Ns(i, namespaces), i, 10)).value());
  }
  for (int i = 0; i < 5000; ++i) {
    at(Resource::kServices)
        .Upsert(MakeObject(Resource::kServices, ServiceObject(Ns(i, namespaces), i)).value());
  }
  for (int i = 0; i < 1000; ++i) {
    at(Resource::kTargetGroupBindings)
        .Upsert(MakeObject(Resource::kTargetGroupBindings, BindingObject(Ns(i, namespaces), i))
                    .value());
  }
}

double HeapMiB() { return static_cast<double>(mallinfo2().uordblks) / (1 << 20); }

void MeasureMemory() {
  malloc_trim(0);
  double before = RssMiB(), heap_before = HeapMiB();
  std::array<ResourceStore, kResourceCount> stores;
  Fill(stores, 200);
  auto state = Publish(stores);
  malloc_trim(0);
  double after = RssMiB(), heap_after = HeapMiB();
  std::printf(
      "cache memory, 10000 Ingresses + 5000 Services + 1000 TGBs: RSS +%.1f MiB, "
      "heap in use +%.1f MiB\n",
      after - before, heap_after - heap_before);
  std::printf(
      "  (raw Ingress JSON %zu bytes, pruned %zu bytes as text)\n",
      IngressObject("team-1", 1, 1).dump().size(),
      MakeObject(Resource::kIngresses, IngressObject("team-1", 1, 1)).value()->doc.dump().size());
}

// What 10 000 pruned Ingress documents cost in other representations (for a later compaction).
void MeasureRepresentations() {
  std::vector<json> docs;
  for (int i = 0; i < 10000; ++i) {
    docs.push_back(MakeObject(Resource::kIngresses, IngressObject(Ns(i, 200), i, 10)).value()->doc);
  }
  auto measure = [&](const char* what, auto convert) {
    malloc_trim(0);
    double before = HeapMiB();
    auto held = convert();
    malloc_trim(0);
    std::printf("  10000 pruned Ingresses as %s: %.1f MiB\n", what, HeapMiB() - before);
  };
  measure("nlohmann::json (now)", [&] { return std::vector<json>(docs.begin(), docs.end()); });
  measure("nlohmann::ordered_json", [&] {
    std::vector<nlohmann::ordered_json> out;
    for (const auto& d : docs) out.push_back(nlohmann::ordered_json::parse(d.dump()));
    return out;
  });
  measure("JSON text", [&] {
    std::vector<std::string> out;
    for (const auto& d : docs) out.push_back(d.dump());
    return out;
  });
  measure("CBOR", [&] {
    std::vector<std::vector<std::uint8_t>> out;
    for (const auto& d : docs) out.push_back(json::to_cbor(d));
    return out;
  });
}

void MeasureSnapshot() {
  prometheus::Registry registry;
  ViewConfig config;
  config.client.host = "127.0.0.1";
  config.client.port = 1;
  auto view = View::Create(config, registry).value();
  constexpr int kCalls = 2'000'000;
  auto start = BenchClock::now();
  std::size_t sink = 0;
  for (int i = 0; i < kCalls; ++i) sink += view->Snapshot()->available() ? 1 : 0;
  double ns = std::chrono::duration<double, std::nano>(BenchClock::now() - start).count() / kCalls;
  std::printf("Snapshot(): %.1f ns per call (1 thread)\n", ns);
  std::atomic<double> total{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      auto s = BenchClock::now();
      std::size_t local = 0;
      for (int i = 0; i < kCalls / 4; ++i) local += view->Snapshot()->available() ? 1 : 0;
      double per =
          std::chrono::duration<double, std::nano>(BenchClock::now() - s).count() / (kCalls / 4);
      total.fetch_add(per);
      (void)local;
    });
  }
  for (auto& t : threads) t.join();
  std::printf("Snapshot(): %.1f ns per call (4 threads at once)%s\n", total.load() / 4,
              sink == 0 ? "" : "");
}

void MeasurePublish(int namespaces, int events_per_publish) {
  std::array<ResourceStore, kResourceCount> stores;
  Fill(stores, namespaces);
  auto& ingresses = stores[static_cast<std::size_t>(Resource::kIngresses)];
  std::vector<std::string> lines;
  for (int i = 0; i < 400; ++i) {
    lines.push_back(json{{"type", "MODIFIED"},
                         {"object", IngressObject(Ns(i * 7, namespaces), i * 7 % 10000, 100 + i)}}
                        .dump());
  }
  auto keep = Publish(stores);
  auto start = BenchClock::now();
  double parse_ns = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto p0 = BenchClock::now();
    auto event = ParseWatchEvent(Resource::kIngresses, lines[i]);
    parse_ns += std::chrono::duration<double, std::nano>(BenchClock::now() - p0).count();
    ingresses.Upsert(event->object);
    if ((i + 1) % static_cast<std::size_t>(events_per_publish) == 0) keep = Publish(stores);
  }
  double total = std::chrono::duration<double, std::micro>(BenchClock::now() - start).count();
  std::printf(
      "event + publish, %d namespaces, publish every %d events: %.1f us per event "
      "(of which parsing and pruning %.1f us)\n",
      namespaces, events_per_publish, total / lines.size(), parse_ns / 1000 / lines.size());
}

// --- The Ingress validating path, object-local vs with the view (issue 13) ------------------

/// Median per-call time in microseconds over 7 batches of about 100 ms each.
template <typename Fn>
double MedianMicros(Fn&& call) {
  for (int i = 0; i < 3; ++i) call();  // warm up
  auto t0 = BenchClock::now();
  int probe = 0;
  while (BenchClock::now() - t0 < std::chrono::milliseconds(20)) {
    call();
    ++probe;
  }
  const int per_batch = std::max(1, probe * 5);
  std::vector<double> batches;
  for (int b = 0; b < 7; ++b) {
    auto start = BenchClock::now();
    for (int i = 0; i < per_batch; ++i) call();
    batches.push_back(std::chrono::duration<double, std::micro>(BenchClock::now() - start).count() /
                      per_batch);
  }
  std::sort(batches.begin(), batches.end());
  return batches[batches.size() / 2];
}

/// `only_members` >= 0: only the row with that many members (for a profiler). `cold_calls` > 0:
/// only that many ServeAdmission calls with caches cold (for a cache simulator, e.g. callgrind
/// --cache-sim=yes --toggle-collect='*ServeAdmission*'), no timing.
void MeasureIngressValidate(int only_members = -1, int cold_calls = 0) {
  namespace rules = albwebhook::rules;
  namespace admission = albwebhook::admission;
  namespace state = albwebhook::state;
  const albwebhook::policy::Policy policy;
  const auto policy_ptr = std::make_shared<const albwebhook::policy::Policy>(policy);
  std::shared_ptr<const rules::Validator> validator = rules::MakeIngressValidator();
  const admission::ExpectedKind kind{"networking.k8s.io", "Ingress"};

  struct Row {
    const char* label;
    int members;
    bool conflict;
    bool grouped = true;  // false: the candidate and the members join no group
  };
  double local_us = 0;
  for (const Row& row :
       {Row{"object-local (no view)", 0, false},
        Row{"view, 50 Ingresses, no group", 50, false, false}, Row{"view, group of 50", 50, false},
        Row{"view, group of 1000", 1000, false},
        Row{"view, group of 1000 + 1 conflicting", 1000, true}}) {
    if (only_members >= 0 && row.members != only_members) continue;
    if (cold_calls > 0 && row.members > 0 && !row.grouped) continue;  // one row per size
    const int index = row.members + 1;
    json candidate = Candidate(index);
    if (!row.grouped) candidate["metadata"]["annotations"].erase(kGroupKey);
    const std::string ns = candidate["metadata"]["namespace"];
    const std::string name = candidate["metadata"]["name"];
    std::shared_ptr<const ClusterState> cluster;
    if (row.members > 0) {
      std::vector<json> objects = GroupCluster(row.members, index);
      for (json& object : objects) {
        if (!row.grouped && object.value("kind", "") == "Ingress") {
          object["metadata"]["annotations"].erase(kGroupKey);
        }
      }
      if (row.conflict) {
        json odd = GroupMember(GroupNamespace(index + 1), index + 1);
        odd["metadata"]["annotations"]["alb.ingress.kubernetes.io/scheme"] = "internal";
        objects.push_back(odd);
      }
      std::vector<std::string> skipped;
      cluster = ClusterState::FromObjects(objects, &skipped);
      if (!skipped.empty()) std::printf("  skipped: %s\n", skipped.front().c_str());
    }
    const rules::Context ctx{albwebhook::api::Operation::kCreate, ns, name, policy, cluster.get()};
    if (cold_calls > 0) {
      auto source =
          std::make_shared<const state::FixedSnapshotSource>(state::Snapshot{policy_ptr, cluster});
      auto handler = admission::MakeValidatingHandler(validator, kind, source);
      const std::string body = ReviewBody(candidate);
      std::vector<char> evict(8 << 20);
      for (int i = 0; i < cold_calls + 1; ++i) {  // the first call builds the snapshot's caches
        std::memset(evict.data(), i, evict.size());
        auto r = admission::ServeAdmission(body, "application/json", *handler);
        if (r.http_status == 12345) std::puts("");
      }
      std::printf("%s: %d ServeAdmission calls, caches cold, after a first one\n", row.label,
                  cold_calls);
      continue;
    }
    const rules::Verdict verdict = validator->Validate(ctx, candidate, json());
    std::size_t denials = 0;
    for (const auto& f : verdict.findings) denials += f.severity == rules::Severity::kDeny ? 1 : 0;
    const double us = MedianMicros([&] {
      rules::Verdict v = validator->Validate(ctx, candidate, json());
      if (v.findings.size() == 12345) std::puts("");
    });
    if (row.members == 0) local_us = us;
    std::size_t members_seen = 0;
    if (cluster) {
      cluster->ForEachIngress([&](const albwebhook::cluster::Object&) { ++members_seen; });
    }
    std::printf(
        "Ingress validate, %-36s %8.1f us (%.2fx object-local); %zu Ingresses in view, "
        "%zu findings, %zu denials%s%s\n",
        row.label, us, local_us > 0 ? us / local_us : 1.0, members_seen, verdict.findings.size(),
        denials, denials > 0 ? ": " : "",
        denials > 0 ? verdict.findings.front().message.c_str() : "");
    for (const auto& f : verdict.findings) {
      if (!row.conflict && f.severity == rules::Severity::kWarn) {
        std::printf("    warning %s: %s\n", f.check.c_str(), f.message.c_str());
      }
    }

    // The whole admission path: decode, snapshot, validate, encode.
    auto source =
        std::make_shared<const state::FixedSnapshotSource>(state::Snapshot{policy_ptr, cluster});
    auto handler = admission::MakeValidatingHandler(validator, kind, source);
    const std::string body = ReviewBody(candidate);
    const auto result = admission::ServeAdmission(body, "application/json", *handler);
    const double serve_us = MedianMicros([&] {
      auto r = admission::ServeAdmission(body, "application/json", *handler);
      if (r.http_status == 12345) std::puts("");
    });
    std::printf(
        "  ServeAdmission (%zu-byte body): %8.1f us, HTTP %d, allowed %s, %zu violations, "
        "%zu warnings\n",
        body.size(), serve_us, result.http_status, result.allowed ? "yes" : "no", result.violations,
        result.warnings);
    // As a server thread meets it: caches cold. 8 MiB written between calls (more than this
    // machine's L2 and a share of its L3); that writing alone is measured and subtracted.
    static std::vector<char> evict(8 << 20);
    char fill = 0;
    const double evict_us = MedianMicros([&] { std::memset(evict.data(), ++fill, evict.size()); });
    const double cold_us = MedianMicros([&] {
      std::memset(evict.data(), ++fill, evict.size());
      auto r = admission::ServeAdmission(body, "application/json", *handler);
      if (r.http_status == 12345) std::puts("");
    });
    std::printf("  ServeAdmission, caches cold:   %8.1f us\n", cold_us - evict_us);
  }
}

}  // namespace

int main(int argc, char** argv) {
  // `albwebhook_cluster_bench ingress`: only the Ingress validating path.
  // `albwebhook_cluster_bench ingress N`: only the row with N members.
  // `albwebhook_cluster_bench ingress N K`: only K calls of that row with caches cold, untimed.
  if (argc > 1 && std::string(argv[1]) == "ingress") {
    MeasureIngressValidate(argc > 2 ? std::atoi(argv[2]) : -1, argc > 3 ? std::atoi(argv[3]) : 0);
    return 0;
  }
  MeasureMemory();
  MeasureRepresentations();
  MeasureSnapshot();
  MeasurePublish(200, 1);
  MeasurePublish(200, 10);
  MeasurePublish(1, 1);
  MeasurePublish(1, 10);
  MeasureIngressValidate();
  return 0;
}
