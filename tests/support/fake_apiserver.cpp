#include "support/fake_apiserver.hpp"

#include <openssl/x509.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "tools/fake_apiserver_impl.hpp"

namespace albwebhook::testing {

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
    tcp::socket socket =
        co_await acceptor->async_accept(net::redirect_error(net::use_awaitable, ec));
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
  co_await stream.async_handshake(ssl::stream_base::server,
                                  net::redirect_error(net::use_awaitable, ec));
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

net::awaitable<bool> FakeApiServer::Impl::ServeWatch(Stream& stream,
                                                     const std::shared_ptr<Watch>& w,
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
  co_await net::async_write(stream, http::make_chunk_last(),
                            net::redirect_error(net::use_awaitable, ec));
  co_return !ec;
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
  } else if (!meta.contains("namespace") || !meta["namespace"].is_string() ||
             meta["namespace"] == "") {
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
  impl_->Record(*r, ns, name, type, object);
  bucket[Key(ns, name)] = std::move(object);
  return std::to_string(impl_->rv);
}

void FakeApiServer::Remove(const std::string& resource, const std::string& ns,
                           const std::string& name) {
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

void FakeApiServer::SetWatchExpiryAsHttpStatus(bool as_status) {
  std::lock_guard lock(impl_->mutex);
  impl_->watch_expiry_as_status = as_status;
}

void FakeApiServer::InjectRaw(const std::string& resource, std::string line) {
  std::lock_guard lock(impl_->mutex);
  for (const auto& w : impl_->watches)
    if (w->resource->name == resource) impl_->Push(w, line);
}

std::size_t FakeApiServer::Requests(std::string_view path_prefix,
                                    std::string_view query_contains) const {
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

std::string FakeApiServer::WriteKubeconfig(const std::string& dir,
                                           const std::string& ca_file) const {
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
