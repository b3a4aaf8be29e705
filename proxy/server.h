#pragma once
// Server: the HTTPS front end. Worker threads each run their own io_context; a connection
// stays on one worker for its whole life, so a session's operations never race. Requests are
// read with Beast under size and time limits, routed, and answered from the cache or passed
// through to the upstream.

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/result.hpp>

#include "proxy/authenticator.h"
#include "proxy/authorizer.h"
#include "proxy/connection.h"
#include "proxy/discovery_cache.h"
#include "proxy/exchange.h"
#include "proxy/limits.h"
#include "proxy/metrics.h"
#include "proxy/table_catalog.h"
#include "proxy/tls.h"

namespace kcache {

struct ServerOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 8443;
  int workers = 0;  // 0: one per core
  ConnectionLimits connection;
  size_t upstream_idle_per_worker = 32;
  ProxyOptions proxy;
  AuthenticationOptions authentication;
  AuthorizationOptions authorization;
  LimitOptions limits;
};

class Server {
 public:
  Server(ServerOptions options, Cache& cache, std::shared_ptr<Upstream> upstream,
         std::unique_ptr<ServerTls> tls, ProjectionRegistry& projections);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; the port is known afterwards (useful with port 0).
  boost::system::result<void, std::string> Listen();
  uint16_t port() const { return port_; }
  // Serves until Stop; runs the worker threads.
  void Run();
  void Stop();

  Metrics& metrics() { return metrics_; }

 private:
  struct Worker;
  void Accept();
  void WatchCertificateFiles();

  ServerOptions options_;
  Metrics metrics_;
  Authenticator authenticator_;
  Authorizer authorizer_;
  Limits limits_;
  TableCatalog tables_;
  DiscoveryCache discovery_;
  ServerServices services_;
  std::unique_ptr<ServerTls> tls_;
  std::unique_ptr<boost::asio::steady_timer> tls_reload_timer_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  size_t next_worker_ = 0;
  uint16_t port_ = 0;
};

}  // namespace kcache
