#pragma once

// AdmissionReview requests for tests, written once. The defaults are a CREATE of an Ingress
// "web" in namespace team-a by alice, in admission.k8s.io/v1, with no object:
//   ReviewBuilder().Uid("u").Object(AlbIngress("internal")).Body()
// Fields are set as given; a test that needs a field of the wrong type edits Json().
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace albwebhook::testing {

class ReviewBuilder {
 public:
  using json = nlohmann::json;

  ReviewBuilder& ApiVersion(std::string v) { return Set(api_version_, std::move(v)); }
  ReviewBuilder& Uid(std::string uid) { return SetField("uid", std::move(uid)); }
  ReviewBuilder& Kind(const std::string& group, const std::string& version,
                      const std::string& kind) {
    return SetField("kind", {{"group", group}, {"version", version}, {"kind", kind}});
  }
  ReviewBuilder& Kind(json gvk) { return SetField("kind", std::move(gvk)); }
  ReviewBuilder& Resource(const std::string& group, const std::string& version,
                          const std::string& resource) {
    return SetField("resource", {{"group", group}, {"version", version}, {"resource", resource}});
  }
  ReviewBuilder& Name(std::string name) { return SetField("name", std::move(name)); }
  ReviewBuilder& Namespace(std::string ns) { return SetField("namespace", std::move(ns)); }
  ReviewBuilder& Operation(std::string op) { return SetField("operation", std::move(op)); }
  ReviewBuilder& User(const std::string& username, const std::vector<std::string>& groups = {}) {
    json info = {{"username", username}};
    if (!groups.empty()) info["groups"] = groups;
    return SetField("userInfo", std::move(info));
  }
  ReviewBuilder& Object(json object) { return SetField("object", std::move(object)); }
  ReviewBuilder& OldObject(json object) { return SetField("oldObject", std::move(object)); }
  ReviewBuilder& Options(json options) { return SetField("options", std::move(options)); }
  ReviewBuilder& DryRun(bool dry_run) { return SetField("dryRun", dry_run); }

  /// request only.
  const json& Request() const { return request_; }
  /// The whole review.
  json Json() const {
    return {{"apiVersion", api_version_}, {"kind", "AdmissionReview"}, {"request", request_}};
  }
  /// The whole review, serialized (an HTTP body).
  std::string Body() const { return Json().dump(); }

 private:
  template <typename T>
  ReviewBuilder& Set(T& field, T value) {
    field = std::move(value);
    return *this;
  }
  ReviewBuilder& SetField(const char* name, json value) {
    request_[name] = std::move(value);
    return *this;
  }

  std::string api_version_ = "admission.k8s.io/v1";
  json request_ = {
      {"uid", "uid"},
      {"kind", {{"group", "networking.k8s.io"}, {"version", "v1"}, {"kind", "Ingress"}}},
      {"resource", {{"group", "networking.k8s.io"}, {"version", "v1"}, {"resource", "ingresses"}}},
      {"name", "web"},
      {"namespace", "team-a"},
      {"operation", "CREATE"},
      {"userInfo", {{"username", "alice"}}},
      {"object", nullptr},
      {"oldObject", nullptr},
      {"dryRun", false}};
};

/// An Ingress "web" of class `ingress_class` with the scheme annotation (no rules).
inline nlohmann::json AlbIngress(const std::string& scheme = "internal",
                                 const std::string& ns = "team-a",
                                 const std::string& ingress_class = "alb") {
  using nlohmann::json;
  return {{"apiVersion", "networking.k8s.io/v1"},
          {"kind", "Ingress"},
          {"metadata",
           {{"name", "web"},
            {"namespace", ns},
            {"annotations", {{"alb.ingress.kubernetes.io/scheme", scheme}}}}},
          {"spec", {{"ingressClassName", ingress_class}, {"rules", json::array()}}}};
}

/// An IngressClass `name` of `controller`, marked the cluster's default when `is_default`, with
/// spec.parameters naming the IngressClassParams `params` when not empty.
inline nlohmann::json IngressClassObject(const std::string& name, const std::string& controller,
                                         bool is_default = false, const std::string& params = "") {
  nlohmann::json c = {{"apiVersion", "networking.k8s.io/v1"},
                      {"kind", "IngressClass"},
                      {"metadata", {{"name", name}}},
                      {"spec", {{"controller", controller}}}};
  if (is_default) {
    c["metadata"]["annotations"] = {{"ingressclass.kubernetes.io/is-default-class", "true"}};
  }
  if (!params.empty()) {
    c["spec"]["parameters"] = {
        {"apiGroup", "elbv2.k8s.aws"}, {"kind", "IngressClassParams"}, {"name", params}};
  }
  return c;
}

/// The review most transport tests send: a CREATE of AlbIngress(scheme, ns).
inline nlohmann::json IngressReviewJson(const std::string& uid,
                                        const std::string& scheme = "internal",
                                        const std::string& ns = "team-a") {
  return ReviewBuilder().Uid(uid).Namespace(ns).Object(AlbIngress(scheme, ns)).Json();
}

}  // namespace albwebhook::testing
