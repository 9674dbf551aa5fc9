#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "albwebhook/admission/handler.hpp"

namespace albwebhook::admission {

/// Everything the transport needs to answer, log and count one admission call.
struct AdmissionResult {
  int http_status = 200;
  std::string body;  // AdmissionReview JSON
  // For logs and metrics (never sent):
  std::string uid;
  std::string operation;  // "" when the request could not be decoded
  std::string ns;
  std::string name;
  bool allowed = false;
  int code = 200;  // response.status.code (200 allowed, 403 denied, 4xx malformed, 500 bug)
  std::string message;
  std::size_t violations = 0;
  std::size_t warnings = 0;
  std::vector<std::string> failed_checks;
  bool panicked = false;  // the handler threw: a bug to fix
};

/// Serves one admission POST body, in the order controller-runtime uses: empty body -> 400,
/// content type -> 415, decode -> 400, kind check -> 400, handler. Errors are AdmissionReview
/// bodies carrying the uid when it could be read; their HTTP status equals the error code.
/// Never throws.
AdmissionResult ServeAdmission(std::string_view body, std::string_view content_type,
                               const Handler& handler);

/// The reply for a body over the size limit, which is never buffered (413).
AdmissionResult TooLarge(std::size_t limit_bytes);

}  // namespace albwebhook::admission
