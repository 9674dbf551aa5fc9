// Cluster view figures (no assertions): memory of the cache for 10 000 Ingresses + 5 000
// Services + 1 000 TargetGroupBindings of realistic size, the cost of taking a snapshot, and the
// cost of applying and publishing one watch event at that size.
//   cmake -DALBWEBHOOK_BENCH=ON ... && cmake --build build --target albwebhook_cluster_bench
#include <malloc.h>
#include <prometheus/registry.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <thread>

#include "albwebhook/cluster/view.hpp"
#include "cluster/events.hpp"
#include "cluster/object.hpp"
#include "cluster/store.hpp"

using namespace albwebhook::cluster;
using nlohmann::json;
using BenchClock = std::chrono::steady_clock;

namespace {

double RssMiB() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1 << 20);
}

json ManagedFields() {
  json fields = json::array();
  for (int i = 0; i < 3; ++i) {
    fields.push_back({{"manager", "kubectl-client-side-apply"}, {"operation", "Update"},
                      {"apiVersion", "networking.k8s.io/v1"}, {"time", "2024-05-01T10:00:00Z"},
                      {"fieldsType", "FieldsV1"},
                      {"fieldsV1", {{"f:metadata", {{"f:annotations", {{".", json::object()}}}}},
                                    {"f:spec", {{"f:rules", json::object()}, {"f:tls", json::object()}}}}}});
  }
  return fields;
}

json IngressObject(const std::string& ns, int i, int rv) {
  std::string name = "app-" + std::to_string(i);
  json annotations = {
      {"alb.ingress.kubernetes.io/scheme", "internet-facing"},
      {"alb.ingress.kubernetes.io/target-type", "ip"},
      {"alb.ingress.kubernetes.io/group.name", "shared-" + std::to_string(i % 20)},
      {"alb.ingress.kubernetes.io/listen-ports", R"([{"HTTP":80},{"HTTPS":443}])"},
      {"alb.ingress.kubernetes.io/certificate-arn",
       "arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab"},
      {"alb.ingress.kubernetes.io/healthcheck-path", "/healthz"},
      {"alb.ingress.kubernetes.io/ssl-redirect", "443"},
      {"alb.ingress.kubernetes.io/tags", "team=payments,env=prod,cost-center=4711"},
      {"meta.helm.sh/release-name", name},
      {"meta.helm.sh/release-namespace", ns}};
  json paths = json::array();
  for (const char* p : {"/", "/api", "/static"}) {
    paths.push_back({{"path", p}, {"pathType", "Prefix"},
                     {"backend", {{"service", {{"name", name + "-svc"}, {"port", {{"number", 8080}}}}}}}});
  }
  json rules = json::array();
  for (int r = 0; r < 2; ++r) {
    rules.push_back({{"host", name + "-" + std::to_string(r) + ".prod.example.com"},
                     {"http", {{"paths", paths}}}});
  }
  json obj = {{"apiVersion", "networking.k8s.io/v1"}, {"kind", "Ingress"},
              {"metadata", {{"name", name}, {"namespace", ns}, {"uid", "5f0c1a2b-1111-2222-3333-" + std::to_string(100000000 + i)},
                            {"resourceVersion", std::to_string(rv)}, {"generation", 4},
                            {"creationTimestamp", "2024-05-01T10:00:00Z"},
                            {"labels", {{"app.kubernetes.io/name", name}, {"app.kubernetes.io/managed-by", "Helm"}}},
                            {"annotations", annotations}, {"managedFields", ManagedFields()}}},
              {"spec", {{"ingressClassName", "alb"}, {"rules", rules},
                        {"tls", {{{"hosts", {name + "-0.prod.example.com"}}, {"secretName", name + "-tls"}}}}}},
              {"status", {{"loadBalancer", {{"ingress", {{{"hostname", "k8s-shared-0123456789-123456789.eu-west-1.elb.amazonaws.com"}}}}}}}}};
  obj["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] =
      json{{"spec", obj["spec"]}, {"metadata", {{"annotations", annotations}}}}.dump();
  return obj;
}

json ServiceObject(const std::string& ns, int i) {
  return {{"metadata", {{"name", "app-" + std::to_string(i) + "-svc"}, {"namespace", ns},
                        {"uid", "6a-" + std::to_string(i)}, {"resourceVersion", "5"},
                        {"labels", {{"app", "app-" + std::to_string(i)}}},
                        {"annotations", {{"alb.ingress.kubernetes.io/healthcheck-path", "/ready"}}},
                        {"managedFields", ManagedFields()}}},
          {"spec", {{"type", "ClusterIP"}, {"clusterIP", "10.100.12.34"}, {"clusterIPs", {"10.100.12.34"}},
                    {"selector", {{"app", "app-" + std::to_string(i)}}},
                    {"ports", {{{"name", "http"}, {"port", 8080}, {"targetPort", 8080}, {"protocol", "TCP"}},
                               {{"name", "metrics"}, {"port", 9090}, {"targetPort", 9090}, {"protocol", "TCP"}}}}}},
          {"status", {{"loadBalancer", json::object()}}}};
}

json BindingObject(const std::string& ns, int i) {
  return {{"apiVersion", "elbv2.k8s.aws/v1beta1"}, {"kind", "TargetGroupBinding"},
          {"metadata", {{"name", "tgb-" + std::to_string(i)}, {"namespace", ns}, {"resourceVersion", "9"},
                        {"managedFields", ManagedFields()}}},
          {"spec", {{"targetGroupARN", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/k8s-" +
                                           std::to_string(i) + "/0123456789abcdef"},
                    {"targetType", "ip"}, {"serviceRef", {{"name", "app-" + std::to_string(i) + "-svc"}, {"port", 8080}}},
                    {"networking", {{"ingress", {{{"from", {{{"securityGroup", {{"groupID", "sg-0123456789abcdef0"}}}}}},
                                                  {"ports", {{{"protocol", "TCP"}}}}}}}}}}},
          {"status", {{"observedGeneration", 1}}}};
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
    at(Resource::kIngresses).Upsert(MakeObject(Resource::kIngresses, IngressObject(Ns(i, namespaces), i, 10)).value());
  }
  for (int i = 0; i < 5000; ++i) {
    at(Resource::kServices).Upsert(MakeObject(Resource::kServices, ServiceObject(Ns(i, namespaces), i)).value());
  }
  for (int i = 0; i < 1000; ++i) {
    at(Resource::kTargetGroupBindings).Upsert(
        MakeObject(Resource::kTargetGroupBindings, BindingObject(Ns(i, namespaces), i)).value());
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
  std::printf("cache memory, 10000 Ingresses + 5000 Services + 1000 TGBs: RSS +%.1f MiB, "
              "heap in use +%.1f MiB\n",
              after - before, heap_after - heap_before);
  std::printf("  (raw Ingress JSON %zu bytes, pruned %zu bytes as text)\n",
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
      double per = std::chrono::duration<double, std::nano>(BenchClock::now() - s).count() / (kCalls / 4);
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
    lines.push_back(json{{"type", "MODIFIED"}, {"object", IngressObject(Ns(i * 7, namespaces), i * 7 % 10000, 100 + i)}}.dump());
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
  std::printf("event + publish, %d namespaces, publish every %d events: %.1f us per event "
              "(of which parsing and pruning %.1f us)\n",
              namespaces, events_per_publish, total / lines.size(), parse_ns / 1000 / lines.size());
}

}  // namespace

int main() {
  MeasureMemory();
  MeasureRepresentations();
  MeasureSnapshot();
  MeasurePublish(200, 1);
  MeasurePublish(200, 10);
  MeasurePublish(1, 1);
  MeasurePublish(1, 10);
  return 0;
}
