// The watched resources and the pruning of their objects.
#include "cluster/object.hpp"

#include <array>

namespace albwebhook::cluster {
namespace {

using nlohmann::json;

struct ResourceInfo {
  std::string_view name;  // kubectl name
  std::string_view kind;
  std::string_view api_version;  // group/version watched
  std::string_view path;
  bool namespaced;
};

constexpr std::array<ResourceInfo, kResourceCount> kInfo = {{
    {"ingressclasses.networking.k8s.io", "IngressClass", "networking.k8s.io/v1",
     "/apis/networking.k8s.io/v1/ingressclasses", false},
    {"ingresses.networking.k8s.io", "Ingress", "networking.k8s.io/v1",
     "/apis/networking.k8s.io/v1/ingresses", true},
    {"ingressclassparams.elbv2.k8s.aws", "IngressClassParams", "elbv2.k8s.aws/v1beta1",
     "/apis/elbv2.k8s.aws/v1beta1/ingressclassparams", false},
    {"targetgroupbindings.elbv2.k8s.aws", "TargetGroupBinding", "elbv2.k8s.aws/v1beta1",
     "/apis/elbv2.k8s.aws/v1beta1/targetgroupbindings", true},
    {"services", "Service", "v1", "/api/v1/services", true},
    {"namespaces", "Namespace", "v1", "/api/v1/namespaces", false},
}};

const ResourceInfo& Info(Resource r) { return kInfo[static_cast<std::size_t>(r)]; }

std::string_view GroupOf(std::string_view api_version) {
  auto slash = api_version.find('/');
  return slash == std::string_view::npos ? std::string_view{} : api_version.substr(0, slash);
}

const json& EmptyObject() {
  static const json kEmpty = json::object();
  return kEmpty;
}

// The annotations the checks read: the LBC's (alb.ingress.kubernetes.io/*, on Ingresses and on
// Services), the legacy class annotation, and the default-class marker of IngressClasses.
bool KeptAnnotation(std::string_view key) {
  return key.starts_with(kAlbAnnotationPrefix) || key == kIngressClassAnnotation ||
         key == kDefaultClassAnnotation;
}

// A string map (labels, annotations): absent or null is fine, anything but strings is not (every
// entry is checked, kept or not). Only the entries `keep` accepts are kept (moved from `meta`);
// no entry kept: no map at all.
template <typename Keep>
Result<bool> MoveStringMap(json& meta, const char* key, json& out, Keep keep) {
  auto it = meta.find(key);
  if (it == meta.end() || it->is_null()) return false;
  if (!it->is_object()) return Error{std::string("metadata.") + key + " is not an object"};
  for (auto& [k, v] : it->items()) {
    if (!v.is_string()) return Error{std::string("metadata.") + key + "." + k + " is not a string"};
  }
  json kept = json::object();
  for (auto& [k, v] : it->items()) {
    if (keep(std::string_view(k))) kept.emplace(k, std::move(v));
  }
  if (kept.empty()) return false;
  out[key] = std::move(kept);
  return true;
}

Result<bool> CheckTypeFields(Resource r, const json& raw) {
  auto kind = raw.find("kind");
  if (kind != raw.end() && !kind->is_null() &&
      (!kind->is_string() || kind->get_ref<const std::string&>() != Info(r).kind)) {
    return Error{"object is not a " + std::string(Info(r).kind)};
  }
  auto api = raw.find("apiVersion");
  if (api != raw.end() && !api->is_null() &&
      (!api->is_string() ||
       GroupOf(api->get_ref<const std::string&>()) != GroupOf(Info(r).api_version))) {
    return Error{"object apiVersion is not in the group of " + std::string(Info(r).api_version)};
  }
  return true;
}

// metadata: name, namespace, uid, deletionTimestamp (and then an Ingress's finalizers of the
// LBC's IngressGroups); a Namespace's labels (namespaceSelector);
// the annotations KeptAnnotation accepts (not on Namespaces).
Result<json> PruneMetadata(Resource r, json& raw, Object& obj) {
  auto meta = raw.find("metadata");
  if (meta == raw.end() || !meta->is_object()) return Error{"metadata is not an object"};
  auto name = meta->find("name");
  if (name == meta->end() || !name->is_string() || name->get_ref<const std::string&>().empty()) {
    return Error{"metadata.name is not a non-empty string"};
  }
  obj.name = name->get<std::string>();
  json out = json::object();
  out["name"] = obj.name;
  auto ns = meta->find("namespace");
  if (ns != meta->end() && !ns->is_null() && !ns->is_string()) {
    return Error{"metadata.namespace is not a string"};
  }
  if (Info(r).namespaced) {
    if (ns == meta->end() || !ns->is_string() || ns->get_ref<const std::string&>().empty()) {
      return Error{"metadata.namespace is missing"};
    }
    obj.namespace_ = ns->get<std::string>();
    out["namespace"] = obj.namespace_;
  }
  auto uid = meta->find("uid");
  if (uid != meta->end() && !uid->is_null()) {
    if (!uid->is_string()) return Error{"metadata.uid is not a string"};
    obj.uid = uid->get<std::string>();
    out["uid"] = obj.uid;
  }
  const bool is_namespace = r == Resource::kNamespaces;
  auto labels = MoveStringMap(*meta, "labels", out, [&](std::string_view) { return is_namespace; });
  if (!labels) return labels.error();
  auto annotations = MoveStringMap(*meta, "annotations", out, [&](std::string_view key) {
    return !is_namespace && KeptAnnotation(key);
  });
  if (!annotations) return annotations.error();
  auto deletion = meta->find("deletionTimestamp");
  if (deletion != meta->end() && !deletion->is_null()) {
    if (!deletion->is_string()) return Error{"metadata.deletionTimestamp is not a string"};
    out["deletionTimestamp"] = *deletion;
    // An Ingress being deleted that still holds an IngressGroup's finalizer is an inactive member
    // of that group (group_loader.go): its finalizers of the LBC's groups only.
    auto finalizers = meta->find("finalizers");
    if (r == Resource::kIngresses && finalizers != meta->end() && finalizers->is_array()) {
      json kept = json::array();
      for (json& finalizer : *finalizers) {
        if (finalizer.is_string() &&
            finalizer.get_ref<const std::string&>().starts_with(kGroupFinalizerPrefix)) {
          kept.push_back(std::move(finalizer));
        }
      }
      if (!kept.empty()) out["finalizers"] = std::move(kept);
    }
  }
  return out;
}

// Moves the members of `from` named in `keys` (when present and not null) into `to`.
void MoveMembers(json& from, std::initializer_list<const char*> keys, json& to) {
  for (const char* key : keys) {
    auto it = from.find(key);
    if (it != from.end() && !it->is_null()) to[key] = std::move(*it);
  }
}

// A Service port: what the backend and healthcheck-port lookups match on.
json PrunePort(json& port) {
  json out = json::object();
  MoveMembers(port, {"name", "port", "targetPort", "nodePort"}, out);
  return out;
}

// spec: IngressClass and IngressClassParams whole (few, small, read field by field); an
// Ingress's ingressClassName and defaultBackend (rules and tls are the object's own: no check
// reads another Ingress's); a Service's type and ports (name, port, targetPort, nodePort); a
// TargetGroupBinding's target group, mode and service (not networking or nodeSelector); a
// Namespace's none.
Result<json> PruneSpec(Resource r, json& raw) {
  if (r == Resource::kNamespaces) return json::object();
  auto spec = raw.find("spec");
  if (spec == raw.end() || spec->is_null()) return json::object();
  if (!spec->is_object()) return Error{"spec is not an object"};
  json out = json::object();
  switch (r) {
    case Resource::kIngresses:
      MoveMembers(*spec, {"ingressClassName", "defaultBackend"}, out);
      return out;
    case Resource::kTargetGroupBindings:
      MoveMembers(*spec,
                  {"targetGroupARN", "targetGroupName", "multiClusterTargetGroup", "targetType",
                   "ipAddressType", "serviceRef", "vpcID"},
                  out);
      return out;
    case Resource::kServices:
      break;
    default:
      return std::move(*spec);
  }
  auto type = spec->find("type");
  if (type != spec->end() && !type->is_null()) {
    if (!type->is_string()) return Error{"spec.type is not a string"};
    out["type"] = std::move(*type);
  }
  auto ports = spec->find("ports");
  if (ports != spec->end() && !ports->is_null()) {
    if (!ports->is_array()) return Error{"spec.ports is not an array"};
    json kept = json::array();
    kept.get_ref<json::array_t&>().reserve(ports->size());
    for (auto& p : *ports) {
      if (!p.is_object()) return Error{"spec.ports has an element that is not an object"};
      kept.push_back(PrunePort(p));
    }
    out["ports"] = std::move(kept);
  }
  return out;
}

}  // namespace

std::string_view ResourceName(Resource r) { return Info(r).name; }
std::string_view ResourceKind(Resource r) { return Info(r).kind; }
std::string_view ResourcePath(Resource r) { return Info(r).path; }
std::string_view ResourceApiVersion(Resource r) { return Info(r).api_version; }
bool ResourceNamespaced(Resource r) { return Info(r).namespaced; }

std::optional<Resource> ResourceOfKind(std::string_view api_version, std::string_view kind) {
  for (Resource r : kAllResources) {
    if (Info(r).kind == kind && GroupOf(Info(r).api_version) == GroupOf(api_version)) return r;
  }
  return std::nullopt;
}

std::string ResourceVersionOf(const json& raw) {
  if (!raw.is_object()) return "";
  auto meta = raw.find("metadata");
  if (meta == raw.end() || !meta->is_object()) return "";
  auto rv = meta->find("resourceVersion");
  return rv != meta->end() && rv->is_string() ? rv->get<std::string>() : "";
}

std::size_t IngressRulePaths(const json& ingress) {
  auto spec = ingress.is_object() ? ingress.find("spec") : ingress.end();
  if (spec == ingress.end() || !spec->is_object()) return 0;
  auto rules = spec->find("rules");
  if (rules == spec->end() || !rules->is_array()) return 0;
  std::size_t count = 0;
  for (const json& rule : *rules) {
    auto http = rule.is_object() ? rule.find("http") : rule.end();
    if (http == rule.end() || !http->is_object()) continue;
    auto paths = http->find("paths");
    if (paths != http->end() && paths->is_array()) count += paths->size();
  }
  return count;
}

Result<ObjectPtr> MakeObject(Resource r, json&& raw) {
  if (!raw.is_object()) return Error{"object is not a JSON object"};
  auto type_ok = CheckTypeFields(r, raw);
  if (!type_ok) return type_ok.error();
  auto obj = std::make_shared<Object>();
  auto meta = PruneMetadata(r, raw, *obj);
  if (!meta) return meta.error();
  if (r == Resource::kIngresses) obj->rule_paths = IngressRulePaths(raw);
  auto spec = PruneSpec(r, raw);
  if (!spec) return spec.error();
  obj->doc = json::object();
  obj->doc["apiVersion"] = ResourceApiVersion(r);
  obj->doc["kind"] = ResourceKind(r);
  obj->doc["metadata"] = std::move(meta.value());
  obj->doc["spec"] = std::move(spec.value());
  return ObjectPtr(std::move(obj));
}

const json& Object::metadata() const {
  auto it = doc.find("metadata");
  return it != doc.end() && it->is_object() ? *it : EmptyObject();
}

const json& Object::spec() const {
  auto it = doc.find("spec");
  return it != doc.end() && it->is_object() ? *it : EmptyObject();
}

namespace {
const std::string* MapValue(const json& meta, const char* map, std::string_view key) {
  auto m = meta.find(map);
  if (m == meta.end() || !m->is_object()) return nullptr;
  auto it = m->find(key);
  return it != m->end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}
}  // namespace

const std::string* Object::Label(std::string_view key) const {
  return MapValue(metadata(), "labels", key);
}
const std::string* Object::Annotation(std::string_view key) const {
  return MapValue(metadata(), "annotations", key);
}
bool Object::deleting() const { return metadata().contains("deletionTimestamp"); }

}  // namespace albwebhook::cluster
