#pragma once
// A server's request path with no network behind it: the services ServeRequests needs, built
// around an upstream nothing listens on, and a cache that never syncs. Everything a client's
// bytes reach before kcache asks the upstream runs for real (reading, limits, the target,
// routing, authentication, rate limits); what would ask the upstream (token reviews,
// authorization, pass-through) fails at once, as with an unreachable upstream. Used by the
// connection tests and the server fuzzer.

#include <memory>
#include <stdexcept>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "cache/cache.h"
#include "projections/registry.h"
#include "proxy/authenticator.h"
#include "proxy/authorizer.h"
#include "proxy/connection.h"
#include "proxy/discovery_cache.h"
#include "proxy/limits.h"
#include "proxy/metrics.h"
#include "proxy/table_catalog.h"
#include "proxy/upstream_pool.h"
#include "test/proxy/memory_stream.h"

namespace kcache::test {

struct OfflineServerOptions {
  bool anonymous = false;
  // Port 1 on the loopback: connections are refused at once.
  std::string upstream = "https://127.0.0.1:1";
  ConnectionLimits limits;
};

class OfflineServer {
 public:
  explicit OfflineServer(OfflineServerOptions options = {})
      : options_(std::move(options)),
        upstream_(MakeUpstream(options_.upstream)),
        cache_(MakeCache(upstream_)),
        authenticator_(AuthenticationOptions{.anonymous = options_.anonymous}),
        authorizer_(AuthorizationOptions{}),
        // No rate limit: a test or the fuzzer sends far more than a user's share.
        limits_(LimitOptions{.user_qps = 0}),
        tables_(*cache_, upstream_),
        discovery_(*cache_, upstream_),
        services_{*cache_, upstream_, ProxyOptions{}, metrics_, authenticator_, authorizer_,
                  limits_, projections_, tables_, discovery_},
        pool_(upstream_, UpstreamIdentity::kNone, 4),
        own_pool_(upstream_, UpstreamIdentity::kKcache, 4),
        front_pool_(upstream_, UpstreamIdentity::kFrontProxy, 4) {}

  struct Served {
    std::string written;    // every byte kcache sent back
    bool finished = false;  // the request loop returned (it did not hang or throw)
  };

  // Runs one connection that sends `input` (in reads of `read_chunk` bytes) to the end.
  Served Serve(std::string input, size_t read_chunk = 4096) {
    boost::asio::io_context context;
    MemoryClientStream stream(context.get_executor(), std::move(input), read_chunk);
    Connection connection{.services = services_,
                          .pool = pool_,
                          .own_pool = own_pool_,
                          .front_pool = front_pool_,
                          .limits = options_.limits,
                          .remote_address = "192.0.2.1"};
    Served served;
    boost::asio::co_spawn(
        context,
        [&]() -> boost::asio::awaitable<void> {
          co_await ServeRequests(stream, connection);
          served.finished = true;
        },
        // An exception escaping the request path is a failure of the test: it ends run().
        [](std::exception_ptr error) {
          if (error) std::rethrow_exception(error);
        });
    context.run();
    served.written = stream.written();
    return served;
  }

  Metrics& metrics() { return metrics_; }

 private:
  static std::shared_ptr<Upstream> MakeUpstream(const std::string& server) {
    UpstreamConfig config;
    config.server = server;
    size_t colon = server.rfind(':');
    config.host = server.substr(8, colon - 8);
    config.port = server.substr(colon + 1);
    config.insecure_skip_tls_verify = true;
    auto upstream = Upstream::Create(config);
    if (!upstream) throw std::runtime_error(upstream.error());
    return std::move(*upstream);
  }

  static std::unique_ptr<Cache> MakeCache(std::shared_ptr<Upstream> upstream) {
    auto cache = Cache::Create(CacheOptions{}, std::move(upstream));
    if (!cache) throw std::runtime_error(cache.error());
    return std::move(*cache);
  }

  OfflineServerOptions options_;
  std::shared_ptr<Upstream> upstream_;
  std::unique_ptr<Cache> cache_;
  Metrics metrics_;
  Authenticator authenticator_;
  Authorizer authorizer_;
  Limits limits_;
  ProjectionRegistry projections_;
  TableCatalog tables_;
  DiscoveryCache discovery_;
  ServerServices services_;
  UpstreamPool pool_;
  UpstreamPool own_pool_;
  UpstreamPool front_pool_;
};

}  // namespace kcache::test
