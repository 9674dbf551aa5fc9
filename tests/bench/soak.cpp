// Memory soak (issue 6, item 5): drives >= 1 000 000 admission requests at the real binary
// (`alb-webhook serve --threads 1`) over keep-alive TLS from a few client threads, and prints
// the server's RSS (from /proc/<pid>/status) at intervals. Not a ctest: it runs for a minute or
// more. Exit status 1 when a request failed or RSS grew by more than --max-growth-kib between
// the first report (after warm-up) and the end.
//
//   build/tests/albwebhook_soak [--requests N] [--connections C] [--report-every N]
//                               [--max-growth-kib K] [--binary PATH]
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/raw_client.hpp"
#include "support/test_pki.hpp"

using albwebhook::testing::BinaryServer;
using albwebhook::testing::ClientContext;
using albwebhook::testing::LoadGenerator;
using albwebhook::testing::LoadOptions;
using albwebhook::testing::RawResponse;
using albwebhook::testing::VmRssKib;
using nlohmann::json;

namespace {

json IngressReview(const std::string& scheme, const std::string& op) {
  json object = {
      {"apiVersion", "networking.k8s.io/v1"},
      {"kind", "Ingress"},
      {"metadata",
       {{"name", "web"},
        {"namespace", "team-a"},
        {"annotations",
         {{"alb.ingress.kubernetes.io/scheme", scheme},
          {"alb.ingress.kubernetes.io/listen-ports", R"([{"HTTP":80},{"HTTPS":443}])"},
          {"alb.ingress.kubernetes.io/tags", "team=a,env=prod"}}}}},
      {"spec",
       {{"rules",
         json::parse(R"([{"host":"a.example.com","http":{"paths":[{"path":"/","pathType":"Prefix",
           "backend":{"service":{"name":"web","port":{"number":80}}}}]}}])")}}}};
  if (op == "CREATE") object["spec"]["ingressClassName"] = "alb";
  json review = {
      {"apiVersion", "admission.k8s.io/v1"},
      {"kind", "AdmissionReview"},
      {"request",
       {{"uid", "soak"},
        {"kind", {{"group", "networking.k8s.io"}, {"version", "v1"}, {"kind", "Ingress"}}},
        {"name", "web"},
        {"namespace", "team-a"},
        {"operation", op},
        {"object", object},
        {"oldObject", op == "UPDATE" ? object : json(nullptr)}}}};
  if (op == "UPDATE") review["request"]["object"]["spec"]["ingressClassName"] = "alb";
  return review;
}

}  // namespace

int main(int argc, char** argv) {
  long requests = 1000000;
  int connections = 4;
  long report_every = 100000;
  long max_growth_kib = 2048;
  std::string binary = ALBWEBHOOK_BINARY;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--requests")
      requests = std::atol(argv[i + 1]);
    else if (flag == "--connections")
      connections = std::atoi(argv[i + 1]);
    else if (flag == "--report-every")
      report_every = std::atol(argv[i + 1]);
    else if (flag == "--max-growth-kib")
      max_growth_kib = std::atol(argv[i + 1]);
    else if (flag == "--binary")
      binary = argv[i + 1];
  }
  const std::string dir = albwebhook::testing::MakeTempDir("albwebhook-soak");
  const auto pki = albwebhook::testing::MakePki(dir);
  // At info, as in production: one log line per request (~300 MB for 1M, deleted at the end).
  // The mutating path needs a default that applies: the class-annotation migration (opt-in).
  const std::string policy_file = dir + "/policy.yaml";
  std::ofstream(policy_file) << "ingress: {defaults: {migrateClassAnnotation: true}}\n";
  auto server = BinaryServer::Start(binary,
                                    {"--cert-dir", dir, "--config", policy_file, "--threads", "1",
                                     "--shutdown-grace", "100ms", "--log-level", "info"},
                                    dir + "/server.log");
  if (!server) {
    std::fprintf(stderr, "the server did not start (see %s/server.log)\n", dir.c_str());
    return 2;
  }
  // A mix on the validating path: allowed, denied, UPDATE with ratcheting, malformed (400).
  // A second generator sends defaults to the mutating path (every answer carries a patch).
  const std::vector<std::string> validate_bodies = {
      IngressReview("internal", "CREATE").dump(), IngressReview("public", "CREATE").dump(),
      IngressReview("public", "UPDATE").dump(),
      R"({"apiVersion":"admission.k8s.io/v1","kind":"Ad)"};
  // The class in the legacy annotation: the mutator migrates it to spec.ingressClassName.
  json legacy = IngressReview("internal", "CREATE");
  legacy["request"]["object"]["spec"].erase("ingressClassName");
  legacy["request"]["object"]["metadata"]["annotations"]["kubernetes.io/ingress.class"] = "alb";
  const std::string mutate_body = legacy.dump();
  ClientContext ctx({pki.ca_cert});
  LoadOptions o;
  o.port = server->port();
  o.ctx = &ctx;
  o.threads = connections;
  o.requests_per_connection = 100000;
  o.target = "/validate-networking-v1-ingress";
  o.body = [&](int, long seq) { return validate_bodies[static_cast<std::size_t>(seq) % 4]; };
  o.check = [](const RawResponse& r) -> std::string {
    if (r.status != 200 && r.status != 400) return "status " + std::to_string(r.status);
    return "";
  };
  LoadOptions m = o;
  m.threads = 1;
  m.target = "/mutate-networking-v1-ingress";
  m.body = [&](int, long) { return mutate_body; };
  m.check = [](const RawResponse& r) -> std::string {
    if (r.status != 200 || r.body.find("\"patch\"") == std::string::npos) return "no patch";
    return "";
  };
  LoadGenerator load(o);
  LoadGenerator mutate(m);
  const auto start = std::chrono::steady_clock::now();
  load.Start();
  mutate.Start();
  std::printf("%12s %10s %10s %12s\n", "requests", "seconds", "RSS KiB", "req/s");
  long next = report_every;
  long first_rss = -1;
  long last_rss = -1;
  long peak_rss = 0;
  while (true) {
    const long done = load.ok() + mutate.ok() + static_cast<long>(load.failures().size()) +
                      static_cast<long>(mutate.failures().size());
    if (done >= next || done >= requests) {
      const double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      last_rss = VmRssKib(server->pid());
      peak_rss = std::max(peak_rss, last_rss);
      if (first_rss < 0) first_rss = last_rss;
      std::printf("%12ld %10.1f %10ld %12.0f\n", done, secs, last_rss, done / secs);
      std::fflush(stdout);
      next += report_every;
    }
    if (done >= requests) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  load.Stop();
  mutate.Stop();
  const long failures =
      static_cast<long>(load.failures().size()) + static_cast<long>(mutate.failures().size());
  const long total = load.ok() + mutate.ok() + failures;
  std::printf(
      "total %ld requests, %ld failures; RSS at first report %ld KiB, at the end %ld KiB "
      "(growth %ld KiB), peak %ld KiB\n",
      total, failures, first_rss, last_rss, last_rss - first_rss, peak_rss);
  if (failures > 0)
    std::printf("%s\n%s\n", load.FailureSummary().c_str(), mutate.FailureSummary().c_str());
  const int status = server->Stop(SIGTERM);
  std::filesystem::remove_all(dir);
  if (status != 0) std::printf("server exit status %d\n", status);
  return failures == 0 && last_rss - first_rss <= max_growth_kib && status == 0 ? 0 : 1;
}
