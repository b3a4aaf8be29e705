#pragma once
// ClientStream: one client connection's bytes as the request path sees them.
//
// Reading a request, routing it and writing its answer need bytes in, bytes out, a deadline and
// a way to end the connection: not TLS, not a socket. The server's connections are TLS over TCP
// (proxy/tls_client_stream.h); the server fuzzer and tests run the same request path over
// bytes in memory (test/proxy/memory_stream.h). It is an Asio stream, so Beast reads requests
// from it and writes responses to it as from any other.
//
// A read takes the first non-empty buffer of the sequence it is given (Beast reads into one
// buffer); a write passes on up to kMaxWriteBuffers of its sequence by value, so the TLS layer
// can still gather a response's many small header buffers into one record (Beast's
// flat_stream) rather than send a record per field. The indirection costs one virtual call per
// operation and copies no bytes.
//
// Threading: as any Asio stream, at most one read and one write outstanding, on the
// connection's executor.

#include <array>
#include <chrono>
#include <cstddef>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/system/error_code.hpp>

namespace kcache {

// The leading buffers of a write's sequence, held by value: an Asio buffer sequence.
class WriteBuffers {
 public:
  static constexpr size_t kMaxBuffers = 16;

  template <class ConstBuffers>
  explicit WriteBuffers(const ConstBuffers& buffers) {
    auto end = boost::asio::buffer_sequence_end(buffers);
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != end && count_ < kMaxBuffers; ++it) {
      boost::asio::const_buffer buffer(*it);
      if (buffer.size() > 0) buffers_[count_++] = buffer;
    }
  }

  const boost::asio::const_buffer* begin() const { return buffers_.data(); }
  const boost::asio::const_buffer* end() const { return buffers_.data() + count_; }

 private:
  std::array<boost::asio::const_buffer, kMaxBuffers> buffers_{};
  size_t count_ = 0;
};

class ClientStream {
 public:
  using executor_type = boost::asio::any_io_executor;
  using IoHandler =
      boost::asio::any_completion_handler<void(boost::system::error_code, std::size_t)>;
  using DoneHandler = boost::asio::any_completion_handler<void(boost::system::error_code)>;

  virtual ~ClientStream() = default;

  virtual executor_type get_executor() = 0;

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, boost::asio::mutable_buffer buffer) {
          ReadSome(buffer, std::move(handler));
        },
        token, FirstBuffer<boost::asio::mutable_buffer>(buffers));
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const WriteBuffers& leading) {
          WriteSome(leading, std::move(handler));
        },
        token, WriteBuffers(buffers));
  }

  // Ends the connection as its protocol wants (TLS: close_notify), then closes it.
  template <class Token>
  auto async_shutdown(Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code)>(
        [this](auto handler) { Shutdown(std::move(handler)); }, token);
  }

  // Operations still pending, or started, after `timeout` fail (until set again).
  virtual void ExpiresAfter(std::chrono::steady_clock::duration timeout) = 0;
  virtual void ExpiresNever() = 0;
  // Pending operations end with operation_aborted; the connection stays usable.
  virtual void Cancel() = 0;
  // The connection ends at once: pending operations fail and the peer sees it closed.
  virtual void Close() = 0;
  virtual bool IsOpen() const = 0;

 protected:
  virtual void ReadSome(boost::asio::mutable_buffer buffer, IoHandler handler) = 0;
  virtual void WriteSome(const WriteBuffers& buffers, IoHandler handler) = 0;
  virtual void Shutdown(DoneHandler handler) = 0;

 private:
  template <class Buffer, class Buffers>
  static Buffer FirstBuffer(const Buffers& buffers) {
    auto end = boost::asio::buffer_sequence_end(buffers);
    for (auto it = boost::asio::buffer_sequence_begin(buffers); it != end; ++it) {
      Buffer buffer(*it);
      if (buffer.size() > 0) return buffer;
    }
    return Buffer();
  }
};

}  // namespace kcache
