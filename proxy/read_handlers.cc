// GET and LIST from the cache.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "kube/continue_token.h"
#include "proxy/kube_handlers.h"
#include "proxy/passthrough.h"
#include "proxy/response.h"

namespace kcache {
namespace {

namespace asio = boost::asio;

constexpr const char* kContinueTooOld =
    "The provided continue parameter is too old to display a consistent list result. You can "
    "start a new list without the continue parameter, or use the continue token in this response "
    "to retrieve the remainder of the results. Continuing with the provided token results in an "
    "inconsistent list - objects that were created, modified, or deleted between the time the "
    "first chunk was returned and now may show up in the list.";

// Whether the cache reaches `resource_version` within a short wait. When it does not, the read
// goes to the upstream, which knows its own latest version.
asio::awaitable<bool> Reaches(Exchange& exchange, const ResourceStore& store,
                              uint64_t resource_version) {
  if (store.resource_version() >= resource_version) co_return true;
  co_return co_await WaitForResourceVersion(store, resource_version,
                                            exchange.services.options.newer_version_wait);
}

}  // namespace

asio::awaitable<bool> WaitForResourceVersion(const ResourceStore& store, uint64_t resource_version,
                                             std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto executor = co_await asio::this_coro::executor;
  while (store.resource_version() < resource_version) {
    if (std::chrono::steady_clock::now() >= deadline) co_return false;
    auto timer = std::make_shared<asio::steady_timer>(executor, deadline);
    store.NotifyAfter(store.resource_version(), [timer, executor] {
      asio::post(executor, [timer] { timer->cancel(); });
    });
    co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return true;
}

asio::awaitable<GetOutcome> GetFromCache(Exchange& exchange, const ResourceStore& store) {
  GetOutcome outcome;
  const RequestInfo& info = exchange.info;
  auto rv = ParseResourceVersion(exchange.query.Get("resourceVersion"), RvUse::kGetOrWatch);
  if (!rv) {
    outcome.kind = GetOutcome::Kind::kFailed;
    outcome.error = rv.error();
    co_return outcome;
  }
  if (!co_await Reaches(exchange, store, *rv)) {
    outcome.kind = GetOutcome::Kind::kUpstream;
    co_return outcome;
  }
  const ResourceInfo& resource = store.schema()->info;
  std::string key = resource.namespaced ? info.namespace_name + "/" + info.name : info.name;
  outcome.object = store.Get(key);
  if (!outcome.object) {
    outcome.kind = GetOutcome::Kind::kFailed;
    outcome.error = NotFound(resource.resource, resource.group, info.name);
  }
  co_return outcome;
}

asio::awaitable<AfterResponse> ServeGet(Exchange& exchange, ResourceStorePtr store,
                                        Negotiated encoding) {
  GetOutcome outcome = co_await GetFromCache(exchange, *store);
  if (outcome.kind == GetOutcome::Kind::kUpstream) co_return co_await PassThrough(exchange);
  if (outcome.kind == GetOutcome::Kind::kFailed) {
    co_await WriteStatus(exchange, outcome.error);
    co_return AfterResponse::kKeepAlive;
  }
  BodyPieces body;
  EncodeObject(*outcome.object, encoding, body);
  bool ok = co_await WriteResponse(exchange, 200, "application/json", body);
  co_return ok ? AfterResponse::kKeepAlive : AfterResponse::kClose;
}

asio::awaitable<ListOutcome> ListFromCache(Exchange& exchange, const ResourceStore& store,
                                           const ListOptions& options) {
  ListOutcome outcome;
  auto failed = [&](Status status) {
    outcome.kind = ListOutcome::Kind::kFailed;
    outcome.error = std::move(status);
    return outcome;
  };
  ListRequest request;
  request.selection.namespace_name = exchange.info.namespace_name;
  request.selection.labels = options.label_selector;
  request.selection.fields = options.field_selector;
  request.limit = options.limit;

  // Which state to list (k8s.io/apiserver/pkg/storage ValidateListOptions and the cacher).
  ContinueToken token;
  bool continuing = !options.continue_token.empty();
  if (continuing) {
    auto decoded = DecodeContinueToken(options.continue_token);
    if (!decoded) co_return failed(decoded.error());
    if (!options.resource_version.empty() && options.resource_version != "0") {
      co_return failed(BadRequest("specifying resource version is not allowed when using continue"));
    }
    token = *decoded;
    request.start = token.start;
    if (token.resource_version > 0) {
      request.at_resource_version = static_cast<uint64_t>(token.resource_version);
    }
  } else if (!options.resource_version.empty()) {
    auto rv = ParseResourceVersion(options.resource_version);
    if (!rv) co_return failed(rv.error());
    bool exact = options.resource_version_match == RvMatch::kExact ||
                 (options.resource_version_match == RvMatch::kUnset && options.limit > 0 && *rv > 0);
    if (*rv == 0) {
      request.limit = 0;  // "any" state: kube-apiserver's cache ignores the limit
    } else {
      bool fresh = co_await Reaches(exchange, store, *rv);
      if (!fresh) {
        outcome.kind = ListOutcome::Kind::kUpstream;
        outcome.error = TooLargeResourceVersion(*rv, store.resource_version());
        co_return outcome;
      }
      if (exact) request.at_resource_version = *rv;
    }
  }

  auto listed = store.List(request);
  if (!listed) {
    if (continuing && listed.error().code == 410) {
      Status expired = Expired(kContinueTooOld);
      std::string last_key = token.start;
      if (!last_key.empty() && last_key.back() == '\0') last_key.pop_back();
      expired.continue_token = EncodeContinueToken(-1, last_key);
      co_return failed(expired);
    }
    co_return failed(listed.error());
  }
  ListEnvelope& envelope = outcome.envelope;
  envelope.resource_version = listed->resource_version;
  if (listed->has_more && !listed->items.empty()) {
    const Object& last = *listed->items.back();
    // Relative to the list's key prefix. kube-apiserver's cache writes a leading '/' for lists
    // of the current state; lists at a given version (pages after the first, Exact) come from
    // etcd, which writes none.
    std::string relative = request.selection.namespace_name.empty() ? last.key : last.name;
    if (!continuing && request.at_resource_version == 0) relative.insert(0, "/");
    envelope.continue_token =
        EncodeContinueToken(static_cast<int64_t>(listed->resource_version), relative);
    envelope.remaining_item_count = listed->remaining;
  }
  outcome.listed = std::move(*listed);
  co_return outcome;
}

asio::awaitable<AfterResponse> ServeList(Exchange& exchange, ResourceStorePtr store,
                                         ListOptions options, Negotiated encoding) {
  ListOutcome outcome = co_await ListFromCache(exchange, *store, options);
  if (outcome.kind == ListOutcome::Kind::kUpstream) co_return co_await PassThrough(exchange);
  if (outcome.kind == ListOutcome::Kind::kFailed) {
    co_await WriteStatus(exchange, outcome.error);
    co_return AfterResponse::kKeepAlive;
  }
  BodyPieces body;
  EncodeList(*store->schema(), outcome.envelope, outcome.listed.items, encoding, body);
  bool ok = co_await WriteResponse(exchange, 200, "application/json", body);
  co_return ok ? AfterResponse::kKeepAlive : AfterResponse::kClose;
}

}  // namespace kcache
