#include "proxy/router.h"

#include <boost/beast/http.hpp>

#include "cache/cache.h"
#include "kube/continue_token.h"
#include "kube/list_options.h"
#include "proxy/kube_handlers.h"
#include "proxy/metrics.h"
#include "proxy/negotiate.h"
#include "proxy/passthrough.h"
#include "proxy/response.h"

namespace kcache {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;

// kube-apiserver pretty-prints for these user agents unless `pretty` says otherwise; kcache
// leaves pretty output to the upstream.
bool WantsPretty(const Exchange& exchange) {
  if (const std::string* pretty = exchange.query.Find("pretty"); pretty && !pretty->empty()) {
    return *pretty == "1" || *pretty == "t" || *pretty == "T" || *pretty == "true" ||
           *pretty == "TRUE" || *pretty == "True";
  }
  std::string_view agent = exchange.request[http::field::user_agent];
  return agent.starts_with("curl") || agent.starts_with("Wget") ||
         agent.starts_with("Mozilla/5.0");
}

asio::awaitable<AfterResponse> WritePlain(Exchange& exchange, unsigned status, std::string text) {
  BodyPieces body;
  body.Own(std::move(text));
  bool ok = co_await WriteResponse(exchange, status, "text/plain; charset=utf-8", body);
  co_return ok ? AfterResponse::kKeepAlive : AfterResponse::kClose;
}

// The cached store for a read kcache can answer itself, or null.
ResourceStorePtr CachedStoreFor(const Exchange& exchange) {
  const RequestInfo& info = exchange.info;
  if (!info.is_resource_request || !info.subresource.empty()) return nullptr;
  if (exchange.request.method() != http::verb::get) return nullptr;
  if (info.verb != "get" && info.verb != "list" && info.verb != "watch") return nullptr;
  if (exchange.query.Has("shardSelector") || WantsPretty(exchange)) return nullptr;
  ResourceStorePtr store =
      exchange.services.cache.Find(info.api_group, info.api_version, info.resource);
  if (!store || !store->synced()) return nullptr;
  const ResourceInfo& resource = store->schema()->info;
  if (resource.namespaced) {
    if (info.verb == "get" && info.namespace_name.empty()) return nullptr;
  } else if (!info.namespace_name.empty() &&
             !(resource.resource == "namespaces" && resource.group.empty())) {
    return nullptr;
  }
  return store;
}

// True when the request names a version older than the store's history (after a restart, or
// for a client idle for long): the upstream may still have it, so it answers, rather than kcache
// turning the request away with 410.
bool OlderThanHistory(const ListOptions& options, bool watch, const ResourceStore& store) {
  uint64_t oldest = store.window_start();
  auto rv = ParseResourceVersion(options.resource_version);
  uint64_t requested = rv ? *rv : 0;
  if (watch) return !options.send_initial_events.value_or(false) && requested > 0 && requested < oldest;
  if (!options.continue_token.empty()) {
    auto token = DecodeContinueToken(options.continue_token);
    return token && token->resource_version > 0 &&
           static_cast<uint64_t>(token->resource_version) < oldest;
  }
  bool exact = options.resource_version_match == RvMatch::kExact ||
               (options.resource_version_match == RvMatch::kUnset && options.limit > 0);
  return exact && requested > 0 && requested < oldest;
}

}  // namespace

asio::awaitable<AfterResponse> Route(Exchange& exchange) {
  const RequestInfo& info = exchange.info;
  if (!info.is_resource_request && exchange.request.method() == http::verb::get) {
    if (exchange.path == "/healthz" || exchange.path == "/livez") {
      co_return co_await WritePlain(exchange, 200, "ok");
    }
    if (exchange.path == "/readyz") {
      bool ready = exchange.services.cache.Ready();
      co_return co_await WritePlain(exchange, ready ? 200 : 503,
                                    ready ? "ok" : "cache not yet synced");
    }
    if (exchange.path == "/metrics") {
      co_return co_await WritePlain(exchange, 200,
                                    exchange.services.metrics.Render(exchange.services.cache));
    }
  }

  ResourceStorePtr store = CachedStoreFor(exchange);
  if (!store) co_return co_await PassThrough(exchange);

  bool is_list = info.verb == "list";
  Negotiated encoding =
      NegotiateAccept(exchange.request[http::field::accept], is_list);
  if (encoding.encoding == Encoding::kUpstream) co_return co_await PassThrough(exchange);
  exchange.services.metrics.requests_cached.fetch_add(1);

  if (info.verb == "get") co_return co_await ServeGet(exchange, store, encoding);

  // Paths of a cluster-scoped resource carry no namespace scope; for a namespace itself the
  // "namespace" part of the path is its name.
  if (!store->schema()->info.namespaced) exchange.info.namespace_name.clear();
  auto options = ParseListOptions(exchange.query, exchange.info, info.verb_from_path,
                                  store->schema()->selectable);
  if (!options) {
    co_await WriteStatus(exchange, options.error());
    co_return AfterResponse::kKeepAlive;
  }
  bool watch = options->watch || info.verb == "watch";
  if (OlderThanHistory(*options, watch, *store)) {
    exchange.services.metrics.requests_cached.fetch_sub(1);
    co_return co_await PassThrough(exchange);
  }
  if (watch) co_return co_await ServeWatch(exchange, store, std::move(*options), encoding);
  co_return co_await ServeList(exchange, store, std::move(*options), encoding);
}

}  // namespace kcache
