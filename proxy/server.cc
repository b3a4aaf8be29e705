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
#include <boost/url/parse.hpp>

#include "kube/spawn_guard.h"
#include "kube/status.h"
#include "proxy/passthrough.h"
#include "proxy/upstream_pool.h"
#include "proxy/response.h"
#include "proxy/router.h"
#include "proxy/tls.h"

namespace kcache {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kShutdownTimeout = std::chrono::seconds(2);

// The plain answer Go's HTTP server writes itself when it cannot read a request (431, 400,
// 505), byte for byte: no Content-Length, and the connection closes after it.
asio::awaitable<void> WriteEarlyError(ClientStream& stream, std::string_view status_text) {
  std::string response = "HTTP/1.1 " + std::string(status_text) +
                         "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n" +
                         std::string(status_text);
  co_await asio::async_write(stream, asio::buffer(response), asio::as_tuple(asio::use_awaitable));
}

// kube-apiserver reads a body over its limit to the end, then answers 413 with a Status; the
// client sees the answer instead of a connection reset in the middle of its upload.
asio::awaitable<void> RefuseLargeBody(ClientStream& stream, beast::flat_buffer& buffer,
                                      http::request_parser<http::string_body>& parser,
                                      const ServerOptions& options) {
  constexpr uint64_t kMostDrained = 64 << 20;
  uint64_t remaining = parser.content_length().value_or(0);
  remaining = std::min(remaining, kMostDrained);
  remaining -= std::min<uint64_t>(remaining, buffer.size());
  buffer.consume(buffer.size());
  std::vector<char> scratch(64 * 1024);
  beast::get_lowest_layer(stream).expires_after(options.header_timeout);
  while (remaining > 0) {
    auto [ec, n] = co_await stream.async_read_some(
        asio::buffer(scratch.data(), std::min<uint64_t>(scratch.size(), remaining)),
        asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    remaining -= n;
  }
  Status status{.reason = "RequestEntityTooLarge",
                .message = "Request entity too large: limit is " +
                           std::to_string(options.max_body_bytes),
                .code = 413};
  http::response<http::string_body> response{http::status::payload_too_large, 11};
  response.set(http::field::content_type, "application/json");
  response.set(http::field::connection, "close");
  response.body() = status.ToJson();
  response.prepare_payload();
  co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<void> RunSession(ServerServices& services, UpstreamPool& pool,
                                 UpstreamPool& own_pool, UpstreamPool& front_pool,
                                 const ServerOptions& options,
                                 std::shared_ptr<asio::ssl::context> tls, tcp::socket socket,
                                 std::unique_ptr<Limits::Slot> connection_slot) {
  services.metrics.connections_active.fetch_add(1);
  boost::system::error_code ignored;
  std::string remote = socket.remote_endpoint(ignored).address().to_string();
  ClientStream stream(std::move(socket), *tls);
  auto& lowest = beast::get_lowest_layer(stream);
  lowest.socket().set_option(tcp::no_delay(true), ignored);

  lowest.expires_after(options.header_timeout);
  auto [handshake_ec] = co_await stream.async_handshake(asio::ssl::stream_base::server,
                                                        asio::as_tuple(asio::use_awaitable));
  bool certificate_rejected = false;
  std::optional<UserInfo> certificate_user;
  if (!handshake_ec) {
    certificate_user = ClientCertificateUser(stream.native_handle(), certificate_rejected);
  }
  beast::flat_buffer buffer;
  bool open = !handshake_ec;
  bool first = true;
  while (open) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<uint32_t>(options.max_header_bytes));
    parser.body_limit(options.max_body_bytes);
    // A fresh connection gets the header timeout; an idle one the keep-alive timeout.
    lowest.expires_after(first ? options.header_timeout : options.idle_timeout);
    first = false;
    boost::system::error_code read_ec;
    size_t n = 0;
    try {
      std::tie(read_ec, n) = co_await http::async_read(stream, buffer, parser,
                                                       asio::as_tuple(asio::use_awaitable));
    } catch (const std::length_error&) {
      // Beast keeps field lengths in 16 bits and throws for a longer header value.
      read_ec = http::error::header_limit;
    }
    if (read_ec == http::error::header_limit) {
      co_await WriteEarlyError(stream, "431 Request Header Fields Too Large");
      break;
    }
    if (read_ec == http::error::body_limit) {
      co_await RefuseLargeBody(stream, buffer, parser, options);
      break;
    }
    if (read_ec) {
      // A request Beast cannot parse gets Go's plain 400; a closed or idle connection nothing.
      bool malformed =
          read_ec.category() == http::make_error_code(http::error::bad_method).category() &&
          read_ec != http::error::end_of_stream && read_ec != http::error::partial_message;
      if (read_ec == http::error::bad_version) {
        co_await WriteEarlyError(stream,
                                 "505 HTTP Version Not Supported: unsupported protocol version");
      } else if (malformed) {
        co_await WriteEarlyError(stream, "400 Bad Request");
      }
      break;
    }
    lowest.expires_never();

    HttpRequest request = parser.release();
    std::string_view target = request.target();
    size_t question = target.find('?');
    std::string path;
    if (!PercentDecode(target.substr(0, question), false, path) || path.empty() ||
        path.front() != '/') {
      co_await WriteEarlyError(stream, "400 Bad Request");
      break;
    }
    Exchange exchange{stream, buffer, request, path,
                      question == std::string_view::npos ? std::string()
                                                         : std::string(target.substr(question + 1)),
                      {}, {}, remote, "", services, pool, own_pool, front_pool, certificate_user,
                      certificate_rejected};
    exchange.query = QueryParams::Parse(exchange.raw_query);
    exchange.info = ParseRequestInfo(std::string(request.method_string()), path, exchange.query);
    std::string_view client_audit_id = request["Audit-ID"];
    exchange.audit_id = client_audit_id.empty() ? NewAuditId() : std::string(client_audit_id);

    AfterResponse after = co_await Route(exchange);
    open = after == AfterResponse::kKeepAlive && request.keep_alive();
  }
  if (lowest.socket().is_open()) {
    lowest.expires_after(kShutdownTimeout);
    co_await stream.async_shutdown(asio::as_tuple(asio::use_awaitable));
  }
  services.metrics.connections_active.fetch_sub(1);
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
                     LogEscapedException{"connection"});
    }
    Accept();
  });
}

void Server::WatchCertificateFiles() {
  tls_reload_timer_->expires_after(std::chrono::seconds(10));
  tls_reload_timer_->async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    if (std::string error = tls_->ReloadIfChanged(); !error.empty()) {
      std::cerr << "kcache: keeping the previous serving certificate: " << error << std::endl;
    }
    WatchCertificateFiles();
  });
}

void Server::Run() {
  tables_.Start();
  discovery_.Start();
  for (auto& worker : workers_) {
    worker->thread = std::thread([&context = worker->context] {
      auto guard = asio::make_work_guard(context);
      context.run();
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
