#include "cli/check_legacy.hpp"

#include <string>

namespace albwebhook::cli::check {
namespace {

using nlohmann::json;

// v1beta1 backend {serviceName, servicePort} -> v1 {service: {name, port: {number|name}}};
// a `resource` backend is the same in both. Anything of an unexpected shape is left as it is
// (the rules report it).
void ConvertBackend(json& backend) {
  if (!backend.is_object()) return;
  const auto name = backend.find("serviceName");
  const auto port = backend.find("servicePort");
  if (name == backend.end() && port == backend.end()) return;
  json service = json::object();
  if (name != backend.end()) service["name"] = *name;
  if (port != backend.end()) {
    service["port"] = port->is_string() ? json{{"name", *port}} : json{{"number", *port}};
  }
  backend.erase("serviceName");
  backend.erase("servicePort");
  backend["service"] = std::move(service);
}

void ConvertIngressSpec(json& spec) {
  if (!spec.is_object()) return;
  if (auto backend = spec.find("backend"); backend != spec.end()) {
    json moved = std::move(*backend);
    spec.erase("backend");
    ConvertBackend(moved);
    if (!spec.contains("defaultBackend")) spec["defaultBackend"] = std::move(moved);
  }
  auto rules = spec.find("rules");
  if (rules == spec.end() || !rules->is_array()) return;
  for (json& rule : *rules) {
    if (!rule.is_object() || !rule.contains("http") || !rule["http"].is_object()) continue;
    json& paths = rule["http"]["paths"];
    if (!paths.is_array()) continue;
    for (json& path : paths) {
      if (!path.is_object()) continue;
      if (path.contains("backend")) ConvertBackend(path["backend"]);
      // The v1beta1 defaulting (SetDefaults_HTTPIngressPath): a path without a type is served
      // as ImplementationSpecific.
      if (auto type = path.find("pathType"); type == path.end() || type->is_null()) {
        path["pathType"] = "ImplementationSpecific";
      }
    }
  }
}

}  // namespace

std::optional<json> ConvertLegacyVersion(const json& object) {
  if (!object.is_object()) return std::nullopt;
  const auto api_version = object.find("apiVersion");
  const auto kind = object.find("kind");
  if (api_version == object.end() || kind == object.end() || !api_version->is_string() ||
      !kind->is_string()) {
    return std::nullopt;
  }
  const std::string& version = api_version->get_ref<const std::string&>();
  const std::string& k = kind->get_ref<const std::string&>();
  if (k == "Ingress" &&
      (version == "extensions/v1beta1" || version == "networking.k8s.io/v1beta1")) {
    json converted = object;
    converted["apiVersion"] = "networking.k8s.io/v1";
    if (auto spec = converted.find("spec"); spec != converted.end()) ConvertIngressSpec(*spec);
    return converted;
  }
  if (k == "TargetGroupBinding" && version == "elbv2.k8s.aws/v1alpha1") {
    // The v1alpha1 fields are a subset of v1beta1's, with the same names and meaning.
    json converted = object;
    converted["apiVersion"] = "elbv2.k8s.aws/v1beta1";
    return converted;
  }
  return std::nullopt;
}

}  // namespace albwebhook::cli::check
