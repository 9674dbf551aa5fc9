#include "albwebhook/metrics/metrics.hpp"

#include <prometheus/text_serializer.h>

namespace albwebhook::metrics {
namespace {

// Sub-millisecond resolution where the webhook lives, up to the apiserver's 30 s ceiling.
const prometheus::Histogram::BucketBoundaries kLatencyBuckets = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
    0.1,    0.25,    0.5,    1,     2.5,    5,     10,   30};

// Codes every webhook can answer; children exist from start-up so rates never start at "absent".
constexpr int kKnownCodes[] = {200, 400, 403, 413, 415, 500, 503};
constexpr int kKnownHttpErrors[] = {400, 404, 405, 408, 413, 431, 503};

}  // namespace

Metrics::Metrics(const std::vector<std::pair<std::string, std::vector<std::string>>>& webhooks,
                 const std::string& version)
    : registry_(std::make_shared<prometheus::Registry>()) {
  RegisterWebhookInstruments(webhooks);
  RegisterServerInstruments(version);
}

void Metrics::RegisterWebhookInstruments(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& webhooks) {
  auto& reg = *registry_;
  requests_ = &prometheus::BuildCounter()
                   .Name("alb_webhook_requests_total")
                   .Help(
                       "Admission requests by webhook path and admission status code "
                       "(200 allowed, 403 denied, 4xx malformed, 500 internal error).")
                   .Register(reg);
  latency_ = &prometheus::BuildHistogram()
                  .Name("alb_webhook_request_duration_seconds")
                  .Help("Time from a complete admission request to its encoded answer.")
                  .Register(reg);
  in_flight_ = &prometheus::BuildGauge()
                    .Name("alb_webhook_requests_in_flight")
                    .Help("Admission requests being processed.")
                    .Register(reg);
  failures_ =
      &prometheus::BuildCounter()
           .Name("alb_webhook_validation_failures_total")
           .Help("Denied admission requests by webhook path and failing check or policy rule.")
           .Register(reg);
  http_errors_ = &prometheus::BuildCounter()
                      .Name("alb_webhook_http_errors_total")
                      .Help("HTTP requests answered with an error outside the admission protocol.")
                      .Register(reg);
  for (const auto& [path, checks] : webhooks) {
    WebhookInstruments w;
    w.in_flight = &in_flight_->Add({{"webhook", path}});
    w.latency = &latency_->Add({{"webhook", path}}, kLatencyBuckets);
    for (int code : kKnownCodes) {
      w.by_code[code] = &requests_->Add({{"webhook", path}, {"code", std::to_string(code)}});
    }
    for (const auto& check : checks) {
      w.by_check[check] = &failures_->Add({{"webhook", path}, {"check", check}});
    }
    webhooks_.emplace(path, std::move(w));
  }
  for (int status : kKnownHttpErrors) {
    http_error_by_status_[status] = &http_errors_->Add({{"code", std::to_string(status)}});
  }
}

void Metrics::RegisterServerInstruments(const std::string& version) {
  auto& reg = *registry_;
  handshake_failures_ =
      &prometheus::BuildCounter()
           .Name("alb_webhook_tls_handshake_failures_total")
           .Help("TLS handshakes that failed (bad client, protocol or certificate).")
           .Register(reg)
           .Add({});
  panics_ = &prometheus::BuildCounter()
                 .Name("alb_webhook_panics_total")
                 .Help("Admission handlers that threw; each one is a bug.")
                 .Register(reg)
                 .Add({});
  connections_rejected_ =
      &prometheus::BuildCounter()
           .Name("alb_webhook_connections_rejected_total")
           .Help("Connections closed at once because the connection cap was reached.")
           .Register(reg)
           .Add({});
  connections_open_ = &prometheus::BuildGauge()
                           .Name("alb_webhook_connections_open")
                           .Help("Open webhook connections.")
                           .Register(reg)
                           .Add({});
  auto& cert_reloads = prometheus::BuildCounter()
                           .Name("alb_webhook_certificate_reloads_total")
                           .Help("Serving certificate loads by result.")
                           .Register(reg);
  cert_reload_ok_ = &cert_reloads.Add({{"result", "success"}});
  cert_reload_failed_ = &cert_reloads.Add({{"result", "failure"}});
  cert_expiry_ = &prometheus::BuildGauge()
                      .Name("alb_webhook_certificate_expiry_timestamp_seconds")
                      .Help("notAfter of the serving certificate in use, seconds since the epoch.")
                      .Register(reg)
                      .Add({});
  auto& policy_reloads = prometheus::BuildCounter()
                             .Name("alb_webhook_policy_reloads_total")
                             .Help("Policy file loads by result.")
                             .Register(reg);
  policy_reload_ok_ = &policy_reloads.Add({{"result", "success"}});
  policy_reload_failed_ = &policy_reloads.Add({{"result", "failure"}});
  policy_last_success_ = &prometheus::BuildGauge()
                              .Name("alb_webhook_policy_last_reload_success_timestamp_seconds")
                              .Help("When the policy in force was loaded, seconds since the epoch.")
                              .Register(reg)
                              .Add({});
  prometheus::BuildGauge()
      .Name("alb_webhook_build_info")
      .Help("Build information; the value is always 1.")
      .Register(reg)
      .Add({{"version", version}})
      .Set(1);
}

prometheus::Gauge* Metrics::InFlight(const std::string& webhook) {
  auto it = webhooks_.find(webhook);
  return it == webhooks_.end() ? nullptr : it->second.in_flight;
}

prometheus::Counter* Metrics::CodeCounter(WebhookInstruments& w, const std::string& webhook,
                                          int code) {
  auto it = w.by_code.find(code);
  if (it != w.by_code.end()) return it->second;
  std::lock_guard lock(lazy_mutex_);
  // Family::Add returns the existing child for known labels; never stored in the map (no rehash
  // race).
  return &requests_->Add({{"webhook", webhook}, {"code", std::to_string(code)}});
}

prometheus::Counter* Metrics::CheckCounter(WebhookInstruments& w, const std::string& webhook,
                                           const std::string& check) {
  auto it = w.by_check.find(check);
  if (it != w.by_check.end()) return it->second;
  std::lock_guard lock(lazy_mutex_);
  return &failures_->Add({{"webhook", webhook}, {"check", check}});
}

void Metrics::ObserveRequest(const std::string& webhook, int code, double seconds,
                             const std::vector<std::string>& failed_checks) {
  auto it = webhooks_.find(webhook);
  if (it == webhooks_.end()) return;
  WebhookInstruments& w = it->second;
  CodeCounter(w, webhook, code)->Increment();
  w.latency->Observe(seconds);
  for (const auto& check : failed_checks) CheckCounter(w, webhook, check)->Increment();
}

void Metrics::HttpError(int status) {
  auto it = http_error_by_status_.find(status);
  if (it != http_error_by_status_.end()) {
    it->second->Increment();
    return;
  }
  std::lock_guard lock(lazy_mutex_);
  http_errors_->Add({{"code", std::to_string(status)}}).Increment();
}

void Metrics::CertificateReload(bool ok, double expiry_unix_seconds) {
  if (ok) {
    cert_reload_ok_->Increment();
    cert_expiry_->Set(expiry_unix_seconds);
  } else {
    cert_reload_failed_->Increment();
  }
}

void Metrics::PolicyReload(bool ok, double now_unix_seconds) {
  if (ok) {
    policy_reload_ok_->Increment();
    policy_last_success_->Set(now_unix_seconds);
  } else {
    policy_reload_failed_->Increment();
  }
}

std::string Metrics::Render() const {
  return prometheus::TextSerializer{}.Serialize(registry_->Collect());
}

}  // namespace albwebhook::metrics
