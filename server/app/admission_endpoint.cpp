#include "app/admission_endpoint.hpp"

#include "albwebhook/admission/response.hpp"
#include "albwebhook/admission/review_codec.hpp"
#include "albwebhook/admission/webhook.hpp"
#include "albwebhook/log/log.hpp"

namespace albwebhook::app {
namespace {

using transport::Call;
using transport::Reply;

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The decode error of a 400 as it may be logged. nlohmann's syntax errors quote the token being
// read ("; last read: '...'"), which can be part of an object body (say, a secret in an
// annotation): that part is never logged. The rest is capped, so that a huge apiVersion or kind
// echoed in the message cannot make huge log lines.
std::string LoggableError(std::string message) {
  if (const auto quoted = message.find("; last read: "); quoted != std::string::npos) {
    message.resize(quoted);
  }
  constexpr std::size_t kMaxLoggedError = 512;
  if (message.size() > kMaxLoggedError) {
    message.resize(kMaxLoggedError);
    message += "...";
  }
  return message;
}

// A verdict is logged at info; a malformed request at warn; a handler failure at error.
log::Level LevelOf(int code) {
  if (code >= 500) return log::Level::kError;
  if (code >= 400 && code != 403) return log::Level::kWarn;
  return log::Level::kInfo;
}

// A request's own identifiers as logged: Kubernetes names are at most 253 bytes and UIDs 36, but
// a request may carry anything (up to the body limit) there; one line must stay one line for
// container runtimes, which split lines past 16 KiB.
std::string_view Capped(const std::string& value) {
  constexpr std::size_t kMaxLogged = 256;
  return std::string_view(value).substr(0, kMaxLogged);
}

void LogRequest(const std::string& path, const admission::AdmissionResult& r, double seconds) {
  const log::Level level = LevelOf(r.code);
  if (!log::Enabled(level)) return;
  // The per-request line, without building a JSON object for it (log::WriteFields).
  const auto duration_us = static_cast<long long>(seconds * 1e6);
  std::string error;
  log::Field fields[12] = {{"uid", Capped(r.uid)},
                           {"webhook", path},
                           {"operation", Capped(r.operation)},
                           {"namespace", Capped(r.ns)},
                           {"name", Capped(r.name)},
                           {"allowed", r.allowed},
                           {"code", r.code},
                           {"violations", r.violations},
                           {"warnings", r.warnings},
                           {"duration_us", duration_us},
                           {"checks", r.failed_checks},
                           {"error", error}};
  std::size_t n = 10;
  if (!r.allowed) ++n;  // checks
  if (r.code >= 400 && r.code != 403) {
    error = LoggableError(r.message);
    fields[n++] = log::Field("error", error);
  }
  log::WriteFields(level, "admission", std::span<const log::Field>(fields, n));
}

Reply TooLargeReply(const Call& call) {
  log::Warn("request body too large", {{"limit", call.body_limit}});
  admission::AdmissionResult result = admission::TooLarge(call.body_limit);
  return Reply{result.http_status, std::move(result.body), false};
}

Reply OverBudgetReply(const Call& call) {
  log::Warn("request body budget exhausted; answered 503",
            {{"body_bytes", call.body_wanted},
             {"buffered_body_bytes", call.budget_in_use},
             {"budget", call.budget}});
  const admission::Response refused =
      admission::Errored(503, "too many request bodies are being received at once; retry");
  return Reply{503, admission::EncodeReview(refused, "", "", true), true};
}

class AdmissionEndpoint final : public transport::Endpoint {
 public:
  AdmissionEndpoint(std::string path, std::unique_ptr<admission::Handler> handler,
                    std::shared_ptr<metrics::Metrics> metrics)
      : path_(std::move(path)),
        handler_(std::move(handler)),
        metrics_(std::move(metrics)),
        in_flight_(metrics_->InFlight(path_)) {}

  Reply Answer(const Call& call) const override {
    switch (call.state) {
      case Call::Body::kTooLarge:
        metrics_->ObserveRequest(path_, 413, SecondsSince(call.started), {});
        return TooLargeReply(call);
      case Call::Body::kOverBudget:
        metrics_->ObserveRequest(path_, 503, SecondsSince(call.started), {});
        return OverBudgetReply(call);
      case Call::Body::kReceived:
        break;
    }
    in_flight_->Increment();
    admission::AdmissionResult result =
        admission::ServeAdmission(call.body, call.content_type, *handler_);
    in_flight_->Decrement();
    const double seconds = SecondsSince(call.started);
    metrics_->ObserveRequest(path_, result.code, seconds, result.failed_checks);
    if (result.panicked) metrics_->Panic();
    LogRequest(path_, result, seconds);
    return Reply{result.http_status, std::move(result.body), false};
  }

 private:
  std::string path_;
  std::unique_ptr<admission::Handler> handler_;
  std::shared_ptr<metrics::Metrics> metrics_;
  prometheus::Gauge* in_flight_;
};

class UnroutedEndpoint final : public transport::Endpoint {
 public:
  explicit UnroutedEndpoint(std::shared_ptr<metrics::Metrics> metrics)
      : metrics_(std::move(metrics)) {}

  Reply Answer(const Call& call) const override {
    if (call.state == Call::Body::kOverBudget) {
      metrics_->HttpError(503);
      return OverBudgetReply(call);
    }
    // The transport only calls here for bodies it did not read.
    return TooLargeReply(call);
  }

 private:
  std::shared_ptr<metrics::Metrics> metrics_;
};

}  // namespace

std::shared_ptr<const transport::Endpoint> MakeAdmissionEndpoint(
    std::string path, std::unique_ptr<admission::Handler> handler,
    std::shared_ptr<metrics::Metrics> metrics) {
  return std::make_shared<AdmissionEndpoint>(std::move(path), std::move(handler),
                                             std::move(metrics));
}

std::shared_ptr<const transport::Endpoint> MakeUnroutedEndpoint(
    std::shared_ptr<metrics::Metrics> metrics) {
  return std::make_shared<UnroutedEndpoint>(std::move(metrics));
}

}  // namespace albwebhook::app
