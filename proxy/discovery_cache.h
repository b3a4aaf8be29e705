#pragma once
// DiscoveryCache: kcache's copies of the upstream's discovery and OpenAPI documents, so that
// kubectl's start-up, `api-resources` and `explain` (and every client-go's discovery) do not
// reach the upstream once per request.
//
// Copies are learned from traffic: a request no copy answers goes to the upstream as before and
// its key (proxy/discovery_documents.h) is remembered, and the cache's own thread fetches it,
// as kcache, at once (a new or changed document once more with gzip accepted, to learn whether
// the upstream compresses it). Every copy is then fetched again each `refresh_interval`, with
// If-None-Match where the upstream gave an ETag, so an unchanged document costs a 304; and each
// second for a few seconds after kcache's cache sees a CustomResourceDefinition or APIService
// change, while the upstream's discovery and OpenAPI follow it. A copy the upstream no longer
// answers with a 200 is dropped, and one it has not confirmed for `max_age` (it stopped
// answering) is not served. The Expires of hashed OpenAPI v3 documents, a year after each of
// the upstream's answers, is that of the last refresh.
//
// Clients cannot fill memory: at most `max_documents` keys and `max_bytes` of documents are
// held, keys no client asked for in `idle_expiry` are dropped, and a key over the bounds is
// simply not remembered (its requests keep going to the upstream).
//
// Threading: Find, Missed, Served and RenderMetrics may be called from any thread; the refresh
// runs on the cache's own thread between Start and Stop.

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cache/cache.h"
#include "kube/failures.h"
#include "kube/upstream.h"
#include "proxy/discovery_documents.h"

namespace kcache {

struct DiscoveryCacheOptions {
  std::chrono::seconds refresh_interval{15};
  std::chrono::seconds max_age{60};
  std::chrono::seconds idle_expiry{600};
  // How long copies are fetched each second after a CRD or APIService change.
  std::chrono::seconds settle_time{5};
  size_t max_documents = 512;
  size_t max_bytes = 256 * 1024 * 1024;
};

class DiscoveryCache {
 public:
  DiscoveryCache(Cache& cache, std::shared_ptr<Upstream> upstream,
                 DiscoveryCacheOptions options = {});
  ~DiscoveryCache();
  DiscoveryCache(const DiscoveryCache&) = delete;
  DiscoveryCache& operator=(const DiscoveryCache&) = delete;

  void Start();
  void Stop();

  // The current copy for `key`, or null.
  std::shared_ptr<const DiscoveryDocument> Find(const DiscoveryKey& key);
  // A request for `key` went to the upstream for want of a copy: fetch it (within bounds).
  void Missed(const DiscoveryKey& key);
  // A request was answered from a copy.
  void Served() { hits_.fetch_add(1, std::memory_order_relaxed); }

  // For /metrics: hits, misses, what is held and what the refresh asked the upstream.
  std::string RenderMetrics() const;

 private:
  using Clock = std::chrono::steady_clock;

  struct Entry {
    std::shared_ptr<const DiscoveryDocument> document;  // null until fetched, or not kept
    bool fetched = false;  // the upstream was asked at least once
    std::atomic<Clock::rep> last_asked{0};
  };
  // What identifies the state of the CRDs and APIServices kcache caches: any change to either
  // moves the store's epoch, its size or its newest object's resourceVersion.
  using DefinitionsState = std::vector<std::tuple<const void*, uint64_t, size_t, uint64_t>>;

  boost::asio::awaitable<void> Loop();
  // Fetches every key (`all`) or only those never fetched.
  boost::asio::awaitable<void> Refresh(bool all, LoopGuard& loop);
  boost::asio::awaitable<void> Fetch(const DiscoveryKey& key);
  boost::asio::awaitable<bool> UpstreamGzips(const DiscoveryKey& key);
  void Keep(const DiscoveryKey& key, std::shared_ptr<const DiscoveryDocument> document);
  void DropIdle(Clock::time_point now);
  DefinitionsState Definitions() const;
  void Wake();

  Cache& cache_;
  std::shared_ptr<Upstream> upstream_;
  DiscoveryCacheOptions options_;
  boost::asio::io_context context_;
  boost::asio::steady_timer wake_timer_;
  bool wake_requested_ = false;  // on the cache's thread only
  std::thread thread_;

  mutable std::shared_mutex mutex_;
  std::map<DiscoveryKey, Entry> entries_;
  size_t bytes_ = 0;

  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
  std::atomic<uint64_t> fetched_kept_{0};          // 200, kept
  std::atomic<uint64_t> fetched_not_modified_{0};  // 304
  std::atomic<uint64_t> fetched_not_kept_{0};   // any other answer
  std::atomic<uint64_t> fetch_failures_{0};     // no answer
};

}  // namespace kcache
