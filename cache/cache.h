#pragma once
// Cache: every cached resource of the upstream, kept current. It discovers what the upstream
// serves (and notices CRDs coming and going), runs one Reflector per resource on its own
// ingest thread, and loads the RocksDB copy at start so kcache serves at once after a restart.
//
// Threading: Find/All/Ready may be called from any thread. Everything else of the cache runs on
// the ingest thread.

#include <chrono>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/result.hpp>

#include "cache/custom_resources.h"
#include "cache/persist.h"
#include "cache/reflector.h"
#include "cache/store.h"
#include "kube/upstream.h"

namespace kcache {

struct CacheOptions {
  // Resources to cache (empty: all), and to leave out. Secrets are cached only when named in
  // `include` explicitly.
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  // Resources never written to disk.
  std::vector<std::string> memory_only = {"secrets"};
  std::string data_dir;  // empty: no persistence
  StoreOptions store;
  ReflectorOptions reflector;
  std::chrono::seconds rediscovery_interval{30};
};

class Cache {
 public:
  static boost::system::result<std::unique_ptr<Cache>, std::string> Create(
      CacheOptions options, std::shared_ptr<Upstream> upstream);
  ~Cache();
  Cache(const Cache&) = delete;
  Cache& operator=(const Cache&) = delete;

  // Starts the ingest thread: discovery, then a reflector per resource.
  void Start();
  void Stop();

  ResourceStorePtr Find(std::string_view group, std::string_view version,
                        std::string_view resource) const;
  std::vector<ResourceStorePtr> All() const;
  // Discovery has run and every cached resource has its full state.
  bool Ready() const;

 private:
  Cache(CacheOptions options, std::shared_ptr<Upstream> upstream, std::unique_ptr<Persist> persist);

  boost::asio::awaitable<void> DiscoveryLoop();
  // One discovery pass; false when the upstream could not be asked.
  boost::asio::awaitable<bool> DiscoverAndReconcile();
  void Reconcile(const std::vector<ResourceInfo>& discovered);
  void AddResource(const ResourceInfo& info, const LoadedResource* loaded);
  bool Wanted(const ResourceInfo& info) const;
  bool MemoryOnly(const ResourceInfo& info) const;
  void RequestRediscovery();
  std::optional<CustomResourceFacts> CustomResourceFactsFor(const ResourceInfo& info) const;

  CacheOptions options_;
  std::shared_ptr<Upstream> upstream_;
  std::unique_ptr<Persist> persist_;
  std::map<std::string, LoadedResource> loaded_;

  boost::asio::io_context context_;
  std::thread thread_;
  std::unique_ptr<boost::asio::steady_timer> rediscovery_timer_;

  mutable std::shared_mutex mutex_;
  std::map<std::string, ResourceStorePtr, std::less<>> stores_;
  std::map<std::string, std::shared_ptr<Reflector>> reflectors_;
  bool discovered_ = false;
};

}  // namespace kcache
