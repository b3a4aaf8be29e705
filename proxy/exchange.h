#pragma once
// Types shared by the front end's handlers: the client connection, the request being served,
// and how a handler leaves the connection.

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "kube/query_params.h"
#include "kube/request_info.h"
#include "kube/status.h"
#include "kube/upstream.h"
#include "proxy/client_stream.h"
#include "proxy/gzip.h"
#include "proxy/identity.h"

namespace kcache {

class Cache;
class Upstream;
class UpstreamPool;
class Metrics;
class TableCatalog;
class DiscoveryCache;
class Authenticator;
class Authorizer;
class Limits;
class ProjectionRegistry;

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

struct ProxyOptions {
  // How long a write passed through waits for the cache to see its resourceVersion.
  std::chrono::milliseconds read_your_writes_timeout{5000};
  // How long a read for a resourceVersion the cache has not reached waits for it before the
  // upstream is asked instead. A quiet resource's version only moves with the upstream's
  // bookmarks (about once a minute), while clients may carry versions from other resources.
  std::chrono::milliseconds newer_version_wait{250};
  // Watches without timeoutSeconds last this long times a random factor in [1, 2).
  std::chrono::seconds min_request_timeout{1800};
  std::chrono::seconds bookmark_interval{60};
  // Largest body written in one TLS write.
  size_t write_chunk_bytes = 256 * 1024;
  GzipOptions gzip;
};

// Everything a handler may use, shared by all connections of the server.
struct ServerServices {
  Cache& cache;
  std::shared_ptr<Upstream> upstream;
  ProxyOptions options;
  Metrics& metrics;
  Authenticator& authenticator;
  Authorizer& authorizer;
  Limits& limits;
  ProjectionRegistry& projections;
  TableCatalog& tables;
  DiscoveryCache& discovery;
};

// One request on one client connection.
struct Exchange {
  ClientStream& stream;
  boost::beast::flat_buffer& buffer;
  HttpRequest& request;
  std::string path;  // decoded
  std::string raw_query;
  QueryParams query;
  RequestInfo info;
  std::string remote_address;
  std::string audit_id;
  ServerServices& services;
  UpstreamPool& pool;      // this worker's upstream connections without kcache's credentials
  UpstreamPool& own_pool;  // this worker's upstream connections as kcache
  UpstreamPool& front_pool;  // this worker's front-proxy connections (when configured)
  // The connection's client certificate, judged once after the TLS handshake.
  const std::optional<UserInfo>& certificate_user;
  bool certificate_rejected = false;
  UserInfo user;  // set by the router once the request is authenticated
  // Warning headers kcache's own answer carries (the cached resource's, as the upstream sends).
  std::vector<std::string> warnings;
  // How the request reaches the upstream. Token and anonymous users: with their own
  // credentials (kNone). Certificate users: through the front-proxy certificate with X-Remote-*
  // headers naming them, or, without one, through kcache's identity with Impersonate-* headers.
  // `identity_headers` are those headers.
  UpstreamIdentity upstream_identity = UpstreamIdentity::kNone;
  std::vector<std::pair<std::string, std::string>> identity_headers;
};

enum class AfterResponse { kKeepAlive, kClose };

}  // namespace kcache
