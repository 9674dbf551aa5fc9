// TlsStream's BIO: OpenSSL reads the connection's received bytes from TlsBuffers::in and appends
// its records to TlsBuffers::out; a read with nothing received asks to be retried (the stream
// then receives more). See tls_stream.hpp.
#include "transport/tls_stream.hpp"

#include <openssl/bio.h>

#include <climits>
#include <cstring>

namespace albwebhook::transport::detail {
namespace {

TlsBuffers& BuffersOf(BIO* bio) { return *static_cast<TlsBuffers*>(BIO_get_data(bio)); }

int BioRead(BIO* bio, char* data, int size) {
  BIO_clear_retry_flags(bio);
  TlsBuffers& buffers = BuffersOf(bio);
  const std::size_t available = buffers.in_end - buffers.in_begin;
  if (available == 0 || size <= 0) {
    BIO_set_retry_read(bio);
    return -1;
  }
  const std::size_t n = std::min(available, static_cast<std::size_t>(size));
  std::memcpy(data, buffers.in.get() + buffers.in_begin, n);
  buffers.in_begin += n;
  return static_cast<int>(n);
}

int BioWrite(BIO* bio, const char* data, int size) {
  BIO_clear_retry_flags(bio);
  if (size <= 0) return 0;
  BuffersOf(bio).out.append(data, static_cast<std::size_t>(size));
  return size;
}

long BioCtrl(BIO* bio, int command, long /*number*/, void* /*pointer*/) {
  switch (command) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_PENDING: {  // bytes that can be read
      const TlsBuffers& buffers = BuffersOf(bio);
      return static_cast<long>(buffers.in_end - buffers.in_begin);
    }
    case BIO_CTRL_WPENDING:  // bytes written, not yet sent (the stream sends them all)
      return static_cast<long>(BuffersOf(bio).out.size());
    default:
      return 0;
  }
}

int BioCreate(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

// Created once, never freed (BIOs of every connection use it until the process ends).
BIO_METHOD* Method() {
  static BIO_METHOD* const method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "albwebhook-tls");
    if (m == nullptr) return m;
    BIO_meth_set_write(m, BioWrite);
    BIO_meth_set_read(m, BioRead);
    BIO_meth_set_ctrl(m, BioCtrl);
    BIO_meth_set_create(m, BioCreate);
    return m;
  }();
  return method;
}

}  // namespace

SSL* NewServerSsl(SSL_CTX* ctx, TlsBuffers& buffers) {
  BIO_METHOD* method = Method();
  if (method == nullptr || ctx == nullptr) return nullptr;
  SSL* ssl = SSL_new(ctx);
  if (ssl == nullptr) return nullptr;
  BIO* bio = BIO_new(method);
  if (bio == nullptr) {
    SSL_free(ssl);
    return nullptr;
  }
  BIO_set_data(bio, &buffers);
  SSL_set_bio(ssl, bio, bio);  // one BIO both ways; the SSL object owns (and frees) it
  // As asio's stream sets them: a write may end after some records and be retried from a moved
  // buffer. Idle connections hand their record buffers back (SSL_MODE_RELEASE_BUFFERS, set on
  // the context).
  SSL_set_mode(ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_set_accept_state(ssl);
  return ssl;
}

boost::system::error_code TlsError(int ssl_error) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();  // the rest of the queue, if any: the error is the first one
  if (ssl_error == SSL_ERROR_ZERO_RETURN) return boost::asio::error::eof;
  if (ssl_error == SSL_ERROR_SSL && code != 0) {
    return {static_cast<int>(code), boost::asio::error::get_ssl_category()};
  }
  // No library error recorded (our BIO never fails a read or a write): the stream ended in an
  // unexpected way.
  return boost::asio::ssl::error::stream_truncated;
}

}  // namespace albwebhook::transport::detail
