// Realistic API objects for the cluster view benchmarks (cluster_bench.cpp,
// cluster_serve_bench.cpp): an Ingress of ~6 KB as the API server lists it (managedFields, the
// last-applied annotation, status), a Service, a TargetGroupBinding.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace albwebhook::bench {

using nlohmann::json;

inline json ManagedFields() {
  json fields = json::array();
  for (int i = 0; i < 3; ++i) {
    fields.push_back({{"manager", "kubectl-client-side-apply"},
                      {"operation", "Update"},
                      {"apiVersion", "networking.k8s.io/v1"},
                      {"time", "2024-05-01T10:00:00Z"},
                      {"fieldsType", "FieldsV1"},
                      {"fieldsV1",
                       {{"f:metadata", {{"f:annotations", {{".", json::object()}}}}},
                        {"f:spec", {{"f:rules", json::object()}, {"f:tls", json::object()}}}}}});
  }
  return fields;
}

inline json IngressObject(const std::string& ns, int i, int rv) {
  std::string name = "app-" + std::to_string(i);
  json annotations = {
      {"alb.ingress.kubernetes.io/scheme", "internet-facing"},
      {"alb.ingress.kubernetes.io/target-type", "ip"},
      {"alb.ingress.kubernetes.io/group.name", "shared-" + std::to_string(i % 20)},
      {"alb.ingress.kubernetes.io/listen-ports", R"([{"HTTP":80},{"HTTPS":443}])"},
      {"alb.ingress.kubernetes.io/certificate-arn",
       "arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab"},
      {"alb.ingress.kubernetes.io/healthcheck-path", "/healthz"},
      {"alb.ingress.kubernetes.io/ssl-redirect", "443"},
      {"alb.ingress.kubernetes.io/tags", "team=payments,env=prod,cost-center=4711"},
      {"meta.helm.sh/release-name", name},
      {"meta.helm.sh/release-namespace", ns}};
  json paths = json::array();
  for (const char* p : {"/", "/api", "/static"}) {
    paths.push_back(
        {{"path", p},
         {"pathType", "Prefix"},
         {"backend", {{"service", {{"name", name + "-svc"}, {"port", {{"number", 8080}}}}}}}});
  }
  json rules = json::array();
  for (int r = 0; r < 2; ++r) {
    rules.push_back({{"host", name + "-" + std::to_string(r) + ".prod.example.com"},
                     {"http", {{"paths", paths}}}});
  }
  json obj = {
      {"apiVersion", "networking.k8s.io/v1"},
      {"kind", "Ingress"},
      {"metadata",
       {{"name", name},
        {"namespace", ns},
        {"uid", "5f0c1a2b-1111-2222-3333-" + std::to_string(100000000 + i)},
        {"resourceVersion", std::to_string(rv)},
        {"generation", 4},
        {"creationTimestamp", "2024-05-01T10:00:00Z"},
        {"labels", {{"app.kubernetes.io/name", name}, {"app.kubernetes.io/managed-by", "Helm"}}},
        {"annotations", annotations},
        {"managedFields", ManagedFields()}}},
      {"spec",
       {{"ingressClassName", "alb"},
        {"rules", rules},
        {"tls", {{{"hosts", {name + "-0.prod.example.com"}}, {"secretName", name + "-tls"}}}}}},
      {"status",
       {{"loadBalancer",
         {{"ingress",
           {{{"hostname", "k8s-shared-0123456789-123456789.eu-west-1.elb.amazonaws.com"}}}}}}}}};
  obj["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] =
      json{{"spec", obj["spec"]}, {"metadata", {{"annotations", annotations}}}}.dump();
  return obj;
}

inline json ServiceObject(const std::string& ns, int i) {
  return {{"metadata",
           {{"name", "app-" + std::to_string(i) + "-svc"},
            {"namespace", ns},
            {"uid", "6a-" + std::to_string(i)},
            {"resourceVersion", "5"},
            {"labels", {{"app", "app-" + std::to_string(i)}}},
            {"annotations", {{"alb.ingress.kubernetes.io/healthcheck-path", "/ready"}}},
            {"managedFields", ManagedFields()}}},
          {"spec",
           {{"type", "ClusterIP"},
            {"clusterIP", "10.100.12.34"},
            {"clusterIPs", {"10.100.12.34"}},
            {"selector", {{"app", "app-" + std::to_string(i)}}},
            {"ports",
             {{{"name", "http"}, {"port", 8080}, {"targetPort", 8080}, {"protocol", "TCP"}},
              {{"name", "metrics"}, {"port", 9090}, {"targetPort", 9090}, {"protocol", "TCP"}}}}}},
          {"status", {{"loadBalancer", json::object()}}}};
}

inline json BindingObject(const std::string& ns, int i) {
  return {
      {"apiVersion", "elbv2.k8s.aws/v1beta1"},
      {"kind", "TargetGroupBinding"},
      {"metadata",
       {{"name", "tgb-" + std::to_string(i)},
        {"namespace", ns},
        {"resourceVersion", "9"},
        {"managedFields", ManagedFields()}}},
      {"spec",
       {{"targetGroupARN", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/k8s-" +
                               std::to_string(i) + "/0123456789abcdef"},
        {"targetType", "ip"},
        {"serviceRef", {{"name", "app-" + std::to_string(i) + "-svc"}, {"port", 8080}}},
        {"networking",
         {{"ingress",
           {{{"from", {{{"securityGroup", {{"groupID", "sg-0123456789abcdef0"}}}}}},
             {"ports", {{{"protocol", "TCP"}}}}}}}}}}},
      {"status", {{"observedGeneration", 1}}}};
}

// --- An IngressGroup of realistic members (issue 13's latency rows) -------------------------

/// One of the 5 namespaces of the group cluster.
inline std::string GroupNamespace(int i) { return "team-" + std::to_string(i % 5); }

inline constexpr const char* kGroupKey = "alb.ingress.kubernetes.io/group.name";

/// A member of IngressGroup "shop" (IngressObject with the group and the class's kinds set).
inline json GroupMember(const std::string& ns, int i) {
  json ing = IngressObject(ns, i, 10);
  ing["metadata"]["annotations"][kGroupKey] = "shop";
  ing["metadata"]["annotations"].erase("kubectl.kubernetes.io/last-applied-configuration");
  return ing;
}

inline json TypedService(const std::string& ns, int i) {
  json svc = ServiceObject(ns, i);
  svc["apiVersion"] = "v1";
  svc["kind"] = "Service";
  return svc;
}

/// IngressClass alb with its IngressClassParams, 5 Namespaces, `members` Ingresses of group
/// "shop" spread over them with their Services, and the candidate's Service.
inline std::vector<json> GroupCluster(int members, int candidate_index) {
  std::vector<json> objects;
  objects.push_back({{"apiVersion", "networking.k8s.io/v1"},
                     {"kind", "IngressClass"},
                     {"metadata", {{"name", "alb"}}},
                     {"spec",
                      {{"controller", "ingress.k8s.aws/alb"},
                       {"parameters",
                        {{"apiGroup", "elbv2.k8s.aws"},
                         {"kind", "IngressClassParams"},
                         {"name", "alb-params"}}}}}});
  objects.push_back({{"apiVersion", "elbv2.k8s.aws/v1beta1"},
                     {"kind", "IngressClassParams"},
                     {"metadata", {{"name", "alb-params"}}},
                     {"spec",
                      {{"namespaceSelector", {{"matchLabels", {{"alb", "allowed"}}}}},
                       {"ipAddressType", "ipv4"}}}});
  for (int n = 0; n < 5; ++n) {
    objects.push_back(
        {{"apiVersion", "v1"},
         {"kind", "Namespace"},
         {"metadata", {{"name", GroupNamespace(n)}, {"labels", {{"alb", "allowed"}}}}}});
  }
  for (int i = 0; i < members; ++i) {
    objects.push_back(GroupMember(GroupNamespace(i), i));
    objects.push_back(TypedService(GroupNamespace(i), i));
  }
  objects.push_back(TypedService(GroupNamespace(candidate_index), candidate_index));
  return objects;
}

/// One more member, as a CREATE sends it (no status, no server-set metadata).
inline json Candidate(int i) {
  json ing = GroupMember(GroupNamespace(i), i);
  ing.erase("status");
  for (const char* key :
       {"uid", "resourceVersion", "generation", "creationTimestamp", "managedFields"}) {
    ing["metadata"].erase(key);
  }
  return ing;
}

inline std::string ReviewBody(const json& object) {
  return json{
      {"apiVersion", "admission.k8s.io/v1"},
      {"kind", "AdmissionReview"},
      {"request",
       {{"uid", "7f3c2b1a-8d4e-4f5a-9b6c-0d1e2f3a4b5c"},
        {"kind", {{"group", "networking.k8s.io"}, {"version", "v1"}, {"kind", "Ingress"}}},
        {"resource",
         {{"group", "networking.k8s.io"}, {"version", "v1"}, {"resource", "ingresses"}}},
        {"name", object["metadata"]["name"]},
        {"namespace", object["metadata"]["namespace"]},
        {"operation", "CREATE"},
        {"userInfo", {{"username", "system:serviceaccount:argocd:argocd-application-controller"}}},
        {"object", object},
        {"oldObject", nullptr}}}}
      .dump();
}

}  // namespace albwebhook::bench
