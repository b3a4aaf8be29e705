#pragma once
// WatchFeed: one watch's standing order with its store. As the store applies events it hands
// the feed those the watch's selection can see (the object, or its previous version, matches:
// what kube-apiserver's cacheWatcher filters on) and wakes the watch when some are waiting. A
// watch then reads only its own events, instead of every watch reading the whole event history
// after every change: with thousands of watchers each selecting a few objects (kubelets
// watching their own pods) that shared reading was most of kcache's work.
//
// Threading: the store's writer thread offers; the watch takes, from its own thread.

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

#include "cache/event.h"
#include "cache/store.h"

namespace kcache {

class WatchFeed {
 public:
  // `wake` runs on the writer's thread under no lock: it must only hand work to the watch's
  // thread. A feed holds at most `capacity` events; past that it drops them and says so, and
  // the watch reads them from the store's history instead.
  WatchFeed(Selection selection, std::function<void()> wake, size_t capacity);

  struct Taken {
    std::vector<EventPtr> events;  // ascending resourceVersion
    // The store's version when the feed was last offered anything: with `events` taken, nothing
    // the watch can see happened up to here, so a bookmark may carry it.
    uint64_t resource_version = 0;
    bool overflowed = false;  // events were dropped since the last Take
    bool relisted = false;    // the store's state was replaced: the watch must end
  };
  Taken Take();

  const Selection& selection() const { return selection_; }

 private:
  friend class ResourceStore;
  // Called by the store's writer with each applied event that may concern the feed; returns
  // whether `wake` should be called.
  bool Offer(const EventPtr& event);
  bool EndForRelist();

  const Selection selection_;
  const std::function<void()> wake_;
  const size_t capacity_;
  // Events at or below this were applied before the feed started.
  uint64_t start_resource_version_ = 0;
  // The store's version up to which every event has been offered to every feed.
  const std::atomic<uint64_t>* offered_through_ = nullptr;

  std::mutex mutex_;
  std::vector<EventPtr> queue_;
  bool overflowed_ = false;
  bool relisted_ = false;
  bool wake_pending_ = false;
};

}  // namespace kcache
