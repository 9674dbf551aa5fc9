// IngressClass -> IngressClassParams resolution as the LBC's reconciler does it, with its errors
// word for word ("invalid ingress class: ..."), and metav1.LabelSelector matching.
#include "rules/ingress_class_config.hpp"

#include <algorithm>
#include <memory>
#include <string>

namespace albwebhook::rules {
namespace {

using nlohmann::json;

constexpr std::string_view kLbcController = "ingress.k8s.aws/alb";
constexpr std::string_view kClassAnnotation = "kubernetes.io/ingress.class";

const json* Member(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string StringAt(const json& object, std::string_view key) {
  const json* value = Member(object, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

/// The class name the LBC loads: spec.ingressClassName (`name`), else the one default class.
/// nullopt: no class (the Ingress is judged without one); "" with `unknown`: cannot tell.
std::optional<std::string> ClassNameOf(const cluster::ClusterState& cluster, const json* name,
                                       bool& unknown) {
  if (name != nullptr && !name->is_null()) {
    if (name->is_string()) return name->get<std::string>();
    unknown = true;
    return std::nullopt;
  }
  const auto& defaults = cluster.DefaultIngressClasses();
  if (defaults.size() > 1) unknown = true;  // "multiple default IngressClasses found"
  if (defaults.size() != 1) return std::nullopt;
  return defaults.front()->name;
}

bool HasClassAnnotation(const json& doc) {
  const json* metadata = Member(doc, "metadata");
  const json* annotations = metadata != nullptr ? Member(*metadata, "annotations") : nullptr;
  return annotations != nullptr && Member(*annotations, kClassAnnotation) != nullptr;
}

ClassConfig Invalid(std::string message) {
  return {ClassConfig::State::kInvalid, nullptr, "invalid ingress class: " + std::move(message)};
}

const ClassConfig kUnknown{ClassConfig::State::kUnknown, nullptr, {}};

/// The IngressClassParams named by an LBC class's spec.parameters.
ClassConfig LoadParams(const cluster::ClusterState& cluster, const cluster::Object& klass,
                       const json& parameters, std::string_view ns) {
  if (StringAt(parameters, "apiGroup") != "elbv2.k8s.aws" ||
      StringAt(parameters, "kind") != "IngressClassParams") {
    return Invalid("IngressClass " + klass.name + " references unknown parameters");
  }
  const std::string name = StringAt(parameters, "name");
  const cluster::Object* params = cluster.FindIngressClassParams(name);
  if (params == nullptr) {
    const auto& status = cluster.Status(cluster::Resource::kIngressClassParams);
    // Without the CRD (not served) the LBC's Get fails otherwise: not ours to word.
    if (!status.synced || !status.served) return kUnknown;
    return Invalid("ingressclassparams.elbv2.k8s.aws \"" + name + "\" not found");
  }
  const json* selector = Member(params->spec(), "namespaceSelector");
  if (selector == nullptr || selector->is_null()) {
    return {ClassConfig::State::kParams, params, {}};
  }
  const cluster::Object* ns_object = cluster.FindNamespace(ns);
  if (ns_object == nullptr) return kUnknown;  // not held: unknown, never absent
  const json* labels = Member(ns_object->metadata(), "labels");
  auto matches = LabelSelectorMatches(*selector, labels != nullptr ? *labels : json());
  if (!matches) return kUnknown;
  if (!*matches) return Invalid("namespaceSelector of IngressClassParams " + name + " mismatch");
  return {ClassConfig::State::kParams, params, {}};
}

}  // namespace

ClassConfig LoadClassConfig(const cluster::ClusterState& cluster, const json& doc,
                            std::string_view ns) {
  const json* spec = Member(doc, "spec");
  return LoadClassConfig(cluster, HasClassAnnotation(doc),
                         spec != nullptr ? Member(*spec, "ingressClassName") : nullptr, ns);
}

ClassConfig LoadClassConfig(const cluster::ClusterState& cluster, bool class_annotation,
                            const json* ingress_class_name, std::string_view ns) {
  if (class_annotation) return {};  // the annotation bypasses IngressClass loading
  bool unknown = false;
  const std::optional<std::string> class_name = ClassNameOf(cluster, ingress_class_name, unknown);
  if (unknown && (ingress_class_name == nullptr || ingress_class_name->is_null())) {
    // GetDefaultIngressClass: the LBC cannot tell which default an Ingress without a class gets
    // (its webhook's words, without the invalid-class prefix). The API server's DefaultIngressClass
    // admission gives a new Ingress its class first, so this is mostly an UPDATE of an old one.
    return {ClassConfig::State::kInvalid, nullptr, "multiple default IngressClasses found"};
  }
  if (unknown) return kUnknown;
  if (!class_name) return {};
  const cluster::Object* klass = cluster.FindIngressClass(*class_name);
  if (klass == nullptr) return kUnknown;  // PRODUCT.md: a class the view lacks is unknown
  const json& class_spec = klass->spec();
  const json* parameters = Member(class_spec, "parameters");
  const json* controller = Member(class_spec, "controller");
  if (controller == nullptr || !controller->is_string() ||
      controller->get_ref<const std::string&>() != kLbcController || parameters == nullptr ||
      parameters->is_null()) {
    return {};
  }
  // Per snapshot, the configuration of each (class, namespace) pair is loaded once: it depends
  // on nothing else (the class, its params, the namespace's labels). Kept only for a namespace
  // the snapshot holds, so the entries are bounded by its classes times its namespaces.
  if (cluster.FindNamespace(ns) == nullptr) return LoadParams(cluster, *klass, *parameters, ns);
  constexpr std::string_view kPrefix = "ingress-class-config/";
  const std::string length = std::to_string(klass->name.size());
  std::string key;  // one allocation: this runs on every request with the view
  key.reserve(kPrefix.size() + length.size() + klass->name.size() + ns.size() + 2);
  key.append(kPrefix).append(length).append(1, ':').append(klass->name).append(1, '/').append(ns);
  return *std::static_pointer_cast<const ClassConfig>(cluster.Derived(key, [&] {
    return std::make_shared<const ClassConfig>(LoadParams(cluster, *klass, *parameters, ns));
  }));
}

namespace {

/// One matchExpressions requirement; nullopt when malformed.
std::optional<bool> RequirementMatches(const json& requirement, const json& labels) {
  const std::string key = StringAt(requirement, "key");
  const std::string op = StringAt(requirement, "operator");
  const json* values = Member(requirement, "values");
  std::vector<std::string> wanted;
  if (values != nullptr && !values->is_null()) {
    if (!values->is_array()) return std::nullopt;
    for (const json& v : *values) {
      if (!v.is_string()) return std::nullopt;
      wanted.push_back(v.get<std::string>());
    }
  }
  const json* label = Member(labels, key);
  const bool has = label != nullptr && label->is_string();
  if (key.empty()) return std::nullopt;
  if (op == "In" || op == "NotIn") {
    if (wanted.empty()) return std::nullopt;  // "values: Required value"
    bool in =
        has && std::find(wanted.begin(), wanted.end(), label->get<std::string>()) != wanted.end();
    return op == "In" ? in : !in;
  }
  if (op == "Exists" || op == "DoesNotExist") {
    if (!wanted.empty()) return std::nullopt;  // "values: must be empty"
    return op == "Exists" ? has : !has;
  }
  return std::nullopt;
}

}  // namespace

std::optional<bool> LabelSelectorMatches(const json& selector, const json& labels) {
  if (!selector.is_object()) return std::nullopt;
  bool matches = true;
  if (const json* match_labels = Member(selector, "matchLabels");
      match_labels != nullptr && !match_labels->is_null()) {
    if (!match_labels->is_object()) return std::nullopt;
    for (const auto& [key, value] : match_labels->items()) {
      if (!value.is_string()) return std::nullopt;
      const json* label = Member(labels, key);
      if (label == nullptr || *label != value) matches = false;
    }
  }
  if (const json* expressions = Member(selector, "matchExpressions");
      expressions != nullptr && !expressions->is_null()) {
    if (!expressions->is_array()) return std::nullopt;
    for (const json& requirement : *expressions) {
      auto one = RequirementMatches(requirement, labels);
      if (!one) return std::nullopt;
      matches = matches && *one;
    }
  }
  return matches;
}

}  // namespace albwebhook::rules
