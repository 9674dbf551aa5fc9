#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace albwebhook::cluster {

/// The resources the cluster view watches (PRODUCT.md "Cluster view (v2)").
enum class Resource {
  kIngressClasses = 0,
  kIngresses,
  kIngressClassParams,
  kTargetGroupBindings,
  kServices,
  kNamespaces,
};
inline constexpr std::size_t kResourceCount = 6;
inline constexpr std::array<Resource, kResourceCount> kAllResources = {
    Resource::kIngressClasses,      Resource::kIngresses, Resource::kIngressClassParams,
    Resource::kTargetGroupBindings, Resource::kServices,  Resource::kNamespaces};

/// The kubectl name, used as the `resource` metric label: "ingresses.networking.k8s.io", ...
std::string_view ResourceName(Resource resource);
/// The object kind: "Ingress", "Service", ...
std::string_view ResourceKind(Resource resource);
/// Collection path on the API server: "/apis/networking.k8s.io/v1/ingresses", "/api/v1/services".
std::string_view ResourcePath(Resource resource);
bool ResourceNamespaced(Resource resource);
/// The resource an object's apiVersion group and kind belong to (the version is not checked).
std::optional<Resource> ResourceOfKind(std::string_view api_version, std::string_view kind);

/// One cached object, pruned to what the checks read (the cache holds every object of the
/// cluster: 10 000 Ingresses must fit in tens of MiB). `doc` keeps the original shape
/// (apiVersion, kind, metadata{name, namespace, uid, labels, annotations, deletionTimestamp},
/// spec) so that code written for admission objects reads it unchanged; what it keeps:
///  - annotations: only alb.ingress.kubernetes.io/*, kubernetes.io/ingress.class and
///    ingressclass.kubernetes.io/is-default-class (none on Namespaces); labels: Namespaces only;
///    a map with no kept entry is absent; finalizers: an Ingress being deleted keeps those of
///    the LBC's IngressGroups (kGroupFinalizerPrefix);
///  - spec: IngressClass and IngressClassParams whole; Ingress: ingressClassName and
///    defaultBackend (not rules or tls); Service: type and ports[] {name, port, targetPort,
///    nodePort}; TargetGroupBinding: targetGroupARN, targetGroupName, multiClusterTargetGroup,
///    targetType, ipAddressType, serviceRef, vpcID; Namespace: none.
/// Dropped: managedFields, status, resourceVersion, everything else. A check that needs more
/// must add it to the pruning (server/cluster/object.cpp) and to this list.
/// The finalizer the LBC puts on each member of an explicit IngressGroup: this prefix + the
/// group's name (shared_constants.ExplicitGroupFinalizerPrefix).
inline constexpr std::string_view kGroupFinalizerPrefix = "group.ingress.k8s.aws/";

struct Object {
  std::string namespace_;  // "" for cluster-scoped resources
  std::string name;
  std::string uid;
  nlohmann::json doc;
  /// Ingress: its spec.rules[].http.paths[] count, kept when the rules are pruned (each path is
  /// a listener rule per listen port of its load balancer).
  std::size_t rule_paths = 0;

  const nlohmann::json& metadata() const;  // always an object
  const nlohmann::json& spec() const;      // an object ({} when absent)
  /// Label / annotation value, nullptr when absent.
  const std::string* Label(std::string_view key) const;
  const std::string* Annotation(std::string_view key) const;
  bool deleting() const;  // metadata.deletionTimestamp is set
};
using ObjectPtr = std::shared_ptr<const Object>;
/// An Ingress's spec.rules[].http.paths[] count (rules without http make no listener rule).
std::size_t IngressRulePaths(const nlohmann::json& ingress);
/// Objects of one namespace (or of a cluster-scoped resource) by name.
using ObjectMap = std::map<std::string, ObjectPtr, std::less<>>;

}  // namespace albwebhook::cluster
