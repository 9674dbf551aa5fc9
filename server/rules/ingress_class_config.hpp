// The IngressClass configuration of an Ingress as the LBC's reconciler loads it
// (pkg/ingress/class_loader.go with loadParams=true), read from the cluster view.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "albwebhook/cluster/cluster_state.hpp"

namespace albwebhook::rules {

struct ClassConfig {
  enum class State {
    kNoParams,  // no IngressClassParams apply (class annotation, no class, no parameters)
    kParams,    // `params` applies
    kInvalid,   // the LBC refuses the class: `error` holds its message
    kUnknown,   // the view cannot tell (class or namespace not held, selector unreadable...)
  };
  State state = State::kNoParams;
  const cluster::Object* params = nullptr;  // kParams
  std::string error;                        // kInvalid

  bool known() const { return state == State::kNoParams || state == State::kParams; }
};

/// The class configuration of the Ingress `doc` (metadata.annotations and spec.ingressClassName
/// are read) in namespace `ns`.
ClassConfig LoadClassConfig(const cluster::ClusterState& cluster, const nlohmann::json& doc,
                            std::string_view ns);
/// The same from what it reads of the doc: whether it has the kubernetes.io/ingress.class
/// annotation, and its spec.ingressClassName (nullptr when absent).
ClassConfig LoadClassConfig(const cluster::ClusterState& cluster, bool class_annotation,
                            const nlohmann::json* ingress_class_name, std::string_view ns);

/// metav1.LabelSelector `selector` against `labels` (an object of strings, or null): true or
/// false, nullopt when the selector is malformed (the LBC then fails with its parse error).
std::optional<bool> LabelSelectorMatches(const nlohmann::json& selector,
                                         const nlohmann::json& labels);

}  // namespace albwebhook::rules
