#pragma once

// Internals of the fake API server (tests/support/fake_apiserver.cpp and
// tests/tools/fake_apiserver_requests.cpp). Test-only.
#include <openssl/ssl.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/fake_apiserver.hpp"
#include "tools/fake_apiserver_protocol.hpp"

namespace albwebhook::testing {

namespace fakeapi {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using json = nlohmann::json;
using tcp = net::ip::tcp;
using Stream = beast::ssl_stream<beast::tcp_stream>;
using Clock = std::chrono::steady_clock;

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

// Selection of a list or watch: namespace and name ("" = any), from the path and fieldSelector.
struct Selector {
  std::string ns, name;
  bool selective = false;  // a fieldSelector was given (no remainingItemCount then)
  bool Matches(const std::string& ons, const std::string& oname) const {
    return (ns.empty() || ns == ons) && (name.empty() || name == oname);
  }
};

inline std::string Key(const std::string& ns, const std::string& name) {
  return ns.empty() ? name : ns + "/" + name;
}

inline std::string EventLine(const char* type, const json& object) {
  return json{{"type", type}, {"object", object}}.dump();
}
}  // namespace fakeapi

using namespace fakeapi;  // NOLINT: internal header of a test helper

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
  bool watch_expiry_as_status = false;
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
  Answer List(const ResourceInfo& r, const Selector& sel,
              const std::map<std::string, std::string>& q);
  Answer StartWatch(const ResourceInfo& r, const Selector& sel,
                    const std::map<std::string, std::string>& q);
  void Record(const ResourceInfo& r, const std::string& ns, const std::string& name,
              const char* type, const json& object);
  void Push(const std::shared_ptr<Watch>& w, std::string line);
  std::set<std::string> Hidden() const;
  std::string BookmarkLine(const ResourceInfo& r, bool initial_events_end) const;
};

}  // namespace albwebhook::testing
