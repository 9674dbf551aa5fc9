// The cluster view against the fake API server (tests/support/fake_apiserver.hpp) over real
// TLS: initial sync, events, bookmark resume, relists, token rotation, outages, 403/404,
// pagination, malformed lines. Intervals are shrunk; every wait is a bounded poll.
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "albwebhook/cluster/view.hpp"
#include "support/fake_apiserver.hpp"
#include "support/test_pki.hpp"

namespace albwebhook::cluster {
namespace {

using nlohmann::json;
using testing::FakeApiServer;
using testing::FakeApiServerOptions;
using namespace std::chrono_literals;

constexpr const char* kIngresses = "ingresses.networking.k8s.io";
constexpr const char* kIngressPath = "/apis/networking.k8s.io/v1/ingresses";
constexpr const char* kClassPath = "/apis/networking.k8s.io/v1/ingressclasses";
constexpr const char* kTgbs = "targetgroupbindings.elbv2.k8s.aws";

bool Eventually(const std::function<bool()>& pred, std::chrono::milliseconds limit = 15s) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return pred();
}

json IngressObj(const std::string& ns, const std::string& name, const std::string& host) {
  return {{"apiVersion", "networking.k8s.io/v1"},
          {"kind", "Ingress"},
          {"metadata",
           {{"name", name},
            {"namespace", ns},
            {"annotations",
             {{"alb.ingress.kubernetes.io/group.name", "g"},
              {"alb.ingress.kubernetes.io/tags", "host=" + host}}},
            {"managedFields", json::array({{{"manager", "kubectl"}}})}}},
          {"spec", {{"ingressClassName", "alb"}, {"rules", {{{"host", host}}}}}},
          {"status", {{"loadBalancer", json::object()}}}};
}

double Metric(prometheus::Registry& registry, const std::string& name,
              const std::map<std::string, std::string>& labels) {
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& m : family.metric) {
      bool match = true;
      for (const auto& [k, v] : labels) {
        bool found = false;
        for (const auto& l : m.label) found = found || (l.name == k && l.value == v);
        match = match && found;
      }
      if (match)
        return family.type == prometheus::MetricType::Counter ? m.counter.value : m.gauge.value;
    }
  }
  return -1;
}

class ClusterViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("cluster-view");
    pki_ = testing::MakePki(dir_ + "/pki");
    StartServer("127.0.0.1:0");
    config_.backoff_base = 10ms;
    config_.backoff_cap = 100ms;
    config_.watch_timeout_min = config_.watch_timeout_max = 60s;
    config_.watch_deadline_slack = 5s;
    config_.connect_timeout = config_.handshake_timeout = 2s;
    config_.request_timeout = 5s;
    config_.broken_grace = 300ms;
    config_.not_found_retry = 100ms;
    config_.publish_interval = 1ms;
  }
  void TearDown() override {
    view_.reset();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }
  void StartServer(const std::string& listen) {
    FakeApiServerOptions o;
    o.cert_file = pki_.server_cert;
    o.key_file = pki_.server_key;
    o.listen = listen;
    o.bookmark_interval = bookmark_interval_;
    server_ = std::make_unique<FakeApiServer>(o);
  }
  void Seed() {
    server_->Upsert(kIngresses, IngressObj("team-a", "web", "a.example.com"));
    server_->Upsert(kIngresses, IngressObj("team-b", "api", "b.example.com"));
    server_->Upsert(
        "ingressclasses.networking.k8s.io",
        {{"metadata",
          {{"name", "alb"},
           {"annotations", {{"ingressclass.kubernetes.io/is-default-class", "true"}}}}},
         {"spec",
          {{"controller", "ingress.k8s.aws/alb"},
           {"parameters",
            {{"apiGroup", "elbv2.k8s.aws"}, {"kind", "IngressClassParams"}, {"name", "p"}}}}}});
    server_->Upsert("ingressclassparams.elbv2.k8s.aws",
                    {{"metadata", {{"name", "p"}}}, {"spec", {{"scheme", "internal"}}}});
    server_->Upsert(kTgbs, {{"metadata", {{"name", "tgb"}, {"namespace", "team-a"}}},
                            {"spec", {{"targetGroupARN", "arn:aws:x"}}}});
    server_->Upsert("services",
                    {{"metadata", {{"name", "web"}, {"namespace", "team-a"}}},
                     {"spec", {{"ports", {{{"port", 80}}}}, {"selector", {{"a", "b"}}}}}});
    server_->Upsert("namespaces",
                    {{"metadata", {{"name", "team-a"}, {"labels", {{"env", "prod"}}}}}});
  }
  void UseKubeconfig() {
    auto cfg = LoadKubeconfig(server_->WriteKubeconfig(dir_, pki_.ca_cert));
    ASSERT_TRUE(cfg) << cfg.error().message;
    config_.client = cfg.value();
  }
  void StartView() {
    if (config_.client.host.empty()) UseKubeconfig();
    auto view = View::Create(config_, registry_);
    ASSERT_TRUE(view) << view.error().message;
    view_ = std::move(view.value());
    view_->Start();
  }
  double Restarts(const std::string& resource, const std::string& reason) {
    return Metric(registry_, "alb_webhook_cluster_watch_restarts_total",
                  {{"resource", resource}, {"reason", reason}});
  }
  std::size_t Lists(const char* path = kIngressPath) {
    return server_->Requests(path, "") - server_->Requests(path, "watch=true");
  }
  std::size_t Watches(const char* path = kIngressPath) {
    return server_->Requests(path, "watch=true");
  }
  bool HasHost(const std::string& ns, const std::string& name, const std::string& host) {
    auto snapshot = view_->Snapshot();  // held while its objects are read
    const Object* o = snapshot->FindIngress(ns, name);
    // spec.rules is not cached: the host is mirrored in a kept annotation.
    const std::string* tags =
        o != nullptr ? o->Annotation("alb.ingress.kubernetes.io/tags") : nullptr;
    return tags != nullptr && *tags == "host=" + host;
  }

  std::chrono::milliseconds bookmark_interval_ = 1h;  // off unless a test wants them
  std::string dir_;
  testing::Pki pki_;
  std::unique_ptr<FakeApiServer> server_;
  ViewConfig config_;
  prometheus::Registry registry_;
  std::unique_ptr<View> view_;
};

TEST_F(ClusterViewTest, InitialSyncPrunedObjectsAndMetrics) {
  Seed();
  StartView();
  ASSERT_TRUE(view_->WaitSynced(15s));
  ASSERT_TRUE(Eventually([&] { return view_->Snapshot()->available(); }));
  auto s = view_->Snapshot();
  EXPECT_EQ(s->Count(Resource::kIngresses), 2u);
  const Object* web = s->FindIngress("team-a", "web");
  ASSERT_NE(web, nullptr);
  EXPECT_FALSE(web->metadata().contains("managedFields"));
  EXPECT_FALSE(web->metadata().contains("resourceVersion"));
  EXPECT_FALSE(web->doc.contains("status"));
  EXPECT_EQ(web->doc["kind"], "Ingress");
  ASSERT_EQ(s->DefaultIngressClasses().size(), 1u);
  EXPECT_EQ(s->FindIngressClassParams("p")->spec()["scheme"], "internal");
  EXPECT_EQ(s->FindService("team-a", "web")->spec(), json::parse(R"({"ports":[{"port":80}]})"));
  EXPECT_EQ(*s->FindNamespace("team-a")->Label("env"), "prod");
  int tgbs = 0;
  s->ForEachTargetGroupBinding([&](const Object&) { ++tgbs; });
  EXPECT_EQ(tgbs, 1);
  for (Resource r : kAllResources) {
    std::string name(ResourceName(r));
    EXPECT_TRUE(s->synced(r)) << name;
    EXPECT_EQ(Metric(registry_, "alb_webhook_cluster_synced", {{"resource", name}}), 1) << name;
  }
  EXPECT_TRUE(Eventually([&] {
    return Metric(registry_, "alb_webhook_cluster_objects", {{"resource", kIngresses}}) == 2;
  }));
  EXPECT_EQ(Restarts("services", "forbidden"), 0);
}

TEST_F(ClusterViewTest, EventsAppliedInOrder) {
  Seed();
  StartView();
  ASSERT_TRUE(view_->WaitSynced(15s));
  for (int i = 0; i < 20; ++i) {
    server_->Upsert(kIngresses, IngressObj("team-a", "web", "h" + std::to_string(i) + ".example"));
  }
  server_->Upsert(kIngresses, IngressObj("team-c", "new", "c.example.com"));
  server_->Remove(kIngresses, "team-b", "api");
  EXPECT_TRUE(Eventually([&] {
    auto s = view_->Snapshot();
    return s->FindIngress("team-b", "api") == nullptr && s->FindIngress("team-c", "new") != nullptr;
  }));
  EXPECT_TRUE(HasHost("team-a", "web", "h19.example"));
  EXPECT_EQ(view_->Snapshot()->Count(Resource::kIngresses), 2u);
}

TEST_F(ClusterViewTest, NormalCloseResumesFromBookmarkWithoutRelist) {
  server_.reset();
  bookmark_interval_ = 50ms;
  StartServer("127.0.0.1:0");
  Seed();
  StartView();
  ASSERT_TRUE(view_->WaitSynced(15s));
  std::size_t lists = Lists();
  // Move the global resourceVersion on another resource: only a bookmark tells the ingress watch.
  std::string rv = server_->Upsert("services", {{"metadata", {{"name", "x"}, {"namespace", "n"}}}});
  bool resumed_at_bookmark = Eventually([&] {
    std::size_t watches = Watches();
    server_->DropWatches();
    Eventually([&] { return Watches() > watches; }, 5s);
    return server_->Requests(kIngressPath, "resourceVersion=" + rv + "&") > 0;
  });
  EXPECT_TRUE(resumed_at_bookmark);
  EXPECT_EQ(Lists(), lists);
  EXPECT_GE(Restarts(kIngresses, "closed"), 1);
  server_->Upsert(kIngresses, IngressObj("team-a", "web", "after.example"));
  EXPECT_TRUE(Eventually([&] { return HasHost("team-a", "web", "after.example"); }));
  EXPECT_EQ(Lists(), lists);
}

TEST_F(ClusterViewTest, RelistAfterExpiredWatchEvent) {
  Seed();
  StartView();
  ASSERT_TRUE(view_->WaitSynced(15s));
  std::size_t lists = Lists();
  server_->Upsert(kIngresses, IngressObj("team-a", "web", "during.example"));
  // The ingress watch does not see this one (no bookmarks): its resourceVersion is now older
  // than the compaction.
  server_->Upsert("services", {{"metadata", {{"name", "bump"}, {"namespace", "n"}}}});
  server_->Compact();
  server_->DropWatches();
  ASSERT_TRUE(Eventually([&] { return Lists() > lists; }));
  EXPECT_GE(Restarts(kIngresses, "expired"), 1);
  EXPECT_TRUE(Eventually([&] { return HasHost("team-a", "web", "during.example"); }));
}

TEST_F(ClusterViewTest, RelistAfterWatchAnsweredHttp410) {
  Seed();
  server_->SetWatchExpiryAsHttpStatus(true);
  StartView();
  ASSERT_TRUE(view_->WaitSynced(15s));
  ASSERT_TRUE(Eventually([&] { return server_->OpenWatches(kIngresses) == 1; }));
  std::size_t lists = Lists();
  const std::size_t class_lists = Lists(kClassPath), class_watches = Watches(kClassPath);
  // Held across the relist: what it lists unchanged is kept as it is (the same object), not a
  // second copy.
  const auto before = view_->Snapshot();
  const Object* class_before = before->FindIngressClass("alb");
  const Object* web_before = before->FindIngress("team-a", "web");
  ASSERT_NE(class_before, nullptr);
  ASSERT_NE(web_before, nullptr);
  server_->Upsert(kIngresses, IngressObj("team-a", "web", "during.example"));
  server_->Upsert(kIngresses, IngressObj("team-c", "added", "c.example"));
  server_->Remove(kIngresses, "team-b", "api");
  // The ingress watch is dropped before it delivers these, and its resourceVersion compacted:
  // the resumed watch is answered HTTP 410 Gone (no stream), which must relist.
  server_->Upsert("services", {{"metadata", {{"name", "bump"}, {"namespace", "n"}}}});
  server_->Compact();
  server_->DropWatches();
  ASSERT_TRUE(Eventually([&] { return Lists() > lists; }));
  EXPECT_GE(Restarts(kIngresses, "expired"), 1);
  EXPECT_TRUE(Eventually([&] {
    auto s = view_->Snapshot();
    return s->FindIngress("team-b", "api") == nullptr &&
           s->FindIngress("team-c", "added") != nullptr && s->Count(Resource::kIngresses) == 2;
  }));
  EXPECT_TRUE(HasHost("team-a", "web", "during.example"));
  // The class is relisted too (every watch was dropped, and compacted past): unchanged, it is
  // the object the old snapshot holds; the changed Ingress is a new one.
  // Its relist is applied once it watches again (the 410 answer, then the watch after the
  // list); a class added after that comes through that watch, in a snapshot after the relist.
  ASSERT_TRUE(Eventually(
      [&] { return Lists(kClassPath) > class_lists && Watches(kClassPath) >= class_watches + 2; }));
  server_->Upsert("ingressclasses.networking.k8s.io",
                  {{"metadata", {{"name", "other"}}}, {"spec", {{"controller", "example.com/x"}}}});
  ASSERT_TRUE(Eventually([&] { return view_->Snapshot()->FindIngressClass("other") != nullptr; }));
  EXPECT_EQ(view_->Snapshot()->FindIngressClass("alb"), class_before);
  EXPECT_NE(view_->Snapshot()->FindIngress("team-a", "web"), web_before);
  EXPECT_EQ(before->FindIngress("team-a", "web"), web_before);  // the old snapshot is intact
  // And it watches again from the relist's resourceVersion: later events arrive.
  ASSERT_TRUE(Eventually([&] { return server_->OpenWatches(kIngresses) == 1; }));
  server_->Upsert(kIngresses, IngressObj("team-a", "web", "after.example"));
  EXPECT_TRUE(Eventually([&] { return HasHost("team-a", "web", "after.example"); }));
  EXPECT_TRUE(Eventually([&] { return view_->Snapshot()->available(); }));
}

TEST_F(ClusterViewTest, PaginatedListAndExpiredContinue) {
  config_.list_page_size = 2;
  for (int i = 0; i < 7; ++i)
    server_->Upsert(kIngresses, IngressObj("ns", "i" + std::to_string(i), "h"));
  StartView();
  ASSERT_TRUE(view_->WaitSynced(15s));
  EXPECT_EQ(view_->Snapshot()->Count(Resource::kIngresses), 7u);
  EXPECT_GE(server_->Requests(kIngressPath, "continue="), 3u);
  // Every continue now answers 410: listed again, then without pagination.
  server_->SetPageExpiry(true);
  server_->Upsert(kIngresses, IngressObj("ns", "i7", "h"));
  server_->Upsert("services", {{"metadata", {{"name", "bump"}, {"namespace", "n"}}}});
  server_->Compact();
  server_->DropWatches();  // the watch resumes from a compacted RV: 410 event, relist
  // 410 to the watch, then to two continue tokens; then one unpaginated list.
  ASSERT_TRUE(Eventually([&] { return Restarts(kIngresses, "expired") >= 3; }));
  ASSERT_TRUE(Eventually([&] { return view_->Snapshot()->Count(Resource::kIngresses) == 8; }));
  // One unpaginated list (the i7 event may have arrived on the watch first: wait for the list,
  // bounded, rather than read the counter at once; failed under ASan).
  EXPECT_TRUE(
      Eventually([&] { return Lists() - server_->Requests(kIngressPath, "limit=") >= 1u; }));
}

TEST_F(ClusterViewTest, TokenFileReReadAfter401) {
  std::string token_file = dir_ + "/token";
  testing::WriteFile(token_file, "test-token");
  testing::WriteFile(dir_ + "/kc",
                     "apiVersion: v1\ncurrent-context: c\ncontexts:\n"
                     "- name: c\n  context: {cluster: k, user: u}\n"
                     "clusters:\n- name: k\n  cluster:\n    server: " +
                         server_->url() + "\n    certificate-authority: " + pki_.ca_cert +
                         "\n"
                         "users:\n- name: u\n  user:\n    tokenFile: token\n");
  auto cfg = LoadKubeconfig(dir_ + "/kc");
  ASSERT_TRUE(cfg) << cfg.error().message;
  config_.client = cfg.value();
  Seed();
  StartView();
  ASSERT_TRUE(view_->WaitSynced(15s));
  server_->SetToken("rotated");
  server_->DropWatches();
  ASSERT_TRUE(Eventually([&] { return Restarts(kIngresses, "unauthorized") >= 1; }));
  testing::WriteFile(token_file, "rotated");
  server_->Upsert(kIngresses, IngressObj("team-a", "web", "rotated.example"));
  EXPECT_TRUE(Eventually([&] { return HasHost("team-a", "web", "rotated.example"); }));
  EXPECT_TRUE(Eventually([&] { return view_->Snapshot()->available(); }));
}

TEST_F(ClusterViewTest, DroppedStreamsLoseNothing) {
  Seed();
  StartView();
  ASSERT_TRUE(view_->WaitSynced(15s));
  for (int i = 0; i < 30; ++i) {
    server_->Upsert(kIngresses, IngressObj("drop", "i" + std::to_string(i), "h"));
    if (i % 5 == 0) server_->DropWatches();
  }
  for (int i = 0; i < 30; i += 3) server_->Remove(kIngresses, "drop", "i" + std::to_string(i));
  // The count also passes through 20 while the upserts are applied (i0..i19): wait for the
  // final state (the last upsert present, every removal applied), not for the count alone.
  auto converged = [&] {
    auto snap = view_->Snapshot();
    if (snap->IngressesInNamespace("drop").size() != 20) return false;
    if (snap->FindIngress("drop", "i29") == nullptr) return false;
    for (int i = 0; i < 30; i += 3)
      if (snap->FindIngress("drop", "i" + std::to_string(i)) != nullptr) return false;
    return true;
  };
  EXPECT_TRUE(Eventually(converged));
  EXPECT_EQ(view_->Snapshot()->FindIngress("drop", "i3"), nullptr);
  EXPECT_NE(view_->Snapshot()->FindIngress("drop", "i4"), nullptr);
}

TEST_F(ClusterViewTest, ApiServerDownAtStartThenUp) {
  std::string url = server_->url();
  UseKubeconfig();
  std::string listen = "127.0.0.1:" + std::to_string(server_->port());
  server_.reset();
  StartView();
  ASSERT_TRUE(Eventually([&] { return Restarts(kIngresses, "error") >= 2; }));
  EXPECT_FALSE(view_->Synced());
  EXPECT_FALSE(view_->Snapshot()->available());
  EXPECT_NE(view_->Snapshot()->unavailable_reason().find("not yet listed"), std::string::npos);
  StartServer(listen);
  Seed();
  EXPECT_TRUE(view_->WaitSynced(15s));
  EXPECT_TRUE(Eventually([&] { return view_->Snapshot()->Count(Resource::kIngresses) == 2; }));
}

TEST_F(ClusterViewTest, SlowApiServer) {
  Seed();
  server_->SetLatency(300ms);
  config_.request_timeout = 100ms;  // too short: every request times out
  StartView();
  ASSERT_TRUE(Eventually([&] { return Restarts(kIngresses, "error") >= 1; }));
  EXPECT_FALSE(view_->Synced());
  server_->SetLatency(20ms);
  EXPECT_TRUE(view_->WaitSynced(15s));
}

TEST_F(ClusterViewTest, ForbiddenMakesTheViewUnavailable) {
  Seed();
  server_->SetStatus("services", 403);
  StartView();
  ASSERT_TRUE(Eventually([&] { return Restarts("services", "forbidden") >= 1; }));
  EXPECT_FALSE(view_->WaitSynced(50ms));
  auto s = view_->Snapshot();
  EXPECT_FALSE(s->available());
  EXPECT_TRUE(Eventually([&] {
    return view_->Snapshot()->unavailable_reason().find("forbidden (403): services") !=
           std::string::npos;
  }));
  server_->SetStatus("services", 0);
  EXPECT_TRUE(view_->WaitSynced(15s));
  EXPECT_TRUE(Eventually([&] { return view_->Snapshot()->available(); }));
  // 403 after the sync: the cache stays, the view is unavailable.
  server_->SetStatus(kIngresses, 403);
  server_->DropWatches();
  EXPECT_TRUE(Eventually([&] { return !view_->Snapshot()->available(); }));
  EXPECT_NE(view_->Snapshot()->FindIngress("team-a", "web"), nullptr);
  server_->SetStatus(kIngresses, 0);
  EXPECT_TRUE(Eventually([&] { return view_->Snapshot()->available(); }));
}

TEST_F(ClusterViewTest, NotServedResourceIsSyncedAndEmptyUntilInstalled) {
  Seed();
  server_->SetStatus(kTgbs, 404);
  StartView();
  ASSERT_TRUE(view_->WaitSynced(15s));
  ASSERT_TRUE(Eventually([&] { return view_->Snapshot()->available(); }));
  EXPECT_EQ(view_->Snapshot()->Count(Resource::kTargetGroupBindings), 0u);
  EXPECT_FALSE(view_->Snapshot()->Status(Resource::kTargetGroupBindings).served);
  server_->SetStatus(kTgbs, 0);  // the CRD is installed
  EXPECT_TRUE(Eventually(
      [&] { return view_->Snapshot()->FindTargetGroupBinding("team-a", "tgb") != nullptr; }));
}

TEST_F(ClusterViewTest, BrokenWatchBeyondGraceMakesTheViewUnavailable) {
  Seed();
  StartView();
  ASSERT_TRUE(view_->WaitSynced(15s));
  ASSERT_TRUE(Eventually([&] { return view_->Snapshot()->available(); }));
  server_->SetStatus(kIngresses, 500);
  server_->DropWatches();
  // Every watch was dropped, so others may be broken for a moment too: wait for the snapshot
  // that names the one that stays broken (one snapshot read per check, not two).
  ASSERT_TRUE(Eventually([&] {
    const auto snapshot = view_->Snapshot();
    return !snapshot->available() &&
           snapshot->unavailable_reason().find("watch broken: ") != std::string::npos &&
           snapshot->unavailable_reason().find(kIngresses) != std::string::npos;
  }));
  EXPECT_NE(view_->Snapshot()->FindIngress("team-a", "web"), nullptr);
  server_->SetStatus(kIngresses, 0);
  EXPECT_TRUE(Eventually([&] { return view_->Snapshot()->available(); }));
}

TEST_F(ClusterViewTest, MalformedLinesRelistAndKeepTheCacheCorrect) {
  config_.max_line_bytes = 4096;
  Seed();
  StartView();
  ASSERT_TRUE(view_->WaitSynced(15s));
  const std::vector<std::string> bad = {
      "{garbage",
      R"({"type":"WHATEVER","object":{"metadata":{"resourceVersion":"1"}}})",
      R"({"type":"ADDED","object":{"kind":"Service","metadata":{"name":"x","namespace":"n","resourceVersion":"999"}}})",
      R"({"type":"ADDED","object":{"metadata":{"name":"x","namespace":"n","resourceVersion":"999","labels":"no"}}})",
      R"({"type":"ADDED","object":{"metadata":{"name":"x","namespace":"n","resourceVersion":"999"},"spec":{"pad":")" +
          std::string(5000, 'x') + R"("}}})",
  };
  double malformed = 0;
  for (const auto& line : bad) {
    std::size_t lists = Lists();
    // Injected again until it reaches a live watch (the last one may just have ended).
    ASSERT_TRUE(Eventually([&] {
      server_->InjectRaw(kIngresses, line);
      return Eventually([&] { return Lists() > lists; }, 200ms);
    })) << line;
    EXPECT_GT(Restarts(kIngresses, "malformed"), malformed) << line;
    malformed = Restarts(kIngresses, "malformed");
    EXPECT_EQ(view_->Snapshot()->FindIngress("n", "x"), nullptr);
  }
  server_->Upsert(kIngresses, IngressObj("team-a", "web", "fine.example"));
  EXPECT_TRUE(Eventually([&] { return HasHost("team-a", "web", "fine.example"); }));
  EXPECT_EQ(view_->Snapshot()->Count(Resource::kIngresses), 2u);
}

TEST_F(ClusterViewTest, ClientCertificateAndStop) {
  Seed();
  UseKubeconfig();
  config_.client.client_cert_pem = testing::ReadFile(pki_.client_cert);
  config_.client.client_key_pem = testing::ReadFile(pki_.client_key);
  StartView();
  ASSERT_TRUE(view_->WaitSynced(15s));
  view_->Stop();
  view_->Stop();
  auto s = view_->Snapshot();  // the last snapshot stays readable
  EXPECT_EQ(s->Count(Resource::kIngresses), 2u);
  config_.client.client_key_pem = "not a key";
  EXPECT_FALSE(View::Create(config_, registry_));
}

}  // namespace
}  // namespace albwebhook::cluster
