#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "albwebhook/api/types.hpp"

namespace albwebhook::admission {

using api::GroupVersionKind;
using api::Operation;
using api::OperationName;

/// A decoded AdmissionReview request (admission.k8s.io/v1 or v1beta1).
/// `object` / `old_object` are JSON null when the apiserver sent null (DELETE has only old_object,
/// CREATE only object; see reference/admission-protocol.md A4).
struct Request {
  std::string review_api_version;  // "admission.k8s.io/v1" or "admission.k8s.io/v1beta1"
  std::string uid;
  GroupVersionKind kind;
  std::string sub_resource;
  std::string name;
  std::string ns;  // request.namespace (authoritative: the object's own may be empty on CREATE)
  Operation operation = Operation::kCreate;
  std::string username;
  bool dry_run = false;
  nlohmann::json object;      // null when absent
  nlohmann::json old_object;  // null when absent
};

/// metav1.Status subset carried by a response.
struct Status {
  int code = 200;
  std::string reason;  // e.g. "Forbidden", "BadRequest"
  std::string message;
};

/// The answer of a handler. Build it with the constructors in response.hpp, never by hand.
struct Response {
  bool allowed = true;
  Status status;
  nlohmann::json patch = nlohmann::json::array();  // RFC 6902 operations; empty = no patch
  std::vector<std::string> warnings;
  std::vector<std::pair<std::string, std::string>> audit_annotations;
  // Bookkeeping for logs and metrics (not sent on the wire).
  std::size_t violations = 0;
  std::vector<std::string> failed_checks;  // check / rule names behind denials (metric label)
};

}  // namespace albwebhook::admission
