// The server side of a TLS connection, over a Beast basic_stream (whose deadlines it keeps):
// OpenSSL reads the bytes the stream received from a buffer of the connection and writes its
// records into another, through a BIO of our own (tls_stream.cpp). Replaces asio::ssl::stream
// for the webhook connections (issue 14): that one holds four 17 KiB buffers per connection for
// its whole life (two of them zero-filled at construction, the other two an OpenSSL BIO pair) and
// copies every byte through the pair. Here a connection holds its SSL object, a receive buffer
// that is only touched as far as bytes arrive, and the records of the write in progress.
//
// One operation at a time (handshake, read, write, shutdown): the HTTP session never reads and
// writes at once. A read that OpenSSL can answer from bytes already received completes through
// a post (never inside the initiating call). The shutdown sends close_notify and does not wait
// for the peer's.
#pragma once

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>

namespace albwebhook::transport::detail {

/// What OpenSSL's BIO reads from and writes to (tls_stream.cpp).
struct TlsBuffers {
  /// Bytes received per read at most: four of the largest TLS records (16 KiB of plaintext plus
  /// the expansion allowed), so that a large body takes few reads. Only the pages the received
  /// bytes reach are ever touched.
  static constexpr std::size_t kInSize = 4 * (16 * 1024 + 2048 + 5);
  std::unique_ptr<unsigned char[]> in;   // allocated on the first read, never zero-filled
  std::size_t in_begin = 0, in_end = 0;  // received, not yet read by OpenSSL: [in_begin, in_end)
  std::string out;                       // records OpenSSL wrote, not yet sent
};

/// A new SSL object for a server connection of `ctx`, with a BIO over `buffers` (which must
/// outlive it); nullptr when OpenSSL cannot allocate one.
SSL* NewServerSsl(SSL_CTX* ctx, TlsBuffers& buffers);

/// The error of an OpenSSL call that failed with `ssl_error` (SSL_get_error), as asio's TLS
/// stream reports it: a close_notify is the end of the stream (eof), a library error carries
/// OpenSSL's code in asio's ssl category. Empties this thread's OpenSSL error queue.
boost::system::error_code TlsError(int ssl_error);

template <class NextLayer>
class TlsStream {
 public:
  using next_layer_type = NextLayer;
  using executor_type = typename NextLayer::executor_type;

  template <class Arg>
  TlsStream(Arg&& arg, SSL_CTX* ctx)
      : next_(std::forward<Arg>(arg)), ssl_(NewServerSsl(ctx, buffers_)) {}
  ~TlsStream() {
    if (ssl_ != nullptr) SSL_free(ssl_);
  }
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  executor_type get_executor() noexcept { return next_.get_executor(); }
  NextLayer& next_layer() noexcept { return next_; }
  const NextLayer& next_layer() const noexcept { return next_; }
  SSL* native_handle() noexcept { return ssl_; }

  template <class Token>
  auto async_handshake(Token&& token) {
    return Start(Handshake{}, std::forward<Token>(token));
  }
  template <class Token>
  auto async_shutdown(Token&& token) {
    return Start(Shutdown{}, std::forward<Token>(token));
  }
  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    Read read;
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      if (boost::asio::mutable_buffer b(*it); b.size() > 0) {
        read.buffer = b;
        break;
      }
    }
    return Start(read, std::forward<Token>(token));
  }
  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    Write write;
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers) && write.count < Write::kMaxBuffers;
         ++it) {
      if (boost::asio::const_buffer b(*it); b.size() > 0) write.buffers[write.count++] = b;
    }
    return Start(write, std::forward<Token>(token));
  }

 private:
  // The OpenSSL call of each operation: 1 and the bytes done on success, else its result.
  struct Handshake {
    int operator()(SSL* ssl, std::size_t& done) const {
      done = 0;
      return SSL_do_handshake(ssl);
    }
  };
  struct Shutdown {
    int operator()(SSL* ssl, std::size_t& done) const {
      done = 0;
      const int r = SSL_shutdown(ssl);  // 0: close_notify sent; the peer's is not awaited
      return r >= 0 ? 1 : r;
    }
  };
  struct Read {
    boost::asio::mutable_buffer buffer;
    bool Empty() const { return buffer.size() == 0; }
    // SSL_read_ex gives one record at most: the records already received are read on into the
    // rest of the buffer (a large body takes a quarter of the reads). A failure after the first
    // record ends the read with what it got; OpenSSL reports the failure again on the next call
    // (a close_notify, a fatal error), or it wanted more bytes.
    int operator()(SSL* ssl, std::size_t& done) const {
      const int r = SSL_read_ex(ssl, buffer.data(), buffer.size(), &done);
      if (r != 1) return r;
      auto* out = static_cast<unsigned char*>(buffer.data());
      std::size_t more = 0;
      while (done < buffer.size() &&
             SSL_read_ex(ssl, out + done, buffer.size() - done, &more) == 1) {
        done += more;
      }
      return 1;  // what the last call queued, if anything, is cleared before the next call
    }
  };
  struct Write {
    // Plaintext encrypted per call, at most: the records of one write_some stay bounded.
    static constexpr std::size_t kMaxBytes = 64 * 1024;
    static constexpr std::size_t kMaxBuffers = 8;
    boost::asio::const_buffer buffers[kMaxBuffers];
    std::size_t count = 0;
    bool Empty() const { return count == 0; }
    int operator()(SSL* ssl, std::size_t& done) const {
      done = 0;
      for (std::size_t i = 0; i < count && done < kMaxBytes; ++i) {
        const std::size_t n = std::min(buffers[i].size(), kMaxBytes - done);
        std::size_t written = 0;
        const int r = SSL_write_ex(ssl, buffers[i].data(), n, &written);
        if (r != 1) return done > 0 ? 1 : r;  // what was written is reported; the error next time
        done += written;
        if (written < n) break;  // a partial write: the rest of this buffer comes first next time
      }
      return 1;
    }
  };

  template <class Action>
  static bool EmptyRequest(const Action& action) {
    if constexpr (requires { action.Empty(); }) {
      return action.Empty();
    } else {
      return false;
    }
  }

  // The operation: run the OpenSSL call; send what it wrote; when it wants bytes, receive some
  // and run it again.
  template <class Action>
  struct Op {
    TlsStream* stream;
    Action action;
    enum class Step { kStart, kDeliver, kSent, kReceived } step = Step::kStart;
    bool finished = false;  // the call succeeded or failed: complete once the records are sent
    boost::system::error_code result_ec;
    std::size_t result_n = 0;

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec = {}, std::size_t n = 0) {
      TlsBuffers& buffers = stream->buffers_;
      switch (step) {
        case Step::kStart:
          if (stream->ssl_ == nullptr) {
            return Post(self, boost::asio::error::no_memory, 0);
          }
          if (EmptyRequest(action)) return Post(self, {}, 0);
          break;
        case Step::kDeliver:
          return self.complete(result_ec, result_n);
        case Step::kSent:
          buffers.out.clear();
          if (buffers.out.capacity() > kKeptOut) std::string().swap(buffers.out);
          if (ec) return self.complete(ec, 0);
          if (finished) return self.complete(result_ec, result_n);
          break;
        case Step::kReceived:
          if (ec) return self.complete(ec, 0);
          buffers.in_end += n;
          break;
      }
      const bool started_here = step == Step::kStart;
      // SSL_get_error reads this thread's error queue: it must hold nothing from elsewhere.
      ERR_clear_error();
      std::size_t done = 0;
      const int r = action(stream->ssl_, done);
      const int error = r == 1 ? SSL_ERROR_NONE : SSL_get_error(stream->ssl_, r);
      if (error != SSL_ERROR_WANT_READ) {
        finished = true;
        result_n = error == SSL_ERROR_NONE ? done : 0;
        if (error != SSL_ERROR_NONE) result_ec = TlsError(error);  // empties the queue
      }
      if (!buffers.out.empty()) {
        step = Step::kSent;
        boost::asio::async_write(stream->next_, boost::asio::buffer(buffers.out), std::move(self));
        return;
      }
      if (finished) {
        if (started_here) return Post(self, result_ec, result_n);
        return self.complete(result_ec, result_n);
      }
      // OpenSSL has read everything received: receive more, from the start of the buffer.
      if (!buffers.in) buffers.in.reset(new unsigned char[TlsBuffers::kInSize]);
      buffers.in_begin = buffers.in_end = 0;
      step = Step::kReceived;
      stream->next_.async_read_some(boost::asio::buffer(buffers.in.get(), TlsBuffers::kInSize),
                                    std::move(self));
    }

    // Completes through the executor (never inside the initiating call): this operation,
    // posted, delivers the result.
    template <class Self>
    void Post(Self& self, boost::system::error_code ec, std::size_t n) {
      step = Step::kDeliver;
      result_ec = ec;
      result_n = n;
      boost::asio::post(std::move(self));
    }
  };

  template <class Action, class Token>
  auto Start(Action action, Token&& token) {
    return boost::asio::async_compose<Token, void(boost::system::error_code, std::size_t)>(
        Op<Action>{this, std::move(action), {}, false, {}, 0}, token, next_);
  }

  // What a connection keeps between writes, at most, of its record buffer.
  static constexpr std::size_t kKeptOut = 16 * 1024;

  NextLayer next_;
  TlsBuffers buffers_;  // declared before ssl_: its BIO points here
  SSL* ssl_;
};

}  // namespace albwebhook::transport::detail
