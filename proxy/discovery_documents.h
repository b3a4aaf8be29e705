#pragma once
// Discovery and OpenAPI documents kcache keeps copies of: which requests a copy may answer, what
// of the upstream's answer a copy keeps, and how it answers a conditional request. These are
// the rules of proxy/discovery_cache.h and proxy/discovery_handler.h, kept apart from threads
// and sockets.
//
// kube-apiserver gives these documents to every authenticated user alike, in the form the
// Accept header chooses: aggregated discovery (apidiscovery.k8s.io) or the legacy lists, JSON
// or protobuf; OpenAPI in JSON or protobuf. kcache does not repeat that negotiation. A copy
// belongs to one Accept header as clients send it (blanks removed) and holds whatever the
// upstream answered to exactly that header, so two spellings of one preference are two copies:
// that costs a fetch, never a wrong answer. Whatever else could change the answer (other query
// parameters, ranges, other preconditions, encoded paths) sends the request to the upstream.

#include <chrono>
#include <compare>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>

#include "kube/upstream.h"

namespace kcache {

struct DiscoveryKey {
  std::string target;  // the path, with ?hash=... for a hashed OpenAPI v3 document
  std::string accept;  // the client's Accept header without blanks ("" when it sent none)

  auto operator<=>(const DiscoveryKey&) const = default;
};

// The copy a GET may be answered from, or nullopt when the request goes to the upstream.
// Discovery paths: /api, /api/<version>, /apis, /apis/<group>, /apis/<group>/<version>,
// /version, /openapi/v2, /openapi/v3 and /openapi/v3/<document>. The only query parameters
// allowed are `timeout` in client-go's whole-unit forms (32s, 1m0s: it bounds the upstream's
// work, not the answer) and, on OpenAPI v3 documents, `hash`.
std::optional<DiscoveryKey> DiscoveryKeyFor(
    const boost::beast::http::request_header<boost::beast::http::fields>& request);

// An upstream answer kept for clients: the headers that describe the document (type,
// validator, caching) and its bytes. Immutable once made; shared with the responses being
// written.
struct DiscoveryDocument {
  std::vector<std::pair<std::string, std::string>> headers;
  std::shared_ptr<const std::string> body;
  std::string etag;  // the ETag header as sent (quoted), "" without one
  // The upstream gzips this document for clients that accept gzip (kube-apiserver: OpenAPI v2
  // always, discovery above 128 KiB, OpenAPI v3 never); kcache then does too. The headers are
  // those of the uncompressed answer.
  bool gzipped_upstream = false;
  // Last-Modified is the time of each answer (the OpenAPI v3 index): served as kcache's own.
  bool modified_when_answered = false;
  // When the upstream last answered that this is the document (200 or 304).
  std::chrono::steady_clock::time_point confirmed;
};

// The copy to keep of the upstream's answer to `key`, or nullopt when none is kept: anything
// but a 200, and /api in its legacy form, whose serverAddressByClientCIDRs kube-apiserver picks
// by the client's address.
std::optional<DiscoveryDocument> KeptDocument(const DiscoveryKey& key, FetchResult fetched,
                                              std::chrono::steady_clock::time_point now);

// `document` after the upstream answered 304 to a refresh: the 304's caching headers replace
// the copy's (RFC 9111 4.3.4; kube-openapi moves Expires on with every answer).
DiscoveryDocument Revalidated(const DiscoveryDocument& document,
                              const boost::beast::http::fields& not_modified,
                              std::chrono::steady_clock::time_point now);

// What a 304 carries: the copy's ETag, Cache-Control, Expires and Vary, as Go's
// http.ServeContent and kube-apiserver's discovery handler send them (no Content-Type,
// Last-Modified or Accept-Ranges).
std::vector<std::pair<std::string, std::string>> NotModifiedHeaders(
    const DiscoveryDocument& document);

enum class ConditionalAnswer {
  kDocument,     // 200 with the document
  kNotModified,  // 304
  kUpstream,     // a precondition kcache leaves to the upstream
};

// How a copy with `etag` answers If-None-Match (`if_none_match`, "" when absent). kube-apiserver
// compares one quoted tag with its own, string for string (aggregated discovery), or reads a
// list with weak comparison (OpenAPI, through http.ServeContent): a single strong tag means the
// same to both; lists, weak tags and * go to the upstream.
ConditionalAnswer AnswerIfNoneMatch(std::string_view if_none_match, std::string_view etag);

}  // namespace kcache
