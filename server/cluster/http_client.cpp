#include "cluster/http_client.hpp"

#include <openssl/ssl.h>

#include <algorithm>

#ifndef ALBWEBHOOK_VERSION
#define ALBWEBHOOK_VERSION "dev"
#endif

namespace albwebhook::cluster {
namespace {

namespace ssl = net::ssl;
using tcp = net::ip::tcp;

bool IsIpAddress(const std::string& host) {
  beast::error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
}

std::string HostHeader(const ClientConfig& c) {
  std::string host = c.host.find(':') != std::string::npos ? "[" + c.host + "]" : c.host;
  return host + ":" + std::to_string(c.port);
}

Clock::time_point Earliest(Clock::time_point a, Clock::duration from_now) {
  return std::min(a, Clock::now() + from_now);
}

}  // namespace

Result<std::shared_ptr<ssl::context>> MakeTlsContext(const ClientConfig& config) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  try {
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    if (config.insecure_skip_tls_verify) {
      ctx->set_verify_mode(ssl::verify_none);
    } else {
      ctx->set_verify_mode(ssl::verify_peer);
      if (config.ca_pem.empty()) {
        ctx->set_default_verify_paths();
      } else {
        ctx->add_certificate_authority(net::buffer(config.ca_pem));
      }
    }
  } catch (const boost::system::system_error& e) {
    return Error{"cluster: bad certificate authority: " + std::string(e.what())};
  }
  if (!config.client_cert_pem.empty()) {
    try {
      ctx->use_certificate_chain(net::buffer(config.client_cert_pem));
      ctx->use_private_key(net::buffer(config.client_key_pem), ssl::context::pem);
    } catch (const boost::system::system_error& e) {
      return Error{"cluster: bad client certificate or key: " + std::string(e.what())};
    }
  }
  return ctx;
}

std::string QueryEscape(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

ApiConnection::ApiConnection(net::any_io_executor executor, ssl::context& tls,
                             const ClientConfig& config, const ViewConfig& timeouts)
    : executor_(std::move(executor)), tls_(tls), config_(config), timeouts_(timeouts) {}

ApiConnection::~ApiConnection() = default;

void ApiConnection::Close() {
  if (stream_) {
    beast::error_code ignored;
    stream_->next_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_->next_layer().close();
  }
  stream_.reset();
  parser_.reset();
  buffer_.clear();
}

net::awaitable<beast::error_code> ApiConnection::Connect() {
  Close();
  beast::error_code ec;
  tcp::resolver resolver(executor_);
  net::steady_timer guard(executor_, timeouts_.connect_timeout);
  guard.async_wait([&resolver](beast::error_code e) {
    if (!e) resolver.cancel();
  });
  auto endpoints = co_await resolver.async_resolve(config_.host, std::to_string(config_.port),
                                                   net::redirect_error(net::use_awaitable, ec));
  guard.cancel();
  if (ec) co_return ec;
  auto stream = std::make_unique<Stream>(executor_, tls_);
  stream->next_layer().expires_after(timeouts_.connect_timeout);
  co_await stream->next_layer().async_connect(endpoints,
                                              net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return ec;
  if (!config_.insecure_skip_tls_verify) {
    stream->set_verify_callback(ssl::host_name_verification(config_.host));
  }
  if (!IsIpAddress(config_.host)) {
    SSL_set_tlsext_host_name(stream->native_handle(), config_.host.c_str());
  }
  stream->next_layer().expires_after(timeouts_.handshake_timeout);
  co_await stream->async_handshake(ssl::stream_base::client,
                                   net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return ec;
  stream_ = std::move(stream);
  co_return ec;
}

net::awaitable<beast::error_code> ApiConnection::SendAndReadHeader(const std::string& target,
                                                                   const std::string& token,
                                                                   Clock::time_point deadline) {
  http::request<http::empty_body> req{http::verb::get, config_.base_path + target, 11};
  req.set(http::field::host, HostHeader(config_));
  req.set(http::field::user_agent, "alb-webhook/" ALBWEBHOOK_VERSION);
  req.set(http::field::accept, "application/json");
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  req.keep_alive(true);
  beast::error_code ec;
  stream_->next_layer().expires_at(Earliest(deadline, timeouts_.request_timeout));
  co_await http::async_write(*stream_, req, net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return ec;
  parser_.emplace();
  parser_->body_limit(boost::none);  // bounded by the callers (list limit, line limit)
  stream_->next_layer().expires_at(Earliest(deadline, timeouts_.request_timeout));
  co_await http::async_read_header(*stream_, buffer_, *parser_,
                                   net::redirect_error(net::use_awaitable, ec));
  co_return ec;
}

net::awaitable<ApiConnection::Response> ApiConnection::Get(const std::string& target,
                                                           const std::string& token,
                                                           Clock::time_point deadline,
                                                           std::size_t body_limit, bool stream) {
  Response res;
  bool reused = stream_ != nullptr;
  if (!reused) res.ec = co_await Connect();
  if (!res.ec) res.ec = co_await SendAndReadHeader(target, token, deadline);
  if (res.ec && reused) {  // the server may have closed an idle keep-alive connection
    res.ec = co_await Connect();
    if (!res.ec) res.ec = co_await SendAndReadHeader(target, token, deadline);
  }
  if (res.ec) {
    Close();
    co_return res;
  }
  res.status = static_cast<int>(parser_->get().result_int());
  if (stream && res.status == 200) {
    res.streaming = true;
    co_return res;
  }
  res.ec = co_await ReadBody(res.body, body_limit, Earliest(deadline, timeouts_.request_timeout));
  if (res.ec) Close();
  co_return res;
}

net::awaitable<beast::error_code> ApiConnection::ReadBody(std::string& out, std::size_t limit,
                                                          Clock::time_point deadline) {
  bool done = parser_->is_done();
  while (!done) {
    auto ec = co_await ReadSome(out, done, deadline);
    if (ec) co_return ec;
    if (out.size() > limit) co_return http::error::body_limit;
  }
  co_return beast::error_code{};
}

net::awaitable<beast::error_code> ApiConnection::ReadSome(std::string& out, bool& done,
                                                          Clock::time_point deadline) {
  done = false;
  if (!stream_ || !parser_) co_return net::error::not_connected;
  auto& body = parser_->get().body();
  body.data = chunk_.data();
  body.size = chunk_.size();
  beast::error_code ec;
  stream_->next_layer().expires_at(deadline);
  co_await http::async_read_some(*stream_, buffer_, *parser_,
                                 net::redirect_error(net::use_awaitable, ec));
  if (ec == http::error::need_buffer) ec = {};
  out.append(chunk_.data(), chunk_.size() - body.size);
  if (ec) {
    Close();
    co_return ec;
  }
  done = parser_->is_done();
  if (done) {
    bool keep = parser_->keep_alive();
    parser_.reset();
    if (!keep) Close();
  }
  co_return ec;
}

}  // namespace albwebhook::cluster
