#pragma once
// What Go's HTTP server, and so kube-apiserver, refuses once it has read a request's header,
// before any handler runs; and the request targets it serves besides /path?query.
//
// Beast parses HTTP/1.1 more loosely in places where a proxy must not: it takes a body framed
// by a Transfer-Encoding other than a lone "chunked" (a request-smuggling surface), and an
// HTTP/1.1 request without a Host. Go's answers, byte for byte (net/http server.go, Go 1.26):
// - Transfer-Encoding other than one field of "chunked" on HTTP/1.1: 501, "Unsupported
//   transfer encoding";
// - HTTP/1.1 without a Host (CONNECT excepted): 400, "missing required Host header"; a Host
//   with bytes a host cannot have: 400, "malformed Host header"; two Hosts: a plain 400;
// - an Expect other than 100-continue: 417, and the connection closes.

#include <optional>
#include <string>
#include <string_view>

#include "proxy/exchange.h"

namespace kcache {

// The whole response Go writes instead of serving `request` (its header read, its body not
// yet), after which the connection closes; nullopt when the request goes on.
std::optional<std::string> RefusalOf(const HttpRequest& request);

// Whether the client waits for "100 Continue" before it sends the body (Go answers it when
// the body is read, kcache before reading it).
bool ExpectsContinue(const HttpRequest& request);

// The target as origin-form "/path?query": itself, or the path and query of an absolute-form
// target ("https://host/path?query", which Go serves as its path). nullopt for targets Go
// cannot parse as a request URI; "*" (OPTIONS *) and CONNECT's authority-form are not
// origin-form either and are answered on their own.
std::optional<std::string_view> OriginForm(std::string_view target);

}  // namespace kcache
