// One accepted webhook connection: the TLS handshake, then the HTTP/1.1 request loop of
// http_session.hpp, every I/O step on the connection's strand with the deadlines of a
// beast::tcp_stream.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>

namespace albwebhook::transport::detail {

struct SessionHost;

/// Starts serving `socket` (its executor a strand) with the TLS context `ctx`. The session owns
/// itself: it lives as long as an operation of it is pending.
void StartHttpsSession(boost::asio::ip::tcp::socket&& socket,
                       std::shared_ptr<boost::asio::ssl::context> ctx, SessionHost& host);

}  // namespace albwebhook::transport::detail
