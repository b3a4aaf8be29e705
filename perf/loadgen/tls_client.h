#pragma once
// A blocking HTTPS/1.1 client connection on plain OpenSSL: one thread per connection, large
// reads, no per-record event-loop round trips. Measuring a server's list latency needs a client
// that is not itself the bottleneck: decrypting a 100 MB response through an event loop costs
// more than some servers take to produce it.

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace loadgen {

struct HttpResponse {
  unsigned status = 0;
  size_t body_bytes = 0;
  std::string head;  // the body's first bytes: a list's metadata (and continue token) is there
};

class TlsClient {
 public:
  // `ca_file` empty: the server's certificate is not verified.
  explicit TlsClient(const std::string& ca_file);
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  class Connection;
  // Throws std::runtime_error when the server cannot be reached.
  std::unique_ptr<Connection> Connect(const std::string& host, const std::string& port);

 private:
  SSL_CTX* context_;
};

class TlsClient::Connection {
 public:
  Connection(int fd, SSL* ssl);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends a GET and reads the whole response (Content-Length or chunked), keeping only the
  // body's first bytes. Throws std::runtime_error on a broken connection or response.
  HttpResponse Get(const std::string& host, const std::string& path,
                   const std::string& headers);

 private:
  // Reads more decrypted bytes into the buffer; throws at the end of the stream.
  void Fill();
  std::string_view ReadLine();
  // Consumes `count` body bytes.
  void Skip(size_t count, HttpResponse& response);

  int fd_;
  SSL* ssl_;
  std::vector<char> buffer_;
  size_t begin_ = 0, end_ = 0;
};

}  // namespace loadgen
