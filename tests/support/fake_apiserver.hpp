#pragma once

// A fake Kubernetes API server for tests: HTTPS (TLS 1.2+, HTTP/1.1 keep-alive), bearer token
// or client-certificate auth, discovery enough for kubectl, list (limit/continue) and watch
// (chunked JSON lines, bookmarks, 410 Expired) of the six resources the cluster view watches.
// Objects live in memory; one global resourceVersion counter, as etcd's revision.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace albwebhook::testing {

struct FakeApiServerOptions {
  std::string cert_file, key_file;   // PEM server pair for 127.0.0.1/localhost (MakePki)
  std::string token = "test-token";  // required bearer token ("" = no auth)
  std::string client_ca_file;        // non-empty: also accept client certs signed by it
  // Watch events kept; a watch from an older resourceVersion gets an ERROR event (Status 410
  // Expired), a list with a continue token older than that an HTTP 410.
  std::size_t history_limit = 1000;
  std::string listen = "127.0.0.1:0";
  // Added: how often an idle watch opened with allowWatchBookmarks=true gets a BOOKMARK.
  std::chrono::milliseconds bookmark_interval{1000};
  // Added: a watch without timeoutSeconds ends after this (the apiserver's min-request-timeout).
  std::chrono::seconds default_watch_timeout{1800};
};

class FakeApiServer {
 public:
  explicit FakeApiServer(FakeApiServerOptions options);  // starts serving on its own thread
  ~FakeApiServer();                                      // stops, closes every connection
  FakeApiServer(const FakeApiServer&) = delete;
  FakeApiServer& operator=(const FakeApiServer&) = delete;

  std::uint16_t port() const;
  std::string url() const;  // "https://127.0.0.1:PORT"

  // resource: the kubectl name ("ingresses.networking.k8s.io", "services", ...). Assigns
  // metadata.resourceVersion, and uid and creationTimestamp when absent (also apiVersion and
  // kind; metadata.namespace "default" for a namespaced resource without one). Emits ADDED or
  // MODIFIED. Returns the new resourceVersion. Throws std::invalid_argument on an unknown
  // resource or an object without metadata.name.
  std::string Upsert(const std::string& resource, nlohmann::json object);
  // DELETED event (the object with the deletion's resourceVersion); no-op when absent.
  void Remove(const std::string& resource, const std::string& ns, const std::string& name);
  void Compact();      // forget all history: watches resuming from any older RV get 410
  void DropWatches();  // end every open watch stream (clean end of the chunked body)
  void SetToken(std::string token);  // later requests must use this one (401 otherwise)
  // 0 = normal; 403, 404 or 500 for that resource's get, list and watch (404 also hides it
  // from discovery).
  void SetStatus(const std::string& resource, int http_status);
  void SetLatency(std::chrono::milliseconds delay);  // delay before every answer
  void SetPageExpiry(bool expire);                   // continue tokens answered 410 Expired
  // A watch from a compacted resourceVersion: false (default) = HTTP 200 and one ERROR event
  // carrying a 410 Status (the watch cache); true = an HTTP 410 Gone Status answer before any
  // stream (the apiserver's etcd path, older releases).
  void SetWatchExpiryAsHttpStatus(bool as_status);
  // Writes this raw line (+\n) to every open watch of resource.
  void InjectRaw(const std::string& resource, std::string line);
  // Requests seen whose path starts with path_prefix and whose raw query contains
  // query_contains.
  std::size_t Requests(std::string_view path_prefix = "",
                       std::string_view query_contains = "") const;
  std::size_t OpenWatches(const std::string& resource = "") const;
  // Writes `dir`/kubeconfig (server url(), certificate-authority ca_file, token) and returns its
  // path.
  std::string WriteKubeconfig(const std::string& dir, const std::string& ca_file) const;

  // Added: the current resourceVersion (the last one assigned).
  std::string ResourceVersion() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace albwebhook::testing
