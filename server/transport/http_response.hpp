// The bytes of a webhook session's answer, written once into a reused buffer: the status line and
// the few header fields a session sends, then the body. The same bytes, field for field and in
// the same order, as Beast's serializer writes for the http::response the session used to build
// (tests/transport/http_response_test.cpp compares them), without a fields container, a
// serializer or a copy of the body per answer. Internal to the transport.
#pragma once

#include <boost/beast/http/status.hpp>
#include <charconv>
#include <string>
#include <string_view>

namespace albwebhook::transport::detail {

/// What an answer's head says.
struct ResponseHead {
  int status = 200;
  unsigned version = 11;          // the request's HTTP version, 10 * major + minor
  std::string_view content_type;  // Content-Type
  bool retry_after = false;       // Retry-After: 1
  bool allow_post = false;        // Allow: POST (405)
  bool keep_alive = false;        // HTTP/1.1: Connection: close unless; HTTP/1.0: keep-alive if
};

/// Appends the answer to `out`: status line, Content-Type, [Retry-After], [Allow], [Connection],
/// Server, Content-Length, then `body`. (Sessions never answer 1xx, 204 or 304, for which Beast
/// refused a non-empty body.)
inline void AppendResponse(std::string& out, const ResponseHead& head, std::string_view body) {
  namespace http = boost::beast::http;
  const auto status = static_cast<http::status>(head.status);
  const std::string_view reason = http::obsolete_reason(status);
  char length[24];
  const auto [length_end, length_ec] = std::to_chars(length, length + sizeof length, body.size());
  (void)length_ec;  // 24 chars hold any size_t
  out.reserve(out.size() + 160 + reason.size() + head.content_type.size() + body.size());
  const unsigned code = static_cast<unsigned>(head.status);
  char status_line[] = "HTTP/1.1 000 ";  // as Beast writes it: version and code as digits
  status_line[5] = static_cast<char>('0' + head.version / 10);
  status_line[7] = static_cast<char>('0' + head.version % 10);
  status_line[9] = static_cast<char>('0' + code / 100);
  status_line[10] = static_cast<char>('0' + (code / 10) % 10);
  status_line[11] = static_cast<char>('0' + code % 10);
  out.append(status_line, sizeof status_line - 1);
  out.append(reason).append("\r\nContent-Type: ").append(head.content_type).append("\r\n");
  if (head.retry_after) out.append("Retry-After: 1\r\n");
  if (head.allow_post) out.append("Allow: POST\r\n");
  if (head.version >= 11) {
    if (!head.keep_alive) out.append("Connection: close\r\n");
  } else if (head.keep_alive) {
    out.append("Connection: keep-alive\r\n");
  }
  out.append("Server: alb-webhook\r\n");
  out.append("Content-Length: ").append(length, length_end).append("\r\n\r\n").append(body);
}

}  // namespace albwebhook::transport::detail
