#include <string>
#include <vector>

#include "tools/fake_apiserver_impl.hpp"

// Request handling of the fake API server: routing, discovery, get, list, watch start, and the
// event history. Runs with Impl::mutex held.
namespace albwebhook::testing {

namespace {

Answer JsonAnswer(const json& body) {
  return {unsigned(body.value("code", 200)), body.dump() + "\n", "application/json", nullptr};
}
Answer OkAnswer(const json& body) { return {200, body.dump() + "\n", "application/json", nullptr}; }

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
    return JsonAnswer(fakeapi::Status(
        405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
        json::object()));
  }
  return Route(path, query);
}

Answer FakeApiServer::Impl::Route(const std::string& path, const std::string& query) {
  if (path == "/version" || path == "/version/") return OkAnswer(fakeapi::VersionInfo());
  if (path == "/healthz" || path == "/livez" || path == "/readyz")
    return {200, "ok", "text/plain", nullptr};
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

Answer FakeApiServer::Impl::Resource(const std::vector<std::string>& seg,
                                     const std::string& query) {
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
    case 403:
      return JsonAnswer(fakeapi::ForbiddenStatus(*r,
                                                 watch ? "watch"
                                                 : get ? "get"
                                                       : "list",
                                                 sel.ns));
    case 404:
      return JsonAnswer(fakeapi::ResourceNotFoundStatus());
    case 500:
      return JsonAnswer(fakeapi::InternalErrorStatus(*r));
    default:
      break;
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
  return OkAnswer({{"kind", r.kind + "List"},
                   {"apiVersion", r.ApiVersion()},
                   {"metadata", metadata},
                   {"items", items}});
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
      return JsonAnswer(
          fakeapi::Status(400, "BadRequest", "resourceVersion: Invalid value: \"" + from + "\""));
    }
    if (*n < compacted) {
      if (watch_expiry_as_status)
        return JsonAnswer(fakeapi::TooOldResourceVersionStatus(*n, compacted + 1));
      w->lines.push_back(
          EventLine("ERROR", fakeapi::TooOldResourceVersionStatus(*n, compacted + 1)));
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

std::string FakeApiServer::Impl::BookmarkLine(const ResourceInfo& r,
                                              bool initial_events_end) const {
  json meta = {{"resourceVersion", std::to_string(rv)}};
  if (initial_events_end) meta["annotations"] = {{"k8s.io/initial-events-end", "true"}};
  return EventLine("BOOKMARK",
                   {{"kind", r.kind}, {"apiVersion", r.ApiVersion()}, {"metadata", meta}});
}

void FakeApiServer::Impl::Push(const std::shared_ptr<Watch>& w, std::string line) {
  w->lines.push_back(std::move(line));
  net::post(*io, [w] { w->wake.cancel(); });
}

void FakeApiServer::Impl::Record(const ResourceInfo& r, const std::string& ns,
                                 const std::string& name, const char* type, const json& object) {
  std::string line = EventLine(type, object);
  for (const auto& w : watches) {
    if (w->resource == &r && !w->closed && Selector{w->ns, w->name}.Matches(ns, name))
      Push(w, line);
  }
  history.push_back({rv, &r, ns, name, std::move(line)});
  while (history.size() > options.history_limit) {
    compacted = history.front().rv;
    history.pop_front();
  }
}

}  // namespace albwebhook::testing
