#pragma once

// The test client, for every transport test: a blocking TCP/TLS connection on a raw file
// descriptor (so tests can write bytes below TLS: garbage before the handshake, truncated
// records), sharing one client SSL_CTX across thousands of connections (so the client side of
// a 1 000-connection test stays small), plain HTTP for the metrics port, a load generator, and
// helpers to read a process's RSS and to run the server in a forked child (so its memory is
// measured alone).
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

namespace albwebhook::testing {

/// What a client offers in its handshakes.
struct TlsOptions {
  std::vector<std::string> ca_files;
  std::string client_cert;  // optional
  std::string client_key;
  std::vector<std::string> alpn{"http/1.1"};
  int min_version = 0;        // e.g. TLS1_VERSION; 0 = TLS 1.2
  int max_version = 0;        // 0 = the library's highest
  std::string tls12_ciphers;  // optional cipher list for TLS <= 1.2
};

/// One client SSL_CTX (by default TLS 1.2+, ALPN http/1.1; verifies "localhost" against the CA
/// files).
class ClientContext {
 public:
  explicit ClientContext(const TlsOptions& options);
  explicit ClientContext(const std::vector<std::string>& ca_files,
                         const std::string& client_cert = "", const std::string& client_key = "");
  ~ClientContext();
  ClientContext(const ClientContext&) = delete;
  ClientContext& operator=(const ClientContext&) = delete;
  SSL_CTX* get() const { return ctx_; }

 private:
  SSL_CTX* ctx_;
};

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  bool close = false;  // Connection: close
};

/// A blocking connection to 127.0.0.1:port. Plain TCP until StartTls().
class RawConn {
 public:
  /// nullptr when the TCP connect fails. io_timeout bounds every read and write.
  static std::unique_ptr<RawConn> Dial(
      std::uint16_t port, std::chrono::milliseconds io_timeout = std::chrono::seconds(10));
  /// Dial and StartTls: nullptr, and the reason in *error, when either fails.
  static std::unique_ptr<RawConn> DialTls(
      std::uint16_t port, const ClientContext& ctx, std::string* error,
      std::chrono::milliseconds io_timeout = std::chrono::seconds(10));
  ~RawConn();
  RawConn(const RawConn&) = delete;
  RawConn& operator=(const RawConn&) = delete;

  /// Client handshake (SNI and verified name "localhost"). "" or the error.
  std::string StartTls(const ClientContext& ctx);
  /// Writes all bytes (through TLS once started). False on error.
  bool Write(std::string_view bytes);
  /// Writes bytes on the socket underneath TLS (forged or truncated records).
  bool WriteBelowTls(std::string_view bytes);
  /// Reads one HTTP/1.1 response (Content-Length framed). nullopt on EOF/error/timeout first.
  std::optional<RawResponse> ReadResponse();
  /// One POST (PostBytes) and its answer; throws std::runtime_error when the request cannot be
  /// written or no answer comes.
  RawResponse Post(std::string_view target, std::string_view body);
  /// True when the peer closed (EOF, reset, TLS alert) before io_timeout without sending data.
  bool ReadsEof();
  /// True when the peer ended the TLS stream with a close_notify alert (not a bare TCP close,
  /// a reset or another alert) before io_timeout, without sending data first.
  bool ReadsCloseNotify();
  /// Writes `bytes` through TLS as records of at most `record_bytes` plaintext bytes each (one
  /// SSL_write per record). False on error.
  bool WriteInRecordsOf(std::string_view bytes, std::size_t record_bytes);
  /// Reads raw bytes (alerts, anything) until the peer closes: true on EOF or reset, false when
  /// io_timeout passes first.
  bool ClosedBelowTls();
  /// Half-closes the sending side of the TCP socket.
  void ShutdownWrite();
  std::string PeerFingerprint() const;
  std::string NegotiatedAlpn() const;
  int fd() const { return fd_; }

 private:
  RawConn(int fd, std::chrono::milliseconds io_timeout);
  // Reads more bytes into in_; 0 on EOF, <0 on error or timeout.
  long Fill();
  int fd_;
  SSL* ssl_ = nullptr;
  std::string in_;
};

/// "POST target HTTP/1.1" with Host, Content-Type application/json, Content-Length.
std::string PostBytes(std::string_view target, std::string_view body, bool close = false);
/// The head of such a POST whose framing is `framing` ("Content-Length: 8388608\r\n", or
/// "Transfer-Encoding: chunked\r\n", plus any other header lines): no body.
std::string PostHead(std::string_view target, std::string_view framing);

/// One plain-HTTP request (no body, Connection: close) to 127.0.0.1:port, e.g. the metrics
/// listener; throws std::runtime_error when it cannot connect or no answer comes.
RawResponse PlainRequest(std::uint16_t port, const std::string& method, const std::string& target);

/// VmRSS of a process in KiB (0 = this process); -1 when unreadable.
long VmRssKib(pid_t pid = 0);

/// The alb-webhook binary run with `serve --listen 127.0.0.1:0 --metrics-listen 127.0.0.1:0`
/// plus `args`, its stderr in `log_file`; Start() waits for the "serving" line (ports).
class BinaryServer {
 public:
  /// nullptr when it does not start serving within 10 s.
  static std::unique_ptr<BinaryServer> Start(const std::string& binary,
                                             const std::vector<std::string>& args,
                                             const std::string& log_file);
  ~BinaryServer();
  /// Sends `signal`, waits at most `limit`; returns the exit status, 128+signal when killed
  /// by one, or -1 when it had to be SIGKILLed.
  int Stop(int signal, std::chrono::milliseconds limit = std::chrono::seconds(10));
  /// Non-blocking: true (and the status in *status) once the process has exited.
  bool Exited(int* status);
  pid_t pid() const { return pid_; }
  std::uint16_t port() const { return port_; }
  std::uint16_t metrics_port() const { return metrics_port_; }

 private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::uint16_t metrics_port_ = 0;
};

/// A bounded load generator: `threads` workers, each with a keep-alive TLS connection that is
/// re-opened after `requests_per_connection` requests or a `Connection: close` answer. Every
/// answer goes through `check` (return "" when it is right, else why). Stop() ends the run.
struct LoadOptions {
  std::uint16_t port = 0;
  const ClientContext* ctx = nullptr;
  int threads = 4;
  int requests_per_connection = 25;
  std::string target;
  std::function<std::string(int worker, long seq)> body;  // the request body to send
  std::function<std::string(const RawResponse&)> check;
  std::chrono::milliseconds io_timeout{5000};
  /// During a shutdown: a refused connect or failed handshake is not a failure; it is counted.
  bool tolerate_refused_connections = false;
};

struct LoadFailure {
  std::chrono::steady_clock::time_point sent;  // when the request's last byte was written
  std::string what;
};

class LoadGenerator {
 public:
  explicit LoadGenerator(LoadOptions options);
  ~LoadGenerator();
  void Start();
  void Stop();  // joins the workers
  long ok() const { return ok_.load(); }
  long connects() const { return connects_.load(); }
  long refused() const { return refused_.load(); }
  /// Requests whose connection was closed before any of it could be written.
  long unsent() const { return unsent_.load(); }
  /// When the latest correct answer arrived.
  std::chrono::steady_clock::time_point last_ok() const {
    return std::chrono::steady_clock::time_point(
        std::chrono::steady_clock::duration(last_ok_.load()));
  }
  std::vector<LoadFailure> failures() const;
  /// Up to 5 failures as text, for test output.
  std::string FailureSummary() const;

 private:
  void Worker(int index);
  void Fail(std::chrono::steady_clock::time_point sent, std::string what);
  LoadOptions options_;
  std::atomic<bool> stop_{false};
  std::atomic<long> ok_{0}, connects_{0}, refused_{0}, unsent_{0};
  std::atomic<std::chrono::steady_clock::rep> last_ok_{0};
  mutable std::mutex mutex_;
  std::vector<LoadFailure> failures_;
  std::vector<std::thread> workers_;
};

}  // namespace albwebhook::testing
