#include "cache/store.h"

#include <algorithm>

namespace kcache {
namespace {

// [begin, end) key range of a namespace ("ns/" up to "ns0"), or everything.
std::pair<std::string, std::string> NamespaceRange(const std::string& namespace_name) {
  if (namespace_name.empty()) return {"", ""};
  return {namespace_name + "/", namespace_name + "0"};
}

}  // namespace

void DeriveFieldSchema(ResourceSchema& schema) {
  const ResourceInfo& info = schema.info;
  schema.selectable = schema.custom_resource
                          ? SelectableFieldsForCustomResource(schema.selectable_json_paths,
                                                              info.namespaced)
                          : SelectableFieldsFor(info.group, info.resource, info.namespaced,
                                                info.version);
  schema.object_schema.namespaced = info.namespaced;
  schema.object_schema.fields = schema.selectable.fields;
}

bool Selection::Matches(const Object& object) const {
  if (!namespace_name.empty() && object.namespace_name != namespace_name) return false;
  if (!labels.Empty() && !labels.Matches(object.labels)) return false;
  if (!fields.Empty() && !fields.Matches(object.fields)) return false;
  return true;
}

ResourceStore::ResourceStore(ResourceSchema schema, StoreOptions options)
    : options_(options), schema_(std::make_shared<const ResourceSchema>(std::move(schema))) {}

void ResourceStore::Replace(std::vector<ObjectPtr> objects, uint64_t resource_version) {
  ObjectMap fresh;
  for (ObjectPtr& object : objects) {
    std::string key = object->key;
    fresh.insert_or_assign(std::move(key), std::move(object));
  }
  {
    std::unique_lock lock(mutex_);
    objects_.swap(fresh);
    history_.clear();
    window_start_ = resource_version;
    resource_version_ = resource_version;
    ++epoch_;
    synced_ = true;
  }
  // The old map is freed outside the lock.
  fresh.clear();
  WakeWaiters(/*all=*/true);
}

void ResourceStore::Apply(std::vector<Event> events) {
  if (events.empty()) return;
  auto now = std::chrono::steady_clock::now();
  std::vector<EventPtr> applied;
  applied.reserve(events.size());
  {
    std::unique_lock lock(mutex_);
    for (Event& event : events) {
      // The upstream never goes back in time; an event at or below our version is a replay
      // after a reconnect and is already applied.
      if (event.resource_version <= resource_version_) continue;
      auto it = objects_.find(event.object->key);
      event.previous = it == objects_.end() ? nullptr : it->second;
      event.received = now;
      if (event.type == EventType::kDeleted) {
        if (it != objects_.end()) objects_.erase(it);
      } else {
        // An ADDED for a key we hold (or a MODIFIED for one we lack) is applied as the upstream
        // state; the type a watcher sees is recomputed from `previous`.
        event.type = event.previous ? EventType::kModified : EventType::kAdded;
        if (it != objects_.end()) {
          it->second = event.object;
        } else {
          objects_.emplace(event.object->key, event.object);
        }
      }
      resource_version_ = event.resource_version;
      applied.push_back(std::make_shared<const Event>(std::move(event)));
      history_.push_back(applied.back());
    }
    TrimHistoryLocked(now);
  }
  WakeWaiters(/*all=*/false, applied);
}

void ResourceStore::Bookmark(uint64_t resource_version) {
  {
    std::unique_lock lock(mutex_);
    if (resource_version <= resource_version_) return;
    resource_version_ = resource_version;
  }
  WakeWaiters(/*all=*/false);
}

void ResourceStore::UpdateSchema(const std::function<void(ResourceSchema&)>& update) {
  std::unique_lock lock(mutex_);
  auto copy = std::make_shared<ResourceSchema>(*schema_);
  update(*copy);
  schema_ = std::move(copy);
}

void ResourceStore::TrimHistoryLocked(std::chrono::steady_clock::time_point now) {
  while (!history_.empty() &&
         (history_.size() > options_.history_max_events ||
          now - history_.front()->received > options_.history_window)) {
    window_start_ = history_.front()->resource_version;
    history_.pop_front();
  }
}

std::shared_ptr<const ResourceSchema> ResourceStore::schema() const {
  std::shared_lock lock(mutex_);
  return schema_;
}

bool ResourceStore::synced() const {
  std::shared_lock lock(mutex_);
  return synced_;
}

uint64_t ResourceStore::resource_version() const {
  std::shared_lock lock(mutex_);
  return resource_version_;
}

uint64_t ResourceStore::epoch() const {
  std::shared_lock lock(mutex_);
  return epoch_;
}

uint64_t ResourceStore::replace_count() const { return epoch(); }

uint64_t ResourceStore::window_start() const {
  std::shared_lock lock(mutex_);
  return window_start_;
}

size_t ResourceStore::size() const {
  std::shared_lock lock(mutex_);
  return objects_.size();
}

ObjectPtr ResourceStore::Get(const std::string& key) const {
  std::shared_lock lock(mutex_);
  auto it = objects_.find(key);
  return it == objects_.end() ? nullptr : it->second;
}

boost::system::result<ListResult, Status> ResourceStore::List(const ListRequest& request) const {
  std::shared_lock lock(mutex_);
  ListResult result;
  uint64_t at = request.at_resource_version;
  if (at == 0 || at >= resource_version_) {
    at = resource_version_;
  } else if (at < window_start_) {
    return Expired("The resourceVersion for the provided list is too old.");
  }
  result.resource_version = at;

  // The state at `at` is the current state with the changes made after `at` undone: for each
  // key touched since, the `previous` of its first later event (null: it did not exist yet).
  std::map<std::string_view, const ObjectPtr*> overlay;
  for (auto it = history_.rbegin(); it != history_.rend() && (*it)->resource_version > at; ++it) {
    overlay[(*it)->object->key] = &(*it)->previous;
  }

  const auto range = NamespaceRange(request.selection.namespace_name);
  const std::string& range_begin = range.first;
  const std::string& range_end = range.second;
  std::string lower = request.start.empty() ? range_begin : range_begin + request.start;
  auto in_range = [&](std::string_view key) { return range_end.empty() || key < range_end; };

  bool count_rest = request.selection.labels.Empty() && request.selection.fields.Empty();
  int64_t remaining = 0;
  auto take = [&](const ObjectPtr& object) -> bool {  // false: stop scanning
    if (!object || !request.selection.Matches(*object)) return true;
    if (request.limit > 0 && static_cast<int64_t>(result.items.size()) >= request.limit) {
      result.has_more = true;
      if (!count_rest) return false;
      ++remaining;
      return true;
    }
    result.items.push_back(object);
    return true;
  };

  // Merge the two sorted sequences; a key in the overlay shadows the current map.
  auto current = objects_.lower_bound(lower);
  auto changed = overlay.lower_bound(std::string_view(lower));
  while (true) {
    bool have_current = current != objects_.end() && in_range(current->first);
    bool have_changed = changed != overlay.end() && in_range(changed->first);
    if (!have_current && !have_changed) break;
    const ObjectPtr* next = nullptr;
    if (have_changed && (!have_current || changed->first <= std::string_view(current->first))) {
      if (have_current && changed->first == std::string_view(current->first)) ++current;
      next = changed->second;
      ++changed;
    } else {
      next = &current->second;
      ++current;
    }
    if (!take(*next)) break;
  }
  if (result.has_more && count_rest) result.remaining = remaining;
  return result;
}

WatchStart ResourceStore::Snapshot(const Selection& selection) const {
  WatchStart start;
  std::shared_lock lock(mutex_);
  start.epoch = epoch_;
  start.snapshot.resource_version = resource_version_;
  auto [range_begin, range_end] = NamespaceRange(selection.namespace_name);
  for (auto it = objects_.lower_bound(range_begin);
       it != objects_.end() && (range_end.empty() || it->first < range_end); ++it) {
    if (selection.Matches(*it->second)) start.snapshot.items.push_back(it->second);
  }
  return start;
}

EventBatch ResourceStore::EventsAfter(uint64_t after, uint64_t epoch, size_t max) const {
  std::shared_lock lock(mutex_);
  EventBatch batch;
  batch.window_start = window_start_;
  batch.resource_version = resource_version_;
  if (epoch != epoch_) {
    batch.end = StreamEnd::kRelisted;
    return batch;
  }
  if (after < window_start_) {
    batch.end = StreamEnd::kTooOld;
    return batch;
  }
  auto first = std::upper_bound(history_.begin(), history_.end(), after,
                                [](uint64_t rv, const EventPtr& e) { return rv < e->resource_version; });
  for (auto it = first; it != history_.end() && batch.events.size() < max; ++it) {
    batch.events.push_back(*it);
  }
  return batch;
}

void ResourceStore::NotifyAfter(uint64_t resource_version, std::function<void()> wake,
                                std::shared_ptr<WatchInterest> interest) const {
  {
    std::shared_lock lock(mutex_);
    if (resource_version_ <= resource_version) {
      std::lock_guard waiters_lock(waiters_mutex_);
      waiters_.push_back({resource_version, std::move(wake), std::move(interest)});
      return;
    }
  }
  wake();
}

void ResourceStore::WakeWaiters(bool all, const std::vector<EventPtr>& applied) {
  uint64_t now = resource_version();
  auto sees_change = [&](Waiter& waiter) {
    if (all || !waiter.interest) return true;
    const Selection& selection = waiter.interest->selection;
    for (const EventPtr& event : applied) {
      if (event->resource_version <= waiter.resource_version) continue;
      if (selection.Matches(*event->object) ||
          (event->previous && selection.Matches(*event->previous))) {
        return true;
      }
    }
    // Nothing it can see: it sleeps on, and will skip these events when it wakes.
    waiter.interest->passed = now;
    waiter.resource_version = now;
    return false;
  };
  std::vector<std::function<void()>> ready;
  {
    std::lock_guard lock(waiters_mutex_);
    auto keep = std::partition(waiters_.begin(), waiters_.end(), [&](Waiter& w) {
      return w.resource_version >= now ? !all : !sees_change(w);
    });
    for (auto it = keep; it != waiters_.end(); ++it) ready.push_back(std::move(it->wake));
    waiters_.erase(keep, waiters_.end());
  }
  for (auto& wake : ready) wake();
}

}  // namespace kcache
