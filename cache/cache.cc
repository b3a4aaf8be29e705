#include "cache/cache.h"

#include <iostream>
#include <set>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "cache/custom_resources.h"
#include "cache/discovery.h"
#include "kube/failpoints.h"
#include "kube/failures.h"
#include "kube/object.h"

namespace kcache {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kDiscoveryLoop = "discovery";
constexpr std::string_view kCrdStoreId = "apiextensions.k8s.io/v1/customresourcedefinitions";

ResourceSchema SchemaFor(const ResourceInfo& info, const std::optional<CustomResourceFacts>& crd) {
  ResourceSchema schema;
  schema.info = info;
  schema.type_meta = std::make_shared<const std::string>(TypeMetaPrefix(info.kind, info.ApiVersion()));
  schema.list_kind = info.kind + "List";
  if (crd) {
    schema.custom_resource = true;
    if (!crd->list_kind.empty()) schema.list_kind = crd->list_kind;
    schema.selectable_json_paths = crd->selectable_json_paths;
  }
  DeriveFieldSchema(schema);
  return schema;
}

// Whether a store must be rebuilt because what the upstream says about its resource changed
// (a CRD gained selectable fields, or was found only after the store was made).
bool SchemaChanged(const ResourceSchema& current, const ResourceSchema& wanted) {
  return current.custom_resource != wanted.custom_resource ||
         current.list_kind != wanted.list_kind ||
         current.selectable_json_paths != wanted.selectable_json_paths ||
         current.info.namespaced != wanted.info.namespaced || current.info.kind != wanted.info.kind;
}

}  // namespace

boost::system::result<std::unique_ptr<Cache>, std::string> Cache::Create(
    CacheOptions options, std::shared_ptr<Upstream> upstream) {
  std::unique_ptr<Persist> persist;
  if (!options.data_dir.empty()) {
    auto opened = Persist::Open(options.data_dir + "/rocksdb");
    if (!opened) return opened.error();
    persist = std::move(*opened);
  }
  return std::unique_ptr<Cache>(new Cache(std::move(options), std::move(upstream), std::move(persist)));
}

Cache::Cache(CacheOptions options, std::shared_ptr<Upstream> upstream,
             std::unique_ptr<Persist> persist)
    : options_(std::move(options)), upstream_(std::move(upstream)), persist_(std::move(persist)) {
  if (!persist_) return;
  // Serve what the last run stored at once; discovery later drops what is gone.
  auto started = std::chrono::steady_clock::now();
  loaded_ = persist_->LoadAll();
  size_t objects = 0;
  for (auto& [id, resource] : loaded_) {
    if (!Wanted(resource.schema.info)) continue;
    objects += resource.objects.size();
    AddResource(resource.schema.info, &resource);
  }
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  std::cerr << "kcache: loaded " << objects << " objects of " << loaded_.size()
            << " resources from disk in " << took.count() << " ms" << std::endl;
  for (auto& [id, resource] : loaded_) resource.objects.clear();
}

Cache::~Cache() { Stop(); }

void Cache::Start() {
  rediscovery_timer_ = std::make_unique<asio::steady_timer>(context_);
  {
    std::shared_lock lock(mutex_);
    for (auto& [id, reflector] : reflectors_) reflector->Start(context_);
  }
  asio::co_spawn(context_, DiscoveryLoop(), ContainEscaped{kBoundaryLoop, std::string(kDiscoveryLoop)});
  thread_ = std::thread([this] { RunContained(context_, "ingest thread"); });
}

void Cache::Stop() {
  if (!thread_.joinable()) return;
  {
    std::shared_lock lock(mutex_);
    for (auto& [id, reflector] : reflectors_) reflector->Stop();
  }
  context_.stop();
  thread_.join();
  if (persist_) persist_->Flush();
}

ResourceStorePtr Cache::Find(std::string_view group, std::string_view version,
                             std::string_view resource) const {
  std::string id = std::string(group) + "/" + std::string(version) + "/" + std::string(resource);
  std::shared_lock lock(mutex_);
  auto it = stores_.find(id);
  return it == stores_.end() ? nullptr : it->second;
}

std::vector<ResourceStorePtr> Cache::All() const {
  std::shared_lock lock(mutex_);
  std::vector<ResourceStorePtr> all;
  for (const auto& [id, store] : stores_) all.push_back(store);
  return all;
}

bool Cache::Ready() const {
  std::shared_lock lock(mutex_);
  if (!discovered_) return false;
  for (const auto& [id, store] : stores_) {
    if (!store->synced()) return false;
  }
  return true;
}

bool Cache::Wanted(const ResourceInfo& info) const {
  for (const auto& pattern : options_.exclude) {
    if (MatchesResourcePattern(info, pattern)) return false;
  }
  // Secrets only when asked for by name.
  if (info.group.empty() && info.resource == "secrets") {
    for (const auto& pattern : options_.include) {
      if (pattern == "secrets") return true;
    }
    return false;
  }
  if (options_.include.empty()) return true;
  for (const auto& pattern : options_.include) {
    if (MatchesResourcePattern(info, pattern)) return true;
  }
  return false;
}

bool Cache::MemoryOnly(const ResourceInfo& info) const {
  for (const auto& pattern : options_.memory_only) {
    if (MatchesResourcePattern(info, pattern)) return true;
  }
  return false;
}

void Cache::AddResource(const ResourceInfo& info, const LoadedResource* loaded) {
  ResourceSchema schema = loaded ? loaded->schema : SchemaFor(info, CustomResourceFactsFor(info));
  if (loaded) schema.info = info;
  auto store = std::make_shared<ResourceStore>(std::move(schema), options_.store);
  if (loaded) store->Replace(loaded->objects, loaded->resource_version);
  ReflectorOptions reflector_options = options_.reflector;
  reflector_options.memory_only = MemoryOnly(info);
  auto reflector = std::make_shared<Reflector>(store, upstream_, persist_.get(), reflector_options);
  if (info.group == "apiextensions.k8s.io" && info.resource == "customresourcedefinitions") {
    reflector->SetOnChange([this] { RequestRediscovery(); });
  }
  std::unique_lock lock(mutex_);
  stores_[info.Id()] = store;
  reflectors_[info.Id()] = reflector;
}

std::optional<CustomResourceFacts> Cache::CustomResourceFactsFor(const ResourceInfo& info) const {
  ResourceStorePtr crds;
  {
    std::shared_lock lock(mutex_);
    auto it = stores_.find(kCrdStoreId);
    if (it != stores_.end()) crds = it->second;
  }
  if (!crds || !crds->synced()) return std::nullopt;
  return FindCustomResource(*crds, info);
}

void Cache::RequestRediscovery() {
  if (rediscovery_timer_) rediscovery_timer_->cancel();
}

void Cache::Reconcile(const std::vector<ResourceInfo>& discovered) {
  std::map<std::string, const ResourceInfo*> wanted;
  for (const ResourceInfo& info : discovered) {
    if (Wanted(info)) wanted[info.Id()] = &info;
  }
  // Stores whose resource changed shape are rebuilt from scratch.
  std::set<std::string> changed;
  for (const auto& [id, info] : wanted) {
    ResourceStorePtr store = Find(info->group, info->version, info->resource);
    if (store && SchemaChanged(*store->schema(), SchemaFor(*info, CustomResourceFactsFor(*info)))) {
      changed.insert(id);
    }
  }
  std::vector<std::shared_ptr<Reflector>> gone;
  {
    std::unique_lock lock(mutex_);
    for (auto it = reflectors_.begin(); it != reflectors_.end();) {
      if (wanted.count(it->first) && !changed.count(it->first)) {
        ++it;
        continue;
      }
      gone.push_back(it->second);
      stores_.erase(it->first);
      if (persist_) persist_->Forget(it->first);
      it = reflectors_.erase(it);
    }
  }
  for (auto& reflector : gone) reflector->Stop();
  for (const auto& [id, info] : wanted) {
    {
      std::shared_lock lock(mutex_);
      if (reflectors_.count(id)) continue;
    }
    AddResource(*info, nullptr);
    std::shared_lock lock(mutex_);
    reflectors_[id]->Start(context_);
  }
  std::unique_lock lock(mutex_);
  discovered_ = true;
}

asio::awaitable<void> Cache::DiscoveryLoop() {
  LoopGuard loop{std::string(kDiscoveryLoop)};
  auto delay = std::chrono::seconds(1);
  while (true) {
    std::chrono::steady_clock::duration wait = options_.rediscovery_interval;
    bool discovered = false;
    try {
      discovered = co_await DiscoverAndReconcile();
    } catch (...) {
      loop.Failed(std::current_exception());
    }
    if (discovered) {
      loop.Succeeded();
      delay = std::chrono::seconds(1);
    } else {
      wait = delay;
      delay = std::min(delay * 2, std::chrono::seconds(30));
    }
    rediscovery_timer_->expires_after(wait);
    auto [ec] = co_await rediscovery_timer_->async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted) {
      // A CRD changed: let a burst of changes settle, then look again.
      asio::steady_timer settle(context_, std::chrono::milliseconds(500));
      co_await settle.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }
}

asio::awaitable<bool> Cache::DiscoverAndReconcile() {
  ThrowAtFailpoint(kDiscoveryLoop);
  auto discovered = co_await DiscoverResources(*upstream_);
  if (!discovered) {
    std::cerr << "kcache: discovery: " << discovered.error() << std::endl;
    co_return false;
  }
  Reconcile(*discovered);
  co_return true;
}

}  // namespace kcache
