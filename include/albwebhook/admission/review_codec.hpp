#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "albwebhook/admission/types.hpp"

namespace albwebhook::admission {

inline constexpr std::string_view kReviewV1 = "admission.k8s.io/v1";
inline constexpr std::string_view kReviewV1beta1 = "admission.k8s.io/v1beta1";
/// Deeper JSON is refused before parsing (the apiserver never sends anything close).
inline constexpr int kMaxJsonDepth = 512;
/// The most JSON values a request body may hold once parsed (metadata.managedFields, never
/// built, aside). A real object holds far fewer (etcd stores at most about 1.5 MiB; a dense
/// Ingress spends about 10 bytes of text per value, so about 150 000; a request carries the
/// object and the old object). Bounds the parsed document per request: each value costs its
/// node, and a body of "{}" after "{}" is 3 bytes per value (about 22 times its size parsed).
inline constexpr std::size_t kMaxJsonValues = 500000;

/// Outcome of decoding an AdmissionReview body.
struct DecodedReview {
  bool ok = false;
  Request request;  // valid when ok
  // When !ok: the error to answer with, and what could still be read for the reply.
  Status error;
  std::string uid;
  std::string api_version;  // empty when unreadable (the reply then uses v1)
};

/// Decodes an AdmissionReview (v1 or v1beta1). Never throws. Malformed input (empty, not JSON,
/// too deep, not an AdmissionReview, missing request, wrong field types, unknown operation)
/// gives ok=false with a 400 status naming the problem.
DecodedReview DecodeReview(std::string_view body);

/// Serializes the AdmissionReview answer in `api_version` (v1 when empty), echoing `uid`.
/// A validating answer never carries a patch. Warnings are sanitized. Never throws.
std::string EncodeReview(const Response& response, std::string_view uid,
                         std::string_view api_version, bool validating);

}  // namespace albwebhook::admission
