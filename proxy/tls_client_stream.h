#pragma once
// TlsClientStream: a client connection of the server, TLS over TCP. Deadlines are Beast's
// tcp_stream timeouts: an operation still pending when one passes fails with
// beast::error::timeout and the socket is closed.

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "proxy/client_stream.h"

namespace kcache {

class TlsClientStream final : public ClientStream {
 public:
  TlsClientStream(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& context)
      : stream_(std::move(socket), context) {}

  // The TLS layer itself, for the handshake and the client certificate.
  boost::beast::ssl_stream<boost::beast::tcp_stream>& tls() { return stream_; }

  executor_type get_executor() override { return stream_.get_executor(); }
  void ExpiresAfter(std::chrono::steady_clock::duration timeout) override {
    boost::beast::get_lowest_layer(stream_).expires_after(timeout);
  }
  void ExpiresNever() override { boost::beast::get_lowest_layer(stream_).expires_never(); }
  void Cancel() override { boost::beast::get_lowest_layer(stream_).cancel(); }
  void Close() override {
    boost::system::error_code ignored;
    boost::beast::get_lowest_layer(stream_).socket().close(ignored);
  }
  bool IsOpen() const override {
    return boost::beast::get_lowest_layer(stream_).socket().is_open();
  }

 protected:
  // The handlers run on the connection's executor, which they were started from anyway: bound
  // to it because Beast's TLS layer asks the handler's executor for blocking.never, which the
  // type-erased handler's own executor does not offer (Asio 1.26).
  void ReadSome(boost::asio::mutable_buffer buffer, IoHandler handler) override {
    stream_.async_read_some(buffer, boost::asio::bind_executor(get_executor(), std::move(handler)));
  }
  void WriteSome(const WriteBuffers& buffers, IoHandler handler) override {
    stream_.async_write_some(buffers,
                             boost::asio::bind_executor(get_executor(), std::move(handler)));
  }
  void Shutdown(DoneHandler handler) override {
    stream_.async_shutdown(boost::asio::bind_executor(get_executor(), std::move(handler)));
  }

 private:
  boost::beast::ssl_stream<boost::beast::tcp_stream> stream_;
};

}  // namespace kcache
