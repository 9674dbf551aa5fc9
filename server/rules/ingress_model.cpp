// Reading an Ingress safely, scope, and defaults (shared by the validator and the mutator).
#include <algorithm>
#include <cstring>

#include "albwebhook/cluster/cluster_state.hpp"
#include "rules/ingress_checks.hpp"

namespace albwebhook::rules {
namespace {

using nlohmann::json;

std::string TypeName(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    default:
      return "a number";
  }
}

/// Member `key` of `object` when `object` is an object and has it; nullptr otherwise. (A
/// string_view key: compared to each std::string key without measuring a C string each time.)
const json* Member(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string StringMember(const json& object, std::string_view key) {
  const json* value = Member(object, key);
  return (value != nullptr && value->is_string()) ? value->get<std::string>() : std::string();
}

/// Reports where `value` is when it exists, is not null and is not of the expected kind. `where()`
/// spells the path out, only when reported (this runs for every path and backend).
template <typename Where>
bool ExpectKindAt(const json* value, bool (json::*is_kind)() const noexcept, const char* kind,
                  const Where& where, std::vector<std::string>& problems) {
  if (value == nullptr || value->is_null()) return false;
  if (!(value->*is_kind)()) {
    problems.push_back(where() + ": expected " + kind + ", got " + TypeName(*value));
    return false;
  }
  return true;
}

/// ExpectKindAt at `path` + `suffix`.
bool ExpectKind(const json* value, bool (json::*is_kind)() const noexcept, const char* kind,
                std::string_view path, std::vector<std::string>& problems,
                std::string_view suffix = {}) {
  return ExpectKindAt(
      value, is_kind, kind, [&] { return std::string(path) + std::string(suffix); }, problems);
}

void ReadBackend(const json& backend, IngressBackend out, IngressView& view) {
  const json* service = Member(backend, "service");
  if (ExpectKindAt(
          service, &json::is_object, "an object", [&] { return out.Location() + ".service"; },
          view.structure_problems)) {
    out.has_service = true;
    out.service_name = StringMember(*service, "name");
    if (const json* port = Member(*service, "port")) {
      out.port_name = StringMember(*port, "name");
      const json* number = Member(*port, "number");
      if (number != nullptr && number->is_number_integer()) {
        out.port_number = number->get<std::int64_t>();
      }
    }
  }
  const json* resource = Member(backend, "resource");
  out.has_resource = resource != nullptr && !resource->is_null();
  view.backends.push_back(std::move(out));
}

void ReadSpec(const json& spec, IngressView& view) {
  const json* default_backend = Member(spec, "defaultBackend");
  if (ExpectKind(default_backend, &json::is_object, "an object", "spec.defaultBackend",
                 view.structure_problems)) {
    ReadBackend(*default_backend, IngressBackend{}, view);
  }
  const json* rules = Member(spec, "rules");
  if (!ExpectKind(rules, &json::is_array, "an array", "spec.rules", view.structure_problems)) {
    return;
  }
  for (std::size_t i = 0; i < rules->size(); ++i) {
    std::string rule_path = "spec.rules[" + std::to_string(i) + "]";
    const json& rule = (*rules)[i];
    if (!ExpectKind(&rule, &json::is_object, "an object", rule_path, view.structure_problems)) {
      continue;
    }
    const json* http = Member(rule, "http");
    if (!ExpectKind(http, &json::is_object, "an object", rule_path, view.structure_problems,
                    ".http")) {
      continue;
    }
    const json* paths = Member(*http, "paths");
    if (!ExpectKind(paths, &json::is_array, "an array", rule_path, view.structure_problems,
                    ".http.paths")) {
      continue;
    }
    view.rule_paths += paths->size();
    for (std::size_t j = 0; j < paths->size(); ++j) {
      IngressBackend backend_of_path;
      backend_of_path.in_rule_path = true;
      backend_of_path.rule = i;
      backend_of_path.index = j;
      const auto path_location = [&] {
        return rule_path + ".http.paths[" + std::to_string(j) + "]";
      };
      const json& path = (*paths)[j];
      if (!ExpectKindAt(&path, &json::is_object, "an object", path_location,
                        view.structure_problems)) {
        continue;
      }
      const json* path_text = Member(path, "path");
      if (path_text != nullptr && path_text->is_string() &&
          PathMayBeRejected(path_text->get_ref<const std::string&>())) {
        const json* path_type = Member(path, "pathType");
        view.paths.push_back(
            {i, j, path_text->get<std::string>(),
             path_type && path_type->is_string() ? path_type->get<std::string>() : ""});
      }
      const json* backend = Member(path, "backend");
      if (ExpectKindAt(
              backend, &json::is_object, "an object", [&] { return backend_of_path.Location(); },
              view.structure_problems)) {
        ReadBackend(*backend, std::move(backend_of_path), view);
      }
    }
  }
}

}  // namespace

std::string IngressBackend::Location() const {
  if (!in_rule_path) return "spec.defaultBackend";
  return "spec.rules[" + std::to_string(rule) + "].http.paths[" + std::to_string(index) +
         "].backend";
}

namespace {

/// The annotations object of `object`, created when absent. nullptr when the shape does not allow
/// it (object/metadata/annotations of another type).
json* MutableAnnotations(json& object) {
  if (!object.is_object()) return nullptr;
  json& metadata = object["metadata"];
  if (metadata.is_null()) metadata = json::object();
  if (!metadata.is_object()) return nullptr;
  json& annotations = metadata["annotations"];
  if (annotations.is_null()) annotations = json::object();
  if (!annotations.is_object()) return nullptr;
  return &annotations;
}

/// Read-only annotations object, or nullptr.
const json* ReadAnnotations(const json& object) {
  const json* metadata = Member(object, "metadata");
  if (metadata == nullptr) return nullptr;
  const json* annotations = Member(*metadata, "annotations");
  return (annotations != nullptr && annotations->is_object()) ? annotations : nullptr;
}

/// Whether the current object shape lets us write annotations without replacing user data.
bool CanWriteAnnotations(const json& object) {
  if (!object.is_object()) return false;
  const json* metadata = Member(object, "metadata");
  if (metadata != nullptr && !metadata->is_null() && !metadata->is_object()) return false;
  const json* annotations = metadata == nullptr ? nullptr : Member(*metadata, "annotations");
  return annotations == nullptr || annotations->is_null() || annotations->is_object();
}

void MigrateClassAnnotation(const policy::IngressPolicy& policy, json& object) {
  const json* annotations = ReadAnnotations(object);
  const json* value =
      annotations == nullptr ? nullptr : Member(*annotations, kIngressClassAnnotation);
  if (value == nullptr || !value->is_string()) return;
  auto class_name = value->get<std::string>();
  if (std::find(policy.class_names.begin(), policy.class_names.end(), class_name) ==
      policy.class_names.end()) {
    return;
  }
  json& spec = object["spec"];
  if (spec.is_null()) spec = json::object();
  if (!spec.is_object()) return;
  const json* current = Member(spec, "ingressClassName");
  if (current != nullptr && !current->is_null()) return;  // the user set one: leave both alone
  spec["ingressClassName"] = class_name;
  object["metadata"]["annotations"].erase(std::string(kIngressClassAnnotation));
}

/// Appends to the string-map annotation `key` the `defaults` entries whose keys the user has not
/// set.
void MergeStringMapDefaults(json& annotations, const std::string& key,
                            const policy::StringMap& defaults) {
  if (defaults.empty()) return;
  auto it = annotations.find(key);
  if (it == annotations.end()) {
    annotations[key] = AppendStringMapEntries("", defaults);
    return;
  }
  if (!it->is_string()) return;
  auto raw = it->get<std::string>();
  auto parsed = ParseStringMap(raw);
  if (!parsed) return;  // malformed: the validator reports it; never rewrite the user's text
  policy::StringMap missing;
  for (const auto& entry : defaults) {
    bool present = std::any_of(parsed->begin(), parsed->end(),
                               [&entry](const auto& kv) { return kv.first == entry.first; });
    bool queued = std::any_of(missing.begin(), missing.end(),
                              [&entry](const auto& kv) { return kv.first == entry.first; });
    if (!present && !queued) missing.push_back(entry);
  }
  if (!missing.empty()) *it = AppendStringMapEntries(raw, missing);
}

void DefaultSslRedirect(json& annotations) {
  const std::string redirect_key = std::string(kAlbAnnotationPrefix) + "ssl-redirect";
  const std::string ports_key = std::string(kAlbAnnotationPrefix) + "listen-ports";
  if (annotations.contains(redirect_key)) return;
  auto it = annotations.find(ports_key);
  if (it == annotations.end() || !it->is_string()) return;
  ListenPortsResult ports = ParseListenPorts(it->get<std::string>());
  if (!ports.error.empty()) return;
  for (const auto& port : ports.ports) {
    if (port.protocol == "HTTPS") {
      annotations[redirect_key] = std::to_string(port.port);
      return;
    }
  }
}

}  // namespace

const std::string* IngressView::Annotation(std::string_view key) const {
  auto it = annotations.find(key);
  return it == annotations.end() ? nullptr : &it->second;
}

namespace {

template <typename Map, typename Parse>
const typename Map::mapped_type& Memoized(Map& memo, std::string_view raw, Parse parse) {
  auto it = memo.find(raw);
  if (it == memo.end()) it = memo.emplace(std::string(raw), parse(raw)).first;
  return it->second;
}

}  // namespace

const ListenPortsResult& IngressView::ListenPorts(std::string_view raw) const {
  return Memoized(parse_memo.listen_ports, raw, ParseListenPorts);
}

const std::vector<std::string>& IngressView::StringList(std::string_view raw) const {
  return Memoized(parse_memo.string_lists, raw, ParseStringList);
}

const std::optional<policy::StringMap>& IngressView::StringMap(std::string_view raw) const {
  return Memoized(parse_memo.string_maps, raw, ParseStringMap);
}

const std::string* IngressView::Alb(std::string_view suffix) const {
  // Called for every annotation every check reads: the key is built on the stack.
  char key[128];
  if (kAlbAnnotationPrefix.size() + suffix.size() > sizeof(key)) {
    return Annotation(std::string(kAlbAnnotationPrefix) + std::string(suffix));
  }
  std::memcpy(key, kAlbAnnotationPrefix.data(), kAlbAnnotationPrefix.size());
  std::memcpy(key + kAlbAnnotationPrefix.size(), suffix.data(), suffix.size());
  return Annotation(std::string_view(key, kAlbAnnotationPrefix.size() + suffix.size()));
}

IngressView ReadIngress(const json& object, std::string_view request_ns,
                        const json* spec_override) {
  IngressView view;
  if (!object.is_object()) {
    view.structure_problems.push_back("object: expected an object, got " + TypeName(object));
    return view;
  }
  const json* metadata = Member(object, "metadata");
  if (ExpectKind(metadata, &json::is_object, "an object", "metadata", view.structure_problems)) {
    view.name = StringMember(*metadata, "name");  // empty with generateName, as in the LBC
    view.ns = StringMember(*metadata, "namespace");
    const json* annotations = Member(*metadata, "annotations");
    if (ExpectKind(annotations, &json::is_object, "an object of strings", "metadata.annotations",
                   view.annotation_problems)) {
      for (const auto& [key, value] : annotations->items()) {
        if (value.is_string()) {
          view.annotations.emplace(key, value.get<std::string>());
        } else {
          view.annotation_problems.push_back("metadata.annotations[" + QuoteValue(key) +
                                             "]: expected a string, got " + TypeName(value));
        }
      }
    }
  }
  if (!request_ns.empty()) view.ns = std::string(request_ns);
  const json* spec = Member(object, "spec");
  if (ExpectKind(spec, &json::is_object, "an object", "spec", view.structure_problems)) {
    ReadSpec(spec_override != nullptr ? *spec_override : *spec, view);
  }
  return view;
}

json DefaultsSkeleton(const json& object) {
  json skeleton = json::object();
  for (const auto& [key, value] : object.items()) {
    if (key == "metadata" && value.is_object()) {
      json& metadata = skeleton[key] = json::object();
      for (const auto& [meta_key, meta_value] : value.items()) {
        if (meta_key != "managedFields") metadata[meta_key] = meta_value;
      }
    } else if (key == "spec" && value.is_object()) {
      json& reduced = skeleton[key] = json::object();
      if (const json* class_name = Member(value, "ingressClassName")) {
        reduced["ingressClassName"] = *class_name;
      }
    } else {
      skeleton[key] = value;
    }
  }
  return skeleton;
}

IngressView DefaultsView(const policy::IngressPolicy& policy, const json& object,
                         std::string_view request_ns) {
  if (!IngressDefaultsMayChange(policy, object)) return ReadIngress(object, request_ns);
  if (!object.is_object()) {
    json copy = object;
    ApplyIngressDefaults(policy, copy);
    return ReadIngress(copy, request_ns);
  }
  json skeleton = DefaultsSkeleton(object);
  const json* spec = Member(object, "spec");
  if (spec != nullptr && !spec->is_object()) spec = nullptr;
  ApplyIngressDefaults(policy, skeleton);
  // The skeleton's spec is still an object (defaults only add ingressClassName to it).
  return ReadIngress(skeleton, request_ns, spec);
}

namespace {

constexpr std::string_view kLbcController = "ingress.k8s.aws/alb";

bool IsLbcClass(const cluster::Object* ingress_class) {
  if (ingress_class == nullptr) return false;
  const json* controller = Member(ingress_class->spec(), "controller");
  return controller != nullptr && controller->is_string() &&
         controller->get_ref<const std::string&>() == kLbcController;
}

bool HasLbcDefaultClass(const cluster::ClusterState& cluster) {
  for (const cluster::Object* c : cluster.DefaultIngressClasses()) {
    if (IsLbcClass(c)) return true;
  }
  return false;
}

}  // namespace

bool IsIngressInScope(const policy::IngressPolicy& policy, const json& object,
                      const cluster::ClusterState* cluster) {
  auto is_ours = [&policy](const std::string& name) {
    return std::find(policy.class_names.begin(), policy.class_names.end(), name) !=
           policy.class_names.end();
  };
  if (const json* annotations = ReadAnnotations(object)) {
    if (const json* value = Member(*annotations, kIngressClassAnnotation)) {
      return value->is_string() && is_ours(value->get<std::string>());
    }
  }
  if (const json* spec = Member(object, "spec")) {
    if (const json* class_name = Member(*spec, "ingressClassName");
        class_name != nullptr && !class_name->is_null()) {
      if (!class_name->is_string()) return false;
      const std::string& name = class_name->get_ref<const std::string&>();
      return is_ours(name) || (cluster != nullptr && IsLbcClass(cluster->FindIngressClass(name)));
    }
  }
  // No class: the LBC gives the Ingress the cluster's default IngressClass, if there is one, and
  // manages it only when that class is its own (class_loader.go Load, ingress_validator.go
  // checkIngressClass); manageIngressesWithoutClass decides only when there is none.
  if (cluster != nullptr && !cluster->DefaultIngressClasses().empty()) {
    return HasLbcDefaultClass(*cluster);
  }
  return policy.manage_ingresses_without_class;
}

const cluster::ClusterState* AvailableCluster(const Context& ctx) {
  return ctx.cluster != nullptr && ctx.cluster->available() ? ctx.cluster : nullptr;
}

namespace {

// Whether the policy fills in any annotation value (as opposed to only migrating the class).
bool HasAnnotationDefaults(const policy::IngressDefaults& defaults) {
  return !defaults.annotations.empty() || !defaults.tags.empty() ||
         !defaults.load_balancer_attributes.empty() || defaults.ssl_redirect;
}

}  // namespace

bool IngressDefaultsMayChange(const policy::IngressPolicy& policy, const json& object) {
  if (!CanWriteAnnotations(object)) return false;  // ApplyIngressDefaults returns at once
  const policy::IngressDefaults& defaults = policy.defaults;
  if (HasAnnotationDefaults(defaults)) return true;
  if (!defaults.migrate_class_annotation) return false;
  const json* annotations = ReadAnnotations(object);
  return annotations != nullptr && Member(*annotations, kIngressClassAnnotation) != nullptr;
}

void ApplyIngressDefaults(const policy::IngressPolicy& policy, json& object) {
  if (!CanWriteAnnotations(object)) return;
  const policy::IngressDefaults& defaults = policy.defaults;
  if (defaults.migrate_class_annotation) MigrateClassAnnotation(policy, object);
  if (!HasAnnotationDefaults(defaults)) return;
  // Only create metadata.annotations when a default is actually added.
  json candidate = ReadAnnotations(object) != nullptr ? *ReadAnnotations(object) : json::object();
  for (const auto& [key, value] : defaults.annotations) {
    if (!candidate.contains(key)) candidate[key] = value;
  }
  MergeStringMapDefaults(candidate, std::string(kAlbAnnotationPrefix) + "tags", defaults.tags);
  MergeStringMapDefaults(candidate, std::string(kAlbAnnotationPrefix) + "load-balancer-attributes",
                         defaults.load_balancer_attributes);
  if (defaults.ssl_redirect) DefaultSslRedirect(candidate);
  const json* current = ReadAnnotations(object);
  if (current != nullptr ? candidate != *current : !candidate.empty()) {
    *MutableAnnotations(object) = std::move(candidate);
  }
}

std::optional<EffectiveListeners> GetEffectiveListeners(const IngressView& view) {
  EffectiveListeners out;
  if (const std::string* raw = view.Alb("listen-ports")) {
    const ListenPortsResult& parsed = view.ListenPorts(*raw);
    if (!parsed.error.empty()) return std::nullopt;
    out.ports = parsed.ports;
    out.explicit_ports = true;
    return out;
  }
  const std::string* certs = view.Alb("certificate-arn");
  bool has_cert = certs != nullptr && !view.StringList(*certs).empty();
  out.ports.push_back(has_cert ? ListenPort{"HTTPS", 443} : ListenPort{"HTTP", 80});
  return out;
}

std::string EffectiveScheme(const IngressView& view) {
  const std::string* scheme = view.Alb("scheme");
  return scheme != nullptr ? *scheme : std::string("internal");
}

std::string AnnotationMessage(std::string_view suffix, std::string_view value,
                              std::string_view problem, std::size_t max_value_bytes) {
  return std::string(kAlbAnnotationPrefix) + std::string(suffix) + " " +
         QuoteValue(value, max_value_bytes) + ": " + std::string(problem);
}

void CheckIngressStructure(const IngressView& view, Verdict& verdict) {
  for (const auto& problem : view.structure_problems) verdict.Deny("structure", problem);
  for (const auto& problem : view.annotation_problems) verdict.Deny("annotations", problem);
}

}  // namespace albwebhook::rules
