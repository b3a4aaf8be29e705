#pragma once
// HTTP/1.1 parsers that fail a read, instead of throwing, on a header Beast cannot hold.
//
// Beast's fields keep each name and value length in 16 bits and throw std::length_error when a
// field is longer. The throw happens inside an asynchronous read's intermediate handler, so it
// leaves the io_context's run() rather than the coroutine awaiting the read, and ends the
// process: one header value over 64 KiB, from a client without credentials or from a broken
// upstream, was enough. These parsers check every field (headers and chunked trailers) before
// it is stored and fail the read with http::error::header_limit, which the caller answers as
// any other header over its limit (a client gets 431). Everything else is Beast's parser.
//
// Use these wherever bytes from the network are parsed; Beast's own parsers never.

#include <cstddef>
#include <cstdint>

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>

namespace kcache {

// The longest field name or value a Beast message holds: its 16-bit lengths count two bytes
// of separator too.
inline constexpr size_t kMaxHeaderFieldBytes = 65535 - 2;

// Response headers read from the upstream: 1 MiB, where Beast's default is 8 KiB (Go's client,
// which kube-apiserver's other clients use, allows 10 MiB). Requests set their own limit.
inline constexpr uint32_t kMaxResponseHeaderBytes = 1 << 20;

template <bool kIsRequest, class Body>
class HttpParser : public boost::beast::http::parser<kIsRequest, Body> {
 public:
  HttpParser() {
    if constexpr (!kIsRequest) this->header_limit(kMaxResponseHeaderBytes);
  }

 private:
  void on_field_impl(boost::beast::http::field name, boost::beast::string_view name_string,
                     boost::beast::string_view value, boost::beast::error_code& ec) override {
    if (name_string.size() > kMaxHeaderFieldBytes || value.size() > kMaxHeaderFieldBytes) {
      ec = boost::beast::http::error::header_limit;
      return;
    }
    this->get().insert(name, name_string, value);
  }
};

template <class Body>
using RequestParser = HttpParser<true, Body>;
template <class Body>
using ResponseParser = HttpParser<false, Body>;

}  // namespace kcache
