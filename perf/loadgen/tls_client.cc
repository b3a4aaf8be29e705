#include "perf/loadgen/tls_client.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <strings.h>

namespace loadgen {
namespace {

constexpr size_t kBufferBytes = 1 << 20;
constexpr size_t kHeadBytes = 4096;

[[noreturn]] void Fail(const std::string& what) { throw std::runtime_error(what); }

}  // namespace

TlsClient::TlsClient(const std::string& ca_file) : context_(SSL_CTX_new(TLS_client_method())) {
  if (ca_file.empty()) {
    SSL_CTX_set_verify(context_, SSL_VERIFY_NONE, nullptr);
  } else {
    if (SSL_CTX_load_verify_locations(context_, ca_file.c_str(), nullptr) != 1) {
      Fail("cannot read CA " + ca_file);
    }
    SSL_CTX_set_verify(context_, SSL_VERIFY_PEER, nullptr);
  }
  // Read whole socket buffers at once rather than one TLS record header at a time.
  SSL_CTX_set_read_ahead(context_, 1);
  SSL_CTX_set_default_read_buffer_len(context_, 256 * 1024);
}

TlsClient::~TlsClient() { SSL_CTX_free(context_); }

std::unique_ptr<TlsClient::Connection> TlsClient::Connect(const std::string& host,
                                                          const std::string& port) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || !found) {
    Fail("cannot resolve " + host);
  }
  int fd = socket(found->ai_family, SOCK_STREAM, 0);
  int connected = connect(fd, found->ai_addr, found->ai_addrlen);
  freeaddrinfo(found);
  if (connected != 0) {
    close(fd);
    Fail("cannot connect to " + host + ":" + port);
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  SSL* ssl = SSL_new(context_);
  SSL_set_fd(ssl, fd);
  SSL_set_tlsext_host_name(ssl, host.c_str());
  if (SSL_connect(ssl) != 1) {
    SSL_free(ssl);
    close(fd);
    Fail("TLS handshake with " + host + ":" + port + " failed");
  }
  return std::make_unique<Connection>(fd, ssl);
}

TlsClient::Connection::Connection(int fd, SSL* ssl) : fd_(fd), ssl_(ssl), buffer_(kBufferBytes) {}

TlsClient::Connection::~Connection() {
  SSL_free(ssl_);
  close(fd_);
}

void TlsClient::Connection::Fill() {
  if (begin_ == end_) begin_ = end_ = 0;
  if (end_ == buffer_.size()) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) Fail("response line too long");
  int got = SSL_read(ssl_, buffer_.data() + end_, static_cast<int>(buffer_.size() - end_));
  if (got <= 0) {
    ERR_clear_error();
    Fail("connection closed");
  }
  end_ += static_cast<size_t>(got);
}

std::string_view TlsClient::Connection::ReadLine() {
  while (true) {
    const char* start = buffer_.data() + begin_;
    const void* newline = std::memchr(start, '\n', end_ - begin_);
    if (newline) {
      size_t length = static_cast<const char*>(newline) - start;
      begin_ += length + 1;
      std::string_view line(start, length);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      return line;
    }
    Fill();
  }
}

void TlsClient::Connection::Skip(size_t count, HttpResponse& response) {
  while (count > 0) {
    if (begin_ == end_) Fill();
    size_t take = std::min(count, end_ - begin_);
    if (response.head.size() < kHeadBytes) {
      response.head.append(buffer_.data() + begin_, std::min(take, kHeadBytes - response.head.size()));
    }
    begin_ += take;
    count -= take;
    response.body_bytes += take;
  }
}

HttpResponse TlsClient::Connection::Get(const std::string& host, const std::string& path,
                                        const std::string& headers) {
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + host +
                        "\r\nUser-Agent: kcache-loadgen\r\n" + headers + "\r\n";
  if (SSL_write(ssl_, request.data(), static_cast<int>(request.size())) <= 0) {
    ERR_clear_error();
    Fail("write failed");
  }
  HttpResponse response;
  std::string_view status_line = ReadLine();
  if (status_line.size() < 12) Fail("bad status line");
  response.status = static_cast<unsigned>(std::stoi(std::string(status_line.substr(9, 3))));
  long content_length = -1;
  bool chunked = false;
  for (std::string_view line = ReadLine(); !line.empty(); line = ReadLine()) {
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(line.substr(0, colon));
    std::string value(line.substr(colon + 1));
    value.erase(0, value.find_first_not_of(' '));
    if (strcasecmp(name.c_str(), "content-length") == 0) content_length = std::stol(value);
    if (strcasecmp(name.c_str(), "transfer-encoding") == 0 && value.find("chunked") != std::string::npos) {
      chunked = true;
    }
  }
  if (chunked) {
    while (true) {
      size_t size = std::stoul(std::string(ReadLine()), nullptr, 16);
      if (size == 0) {
        while (!ReadLine().empty()) {
        }
        break;
      }
      Skip(size, response);
      ReadLine();  // the CRLF after the chunk
    }
  } else if (content_length >= 0) {
    Skip(static_cast<size_t>(content_length), response);
  } else {
    Fail("response without a length");
  }
  return response;
}

}  // namespace loadgen
