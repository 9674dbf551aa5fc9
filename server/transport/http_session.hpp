// The HTTP/1.1 request loop of a webhook connection, as a template on the connection type so that
// the same code serves TLS connections (HttpsSession in https_session.cpp) and the in-memory
// streams of the session fuzz target (tests/fuzz/http_request_fuzz.cpp). Internal: only those two
// include it. Its helpers: session_host.hpp (what sessions share with the server, the body budget)
// and http_framing.hpp (target, parser errors, request-smuggling checks).
//
// HttpSession<Derived> is CRTP. Derived owns the stream and provides:
//   Stream& stream();                         the byte stream (AsyncReadStream + AsyncWriteStream)
//   void ArmTimeout(Clock::duration);         the next I/O must finish within this...
//   void ArmDeadline(Clock::time_point);      ...or by then; on expiry it fails (and is closed)
//   Clock::time_point Now();                  the clock deadlines are measured on
//   void DoClose();                           close after the last answer (graceful)
// and calls BeginRequests() once the stream is ready (after the TLS handshake).
#pragma once

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "albwebhook/log/log.hpp"
#include "albwebhook/metrics/metrics.hpp"
#include "albwebhook/transport/route.hpp"
#include "albwebhook/transport/server.hpp"
#include "albwebhook/util/duration.hpp"
#include "transport/http_framing.hpp"
#include "transport/http_response.hpp"
#include "transport/session_host.hpp"

namespace albwebhook::transport::detail {

namespace beast = boost::beast;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

// One connection's requests until close. Every step runs on the connection's executor (its worker
// loop's, for TLS connections: one thread runs it); every I/O step has a deadline.
//
// Per connection, reused from request to request: the read buffer, the request body's string
// (its capacity kept up to kKeptCapacity, so that a large request does not stay pinned to an
// idle connection) and the answer, serialised once into one buffer (http_response.hpp) and
// written as one buffer.
template <class Derived>
class HttpSession : public std::enable_shared_from_this<Derived> {
 public:
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  /// Requests read (complete headers or header errors) and answers handed to the stream.
  std::size_t headers_read() const { return headers_read_; }
  std::size_t answers_sent() const { return answers_sent_; }

 protected:
  explicit HttpSession(SessionHost& server)
      : server_(server),
        buffer_(ReadBufferLimit(server.config.max_header_bytes)),
        body_reservation_(server.buffered_body_bytes, server.config.max_buffered_body_bytes) {
    ++server_.connections;
    ++server_.fresh_connections;
    server_.metrics->OpenConnections().Increment();
  }
  ~HttpSession() {
    --server_.connections;
    server_.metrics->OpenConnections().Decrement();
    if (in_request_) --server_.requests_in_flight;
    if (fresh_) --server_.fresh_connections;
  }

  void BeginRequests() {
    first_request_ = true;
    WaitForRequest();
  }

  void Fail(beast::error_code ec, const char* what) {
    if (Ignorable(ec) || ec == beast::error::timeout) return;
    log::Debug("connection error", {{"step", what}, {"error", ec.message()}});
  }

  SessionHost& server_;

 private:
  Derived& self() { return static_cast<Derived&>(*this); }

  // Waits for the first byte of the next request: the idle keep-alive timeout applies here,
  // the (shorter) header timeout from the first byte on.
  void WaitForRequest() {
    if (server_.stopped.load()) return;
    if (buffer_.size() > 0) {
      ReadHeader();
      return;
    }
    self().ArmTimeout(first_request_ ? server_.config.header_timeout : server_.config.idle_timeout);
    self().stream().async_read_some(
        buffer_.prepare(4096),
        beast::bind_front_handler(&HttpSession::OnFirstBytes, this->shared_from_this()));
  }

  void OnFirstBytes(beast::error_code ec, std::size_t n) {
    if (ec) return Fail(ec, "read");
    buffer_.commit(n);
    ReadHeader();
  }

  void ReadHeader() {
    first_request_ = false;
    // The previous request's body string (emptied in Send, capacity bounded) is reused.
    std::string body = std::move(spare_body_);
    body.clear();
    parser_.emplace(std::piecewise_construct, std::make_tuple(std::move(body)));
    parser_->header_limit(static_cast<std::uint32_t>(server_.config.max_header_bytes));
    parser_->body_limit(server_.config.max_body_bytes);
    parser_->on_chunk_header(on_chunk_header_);
    over_budget_ = false;
    self().ArmTimeout(server_.config.header_timeout);
    http::async_read_header(
        self().stream(), buffer_, *parser_,
        beast::bind_front_handler(&HttpSession::OnHeader, this->shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t /*n*/) {
    start_ = self().Now();
    if (!ec || ec == http::error::body_limit || ec == http::error::header_limit ||
        IsHttpSyntaxError(ec)) {
      ++headers_read_;
    }
    // A declared Content-Length over the limit is reported here, before any body byte is read.
    if (ec == http::error::body_limit) return SendTooLarge();
    if (ec == http::error::header_limit) {
      return SendError(http::status::request_header_fields_too_large, "request header too large");
    }
    // On a timeout the stream has already closed the socket: nothing can be answered.
    if (ec) {
      if (IsHttpSyntaxError(ec))
        return SendError(http::status::bad_request, "malformed HTTP request");
      return Fail(ec, "read header");
    }
    if (const char* why = AmbiguousFraming(parser_->get())) {
      return SendError(http::status::bad_request, why);
    }
    in_request_ = true;
    ++server_.requests_in_flight;
    if (fresh_) {
      fresh_ = false;
      --server_.fresh_connections;
    }
    auto& req = parser_->get();
    // A chunked body grows in OnChunkHeader, exactly within its reservation: it starts empty.
    if (parser_->chunked()) std::string().swap(req.body());
    // The caller's deadline: never answer later than it will wait (?timeout=, Go duration).
    deadline_ = start_ + server_.config.body_timeout;
    const Millis timeout = util::ParseGoDuration(QueryParam(req.target(), "timeout"));
    if (timeout.count() > 0 && start_ + timeout < deadline_) deadline_ = start_ + timeout;

    const auto length = parser_->content_length();
    if (length && *length > server_.config.max_body_bytes) {
      // Answer without buffering the body, then close (the rest of the body is never read).
      return SendTooLarge();
    }
    // The body's share of the global budget, taken before a byte of it is buffered.
    if (length && *length > 0 && !body_reservation_.GrowTo(static_cast<std::size_t>(*length))) {
      return SendOverBudget(static_cast<std::size_t>(*length));
    }
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                     req.version());
      self().ArmDeadline(deadline_);
      http::async_write(
          self().stream(), *cont,
          [self = this->shared_from_this(), cont](beast::error_code wec, std::size_t) {
            if (wec) return self->Fail(wec, "write 100-continue");
            self->ReadBody();
          });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    self().ArmDeadline(deadline_);
    http::async_read(self().stream(), buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::OnBody, this->shared_from_this()));
  }

  // A chunked body: each chunk's bytes are reserved from the global budget as its header is
  // read, before they are buffered. The body string is regrown here to an exact capacity that
  // the reservation covers (left to itself, std::string doubles past it).
  void OnChunkHeader(std::uint64_t size, beast::error_code& ec) {
    std::string& body = parser_->get().body();
    const std::size_t limit = server_.config.max_body_bytes;
    if (size > limit - std::min(limit, body.size())) return;  // Beast refuses it: 413
    const std::size_t needed = body.size() + static_cast<std::size_t>(size);
    if (needed <= body.capacity()) return;
    std::size_t target = std::min(limit, std::max(needed, 2 * body.size()));
    if (!body_reservation_.GrowTo(target)) target = needed;  // no room to double: exact
    if (target == needed && !body_reservation_.GrowTo(target)) {
      over_budget_ = true;
      over_budget_wanted_ = needed;
      ec = boost::asio::error::no_buffer_space;
      return;
    }
    std::string grown;
    grown.reserve(target);
    grown.append(body);
    body.swap(grown);
  }

  void OnBody(beast::error_code ec, std::size_t /*n*/) {
    if (over_budget_) return SendOverBudget(over_budget_wanted_);
    if (ec == http::error::body_limit) {
      return SendTooLarge();
    }
    if (ec == http::error::buffer_overflow) {  // see ReadBufferLimit
      return SendError(http::status::bad_request, "chunk-size line or trailer too long");
    }
    if (ec) {
      if (IsHttpSyntaxError(ec))
        return SendError(http::status::bad_request, "malformed HTTP request");
      return Fail(ec, "read body");
    }
    Dispatch();
  }

  void Dispatch() {
    auto& req = parser_->get();
    const Endpoint* route = server_.FindRoute(PathOf(req.target()));
    if (route == nullptr) return SendError(http::status::not_found, "not found");
    if (req.method() != http::verb::post)
      return SendError(http::status::method_not_allowed, "method not allowed; use POST");
    Call call = NewCall(Call::Body::kReceived);
    call.body = req.body();
    SendReply(route->Answer(call), /*close=*/false);
  }

  Call NewCall(Call::Body state) const {
    Call call;
    call.state = state;
    call.content_type = parser_->get()[http::field::content_type];
    call.started = start_;
    call.body_limit = server_.config.max_body_bytes;
    return call;
  }

  // The endpoint of this request's path, or the one for unknown paths.
  const Endpoint& RouteOrUnrouted() const {
    const Endpoint* route = server_.FindRoute(PathOf(parser_->get().target()));
    return route != nullptr ? *route : *server_.wiring.unrouted;
  }

  void SendReply(Reply reply, bool close) {
    ResponseHead head;
    head.status = reply.status;
    head.version = parser_->get().version();
    head.content_type = "application/json";
    head.retry_after = reply.retry_after;
    Send(head, reply.body, close);
  }

  // A body over the limit: answered 413 without reading it, then close.
  void SendTooLarge() {
    SendReply(RouteOrUnrouted().Answer(NewCall(Call::Body::kTooLarge)), /*close=*/true);
  }

  // The global body budget is spent: 503 with Retry-After, without reading (the rest of) the body,
  // then close.
  void SendOverBudget(std::size_t wanted) {
    Call call = NewCall(Call::Body::kOverBudget);
    call.body_wanted = wanted;
    call.budget_in_use = server_.buffered_body_bytes.load();
    call.budget = server_.config.max_buffered_body_bytes;
    SendReply(RouteOrUnrouted().Answer(call), /*close=*/true);
  }

  void SendError(http::status status, std::string_view message) {
    server_.metrics->HttpError(static_cast<int>(status));
    ResponseHead head;
    head.status = static_cast<int>(status);
    head.version = (parser_ && parser_->is_header_done()) ? parser_->get().version() : 11;
    head.content_type = "text/plain; charset=utf-8";
    head.allow_post = status == http::status::method_not_allowed;
    std::string body;
    body.reserve(message.size() + 1);
    body.append(message).push_back('\n');
    // After a protocol error the stream position is unknown: close.
    Send(head, body, /*close=*/true);
  }

  void Send(ResponseHead& head, std::string_view body, bool close) {
    const bool keep_alive = !close && !server_.draining.load() && parser_ &&
                            parser_->is_header_done() && parser_->get().keep_alive();
    head.keep_alive = keep_alive;
    // The answer is ready: the request body, and its share of the budget, go now (before the
    // client can read the answer and send the next request). A small body's string is kept for
    // the next request; a large one is freed.
    if (parser_) {
      std::string& request_body = parser_->get().body();
      request_body.clear();
      if (request_body.capacity() > kKeptCapacity) std::string().swap(request_body);
      spare_body_ = std::move(request_body);
    }
    body_reservation_.Release();
    if (self().Now() >= deadline_ && in_request_) {
      // The caller has stopped waiting: an answer now would only be read by nobody.
      log::Warn("request deadline passed before the answer was ready; closing");
      return;
    }
    out_.clear();
    AppendResponse(out_, head, body);
    ++answers_sent_;
    const auto write_deadline = self().Now() + server_.config.write_timeout;
    self().ArmDeadline(in_request_ ? std::min(deadline_, write_deadline) : write_deadline);
    boost::asio::async_write(
        self().stream(), boost::asio::buffer(out_),
        beast::bind_front_handler(&HttpSession::OnWrite, this->shared_from_this(), keep_alive));
  }

  void OnWrite(bool keep_alive, beast::error_code ec, std::size_t /*n*/) {
    out_.clear();
    if (out_.capacity() > kKeptCapacity) std::string().swap(out_);
    // The read buffer keeps what the client has pipelined; past the bound it is shrunk to that.
    if (buffer_.capacity() > kKeptCapacity) buffer_.shrink_to_fit();
    if (in_request_) {
      in_request_ = false;
      --server_.requests_in_flight;
    }
    if (ec) return Fail(ec, "write");
    if (!keep_alive) return self().DoClose();
    deadline_ = Clock::time_point::max();
    WaitForRequest();
  }

  // What a connection keeps between requests, at most, in each of its reused buffers.
  static constexpr std::size_t kKeptCapacity = 16 * 1024;

  beast::flat_buffer buffer_;
  BodyReservation body_reservation_;  // declared before parser_: released after the body is freed
  std::optional<http::request_parser<http::string_body>> parser_;
  std::function<void(std::uint64_t, beast::string_view, beast::error_code&)> on_chunk_header_ =
      [this](std::uint64_t size, beast::string_view, beast::error_code& ec) {
        OnChunkHeader(size, ec);
      };
  std::string spare_body_;  // the last request body's string, emptied: the next one's
  std::string out_;         // the answer being written, serialised (http_response.hpp)
  Clock::time_point start_{};
  Clock::time_point deadline_ = Clock::time_point::max();
  bool over_budget_ = false;
  std::size_t over_budget_wanted_ = 0;
  bool first_request_ = true;
  bool in_request_ = false;
  bool fresh_ = true;  // no request header read yet (see SessionHost::fresh_connections)
  std::size_t headers_read_ = 0;
  std::size_t answers_sent_ = 0;
};

}  // namespace albwebhook::transport::detail
