// Tests of the fake Kubernetes API server itself (tests/support/fake_apiserver.hpp), over real
// TLS with a small blocking HTTPS client that reads watch streams line by line.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "support/fake_apiserver.hpp"
#include "support/test_pki.hpp"

namespace albwebhook::testing {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kIngresses = "ingresses.networking.k8s.io";

struct Reply {
  int status = 0;
  std::string content_type, transfer_encoding;
  json body;
};

// One HTTPS/1.1 connection (keep-alive); every operation is bounded by io.run_for.
class KubeClient {
 public:
  KubeClient(std::uint16_t port, const Pki& pki, std::string token = "test-token",
             bool client_cert = false)
      : token_(std::move(token)) {
    // stream_ already made its SSL from ctx_: per-connection settings go on the stream.
    ctx_.load_verify_file(pki.ca_cert);
    stream_.set_verify_mode(ssl::verify_peer);
    if (client_cert) {
      SSL_use_certificate_chain_file(stream_.native_handle(), pki.client_cert.c_str());
      SSL_use_PrivateKey_file(stream_.native_handle(), pki.client_key.c_str(), SSL_FILETYPE_PEM);
    }
    stream_.set_verify_callback(ssl::host_name_verification("localhost"));
    SSL_set_tlsext_host_name(stream_.native_handle(), "localhost");
    Run([&](auto done) {
      beast::get_lowest_layer(stream_).async_connect(
          net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
          [done](auto ec) { done(ec); });
    });
    Run([&](auto done) { stream_.async_handshake(ssl::stream_base::client, done); });
  }

  Reply Get(const std::string& target) {
    Send(target);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    Run([&](auto done) {
      http::async_read(stream_, buf_, parser, [done](auto ec, auto) { done(ec); });
    });
    const auto& res = parser.get();
    return {int(res.result_int()), std::string(res[http::field::content_type]),
            std::string(res[http::field::transfer_encoding]),
            json::parse(res.body(), nullptr, false)};
  }

  // Sends a GET and reads the response header; the body is then read with NextLine().
  Reply StartWatch(const std::string& target) {
    Send(target);
    watch_.emplace();
    watch_->on_chunk_body(on_chunk_);  // the parser keeps a reference: a member
    Run([&](auto done) {
      http::async_read_header(stream_, buf_, *watch_, [done](auto ec, auto) { done(ec); });
    });
    const auto& res = watch_->get();
    return {int(res.result_int()), std::string(res[http::field::content_type]),
            std::string(res[http::field::transfer_encoding]), nullptr};
  }

  // The next line of the watch body; nullopt at its (clean) end. Fails the test on a timeout.
  std::optional<std::string> NextLine(std::chrono::milliseconds limit = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (const auto nl = pending_.find('\n'); nl != std::string::npos) {
        std::string line = pending_.substr(0, nl);
        pending_.erase(0, nl + 1);
        return line;
      }
      if (watch_->is_done()) return std::nullopt;
      beast::error_code ec;
      bool done = false;
      http::async_read_some(stream_, buf_, *watch_, [&](auto e, auto) { ec = e, done = true; });
      io_.restart();
      io_.run_for(deadline - std::chrono::steady_clock::now());
      if (!done) break;
      if (ec) ADD_FAILURE() << "watch read: " << ec.message();
      if (ec) return std::nullopt;
    }
    ADD_FAILURE() << "no watch line within " << limit.count() << " ms";
    return std::nullopt;
  }

  json NextEvent(std::chrono::milliseconds limit = 5s) {
    const auto line = NextLine(limit);
    return line ? json::parse(*line, nullptr, false) : json();
  }

 private:
  template <class Start>
  void Run(Start start) {
    beast::error_code ec;
    bool done = false;
    start([&](beast::error_code e) { ec = e, done = true; });
    io_.restart();
    io_.run_for(5s);
    if (!done) throw std::runtime_error("timeout");
    if (ec) throw std::runtime_error(ec.message());
  }

  void Send(const std::string& target) {
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::accept, "application/json");
    if (!token_.empty()) req.set(http::field::authorization, "Bearer " + token_);
    Run([&](auto done) { http::async_write(stream_, req, [done](auto ec, auto) { done(ec); }); });
  }

  std::string token_;
  net::io_context io_;
  ssl::context ctx_{ssl::context::tls_client};
  beast::ssl_stream<beast::tcp_stream> stream_{io_, ctx_};
  beast::flat_buffer buf_;
  std::optional<http::response_parser<http::empty_body>> watch_;
  std::string pending_;
  std::function<std::size_t(std::uint64_t, std::string_view, beast::error_code&)> on_chunk_ =
      [this](std::uint64_t, std::string_view body, beast::error_code&) {
        pending_ += body;
        return body.size();
      };
};

json Ingress(const std::string& ns, const std::string& name,
             const std::string& host = "a.example.com") {
  return {{"metadata", {{"name", name}, {"namespace", ns}}},
          {"spec", {{"ingressClassName", "alb"}, {"rules", {{{"host", host}}}}}}};
}

json Service(const std::string& ns, const std::string& name) {
  return {{"metadata", {{"name", name}, {"namespace", ns}}},
          {"spec", {{"ports", {{{"port", 80}, {"protocol", "TCP"}}}}}}};
}

class FakeApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("fake-apiserver");
    pki_ = MakePki(dir_ + "/pki");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  FakeApiServerOptions Options() const {
    FakeApiServerOptions o;
    o.cert_file = pki_.server_cert;
    o.key_file = pki_.server_key;
    o.bookmark_interval = 50ms;
    return o;
  }

  // Waits (bounded) until pred() holds.
  template <class Pred>
  static bool Eventually(Pred pred) {
    for (int i = 0; i < 500; ++i) {
      if (pred()) return true;
      std::this_thread::sleep_for(10ms);
    }
    return pred();
  }

  static void ExpectStatus(const Reply& r, int code, const std::string& reason) {
    EXPECT_EQ(r.status, code);
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(r.body.value("kind", ""), "Status");
    EXPECT_EQ(r.body.value("apiVersion", ""), "v1");
    EXPECT_EQ(r.body.value("status", ""), "Failure");
    EXPECT_EQ(r.body.value("reason", ""), reason) << r.body.dump();
    EXPECT_EQ(r.body.value("code", 0), code);
    EXPECT_FALSE(r.body.value("message", "").empty());
  }

  std::string dir_;
  Pki pki_;
};

TEST_F(FakeApiServerTest, ListsPagesInKeyOrderWithContinueTokens) {
  FakeApiServer server(Options());
  for (const auto& [ns, name] : std::vector<std::pair<std::string, std::string>>{
           {"b", "svc-1"}, {"a", "svc-2"}, {"a", "svc-1"}, {"c", "svc-0"}, {"a-b", "x"}}) {
    server.Upsert("services", Service(ns, name));
  }
  KubeClient c(server.port(), pki_);
  const Reply all = c.Get("/api/v1/services");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.body["kind"], "ServiceList");
  EXPECT_EQ(all.body["apiVersion"], "v1");
  EXPECT_EQ(all.body["metadata"]["resourceVersion"], server.ResourceVersion());
  ASSERT_EQ(all.body["items"].size(), 5u);
  EXPECT_FALSE(all.body["items"][0].contains("kind")) << "built-in list items carry no kind";

  std::vector<std::string> seen;
  std::string target = "/api/v1/services?limit=2";
  for (int page = 0; page < 10; ++page) {
    const Reply r = c.Get(target);
    ASSERT_EQ(r.status, 200) << r.body.dump();
    EXPECT_EQ(r.body["metadata"]["resourceVersion"], all.body["metadata"]["resourceVersion"]);
    for (const auto& item : r.body["items"])
      seen.push_back(item["metadata"]["namespace"].get<std::string>() + "/" +
                     item["metadata"]["name"].get<std::string>());
    if (!r.body["metadata"].contains("continue")) break;
    EXPECT_EQ(r.body["metadata"]["remainingItemCount"], 5 - seen.size());
    target =
        "/api/v1/services?limit=2&continue=" + r.body["metadata"]["continue"].get<std::string>();
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a-b/x", "a/svc-1", "a/svc-2", "b/svc-1", "c/svc-0"}));

  const Reply ns = c.Get("/api/v1/namespaces/a/services");
  ASSERT_EQ(ns.body["items"].size(), 2u);
  const Reply one = c.Get("/api/v1/namespaces/a/services/svc-2");
  EXPECT_EQ(one.status, 200);
  EXPECT_EQ(one.body["kind"], "Service");
  EXPECT_EQ(one.body["metadata"]["name"], "svc-2");
  ExpectStatus(c.Get("/api/v1/namespaces/a/services/nope"), 404, "NotFound");
  EXPECT_EQ(c.Get("/api/v1/namespaces/a/services/nope").body["message"],
            "services \"nope\" not found");
  const Reply by_field = c.Get("/api/v1/services?fieldSelector=metadata.name%3Dsvc-1");
  EXPECT_EQ(by_field.body["items"].size(), 2u);
}

TEST_F(FakeApiServerTest, CustomResourceListsKeepKindAndUpsertFillsMetadata) {
  FakeApiServer server(Options());
  const std::string rv = server.Upsert("targetgroupbindings.elbv2.k8s.aws",
                                       {{"metadata", {{"name", "tgb"}, {"namespace", "ns1"}}},
                                        {"spec", {{"targetGroupARN", "arn:x"}}}});
  KubeClient c(server.port(), pki_);
  const Reply r = c.Get("/apis/elbv2.k8s.aws/v1beta1/namespaces/ns1/targetgroupbindings");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["kind"], "TargetGroupBindingList");
  const json& item = r.body["items"][0];
  EXPECT_EQ(item["kind"], "TargetGroupBinding");
  EXPECT_EQ(item["apiVersion"], "elbv2.k8s.aws/v1beta1");
  EXPECT_EQ(item["metadata"]["resourceVersion"], rv);
  EXPECT_EQ(item["metadata"]["uid"].get<std::string>().size(), 36u);
  EXPECT_TRUE(item["metadata"].contains("creationTimestamp"));
  EXPECT_EQ(std::stoull(server.Upsert("ingressclasses.networking.k8s.io",
                                      {{"metadata", {{"name", "alb"}}}})),
            std::stoull(rv) + 1);
  EXPECT_THROW(server.Upsert("pods", {{"metadata", {{"name", "p"}}}}), std::invalid_argument);
  ExpectStatus(c.Get("/api/v1/pods"), 404, "NotFound");
  ExpectStatus(c.Get("/apis/apps/v1/deployments"), 404, "NotFound");
}

TEST_F(FakeApiServerTest, WatchStreamsEventsInOrder) {
  FakeApiServer server(Options());
  server.Upsert(kIngresses, Ingress("team-a", "old"));
  KubeClient lister(server.port(), pki_);
  const std::string rv =
      lister.Get("/apis/networking.k8s.io/v1/ingresses").body["metadata"]["resourceVersion"];

  KubeClient w(server.port(), pki_);
  const Reply head =
      w.StartWatch("/apis/networking.k8s.io/v1/ingresses?watch=1&resourceVersion=" + rv);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.content_type, "application/json");
  EXPECT_EQ(head.transfer_encoding, "chunked");
  ASSERT_TRUE(Eventually([&] { return server.OpenWatches(kIngresses) == 1; }));
  const std::string rv1 = server.Upsert(kIngresses, Ingress("team-a", "web"));
  const std::string rv2 = server.Upsert(kIngresses, Ingress("team-a", "web", "b.example.com"));
  server.Upsert("services", Service("team-a", "not-watched"));
  server.Remove(kIngresses, "team-a", "web");
  const json e1 = w.NextEvent(), e2 = w.NextEvent(), e3 = w.NextEvent();
  EXPECT_EQ(e1["type"], "ADDED");
  EXPECT_EQ(e1["object"]["kind"], "Ingress");
  EXPECT_EQ(e1["object"]["apiVersion"], "networking.k8s.io/v1");
  EXPECT_EQ(e1["object"]["metadata"]["resourceVersion"], rv1);
  EXPECT_EQ(e2["type"], "MODIFIED");
  EXPECT_EQ(e2["object"]["metadata"]["resourceVersion"], rv2);
  EXPECT_EQ(e2["object"]["spec"]["rules"][0]["host"], "b.example.com");
  EXPECT_EQ(e2["object"]["metadata"]["uid"], e1["object"]["metadata"]["uid"]);
  EXPECT_EQ(e3["type"], "DELETED");
  EXPECT_EQ(e3["object"]["metadata"]["resourceVersion"], std::to_string(std::stoull(rv2) + 2));

  // From "0" (any) and "" (most recent): the current objects as ADDED first.
  for (const char* from : {"&resourceVersion=0", ""}) {
    KubeClient w0(server.port(), pki_);
    w0.StartWatch(std::string("/apis/networking.k8s.io/v1/namespaces/team-a/ingresses?watch=true") +
                  from);
    const json first = w0.NextEvent();
    EXPECT_EQ(first["type"], "ADDED");
    EXPECT_EQ(first["object"]["metadata"]["name"], "old");
  }
}

TEST_F(FakeApiServerTest, ResumedWatchReplaysHistoryAndNamespaceFilter) {
  FakeApiServer server(Options());
  const std::string start = server.ResourceVersion();
  server.Upsert(kIngresses, Ingress("a", "one"));
  server.Upsert(kIngresses, Ingress("b", "two"));
  server.Upsert(kIngresses, Ingress("a", "three"));
  KubeClient w(server.port(), pki_);
  w.StartWatch("/apis/networking.k8s.io/v1/namespaces/a/ingresses?watch=1&resourceVersion=" +
               start);
  EXPECT_EQ(w.NextEvent()["object"]["metadata"]["name"], "one");
  EXPECT_EQ(w.NextEvent()["object"]["metadata"]["name"], "three");
}

TEST_F(FakeApiServerTest, BookmarksOnOpenAndPeriodically) {
  FakeApiServer server(Options());
  server.Upsert(kIngresses, Ingress("a", "one"));
  const std::string rv = server.ResourceVersion();
  KubeClient w(server.port(), pki_);
  w.StartWatch(
      "/apis/networking.k8s.io/v1/ingresses?watch=1&allowWatchBookmarks=true&resourceVersion=" +
      rv);
  const json b1 = w.NextEvent();
  EXPECT_EQ(
      b1,
      json::parse(
          R"({"type":"BOOKMARK","object":{"kind":"Ingress","apiVersion":"networking.k8s.io/v1","metadata":{"resourceVersion":")" +
          rv + R"("}}})"));
  server.Upsert(kIngresses, Ingress("a", "two"));
  // A periodic bookmark may come before the event (on a loaded machine the 50 ms tick can fall
  // between the bookmark above and the upsert); it still carries the version it was sent at.
  json event = w.NextEvent();
  while (event["type"] == "BOOKMARK") {
    EXPECT_EQ(event["object"]["metadata"]["resourceVersion"], rv);
    event = w.NextEvent();
  }
  EXPECT_EQ(event["type"], "ADDED");
  const json b2 = w.NextEvent();  // after the 50 ms interval
  EXPECT_EQ(b2["type"], "BOOKMARK");
  EXPECT_EQ(b2["object"]["metadata"]["resourceVersion"], server.ResourceVersion());

  KubeClient quiet(server.port(), pki_);  // no allowWatchBookmarks: no bookmark
  quiet.StartWatch(
      "/apis/networking.k8s.io/v1/ingresses?watch=1&timeoutSeconds=1&resourceVersion=" + rv);
  EXPECT_EQ(quiet.NextEvent()["type"], "ADDED");
  EXPECT_EQ(quiet.NextLine(), std::nullopt) << "ends cleanly after timeoutSeconds";
}

TEST_F(FakeApiServerTest, SendInitialEventsEndsWithAnnotatedBookmark) {
  FakeApiServer server(Options());
  server.Upsert(kIngresses, Ingress("a", "one"));
  KubeClient w(server.port(), pki_);
  w.StartWatch(
      "/apis/networking.k8s.io/v1/ingresses?watch=1&sendInitialEvents=true&allowWatchBookmarks=true"
      "&resourceVersionMatch=NotOlderThan");
  EXPECT_EQ(w.NextEvent()["type"], "ADDED");
  const json b = w.NextEvent();
  EXPECT_EQ(b["type"], "BOOKMARK");
  EXPECT_EQ(b["object"]["metadata"]["annotations"]["k8s.io/initial-events-end"], "true");
}

TEST_F(FakeApiServerTest, WatchFromCompactedVersionGets410ErrorEvent) {
  FakeApiServer server(Options());
  const std::string old = server.Upsert(kIngresses, Ingress("a", "one"));
  server.Upsert(kIngresses, Ingress("a", "two"));
  server.Compact();
  KubeClient w(server.port(), pki_);
  EXPECT_EQ(
      w.StartWatch("/apis/networking.k8s.io/v1/ingresses?watch=1&resourceVersion=" + old).status,
      200);
  const json e = w.NextEvent();
  EXPECT_EQ(e["type"], "ERROR");
  EXPECT_EQ(e["object"]["kind"], "Status");
  EXPECT_EQ(e["object"]["apiVersion"], "v1");
  EXPECT_EQ(e["object"]["status"], "Failure");
  EXPECT_EQ(e["object"]["code"], 410);
  EXPECT_EQ(e["object"]["reason"], "Expired");
  EXPECT_EQ(w.NextLine(), std::nullopt) << "the stream ends after the ERROR event";
  // The current version still works.
  KubeClient ok(server.port(), pki_);
  ok.StartWatch("/apis/networking.k8s.io/v1/ingresses?watch=1&resourceVersion=" +
                server.ResourceVersion());
  server.Upsert(kIngresses, Ingress("a", "three"));
  EXPECT_EQ(ok.NextEvent()["type"], "ADDED");
}

TEST_F(FakeApiServerTest, WatchFromCompactedVersionCanBeHttp410) {
  FakeApiServer server(Options());
  const std::string old = server.Upsert(kIngresses, Ingress("a", "one"));
  server.Upsert(kIngresses, Ingress("a", "two"));
  server.Compact();
  server.SetWatchExpiryAsHttpStatus(true);
  KubeClient w(server.port(), pki_);
  ExpectStatus(w.Get("/apis/networking.k8s.io/v1/ingresses?watch=1&resourceVersion=" + old), 410,
               "Expired");
  EXPECT_EQ(server.OpenWatches(kIngresses), 0u);
  // A current resourceVersion still streams.
  KubeClient ok(server.port(), pki_);
  EXPECT_EQ(ok.StartWatch("/apis/networking.k8s.io/v1/ingresses?watch=1&resourceVersion=" +
                          server.ResourceVersion())
                .status,
            200);
  server.Upsert(kIngresses, Ingress("a", "three"));
  EXPECT_EQ(ok.NextEvent()["type"], "ADDED");
}

TEST_F(FakeApiServerTest, HistoryLimitExpiresOldVersions) {
  auto options = Options();
  options.history_limit = 2;
  FakeApiServer server(options);
  const std::string first = server.Upsert(kIngresses, Ingress("a", "1"));
  for (const char* n : {"2", "3", "4"}) server.Upsert(kIngresses, Ingress("a", n));
  KubeClient w(server.port(), pki_);
  w.StartWatch("/apis/networking.k8s.io/v1/ingresses?watch=1&resourceVersion=" + first);
  EXPECT_EQ(w.NextEvent()["object"]["code"], 410);
  KubeClient w2(server.port(), pki_);  // the last two events are still there
  w2.StartWatch("/apis/networking.k8s.io/v1/ingresses?watch=1&resourceVersion=" +
                std::to_string(std::stoull(first) + 1));
  EXPECT_EQ(w2.NextEvent()["object"]["metadata"]["name"], "3");
}

TEST_F(FakeApiServerTest, ExpiredContinueTokenIsHttp410) {
  FakeApiServer server(Options());
  for (const char* n : {"a", "b", "c"}) server.Upsert("namespaces", {{"metadata", {{"name", n}}}});
  KubeClient c(server.port(), pki_);
  const std::string token = c.Get("/api/v1/namespaces?limit=1").body["metadata"]["continue"];
  server.SetPageExpiry(true);
  ExpectStatus(c.Get("/api/v1/namespaces?limit=1&continue=" + token), 410, "Expired");
  server.SetPageExpiry(false);
  EXPECT_EQ(c.Get("/api/v1/namespaces?limit=1&continue=" + token).status, 200);
  server.Upsert("namespaces", {{"metadata", {{"name", "d"}}}});
  server.Compact();
  ExpectStatus(c.Get("/api/v1/namespaces?limit=1&continue=" + token), 410, "Expired");
  ExpectStatus(c.Get("/api/v1/namespaces?limit=1&continue=garbage!"), 400, "BadRequest");
}

TEST_F(FakeApiServerTest, WrongTokenIs401AndSetTokenRotates) {
  FakeApiServer server(Options());
  ExpectStatus(KubeClient(server.port(), pki_, "wrong").Get("/api/v1/services"), 401,
               "Unauthorized");
  ExpectStatus(KubeClient(server.port(), pki_, "").Get("/api"), 401, "Unauthorized");
  EXPECT_EQ(KubeClient(server.port(), pki_).Get("/api/v1/services").status, 200);
  server.SetToken("rotated");
  ExpectStatus(KubeClient(server.port(), pki_).Get("/api/v1/services"), 401, "Unauthorized");
  EXPECT_EQ(KubeClient(server.port(), pki_, "rotated").Get("/api/v1/services").status, 200);
}

TEST_F(FakeApiServerTest, ClientCertificateReplacesToken) {
  auto options = Options();
  options.client_ca_file = pki_.ca_cert;
  FakeApiServer server(options);
  EXPECT_EQ(
      KubeClient(server.port(), pki_, "", /*client_cert=*/true).Get("/api/v1/services").status,
      200);
  ExpectStatus(KubeClient(server.port(), pki_, "").Get("/api/v1/services"), 401, "Unauthorized");
}

TEST_F(FakeApiServerTest, StatusSwitch403And404And500) {
  FakeApiServer server(Options());
  KubeClient c(server.port(), pki_);
  server.SetStatus(kIngresses, 403);
  const Reply forbidden = c.Get("/apis/networking.k8s.io/v1/ingresses");
  ExpectStatus(forbidden, 403, "Forbidden");
  EXPECT_EQ(forbidden.body["details"],
            json::parse(R"({"group":"networking.k8s.io","kind":"ingresses"})"));
  ExpectStatus(c.Get("/apis/networking.k8s.io/v1/ingresses?watch=1"), 403, "Forbidden");
  EXPECT_EQ(c.Get("/apis/networking.k8s.io/v1/ingressclasses").status, 200);

  server.SetStatus("ingressclassparams.elbv2.k8s.aws", 404);
  server.SetStatus("targetgroupbindings.elbv2.k8s.aws", 404);
  ExpectStatus(c.Get("/apis/elbv2.k8s.aws/v1beta1/targetgroupbindings"), 404, "NotFound");
  ExpectStatus(c.Get("/apis/elbv2.k8s.aws/v1beta1"), 404, "NotFound");
  EXPECT_EQ(c.Get("/apis").body["groups"].size(), 1u) << "the CRD group left discovery";
  server.SetStatus("services", 500);
  ExpectStatus(c.Get("/api/v1/services"), 500, "InternalError");

  for (const char* r : {kIngresses, "ingressclassparams.elbv2.k8s.aws",
                        "targetgroupbindings.elbv2.k8s.aws", "services"})
    server.SetStatus(r, 0);
  EXPECT_EQ(c.Get("/apis/networking.k8s.io/v1/ingresses").status, 200);
  EXPECT_EQ(c.Get("/apis").body["groups"].size(), 2u);
}

TEST_F(FakeApiServerTest, DiscoveryDocuments) {
  FakeApiServer server(Options());
  KubeClient c(server.port(), pki_);
  EXPECT_EQ(c.Get("/api").body["versions"], json::parse(R"(["v1"])"));
  EXPECT_EQ(c.Get("/version").body["major"], "1");
  const Reply core = c.Get("/api/v1");
  EXPECT_EQ(core.body["kind"], "APIResourceList");
  EXPECT_EQ(core.body["resources"].size(), 2u);
  const Reply net = c.Get("/apis/networking.k8s.io/v1");
  EXPECT_EQ(net.body["groupVersion"], "networking.k8s.io/v1");
  EXPECT_EQ(net.body["resources"][1]["name"], "ingresses");
  EXPECT_EQ(net.body["resources"][1]["namespaced"], true);
  const Reply elb = c.Get("/apis/elbv2.k8s.aws/v1beta1");
  EXPECT_EQ(elb.body["resources"][0]["kind"], "IngressClassParams");
  EXPECT_EQ(elb.body["resources"][0]["namespaced"], false);
}

TEST_F(FakeApiServerTest, DropWatchesEndsEveryStreamCleanly) {
  FakeApiServer server(Options());
  KubeClient a(server.port(), pki_), b(server.port(), pki_);
  a.StartWatch("/apis/networking.k8s.io/v1/ingresses?watch=1");
  b.StartWatch("/api/v1/services?watch=1");
  ASSERT_TRUE(Eventually([&] { return server.OpenWatches() == 2; }));
  EXPECT_EQ(server.OpenWatches("services"), 1u);
  server.DropWatches();
  EXPECT_EQ(a.NextLine(), std::nullopt);
  EXPECT_EQ(b.NextLine(), std::nullopt);
  EXPECT_EQ(server.OpenWatches(), 0u);
  EXPECT_EQ(b.Get("/api/v1/services").status, 200) << "keep-alive after the watch ended";
  EXPECT_EQ(server.Requests("/api/v1/services", "watch=1"), 1u);
  EXPECT_EQ(server.Requests("/api/v1/services"), 2u);
}

TEST_F(FakeApiServerTest, InjectRawAndLatency) {
  FakeApiServer server(Options());
  KubeClient w(server.port(), pki_);
  w.StartWatch("/apis/networking.k8s.io/v1/ingresses?watch=1");
  ASSERT_TRUE(Eventually([&] { return server.OpenWatches() == 1; }));
  server.InjectRaw(kIngresses, "{not json");
  EXPECT_EQ(w.NextLine(), "{not json");
  server.SetLatency(100ms);
  KubeClient c(server.port(), pki_);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(c.Get("/api/v1/namespaces").status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 100ms);
}

TEST_F(FakeApiServerTest, WriteKubeconfigNamesServerCaAndToken) {
  FakeApiServer server(Options());
  const std::string text = ReadFile(server.WriteKubeconfig(dir_, pki_.ca_cert));
  EXPECT_NE(text.find("server: " + server.url() + "\n"), std::string::npos) << text;
  EXPECT_NE(text.find("certificate-authority: " + pki_.ca_cert + "\n"), std::string::npos) << text;
  EXPECT_NE(text.find("token: test-token\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace albwebhook::testing
