#include "albwebhook/admission/review_codec.hpp"

#include <map>
#include <optional>
#include <utility>

#include "albwebhook/admission/response.hpp"
#include "albwebhook/json/json_parse.hpp"
#include "albwebhook/json/json_patch.hpp"
#include "albwebhook/util/json_string.hpp"

namespace albwebhook::admission {
namespace {

using nlohmann::json;
using util::AppendJsonString;

// Deepest nesting of arrays/objects in `body`, stopping as soon as it exceeds `limit`. A byte scan
// that skips strings: it runs before nlohmann parses (whose copy, compare and dump are recursive).
int NestingDepthExceeds(std::string_view body, int limit) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limit) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

// nlohmann's error text without what it quotes of the input: its prefix
// ("[json.exception.parse_error.101] ") goes, and so does the token it was reading ("; last read:
// '...'") or the number it could not hold ("number overflow parsing '...'"). That text is a piece
// of the body, which may hold a secret from an annotation and would travel back into the
// apiserver's error and its logs; the line and column are enough to find the fault.
std::string DescribeJsonError(const json::exception& e) {
  std::string message = e.what();
  if (message.rfind("[json.exception.", 0) == 0) {
    if (const auto end = message.find("] "); end != std::string::npos) message.erase(0, end + 2);
  }
  if (const auto quoted = message.find("; last read: '"); quoted != std::string::npos) {
    const auto expected = message.rfind("'; expected ");
    message = message.substr(0, quoted) + (expected != std::string::npos && expected > quoted
                                               ? message.substr(expected + 1)
                                               : std::string());
  }
  if (message.rfind("number overflow parsing '", 0) == 0) message = "a number is out of range";
  return message;
}

DecodedReview Fail(DecodedReview d, std::string message) {
  d.ok = false;
  d.error = Status{400, "BadRequest", std::move(message)};
  return d;
}

// Reads an optional string field; false when present with another type (null counts as absent).
bool OptionalString(const json& obj, const char* key, std::string& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return true;
  if (!it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

}  // namespace

namespace {

// The body as JSON, or the error message. The fast parser gives nlohmann's value for the JSON the
// apiserver sends, and succeeds only within kMaxJsonDepth levels; anything else takes the checked
// path: depth scan, then nlohmann (its value, or its error). It leaves out metadata.managedFields
// (checked, not built): no rule and no patch ever reads it, and it is often a third of the object.
std::optional<std::string> ParseBody(std::string_view body, json& review) {
  static constexpr albwebhook::json::SkipMember kManagedFields{"metadata", "managedFields"};
  static const std::string kTooManyValues =
      "request body has more than " + std::to_string(kMaxJsonValues) + " JSON values";
  switch (albwebhook::json::FastParseBounded(body, review, kManagedFields, kMaxJsonDepth,
                                             kMaxJsonValues)) {
    case albwebhook::json::BoundedParse::kParsed:
      return std::nullopt;
    case albwebhook::json::BoundedParse::kTooManyValues:
      review = json();  // what was built is freed now, not with the request
      return kTooManyValues;
    case albwebhook::json::BoundedParse::kRefused:
      break;
  }
  if (NestingDepthExceeds(body, kMaxJsonDepth)) {
    return "request body is nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
  }
  // nlohmann builds every value (managedFields too): counted first, without building.
  if (albwebhook::json::HasMoreValuesThan(body, kMaxJsonValues)) return kTooManyValues;
  try {
    review = json::parse(body);
  } catch (const json::exception& e) {
    return "request body is not valid JSON: " + DescribeJsonError(e);
  }
  return std::nullopt;
}

// apiVersion, kind and request.uid (read first, so that every later error can echo it).
std::optional<std::string> ReadEnvelope(json& review, DecodedReview& d) {
  if (!review.is_object()) return "request body is not a JSON object";
  std::string api_version;
  std::string kind;
  if (!OptionalString(review, "apiVersion", api_version)) return "apiVersion: expected a string";
  if (api_version == kReviewV1 || api_version == kReviewV1beta1) d.api_version = api_version;
  if (!OptionalString(review, "kind", kind)) return "kind: expected a string";
  auto req_it = review.find("request");
  if (req_it != review.end() && req_it->is_object()) {
    auto uid_it = req_it->find("uid");
    if (uid_it != req_it->end() && uid_it->is_string()) d.uid = uid_it->get<std::string>();
  }
  if (kind != "AdmissionReview" || d.api_version.empty()) {
    // What was sent is echoed, cut short: the answer must not grow with the request.
    auto echo = [](const std::string& value) {
      constexpr std::size_t kMaxEcho = 64;
      return value.size() <= kMaxEcho ? value : value.substr(0, kMaxEcho) + "...";
    };
    return "expected kind AdmissionReview with apiVersion admission.k8s.io/v1 "
           "or admission.k8s.io/v1beta1, got apiVersion \"" +
           echo(api_version) + "\" kind \"" + echo(kind) + "\"";
  }
  if (req_it == review.end() || req_it->is_null()) return "AdmissionReview has no request";
  if (!req_it->is_object()) return "request: expected an object";
  return std::nullopt;
}

std::optional<std::string> ReadOperation(const json& req, Request& r) {
  static constexpr std::pair<std::string_view, Operation> kOperations[] = {
      {"CREATE", Operation::kCreate},
      {"UPDATE", Operation::kUpdate},
      {"DELETE", Operation::kDelete},
      {"CONNECT", Operation::kConnect}};
  auto op_it = req.find("operation");
  if (op_it == req.end() || !op_it->is_string()) {
    return "request.operation: expected CREATE, UPDATE, DELETE or CONNECT";
  }
  const auto& op = op_it->get_ref<const std::string&>();
  for (const auto& [name, value] : kOperations) {
    if (op == name) {
      r.operation = value;
      return std::nullopt;
    }
  }
  return "request.operation: unknown operation \"" + op.substr(0, 32) +
         "\"; expected CREATE, UPDATE, DELETE or CONNECT";
}

// uid, kind, subResource, name, namespace, operation, userInfo.username and dryRun.
std::optional<std::string> ReadRequestFields(const json& req, Request& r) {
  auto uid_it = req.find("uid");
  if (uid_it == req.end() || !uid_it->is_string() ||
      uid_it->get_ref<const std::string&>().empty()) {
    return "request.uid: expected a non-empty string";
  }
  auto kind_it = req.find("kind");
  if (kind_it != req.end() && !kind_it->is_null()) {
    if (!kind_it->is_object()) return "request.kind: expected an object";
    if (!OptionalString(*kind_it, "group", r.kind.group) ||
        !OptionalString(*kind_it, "version", r.kind.version) ||
        !OptionalString(*kind_it, "kind", r.kind.kind)) {
      return "request.kind: group, version and kind must be strings";
    }
  }
  if (!OptionalString(req, "subResource", r.sub_resource)) {
    return "request.subResource: expected a string";
  }
  if (!OptionalString(req, "name", r.name)) return "request.name: expected a string";
  if (!OptionalString(req, "namespace", r.ns)) return "request.namespace: expected a string";
  if (auto error = ReadOperation(req, r)) return error;
  auto user_it = req.find("userInfo");
  if (user_it != req.end() && !user_it->is_null()) {
    if (!user_it->is_object() || !OptionalString(*user_it, "username", r.username)) {
      return "request.userInfo: expected an object with a string username";
    }
  }
  auto dry_it = req.find("dryRun");
  if (dry_it != req.end() && !dry_it->is_null()) {
    if (!dry_it->is_boolean()) return "request.dryRun: expected a boolean";
    r.dry_run = dry_it->get<bool>();
  }
  return std::nullopt;
}

// Moves (not copies: they can be megabytes) object and oldObject out of the parsed review.
std::optional<std::string> TakeObjects(json& req, Request& r) {
  for (auto [key, target] :
       {std::pair{"object", &r.object}, std::pair{"oldObject", &r.old_object}}) {
    auto it = req.find(key);
    if (it == req.end() || it->is_null()) continue;
    if (!it->is_object()) return std::string("request.") + key + ": expected an object";
    *target = std::move(*it);
  }
  if (r.operation == Operation::kCreate && !r.object.is_object()) {
    return "request.object: required for CREATE";
  }
  if (r.operation == Operation::kUpdate && (!r.object.is_object() || !r.old_object.is_object())) {
    return "request.object and request.oldObject: required for UPDATE";
  }
  return std::nullopt;
}

}  // namespace

DecodedReview DecodeReview(std::string_view body) {
  DecodedReview d;
  if (body.empty()) return Fail(std::move(d), "request body is empty");
  json review;
  if (auto error = ParseBody(body, review)) return Fail(std::move(d), std::move(*error));
  if (auto error = ReadEnvelope(review, d)) return Fail(std::move(d), std::move(*error));
  json& req = review["request"];
  Request& r = d.request;
  r.review_api_version = d.api_version;
  if (auto error = ReadRequestFields(req, r)) return Fail(std::move(d), std::move(*error));
  r.uid = d.uid;
  if (auto error = TakeObjects(req, r)) return Fail(std::move(d), std::move(*error));
  d.ok = true;
  return d;
}

// Written directly, in the bytes nlohmann's dump of the equivalent DOM gives (keys in sorted
// order, compact, invalid UTF-8 replaced): no DOM per answer.
std::string EncodeReview(const Response& response, std::string_view uid,
                         std::string_view api_version, bool validating) {
  const auto warnings = SanitizeWarnings(response.warnings);
  std::string out;
  std::size_t warning_bytes = 0;
  for (const std::string& w : warnings) warning_bytes += w.size() + 8;
  out.reserve(192 + uid.size() + response.status.message.size() + warning_bytes);
  out += R"({"apiVersion":)";
  AppendJsonString(out, api_version.empty() ? kReviewV1 : api_version);
  out += R"(,"kind":"AdmissionReview","response":{"allowed":)";
  out += response.allowed ? "true" : "false";
  // auditAnnotations: valid keys, the last value of a repeated key, in key order.
  std::map<std::string_view, std::string_view> audit;
  for (const auto& [key, value] : response.audit_annotations) {
    if (IsValidAuditAnnotationKey(key)) audit.insert_or_assign(key, value);
  }
  if (!audit.empty()) {
    out += R"(,"auditAnnotations":{)";
    bool first = true;
    for (const auto& [key, value] : audit) {
      if (!first) out += ',';
      first = false;
      AppendJsonString(out, key);
      out += ':';
      AppendJsonString(out, value);
    }
    out += '}';
  }
  if (!validating && response.allowed && !response.patch.empty()) {
    out += R"(,"patch":)";
    AppendJsonString(out, albwebhook::json::Base64Encode(response.patch.dump(
                              -1, ' ', false, nlohmann::json::error_handler_t::replace)));
    out += R"(,"patchType":"JSONPatch")";
  }
  if (!response.allowed || response.status.code != 200 || !response.status.message.empty()) {
    out += R"(,"status":{"code":)";
    out += std::to_string(response.status.code);
    if (!response.status.message.empty()) {
      out += R"(,"message":)";
      AppendJsonString(out, response.status.message);
    }
    out += R"(,"metadata":{})";
    if (!response.status.reason.empty()) {
      out += R"(,"reason":)";
      AppendJsonString(out, response.status.reason);
    }
    out += response.allowed ? R"(,"status":"Success"})" : R"(,"status":"Failure"})";
  }
  out += R"(,"uid":)";
  AppendJsonString(out, uid);
  if (!warnings.empty()) {
    out += R"(,"warnings":[)";
    for (std::size_t i = 0; i < warnings.size(); ++i) {
      if (i > 0) out += ',';
      AppendJsonString(out, warnings[i]);
    }
    out += ']';
  }
  out += "}}";
  return out;
}

}  // namespace albwebhook::admission
