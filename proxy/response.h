#pragma once
// Writing responses to a client: kube-apiserver's common headers, Status errors, and bodies made
// of pieces, coalesced into large TLS writes (OpenSSL writes one record per buffer, so many
// small buffers would mean many small records).

#include <memory>
#include <optional>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>

#include "proxy/gzip.h"

#include "proxy/encode.h"
#include "proxy/exchange.h"

namespace kcache {

// Audit-Id, Cache-Control and Date, as kube-apiserver sets them on every API response.
void SetCommonHeaders(boost::beast::http::fields& headers, const Exchange& exchange);

// Writes a complete response; false when the client went away. A body larger than the gzip
// threshold, to a client that accepts gzip, is compressed (and sent chunked).
boost::asio::awaitable<bool> WriteResponse(Exchange& exchange, unsigned status,
                                           std::string_view content_type,
                                           const BodyPieces& body);
boost::asio::awaitable<bool> WriteStatus(Exchange& exchange, const Status& status);

// Writes `header` (status and headers set, framing not) and then `pieces`, `size` bytes in all:
// gzipped at `gzip_level` (chunked, with Content-Encoding and Vary) or as they are (with
// Content-Length). A 304 gets the header alone, a HEAD the header with its framing.
boost::asio::awaitable<bool> WriteHeaderAndBody(
    Exchange& exchange, boost::beast::http::response<boost::beast::http::empty_body>& header,
    const std::vector<std::string_view>& pieces, size_t size, std::optional<int> gzip_level);

// Writes `pieces` to the stream in chunks of about `chunk_bytes`, as raw bytes (no framing).
boost::asio::awaitable<bool> WriteRaw(ClientStream& stream,
                                      const std::vector<std::string_view>& pieces,
                                      size_t chunk_bytes);

// Writes an HTTP/1.1 chunked body. Pieces are coalesced into chunks of about `chunk_bytes`;
// with a gzip level, what each Write is given becomes one gzip member, so the client can read
// it as soon as it arrives (a watch's events).
class ChunkedWriter {
 public:
  ChunkedWriter(ClientStream& stream, size_t chunk_bytes, std::optional<int> gzip_level);
  ~ChunkedWriter();
  boost::asio::awaitable<bool> Write(const std::vector<std::string_view>& pieces);
  boost::asio::awaitable<bool> Write(std::string_view text);
  // The last chunk: the body ends.
  boost::asio::awaitable<bool> End();

 private:
  boost::asio::awaitable<bool> Flush();

  ClientStream& stream_;
  size_t chunk_bytes_;
  std::unique_ptr<GzipStream> gzip_;
  std::string chunk_;
};

// The gzip level for a response of `body_bytes` to this request (nullopt: a stream of unknown
// length), or none when it goes uncompressed.
std::optional<int> GzipLevelFor(const Exchange& exchange, std::optional<size_t> body_bytes);

// "Tue, 15 Nov 1994 08:12:31 GMT"
std::string HttpDate();
std::string NewAuditId();

}  // namespace kcache
