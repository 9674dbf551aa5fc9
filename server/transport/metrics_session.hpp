// The plain-HTTP metrics and health listener's connections: GET or HEAD /metrics (Prometheus
// text), /healthz (alive), /readyz (Server::Impl::Ready; "draining" once the drain began).
// Nothing else: 404, or 405 for other methods.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include "albwebhook/transport/server.hpp"

namespace albwebhook::transport::detail {

/// Starts serving `socket` (its executor a strand). The session owns itself: it lives as long as
/// an operation of it is pending.
void StartMetricsSession(boost::asio::ip::tcp::socket&& socket, const Server::Impl& server);

}  // namespace albwebhook::transport::detail
