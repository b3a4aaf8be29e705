#include "proxy/router.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>

#include "cache/cache.h"
#include "kube/continue_token.h"
#include "kube/failpoints.h"
#include "kube/failures.h"
#include "kube/list_options.h"
#include "proxy/authenticator.h"
#include "proxy/authorizer.h"
#include "proxy/discovery_cache.h"
#include "proxy/discovery_handler.h"
#include "proxy/impersonation.h"
#include "proxy/kube_handlers.h"
#include "proxy/limits.h"
#include "proxy/metrics.h"
#include "proxy/negotiate.h"
#include "proxy/passthrough.h"
#include "proxy/projection_handlers.h"
#include "projections/registry.h"
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

bool IsWatch(const Exchange& exchange) {
  if (exchange.info.verb == "watch") return true;
  const std::string* watch = exchange.query.Find("watch");
  return exchange.info.verb == "list" && watch && QueryBool(*watch);
}

// API Priority and Fairness's answer to a client over its share, which client-go retries after
// Retry-After.
asio::awaitable<AfterResponse> WriteTooManyRequests(Exchange& exchange,
                                                    std::chrono::seconds retry_after) {
  http::response<http::string_body> response{http::status::too_many_requests,
                                             exchange.request.version()};
  response.set(http::field::content_type, "text/plain; charset=utf-8");
  response.set("X-Content-Type-Options", "nosniff");
  response.set(http::field::retry_after, std::to_string(retry_after.count()));
  response.body() = "Too many requests, please try again later.\n";
  response.keep_alive(exchange.request.keep_alive());
  response.prepare_payload();
  auto [ec, n] = co_await http::async_write(exchange.stream, response,
                                            asio::as_tuple(asio::use_awaitable));
  co_return ec ? AfterResponse::kClose : AfterResponse::kKeepAlive;
}

asio::awaitable<AfterResponse> WritePlain(Exchange& exchange, unsigned status, std::string text) {
  BodyPieces body;
  body.Own(std::move(text));
  bool ok = co_await WriteResponse(exchange, status, "text/plain; charset=utf-8", body);
  co_return ok ? AfterResponse::kKeepAlive : AfterResponse::kClose;
}

struct Readiness {
  bool ready = false;
  std::string text;
};

// Ready when every cached resource is synced and no background loop is down; otherwise the
// text names what is not, one check a line, as kube-apiserver's /readyz lists its checks.
Readiness ReadinessOf(const Cache& cache) {
  std::map<std::string, std::string> down = Failures::Process().DownLoops();
  if (cache.Ready() && down.empty()) return {true, "ok"};
  std::string text;
  if (cache.Ready()) {
    text += "[+]cache ok\n";
  } else {
    std::vector<std::string> unsynced;
    for (const ResourceStorePtr& store : cache.All()) {
      if (!store->synced()) unsynced.push_back(store->schema()->info.GroupResource());
    }
    text += "[-]cache not yet synced";
    if (!unsynced.empty()) {
      text += ":";
      for (size_t i = 0; i < unsynced.size() && i < 20; ++i) text += " " + unsynced[i];
      if (unsynced.size() > 20) text += " and " + std::to_string(unsynced.size() - 20) + " more";
    }
    text += "\n";
  }
  // Why a loop failed is in the log and /metrics; an unauthenticated probe is not told, as
  // kube-apiserver withholds its checks' reasons.
  for (const auto& [loop, reason] : down) text += "[-]" + loop + " failed: reason withheld\n";
  text += "readyz check failed\n";
  return {false, std::move(text)};
}

// The cached store for a read kcache can answer itself, or null.
// Whether kube-apiserver's routes can match the path: its muxes match segment by segment, so
// "//api/v1/pods" or "/api/v1/./pods" is a 404 there, although the request info (which trims
// and splits the path) reads a resource in it. Such paths are the upstream's to answer.
bool RoutablePath(std::string_view path) {
  return path.find("//") == std::string_view::npos && path.find("/./") == std::string_view::npos &&
         path.find("/../") == std::string_view::npos && !path.ends_with("/.") &&
         !path.ends_with("/..");
}

ResourceStorePtr CachedStoreFor(const Exchange& exchange) {
  const RequestInfo& info = exchange.info;
  if (!info.is_resource_request || !info.subresource.empty()) return nullptr;
  if (!RoutablePath(exchange.path)) return nullptr;
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
  ThrowAtFailpoint("request", exchange.path);
  ServerServices& services = exchange.services;
  const RequestInfo& info = exchange.info;
  bool get = exchange.request.method() == http::verb::get;
  // Probes need no credentials.
  if (!info.is_resource_request && get) {
    if (exchange.path == "/healthz" || exchange.path == "/livez") {
      co_return co_await WritePlain(exchange, 200, "ok");
    }
    if (exchange.path == "/readyz") {
      Readiness readiness = ReadinessOf(services.cache);
      co_return co_await WritePlain(exchange, readiness.ready ? 200 : 503,
                                    std::move(readiness.text));
    }
  }

  auto user = co_await services.authenticator.Authenticate(
      exchange.request, exchange.certificate_user, exchange.certificate_rejected,
      exchange.own_pool);
  if (!user) {
    co_await WriteStatus(exchange, user.error());
    co_return AfterResponse::kKeepAlive;
  }
  exchange.user = std::move(*user);
  bool certificate_user = exchange.user.source == UserInfo::Source::kCertificate;

  std::chrono::seconds retry_after{1};
  if (!services.limits.AllowRequest(exchange.user.name, retry_after)) {
    co_return co_await WriteTooManyRequests(exchange, retry_after);
  }
  // Watches hold a slot for as long as they run, cached or passed through.
  std::unique_ptr<Limits::Slot> watch_slot;
  if (IsWatch(exchange)) {
    watch_slot = services.limits.TryWatch(exchange.user.name);
    if (!watch_slot) co_return co_await WriteTooManyRequests(exchange, retry_after);
  }

  if (!info.is_resource_request && get && exchange.path == "/metrics") {
    auto allowed = co_await services.authorizer.Authorize(
        exchange.user, AccessAttributes::FromRequest(info), exchange.own_pool);
    if (!allowed) {
      co_await WriteStatus(exchange, allowed.error());
      co_return AfterResponse::kKeepAlive;
    }
    co_return co_await WritePlain(exchange, 200,
                                  services.metrics.Render(services.cache) +
                                      services.projections.RenderMetrics() +
                                      services.tables.RenderMetrics() +
                                      services.discovery.RenderMetrics());
  }
  // Discovery and OpenAPI documents, from kcache's copies of the upstream's.
  if (!info.is_resource_request && get && !WantsPretty(exchange)) {
    std::optional<AfterResponse> served = co_await ServeDiscovery(exchange);
    if (served) co_return *served;
  }
  // Projections are kcache's own API: served from the cache, never passed through.
  if (IsProjectionRequest(exchange)) co_return co_await ServeProjection(exchange);

  // Impersonation is the upstream's to serve. A token user's Impersonate-* headers travel with
  // its token. A certificate user is vouched for by the front-proxy certificate, and its
  // Impersonate-* headers travel along for the upstream to judge; without that certificate,
  // kcache checks them itself and impersonates with its own identity.
  HeaderList requested = ImpersonationHeaders(exchange.request);
  if (certificate_user) {
    if (const auto& front_proxy = services.upstream->front_proxy()) {
      exchange.upstream_identity = UpstreamIdentity::kFrontProxy;
      exchange.identity_headers = FrontProxyHeaders(exchange.user, *front_proxy);
    } else {
      exchange.upstream_identity = UpstreamIdentity::kKcache;
      exchange.identity_headers = requested.empty() ? ImpersonationOf(exchange.user) : requested;
      if (!requested.empty()) {
        auto allowed = co_await AuthorizeImpersonation(exchange, requested);
        if (!allowed) {
          co_await WriteStatus(exchange, allowed.error());
          co_return AfterResponse::kKeepAlive;
        }
      }
    }
  }
  ResourceStorePtr store = requested.empty() ? CachedStoreFor(exchange) : nullptr;
  if (!store) co_return co_await PassThrough(exchange);

  // The same question kube-apiserver asks its authorizer, with the same attributes, and before
  // anything else about the request is looked at (as its filter chain does).
  auto allowed = co_await services.authorizer.Authorize(
      exchange.user, AccessAttributes::FromRequest(info),
      exchange.own_pool);
  if (!allowed) {
    co_await WriteStatus(exchange, allowed.error());
    co_return AfterResponse::kKeepAlive;
  }
  exchange.warnings = store->schema()->warnings;

  bool is_list = info.verb == "list";
  Negotiated encoding = NegotiateAccept(exchange.request[http::field::accept], is_list);
  if (encoding.encoding == Encoding::kUpstream) co_return co_await PassThrough(exchange);
  std::shared_ptr<const TableFormat> table_format;
  if (encoding.encoding == Encoding::kTable) {
    table_format = services.tables.Find(*store);
    if (!table_format) co_return co_await PassThrough(exchange);
  }

  // Paths of a cluster-scoped resource carry no namespace scope; for a namespace itself the
  // "namespace" part of the path is its name.
  ListOptions list_options;
  if (info.verb != "get") {
    if (!store->schema()->info.namespaced) exchange.info.namespace_name.clear();
    auto options = ParseListOptions(exchange.query, exchange.info, info.verb_from_path,
                                    store->schema()->selectable);
    if (!options) {
      co_await WriteStatus(exchange, options.error());
      co_return AfterResponse::kKeepAlive;
    }
    if (OlderThanHistory(*options, info.verb == "watch" || options->watch, *store)) {
      co_return co_await PassThrough(exchange);
    }
    list_options = std::move(*options);
  }

  services.metrics.requests_cached.fetch_add(1);
  if (table_format) {
    co_return co_await ServeTable(exchange, store, std::move(list_options), encoding,
                                  std::move(table_format));
  }
  if (info.verb == "get") co_return co_await ServeGet(exchange, store, encoding);
  if (info.verb == "watch" || list_options.watch) {
    co_return co_await ServeWatch(exchange, store, std::move(list_options), encoding);
  }
  co_return co_await ServeList(exchange, store, std::move(list_options), encoding);
}

}  // namespace kcache
