#pragma once
// Reflector: keeps one ResourceStore in step with the upstream. It fetches the full state once
// (a WatchList stream when the upstream offers it, else a paginated list), then watches with
// bookmarks, resuming from the last resourceVersion after a disconnect (backoff with jitter),
// and lists again only when the upstream answers 410 Gone. Every batch of changes is written to
// RocksDB (unless the resource is memory-only) before it becomes visible in memory.
//
// Threading: all of a reflector's work runs on the io_context given to Start; upstream bytes are
// parsed there once, never on the serving path.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/fields.hpp>

#include "cache/persist.h"
#include "cache/store.h"
#include "kube/upstream.h"

namespace kcache {

struct ReflectorOptions {
  std::chrono::milliseconds min_backoff{500};
  std::chrono::milliseconds max_backoff{30000};
  int64_t list_page_size = 500;
  // Upstream watches last a random time in [min, 2*min), as client-go's do.
  std::chrono::seconds min_watch_timeout{300};
  // Keep the resource in memory only (Secrets and other sensitive resources).
  bool memory_only = false;
};

class Reflector : public std::enable_shared_from_this<Reflector> {
 public:
  Reflector(ResourceStorePtr store, std::shared_ptr<Upstream> upstream, Persist* persist,
            ReflectorOptions options);

  // Starts on `context`. When the store already holds a checkpointed state (loaded from disk),
  // the reflector resumes the watch from it instead of listing.
  void Start(boost::asio::io_context& context);
  void Stop();

  // Called on the reflector's thread after each applied batch (used to notice CRD changes).
  void SetOnChange(std::function<void()> on_change) { on_change_ = std::move(on_change); }

  const ResourceStorePtr& store() const { return store_; }

 private:
  enum class Outcome {
    kResume,       // the stream ended normally: watch again from the store's version
    kRetry,        // a failure: back off, then try again
    kRelist,       // the upstream answered 410: fetch the full state again
    kUnsupported,  // the upstream refused a WatchList request: use list + watch
    kStopped
  };
  struct Stream;

  // Runs until Stop; a failure (an exception) is contained here, the store unsynced until a
  // relist succeeds.
  boost::asio::awaitable<void> Run();
  // One list or watch, as the state asks.
  boost::asio::awaitable<Outcome> Step(bool watch_list_supported);
  // "reflector <resource>", in logs, /metrics and /readyz.
  std::string LoopName() const;
  boost::asio::awaitable<Outcome> WatchList();
  boost::asio::awaitable<Outcome> ListPages();
  // Keeps the Warning headers of a list or watch response in the schema.
  void RememberWarnings(const boost::beast::http::fields& headers);
  boost::asio::awaitable<Outcome> Watch(uint64_t from);
  boost::asio::awaitable<Outcome> ReadEvents(Stream& stream, bool initial_events);
  boost::asio::awaitable<void> Backoff(std::chrono::milliseconds& delay);

  std::string CollectionPath() const;
  std::string WatchQuery() const;
  void ApplyBatch(std::vector<Event> events, uint64_t bookmark_rv);
  void ReplaceAll(std::vector<ObjectPtr> objects, uint64_t resource_version);

  ResourceStorePtr store_;
  std::shared_ptr<Upstream> upstream_;
  Persist* persist_;
  ReflectorOptions options_;
  std::function<void()> on_change_;
  std::atomic<bool> stopped_{false};
  boost::asio::io_context* context_ = nullptr;
  std::unique_ptr<UpstreamStream>* active_stream_ = nullptr;
  bool need_list_ = true;
};

}  // namespace kcache
