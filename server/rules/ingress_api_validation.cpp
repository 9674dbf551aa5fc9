// The API server's own validation of a new Ingress (k8s.io/kubernetes
// pkg/apis/networking/validation: ValidateIngressCreate, the spec part), with its field errors
// word for word, as warnings of `alb-webhook check`. The API server refuses these before any
// validating webhook is called, so the server never sees them; `check` reads manifests as they
// are written, and a repository checked in CI should hear where `kubectl apply` will fail.
// Warnings, not denials: `check` decides as the webhook would (PRODUCT.md), and a minimal object
// (an Ingress with annotations only, as in many test tables) is a fair input to the webhook's
// rules. Only on CREATE (how `check` judges): on UPDATE the API server keeps accepting some
// invalid values an object already has (rules under wildcard hosts, TLS secret names).
//
// Covered: rules or defaultBackend present; rule hosts (not an IP, a lowercase RFC 1123
// subdomain or its wildcard form, at most 253 characters); http.paths present; pathType present
// and supported; paths absolute, without '//', '/./', '/../', '%2f' and not ending in '/..' or
// '/.' (Exact and Prefix); backends (one of service or resource, a service name, one of port
// name or number, a number in 1-65535); spec.tls hosts and secret names; ingressClassName; the
// class annotation matching ingressClassName. Not covered: the Service name format (a feature
// gate relaxes it), the port name format (IANA_SVC_NAME), fields the API server cannot decode (a
// string port number, say: its decoder refuses them in words not reproduced here), metadata,
// resource backend references (the LBC refuses resource backends anyway, see
// CheckIngressBackends).
#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/json_access.hpp"
#include "common/text.hpp"
#include "rules/ingress_checks.hpp"

namespace albwebhook::rules {
namespace {

using common::JsonMember;
using nlohmann::json;

constexpr std::string_view kCheck = "api-server";

// apimachinery/pkg/util/validation: the messages of IsDNS1123Subdomain and
// IsWildcardDNS1123Subdomain, regular expression included, as the API server prints them.
constexpr std::string_view kSubdomainMessage =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
constexpr std::string_view kWildcardMessage =
    "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which "
    "must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric "
    "character (e.g. '*.example.com', regex used for validation is "
    "'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
constexpr std::size_t kMaxSubdomainLength = 253;

/// Field errors as the API server words them (field.Error.Error()).
class ApiErrors {
 public:
  explicit ApiErrors(Verdict& verdict) : verdict_(verdict) {}

  /// `path: Required value` or `path: Required value: detail`
  void Required(const std::string& path, std::string_view detail = {}) {
    std::string message = path + ": Required value";
    if (!detail.empty()) message.append(": ").append(detail);
    Add(std::move(message));
  }
  /// `path: Invalid value: "value": detail` (the value quoted as Go's %q)
  void Invalid(const std::string& path, std::string_view value, std::string_view detail) {
    InvalidRaw(path, Quoted(value), detail);
  }
  /// The same with the value printed as it is (a number, Go's %#v of a slice).
  void InvalidRaw(const std::string& path, std::string_view printed, std::string_view detail) {
    std::string message = path + ": Invalid value: ";
    message.append(printed).append(": ").append(detail);
    Add(std::move(message));
  }
  /// `path: Unsupported value: "value": supported values: "a", "b"`
  void NotSupported(const std::string& path, std::string_view value,
                    std::string_view supported_list) {
    std::string message = path + ": Unsupported value: " + Quoted(value);
    message.append(": supported values: ").append(supported_list);
    Add(std::move(message));
  }

 private:
  static std::string Quoted(std::string_view value) {
    return common::Quote(value, kMaxQuotedBytes, common::QuoteEscapes::kGo);
  }
  void Add(std::string message) { verdict_.Warn(std::string(kCheck), std::move(message)); }

  // A value in a message: enough to recognise it (a path may hold up to the body limit).
  static constexpr std::size_t kMaxQuotedBytes = 256;
  Verdict& verdict_;
};

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*`, no length limit (the
/// API server's regular expression has none per label; the whole name's is checked apart).
bool MatchesSubdomainPattern(std::string_view name) {
  if (name.empty()) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    const std::string_view label =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty()) return false;
    auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!alnum(label.front()) || !alnum(label.back())) return false;
    for (char c : label) {
      if (!alnum(c) && c != '-') return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

/// IsDNS1123Subdomain's messages for `name` at `path` (`wildcard`: IsWildcardDNS1123Subdomain).
void CheckSubdomain(ApiErrors& errors, const std::string& path, std::string_view name,
                    bool wildcard) {
  if (name.size() > kMaxSubdomainLength) {
    errors.Invalid(path, name,
                   "must be no more than " + std::to_string(kMaxSubdomainLength) + " characters");
  }
  const bool matches = wildcard ? name.starts_with("*.") && MatchesSubdomainPattern(name.substr(2))
                                : MatchesSubdomainPattern(name);
  if (!matches) errors.Invalid(path, name, wildcard ? kWildcardMessage : kSubdomainMessage);
}

/// netutils.ParseIPSloppy succeeds: an IPv4 dotted quad (leading zeros allowed) or IPv6.
bool IsIpAddress(std::string_view text) {
  if (text.find(':') != std::string_view::npos) {
    if (text.size() >= INET6_ADDRSTRLEN + 16) return false;
    const std::string copy(text);
    unsigned char buffer[16];
    return inet_pton(AF_INET6, copy.c_str(), buffer) == 1;
  }
  int parts = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (parts == 4) return false;
    unsigned value = 0;
    const std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      value = value * 10 + static_cast<unsigned>(text[i] - '0');
      if (value > 255) return false;
      ++i;
    }
    if (i == start) return false;
    ++parts;
    if (i < text.size()) {
      if (text[i] != '.' || parts == 4) return false;
      ++i;
      if (i == text.size()) return false;
    }
  }
  return parts == 4;
}

/// A string member; nullptr when absent, null or of another type (the API server's decoder
/// refuses other types before validation, and the structure checks report them).
const std::string* StringAt(const json& object, std::string_view key) {
  const json* value = JsonMember(object, key);
  return value != nullptr && value->is_string() ? &value->get_ref<const std::string&>() : nullptr;
}

bool Present(const json* value) { return value != nullptr && !value->is_null(); }

/// validateIngressBackend.
void CheckBackend(ApiErrors& errors, const json& backend, const std::string& path) {
  if (!backend.is_object()) return;
  const json* resource = JsonMember(backend, "resource");
  const json* service = JsonMember(backend, "service");
  const bool has_resource = Present(resource), has_service = Present(service);
  if (has_resource && has_service) {
    errors.Invalid(path, "", "cannot set both resource and service backends");
    return;
  }
  if (has_resource) return;
  if (!has_service) {
    errors.Invalid(path, "", "resource or service backend is required");
    return;
  }
  if (!service->is_object()) return;
  const std::string* name = StringAt(*service, "name");
  if (name == nullptr || name->empty()) errors.Required(path + ".service.name");
  const json* port = JsonMember(*service, "port");
  const std::string* port_name = port != nullptr ? StringAt(*port, "name") : nullptr;
  const json* number = port != nullptr ? JsonMember(*port, "number") : nullptr;
  if (port != nullptr && !port->is_object() && !port->is_null()) return;  // a decode error
  if (number != nullptr && !number->is_null() && !number->is_number_integer()) return;
  const bool has_name = port_name != nullptr && !port_name->empty();
  if (number != nullptr && number->is_number_unsigned() &&
      number->get<std::uint64_t>() > static_cast<std::uint64_t>(INT32_MAX)) {
    return;  // int32: a decode error
  }
  const std::int64_t port_number =
      number != nullptr && number->is_number_integer() ? number->get<std::int64_t>() : 0;
  if (port_number < INT32_MIN || port_number > INT32_MAX) return;  // int32: a decode error
  if (has_name && port_number != 0) {
    errors.Invalid(path, "", "cannot set both port name & port number");
  } else if (port_number != 0 && (port_number < 1 || port_number > 65535)) {
    errors.InvalidRaw(path + ".service.port.number", std::to_string(port_number),
                      "must be between 1 and 65535, inclusive");
  } else if (!has_name && port_number == 0) {
    errors.Required(path, "port name or number is required");
  }
}

/// validateHTTPIngressPath.
void CheckPath(ApiErrors& errors, const json& entry, const std::string& path) {
  if (!entry.is_object()) return;
  const json* type = JsonMember(entry, "pathType");
  if (!Present(type)) {
    errors.Required(path + ".pathType", "pathType must be specified");
    return;
  }
  if (!type->is_string()) return;
  const std::string& path_type = type->get_ref<const std::string&>();
  const json* text_member = JsonMember(entry, "path");
  if (text_member != nullptr && !text_member->is_string() && !text_member->is_null()) return;
  const std::string_view text = text_member != nullptr && text_member->is_string()
                                    ? std::string_view(text_member->get_ref<const std::string&>())
                                    : std::string_view();
  const std::string at = path + ".path";
  if (path_type == "Exact" || path_type == "Prefix") {
    if (!text.starts_with('/')) errors.Invalid(at, text, "must be an absolute path");
    if (!text.empty()) {
      for (std::string_view sequence : {"//", "/./", "/../", "%2f", "%2F"}) {
        if (text.find(sequence) != std::string_view::npos) {
          errors.Invalid(at, text, "must not contain '" + std::string(sequence) + "'");
        }
      }
      for (std::string_view suffix : {"/..", "/."}) {
        if (text.ends_with(suffix)) {
          errors.Invalid(at, text, "cannot end with '" + std::string(suffix) + "'");
        }
      }
    }
  } else if (path_type == "ImplementationSpecific") {
    if (!text.empty() && !text.starts_with('/')) {
      errors.Invalid(at, text, "must be an absolute path");
    }
  } else {
    errors.NotSupported(path + ".pathType", path_type,
                        "\"Exact\", \"ImplementationSpecific\", \"Prefix\"");
  }
  // A path's backend is a struct, not a pointer: an absent one is an empty one.
  static const json kNoBackend = json::object();
  const json* backend = JsonMember(entry, "backend");
  CheckBackend(errors, Present(backend) ? *backend : kNoBackend, path + ".backend");
}

/// validateIngressRules (the rule values of every host: CREATE allows no invalid ones).
void CheckRules(ApiErrors& errors, const json& rules) {
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const json& rule = rules[i];
    if (!rule.is_object()) continue;
    const std::string at = "spec.rules[" + std::to_string(i) + "]";
    if (const std::string* host = StringAt(rule, "host"); host != nullptr && !host->empty()) {
      if (IsIpAddress(*host))
        errors.Invalid(at + ".host", *host, "must be a DNS name, not an IP address");
      CheckSubdomain(errors, at + ".host", *host, host->find('*') != std::string::npos);
    }
    const json* http = JsonMember(rule, "http");
    if (!Present(http) || !http->is_object()) continue;
    const json* paths = JsonMember(*http, "paths");
    if (paths != nullptr && !paths->is_array() && !paths->is_null()) continue;
    if (!Present(paths) || paths->empty()) {
      errors.Required(at + ".http.paths");
      continue;
    }
    for (std::size_t j = 0; j < paths->size(); ++j) {
      CheckPath(errors, (*paths)[j], at + ".http.paths[" + std::to_string(j) + "]");
    }
  }
}

/// validateIngressTLS.
void CheckTls(ApiErrors& errors, const json& tls) {
  for (std::size_t i = 0; i < tls.size(); ++i) {
    const json& entry = tls[i];
    if (!entry.is_object()) continue;
    const std::string at = "spec.tls[" + std::to_string(i) + "]";
    if (const json* hosts = JsonMember(entry, "hosts"); hosts != nullptr && hosts->is_array()) {
      for (std::size_t j = 0; j < hosts->size(); ++j) {
        if (!(*hosts)[j].is_string()) continue;
        const std::string& host = (*hosts)[j].get_ref<const std::string&>();
        CheckSubdomain(errors, at + ".hosts[" + std::to_string(j) + "]", host,
                       host.find('*') != std::string::npos);
      }
    }
    if (const std::string* secret = StringAt(entry, "secretName");
        secret != nullptr && !secret->empty()) {
      CheckSubdomain(errors, at + ".secretName", *secret, false);
    }
  }
}

}  // namespace

void CheckIngressApiServer(const Context& ctx, const json& object, Verdict& verdict) {
  if (!ctx.offline || ctx.operation != api::Operation::kCreate || !object.is_object()) return;
  // An absent or null spec is an empty one (a struct in the API server); one of another type is
  // a decode error, which the structure checks report.
  static const json kNoSpec = json::object();
  const json* spec = JsonMember(object, "spec");
  if (!Present(spec)) spec = &kNoSpec;
  if (!spec->is_object()) return;
  ApiErrors errors(verdict);
  const json* rules = JsonMember(*spec, "rules");
  const json* default_backend = JsonMember(*spec, "defaultBackend");
  if (rules != nullptr && !rules->is_array() && !rules->is_null()) return;  // a decode error
  if ((!Present(rules) || rules->empty()) && !Present(default_backend)) {
    // The spec's rules as the API server renders a complex value since Kubernetes 1.34 (as
    // JSON: `null` when absent, `[]` when empty); 1.30-1.33 print Go's %#v of the slice
    // (`[]networking.IngressRule(nil)`).
    errors.InvalidRaw("spec", Present(rules) ? "[]" : "null",
                      "either `defaultBackend` or `rules` must be specified");
  }
  if (Present(default_backend)) CheckBackend(errors, *default_backend, "spec.defaultBackend");
  if (Present(rules)) CheckRules(errors, *rules);
  if (const json* tls = JsonMember(*spec, "tls"); tls != nullptr && tls->is_array()) {
    CheckTls(errors, *tls);
  }
  const std::string* class_name = StringAt(*spec, "ingressClassName");
  if (class_name != nullptr) CheckSubdomain(errors, "spec.ingressClassName", *class_name, false);
  // ValidateIngressCreate: the class annotation and ingressClassName must agree.
  const json* metadata = JsonMember(object, "metadata");
  const json* annotations = metadata != nullptr ? JsonMember(*metadata, "annotations") : nullptr;
  const std::string* annotation =
      annotations != nullptr ? StringAt(*annotations, kIngressClassAnnotation) : nullptr;
  if (annotation != nullptr && class_name != nullptr && *annotation != *class_name) {
    errors.Invalid("annotations." + std::string(kIngressClassAnnotation), *annotation,
                   "must match `ingressClassName` when both are specified");
  }
}

}  // namespace albwebhook::rules
