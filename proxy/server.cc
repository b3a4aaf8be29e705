#include "proxy/server.h"

#include <iostream>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "kube/failpoints.h"
#include "kube/failures.h"
#include "proxy/connection.h"
#include "proxy/tls.h"
#include "proxy/tls_client_stream.h"
#include "proxy/upstream_pool.h"

namespace kcache {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kShutdownTimeout = std::chrono::seconds(2);
constexpr std::string_view kCertificateReload = "serving certificate reload";

asio::awaitable<void> RunSession(ServerServices& services, UpstreamPool& pool,
                                 UpstreamPool& own_pool, UpstreamPool& front_pool,
                                 const ServerOptions& options,
                                 std::shared_ptr<asio::ssl::context> tls, tcp::socket socket,
                                 // Held for as long as the connection lives.
                                 [[maybe_unused]] std::unique_ptr<Limits::Slot> connection_slot) {
  GaugeHold connection_gauge(services.metrics.connections_active);
  boost::system::error_code ignored;
  std::string remote = socket.remote_endpoint(ignored).address().to_string();
  socket.set_option(tcp::no_delay(true), ignored);
  TlsClientStream stream(std::move(socket), *tls);

  stream.ExpiresAfter(options.connection.header_timeout);
  auto [handshake_ec] = co_await stream.tls().async_handshake(
      asio::ssl::stream_base::server, asio::as_tuple(asio::use_awaitable));
  if (IsPlainHttpInsteadOfTls(handshake_ec)) {
    co_await asio::async_write(stream.tls().next_layer(), asio::buffer(kPlainHttpAnswer),
                               asio::as_tuple(asio::use_awaitable));
    co_return;
  }
  if (!handshake_ec) {
    Connection connection{.services = services,
                          .pool = pool,
                          .own_pool = own_pool,
                          .front_pool = front_pool,
                          .limits = options.connection,
                          .remote_address = std::move(remote)};
    connection.certificate_user =
        ClientCertificateUser(stream.tls().native_handle(), connection.certificate_rejected);
    co_await ServeRequests(stream, connection);
  }
  if (stream.IsOpen()) {
    stream.ExpiresAfter(kShutdownTimeout);
    co_await stream.async_shutdown(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace

struct Server::Worker {
  Worker(const std::shared_ptr<Upstream>& upstream, size_t idle)
      : context(1),
        pool(upstream, UpstreamIdentity::kNone, idle),
        own_pool(upstream, UpstreamIdentity::kKcache, idle),
        front_pool(upstream, UpstreamIdentity::kFrontProxy, idle) {}
  asio::io_context context;
  UpstreamPool pool;        // connections carrying no credentials of kcache's
  UpstreamPool own_pool;    // connections as kcache (reviews, impersonation)
  UpstreamPool front_pool;  // connections with the front-proxy certificate
  std::thread thread;
};

Server::Server(ServerOptions options, Cache& cache, std::shared_ptr<Upstream> upstream,
               std::unique_ptr<ServerTls> tls, ProjectionRegistry& projections)
    : options_(std::move(options)),
      authenticator_(options_.authentication),
      authorizer_(options_.authorization),
      limits_(options_.limits),
      tables_(cache, upstream),
      discovery_(cache, upstream),
      services_{cache, upstream, options_.proxy, metrics_, authenticator_, authorizer_, limits_,
                projections, tables_, discovery_},
      tls_(std::move(tls)) {
  int count = options_.workers > 0 ? options_.workers
                                   : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 0; i < count; ++i) {
    workers_.push_back(std::make_unique<Worker>(upstream, options_.upstream_idle_per_worker));
  }
}

Server::~Server() { Stop(); }

boost::system::result<void, std::string> Server::Listen() {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options_.bind_address, ec);
  if (ec) return "bad --bind-address " + options_.bind_address;
  tcp::endpoint endpoint(address, options_.port);
  acceptor_ = std::make_unique<tcp::acceptor>(workers_.front()->context);
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return "listening on " + options_.bind_address + ":" + std::to_string(options_.port) +
                 ": " + ec.message();
  port_ = acceptor_->local_endpoint().port();
  Accept();
  tls_reload_timer_ = std::make_unique<asio::steady_timer>(workers_.front()->context);
  WatchCertificateFiles();
  return {};
}

void Server::Accept() {
  Worker& worker = *workers_[next_worker_++ % workers_.size()];
  acceptor_->async_accept(worker.context, [this, &worker](boost::system::error_code ec,
                                                          tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    // Past the connection limit, new connections are closed at once.
    auto slot = ec ? nullptr : limits_.TryConnection();
    if (slot) {
      asio::co_spawn(worker.context,
                     RunSession(services_, worker.pool, worker.own_pool, worker.front_pool, options_,
                                tls_->Current(), std::move(socket), std::move(slot)),
                     ContainEscaped{kBoundaryConnection, ""});
    }
    Accept();
  });
}

void Server::WatchCertificateFiles() {
  tls_reload_timer_->expires_after(std::chrono::seconds(10));
  tls_reload_timer_->async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    // The files are the operator's: one that cannot be loaded keeps the previous certificate.
    // Anything else that goes wrong is contained, and the check runs again all the same.
    try {
      ThrowAtFailpoint(kCertificateReload);
      if (std::string error = tls_->ReloadIfChanged(); !error.empty()) {
        std::cerr << "kcache: keeping the previous serving certificate: " << error << std::endl;
      }
      Failures::Process().LoopUp(kCertificateReload);
    } catch (...) {
      std::string what = Describe(std::current_exception());
      bool news = Failures::Process().LoopDown(kCertificateReload, what);
      Failures::Process().Contain(kBoundaryLoop, kCertificateReload, what, /*log=*/news);
    }
    WatchCertificateFiles();
  });
}

void Server::Run() {
  tables_.Start();
  discovery_.Start();
  for (size_t i = 0; i < workers_.size(); ++i) {
    workers_[i]->thread = std::thread([&context = workers_[i]->context, i] {
      RunContained(context, "worker " + std::to_string(i));
    });
  }
  for (auto& worker : workers_) {
    if (worker->thread.joinable()) worker->thread.join();
  }
}

void Server::Stop() {
  tables_.Stop();
  discovery_.Stop();
  for (auto& worker : workers_) worker->context.stop();
}

}  // namespace kcache
