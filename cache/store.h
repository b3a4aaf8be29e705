#pragma once
// ResourceStore: everything kcache knows about one resource (one GroupVersionResource): the
// current objects by key, the event history over a time window, and the resourceVersion the
// cache has reached. From current state plus history it answers "list at resourceVersion R"
// and "watch from R" for any R inside the window, which gives exact resourceVersion semantics
// and continue tokens any replica can serve.
//
// Threading: one writer (the resource's reflector) calls Replace/Apply/Bookmark; any number of
// readers call the const methods concurrently. Readers copy ObjectPtrs under a short shared
// lock and encode outside it.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <deque>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include <boost/system/result.hpp>

#include "cache/event.h"
#include "cache/object_index.h"
#include "kube/field_selector.h"
#include "kube/label_selector.h"
#include "kube/resource.h"
#include "kube/selectable_fields.h"
#include "kube/status.h"

namespace kcache {

// What the store knows about its resource beyond discovery.
struct ResourceSchema {
  ResourceInfo info;
  // `{"kind":"Pod","apiVersion":"v1",`: the prefix list items of built-in kinds omit.
  std::shared_ptr<const std::string> type_meta;
  std::string list_kind;  // "PodList"; CRDs name theirs in spec.names.listKind
  // Served by a CustomResourceDefinition; then `selectable_json_paths` are its version's
  // spec.versions[].selectableFields.
  bool custom_resource = false;
  std::vector<std::string> selectable_json_paths;
  SelectableFieldSet selectable;
  ObjectSchema object_schema;
  // The upstream's bookmark objects, learned from its watch: the empty object of the kind (a
  // Pod's carries "spec":{"containers":null}), plain and with the initial-events-end
  // annotation. Empty until seen; kcache then writes kind, apiVersion and metadata only.
  std::string bookmark_template;
  std::string initial_events_end_template;
  // The upstream's Warning headers on every request for the resource (a deprecated API
  // version's "299 - ..."), learned from its list responses; kcache's answers carry them too.
  std::vector<std::string> warnings;
};

// Fills `selectable` and `object_schema` from the other fields.
void DeriveFieldSchema(ResourceSchema& schema);

struct StoreOptions {
  std::chrono::seconds history_window{150};
  size_t history_max_events = 100000;
  // Label keys whose exact values are indexed (spec.nodeName always is, where selectable).
  std::vector<std::string> indexed_label_keys;
};

// Selection of objects for a list or a watch.
struct Selection {
  std::string namespace_name;  // empty: all namespaces (or a cluster-scoped resource)
  LabelSelector labels;
  FieldSelector fields;

  bool Matches(const Object& object) const;
};

struct ListRequest {
  Selection selection;
  // 0: the current state; otherwise the state at exactly this version.
  uint64_t at_resource_version = 0;
  // Inclusive lower bound key relative to the namespace (continue token's start).
  std::string start;
  int64_t limit = 0;
};

struct ListResult {
  uint64_t resource_version = 0;
  std::vector<ObjectPtr> items;
  bool has_more = false;
  // Set when has_more and the selection is empty: matching items after this page.
  std::optional<int64_t> remaining;
};

// Why a watch's event stream cannot go on.
enum class StreamEnd {
  kNone,
  kTooOld,   // the requested version left the history window (410)
  kRelisted  // the store was rebuilt from a relist: watchers start again
};

struct EventBatch {
  std::vector<EventPtr> events;
  StreamEnd end = StreamEnd::kNone;
  uint64_t window_start = 0;  // for the 410 message
  // The store's version when the batch was taken: with no events, nothing happened between the
  // cursor and this version, so a bookmark may carry it.
  uint64_t resource_version = 0;
};

// The state a watch starts from: a snapshot and the epoch it belongs to, taken together.
struct WatchStart {
  ListResult snapshot;
  uint64_t epoch = 0;
};

class WatchFeed;

class ResourceStore {
 public:
  ResourceStore(ResourceSchema schema, StoreOptions options);
  ResourceStore(const ResourceStore&) = delete;
  ResourceStore& operator=(const ResourceStore&) = delete;

  // --- writer side ---

  // Installs the full state from a (re)list at `resource_version`. History restarts; watchers
  // of the previous state are told to end (they resume through a 410 and a relist, as with
  // kube-apiserver when its watch cache reinitialises).
  void Replace(std::vector<ObjectPtr> objects, uint64_t resource_version);
  // Applies upstream events in order. Each event's `previous` is filled in here.
  void Apply(std::vector<Event> events);
  // The upstream says nothing changed up to `resource_version`.
  void Bookmark(uint64_t resource_version);
  // The schema learned more (list kind, bookmark templates) from the upstream.
  void UpdateSchema(const std::function<void(ResourceSchema&)>& update);
  // The writer can no longer follow the upstream (its reflector failed): until the next
  // Replace the store is not synced, so reads go to the upstream, and its watches end (their
  // clients watch again, through to the upstream), as on a relist.
  void Unsync();

  // --- reader side ---

  std::shared_ptr<const ResourceSchema> schema() const;
  bool synced() const;
  uint64_t resource_version() const;
  uint64_t epoch() const;
  size_t size() const;
  // How many times the full state was installed (first list, relists, loads from disk).
  uint64_t replace_count() const;

  ObjectPtr Get(const std::string& key) const;
  boost::system::result<ListResult, Status> List(const ListRequest& request) const;
  // All objects of the selection at the current version, for a watch's initial events.
  WatchStart Snapshot(const Selection& selection) const;
  // Events after `after` of the history, at most `max`, provided `epoch` is still current.
  EventBatch EventsAfter(uint64_t after, uint64_t epoch, size_t max) const;
  // The oldest version a watch may start from.
  uint64_t window_start() const;

  // Calls `wake` once the store has moved past `resource_version` (or was replaced). `wake` runs
  // on the writer's thread under no lock: it must only hand work to its own thread.
  void NotifyAfter(uint64_t resource_version, std::function<void()> wake) const;

  // Starts a feed of the events `selection` can see, from the current version on (see
  // cache/watch_feed.h); `Unsubscribe` ends it.
  std::shared_ptr<WatchFeed> Subscribe(Selection selection, std::function<void()> wake,
                                       size_t capacity) const;
  void Unsubscribe(const std::shared_ptr<WatchFeed>& feed) const;

 private:
  using ObjectMap = std::map<std::string, ObjectPtr, std::less<>>;

  void TrimHistoryLocked(std::chrono::steady_clock::time_point now);
  // Runs the waiters the store has moved past; every waiter when `all` (the state was replaced).
  void WakeWaiters(bool all);
  // Hands applied events to the feeds that may want them and records that every feed has been
  // offered everything up to `resource_version`; ends every feed on `relisted`.
  void FeedWatches(const std::vector<EventPtr>& applied, uint64_t resource_version, bool relisted);

  const StoreOptions options_;

  mutable std::shared_mutex mutex_;
  std::shared_ptr<const ResourceSchema> schema_;
  ObjectMap objects_;
  ObjectIndex index_;
  std::deque<EventPtr> history_;  // ascending resource_version
  uint64_t window_start_ = 0;
  uint64_t resource_version_ = 0;
  uint64_t epoch_ = 0;  // counts Replace and Unsync calls: a new epoch ends every watch
  uint64_t replaces_ = 0;
  bool synced_ = false;

  struct Waiter {
    uint64_t resource_version;
    std::function<void()> wake;
  };
  mutable std::mutex waiters_mutex_;
  mutable std::vector<Waiter> waiters_;
  // Feeds, found by the one field value their selection requires (metadata.name, spec.nodeName
  // or the namespace: label -> value -> feeds), so an event is matched only against the feeds
  // that can want it; feeds that require no such value are matched against every event.
  mutable std::mutex feeds_mutex_;
  mutable std::map<std::string, std::map<std::string, std::vector<std::shared_ptr<WatchFeed>>>,
                   std::less<>>
      indexed_feeds_;
  mutable std::vector<std::shared_ptr<WatchFeed>> unindexed_feeds_;
  std::atomic<uint64_t> offered_through_{0};
};

using ResourceStorePtr = std::shared_ptr<ResourceStore>;

}  // namespace kcache
