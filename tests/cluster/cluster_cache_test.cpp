// The cluster view's cache: pruning and validation of objects, copy-on-write stores, immutable
// snapshots, ClusterState built from plain objects.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "albwebhook/cluster/cluster_state.hpp"
#include "cluster/events.hpp"
#include "cluster/object.hpp"
#include "cluster/store.hpp"

namespace albwebhook::cluster {
namespace {

using nlohmann::json;

json Ingress(const std::string& ns, const std::string& name) {
  return {{"apiVersion", "networking.k8s.io/v1"},
          {"kind", "Ingress"},
          {"metadata",
           {{"name", name},
            {"namespace", ns},
            {"uid", "u-" + name},
            {"resourceVersion", "7"},
            {"generation", 3},
            {"labels", {{"app", "web"}}},
            {"annotations",
             {{"alb.ingress.kubernetes.io/scheme", "internal"},
              {"kubernetes.io/ingress.class", "alb"},
              {"meta.helm.sh/release-name", "web"},
              {"kubectl.kubernetes.io/last-applied-configuration", "{...huge...}"}}},
            {"managedFields", json::array({{{"manager", "kubectl"}}})}}},
          {"spec",
           {{"ingressClassName", "alb"},
            {"defaultBackend", {{"service", {{"name", "web"}, {"port", {{"number", 80}}}}}}},
            {"rules", json::array({{{"host", "a.example.com"}}})},
            {"tls", json::array({{{"secretName", "s"}}})}}},
          {"status", {{"loadBalancer", json::object()}}}};
}

TEST(ClusterObject, PrunesToWhatChecksRead) {
  auto obj = MakeObject(Resource::kIngresses, Ingress("ns1", "web"));
  ASSERT_TRUE(obj) << obj.error().message;
  const Object& o = **obj;
  EXPECT_EQ(o.namespace_, "ns1");
  EXPECT_EQ(o.name, "web");
  EXPECT_EQ(o.uid, "u-web");
  // Only the LBC's annotations and the class annotation; no labels (only Namespaces keep them);
  // the spec without rules and tls.
  EXPECT_EQ(o.doc, json::parse(R"({"apiVersion":"networking.k8s.io/v1","kind":"Ingress",
      "metadata":{"name":"web","namespace":"ns1","uid":"u-web",
        "annotations":{"alb.ingress.kubernetes.io/scheme":"internal",
                       "kubernetes.io/ingress.class":"alb"}},
      "spec":{"ingressClassName":"alb",
              "defaultBackend":{"service":{"name":"web","port":{"number":80}}}}})"));
  ASSERT_NE(o.Annotation("alb.ingress.kubernetes.io/scheme"), nullptr);
  EXPECT_EQ(o.Annotation("meta.helm.sh/release-name"), nullptr);
  EXPECT_EQ(o.Label("app"), nullptr);
  EXPECT_FALSE(o.deleting());
}

TEST(ClusterObject, ServiceKeepsTypeAndPortsNamespaceKeepsLabels) {
  json svc = {
      {"metadata",
       {{"name", "s"},
        {"namespace", "n"},
        {"labels", {{"app", "x"}}},
        {"annotations", {{"a", "b"}, {"alb.ingress.kubernetes.io/healthcheck-path", "/ready"}}}}},
      {"spec",
       {{"type", "NodePort"},
        {"ports", json::array({{{"port", 80},
                                {"name", "http"},
                                {"targetPort", "web"},
                                {"nodePort", 30080},
                                {"protocol", "TCP"}}})},
        {"selector", {{"app", "x"}}},
        {"clusterIP", "10.0.0.1"}}}};
  auto s = MakeObject(Resource::kServices, json(svc));
  ASSERT_TRUE(s);
  EXPECT_EQ((*s)->spec(), json::parse(R"({"type":"NodePort",
      "ports":[{"port":80,"name":"http","targetPort":"web","nodePort":30080}]})"));
  EXPECT_EQ((*s)->metadata(), json::parse(R"({"name":"s","namespace":"n",
      "annotations":{"alb.ingress.kubernetes.io/healthcheck-path":"/ready"}})"));
  EXPECT_EQ((*s)->doc["kind"], "Service");  // set when the list item had none
  json ns = {{"metadata",
              {{"name", "team"}, {"labels", {{"env", "prod"}}}, {"annotations", {{"x", "y"}}}}},
             {"spec", {{"finalizers", {"kubernetes"}}}}};
  auto n = MakeObject(Resource::kNamespaces, json(ns));
  ASSERT_TRUE(n);
  EXPECT_EQ((*n)->namespace_, "");
  EXPECT_EQ((*n)->metadata(), json::parse(R"({"name":"team","labels":{"env":"prod"}})"));
  EXPECT_EQ((*n)->spec(), json::object());
}

TEST(ClusterObject, BindingKeepsTargetGroupFieldsAndDroppedEntriesAreStillValidated) {
  json tgb = {{"metadata", {{"name", "b"}, {"namespace", "n"}, {"uid", "u"}}},
              {"spec",
               {{"targetGroupARN", "arn:aws:elasticloadbalancing:x"},
                {"multiClusterTargetGroup", true},
                {"targetType", "ip"},
                {"serviceRef", {{"name", "web"}, {"port", 80}}},
                {"networking", {{"ingress", json::array({{{"from", json::array()}}})}}},
                {"nodeSelector", {{"matchLabels", {{"a", "b"}}}}}}}};
  auto b = MakeObject(Resource::kTargetGroupBindings, json(tgb));
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ((*b)->spec(), json::parse(R"({"targetGroupARN":"arn:aws:elasticloadbalancing:x",
      "multiClusterTargetGroup":true,"targetType":"ip","serviceRef":{"name":"web","port":80}})"));
  EXPECT_FALSE((*b)->metadata().contains("annotations"));  // none kept: no map
  // An annotation or label that is not kept must still be a string.
  json bad = Ingress("n", "x");
  bad["metadata"]["annotations"]["meta.helm.sh/release-name"] = 5;
  EXPECT_FALSE(MakeObject(Resource::kIngresses, std::move(bad)));
  json bad_label = Ingress("n", "x");
  bad_label["metadata"]["labels"]["app"] = json::array();
  EXPECT_FALSE(MakeObject(Resource::kIngresses, std::move(bad_label)));
}

TEST(ClusterObject, RejectsWrongKindsAndFieldTypes) {
  const std::vector<std::pair<Resource, json>> bad = {
      {Resource::kIngresses, json::array()},
      {Resource::kIngresses,
       {{"kind", "Service"}, {"metadata", {{"name", "a"}, {"namespace", "n"}}}}},
      {Resource::kIngresses, {{"kind", 5}, {"metadata", {{"name", "a"}, {"namespace", "n"}}}}},
      {Resource::kIngresses,
       {{"apiVersion", "v1"}, {"metadata", {{"name", "a"}, {"namespace", "n"}}}}},
      {Resource::kIngresses, {{"metadata", "x"}}},
      {Resource::kIngresses, {{"metadata", {{"name", ""}, {"namespace", "n"}}}}},
      {Resource::kIngresses, {{"metadata", {{"name", 3}, {"namespace", "n"}}}}},
      {Resource::kIngresses, {{"metadata", {{"name", "a"}}}}},  // namespaced, no namespace
      {Resource::kIngresses, {{"metadata", {{"name", "a"}, {"namespace", 1}}}}},
      {Resource::kIngresses, {{"metadata", {{"name", "a"}, {"namespace", "n"}, {"uid", 1}}}}},
      {Resource::kIngresses,
       {{"metadata", {{"name", "a"}, {"namespace", "n"}, {"labels", {{"k", 1}}}}}}},
      {Resource::kIngresses,
       {{"metadata", {{"name", "a"}, {"namespace", "n"}, {"annotations", "s"}}}}},
      {Resource::kIngresses,
       {{"metadata", {{"name", "a"}, {"namespace", "n"}, {"deletionTimestamp", 1}}}}},
      {Resource::kIngresses, {{"metadata", {{"name", "a"}, {"namespace", "n"}}}, {"spec", "s"}}},
      {Resource::kServices,
       {{"metadata", {{"name", "a"}, {"namespace", "n"}}}, {"spec", {{"ports", 1}}}}},
      {Resource::kServices,
       {{"metadata", {{"name", "a"}, {"namespace", "n"}}}, {"spec", {{"ports", {1}}}}}},
      {Resource::kServices,
       {{"metadata", {{"name", "a"}, {"namespace", "n"}}}, {"spec", {{"type", 1}}}}},
  };
  for (const auto& [r, raw] : bad) {
    EXPECT_FALSE(MakeObject(r, json(raw))) << raw.dump();
  }
  // null where optional is fine
  EXPECT_TRUE(MakeObject(Resource::kIngressClasses,
                         {{"metadata", {{"name", "a"}, {"labels", nullptr}}}, {"spec", nullptr}}));
}

TEST(ClusterObject, KindsMapToResources) {
  EXPECT_EQ(ResourceOfKind("networking.k8s.io/v1", "Ingress"), Resource::kIngresses);
  EXPECT_EQ(ResourceOfKind("networking.k8s.io/v1beta1", "IngressClass"), Resource::kIngressClasses);
  EXPECT_EQ(ResourceOfKind("elbv2.k8s.aws/v1alpha1", "TargetGroupBinding"),
            Resource::kTargetGroupBindings);
  EXPECT_EQ(ResourceOfKind("v1", "Service"), Resource::kServices);
  EXPECT_EQ(ResourceOfKind("apps/v1", "Deployment"), std::nullopt);
  EXPECT_EQ(ResourceOfKind("extensions/v1beta1", "Ingress"), std::nullopt);
  EXPECT_EQ(ResourceName(Resource::kIngressClassParams), "ingressclassparams.elbv2.k8s.aws");
  EXPECT_EQ(ResourcePath(Resource::kNamespaces), "/api/v1/namespaces");
}

ObjectPtr Make(const std::string& ns, const std::string& name) {
  return MakeObject(Resource::kIngresses, Ingress(ns, name)).value();
}

TEST(ClusterStore, ExportedDataNeverChanges) {
  ResourceStore store;
  store.Upsert(Make("a", "1"));
  store.Upsert(Make("b", "1"));
  DataPtr first = store.Export();
  store.Upsert(Make("a", "2"));
  EXPECT_TRUE(store.Remove("b", "1"));
  EXPECT_FALSE(store.Remove("b", "1"));
  EXPECT_FALSE(store.Remove("zz", "1"));
  DataPtr second = store.Export();
  EXPECT_EQ(first->count, 2u);
  EXPECT_EQ(first->by_namespace.at("a")->size(), 1u);
  EXPECT_EQ(first->by_namespace.count("b"), 1u);
  EXPECT_EQ(second->count, 2u);
  EXPECT_EQ(second->by_namespace.at("a")->size(), 2u);
  EXPECT_EQ(second->by_namespace.count("b"), 0u);  // empty buckets go away
  // An untouched namespace's bucket is shared, not copied.
  store.Upsert(Make("c", "1"));
  DataPtr third = store.Export();
  EXPECT_EQ(third->by_namespace.at("a").get(), second->by_namespace.at("a").get());
  // Replace drops everything at once.
  store.Replace({Make("z", "9")});
  EXPECT_EQ(store.size(), 1u);
  EXPECT_NE(store.Find("z", "9"), nullptr);
  EXPECT_EQ(third->count, 3u);
}

TEST(ClusterStore, ManyChangesBetweenExportsCopyABucketOnce) {
  ResourceStore store;
  for (int i = 0; i < 100; ++i) store.Upsert(Make("ns", std::to_string(i)));
  DataPtr before = store.Export();
  const ObjectMap* old_bucket = before->by_namespace.at("ns").get();
  for (int i = 0; i < 50; ++i) store.Upsert(Make("ns", std::to_string(i)));
  DataPtr after = store.Export();
  EXPECT_NE(after->by_namespace.at("ns").get(), old_bucket);
  EXPECT_EQ(after->count, 100u);
  EXPECT_EQ(before->count, 100u);
}

/// A snapshot of Ingresses only, from the store's current content.
StatePtr IngressSnapshot(ResourceStore& store) {
  ClusterState::DataArray data;
  data[static_cast<std::size_t>(Resource::kIngresses)] = store.Export();
  return std::make_shared<const ClusterState>(data, std::array<ResourceStatus, kResourceCount>{},
                                              true, "");
}

TEST(ClusterState, NamespaceDerivedDataIsBuiltOncePerNamespaceVersion) {
  ResourceStore store;
  store.Upsert(Make("a", "1"));
  store.Upsert(Make("b", "1"));
  store.Upsert(Make("b", "2"));
  std::vector<std::string> built;  // "ns:count" per build
  auto build = [&built](const ObjectMap& objects) {
    const ObjectPtr& first = objects.begin()->second;
    built.push_back(first->namespace_ + ":" + std::to_string(objects.size()));
    return std::static_pointer_cast<const void>(std::make_shared<std::size_t>(objects.size()));
  };
  auto sizes = [&](const ClusterState& state, std::string_view key) {
    std::vector<std::size_t> out;
    state.ForEachNamespaceDerived(Resource::kIngresses, key, build,
                                  [&out](const ClusterState::DerivedPtr& data) {
                                    out.push_back(*static_cast<const std::size_t*>(data.get()));
                                  });
    return out;
  };
  StatePtr first = IngressSnapshot(store);
  EXPECT_EQ(sizes(*first, "count"), (std::vector<std::size_t>{1, 2}));  // namespace order
  EXPECT_EQ(sizes(*first, "count"), (std::vector<std::size_t>{1, 2}));  // kept
  EXPECT_EQ(built, (std::vector<std::string>{"a:1", "b:2"}));
  sizes(*first, "other key");  // another key is other data
  EXPECT_EQ(built.size(), 4u);

  built.clear();
  store.Upsert(Make("a", "2"));  // only namespace a changes
  StatePtr second = IngressSnapshot(store);
  EXPECT_EQ(sizes(*second, "count"), (std::vector<std::size_t>{2, 2}));
  EXPECT_EQ(built, (std::vector<std::string>{"a:2"}));  // b's data is shared with `first`
  // The older snapshot keeps its own: never the newer namespace's data.
  EXPECT_EQ(sizes(*first, "count"), (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(built.size(), 1u);
  // A relist makes every namespace new.
  store.Replace({Make("a", "1"), Make("b", "1")});
  EXPECT_EQ(sizes(*IngressSnapshot(store), "count"), (std::vector<std::size_t>{1, 1}));
  EXPECT_EQ(built, (std::vector<std::string>{"a:2", "a:1", "b:1"}));
}

TEST(ClusterState, FromObjectsAnswersTheReadApi) {
  std::vector<json> objects = {
      Ingress("ns1", "a"),
      Ingress("ns1", "b"),
      Ingress("ns2", "c"),
      {{"apiVersion", "networking.k8s.io/v1"},
       {"kind", "IngressClass"},
       {"metadata",
        {{"name", "alb"},
         {"annotations", {{"ingressclass.kubernetes.io/is-default-class", "true"}}}}},
       {"spec", {{"controller", "ingress.k8s.aws/alb"}}}},
      {{"apiVersion", "networking.k8s.io/v1"},
       {"kind", "IngressClass"},
       {"metadata", {{"name", "nginx"}}}},
      {{"apiVersion", "elbv2.k8s.aws/v1beta1"},
       {"kind", "IngressClassParams"},
       {"metadata", {{"name", "p"}}},
       {"spec", {{"scheme", "internal"}}}},
      {{"apiVersion", "elbv2.k8s.aws/v1beta1"},
       {"kind", "TargetGroupBinding"},
       {"metadata", {{"name", "t"}, {"namespace", "ns1"}}},
       {"spec", {{"targetGroupARN", "arn"}}}},
      {{"apiVersion", "v1"},
       {"kind", "Service"},
       {"metadata", {{"name", "s"}, {"namespace", "ns1"}}}},
      {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "ns1"}}}},
      {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"metadata", {{"name", "d"}}}},
      {{"apiVersion", "v1"}, {"kind", "Service"}, {"metadata", {{"name", "nons"}}}},
      "not an object",
  };
  std::vector<std::string> skipped;
  auto state = ClusterState::FromObjects(objects, &skipped);
  EXPECT_EQ(skipped.size(), 3u);
  EXPECT_TRUE(state->available());
  EXPECT_TRUE(state->AllSynced());
  EXPECT_EQ(state->unavailable_reason(), "");
  ASSERT_NE(state->FindIngressClass("alb"), nullptr);
  EXPECT_EQ(state->FindIngressClass("alb")->spec()["controller"], "ingress.k8s.aws/alb");
  ASSERT_EQ(state->DefaultIngressClasses().size(), 1u);
  EXPECT_EQ(state->DefaultIngressClasses()[0]->name, "alb");
  EXPECT_NE(state->FindIngressClassParams("p"), nullptr);
  EXPECT_EQ(state->FindIngressClassParams("q"), nullptr);
  EXPECT_EQ(state->IngressesInNamespace("ns1").size(), 2u);
  EXPECT_EQ(state->IngressesInNamespace("none").size(), 0u);
  EXPECT_NE(state->FindIngress("ns2", "c"), nullptr);
  int n = 0;
  state->ForEachIngress([&](const Object&) { ++n; });
  EXPECT_EQ(n, 3);
  EXPECT_NE(state->FindService("ns1", "s"), nullptr);
  EXPECT_EQ(state->FindService("ns2", "s"), nullptr);
  EXPECT_NE(state->FindNamespace("ns1"), nullptr);
  int t = 0;
  state->ForEachTargetGroupBinding([&](const Object& o) { t += o.name == "t"; });
  EXPECT_EQ(t, 1);
  EXPECT_EQ(state->Count(Resource::kIngresses), 3u);
  auto empty = ClusterState::Empty("not yet listed");
  EXPECT_FALSE(empty->available());
  EXPECT_EQ(empty->unavailable_reason(), "not yet listed");
  EXPECT_EQ(empty->FindIngressClass("alb"), nullptr);
  EXPECT_FALSE(empty->synced(Resource::kServices));
}

TEST(ClusterEvents, ParsesListPagesAndSkipsBadItems) {
  auto page = ParseListPage(Resource::kIngresses,
                            json{{"metadata", {{"resourceVersion", "10"}, {"continue", "tok"}}},
                                 {"items", {Ingress("a", "1"), {{"metadata", {{"name", "nons"}}}}}}}
                                .dump());
  ASSERT_TRUE(page);
  EXPECT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->skipped.size(), 1u);
  EXPECT_EQ(page->continue_token, "tok");
  auto null_items =
      ParseListPage(Resource::kIngresses, R"({"metadata":{"resourceVersion":"3"},"items":null})");
  ASSERT_TRUE(null_items);
  EXPECT_TRUE(null_items->items.empty());
  EXPECT_FALSE(ParseListPage(Resource::kIngresses, "{"));
  EXPECT_FALSE(ParseListPage(Resource::kIngresses, R"({"items":[]})"));
  EXPECT_FALSE(
      ParseListPage(Resource::kIngresses, R"({"metadata":{"resourceVersion":"1"},"items":{}})"));
  EXPECT_EQ(DescribeStatus(403, R"({"kind":"Status","reason":"Forbidden","message":"no"})"),
            "403 Forbidden: no");
  EXPECT_EQ(DescribeStatus(500, "oops"), "500: oops");
}

TEST(ClusterEvents, ParsesWatchEvents) {
  auto added = ParseWatchEvent(Resource::kIngresses,
                               json{{"type", "ADDED"}, {"object", Ingress("n", "x")}}.dump());
  ASSERT_TRUE(added);
  EXPECT_EQ(added->type, EventType::kAdded);
  EXPECT_EQ(added->resource_version, "7");
  auto bookmark = ParseWatchEvent(
      Resource::kIngresses,
      R"({"type":"BOOKMARK","object":{"kind":"Ingress","metadata":{"resourceVersion":"99"}}})");
  ASSERT_TRUE(bookmark);
  EXPECT_EQ(bookmark->resource_version, "99");
  auto error = ParseWatchEvent(
      Resource::kIngresses,
      R"({"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old"}})");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->error_code, 410);
  for (
      const char* bad :
      {"", "x", "[]", R"({"type":"ADDED"})", R"({"type":"WHAT","object":{}})", R"({"object":{}})",
       R"({"type":"ADDED","object":{"metadata":{"name":"a"}}})",
       R"({"type":"BOOKMARK","object":{"metadata":{}}})",
       R"({"type":"MODIFIED","object":{"kind":"Service","metadata":{"name":"a","namespace":"n","resourceVersion":"1"}}})"}) {
    EXPECT_FALSE(ParseWatchEvent(Resource::kIngresses, bad)) << bad;
  }
}

TEST(ClusterEvents, ManagedFieldsAreCheckedNotKeptAndFloatsStillParse) {
  json ingress = Ingress("n", "x");
  ingress["metadata"]["managedFields"] = json::array({{{"manager", "kubectl"}, {"n", 1}}});
  ingress["metadata"]["annotations"] = {{"alb.ingress.kubernetes.io/scheme", "internal"}};
  auto added =
      ParseWatchEvent(Resource::kIngresses, json{{"type", "ADDED"}, {"object", ingress}}.dump());
  ASSERT_TRUE(added);
  EXPECT_FALSE(added->object->metadata().contains("managedFields"));
  ASSERT_NE(added->object->Annotation("alb.ingress.kubernetes.io/scheme"), nullptr);
  EXPECT_EQ(*added->object->Annotation("alb.ingress.kubernetes.io/scheme"), "internal");
  // A float (the fast parser leaves it to nlohmann) parses the same.
  ingress["status"] = {{"ratio", 0.5}};
  auto with_float =
      ParseWatchEvent(Resource::kIngresses, json{{"type", "MODIFIED"}, {"object", ingress}}.dump());
  ASSERT_TRUE(with_float);
  EXPECT_EQ(with_float->object->doc, added->object->doc);
  // Malformed managedFields text is still refused.
  const std::string text = json{{"type", "ADDED"}, {"object", Ingress("n", "x")}}.dump();
  std::string broken = text;
  broken.insert(broken.find("\"metadata\":{") + 12, R"("managedFields":[{"a":},)");
  EXPECT_FALSE(ParseWatchEvent(Resource::kIngresses, broken)) << broken;
  // Lists skip them too.
  auto page = ParseListPage(
      Resource::kIngresses,
      json{{"metadata", {{"resourceVersion", "5"}}}, {"items", json::array({ingress})}}.dump());
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_FALSE(page->items[0]->metadata().contains("managedFields"));
}

}  // namespace
}  // namespace albwebhook::cluster
