#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace albwebhook::metrics {

/// Instruments of one webhook path. Children are created up front; the hot path only increments.
struct WebhookInstruments {
  prometheus::Gauge* in_flight = nullptr;
  prometheus::Histogram* latency = nullptr;
  std::map<int, prometheus::Counter*> by_code;           // admission status code
  std::map<std::string, prometheus::Counter*> by_check;  // denials by check / rule
};

/// All alb_webhook_* metrics. Thread-safe (prometheus-cpp instruments are atomic; the rare
/// lazily-created child for an unknown code or check is guarded by a mutex).
class Metrics {
 public:
  /// `webhooks`: URL path -> check names its rule set can report.
  explicit Metrics(const std::vector<std::pair<std::string, std::vector<std::string>>>& webhooks,
                   const std::string& version);
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  /// Records one finished admission call.
  void ObserveRequest(const std::string& webhook, int code, double seconds,
                      const std::vector<std::string>& failed_checks);
  /// In-flight gauge of a webhook (nullptr for unknown paths).
  prometheus::Gauge* InFlight(const std::string& webhook);

  void HandshakeFailure() { handshake_failures_->Increment(); }
  void Panic() { panics_->Increment(); }
  void ConnectionRejected() { connections_rejected_->Increment(); }
  prometheus::Gauge& OpenConnections() { return *connections_open_; }
  void HttpError(int status);
  void CertificateReload(bool ok, double expiry_unix_seconds);
  void PolicyReload(bool ok, double now_unix_seconds);

  /// Prometheus text exposition format.
  std::string Render() const;
  /// The registry behind Render(), for other areas' instruments (the cluster view's).
  prometheus::Registry& registry() { return *registry_; }

 private:
  void RegisterWebhookInstruments(
      const std::vector<std::pair<std::string, std::vector<std::string>>>& webhooks);
  void RegisterServerInstruments(const std::string& version);
  prometheus::Counter* CodeCounter(WebhookInstruments& w, const std::string& webhook, int code);
  prometheus::Counter* CheckCounter(WebhookInstruments& w, const std::string& webhook,
                                    const std::string& check);

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Family<prometheus::Histogram>* latency_;
  prometheus::Family<prometheus::Gauge>* in_flight_;
  prometheus::Family<prometheus::Counter>* failures_;
  prometheus::Family<prometheus::Counter>* http_errors_;
  std::map<std::string, WebhookInstruments> webhooks_;
  std::mutex lazy_mutex_;
  prometheus::Counter* handshake_failures_;
  prometheus::Counter* panics_;
  prometheus::Counter* connections_rejected_;
  prometheus::Gauge* connections_open_;
  prometheus::Counter* cert_reload_ok_;
  prometheus::Counter* cert_reload_failed_;
  prometheus::Gauge* cert_expiry_;
  prometheus::Counter* policy_reload_ok_;
  prometheus::Counter* policy_reload_failed_;
  prometheus::Gauge* policy_last_success_;
  std::map<int, prometheus::Counter*> http_error_by_status_;
};

}  // namespace albwebhook::metrics
