// The serving TLS context and its hot reload (see tls_context.hpp).
#include "transport/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/buffer.hpp>
#include <cstring>

#include "albwebhook/log/log.hpp"
#include "albwebhook/util/result.hpp"
#include "transport/openssl_util.hpp"

namespace albwebhook::transport::detail {

namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;

// ALPN: the apiserver offers only http/1.1 to service webhooks. Select it; refuse clients that
// offer only other protocols (we never speak h2).
int SelectAlpn(SSL* /*ssl*/, const unsigned char** out, unsigned char* outlen,
               const unsigned char* in, unsigned int inlen, void* /*arg*/) {
  static const unsigned char kHttp11[] = {'h', 't', 't', 'p', '/', '1', '.', '1'};
  for (unsigned int i = 0; i < inlen;) {
    const unsigned int len = in[i];
    if (i + 1 + len > inlen) break;
    if (len == sizeof(kHttp11) && std::memcmp(in + i + 1, kHttp11, len) == 0) {
      *out = in + i + 1;
      *outlen = static_cast<unsigned char>(len);
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + len;
  }
  return SSL_TLSEXT_ERR_ALERT_FATAL;
}

// TLS 1.2 suites: ECDHE with AEAD only. TLS 1.3 suites are all AEAD (OpenSSL defaults).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

struct LoadedTls {
  std::shared_ptr<ssl::context> context;
  double not_after = 0;  // unix seconds
};

// Builds a server context from PEM files; errors name the file and OpenSSL's reason.
Result<LoadedTls> BuildTlsContext(const std::string& cert_pem, const std::string& key_pem,
                                  const std::string& ca_pem) {
  ERR_clear_error();
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(
      native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1)
    return Error{"cipher list: " + OpenSslError()};
  SSL_CTX_set_alpn_select_cb(native, SelectAlpn, nullptr);
  boost::system::error_code ec;
  ctx->use_certificate_chain(net::buffer(cert_pem), ec);
  if (ec) return Error{"certificate: " + OpenSslError()};
  ctx->use_private_key(net::buffer(key_pem), ssl::context::pem, ec);
  if (ec) return Error{"private key: " + OpenSslError()};
  if (SSL_CTX_check_private_key(native) != 1) {
    return Error{"private key does not match the certificate: " + OpenSslError()};
  }
  if (!ca_pem.empty()) {
    ctx->add_certificate_authority(net::buffer(ca_pem), ec);
    if (ec) return Error{"client CA: " + OpenSslError()};
    ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  }
  LoadedTls out;
  X509* leaf = SSL_CTX_get0_certificate(native);
  if (leaf == nullptr) return Error{"certificate: no certificate found"};
  out.not_after = NotAfterUnixSeconds(leaf);
  if (X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0) {
    log::Warn("serving certificate has expired", {{"not_after", out.not_after}});
  }
  out.context = std::move(ctx);
  return out;
}

}  // namespace

TlsStore::Outcome TlsStore::Reload(std::string* error, double* not_after) {
  std::lock_guard lock(mutex_);
  auto cert = ReadFile(cert_file_);
  auto key = ReadFile(key_file_);
  Result<std::string> ca = std::string();
  if (!ca_file_.empty()) ca = ReadFile(ca_file_);
  if (!cert || !key || !ca) {
    const std::string why = !cert  ? cert.error().message
                            : !key ? key.error().message
                                   : ca.error().message;
    if (why == last_error_) return Outcome::kUnchanged;  // report a missing file once
    last_error_ = why;
    *error = why;
    return Outcome::kFailed;
  }
  std::string fingerprint = *cert + '\0' + *key + '\0' + *ca;
  if (fingerprint == last_tried_) return Outcome::kUnchanged;
  last_tried_ = std::move(fingerprint);
  last_error_.clear();
  auto loaded = BuildTlsContext(*cert, *key, *ca);
  if (!loaded) {
    *error = cert_file_ + " / " + key_file_ + ": " + loaded.error().message;
    return Outcome::kFailed;
  }
  *not_after = loaded->not_after;
  current_.store(loaded->context);
  return Outcome::kReloaded;
}

}  // namespace albwebhook::transport::detail
