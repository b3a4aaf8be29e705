#pragma once
// Writing responses to a client: kube-apiserver's common headers, Status errors, and bodies made
// of pieces, coalesced into large TLS writes (OpenSSL writes one record per buffer, so many
// small buffers would mean many small records).

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/fields.hpp>

#include "proxy/encode.h"
#include "proxy/exchange.h"

namespace kcache {

// Audit-Id, Cache-Control and Date, as kube-apiserver sets them on every API response.
void SetCommonHeaders(boost::beast::http::fields& headers, const Exchange& exchange);

// Writes a complete response; false when the client went away.
boost::asio::awaitable<bool> WriteResponse(Exchange& exchange, unsigned status,
                                           std::string_view content_type,
                                           const BodyPieces& body);
boost::asio::awaitable<bool> WriteStatus(Exchange& exchange, const Status& status);

// Writes `pieces` to the stream in chunks of about `chunk_bytes`, as raw bytes (no framing).
boost::asio::awaitable<bool> WriteRaw(ClientStream& stream,
                                      const std::vector<std::string_view>& pieces,
                                      size_t chunk_bytes);

// "Tue, 15 Nov 1994 08:12:31 GMT"
std::string HttpDate();
std::string NewAuditId();

}  // namespace kcache
