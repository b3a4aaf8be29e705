#include "cache/store.h"

#include "cache/watch_feed.h"

#include <algorithm>
#include <optional>

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

namespace {

std::vector<std::string> IndexedFields(const ResourceSchema& schema) {
  std::vector<std::string> labels;
  for (const SelectableField& field : schema.object_schema.fields) {
    if (field.label == "spec.nodeName") labels.push_back(field.label);
  }
  return labels;
}

}  // namespace

ResourceStore::ResourceStore(ResourceSchema schema, StoreOptions options)
    : options_(options),
      schema_(std::make_shared<const ResourceSchema>(std::move(schema))),
      index_(IndexedFields(*schema_), options_.indexed_label_keys) {}

void ResourceStore::Replace(std::vector<ObjectPtr> objects, uint64_t resource_version) {
  ObjectMap fresh;
  for (ObjectPtr& object : objects) {
    std::string key = object->key;
    fresh.insert_or_assign(std::move(key), std::move(object));
  }
  {
    std::unique_lock lock(mutex_);
    objects_.swap(fresh);
    index_.Clear();
    for (const auto& [key, object] : objects_) index_.Add(*object);
    history_.clear();
    window_start_ = resource_version;
    resource_version_ = resource_version;
    ++epoch_;
    ++replaces_;
    synced_ = true;
  }
  // The old map is freed outside the lock.
  fresh.clear();
  WakeWaiters(/*all=*/true);
  FeedWatches({}, resource_version, /*relisted=*/true);
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
      if (event.previous) index_.Remove(*event.previous);
      if (event.type != EventType::kDeleted) index_.Add(*event.object);
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
  WakeWaiters(/*all=*/false);
  FeedWatches(applied, applied.empty() ? 0 : applied.back()->resource_version, false);
}

void ResourceStore::Bookmark(uint64_t resource_version) {
  {
    std::unique_lock lock(mutex_);
    if (resource_version <= resource_version_) return;
    resource_version_ = resource_version;
  }
  WakeWaiters(/*all=*/false);
  FeedWatches({}, resource_version, false);
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

void ResourceStore::Unsync() {
  uint64_t resource_version = 0;
  {
    std::unique_lock lock(mutex_);
    if (!synced_) return;
    synced_ = false;
    ++epoch_;
    resource_version = resource_version_;
  }
  WakeWaiters(/*all=*/true);
  FeedWatches({}, resource_version, /*relisted=*/true);
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

uint64_t ResourceStore::replace_count() const {
  std::shared_lock lock(mutex_);
  return replaces_;
}

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

  // The current state with a selector that requires an indexed value: visit only the objects
  // that have it, in key order like the scan below.
  const auto* candidates = overlay.empty() ? index_.Candidates(request.selection) : nullptr;
  if (candidates) {
    for (auto key = candidates->lower_bound(lower); key != candidates->end() && in_range(*key);
         ++key) {
      auto found = objects_.find(*key);
      if (found != objects_.end() && !take(found->second)) break;
    }
    return result;
  }

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

void ResourceStore::NotifyAfter(uint64_t resource_version, std::function<void()> wake) const {
  {
    std::shared_lock lock(mutex_);
    if (resource_version_ <= resource_version) {
      std::lock_guard waiters_lock(waiters_mutex_);
      waiters_.push_back({resource_version, std::move(wake)});
      return;
    }
  }
  wake();
}

namespace {

// The field a feed is indexed by, most selective first, and its required value.
std::optional<std::pair<std::string, std::string>> IndexKey(const Selection& selection) {
  for (const char* label : {"metadata.name", "spec.nodeName"}) {
    if (auto value = selection.fields.RequiredValue(label)) return std::pair(label, *value);
  }
  if (!selection.namespace_name.empty()) {
    return std::pair(std::string("metadata.namespace"), selection.namespace_name);
  }
  return std::nullopt;
}

const std::string* FieldValue(const Object& object, std::string_view label) {
  for (const auto& [name, value] : object.fields) {
    if (name == label) return &value;
  }
  return nullptr;
}

}  // namespace

std::shared_ptr<WatchFeed> ResourceStore::Subscribe(Selection selection, std::function<void()> wake,
                                                    size_t capacity) const {
  auto key = IndexKey(selection);
  auto feed = std::make_shared<WatchFeed>(std::move(selection), std::move(wake), capacity);
  feed->offered_through_ = &offered_through_;
  // Under the store's lock no batch is half applied: the feed gets exactly the events after
  // this version (a concurrent FeedWatches may offer older ones; the feed skips them).
  std::shared_lock lock(mutex_);
  feed->start_resource_version_ = resource_version_;
  std::lock_guard feeds_lock(feeds_mutex_);
  if (key) {
    indexed_feeds_[key->first][key->second].push_back(feed);
  } else {
    unindexed_feeds_.push_back(feed);
  }
  return feed;
}

void ResourceStore::Unsubscribe(const std::shared_ptr<WatchFeed>& feed) const {
  auto key = IndexKey(feed->selection());
  std::lock_guard lock(feeds_mutex_);
  if (!key) {
    std::erase(unindexed_feeds_, feed);
    return;
  }
  auto label = indexed_feeds_.find(key->first);
  if (label == indexed_feeds_.end()) return;
  auto it = label->second.find(key->second);
  if (it == label->second.end()) return;
  std::erase(it->second, feed);
  if (it->second.empty()) label->second.erase(it);
}

void ResourceStore::FeedWatches(const std::vector<EventPtr>& applied, uint64_t resource_version,
                                bool relisted) {
  std::vector<WatchFeed*> to_wake;
  {
    std::lock_guard lock(feeds_mutex_);
    if (relisted) {
      for (const auto& feed : unindexed_feeds_) {
        if (feed->EndForRelist()) to_wake.push_back(feed.get());
      }
      for (const auto& [label, by_value] : indexed_feeds_) {
        for (const auto& [value, feeds] : by_value) {
          for (const auto& feed : feeds) {
            if (feed->EndForRelist()) to_wake.push_back(feed.get());
          }
        }
      }
    }
    std::vector<WatchFeed*> candidates;
    for (const EventPtr& event : applied) {
      candidates.clear();
      for (const auto& feed : unindexed_feeds_) candidates.push_back(feed.get());
      for (const auto& [label, by_value] : indexed_feeds_) {
        for (const Object* object : {event->object.get(), event->previous.get()}) {
          const std::string* value = object ? FieldValue(*object, label) : nullptr;
          auto it = value ? by_value.find(*value) : by_value.end();
          if (it == by_value.end()) continue;
          for (const auto& feed : it->second) candidates.push_back(feed.get());
        }
      }
      std::sort(candidates.begin(), candidates.end());
      candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
      for (WatchFeed* feed : candidates) {
        if (feed->Offer(event)) to_wake.push_back(feed);
      }
    }
    if (resource_version > offered_through_) offered_through_ = resource_version;
    // Feeds stay alive while listed; waking them under the lock keeps them so, and a wake only
    // posts work to the watch's own thread.
    for (WatchFeed* feed : to_wake) feed->wake_();
  }
}

void ResourceStore::WakeWaiters(bool all) {
  uint64_t now = resource_version();
  std::vector<std::function<void()>> ready;
  {
    std::lock_guard lock(waiters_mutex_);
    auto keep = std::partition(waiters_.begin(), waiters_.end(),
                               [&](const Waiter& w) { return !all && w.resource_version >= now; });
    for (auto it = keep; it != waiters_.end(); ++it) ready.push_back(std::move(it->wake));
    waiters_.erase(keep, waiters_.end());
  }
  for (auto& wake : ready) wake();
}

}  // namespace kcache
