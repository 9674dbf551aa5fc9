// One keep-alive HTTPS connection to the API server (Beast over Asio/OpenSSL, C++20
// coroutines), with a deadline on every step: resolve+connect, handshake, request write, header,
// each body read. Used by one reflector at a time, on the View's thread.
#pragma once

#include <array>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "albwebhook/cluster/config.hpp"
#include "albwebhook/cluster/view.hpp"
#include "albwebhook/util/result.hpp"

namespace albwebhook::cluster {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

/// The TLS client context for `config`: its CA (or the system store, or no verification when
/// insecure-skip-tls-verify), its client certificate. Errors name the bad material.
Result<std::shared_ptr<net::ssl::context>> MakeTlsContext(const ClientConfig& config);

/// Percent-encodes a query parameter value.
std::string QueryEscape(std::string_view value);

class ApiConnection {
 public:
  ApiConnection(net::any_io_executor executor, net::ssl::context& tls, const ClientConfig& config,
                const ViewConfig& timeouts);
  ~ApiConnection();

  struct Response {
    beast::error_code ec;  // transport error (then status is 0)
    int status = 0;
    std::string body;      // the whole body, unless the response is being streamed
    bool streaming = false;
  };

  /// GET `target` (path and query, without the base path). Reads the header; then the whole
  /// body (at most `body_limit` bytes, else an error) unless `stream` and the status is 200, in
  /// which case ReadSome() delivers it. A dead keep-alive connection is replaced once.
  net::awaitable<Response> Get(const std::string& target, const std::string& token,
                               Clock::time_point deadline, std::size_t body_limit, bool stream);

  /// The next bytes of a streamed body, appended to `out`. `done` when the body ended
  /// (the connection is kept for the next request when the server allows it).
  net::awaitable<beast::error_code> ReadSome(std::string& out, bool& done,
                                             Clock::time_point deadline);

  void Close();

 private:
  using Stream = beast::ssl_stream<beast::tcp_stream>;
  net::awaitable<beast::error_code> Connect();
  net::awaitable<beast::error_code> SendAndReadHeader(const std::string& target,
                                                      const std::string& token,
                                                      Clock::time_point deadline);
  net::awaitable<beast::error_code> ReadBody(std::string& out, std::size_t limit,
                                             Clock::time_point deadline);

  net::any_io_executor executor_;
  net::ssl::context& tls_;
  const ClientConfig& config_;
  const ViewConfig& timeouts_;
  std::unique_ptr<Stream> stream_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::buffer_body>> parser_;
  std::array<char, 64 * 1024> chunk_{};
};

}  // namespace albwebhook::cluster
