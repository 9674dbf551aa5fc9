// Fuzz target: the server side of TLS of the webhook connections (server/transport/tls_stream.hpp:
// our BIO, the receive and record buffers, the operation state machine) over Beast's in-memory test
// stream, against an OpenSSL client held in memory.
//
// Input: byte 0 picks the mode.
//   even: the rest is what a client sends from its first byte (the handshake itself fuzzed),
//         delivered in fragments of 1..64 bytes (byte 1), the server handshaking and then reading;
//   odd:  a real TLS 1.3 handshake first, then the rest is a script of steps `op len bytes...`:
//         op % 4 == 0  the client writes `bytes` as plaintext (one SSL_write: one or more records)
//         op % 4 == 1  `bytes` are sent below TLS (forged, truncated or corrupted records)
//         op % 4 == 2  the server's reads from now on ask for len + 1 bytes
//         op % 4 == 3  the client sends close_notify
//         when op & 4, what the client has sent so far is then delivered in fragments of
//         len % 97 + 1 bytes (64 times that when op & 8), the server running between them; the
//         records of steps without it pile up, so that the server meets several at once.
// Invariants:
//   - while nothing went below TLS, what the server has read is a prefix of what the client
//     wrote, and all of it once everything is delivered; after a close_notify its read ends with
//     eof; a handshake from the real client succeeds;
//   - after the script, a server that is still reading answers: what it writes and its
//     close_notify reach the client intact;
//   - no crash, no leak (ASan/LSan), whatever arrives.
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "transport/tls_stream.hpp"

namespace albwebhook::fuzz {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
using Stream = transport::detail::TlsStream<beast::test::stream>;

// A server context with a self-signed P-256 certificate made once, and SSL_MODE_RELEASE_BUFFERS
// as the server's own context has; a client context that trusts anything (the certificate is
// not what is fuzzed).
struct Contexts {
  SSL_CTX* server = nullptr;
  SSL_CTX* client = nullptr;

  static const Contexts& Get() {
    static const Contexts contexts = [] {
      Contexts c;
      EVP_PKEY* key = EVP_EC_gen("P-256");
      X509* cert = X509_new();
      FUZZ_CHECK(key != nullptr && cert != nullptr);
      X509_set_version(cert, 2);
      ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
      X509_gmtime_adj(X509_getm_notBefore(cert), 0);
      X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
      X509_set_pubkey(cert, key);
      X509_NAME* name = X509_get_subject_name(cert);
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
      X509_set_issuer_name(cert, name);
      FUZZ_CHECK(X509_sign(cert, key, EVP_sha256()) > 0);
      c.server = SSL_CTX_new(TLS_server_method());
      FUZZ_CHECK(c.server != nullptr);
      SSL_CTX_set_min_proto_version(c.server, TLS1_2_VERSION);
      SSL_CTX_set_mode(c.server, SSL_MODE_RELEASE_BUFFERS);
      FUZZ_CHECK(SSL_CTX_use_certificate(c.server, cert) == 1);
      FUZZ_CHECK(SSL_CTX_use_PrivateKey(c.server, key) == 1);
      X509_free(cert);
      EVP_PKEY_free(key);
      c.client = SSL_CTX_new(TLS_client_method());
      FUZZ_CHECK(c.client != nullptr);
      SSL_CTX_set_verify(c.client, SSL_VERIFY_NONE, nullptr);
      return c;
    }();
    return contexts;
  }
};

// One connection: the server's TLS stream, the client's end of the in-memory pipe, and an
// OpenSSL client over two memory BIOs.
class Connection {
 public:
  Connection() : server_(ioc_, Contexts::Get().server), client_end_(ioc_) {
    server_.next_layer().connect(client_end_);
    client_ = SSL_new(Contexts::Get().client);
    FUZZ_CHECK(client_ != nullptr);
    to_client_ = BIO_new(BIO_s_mem());
    to_server_ = BIO_new(BIO_s_mem());
    SSL_set_bio(client_, to_client_, to_server_);  // owned by client_ from here
    SSL_set_connect_state(client_);
  }
  // A read still pending is destroyed with the io_context, never run.
  ~Connection() { SSL_free(client_); }

  Stream& server() { return server_; }
  void Run() {
    ioc_.restart();
    ioc_.poll();
  }

  /// Delivers what the client wrote, in fragments of `fragment` bytes, the server running
  /// between them; then hands what the server wrote to the client's BIO.
  void Deliver(std::size_t fragment) {
    std::string wire = Take(to_server_);
    wire.insert(0, below_tls_);
    below_tls_.clear();
    for (std::size_t at = 0; at < wire.size(); at += fragment) {
      const std::string_view part = std::string_view(wire).substr(at, fragment);
      boost::system::error_code ec;
      net::write(client_end_, net::buffer(part.data(), part.size()), ec);
      Run();
    }
    Run();
    const std::string back(client_end_.str());
    client_end_.clear();
    if (!back.empty()) BIO_write(to_client_, back.data(), static_cast<int>(back.size()));
  }
  void BelowTls(std::string_view bytes) { below_tls_.append(bytes); }

  SSL* client() { return client_; }

 private:
  static std::string Take(BIO* bio) {
    std::string out;
    char chunk[4096];
    int n = 0;
    while ((n = BIO_read(bio, chunk, sizeof(chunk))) > 0) out.append(chunk, chunk + n);
    return out;
  }

  net::io_context ioc_;
  Stream server_;
  beast::test::stream client_end_;
  SSL* client_ = nullptr;
  BIO* to_client_ = nullptr;  // the server's bytes, for the client to read
  BIO* to_server_ = nullptr;  // the client's bytes, to deliver
  std::string below_tls_;     // forged bytes, delivered before the client's next ones
};

// The server's side of the run: handshake, then read until an error.
struct ServerState {
  bool handshake_done = false;
  bool handshake_failed = false;
  bool reading = false;
  bool read_failed = false;
  boost::system::error_code read_error;
  std::size_t read_size = 4096;
  std::string received;
  std::vector<char> buffer;
};

void ReadOn(Stream& server, ServerState& state) {
  state.buffer.resize(state.read_size);
  state.reading = true;
  server.async_read_some(net::buffer(state.buffer),
                         [&server, &state](boost::system::error_code ec, std::size_t n) {
                           state.reading = false;
                           FUZZ_CHECK(n <= state.buffer.size());
                           state.received.append(state.buffer.data(), n);
                           if (ec) {
                             state.read_failed = true;
                             state.read_error = ec;
                             return;
                           }
                           FUZZ_CHECK(n > 0);
                           ReadOn(server, state);
                         });
}

void StartServer(Stream& server, ServerState& state) {
  server.async_handshake([&server, &state](boost::system::error_code ec, std::size_t) {
    if (ec) {
      state.handshake_failed = true;
      return;
    }
    state.handshake_done = true;
    ReadOn(server, state);
  });
}

void RawMode(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return;
  const std::size_t fragment = data[1] % 64 + 1;
  ServerState state;  // outlives the connection, whose pending read refers to it
  Connection c;
  StartServer(c.server(), state);
  c.Run();
  c.BelowTls(std::string_view(reinterpret_cast<const char*>(data + 2), size - 2));
  c.Deliver(fragment);
}

void ScriptMode(const std::uint8_t* data, std::size_t size) {
  ServerState state;  // outlives the connection, whose pending read refers to it
  Connection c;
  StartServer(c.server(), state);
  c.Run();
  // The real client's handshake: a few flights.
  for (int flight = 0; flight < 8 && !SSL_is_init_finished(c.client()); ++flight) {
    SSL_do_handshake(c.client());
    c.Deliver(1 << 14);
  }
  SSL_do_handshake(c.client());
  c.Deliver(1 << 14);
  FUZZ_CHECK(SSL_is_init_finished(c.client()));
  FUZZ_CHECK(state.handshake_done && !state.handshake_failed);

  std::string sent;
  bool injected = false, closed = false;
  std::size_t at = 1;
  while (at + 2 <= size) {
    const std::uint8_t op = data[at];
    const std::size_t len = data[at + 1];
    at += 2;
    const std::size_t n = std::min(len, size - at);
    const std::string_view bytes(reinterpret_cast<const char*>(data + at), n);
    at += n;
    switch (op % 4) {
      case 0:
        if (!closed && n > 0 && SSL_write(c.client(), bytes.data(), static_cast<int>(n)) > 0) {
          sent.append(bytes);
        }
        break;
      case 1:
        c.BelowTls(bytes);
        injected = injected || n > 0;
        break;
      case 2:
        state.read_size = len + 1;  // from the next read on
        break;
      default:
        if (!closed) SSL_shutdown(c.client());
        closed = true;
        break;
    }
    // Bit 2: deliver now (else the next steps' records pile up behind these, so that a read
    // meets several whole records at once); bit 3: in fragments 64 times larger.
    if ((op & 4) == 0) continue;
    c.Deliver((len % 97 + 1) * ((op & 8) != 0 ? 64 : 1));
    if (!injected) {
      FUZZ_CHECK(std::string_view(sent).starts_with(state.received));
      FUZZ_CHECK(!state.read_failed || closed);
    }
  }
  c.Deliver(1 << 14);
  if (!injected) {
    FUZZ_CHECK(state.received == sent);
    if (closed) {
      FUZZ_CHECK(state.read_failed && state.read_error == net::error::eof);
    } else {
      FUZZ_CHECK(state.reading);
    }
  }
  if (state.read_failed || closed) return;
  // The server answers and closes: the client gets the bytes and a close_notify.
  const std::string answer(1 + (size % 40000), 'a');
  bool wrote = false, shut = false;
  Stream& server = c.server();
  net::async_write(server, net::buffer(answer), [&](boost::system::error_code ec, std::size_t n) {
    if (ec) return;
    FUZZ_CHECK(n == answer.size());
    wrote = true;
    server.async_shutdown([&](boost::system::error_code sec, std::size_t) { shut = !sec; });
  });
  c.Run();
  c.Deliver(1 << 14);
  if (injected) return;  // the server may have failed on a forged record first
  FUZZ_CHECK(wrote && shut);
  std::string got;
  char chunk[4096];
  int r = 0;
  while ((r = SSL_read(c.client(), chunk, sizeof(chunk))) > 0) got.append(chunk, chunk + r);
  FUZZ_CHECK(got == answer);
  FUZZ_CHECK(SSL_get_error(c.client(), r) == SSL_ERROR_ZERO_RETURN);
}

}  // namespace
}  // namespace albwebhook::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  if (data[0] % 2 == 0) {
    albwebhook::fuzz::RawMode(data, size);
  } else {
    albwebhook::fuzz::ScriptMode(data, size);
  }
  ERR_clear_error();
  return 0;
}
