// One accepted webhook connection: the TLS handshake, then the HTTP/1.1 request loop of
// http_session.hpp, every I/O step on the connection's executor with the deadlines of a
// beast::basic_stream. The executor type is concrete (no any_io_executor copies per operation):
// a strand when the server runs several threads, the io_context's own executor when it runs one.
#pragma once

#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <memory>

namespace albwebhook::transport::detail {

struct SessionHost;

/// A connection served by one thread (`--threads 1`): no strand needed.
using PlainSocket =
    boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;
/// A connection of a server with several threads: its handlers serialised on a strand.
using StrandSocket =
    boost::asio::basic_stream_socket<boost::asio::ip::tcp,
                                     boost::asio::strand<boost::asio::io_context::executor_type>>;

/// Starts serving `socket` with the TLS context `ctx`. The session owns itself: it lives as long
/// as an operation of it is pending.
void StartHttpsSession(PlainSocket&& socket, std::shared_ptr<boost::asio::ssl::context> ctx,
                       SessionHost& host);
void StartHttpsSession(StrandSocket&& socket, std::shared_ptr<boost::asio::ssl::context> ctx,
                       SessionHost& host);

}  // namespace albwebhook::transport::detail
