// One accepted webhook connection: the TLS handshake, then the HTTP/1.1 request loop of
// http_session.hpp, every I/O step on the connection's executor with the deadlines of a
// beast::basic_stream. The executor type is concrete (no any_io_executor copies per operation):
// the io_context's own executor of the worker loop that serves the connection.
#pragma once

#include <atomic>
#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstddef>
#include <memory>

namespace albwebhook::transport::detail {

struct SessionHost;

/// A webhook connection: on its worker's event loop, which one thread runs (no strand needed).
using PlainSocket =
    boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

/// Starts serving `socket` with the TLS context `ctx`. The session owns itself: it lives as long
/// as an operation of it is pending. It counts itself in `loop_connections` (its worker's
/// connections) while it lives.
void StartHttpsSession(PlainSocket&& socket, std::shared_ptr<boost::asio::ssl::context> ctx,
                       SessionHost& host, std::atomic<std::size_t>& loop_connections);

}  // namespace albwebhook::transport::detail
