// Micro-benchmarks of one admission request, phase by phase: decode (parse + envelope checks),
// validate (rules on the decoded object), mutate + patch (copy, defaults, RFC 6902 diff), encode
// (the AdmissionReview answer), the whole ServeAdmission, and the per-request bookkeeping the
// transport adds (log line, metrics). Bodies: tests/bench/data/ (ingress.json ~3 KB, tgb.json) and
// ingress-large.json (~1 MiB, generated at build time by data/gen_fixtures.py).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "albwebhook/admission/handler.hpp"
#include "albwebhook/admission/review_codec.hpp"
#include "albwebhook/admission/webhook.hpp"
#include "albwebhook/log/log.hpp"
#include "albwebhook/metrics/metrics.hpp"
#include "albwebhook/rules/ingress.hpp"
#include "albwebhook/rules/target_group_binding.hpp"

namespace {

using namespace albwebhook;

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << path << " (run data/gen_fixtures.py)\n";
    std::exit(2);
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct Fixture {
  std::string body;
  std::unique_ptr<admission::Handler> validating;
  std::unique_ptr<admission::Handler> mutating;
};

std::shared_ptr<const state::SnapshotSource> DefaultSource() {
  static const auto kSource = std::make_shared<const state::FixedSnapshotSource>(policy::Policy{});
  return kSource;
}

Fixture MakeFixture(const std::string& file, bool ingress) {
  Fixture f;
  f.body = ReadFileOrDie(file);
  if (ingress) {
    const admission::ExpectedKind kind{"networking.k8s.io", "Ingress"};
    f.validating =
        admission::MakeValidatingHandler(rules::MakeIngressValidator(), kind, DefaultSource());
    f.mutating = admission::MakeMutatingHandler(rules::MakeIngressMutator(), kind, DefaultSource());
  } else {
    const admission::ExpectedKind kind{"elbv2.k8s.aws", "TargetGroupBinding"};
    f.validating = admission::MakeValidatingHandler(rules::MakeTargetGroupBindingValidator(), kind,
                                                    DefaultSource());
    f.mutating = admission::MakeMutatingHandler(rules::MakeTargetGroupBindingMutator(), kind,
                                                DefaultSource());
  }
  // Sanity: the fixture must be a valid, allowed request, or the numbers mean nothing.
  for (const admission::Handler* h : {f.validating.get(), f.mutating.get()}) {
    auto r = admission::ServeAdmission(f.body, "application/json", *h);
    if (r.http_status != 200 || !r.allowed) {
      std::cerr << file << ": not allowed: " << r.body.substr(0, 400) << "\n";
      std::exit(2);
    }
  }
  return f;
}

const Fixture& Get(int which) {
  static const Fixture kIngress = MakeFixture(ALBWEBHOOK_BENCH_DATA "/ingress.json", true);
  static const Fixture kLarge = MakeFixture(ALBWEBHOOK_BENCH_GENERATED "/ingress-large.json", true);
  static const Fixture kTgb = MakeFixture(ALBWEBHOOK_BENCH_DATA "/tgb.json", false);
  switch (which) {
    case 0:
      return kIngress;
    case 1:
      return kLarge;
    default:
      return kTgb;
  }
}

void SetLabel(benchmark::State& state, const Fixture& f) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.body.size()));
}

void BM_Decode(benchmark::State& state) {
  const Fixture& f = Get(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    admission::DecodedReview d = admission::DecodeReview(f.body);
    benchmark::DoNotOptimize(d);
  }
  SetLabel(state, f);
}

const admission::Handler& HandlerOf(const Fixture& f, bool mutating) {
  return mutating ? *f.mutating : *f.validating;
}

// The handler alone (validate, or mutate + patch) on an already decoded request.
void HandleLoop(benchmark::State& state, bool mutating) {
  const Fixture& f = Get(static_cast<int>(state.range(0)));
  const admission::DecodedReview d = admission::DecodeReview(f.body);
  for (auto _ : state) {
    admission::Response r = HandlerOf(f, mutating).Handle(d.request);
    benchmark::DoNotOptimize(r);
  }
  SetLabel(state, f);
}

// The AdmissionReview answer of the handler's response.
void EncodeLoop(benchmark::State& state, bool mutating) {
  const Fixture& f = Get(static_cast<int>(state.range(0)));
  const admission::DecodedReview d = admission::DecodeReview(f.body);
  const admission::Response r = HandlerOf(f, mutating).Handle(d.request);
  for (auto _ : state) {
    std::string out =
        admission::EncodeReview(r, d.request.uid, d.request.review_api_version, !mutating);
    benchmark::DoNotOptimize(out);
  }
}

// All of ServeAdmission: decode, handle, encode.
void ServeLoop(benchmark::State& state, bool mutating) {
  const Fixture& f = Get(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto r = admission::ServeAdmission(f.body, "application/json", HandlerOf(f, mutating));
    benchmark::DoNotOptimize(r);
  }
  SetLabel(state, f);
}

void BM_Validate(benchmark::State& state) { HandleLoop(state, false); }
void BM_MutatePatch(benchmark::State& state) { HandleLoop(state, true); }
void BM_EncodeValidate(benchmark::State& state) { EncodeLoop(state, false); }
void BM_EncodeMutate(benchmark::State& state) { EncodeLoop(state, true); }
void BM_ServeValidate(benchmark::State& state) { ServeLoop(state, false); }
void BM_ServeMutate(benchmark::State& state) { ServeLoop(state, true); }

// The info log line the server writes per request (same fields, app/admission_endpoint.cpp's
// log::WriteFields), to /dev/null; BM_LogLineJson: the same line from a JSON object of the fields.
void LogLoop(benchmark::State& state, bool as_json) {
  const int saved = dup(2);
  const int null_fd = open("/dev/null", O_WRONLY);
  dup2(null_fd, 2);
  const std::string uid = "7f3c2b1a-8d4e-4f5a-9b6c-0d1e2f3a4b5c";
  const std::string webhook(rules::kValidateIngressPath);
  for (auto _ : state) {
    if (as_json) {
      nlohmann::json fields = {
          {"uid", uid},          {"webhook", webhook},           {"operation", "CREATE"},
          {"namespace", "shop"}, {"name", "shop-frontend"},      {"allowed", true},
          {"code", 200},         {"violations", std::size_t{0}}, {"warnings", std::size_t{0}},
          {"duration_us", 123LL}};
      log::Write(log::Level::kInfo, "admission", fields);
    } else {
      log::WriteFields(log::Level::kInfo, "admission",
                       {{"uid", uid},
                        {"webhook", webhook},
                        {"operation", "CREATE"},
                        {"namespace", "shop"},
                        {"name", "shop-frontend"},
                        {"allowed", true},
                        {"code", 200},
                        {"violations", std::size_t{0}},
                        {"warnings", std::size_t{0}},
                        {"duration_us", 123LL}});
    }
  }
  dup2(saved, 2);
  close(saved);
  close(null_fd);
}
void BM_LogLine(benchmark::State& state) { LogLoop(state, false); }
void BM_LogLineJson(benchmark::State& state) { LogLoop(state, true); }

void BM_Metrics(benchmark::State& state) {
  static metrics::Metrics m(
      {{std::string(rules::kValidateIngressPath), rules::IngressCheckNames()}}, "bench");
  const std::string path(rules::kValidateIngressPath);
  const std::vector<std::string> none;
  for (auto _ : state) {
    m.InFlight(path)->Increment();
    m.ObserveRequest(path, 200, 0.0004, none);
    m.InFlight(path)->Decrement();
  }
}

// 0 = Ingress ~3 KB, 1 = Ingress ~1 MiB, 2 = TargetGroupBinding.
void Register(const char* name, void (*fn)(benchmark::State&), bool per_body, long iterations) {
  auto* b = benchmark::RegisterBenchmark(name, fn)->Unit(benchmark::kMicrosecond);
  if (per_body) {
    b->ArgName("body");
    for (int i = 0; i < 3; ++i) b->Arg(i);
  }
  if (iterations > 0) b->Iterations(iterations);
}

}  // namespace

// ALBWEBHOOK_BENCH_ITERATIONS=N runs every benchmark exactly N times (for callgrind: instructions
// per request = collected / N, with --toggle-collect on the benchmark function).
int main(int argc, char** argv) {
  const char* env = std::getenv("ALBWEBHOOK_BENCH_ITERATIONS");
  const long n = env != nullptr ? std::strtol(env, nullptr, 10) : 0;
  for (int i = 0; i < 3; ++i) Get(i);  // load and check the bodies outside the measurements
  Register("BM_Decode", BM_Decode, true, n);
  Register("BM_Validate", BM_Validate, true, n);
  Register("BM_MutatePatch", BM_MutatePatch, true, n);
  Register("BM_EncodeValidate", BM_EncodeValidate, true, n);
  Register("BM_EncodeMutate", BM_EncodeMutate, true, n);
  Register("BM_ServeValidate", BM_ServeValidate, true, n);
  Register("BM_ServeMutate", BM_ServeMutate, true, n);
  Register("BM_LogLine", BM_LogLine, false, n);
  Register("BM_LogLineJson", BM_LogLineJson, false, n);
  Register("BM_Metrics", BM_Metrics, false, n);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
