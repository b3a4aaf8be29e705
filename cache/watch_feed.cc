#include "cache/watch_feed.h"

namespace kcache {

WatchFeed::WatchFeed(Selection selection, std::function<void()> wake, size_t capacity)
    : selection_(std::move(selection)), wake_(std::move(wake)), capacity_(capacity) {}

bool WatchFeed::Offer(const EventPtr& event) {
  if (event->resource_version <= start_resource_version_) return false;
  if (!selection_.Matches(*event->object) &&
      !(event->previous && selection_.Matches(*event->previous))) {
    return false;
  }
  std::lock_guard lock(mutex_);
  if (queue_.size() >= capacity_) {
    overflowed_ = true;
    queue_.clear();
  }
  if (!overflowed_) queue_.push_back(event);
  if (wake_pending_) return false;
  wake_pending_ = true;
  return true;
}

bool WatchFeed::EndForRelist() {
  std::lock_guard lock(mutex_);
  relisted_ = true;
  if (wake_pending_) return false;
  wake_pending_ = true;
  return true;
}

WatchFeed::Taken WatchFeed::Take() {
  Taken taken;
  // Read before taking the queue: every event at or below this version is in it by now.
  taken.resource_version = offered_through_->load();
  std::lock_guard lock(mutex_);
  taken.events.swap(queue_);
  taken.overflowed = overflowed_;
  taken.relisted = relisted_;
  overflowed_ = false;
  wake_pending_ = false;
  return taken;
}

}  // namespace kcache
