#include "proxy/projection_handlers.h"

#include <boost/beast/http.hpp>

#include "cache/cache.h"
#include "kube/json_text.h"
#include "kube/list_options.h"
#include "projections/registry.h"
#include "proxy/authorizer.h"
#include "proxy/impersonation.h"
#include "proxy/kube_handlers.h"
#include "proxy/metrics.h"
#include "proxy/projection_encode.h"
#include "proxy/response.h"

namespace kcache {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;

// What a projection path names: the projection and the cached resource it reads.
struct Target {
  std::shared_ptr<const CompiledProjection> projection;
  ResourceStorePtr store;
};

// The store of the cached resource `group`/`resource` (at `version` when given).
ResourceStorePtr FindStore(const Cache& cache, std::string_view group, std::string_view version,
                           std::string_view resource) {
  for (const ResourceStorePtr& store : cache.All()) {
    const ResourceInfo& info = store->schema()->info;
    if (info.group == group && info.resource == resource &&
        (version.empty() || info.version == version)) {
      return store;
    }
  }
  return nullptr;
}

// "pods" or "deployments.apps": how a resource's default projection is named.
std::string DefaultName(const ResourceInfo& info) {
  return info.group.empty() ? info.resource : info.resource + "." + info.group;
}

Status ProjectionNotFound(std::string_view name) {
  Status status{.reason = "NotFound", .code = 404};
  status.message = "the server could not find the requested resource (projection \"" +
                   std::string(name) + "\")";
  status.has_details = true;
  status.details_group = std::string(kProjectionGroup);
  status.details_kind = std::string(name);
  return status;
}

Status NotAcceptable() {
  Status status{.reason = "NotAcceptable", .code = 406};
  status.message = "only the following media types are accepted: application/json, " +
                   std::string(kProjectionProtobufType);
  return status;
}

boost::system::result<Target, Status> Resolve(Exchange& exchange, std::string_view name) {
  ServerServices& services = exchange.services;
  Target target;
  if (auto named = services.projections.FindNamed(name)) {
    const ProjectionSpec& spec = named->spec();
    target.store = FindStore(services.cache, spec.group, spec.version, spec.resource);
    if (!target.store) {
      Status status = ProjectionNotFound(name);
      status.message = "projection \"" + std::string(name) + "\" reads " +
                       QualifiedResource(spec.resource, spec.group) +
                       (spec.version.empty() ? "" : " " + spec.version) +
                       ", which kcache does not cache";
      return status;
    }
    target.projection = std::move(named);
    return target;
  }
  size_t dot = name.find('.');
  std::string_view resource = name.substr(0, dot);
  std::string_view group = dot == std::string_view::npos ? "" : name.substr(dot + 1);
  target.store = FindStore(services.cache, group, "", resource);
  if (!target.store) return ProjectionNotFound(name);
  const ResourceInfo& info = target.store->schema()->info;
  target.projection = services.projections.Default(name, info.group, info.version, info.resource);
  return target;
}

std::string GroupDocument() {
  return R"({"kind":"APIGroup","apiVersion":"v1","name":"projections.kcache.io","versions":[{"groupVersion":"projections.kcache.io/v1","version":"v1"}],"preferredVersion":{"groupVersion":"projections.kcache.io/v1","version":"v1"}})";
}

// Every projection that can be served now: the named ones whose resource is cached, and the
// default of every cached resource a named one does not hide.
std::string ResourceListDocument(const ServerServices& services) {
  std::string out =
      R"({"kind":"APIResourceList","apiVersion":"v1","groupVersion":"projections.kcache.io/v1","resources":[)";
  bool first = true;
  auto add = [&](const std::string& name, const ResourceInfo& info) {
    if (!first) out += ',';
    first = false;
    out += R"({"name":)";
    AppendJsonString(out, name);
    out += R"(,"singularName":"","namespaced":)";
    out += info.namespaced ? "true" : "false";
    out += R"(,"kind":)";
    AppendJsonString(out, info.kind);
    out += R"(,"verbs":["get","list","watch"]})";
  };
  std::vector<ResourceStorePtr> stores = services.cache.All();
  for (const auto& projection : services.projections.Named()) {
    const ProjectionSpec& spec = projection->spec();
    if (auto store = FindStore(services.cache, spec.group, spec.version, spec.resource)) {
      add(spec.name, store->schema()->info);
    }
  }
  for (const ResourceStorePtr& store : stores) {
    const ResourceInfo& info = store->schema()->info;
    std::string name = DefaultName(info);
    if (!services.projections.FindNamed(name)) add(name, info);
  }
  out += "]}";
  return out;
}

asio::awaitable<AfterResponse> Finish(Exchange& exchange, const Status& status) {
  co_await WriteStatus(exchange, status);
  co_return AfterResponse::kKeepAlive;
}

asio::awaitable<AfterResponse> WriteDocument(Exchange& exchange, std::string json) {
  BodyPieces body;
  body.Own(std::move(json));
  bool ok = co_await WriteResponse(exchange, 200, "application/json", body);
  co_return ok ? AfterResponse::kKeepAlive : AfterResponse::kClose;
}

asio::awaitable<AfterResponse> ServeGetProjected(Exchange& exchange, const Target& target,
                                                 ProjectionFormat format) {
  const ResourceInfo& info = target.store->schema()->info;
  auto rv = ParseResourceVersion(exchange.query.Get("resourceVersion"), RvUse::kGetOrWatch);
  if (!rv) co_return co_await Finish(exchange, rv.error());
  if (target.store->resource_version() < *rv &&
      !co_await WaitForResourceVersion(*target.store, *rv,
                                       exchange.services.options.newer_version_wait)) {
    co_return co_await Finish(exchange,
                              TooLargeResourceVersion(*rv, target.store->resource_version()));
  }
  std::string key = info.namespaced ? exchange.info.namespace_name + "/" + exchange.info.name
                                    : exchange.info.name;
  ObjectPtr object = target.store->Get(key);
  if (!object) co_return co_await Finish(exchange, NotFound(info.resource, info.group, exchange.info.name));
  BodyPieces body;
  EncodeProjectedObject(target.projection->Of(*object), format, body);
  bool ok = co_await WriteResponse(exchange, 200, ContentTypeOf(format), body);
  co_return ok ? AfterResponse::kKeepAlive : AfterResponse::kClose;
}

asio::awaitable<AfterResponse> ServeListProjected(Exchange& exchange, const Target& target,
                                                  const ListOptions& options,
                                                  ProjectionFormat format) {
  ListOutcome outcome = co_await ListFromCache(exchange, *target.store, options);
  // The upstream knows no projections: a version the cache has not reached is refused.
  if (outcome.kind != ListOutcome::Kind::kListed) co_return co_await Finish(exchange, outcome.error);
  std::vector<std::shared_ptr<const Projected>> items;
  items.reserve(outcome.listed.items.size());
  for (const ObjectPtr& object : outcome.listed.items) {
    items.push_back(target.projection->Of(*object));
  }
  BodyPieces body;
  EncodeProjectedList(outcome.envelope, items, format, body);
  bool ok = co_await WriteResponse(exchange, 200, ContentTypeOf(format), body);
  co_return ok ? AfterResponse::kKeepAlive : AfterResponse::kClose;
}

}  // namespace

bool IsProjectionRequest(const Exchange& exchange) {
  std::string_view path = exchange.path;
  constexpr std::string_view kPrefix = "/apis/projections.kcache.io";
  return path.starts_with(kPrefix) &&
         (path.size() == kPrefix.size() || path[kPrefix.size()] == '/');
}

asio::awaitable<AfterResponse> ServeProjection(Exchange& exchange) {
  ServerServices& services = exchange.services;
  const RequestInfo& info = exchange.info;
  if (exchange.request.method() != http::verb::get) {
    co_return co_await Finish(exchange, MethodNotAllowed(std::string(exchange.request.method_string()),
                                                         info.resource, kProjectionGroup));
  }
  if (!ImpersonationHeaders(exchange.request).empty()) {
    co_return co_await Finish(
        exchange, BadRequest("projections do not support impersonation: read them as yourself"));
  }
  if (!info.is_resource_request || info.resource.empty()) {
    std::vector<std::string> parts = SplitPath(exchange.path);
    if (parts.size() == 2) co_return co_await WriteDocument(exchange, GroupDocument());
    if (parts.size() == 3 && parts[2] == "v1") {
      co_return co_await WriteDocument(exchange, ResourceListDocument(services));
    }
    co_return co_await Finish(exchange, ProjectionNotFound(exchange.path));
  }
  if (info.api_version != "v1") co_return co_await Finish(exchange, ProjectionNotFound(info.resource));
  if (!info.subresource.empty()) {
    co_return co_await Finish(exchange, ProjectionNotFound(info.resource + "/" + info.subresource));
  }

  auto target = Resolve(exchange, info.resource);
  if (!target) co_return co_await Finish(exchange, target.error());
  auto format = NegotiateProjection(exchange.request[http::field::accept]);
  if (!format) co_return co_await Finish(exchange, NotAcceptable());
  ResourceInfo resource = target->store->schema()->info;
  if (!target->store->synced()) {
    co_return co_await Finish(
        exchange, ServiceUnavailable("kcache has not yet listed " +
                                         QualifiedResource(resource.resource, resource.group),
                                     1));
  }
  // Scope as the underlying resource's own paths have it.
  if (!resource.namespaced && !info.namespace_name.empty()) {
    co_return co_await Finish(exchange, ProjectionNotFound(info.resource));
  }
  if (resource.namespaced && info.verb == "get" && info.namespace_name.empty()) {
    co_return co_await Finish(exchange, ProjectionNotFound(info.resource));
  }

  // The same question a read of the underlying resource asks.
  AccessAttributes attributes = AccessAttributes::FromRequest(info);
  attributes.group = resource.group;
  attributes.version = resource.version;
  attributes.resource = resource.resource;
  const std::string* watch = exchange.query.Find("watch");
  bool watching = info.verb == "watch" || (info.verb == "list" && watch && QueryBool(*watch));
  if (watching) attributes.verb = "watch";
  auto allowed = co_await services.authorizer.Authorize(exchange.user, attributes,
                                                        exchange.own_pool);
  if (!allowed) co_return co_await Finish(exchange, allowed.error());

  auto projection = services.projections.WithQuery(target->projection, exchange.query);
  if (!projection) co_return co_await Finish(exchange, BadRequest(projection.error().message));
  target->projection = std::move(*projection);

  services.metrics.requests_cached.fetch_add(1);
  if (info.verb == "get") co_return co_await ServeGetProjected(exchange, *target, *format);

  exchange.info.namespace_name = resource.namespaced ? info.namespace_name : "";
  auto options = ParseListOptions(exchange.query, exchange.info, info.verb_from_path,
                                  target->store->schema()->selectable);
  if (!options) co_return co_await Finish(exchange, options.error());
  if (info.verb == "watch" || options->watch) {
    ProjectionWatchEncoder encoder(target->projection, *format);
    co_return co_await ServeWatchWith(exchange, target->store, std::move(*options), encoder);
  }
  co_return co_await ServeListProjected(exchange, *target, *options, *format);
}

}  // namespace kcache
