#include "proxy/passthrough.h"

#include <array>
#include <iostream>
#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "cache/cache.h"
#include "kube/failures.h"
#include "kube/http_parser.h"
#include "proxy/impersonation.h"
#include "proxy/kube_handlers.h"
#include "proxy/metrics.h"
#include "proxy/response.h"
#include "proxy/upstream_pool.h"

namespace kcache {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr size_t kRelayChunk = 64 * 1024;
// Write responses are single objects; larger bodies are streamed without waiting.
constexpr size_t kReadYourWritesBodyLimit = 16 * 1024 * 1024;

bool IsHopByHop(std::string_view name) {
  static constexpr std::array<std::string_view, 8> kHopByHop = {
      "connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
      "te",         "trailer",    "transfer-encoding",  "upgrade"};
  for (std::string_view hop : kHopByHop) {
    if (beast::iequals(name, hop)) return true;
  }
  return false;
}

bool IsUpgrade(const HttpRequest& request) {
  auto connection = request[http::field::connection];
  return request.find(http::field::upgrade) != request.end() &&
         beast::http::token_list(connection).exists("upgrade");
}

// The upstream's metadata.resourceVersion in a JSON write response, or 0.
uint64_t WrittenResourceVersion(std::string_view body) {
  if (body.find(R"("kind":"Status")") != std::string_view::npos) return 0;
  constexpr std::string_view kKey = R"("resourceVersion":")";
  size_t at = body.find(kKey);
  if (at == std::string_view::npos) return 0;
  uint64_t rv = 0;
  for (size_t i = at + kKey.size(); i < body.size() && body[i] >= '0' && body[i] <= '9'; ++i) {
    rv = rv * 10 + static_cast<uint64_t>(body[i] - '0');
  }
  return rv;
}

bool IsWrite(http::verb method) {
  return method == http::verb::post || method == http::verb::put ||
         method == http::verb::patch || method == http::verb::delete_;
}

// Copies bytes one way until either side closes.
template <class From, class To>
asio::awaitable<void> Pipe(From& from, To& to, std::shared_ptr<asio::steady_timer> done) {
  std::vector<char> data(kRelayChunk);
  while (true) {
    auto [read_ec, n] = co_await from.async_read_some(asio::buffer(data),
                                                      asio::as_tuple(asio::use_awaitable));
    if (n > 0) {
      auto [write_ec, written] = co_await asio::async_write(to, asio::buffer(data.data(), n),
                                                            asio::as_tuple(asio::use_awaitable));
      if (write_ec) break;
    }
    if (read_ec) break;
  }
  done->cancel();
}

asio::awaitable<void> PipeBothWays(ClientStream& client, UpstreamStream& upstream,
                                   const std::string& audit_id) {
  auto executor = co_await asio::this_coro::executor;
  auto done = std::make_shared<asio::steady_timer>(executor, asio::steady_timer::time_point::max());
  auto other_done = std::make_shared<asio::steady_timer>(executor, asio::steady_timer::time_point::max());
  // However the other direction ends, this one is told: it must not outlive the streams.
  asio::co_spawn(executor, Pipe(upstream, client, other_done),
                 [other_done, context = "Audit-ID " + audit_id](std::exception_ptr error) {
                   if (error) Failures::Process().Contain(kBoundaryRelay, context, error);
                   other_done->cancel();
                 });
  co_await Pipe(client, upstream, done);
  // One direction ended: close both so the other ends too, and wait for it.
  boost::system::error_code ignored;
  beast::get_lowest_layer(upstream).socket().close(ignored);
  client.Close();
  co_await other_done->async_wait(asio::as_tuple(asio::use_awaitable));
}

// The request to send the upstream, or the Status to answer when it cannot be built: a header
// kcache adds (the identity of a user the upstream named, X-Forwarded-For) that would be longer
// than a header field can be.
boost::system::result<HttpRequest, Status> UpstreamRequest(
    const Exchange& exchange, const std::string& host, bool upgrade,
    const std::string& kcache_authorization, const std::optional<FrontProxyConfig>& front_proxy) {
  static const FrontProxyConfig kDefaultFrontProxy;
  HttpRequest out{exchange.request.method(), exchange.request.target(), 11};
  // A method Beast does not know (the upstream answers it, with 405 or otherwise) goes as sent.
  if (exchange.request.method() == http::verb::unknown) {
    out.method_string(exchange.request.method_string());
  }
  for (const auto& field : exchange.request) {
    std::string_view name = field.name_string();
    if (beast::iequals(name, "host") || beast::iequals(name, "content-length")) continue;
    // kcache has read the body already: the upstream must not be asked to wait for it.
    if (beast::iequals(name, "expect")) continue;
    if (IsHopByHop(name) && !(upgrade && (beast::iequals(name, "connection") ||
                                          beast::iequals(name, "upgrade")))) {
      continue;
    }
    // No client may vouch for itself with request headers the upstream trusts from a
    // front proxy, whichever way its request goes.
    if (IsFrontProxyHeader(name, kDefaultFrontProxy) ||
        (front_proxy && IsFrontProxyHeader(name, *front_proxy))) {
      continue;
    }
    // Through another identity, the client's credentials are replaced; through kcache's, its
    // impersonation too (kcache checked it and sends the outcome).
    if (exchange.upstream_identity != UpstreamIdentity::kNone &&
        beast::iequals(name, "authorization")) {
      continue;
    }
    if (exchange.upstream_identity == UpstreamIdentity::kKcache && IsImpersonationHeader(name)) {
      continue;
    }
    out.insert(field.name(), name, field.value());
  }
  if (exchange.upstream_identity == UpstreamIdentity::kKcache && !kcache_authorization.empty()) {
    out.set(http::field::authorization, kcache_authorization);
  }
  for (const auto& [name, value] : exchange.identity_headers) {
    // Never sent short: a user's identity cut down would be another identity.
    if (value.size() > kMaxHeaderFieldBytes) {
      return InternalError("the identity of user " + exchange.user.name.substr(0, 256) +
                           " does not fit in a header kcache can send");
    }
    out.insert(name, value);
  }
  out.set(http::field::host, host);
  // The client's own list, with its address added; a list too long to add to is replaced by
  // the address alone (the header only informs the upstream's audit log).
  std::string forwarded(exchange.request["X-Forwarded-For"]);
  forwarded += forwarded.empty() ? exchange.remote_address : ", " + exchange.remote_address;
  out.set("X-Forwarded-For",
          forwarded.size() <= kMaxHeaderFieldBytes ? forwarded : exchange.remote_address);
  out.body() = exchange.request.body();
  // Content-Length set directly: Beast's prepare_payload throws for a TRACE with a body.
  if (!out.body().empty() || exchange.request.has_content_length()) {
    out.content_length(out.body().size());
  }
  if (!upgrade) out.keep_alive(true);
  return out;
}

ResourceStorePtr StoreForWrite(const Exchange& exchange) {
  const RequestInfo& info = exchange.info;
  if (!info.is_resource_request || !IsWrite(exchange.request.method())) return nullptr;
  return exchange.services.cache.Find(info.api_group, info.api_version, info.resource);
}

asio::awaitable<bool> WriteBadGateway(Exchange& exchange, const std::string& error) {
  Status status = ServiceUnavailable("the upstream API server is unreachable: " + error, 1);
  status.code = 503;
  co_return co_await WriteStatus(exchange, status);
}

}  // namespace

asio::awaitable<AfterResponse> PassThrough(Exchange& exchange) {
  exchange.services.metrics.requests_passed.fetch_add(1);
  bool upgrade = IsUpgrade(exchange.request);
  Upstream& upstream = *exchange.services.upstream;
  UpstreamPool& pool = exchange.upstream_identity == UpstreamIdentity::kKcache ? exchange.own_pool
                       : exchange.upstream_identity == UpstreamIdentity::kFrontProxy
                           ? exchange.front_pool
                           : exchange.pool;
  auto built = UpstreamRequest(
      exchange, upstream.host_header(), upgrade,
      exchange.upstream_identity == UpstreamIdentity::kKcache ? upstream.Authorization() : "",
      upstream.front_proxy());
  if (!built) {
    bool written = co_await WriteStatus(exchange, built.error());
    co_return written ? AfterResponse::kKeepAlive : AfterResponse::kClose;
  }
  HttpRequest& upstream_request = *built;

  // A pooled connection may have been closed by the upstream meanwhile: then the request
  // fails before any answer, and one fresh connection is tried.
  std::unique_ptr<UpstreamStream> connection;
  beast::flat_buffer upstream_buffer;
  std::optional<ResponseParser<http::buffer_body>> parser;
  for (int attempt = 0; attempt < 2; ++attempt) {
    parser.emplace();
    upstream_buffer.clear();
    bool reused = false;
    // (Two statements, not a conditional: GCC 12 miscompiles co_await inside ?:.)
    boost::system::result<std::unique_ptr<UpstreamStream>, std::string> acquired;
    if (upgrade) {
      acquired = co_await upstream.Connect(co_await asio::this_coro::executor,
                                           exchange.upstream_identity);
    } else {
      acquired = co_await pool.Acquire(reused);
    }
    if (!acquired) {
      co_await WriteBadGateway(exchange, acquired.error());
      co_return AfterResponse::kKeepAlive;
    }
    connection = std::move(*acquired);
    beast::get_lowest_layer(*connection).expires_never();
    auto [write_ec, written] = co_await http::async_write(*connection, upstream_request,
                                                          asio::as_tuple(asio::use_awaitable));
    boost::system::error_code read_ec = write_ec;
    if (!write_ec) {
      parser->body_limit(boost::none);
      auto [header_ec, header_bytes] = co_await http::async_read_header(
          *connection, upstream_buffer, *parser, asio::as_tuple(asio::use_awaitable));
      read_ec = header_ec;
      // An interim answer (102, 103) is not the answer: the one after it is.
      while (!read_ec && parser->get().result_int() / 100 == 1 &&
             parser->get().result() != http::status::switching_protocols) {
        parser.emplace();
        parser->body_limit(boost::none);
        auto [next_ec, next_bytes] = co_await http::async_read_header(
            *connection, upstream_buffer, *parser, asio::as_tuple(asio::use_awaitable));
        read_ec = next_ec;
      }
    }
    if (!read_ec) break;
    if (reused && attempt == 0) {  // the upstream closed an idle connection: once more, fresh
      pool.DropIdle();
      continue;
    }
    co_await WriteBadGateway(exchange, read_ec.message());
    co_return AfterResponse::kKeepAlive;
  }

  auto& upstream_header = parser->get();
  http::response<http::empty_body> header{upstream_header.result(), exchange.request.version()};
  for (const auto& field : upstream_header) {
    std::string_view name = field.name_string();
    if (beast::iequals(name, "content-length")) continue;
    if (IsHopByHop(name) && !(upgrade && (beast::iequals(name, "connection") ||
                                          beast::iequals(name, "upgrade")))) {
      continue;
    }
    header.insert(field.name(), name, field.value());
  }

  if (upstream_header.result() == http::status::switching_protocols) {
    http::response_serializer<http::empty_body> serializer(header);
    auto [ec, n] = co_await http::async_write_header(exchange.stream, serializer,
                                                     asio::as_tuple(asio::use_awaitable));
    if (ec) co_return AfterResponse::kClose;
    // Bytes already read past the headers belong to the piped streams.
    if (upstream_buffer.size() > 0) {
      co_await asio::async_write(exchange.stream, upstream_buffer.data(),
                                 asio::as_tuple(asio::use_awaitable));
    }
    if (exchange.buffer.size() > 0) {
      co_await asio::async_write(*connection, exchange.buffer.data(),
                                 asio::as_tuple(asio::use_awaitable));
      exchange.buffer.consume(exchange.buffer.size());
    }
    co_await PipeBothWays(exchange.stream, *connection, exchange.audit_id);
    co_return AfterResponse::kClose;
  }

  bool has_body = !parser->is_done();
  // The length the upstream declared (the header-only message itself knows none), or 0 for a
  // finished answer that may carry a body but has none ("Content-Length: 0" must reach the
  // client, or it waits for the connection to end).
  auto length = parser->content_length();
  unsigned status = upstream_header.result_int();
  if (!length && !has_body && status >= 200 && status != 204 && status != 304) length = 0;
  ResourceStorePtr written_store = StoreForWrite(exchange);
  bool wait_for_write = written_store && status >= 200 && status < 300 && length &&
                        *length <= kReadYourWritesBodyLimit;

  std::vector<char> chunk(kRelayChunk);
  auto read_some = [&]() -> asio::awaitable<std::pair<boost::system::error_code, size_t>> {
    parser->get().body().data = chunk.data();
    parser->get().body().size = chunk.size();
    auto [ec, n] = co_await http::async_read_some(*connection, upstream_buffer, *parser,
                                             asio::as_tuple(asio::use_awaitable));
    if (ec == http::error::need_buffer) ec = {};
    co_return std::make_pair(ec, chunk.size() - parser->get().body().size);
  };

  if (wait_for_write) {
    // Read the whole answer, then hold it until the cache has the written version.
    std::string body;
    while (!parser->is_done()) {
      auto [ec, got] = co_await read_some();
      body.append(chunk.data(), got);
      if (ec) co_return AfterResponse::kClose;
    }
    if (uint64_t rv = WrittenResourceVersion(body)) {
      exchange.services.metrics.read_your_writes_waits.fetch_add(1);
      bool seen = co_await WaitForResourceVersion(
          *written_store, rv, exchange.services.options.read_your_writes_timeout);
      if (!seen) {
        exchange.services.metrics.read_your_writes_timeouts.fetch_add(1);
      }
    }
    header.content_length(body.size());
    header.keep_alive(exchange.request.keep_alive());
    http::response_serializer<http::empty_body> serializer(header);
    auto [ec, n] = co_await http::async_write_header(exchange.stream, serializer,
                                                     asio::as_tuple(asio::use_awaitable));
    if (ec) co_return AfterResponse::kClose;
    auto [body_ec, m] = co_await asio::async_write(exchange.stream, asio::buffer(body),
                                                   asio::as_tuple(asio::use_awaitable));
    if (body_ec) co_return AfterResponse::kClose;
  } else {
    // Stream the answer as it comes: known lengths stay, the rest is re-chunked.
    bool chunked = has_body && !length;
    if (length) header.content_length(*length);
    if (chunked) header.chunked(true);
    header.keep_alive(exchange.request.keep_alive());
    http::response_serializer<http::empty_body> serializer(header);
    auto [ec, n] = co_await http::async_write_header(exchange.stream, serializer,
                                                     asio::as_tuple(asio::use_awaitable));
    if (ec) co_return AfterResponse::kClose;
    while (has_body && !parser->is_done()) {
      auto [read_ec, got] = co_await read_some();
      if (got > 0) {
        std::string framed;
        if (chunked) {
          char size[24];
          int k = std::snprintf(size, sizeof size, "%zx\r\n", got);
          framed.assign(size, static_cast<size_t>(k));
          framed.append(chunk.data(), got);
          framed += "\r\n";
        }
        auto buffer = chunked ? asio::buffer(framed) : asio::buffer(chunk.data(), got);
        auto [write_ec, w] = co_await asio::async_write(exchange.stream, buffer,
                                                        asio::as_tuple(asio::use_awaitable));
        if (write_ec) co_return AfterResponse::kClose;
      }
      if (read_ec) co_return AfterResponse::kClose;
    }
    if (chunked) {
      auto [end_ec, e] = co_await asio::async_write(exchange.stream, asio::buffer("0\r\n\r\n", 5),
                                                    asio::as_tuple(asio::use_awaitable));
      if (end_ec) co_return AfterResponse::kClose;
    }
  }
  if (parser->keep_alive()) pool.Release(std::move(connection));
  co_return exchange.request.keep_alive() ? AfterResponse::kKeepAlive : AfterResponse::kClose;
}

}  // namespace kcache
