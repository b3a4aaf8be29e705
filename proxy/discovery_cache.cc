#include "proxy/discovery_cache.h"

#include <algorithm>
#include <mutex>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>

#include "kube/failpoints.h"
#include "kube/failures.h"

namespace kcache {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;

// How often the loop looks for CRD and APIService changes and for keys to fetch.
constexpr auto kTick = std::chrono::seconds(1);
constexpr std::string_view kLoopName = "discovery copies";

struct DefinitionResource {
  std::string_view group;
  std::string_view resource;
};
// What the upstream's discovery and OpenAPI are made of, besides its built-in APIs.
constexpr DefinitionResource kDefinitions[] = {
    {"apiextensions.k8s.io", "customresourcedefinitions"},
    {"apiregistration.k8s.io", "apiservices"},
};

}  // namespace

DiscoveryCache::DiscoveryCache(Cache& cache, std::shared_ptr<Upstream> upstream,
                               DiscoveryCacheOptions options)
    : cache_(cache), upstream_(std::move(upstream)), options_(options), wake_timer_(context_) {}

DiscoveryCache::~DiscoveryCache() { Stop(); }

void DiscoveryCache::Start() {
  asio::co_spawn(context_, Loop(), ContainEscaped{kBoundaryLoop, std::string(kLoopName)});
  thread_ = std::thread([this] { RunContained(context_, kLoopName); });
}

void DiscoveryCache::Stop() {
  if (!thread_.joinable()) return;
  context_.stop();
  thread_.join();
}

std::shared_ptr<const DiscoveryDocument> DiscoveryCache::Find(const DiscoveryKey& key) {
  Clock::time_point now = Clock::now();
  std::shared_lock lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  it->second.last_asked.store(now.time_since_epoch().count(), std::memory_order_relaxed);
  const auto& document = it->second.document;
  if (!document || now - document->confirmed > options_.max_age) return nullptr;
  return document;
}

void DiscoveryCache::Missed(const DiscoveryKey& key) {
  misses_.fetch_add(1, std::memory_order_relaxed);
  {
    std::unique_lock lock(mutex_);
    if (entries_.size() >= options_.max_documents) return;
    auto [it, inserted] = entries_.try_emplace(key);
    if (!inserted) return;  // known: fetched again at the next refresh
    it->second.last_asked.store(Clock::now().time_since_epoch().count(),
                                std::memory_order_relaxed);
  }
  Wake();
}

void DiscoveryCache::Wake() {
  asio::post(context_, [this] {
    wake_requested_ = true;
    wake_timer_.cancel();
  });
}

asio::awaitable<void> DiscoveryCache::Loop() {
  LoopGuard loop{std::string(kLoopName)};
  DefinitionsState seen = Definitions();
  Clock::time_point next_refresh = Clock::now() + options_.refresh_interval;
  Clock::time_point settle_until{};
  for (;;) {
    Clock::time_point now = Clock::now();
    if (DefinitionsState definitions = Definitions(); definitions != seen) {
      seen = std::move(definitions);
      settle_until = now + options_.settle_time;
    }
    bool all = now >= next_refresh || now <= settle_until;
    if (now >= next_refresh) next_refresh = now + options_.refresh_interval;
    DropIdle(now);
    co_await Refresh(all, loop);
    if (!wake_requested_) {
      wake_timer_.expires_after(kTick);
      co_await wake_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    wake_requested_ = false;
  }
}

asio::awaitable<void> DiscoveryCache::Refresh(bool all, LoopGuard& loop) {
  std::vector<DiscoveryKey> keys;
  {
    std::shared_lock lock(mutex_);
    for (const auto& [key, entry] : entries_) {
      if (all || !entry.fetched) keys.push_back(key);
    }
  }
  // A document that cannot be fetched costs only its own copy (it stays missing and is passed
  // through), never the refresh of the others.
  bool failed = false;
  for (const DiscoveryKey& key : keys) {
    try {
      ThrowAtFailpoint(kLoopName);
      co_await Fetch(key);
    } catch (...) {
      loop.Failed(std::current_exception());
      failed = true;
    }
  }
  if (!failed) loop.Succeeded();
}

asio::awaitable<void> DiscoveryCache::Fetch(const DiscoveryKey& key) {
  std::shared_ptr<const DiscoveryDocument> held;
  {
    std::shared_lock lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) co_return;  // dropped meanwhile
    held = it->second.document;
  }
  http::fields conditions;
  if (held && !held->etag.empty()) conditions.set(http::field::if_none_match, held->etag);
  auto fetched = co_await upstream_->Fetch(co_await asio::this_coro::executor, key.target,
                                           key.accept, std::move(conditions));
  Clock::time_point now = Clock::now();
  if (!fetched) {
    // The copy stays, aging: it is served until `max_age`, then the upstream answers again.
    fetch_failures_.fetch_add(1, std::memory_order_relaxed);
    std::unique_lock lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) it->second.fetched = true;
    co_return;
  }
  std::shared_ptr<const DiscoveryDocument> document;
  if (fetched->status == 304 && held) {
    fetched_not_modified_.fetch_add(1, std::memory_order_relaxed);
    document = std::make_shared<const DiscoveryDocument>(
        Revalidated(*held, fetched->headers, now));
  } else if (auto kept = KeptDocument(key, std::move(*fetched), now)) {
    fetched_kept_.fetch_add(1, std::memory_order_relaxed);
    if (held && *held->body == *kept->body) {
      kept->gzipped_upstream = held->gzipped_upstream;
    } else {
      kept->gzipped_upstream = co_await UpstreamGzips(key);
    }
    document = std::make_shared<const DiscoveryDocument>(std::move(*kept));
  } else {
    fetched_not_kept_.fetch_add(1, std::memory_order_relaxed);
  }
  Keep(key, std::move(document));
}

// kube-apiserver's handlers compress differently (a gzip handler around OpenAPI v2, a size
// threshold for discovery, nothing for OpenAPI v3), and only the upstream's answer to a client
// accepting gzip tells which one a document has.
asio::awaitable<bool> DiscoveryCache::UpstreamGzips(const DiscoveryKey& key) {
  http::fields gzip;
  gzip.set(http::field::accept_encoding, "gzip");
  auto probed = co_await upstream_->Fetch(co_await asio::this_coro::executor, key.target,
                                          key.accept, std::move(gzip));
  co_return probed && probed->status == 200 &&
      probed->headers[http::field::content_encoding] == "gzip";
}

void DiscoveryCache::Keep(const DiscoveryKey& key,
                          std::shared_ptr<const DiscoveryDocument> document) {
  std::unique_lock lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  Entry& entry = it->second;
  entry.fetched = true;
  size_t previous = entry.document ? entry.document->body->size() : 0;
  size_t size = document ? document->body->size() : 0;
  if (bytes_ - previous + size > options_.max_bytes) {
    document = nullptr;  // over the budget: this key's requests keep going to the upstream
    size = 0;
  }
  bytes_ = bytes_ - previous + size;
  entry.document = std::move(document);
}

void DiscoveryCache::DropIdle(Clock::time_point now) {
  Clock::rep oldest = (now - options_.idle_expiry).time_since_epoch().count();
  std::unique_lock lock(mutex_);
  std::erase_if(entries_, [&](const auto& item) {
    const Entry& entry = item.second;
    if (entry.last_asked.load(std::memory_order_relaxed) >= oldest) return false;
    if (entry.document) bytes_ -= entry.document->body->size();
    return true;
  });
}

DiscoveryCache::DefinitionsState DiscoveryCache::Definitions() const {
  DefinitionsState state;
  for (const DefinitionResource& definition : kDefinitions) {
    ResourceStorePtr store = cache_.Find(definition.group, "v1", definition.resource);
    if (!store) {
      state.emplace_back(nullptr, 0, 0, 0);
      continue;
    }
    uint64_t newest = 0;
    if (auto listed = store->List(ListRequest{})) {
      for (const ObjectPtr& object : listed->items) {
        newest = std::max(newest, object->resource_version);
      }
    }
    state.emplace_back(store.get(), store->epoch(), store->size(), newest);
  }
  return state;
}

std::string DiscoveryCache::RenderMetrics() const {
  size_t documents = 0, bytes = 0;
  {
    std::shared_lock lock(mutex_);
    for (const auto& [key, entry] : entries_) documents += entry.document ? 1 : 0;
    bytes = bytes_;
  }
  auto line = [](std::string_view name, std::string_view labels, uint64_t value) {
    return std::string(name) + std::string(labels) + " " + std::to_string(value) + "\n";
  };
  std::string out =
      "# HELP kcache_discovery_cache_hits_total Discovery and OpenAPI requests answered from "
      "kcache's copies.\n"
      "# TYPE kcache_discovery_cache_hits_total counter\n";
  out += line("kcache_discovery_cache_hits_total", "", hits_.load());
  out +=
      "# HELP kcache_discovery_cache_misses_total Discovery and OpenAPI requests passed through "
      "for want of a current copy.\n"
      "# TYPE kcache_discovery_cache_misses_total counter\n";
  out += line("kcache_discovery_cache_misses_total", "", misses_.load());
  out +=
      "# HELP kcache_discovery_cache_documents Discovery and OpenAPI documents held.\n"
      "# TYPE kcache_discovery_cache_documents gauge\n";
  out += line("kcache_discovery_cache_documents", "", documents);
  out +=
      "# HELP kcache_discovery_cache_bytes Bytes of the discovery and OpenAPI documents held.\n"
      "# TYPE kcache_discovery_cache_bytes gauge\n";
  out += line("kcache_discovery_cache_bytes", "", bytes);
  out +=
      "# HELP kcache_discovery_cache_fetches_total Refreshes of discovery and OpenAPI documents "
      "from the upstream, by outcome.\n"
      "# TYPE kcache_discovery_cache_fetches_total counter\n";
  out += line("kcache_discovery_cache_fetches_total", "{outcome=\"kept\"}",
              fetched_kept_.load());
  out += line("kcache_discovery_cache_fetches_total", "{outcome=\"not_modified\"}",
              fetched_not_modified_.load());
  out += line("kcache_discovery_cache_fetches_total", "{outcome=\"not_kept\"}",
              fetched_not_kept_.load());
  out += line("kcache_discovery_cache_fetches_total", "{outcome=\"failed\"}",
              fetch_failures_.load());
  return out;
}

}  // namespace kcache
