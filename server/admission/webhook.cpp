#include "albwebhook/admission/webhook.hpp"

#include "albwebhook/admission/response.hpp"
#include "albwebhook/admission/review_codec.hpp"

namespace albwebhook::admission {
namespace {

bool IsJsonContentType(std::string_view content_type) {
  // "application/json", optionally with parameters ("; charset=utf-8"); case-insensitive type.
  const auto semi = content_type.find(';');
  std::string_view media = content_type.substr(0, semi);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  while (!media.empty() && media.front() == ' ') media.remove_prefix(1);
  constexpr std::string_view kJson = "application/json";
  if (media.size() != kJson.size()) return false;
  for (std::size_t i = 0; i < media.size(); ++i) {
    char c = media[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kJson[i]) return false;
  }
  return true;
}

AdmissionResult Finish(const Response& response, std::string_view uid, std::string_view api_version,
                       bool validating) {
  AdmissionResult out;
  out.body = EncodeReview(response, uid, api_version, validating);
  out.uid = uid;
  out.allowed = response.allowed;
  out.code = response.status.code;
  out.message = response.status.message;
  out.violations = response.violations;
  out.warnings = response.warnings.size();
  out.failed_checks = response.failed_checks;
  // Denials are answered 200 (the apiserver then shows our message); malformed requests get
  // their 4xx status so no client mistakes them for a verdict.
  out.http_status = (response.allowed || response.status.code == 403) ? 200 : response.status.code;
  return out;
}

}  // namespace

AdmissionResult ServeAdmission(std::string_view body, std::string_view content_type,
                               const Handler& handler) {
  if (body.empty()) return Finish(Errored(400, "request body is empty"), "", "", true);
  if (!IsJsonContentType(content_type)) {
    return Finish(Errored(415, "contentType=" + std::string(content_type.substr(0, 64)) +
                                   ", expected application/json"),
                  "", "", true);
  }
  DecodedReview decoded = DecodeReview(body);
  if (!decoded.ok) {
    Response error = Errored(decoded.error.code, decoded.error.message);
    return Finish(error, decoded.uid, decoded.api_version, true);
  }
  const Request& request = decoded.request;
  Response response;
  bool panicked = false;
  try {
    response = handler.Handle(request);
  } catch (const std::exception& e) {
    // A bug: answer 500 carrying the uid (the apiserver applies failurePolicy) and count it.
    response = Errored(500, std::string("internal error: ") + e.what());
    panicked = true;
  } catch (...) {
    response = Errored(500, "internal error");
    panicked = true;
  }
  AdmissionResult out =
      Finish(response, request.uid, request.review_api_version, handler.validating());
  out.operation = OperationName(request.operation);
  out.ns = request.ns;
  out.name = request.name;
  out.panicked = panicked;
  return out;
}

AdmissionResult TooLarge(std::size_t limit_bytes) {
  return Finish(Errored(413, "request entity is too large; limit is " +
                                 std::to_string(limit_bytes) + " bytes"),
                "", "", true);
}

}  // namespace albwebhook::admission
