// Reading a request's header as the sessions need it: the path and query of its target, which
// parser errors are the client's syntax errors, the request-smuggling checks on its framing, and
// which connection errors are a normal end. Header-only, on Beast's HTTP types.
#pragma once

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string_view>

namespace albwebhook::transport::detail {

namespace beast = boost::beast;
namespace http = boost::beast::http;

inline std::string_view PathOf(std::string_view target) {
  return target.substr(0, target.find('?'));
}

// Value of `key` in the query string of `target` ("" when absent).
inline std::string_view QueryParam(std::string_view target, std::string_view key) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == key && eq != std::string_view::npos) return pair.substr(eq + 1);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

// A request the HTTP parser rejected (as opposed to a closed or failed connection).
inline bool IsHttpSyntaxError(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_method).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message &&
         ec != http::error::need_more;
}

// The most a connection's read buffer may hold. Body bytes pass through it as they are parsed;
// what must fit whole is a request head (within the header limit), one chunk-size line or one
// chunked trailer section. A chunk extension or trailer that does not fit fails the read with
// http::error::buffer_overflow (400) instead of growing the buffer without end. Under 64 KiB, so
// no trailer field reaches Beast's 65 535-byte field limit (past which Beast throws).
inline std::size_t ReadBufferLimit(std::size_t max_header_bytes) {
  return std::max<std::size_t>(max_header_bytes + 4096, 48 * 1024);
}

// Request-smuggling defence (RFC 9112 sections 6.1 and 6.3). Beast accepts framings that a proxy
// in front of us could read differently: a Transfer-Encoding other than a lone "chunked" (Beast
// then reads no body, so the body's bytes become the next request), repeated or comma-listed
// Content-Length, or both headers. The apiserver never sends these; they get 400 and a close.
// Returns why the framing is ambiguous, or nullptr.
inline const char* AmbiguousFraming(
    const http::request_parser<http::string_body>::value_type& req) {
  int transfer_encodings = 0;
  int content_lengths = 0;
  for (const auto& field : req) {
    if (field.name() == http::field::transfer_encoding) {
      ++transfer_encodings;
      std::string_view value = field.value();
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
        value.remove_suffix(1);
      if (!beast::iequals(value, "chunked"))
        return "malformed HTTP request: unsupported Transfer-Encoding";
    } else if (field.name() == http::field::content_length) {
      ++content_lengths;
      const std::string_view value = field.value();
      if (value.empty() || value.find_first_not_of("0123456789") != std::string_view::npos) {
        return "malformed HTTP request: Content-Length must be one decimal number";
      }
    }
  }
  if (transfer_encodings > 1 || content_lengths > 1) {
    return "malformed HTTP request: repeated Transfer-Encoding or Content-Length";
  }
  if (transfer_encodings > 0 && content_lengths > 0) {
    return "malformed HTTP request: both Transfer-Encoding and Content-Length";
  }
  return nullptr;
}

// A connection error that is a normal end (closed, reset, cancelled), not worth a log line.
inline bool Ignorable(const beast::error_code& ec) {
  namespace net = boost::asio;
  return ec == net::error::operation_aborted || ec == http::error::end_of_stream ||
         ec == net::error::eof || ec == net::ssl::error::stream_truncated ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe;
}

}  // namespace albwebhook::transport::detail
