#include "support/fake_apiserver.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tools/fake_apiserver_protocol.hpp"

namespace albwebhook::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using json = nlohmann::json;
using tcp = net::ip::tcp;
using Stream = beast::ssl_stream<beast::tcp_stream>;
using Clock = std::chrono::steady_clock;
using fakeapi::ResourceInfo;

namespace {

// One open watch. lines/closed are guarded by Impl::mutex; wake is used on the io thread only.
struct Watch {
  explicit Watch(net::any_io_executor ex) : wake(std::move(ex)) {}
  const ResourceInfo* resource = nullptr;
  std::string ns, name;  // filters ("" = any)
  bool bookmarks = false;
  std::deque<std::string> lines;
  bool closed = false;
  Clock::time_point deadline;
  net::steady_timer wake;
};

struct HistoryEntry {
  std::uint64_t rv;
  const ResourceInfo* resource;
  std::string ns, name, line;
};

// A handler's answer: a JSON body, or a watch to stream.
struct Answer {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::shared_ptr<Watch> watch;
};

Answer JsonAnswer(const json& body) {
  return {unsigned(body.value("code", 200)), body.dump() + "\n", "application/json", nullptr};
}
Answer OkAnswer(const json& body) { return {200, body.dump() + "\n", "application/json", nullptr}; }

std::string Key(const std::string& ns, const std::string& name) {
  return ns.empty() ? name : ns + "/" + name;
}

std::string EventLine(const char* type, const json& object) {
  return json{{"type", type}, {"object", object}}.dump();
}

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> out;
  while (!path.empty() && out.size() < 16) {
    const auto slash = path.find('/');
    if (slash != 0) out.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

// Selection of a list or watch: namespace and name ("" = any), from the path and fieldSelector.
struct Selector {
  std::string ns, name;
  bool selective = false;  // a fieldSelector was given (no remainingItemCount then)
  bool Matches(const std::string& ons, const std::string& oname) const {
    return (ns.empty() || ns == ons) && (name.empty() || name == oname);
  }
};

// "" or the error message of an unsupported fieldSelector.
std::string ApplyFieldSelector(const std::string& selector, Selector& sel) {
  std::string_view rest = selector;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view term = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const auto eq = term.find('=');
    if (eq == std::string_view::npos || (eq > 0 && term[eq - 1] == '!'))
      return "unsupported field selector: " + std::string(term);
    std::string value(term.substr(term.substr(eq).starts_with("==") ? eq + 2 : eq + 1));
    const std::string_view field = term.substr(0, eq);
    sel.selective = true;
    std::string& slot = field == "metadata.name" ? sel.name : sel.ns;
    if (field != "metadata.name" && field != "metadata.namespace")
      return "field label not supported: " + std::string(field);
    if (!slot.empty() && slot != value) value = "\x01";  // contradicts the path: nothing matches
    slot = value;
  }
  return "";
}

bool TrueParam(const std::map<std::string, std::string>& q, const std::string& key) {
  const auto it = q.find(key);
  return it != q.end() && (it->second == "true" || it->second == "1");
}

std::string Param(const std::map<std::string, std::string>& q, const std::string& key) {
  const auto it = q.find(key);
  return it == q.end() ? "" : it->second;
}

}  // namespace

struct FakeApiServer::Impl {
  explicit Impl(FakeApiServerOptions o) : options(std::move(o)), token(options.token) {}

  FakeApiServerOptions options;
  std::unique_ptr<net::io_context> io = std::make_unique<net::io_context>(1);
  ssl::context tls{ssl::context::tls_server};
  std::unique_ptr<tcp::acceptor> acceptor;
  std::thread thread;
  std::uint16_t port = 0;

  mutable std::mutex mutex;  // guards everything below
  std::string token;
  std::map<std::string, int> status;
  std::chrono::milliseconds latency{0};
  bool page_expiry = false;
  std::uint64_t rv = 1000;         // the last resourceVersion assigned
  std::uint64_t compacted = 1000;  // history holds every event with a resourceVersion above it
  std::map<std::string, std::map<std::string, json>> store;  // resource -> ns/name -> object
  std::deque<HistoryEntry> history;
  std::vector<std::shared_ptr<Watch>> watches;
  std::vector<std::pair<std::string, std::string>> requests;  // path, raw query

  void SetUpTls();
  void Start();
  void Stop();
  net::awaitable<void> Accept();
  net::awaitable<void> Session(tcp::socket socket);
  net::awaitable<bool> ServeWatch(Stream& stream, const std::shared_ptr<Watch>& w,
                                  const http::request<http::string_body>& req);
  Answer Handle(const http::request<http::string_body>& req, bool cert_ok);
  Answer Route(const std::string& path, const std::string& query);
  Answer Resource(const std::vector<std::string>& segments, const std::string& query);
  Answer List(const ResourceInfo& r, const Selector& sel, const std::map<std::string, std::string>& q);
  Answer StartWatch(const ResourceInfo& r, const Selector& sel,
                    const std::map<std::string, std::string>& q);
  void Record(const ResourceInfo& r, const std::string& ns, const std::string& name,
              const char* type, const json& object);
  void Push(const std::shared_ptr<Watch>& w, std::string line);
  std::set<std::string> Hidden() const;
  std::string BookmarkLine(const ResourceInfo& r, bool initial_events_end) const;
};

// ---- Lifecycle --------------------------------------------------------------------------------

void FakeApiServer::Impl::SetUpTls() {
  SSL_CTX* ctx = tls.native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  tls.set_options(ssl::context::default_workarounds | ssl::context::no_compression);
  tls.use_certificate_chain_file(options.cert_file);
  tls.use_private_key_file(options.key_file, ssl::context::pem);
  static const unsigned char kSessionId[] = "fake-apiserver";
  SSL_CTX_set_session_id_context(ctx, kSessionId, sizeof(kSessionId) - 1);
  SSL_CTX_set_alpn_select_cb(
      ctx,
      [](SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
         unsigned inlen, void*) -> int {
        static const unsigned char kHttp11[] = "\x08http/1.1";
        unsigned char* chosen = nullptr;
        if (SSL_select_next_proto(&chosen, outlen, kHttp11, sizeof(kHttp11) - 1, in, inlen) !=
            OPENSSL_NPN_NEGOTIATED)
          return SSL_TLSEXT_ERR_NOACK;
        *out = chosen;
        return SSL_TLSEXT_ERR_OK;
      },
      nullptr);
  if (!options.client_ca_file.empty()) {
    tls.load_verify_file(options.client_ca_file);
    SSL_CTX_set_client_CA_list(ctx, SSL_load_client_CA_file(options.client_ca_file.c_str()));
    tls.set_verify_mode(ssl::verify_peer);  // a client certificate is optional, checked if given
  }
}

void FakeApiServer::Impl::Start() {
  SetUpTls();
  const auto colon = options.listen.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("listen: want HOST:PORT");
  const tcp::endpoint ep(net::ip::make_address(options.listen.substr(0, colon)),
                         std::uint16_t(std::stoi(options.listen.substr(colon + 1))));
  acceptor = std::make_unique<tcp::acceptor>(*io, ep, /*reuse_address=*/true);
  port = acceptor->local_endpoint().port();
  net::co_spawn(*io, Accept(), net::detached);
  thread = std::thread([this] { io->run(); });
}

void FakeApiServer::Impl::Stop() {
  io->stop();
  if (thread.joinable()) thread.join();
  // Pending sessions (their sockets, timers and watch registrations) go with the io_context;
  // watches hold timers of it, so drop ours first.
  {
    std::lock_guard lock(mutex);
    watches.clear();
  }
  acceptor.reset();
  io.reset();
}

net::awaitable<void> FakeApiServer::Impl::Accept() {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor->async_accept(net::redirect_error(net::use_awaitable, ec));
    if (ec == net::error::operation_aborted || !acceptor->is_open()) co_return;
    if (ec) continue;
    net::co_spawn(*io, Session(std::move(socket)), net::detached);
  }
}

// ---- Connections ------------------------------------------------------------------------------

namespace {
bool ClientCertVerified(SSL* ssl) {
  X509* peer = SSL_get1_peer_certificate(ssl);
  const bool ok = peer != nullptr && SSL_get_verify_result(ssl) == X509_V_OK;
  X509_free(peer);
  return ok;
}
}  // namespace

net::awaitable<void> FakeApiServer::Impl::Session(tcp::socket socket) {
  Stream stream(beast::tcp_stream(std::move(socket)), tls);
  auto& lowest = beast::get_lowest_layer(stream);
  boost::system::error_code ec;
  lowest.expires_after(std::chrono::seconds(10));
  co_await stream.async_handshake(ssl::stream_base::server, net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return;
  const bool cert_ok = ClientCertVerified(stream.native_handle());
  beast::flat_buffer buffer;
  for (int served = 0; served < 1000000; ++served) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(1 << 20);
    lowest.expires_after(std::chrono::seconds(120));
    co_await http::async_read(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
    if (ec) break;
    const auto req = parser.release();
    std::chrono::milliseconds delay;
    {
      std::lock_guard lock(mutex);
      delay = latency;
    }
    if (delay.count() > 0) {
      net::steady_timer timer(co_await net::this_coro::executor, delay);
      co_await timer.async_wait(net::redirect_error(net::use_awaitable, ec));
    }
    Answer a = Handle(req, cert_ok);
    bool keep = req.keep_alive();
    if (a.watch) {
      keep = co_await ServeWatch(stream, a.watch, req) && keep;
    } else {
      http::response<http::string_body> res{http::status(a.status), req.version()};
      res.set(http::field::content_type, a.content_type);
      res.set(http::field::cache_control, "no-cache, private");
      res.body() = std::move(a.body);
      res.keep_alive(keep);
      res.prepare_payload();
      lowest.expires_after(std::chrono::seconds(30));
      co_await http::async_write(stream, res, net::redirect_error(net::use_awaitable, ec));
      if (ec) break;
    }
    if (!keep) break;
  }
  lowest.expires_after(std::chrono::seconds(2));
  co_await stream.async_shutdown(net::redirect_error(net::use_awaitable, ec));
}

net::awaitable<bool> FakeApiServer::Impl::ServeWatch(Stream& stream, const std::shared_ptr<Watch>& w,
                                                     const http::request<http::string_body>& req) {
  struct Unregister {  // also runs when the io_context is destroyed with this frame
    Impl* impl;
    const std::shared_ptr<Watch>& w;
    ~Unregister() {
      std::lock_guard lock(impl->mutex);
      w->closed = true;
      std::erase(impl->watches, w);
    }
  } unregister{this, w};
  auto& lowest = beast::get_lowest_layer(stream);
  boost::system::error_code ec;
  http::response<http::empty_body> res{http::status::ok, req.version()};
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-cache, private");
  res.keep_alive(req.keep_alive());
  res.chunked(true);
  http::response_serializer<http::empty_body> sr{res};
  lowest.expires_after(std::chrono::seconds(30));
  co_await http::async_write_header(stream, sr, net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return false;
  auto next_bookmark = w->bookmarks ? Clock::now() : Clock::time_point::max();
  for (;;) {  // bounded by w->deadline
    std::string out;
    bool closed = false;
    {
      std::lock_guard lock(mutex);
      for (auto& line : w->lines) out += line + "\n";
      w->lines.clear();
      closed = w->closed;
      if (out.empty() && !closed && Clock::now() >= next_bookmark) {
        out = BookmarkLine(*w->resource, false) + "\n";
        next_bookmark = Clock::now() + options.bookmark_interval;
      }
    }
    if (!out.empty()) {
      lowest.expires_after(std::chrono::seconds(30));
      co_await net::async_write(stream, http::make_chunk(net::buffer(out)),
                                net::redirect_error(net::use_awaitable, ec));
      if (ec) co_return false;
    }
    if (closed || Clock::now() >= w->deadline) break;
    if (!out.empty()) continue;
    w->wake.expires_at(std::min(w->deadline, next_bookmark));
    co_await w->wake.async_wait(net::redirect_error(net::use_awaitable, ec));
  }
  lowest.expires_after(std::chrono::seconds(30));
  co_await net::async_write(stream, http::make_chunk_last(), net::redirect_error(net::use_awaitable, ec));
  co_return !ec;
}

// ---- Requests ---------------------------------------------------------------------------------

Answer FakeApiServer::Impl::Handle(const http::request<http::string_body>& req, bool cert_ok) {
  const std::string target(req.target());
  const auto qmark = target.find('?');
  const std::string path = target.substr(0, qmark);
  const std::string query = qmark == std::string::npos ? "" : target.substr(qmark + 1);
  std::lock_guard lock(mutex);
  requests.emplace_back(path, query);
  if (!token.empty() && !cert_ok) {
    const std::string auth(req[http::field::authorization]);
    if (auth != "Bearer " + token) return JsonAnswer(fakeapi::UnauthorizedStatus());
  }
  if (req.method() != http::verb::get) {
    return JsonAnswer(fakeapi::Status(405, "MethodNotAllowed",
                                      "the server does not allow this method on the requested resource",
                                      json::object()));
  }
  return Route(path, query);
}

Answer FakeApiServer::Impl::Route(const std::string& path, const std::string& query) {
  if (path == "/version" || path == "/version/") return OkAnswer(fakeapi::VersionInfo());
  if (path == "/healthz" || path == "/livez" || path == "/readyz") return {200, "ok", "text/plain", nullptr};
  if (path == "/api" || path == "/api/")
    return OkAnswer(fakeapi::ApiVersions("127.0.0.1:" + std::to_string(port)));
  if (path == "/apis" || path == "/apis/") return OkAnswer(fakeapi::ApiGroupList(Hidden()));
  const auto segments = SplitPath(path);
  if (segments.size() == 2 && segments[0] == "apis") {
    const auto group = fakeapi::ApiGroup(segments[1], Hidden());
    return group ? OkAnswer(*group) : JsonAnswer(fakeapi::ResourceNotFoundStatus());
  }
  return Resource(segments, query);
}

Answer FakeApiServer::Impl::Resource(const std::vector<std::string>& seg, const std::string& query) {
  std::size_t at = 0;
  std::string prefix;
  if (seg.size() >= 2 && seg[0] == "api") {
    prefix = "/api/" + seg[1], at = 2;
  } else if (seg.size() >= 3 && seg[0] == "apis") {
    prefix = "/apis/" + seg[1] + "/" + seg[2], at = 3;
  } else {
    return JsonAnswer(fakeapi::ResourceNotFoundStatus());
  }
  std::vector<std::string> rest(seg.begin() + long(at), seg.end());
  if (rest.empty()) {
    const auto doc = fakeapi::ApiResourceList(prefix, Hidden());
    return doc ? OkAnswer(*doc) : JsonAnswer(fakeapi::ResourceNotFoundStatus());
  }
  Selector sel;
  if (rest.size() >= 3 && rest[0] == "namespaces") {
    sel.ns = rest[1];
    rest.erase(rest.begin(), rest.begin() + 2);
  }
  const ResourceInfo* r = fakeapi::FindByPath(prefix, rest[0]);
  if (r == nullptr || rest.size() > 2 || (!sel.ns.empty() && !r->namespaced) ||
      (rest.size() == 2 && r->namespaced && sel.ns.empty()))
    return JsonAnswer(fakeapi::ResourceNotFoundStatus());
  if (rest.size() == 2) sel.name = rest[1];
  const auto q = fakeapi::ParseQuery(query);
  const bool watch = TrueParam(q, "watch");
  const bool get = rest.size() == 2 && !watch;
  switch (const auto it = status.find(r->name); it == status.end() ? 0 : it->second) {
    case 403: return JsonAnswer(fakeapi::ForbiddenStatus(*r, watch ? "watch" : get ? "get" : "list", sel.ns));
    case 404: return JsonAnswer(fakeapi::ResourceNotFoundStatus());
    case 500: return JsonAnswer(fakeapi::InternalErrorStatus(*r));
    default: break;
  }
  if (get) {
    const auto& bucket = store[r->name];
    const auto found = bucket.find(Key(sel.ns, sel.name));
    return found == bucket.end() ? JsonAnswer(fakeapi::ObjectNotFoundStatus(*r, sel.name))
                                 : OkAnswer(found->second);
  }
  if (const std::string err = ApplyFieldSelector(Param(q, "fieldSelector"), sel); !err.empty())
    return JsonAnswer(fakeapi::Status(400, "BadRequest", err));
  return watch ? StartWatch(*r, sel, q) : List(*r, sel, q);
}

Answer FakeApiServer::Impl::List(const ResourceInfo& r, const Selector& sel,
                                 const std::map<std::string, std::string>& q) {
  std::size_t limit = 0;
  if (const auto l = fakeapi::ParseResourceVersion(Param(q, "limit")); l) limit = std::size_t(*l);
  fakeapi::ContinueToken from{rv, ""};
  if (const std::string cont = Param(q, "continue"); !cont.empty()) {
    const auto decoded = fakeapi::DecodeContinue(cont);
    if (!decoded)
      return JsonAnswer(fakeapi::Status(400, "BadRequest", "continue key is not valid: " + cont));
    if (page_expiry || decoded->rv < compacted) return JsonAnswer(fakeapi::ContinueExpiredStatus());
    from = *decoded;
  }
  json items = json::array();
  std::string last_key;
  std::size_t remaining = 0;
  const auto& bucket = store[r.name];
  for (auto it = bucket.lower_bound(from.start); it != bucket.end(); ++it) {
    const json& meta = it->second["metadata"];
    if (!sel.Matches(meta.value("namespace", ""), meta.value("name", ""))) continue;
    if (limit > 0 && items.size() == limit) {
      ++remaining;
      continue;
    }
    json item = it->second;
    if (r.BuiltIn()) {
      item.erase("apiVersion");
      item.erase("kind");
    }
    items.push_back(std::move(item));
    last_key = it->first;
  }
  json metadata = {{"resourceVersion", std::to_string(from.rv)}};
  if (remaining > 0) {
    metadata["continue"] = fakeapi::EncodeContinue({from.rv, last_key + std::string(1, '\0')});
    if (!sel.selective) metadata["remainingItemCount"] = remaining;
  }
  return OkAnswer({{"kind", r.kind + "List"}, {"apiVersion", r.ApiVersion()},
                   {"metadata", metadata}, {"items", items}});
}

Answer FakeApiServer::Impl::StartWatch(const ResourceInfo& r, const Selector& sel,
                                       const std::map<std::string, std::string>& q) {
  auto w = std::make_shared<Watch>(io->get_executor());
  w->resource = &r;
  w->ns = sel.ns;
  w->name = sel.name;
  w->bookmarks = TrueParam(q, "allowWatchBookmarks");
  const auto timeout = fakeapi::ParseResourceVersion(Param(q, "timeoutSeconds"));
  w->deadline = Clock::now() + (timeout && *timeout > 0 && *timeout < 1000000
                                    ? std::chrono::seconds(*timeout)
                                    : options.default_watch_timeout);
  const std::string from = Param(q, "resourceVersion");
  const bool initial = TrueParam(q, "sendInitialEvents");
  if (from.empty() || from == "0" || initial) {
    // "Get state and start at most recent" / "any": the current objects as ADDED first.
    for (const auto& [key, object] : store[r.name]) {
      const json& meta = object["metadata"];
      if (sel.Matches(meta.value("namespace", ""), meta.value("name", "")))
        w->lines.push_back(EventLine("ADDED", object));
    }
    if (initial && w->bookmarks) w->lines.push_back(BookmarkLine(r, true));
  } else {
    const auto n = fakeapi::ParseResourceVersion(from);
    if (!n) {
      return JsonAnswer(fakeapi::Status(400, "BadRequest",
                                        "resourceVersion: Invalid value: \"" + from + "\""));
    }
    if (*n < compacted) {
      w->lines.push_back(EventLine("ERROR", fakeapi::TooOldResourceVersionStatus(*n, compacted + 1)));
      w->closed = true;
      return {200, "", "application/json", w};
    }
    for (const auto& e : history) {
      if (e.rv > *n && e.resource == &r && sel.Matches(e.ns, e.name)) w->lines.push_back(e.line);
    }
  }
  watches.push_back(w);
  return {200, "", "application/json", w};
}

// ---- State ------------------------------------------------------------------------------------

std::set<std::string> FakeApiServer::Impl::Hidden() const {
  std::set<std::string> hidden;
  for (const auto& [name, code] : status)
    if (code == 404) hidden.insert(name);
  return hidden;
}

std::string FakeApiServer::Impl::BookmarkLine(const ResourceInfo& r, bool initial_events_end) const {
  json meta = {{"resourceVersion", std::to_string(rv)}};
  if (initial_events_end) meta["annotations"] = {{"k8s.io/initial-events-end", "true"}};
  return EventLine("BOOKMARK", {{"kind", r.kind}, {"apiVersion", r.ApiVersion()}, {"metadata", meta}});
}

void FakeApiServer::Impl::Push(const std::shared_ptr<Watch>& w, std::string line) {
  w->lines.push_back(std::move(line));
  net::post(*io, [w] { w->wake.cancel(); });
}

void FakeApiServer::Impl::Record(const ResourceInfo& r, const std::string& ns, const std::string& name,
                                 const char* type, const json& object) {
  std::string line = EventLine(type, object);
  for (const auto& w : watches) {
    if (w->resource == &r && !w->closed && Selector{w->ns, w->name}.Matches(ns, name)) Push(w, line);
  }
  history.push_back({rv, &r, ns, name, std::move(line)});
  while (history.size() > options.history_limit) {
    compacted = history.front().rv;
    history.pop_front();
  }
}

// ---- Public API -------------------------------------------------------------------------------

FakeApiServer::FakeApiServer(FakeApiServerOptions options)
    : impl_(std::make_shared<Impl>(std::move(options))) {
  impl_->Start();
}

FakeApiServer::~FakeApiServer() { impl_->Stop(); }

std::uint16_t FakeApiServer::port() const { return impl_->port; }

std::string FakeApiServer::url() const { return "https://127.0.0.1:" + std::to_string(port()); }

std::string FakeApiServer::Upsert(const std::string& resource, json object) {
  const ResourceInfo* r = fakeapi::FindByName(resource);
  if (r == nullptr) throw std::invalid_argument("unknown resource: " + resource);
  if (!object.is_object() || !object.contains("metadata") || !object["metadata"].is_object() ||
      !object["metadata"].contains("name") || !object["metadata"]["name"].is_string())
    throw std::invalid_argument("object without metadata.name");
  json& meta = object["metadata"];
  if (!r->namespaced) {
    meta.erase("namespace");
  } else if (!meta.contains("namespace") || !meta["namespace"].is_string() || meta["namespace"] == "") {
    meta["namespace"] = "default";
  }
  object["apiVersion"] = r->ApiVersion();
  object["kind"] = r->kind;
  const std::string ns = meta.value("namespace", ""), name = meta["name"];
  std::lock_guard lock(impl_->mutex);
  auto& bucket = impl_->store[r->name];
  const auto existing = bucket.find(Key(ns, name));
  for (const char* field : {"uid", "creationTimestamp"}) {
    if (meta.contains(field)) continue;
    if (existing != bucket.end() && existing->second["metadata"].contains(field))
      meta[field] = existing->second["metadata"][field];
    else
      meta[field] = std::string(field) == "uid" ? fakeapi::NewUid() : fakeapi::NowRfc3339();
  }
  meta["resourceVersion"] = std::to_string(++impl_->rv);
  const char* type = existing == bucket.end() ? "ADDED" : "MODIFIED";
  bucket[Key(ns, name)] = object;
  impl_->Record(*r, ns, name, type, object);
  return std::to_string(impl_->rv);
}

void FakeApiServer::Remove(const std::string& resource, const std::string& ns, const std::string& name) {
  const ResourceInfo* r = fakeapi::FindByName(resource);
  if (r == nullptr) throw std::invalid_argument("unknown resource: " + resource);
  std::lock_guard lock(impl_->mutex);
  auto& bucket = impl_->store[r->name];
  const auto it = bucket.find(Key(r->namespaced ? ns : "", name));
  if (it == bucket.end()) return;
  json object = std::move(it->second);
  bucket.erase(it);
  object["metadata"]["resourceVersion"] = std::to_string(++impl_->rv);
  impl_->Record(*r, object["metadata"].value("namespace", ""), name, "DELETED", object);
}

void FakeApiServer::Compact() {
  std::lock_guard lock(impl_->mutex);
  impl_->history.clear();
  impl_->compacted = impl_->rv;
}

void FakeApiServer::DropWatches() {
  std::lock_guard lock(impl_->mutex);
  for (const auto& w : impl_->watches) {
    w->closed = true;
    net::post(*impl_->io, [w] { w->wake.cancel(); });
  }
  impl_->watches.clear();
}

void FakeApiServer::SetToken(std::string token) {
  std::lock_guard lock(impl_->mutex);
  impl_->token = std::move(token);
}

void FakeApiServer::SetStatus(const std::string& resource, int http_status) {
  std::lock_guard lock(impl_->mutex);
  impl_->status[resource] = http_status;
}

void FakeApiServer::SetLatency(std::chrono::milliseconds delay) {
  std::lock_guard lock(impl_->mutex);
  impl_->latency = delay;
}

void FakeApiServer::SetPageExpiry(bool expire) {
  std::lock_guard lock(impl_->mutex);
  impl_->page_expiry = expire;
}

void FakeApiServer::InjectRaw(const std::string& resource, std::string line) {
  std::lock_guard lock(impl_->mutex);
  for (const auto& w : impl_->watches)
    if (w->resource->name == resource) impl_->Push(w, line);
}

std::size_t FakeApiServer::Requests(std::string_view path_prefix, std::string_view query_contains) const {
  std::lock_guard lock(impl_->mutex);
  std::size_t n = 0;
  for (const auto& [path, query] : impl_->requests)
    if (path.starts_with(path_prefix) && query.find(query_contains) != std::string::npos) ++n;
  return n;
}

std::size_t FakeApiServer::OpenWatches(const std::string& resource) const {
  std::lock_guard lock(impl_->mutex);
  std::size_t n = 0;
  for (const auto& w : impl_->watches)
    if (resource.empty() || w->resource->name == resource) ++n;
  return n;
}

std::string FakeApiServer::ResourceVersion() const {
  std::lock_guard lock(impl_->mutex);
  return std::to_string(impl_->rv);
}

std::string FakeApiServer::WriteKubeconfig(const std::string& dir, const std::string& ca_file) const {
  std::string token;
  {
    std::lock_guard lock(impl_->mutex);
    token = impl_->token;
  }
  const std::string path = (std::filesystem::path(dir) / "kubeconfig").string();
  std::ofstream out(path, std::ios::trunc);
  out << "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: " << url()
      << "\n    certificate-authority: " << std::filesystem::absolute(ca_file).string()
      << "\ncontexts:\n- name: fake\n  context:\n    cluster: fake\n    user: fake\n"
      << "current-context: fake\nusers:\n- name: fake\n  user:"
      << (token.empty() ? " {}\n" : "\n    token: " + token + "\n");
  return path;
}

}  // namespace albwebhook::testing
