#include "support/raw_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/test_pki.hpp"

namespace albwebhook::testing {

using Clock = std::chrono::steady_clock;

ClientContext::ClientContext(const TlsOptions& options) : ctx_(SSL_CTX_new(TLS_client_method())) {
  // SSL_write on a socket the server has closed must fail with EPIPE, not kill the test.
  ::signal(SIGPIPE, SIG_IGN);
  SSL_CTX_set_min_proto_version(ctx_,
                                options.min_version != 0 ? options.min_version : TLS1_2_VERSION);
  if (options.max_version != 0) SSL_CTX_set_max_proto_version(ctx_, options.max_version);
  if (!options.tls12_ciphers.empty()) SSL_CTX_set_cipher_list(ctx_, options.tls12_ciphers.c_str());
  SSL_CTX_set_mode(ctx_, SSL_MODE_RELEASE_BUFFERS);
  for (const auto& ca : options.ca_files) SSL_CTX_load_verify_locations(ctx_, ca.c_str(), nullptr);
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
  if (!options.alpn.empty()) {
    std::string wire;
    for (const auto& p : options.alpn) wire += static_cast<char>(p.size()) + p;
    SSL_CTX_set_alpn_protos(ctx_, reinterpret_cast<const unsigned char*>(wire.data()),
                            static_cast<unsigned>(wire.size()));
  }
  if (!options.client_cert.empty()) {
    SSL_CTX_use_certificate_chain_file(ctx_, options.client_cert.c_str());
    SSL_CTX_use_PrivateKey_file(ctx_, options.client_key.c_str(), SSL_FILETYPE_PEM);
  }
}

ClientContext::ClientContext(const std::vector<std::string>& ca_files,
                             const std::string& client_cert, const std::string& client_key)
    : ClientContext([&] {
        TlsOptions o;
        o.ca_files = ca_files;
        o.client_cert = client_cert;
        o.client_key = client_key;
        return o;
      }()) {}

ClientContext::~ClientContext() { SSL_CTX_free(ctx_); }

RawConn::RawConn(int fd, std::chrono::milliseconds io_timeout) : fd_(fd) {
  timeval tv{};
  tv.tv_sec = static_cast<long>(io_timeout.count() / 1000);
  tv.tv_usec = static_cast<long>((io_timeout.count() % 1000) * 1000);
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

std::unique_ptr<RawConn> RawConn::Dial(std::uint16_t port, std::chrono::milliseconds io_timeout) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return nullptr;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<RawConn>(new RawConn(fd, io_timeout));
}

std::unique_ptr<RawConn> RawConn::DialTls(std::uint16_t port, const ClientContext& ctx,
                                          std::string* error,
                                          std::chrono::milliseconds io_timeout) {
  auto conn = Dial(port, io_timeout);
  *error = conn ? conn->StartTls(ctx) : "connect refused";
  if (!error->empty()) return nullptr;
  return conn;
}

RawConn::~RawConn() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  ::close(fd_);
}

std::string RawConn::StartTls(const ClientContext& ctx) {
  ERR_clear_error();
  ssl_ = SSL_new(ctx.get());
  SSL_set_fd(ssl_, fd_);
  SSL_set_tlsext_host_name(ssl_, "localhost");
  SSL_set1_host(ssl_, "localhost");
  const int rc = SSL_connect(ssl_);
  if (rc == 1) return "";
  const int err = SSL_get_error(ssl_, rc);
  char buf[256] = "";
  ERR_error_string_n(ERR_get_error(), buf, sizeof(buf));
  return "handshake failed (ssl error " + std::to_string(err) + "): " + buf;
}

bool RawConn::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    const int chunk = static_cast<int>(std::min<std::size_t>(bytes.size(), 1 << 20));
    long n = 0;
    if (ssl_ != nullptr) {
      n = SSL_write(ssl_, bytes.data(), chunk);
    } else {
      n = ::send(fd_, bytes.data(), static_cast<std::size_t>(chunk), MSG_NOSIGNAL);
    }
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool RawConn::WriteBelowTls(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

long RawConn::Fill() {
  char buf[16384];
  long n = 0;
  if (ssl_ != nullptr) {
    n = SSL_read(ssl_, buf, sizeof(buf));
    if (n <= 0) {
      const int err = SSL_get_error(ssl_, static_cast<int>(n));
      return err == SSL_ERROR_ZERO_RETURN ? 0 : -1;
    }
  } else {
    n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n < 0) return -1;
  }
  in_.append(buf, static_cast<std::size_t>(n));
  return n;
}

std::optional<RawResponse> RawConn::ReadResponse() {
  std::size_t header_end = std::string::npos;
  while ((header_end = in_.find("\r\n\r\n")) == std::string::npos) {
    if (Fill() <= 0) return std::nullopt;
  }
  RawResponse r;
  std::istringstream head(in_.substr(0, header_end));
  std::string line;
  std::getline(head, line);
  if (line.rfind("HTTP/1.", 0) != 0 || line.size() < 12) return std::nullopt;
  r.status = std::atoi(line.c_str() + 9);
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.headers[name] = value;
  }
  const std::size_t length =
      r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
  const std::size_t total = header_end + 4 + length;
  while (in_.size() < total) {
    if (Fill() <= 0) return std::nullopt;
  }
  r.body = in_.substr(header_end + 4, length);
  in_.erase(0, total);
  r.close = r.headers["connection"] == "close";
  return r;
}

RawResponse RawConn::Post(std::string_view target, std::string_view body) {
  if (!Write(PostBytes(target, body))) throw std::runtime_error("cannot write the request");
  auto response = ReadResponse();
  if (!response) throw std::runtime_error("no answer");
  return *response;
}

bool RawConn::ReadsEof() {
  if (!in_.empty()) return false;
  char byte = 0;
  if (ssl_ != nullptr) {
    const int n = SSL_read(ssl_, &byte, 1);
    if (n > 0) return false;
    const int err = SSL_get_error(ssl_, n);
    if (err == SSL_ERROR_ZERO_RETURN || err == SSL_ERROR_SSL) return true;
    // SSL_ERROR_SYSCALL: EOF without close_notify, or reset; a timeout is EAGAIN.
    return err == SSL_ERROR_SYSCALL && errno != EAGAIN && errno != EWOULDBLOCK;
  }
  const auto n = ::recv(fd_, &byte, 1, 0);
  if (n == 0) return true;
  if (n > 0) return false;
  return errno == ECONNRESET || errno == EPIPE;
}

bool RawConn::ReadsCloseNotify() {
  if (!in_.empty() || ssl_ == nullptr) return false;
  char byte = 0;
  const int n = SSL_read(ssl_, &byte, 1);
  return n <= 0 && SSL_get_error(ssl_, n) == SSL_ERROR_ZERO_RETURN;
}

bool RawConn::WriteInRecordsOf(std::string_view bytes, std::size_t record_bytes) {
  if (ssl_ == nullptr || record_bytes == 0) return false;
  while (!bytes.empty()) {
    const int chunk = static_cast<int>(std::min(bytes.size(), record_bytes));
    if (SSL_write(ssl_, bytes.data(), chunk) != chunk) return false;
    bytes.remove_prefix(static_cast<std::size_t>(chunk));
  }
  return true;
}

bool RawConn::ClosedBelowTls() {
  char buf[4096];
  for (;;) {
    const auto n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n == 0) return true;
    if (n < 0) return errno == ECONNRESET || errno == EPIPE;
  }
}

void RawConn::ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

std::string RawConn::PeerFingerprint() const {
  if (ssl_ == nullptr) return "";
  X509* cert = SSL_get1_peer_certificate(ssl_);
  std::string hex = CertFingerprint(cert);
  X509_free(cert);
  return hex;
}

std::string RawConn::NegotiatedAlpn() const {
  const unsigned char* data = nullptr;
  unsigned int len = 0;
  if (ssl_ != nullptr) SSL_get0_alpn_selected(ssl_, &data, &len);
  return std::string(reinterpret_cast<const char*>(data), len);
}

std::string PostBytes(std::string_view target, std::string_view body, bool close) {
  std::string out = "POST ";
  out += target;
  out += " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ";
  out += std::to_string(body.size());
  out += close ? "\r\nConnection: close\r\n\r\n" : "\r\n\r\n";
  out += body;
  return out;
}

std::string PostHead(std::string_view target, std::string_view framing) {
  std::string out = "POST ";
  out += target;
  out += " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";
  out += framing;
  out += "\r\n";
  return out;
}

RawResponse PlainRequest(std::uint16_t port, const std::string& method, const std::string& target) {
  auto conn = RawConn::Dial(port);
  if (!conn) throw std::runtime_error("connect refused");
  const bool has_body = method == "POST" || method == "PUT" || method == "PATCH";
  if (!conn->Write(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" +
                   (has_body ? "Content-Length: 0\r\n" : "") + "\r\n"))
    throw std::runtime_error("cannot write the request");
  auto response = conn->ReadResponse();
  if (!response) throw std::runtime_error("no answer");
  return *response;
}

long VmRssKib(pid_t pid) {
  const std::string path =
      pid == 0 ? std::string("/proc/self/status") : "/proc/" + std::to_string(pid) + "/status";
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

std::unique_ptr<BinaryServer> BinaryServer::Start(const std::string& binary,
                                                  const std::vector<std::string>& args,
                                                  const std::string& log_file) {
  std::vector<std::string> argv = {
      binary, "serve", "--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return nullptr;
  if (pid == 0) {
    FILE* f = std::freopen(log_file.c_str(), "w", stderr);
    (void)f;
    execv(binary.c_str(), cargv.data());
    _exit(127);
  }
  auto server = std::unique_ptr<BinaryServer>(new BinaryServer());
  server->pid_ = pid;
  const auto end = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < end) {
    std::ifstream in(log_file);
    std::string line;
    while (std::getline(in, line)) {
      const auto pos = line.find("\"webhook_port\":");
      const auto mpos = line.find("\"metrics_port\":");
      if (pos == std::string::npos || mpos == std::string::npos) continue;
      server->port_ = static_cast<std::uint16_t>(std::atoi(line.c_str() + pos + 15));
      server->metrics_port_ = static_cast<std::uint16_t>(std::atoi(line.c_str() + mpos + 15));
      return server;
    }
    int status = 0;
    if (server->Exited(&status)) return nullptr;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return nullptr;  // the destructor kills it
}

BinaryServer::~BinaryServer() {
  if (pid_ > 0) Stop(SIGKILL, std::chrono::seconds(5));
}

bool BinaryServer::Exited(int* status) {
  if (pid_ <= 0) return true;
  if (waitpid(pid_, status, WNOHANG) != pid_) return false;
  pid_ = -1;
  return true;
}

int BinaryServer::Stop(int signal, std::chrono::milliseconds limit) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  const auto end = Clock::now() + limit;
  int status = 0;
  while (Clock::now() < end) {
    if (Exited(&status)) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ::kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

LoadGenerator::LoadGenerator(LoadOptions options) : options_(std::move(options)) {}

LoadGenerator::~LoadGenerator() { Stop(); }

void LoadGenerator::Start() {
  for (int i = 0; i < options_.threads; ++i) workers_.emplace_back([this, i] { Worker(i); });
}

void LoadGenerator::Stop() {
  stop_ = true;
  for (auto& t : workers_) t.join();
  workers_.clear();
}

void LoadGenerator::Fail(Clock::time_point sent, std::string what) {
  std::lock_guard lock(mutex_);
  failures_.push_back({sent, std::move(what)});
}

std::vector<LoadFailure> LoadGenerator::failures() const {
  std::lock_guard lock(mutex_);
  return failures_;
}

std::string LoadGenerator::FailureSummary() const {
  std::lock_guard lock(mutex_);
  std::string out = std::to_string(failures_.size()) + " failures";
  for (std::size_t i = 0; i < failures_.size() && i < 5; ++i) out += "\n  " + failures_[i].what;
  return out;
}

// A client modelled on Go's transport (the apiserver's): a pooled connection that the server
// has closed while idle is noticed before reuse (it reads as EOF) and replaced, not written to.
void LoadGenerator::Worker(int index) {
  std::unique_ptr<RawConn> conn;
  int used = 0;
  long seq = 0;
  while (!stop_.load()) {
    if (conn) {
      pollfd p{conn->fd(), POLLIN, 0};
      if (::poll(&p, 1, 0) > 0) conn.reset();  // closed (or closing) while idle
    }
    if (!conn) {
      std::string err;
      conn = RawConn::DialTls(options_.port, *options_.ctx, &err, options_.io_timeout);
      if (!conn) {
        if (options_.tolerate_refused_connections) {
          ++refused_;
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
          continue;
        }
        Fail(Clock::now(), "worker " + std::to_string(index) + ": " + err);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        continue;
      }
      ++connects_;
      used = 0;
    }
    const std::string request = PostBytes(options_.target, options_.body(index, seq++));
    if (!conn->Write(request)) {
      ++unsent_;  // closed before the request could be written
      conn.reset();
      continue;
    }
    const auto sent = Clock::now();
    auto response = conn->ReadResponse();
    if (!response) {
      Fail(sent, "worker " + std::to_string(index) + ": no answer to a written request");
      conn.reset();
      continue;
    }
    if (std::string why = options_.check(*response); !why.empty()) {
      Fail(sent, "worker " + std::to_string(index) + ": " + why);
    } else {
      ++ok_;
      last_ok_ = Clock::now().time_since_epoch().count();
    }
    if (response->close || ++used >= options_.requests_per_connection) conn.reset();
  }
}

}  // namespace albwebhook::testing
