#pragma once
// The request loop of one client connection: HTTP/1.1 requests read under kube-apiserver's
// limits, each routed and answered, until the client or an answer ends the connection.
//
// This is everything a client's bytes reach before kcache asks the network anything: reading,
// limits, the request target, routing and authentication. It knows the connection only as a
// ClientStream, so the server runs it over TLS and the server fuzzer over bytes in memory.
//
// What a client cannot take down: a request Beast cannot read gets Go's plain answer (400, 431,
// 505) and the connection closes; a body over the limit is read to the end and refused with
// 413; a failure while a request is served (an exception, a bug) is contained to that request
// and its connection (kube/failures.h), as Go's server does when a handler panics.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "proxy/client_stream.h"
#include "proxy/exchange.h"
#include "proxy/identity.h"

namespace kcache {

struct ConnectionLimits {
  // Go's http.Server default, which kube-apiserver keeps: 1 MiB of headers plus the 4 KiB of
  // slack Go allows (else 431).
  size_t max_header_bytes = (1 << 20) + 4096;
  // kube-apiserver refuses request bodies above 3 MiB.
  size_t max_body_bytes = 3 * 1024 * 1024;
  std::chrono::seconds header_timeout{32};  // a request's header must arrive within it
  std::chrono::seconds idle_timeout{90};    // between requests of a kept-alive connection
};

// What a connection's requests are served with.
struct Connection {
  ServerServices& services;
  UpstreamPool& pool;        // this worker's upstream connections without kcache's credentials
  UpstreamPool& own_pool;    // this worker's upstream connections as kcache
  UpstreamPool& front_pool;  // this worker's front-proxy connections (when configured)
  const ConnectionLimits& limits;
  std::string remote_address;
  // The client certificate, judged once after the TLS handshake.
  std::optional<UserInfo> certificate_user;
  bool certificate_rejected = false;
};

// Serves requests from `stream` until the connection is to end; it does not close the stream.
boost::asio::awaitable<void> ServeRequests(ClientStream& stream, const Connection& connection);

}  // namespace kcache
