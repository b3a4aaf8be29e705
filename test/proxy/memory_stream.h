#pragma once
// A client connection held in memory: what the client sends is given up front, what kcache
// writes is collected. The request path (proxy/connection.h) runs over it exactly as over TLS,
// without a socket, so tests and the server fuzzer can feed it any bytes.
//
// Reads return at most `read_chunk` bytes each (a client's bytes arrive in pieces), then the end
// of the stream; operations complete through the executor, never inline, as a socket's do.

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

#include "proxy/client_stream.h"

namespace kcache::test {

class MemoryClientStream final : public ClientStream {
 public:
  MemoryClientStream(boost::asio::any_io_executor executor, std::string input,
                     size_t read_chunk = 4096)
      : executor_(std::move(executor)), input_(std::move(input)),
        read_chunk_(std::max<size_t>(read_chunk, 1)) {}

  // Everything kcache wrote.
  const std::string& written() const { return written_; }
  bool shut_down() const { return shut_down_; }

  executor_type get_executor() override { return executor_; }
  void ExpiresAfter(std::chrono::steady_clock::duration) override {}
  void ExpiresNever() override {}
  void Cancel() override {}
  void Close() override { open_ = false; }
  bool IsOpen() const override { return open_; }

 protected:
  void ReadSome(boost::asio::mutable_buffer buffer, IoHandler handler) override {
    boost::system::error_code ec;
    size_t n = std::min({buffer.size(), read_chunk_, input_.size() - read_});
    if (!open_) {
      ec = boost::asio::error::bad_descriptor;
      n = 0;
    } else if (n == 0 && buffer.size() > 0) {
      ec = boost::asio::error::eof;
    }
    std::memcpy(buffer.data(), input_.data() + read_, n);
    read_ += n;
    Complete(std::move(handler), ec, n);
  }

  void WriteSome(const WriteBuffers& buffers, IoHandler handler) override {
    boost::system::error_code ec;
    size_t n = 0;
    if (open_) {
      for (boost::asio::const_buffer buffer : buffers) {
        written_.append(static_cast<const char*>(buffer.data()), buffer.size());
        n += buffer.size();
      }
    } else {
      ec = boost::asio::error::broken_pipe;
    }
    Complete(std::move(handler), ec, n);
  }

  void Shutdown(DoneHandler handler) override {
    shut_down_ = true;
    open_ = false;
    boost::asio::post(executor_, [handler = std::move(handler)]() mutable {
      std::move(handler)(boost::system::error_code());
    });
  }

 private:
  void Complete(IoHandler handler, boost::system::error_code ec, size_t n) {
    boost::asio::post(executor_, [handler = std::move(handler), ec, n]() mutable {
      std::move(handler)(ec, n);
    });
  }

  boost::asio::any_io_executor executor_;
  std::string input_;
  size_t read_chunk_;
  size_t read_ = 0;
  std::string written_;
  bool open_ = true;
  bool shut_down_ = false;
};

}  // namespace kcache::test
