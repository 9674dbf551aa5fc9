// Validation and pruning of API objects into cluster::Object (what the cache keeps).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "albwebhook/cluster/object.hpp"
#include "albwebhook/util/result.hpp"

namespace albwebhook::cluster {

/// The annotation kubectl apply stores the whole object in; never kept (it doubles the size).
inline constexpr std::string_view kLastAppliedAnnotation =
    "kubectl.kubernetes.io/last-applied-configuration";
inline constexpr std::string_view kDefaultClassAnnotation =
    "ingressclass.kubernetes.io/is-default-class";
inline constexpr std::string_view kIngressClassAnnotation = "kubernetes.io/ingress.class";
inline constexpr std::string_view kAlbAnnotationPrefix = "alb.ingress.kubernetes.io/";

/// The "group/version" the view watches for `r` ("v1" for the core group).
std::string_view ResourceApiVersion(Resource r);

/// Checks that `raw` is an object of resource `r` with the field types the cache relies on
/// (kind and apiVersion group when present, metadata.name, metadata.namespace for namespaced
/// resources, string maps for labels and annotations, an object spec, a Service's ports array)
/// and returns it pruned. `raw` is consumed (its spec is moved). Never throws.
Result<ObjectPtr> MakeObject(Resource r, nlohmann::json&& raw);

/// metadata.resourceVersion of a raw object ("" when absent or not a string).
std::string ResourceVersionOf(const nlohmann::json& raw);

}  // namespace albwebhook::cluster
