#include "cache/store.h"
#include "cache/watch_feed.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kube/json_parser.h"
#include "kube/object.h"

namespace kcache {
namespace {

// ---- Builders -------------------------------------------------------------------------------

ResourceSchema PodsSchema() {
  ResourceSchema schema;
  schema.info = ResourceInfo{.group = "",
                             .version = "v1",
                             .resource = "pods",
                             .kind = "Pod",
                             .singular = "pod",
                             .namespaced = true,
                             .verbs = {"get", "list", "watch"}};
  schema.type_meta = std::make_shared<const std::string>(TypeMetaPrefix("Pod", "v1"));
  schema.list_kind = "PodList";
  schema.selectable = SelectableFieldsFor("", "pods", true);
  schema.object_schema = ObjectSchema{.namespaced = true, .fields = schema.selectable.fields};
  return schema;
}

struct PodSpec {
  std::string namespace_name = "default";
  std::string name;
  uint64_t resource_version = 1;
  std::map<std::string, std::string> labels;
  std::string node;
};

// A pod in list-item form, parsed the way the reflector parses upstream objects.
ObjectPtr Pod(const PodSpec& spec) {
  static const ResourceSchema schema = PodsSchema();
  std::string json = R"({"metadata":{"name":")" + spec.name + R"(","namespace":")" +
                     spec.namespace_name + R"(","resourceVersion":")" +
                     std::to_string(spec.resource_version) + R"(","labels":{)";
  bool first = true;
  for (const auto& [key, value] : spec.labels) {
    if (!first) json += ',';
    first = false;
    json += '"' + key + R"(":")" + value + '"';
  }
  json += R"(}},"spec":{"nodeName":")" + spec.node + R"("}})";
  JsonParser parser;
  auto parsed = ParseObject(parser, json, schema.object_schema, schema.type_meta);
  EXPECT_TRUE(parsed.has_value()) << json;
  return parsed ? std::make_shared<const Object>(std::move(*parsed)) : nullptr;
}

ObjectPtr Pod(std::string namespace_name, std::string name, uint64_t resource_version,
              std::map<std::string, std::string> labels = {}, std::string node = "") {
  return Pod(PodSpec{std::move(namespace_name), std::move(name), resource_version,
                     std::move(labels), std::move(node)});
}

Event Added(ObjectPtr object) {
  uint64_t rv = object->resource_version;
  return Event{.type = EventType::kAdded, .object = std::move(object), .resource_version = rv};
}
Event Modified(ObjectPtr object) {
  uint64_t rv = object->resource_version;
  return Event{.type = EventType::kModified, .object = std::move(object), .resource_version = rv};
}
Event Deleted(ObjectPtr object) {
  uint64_t rv = object->resource_version;
  return Event{.type = EventType::kDeleted, .object = std::move(object), .resource_version = rv};
}

// History bounded by count only, so trimming never depends on the clock.
StoreOptions CountBoundedHistory(size_t max_events) {
  return StoreOptions{.history_window = std::chrono::hours(24), .history_max_events = max_events};
}

std::unique_ptr<ResourceStore> NewStore(StoreOptions options = CountBoundedHistory(1000)) {
  return std::make_unique<ResourceStore>(PodsSchema(), options);
}

LabelSelector SelectLabels(std::string_view text) {
  auto parsed = LabelSelector::Parse(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed ? *parsed : LabelSelector();
}

FieldSelector SelectFields(std::string_view text) {
  auto parsed = FieldSelector::Parse(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed ? *parsed : FieldSelector();
}

ListResult MustList(const ResourceStore& store, const ListRequest& request) {
  auto listed = store.List(request);
  EXPECT_TRUE(listed.has_value()) << (listed ? "" : listed.error().ToJson());
  return listed ? std::move(*listed) : ListResult();
}

// Each item as "key@resourceVersion".
std::vector<std::string> Items(const std::vector<ObjectPtr>& items) {
  std::vector<std::string> out;
  for (const ObjectPtr& item : items) {
    out.push_back(item->key + "@" + std::to_string(item->resource_version));
  }
  return out;
}

std::vector<std::string> Listed(const ResourceStore& store, const ListRequest& request = {}) {
  return Items(MustList(store, request).items);
}

using Keys = std::vector<std::string>;

// Each event as "TYPE key@rv (previous@rv)".
std::vector<std::string> Describe(const std::vector<EventPtr>& events) {
  std::vector<std::string> out;
  for (const EventPtr& event : events) {
    std::string text = std::string(EventTypeName(event->type)) + " " + event->object->key + "@" +
                       std::to_string(event->resource_version);
    if (event->previous) {
      text += " (" + std::to_string(event->previous->resource_version) + ")";
    }
    out.push_back(text);
  }
  return out;
}

// ---- Replace and List -----------------------------------------------------------------------

TEST(StoreTest, NewStoreIsEmptyAndNotSynced) {
  auto store = NewStore();
  EXPECT_FALSE(store->synced());
  EXPECT_EQ(store->resource_version(), 0u);
  EXPECT_EQ(store->size(), 0u);
}

TEST(StoreTest, ReplaceInstallsTheListedState) {
  auto store = NewStore();
  store->Replace({Pod("a", "x", 10), Pod("b", "y", 20)}, 100);
  EXPECT_TRUE(store->synced());
  EXPECT_EQ(store->resource_version(), 100u);
  EXPECT_EQ(store->window_start(), 100u);
  EXPECT_EQ(store->size(), 2u);
  ASSERT_NE(store->Get("a/x"), nullptr);
  EXPECT_EQ(store->Get("a/x")->resource_version, 10u);
  EXPECT_EQ(store->Get("x"), nullptr);
}

TEST(StoreTest, ReplaceDropsObjectsOfThePreviousState) {
  auto store = NewStore();
  store->Replace({Pod("a", "x", 10), Pod("a", "y", 11)}, 100);
  store->Replace({Pod("a", "y", 150), Pod("a", "z", 160)}, 200);
  EXPECT_EQ(Listed(*store), (Keys{"a/y@150", "a/z@160"}));
  EXPECT_EQ(store->Get("a/x"), nullptr);
}

TEST(StoreTest, ListAcrossNamespacesIsInStorageKeyOrder) {
  auto store = NewStore();
  store->Replace({Pod("b", "p", 1), Pod("a", "q", 2), Pod("a-b", "p", 3), Pod("a", "p", 4)}, 10);
  ListResult result = MustList(*store, {});
  // '/' sorts after '-': namespace "a-b" lists before namespace "a".
  EXPECT_EQ(Items(result.items), (Keys{"a-b/p@3", "a/p@4", "a/q@2", "b/p@1"}));
  EXPECT_EQ(result.resource_version, 10u);
  EXPECT_FALSE(result.has_more);
  EXPECT_EQ(result.remaining, std::nullopt);
}

TEST(StoreTest, ListOfANamespaceHasOnlyThatNamespace) {
  auto store = NewStore();
  store->Replace({Pod("a", "p", 1), Pod("a-b", "p", 2), Pod("a.b", "p", 3), Pod("ab", "p", 4),
                  Pod("a", "q", 5), Pod("b", "p", 6)},
                 10);
  EXPECT_EQ(Listed(*store, {.selection = {.namespace_name = "a"}}), (Keys{"a/p@1", "a/q@5"}));
  EXPECT_EQ(Listed(*store, {.selection = {.namespace_name = "a-b"}}), (Keys{"a-b/p@2"}));
  EXPECT_TRUE(Listed(*store, {.selection = {.namespace_name = "c"}}).empty());
}

TEST(StoreTest, ListAppliesTheLabelSelector) {
  auto store = NewStore();
  store->Replace({Pod("a", "x", 1, {{"app", "web"}}), Pod("a", "y", 2, {{"app", "db"}}),
                  Pod("b", "z", 3, {{"app", "web"}, {"tier", "1"}})},
                 10);
  EXPECT_EQ(Listed(*store, {.selection = {.labels = SelectLabels("app=web")}}),
            (Keys{"a/x@1", "b/z@3"}));
  EXPECT_EQ(Listed(*store, {.selection = {.labels = SelectLabels("app=web,tier")}}),
            (Keys{"b/z@3"}));
  EXPECT_EQ(Listed(*store,
                   {.selection = {.namespace_name = "a", .labels = SelectLabels("app!=web")}}),
            (Keys{"a/y@2"}));
}

TEST(StoreTest, ListAppliesTheFieldSelector) {
  auto store = NewStore();
  store->Replace(
      {Pod("a", "x", 1, {}, "n1"), Pod("a", "y", 2, {}, "n2"), Pod("b", "z", 3, {}, "n1")}, 10);
  EXPECT_EQ(Listed(*store, {.selection = {.fields = SelectFields("spec.nodeName=n1")}}),
            (Keys{"a/x@1", "b/z@3"}));
  EXPECT_EQ(Listed(*store, {.selection = {.fields = SelectFields("metadata.name=y")}}),
            (Keys{"a/y@2"}));
  EXPECT_EQ(Listed(*store, {.selection = {.fields = SelectFields("metadata.namespace!=a")}}),
            (Keys{"b/z@3"}));
}

// ---- indexes ----------------------------------------------------------------------------------

// Lists that go through the indexes (spec.nodeName, the `app` label) walk, page by page, exactly
// the objects a full scan (Snapshot) selects, after every kind of change.
TEST(StoreIndexTest, IndexedListsWalkWhatAScanSelectsThroughChanges) {
  StoreOptions options = CountBoundedHistory(1000);
  options.indexed_label_keys = {"app"};
  auto store = NewStore(options);
  std::vector<ObjectPtr> pods;
  for (int i = 0; i < 30; ++i) {
    pods.push_back(Pod(i % 2 ? "a" : "b", "p" + std::to_string(i), 1 + i,
                       {{"app", "app" + std::to_string(i % 3)}}, "n" + std::to_string(i % 4)));
  }
  store->Replace(pods, 100);
  std::vector<Event> changes = {
      Modified(Pod("a", "p1", 101, {{"app", "app2"}}, "n3")),  // moves in both indexes
      Deleted(Pod("b", "p2", 102, {{"app", "app2"}}, "n2")),
      Added(Pod("a", "new", 103, {{"app", "app0"}}, "n0")),
  };
  auto compare = [&](const std::string& when) {
    for (std::string fields : {"spec.nodeName=n0", "spec.nodeName=n3", "spec.nodeName=none",
                               "spec.nodeName=n1,metadata.name!=p5", ""}) {
      for (std::string labels : {"app=app0", "app in (app2)", "app!=app1", ""}) {
        for (std::string ns : {"", "a"}) {
          Selection selection{.namespace_name = ns, .labels = SelectLabels(labels),
                              .fields = SelectFields(fields)};
          std::vector<std::string> expected;
          for (const auto& o : store->Snapshot(selection).snapshot.items) expected.push_back(o->key);
          for (int64_t limit : {0, 2}) {
            ListRequest request{.selection = selection, .limit = limit};
            std::vector<std::string> walked;
            while (true) {
              ListResult page = MustList(*store, request);
              ASSERT_LE(page.items.size(), limit ? static_cast<size_t>(limit) : SIZE_MAX);
              for (const auto& o : page.items) walked.push_back(o->key);
              if (!page.has_more) break;
              std::string last = page.items.back()->key;
              request.start = (ns.empty() ? last : last.substr(ns.size() + 1)) + '\0';
            }
            ASSERT_EQ(walked, expected) << when << " fields=" << fields << " labels=" << labels
                                        << " ns=" << ns << " limit=" << limit;
          }
        }
      }
    }
  };
  compare("after the list");
  for (size_t i = 0; i < changes.size(); ++i) {
    store->Apply({changes[i]});
    compare("after change " + std::to_string(i));
  }
}

// ---- Limit and start ------------------------------------------------------------------------

std::vector<ObjectPtr> FivePods() {
  return {Pod("a", "p1", 1, {{"even", "false"}}), Pod("a", "p2", 2, {{"even", "true"}}),
          Pod("a", "p3", 3, {{"even", "false"}}), Pod("a", "p4", 4, {{"even", "true"}}),
          Pod("a", "p5", 5, {{"even", "false"}})};
}

TEST(StoreTest, LimitCutsThePageAndCountsTheRest) {
  auto store = NewStore();
  store->Replace(FivePods(), 10);
  ListResult result = MustList(*store, {.limit = 2});
  EXPECT_EQ(Items(result.items), (Keys{"a/p1@1", "a/p2@2"}));
  EXPECT_TRUE(result.has_more);
  EXPECT_EQ(result.remaining, 3);
}

TEST(StoreTest, LimitCoveringEverythingHasNoMore) {
  auto store = NewStore();
  store->Replace(FivePods(), 10);
  for (int64_t limit : {5, 6}) {
    ListResult result = MustList(*store, {.limit = limit});
    EXPECT_EQ(result.items.size(), 5u);
    EXPECT_FALSE(result.has_more) << limit;
    EXPECT_EQ(result.remaining, std::nullopt) << limit;
  }
}

TEST(StoreTest, NonPositiveLimitMeansNoLimit) {
  auto store = NewStore();
  store->Replace(FivePods(), 10);
  EXPECT_EQ(MustList(*store, {.limit = 0}).items.size(), 5u);
  EXPECT_EQ(MustList(*store, {.limit = -1}).items.size(), 5u);
}

TEST(StoreTest, RemainingIsOnlyCountedWithoutSelectors) {
  auto store = NewStore();
  store->Replace(FivePods(), 10);
  ListResult labelled =
      MustList(*store, {.selection = {.labels = SelectLabels("even=false")}, .limit = 2});
  EXPECT_EQ(Items(labelled.items), (Keys{"a/p1@1", "a/p3@3"}));
  EXPECT_TRUE(labelled.has_more);
  EXPECT_EQ(labelled.remaining, std::nullopt);
  ListResult fielded =
      MustList(*store, {.selection = {.fields = SelectFields("metadata.namespace=a")}, .limit = 4});
  EXPECT_TRUE(fielded.has_more);
  EXPECT_EQ(fielded.remaining, std::nullopt);
  // A namespace is not a selector.
  ListResult namespaced = MustList(*store, {.selection = {.namespace_name = "a"}, .limit = 4});
  EXPECT_TRUE(namespaced.has_more);
  EXPECT_EQ(namespaced.remaining, 1);
}

TEST(StoreTest, SelectedPageEndsWithoutMoreWhenNothingElseMatches) {
  auto store = NewStore();
  store->Replace(FivePods(), 10);
  ListResult result =
      MustList(*store, {.selection = {.labels = SelectLabels("even=true")}, .limit = 2});
  EXPECT_EQ(Items(result.items), (Keys{"a/p2@2", "a/p4@4"}));
  EXPECT_FALSE(result.has_more);
}

TEST(StoreTest, StartIsAnInclusiveLowerBoundRelativeToTheNamespace) {
  auto store = NewStore();
  store->Replace(FivePods(), 10);
  // What a continue token carries: the last key of the page plus "\0".
  EXPECT_EQ(Listed(*store, {.selection = {.namespace_name = "a"}, .start = std::string("p2\0", 3)}),
            (Keys{"a/p3@3", "a/p4@4", "a/p5@5"}));
  EXPECT_EQ(Listed(*store, {.selection = {.namespace_name = "a"}, .start = "p4"}),
            (Keys{"a/p4@4", "a/p5@5"}));
}

TEST(StoreTest, StartAcrossNamespacesIsAFullKey) {
  auto store = NewStore();
  store->Replace({Pod("a", "p", 1), Pod("a", "q", 2), Pod("b", "p", 3)}, 10);
  ListResult result = MustList(*store, {.start = std::string("a/p\0", 4), .limit = 1});
  EXPECT_EQ(Items(result.items), (Keys{"a/q@2"}));
  EXPECT_TRUE(result.has_more);
  EXPECT_EQ(result.remaining, 1);
}

// ---- Apply ----------------------------------------------------------------------------------

TEST(StoreTest, ApplyAddsModifiesAndDeletes) {
  auto store = NewStore();
  store->Replace({Pod("a", "x", 10), Pod("a", "y", 20)}, 100);
  store->Apply(
      {Added(Pod("a", "z", 101)), Modified(Pod("a", "x", 102)), Deleted(Pod("a", "y", 103))});
  EXPECT_EQ(store->resource_version(), 103u);
  EXPECT_EQ(Listed(*store), (Keys{"a/x@102", "a/z@101"}));
  EXPECT_EQ(store->Get("a/y"), nullptr);
}

TEST(StoreTest, ApplyFillsInThePreviousState) {
  auto store = NewStore();
  store->Replace({Pod("a", "x", 10), Pod("a", "y", 20)}, 100);
  store->Apply(
      {Added(Pod("a", "z", 101)), Modified(Pod("a", "x", 102)), Deleted(Pod("a", "y", 103))});
  EventBatch batch = store->EventsAfter(100, store->epoch(), 10);
  EXPECT_EQ(Describe(batch.events),
            (Keys{"ADDED a/z@101", "MODIFIED a/x@102 (10)", "DELETED a/y@103 (20)"}));
}

TEST(StoreTest, AddedForAnExistingKeyBecomesModified) {
  auto store = NewStore();
  store->Replace({Pod("a", "x", 10)}, 100);
  store->Apply({Added(Pod("a", "x", 101))});
  EXPECT_EQ(Describe(store->EventsAfter(100, store->epoch(), 10).events),
            (Keys{"MODIFIED a/x@101 (10)"}));
  EXPECT_EQ(store->size(), 1u);
}

TEST(StoreTest, ModifiedForAMissingKeyBecomesAdded) {
  auto store = NewStore();
  store->Replace({}, 100);
  store->Apply({Modified(Pod("a", "x", 101))});
  EXPECT_EQ(Describe(store->EventsAfter(100, store->epoch(), 10).events), (Keys{"ADDED a/x@101"}));
  EXPECT_EQ(Listed(*store), (Keys{"a/x@101"}));
}

TEST(StoreTest, EventsAtOrBelowTheCurrentVersionAreIgnored) {
  auto store = NewStore();
  store->Replace({Pod("a", "x", 10)}, 100);
  store->Apply({Added(Pod("a", "y", 100)), Deleted(Pod("a", "x", 90))});
  EXPECT_EQ(store->resource_version(), 100u);
  EXPECT_EQ(Listed(*store), (Keys{"a/x@10"}));
  EXPECT_TRUE(store->EventsAfter(100, store->epoch(), 10).events.empty());
  // A replay after a reconnect: only the new tail is applied.
  store->Apply({Added(Pod("a", "z", 101))});
  store->Apply({Added(Pod("a", "z", 101)), Modified(Pod("a", "z", 102))});
  EXPECT_EQ(Describe(store->EventsAfter(100, store->epoch(), 10).events),
            (Keys{"ADDED a/z@101", "MODIFIED a/z@102 (101)"}));
}

// ---- List at an older resourceVersion -------------------------------------------------------

// State at 100: x@10, y@20. Then z added at 101, x modified at 102, y deleted at 103.
std::unique_ptr<ResourceStore> StoreWithHistory(StoreOptions options = CountBoundedHistory(1000)) {
  auto store = NewStore(options);
  store->Replace({Pod("a", "x", 10, {{"v", "old"}}), Pod("a", "y", 20, {{"v", "old"}})}, 100);
  store->Apply({Added(Pod("a", "z", 101, {{"v", "new"}}))});
  store->Apply({Modified(Pod("a", "x", 102, {{"v", "new"}}))});
  store->Apply({Deleted(Pod("a", "y", 103, {{"v", "old"}}))});
  return store;
}

TEST(StoreTest, ListAtOldVersionUndoesLaterChanges) {
  auto store = StoreWithHistory();
  ListResult at_100 = MustList(*store, {.at_resource_version = 100});
  EXPECT_EQ(at_100.resource_version, 100u);
  EXPECT_EQ(Items(at_100.items), (Keys{"a/x@10", "a/y@20"}));
  EXPECT_EQ(Listed(*store, {.at_resource_version = 101}), (Keys{"a/x@10", "a/y@20", "a/z@101"}));
  EXPECT_EQ(Listed(*store, {.at_resource_version = 102}), (Keys{"a/x@102", "a/y@20", "a/z@101"}));
  EXPECT_EQ(Listed(*store, {.at_resource_version = 103}), (Keys{"a/x@102", "a/z@101"}));
}

TEST(StoreTest, ListAtOldVersionSeesADeletedAndRecreatedObjectAsItWas) {
  auto store = NewStore();
  store->Replace({Pod("a", "x", 10)}, 100);
  store->Apply({Deleted(Pod("a", "x", 101)), Added(Pod("a", "x", 102))});
  EXPECT_EQ(Listed(*store, {.at_resource_version = 100}), (Keys{"a/x@10"}));
  EXPECT_TRUE(Listed(*store, {.at_resource_version = 101}).empty());
  EXPECT_EQ(Listed(*store, {.at_resource_version = 102}), (Keys{"a/x@102"}));
}

TEST(StoreTest, ListAtOldVersionOfANamespaceIgnoresOtherNamespaces) {
  auto store = NewStore();
  store->Replace({Pod("a", "x", 10), Pod("a-b", "x", 11), Pod("b", "x", 12)}, 100);
  store->Apply({Deleted(Pod("a-b", "x", 101)), Deleted(Pod("b", "x", 102)),
                Added(Pod("a", "y", 103))});
  EXPECT_EQ(Listed(*store, {.selection = {.namespace_name = "a"}, .at_resource_version = 100}),
            (Keys{"a/x@10"}));
  EXPECT_EQ(Listed(*store, {.selection = {.namespace_name = "b"}, .at_resource_version = 101}),
            (Keys{"b/x@12"}));
  EXPECT_EQ(Listed(*store, {.at_resource_version = 100}), (Keys{"a-b/x@11", "a/x@10", "b/x@12"}));
}

TEST(StoreTest, ListAtZeroOrAboveTheCurrentVersionIsTheCurrentState) {
  auto store = StoreWithHistory();
  for (uint64_t at : {0u, 103u, 500u}) {
    ListResult result = MustList(*store, {.at_resource_version = at});
    EXPECT_EQ(result.resource_version, 103u) << at;
    EXPECT_EQ(Items(result.items), (Keys{"a/x@102", "a/z@101"})) << at;
  }
}

TEST(StoreTest, ListAtOldVersionSelectsOnTheOldStates) {
  auto store = StoreWithHistory();
  ListRequest old_labels{.selection = {.labels = SelectLabels("v=old")},
                         .at_resource_version = 101};
  EXPECT_EQ(Listed(*store, old_labels), (Keys{"a/x@10", "a/y@20"}));
  ListRequest new_labels{.selection = {.labels = SelectLabels("v=new")},
                         .at_resource_version = 101};
  EXPECT_EQ(Listed(*store, new_labels), (Keys{"a/z@101"}));
}

TEST(StoreTest, ListAtOldVersionPagesAndCountsTheOldState) {
  auto store = StoreWithHistory();
  ListResult first = MustList(*store, {.at_resource_version = 101, .limit = 1});
  EXPECT_EQ(Items(first.items), (Keys{"a/x@10"}));
  EXPECT_TRUE(first.has_more);
  EXPECT_EQ(first.remaining, 2);
  ListResult second =
      MustList(*store, {.at_resource_version = 101, .start = std::string("a/x\0", 4), .limit = 1});
  EXPECT_EQ(Items(second.items), (Keys{"a/y@20"}));
  EXPECT_EQ(second.remaining, 1);
}

TEST(StoreTest, ListOlderThanTheWindowIsExpired) {
  auto store = StoreWithHistory();
  auto listed = store->List({.at_resource_version = 99});
  ASSERT_FALSE(listed.has_value());
  EXPECT_EQ(
      listed.error().ToJson(),
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"The resourceVersion for the provided list is too old.","reason":"Expired","code":410})"
      "\n");
}

TEST(StoreTest, ListBetweenEventsAndBookmarkSeesTheLastEvent) {
  auto store = StoreWithHistory();
  store->Bookmark(150);
  ListResult result = MustList(*store, {.at_resource_version = 120});
  EXPECT_EQ(result.resource_version, 120u);
  EXPECT_EQ(Items(result.items), (Keys{"a/x@102", "a/z@101"}));
}

// ---- History window -------------------------------------------------------------------------

TEST(StoreTest, HistoryBeyondMaxEventsIsTrimmedAndMovesTheWindow) {
  auto store = StoreWithHistory(CountBoundedHistory(2));
  // The event at 101 was dropped: 101 is now the oldest version the store can rebuild.
  EXPECT_EQ(store->window_start(), 101u);
  auto too_old = store->List({.at_resource_version = 100});
  ASSERT_FALSE(too_old.has_value());
  EXPECT_EQ(too_old.error().code, 410);
  EXPECT_EQ(Listed(*store, {.at_resource_version = 101}), (Keys{"a/x@10", "a/y@20", "a/z@101"}));
  EXPECT_EQ(Describe(store->EventsAfter(101, store->epoch(), 10).events),
            (Keys{"MODIFIED a/x@102 (10)", "DELETED a/y@103 (20)"}));
}

TEST(StoreTest, TrimmingWithinOneApplyKeepsTheNewestEvents) {
  auto store = NewStore(CountBoundedHistory(1));
  store->Replace({}, 100);
  store->Apply({Added(Pod("a", "x", 101)), Added(Pod("a", "y", 102)), Added(Pod("a", "z", 103))});
  EXPECT_EQ(store->window_start(), 102u);
  EXPECT_EQ(Describe(store->EventsAfter(102, store->epoch(), 10).events), (Keys{"ADDED a/z@103"}));
}

TEST(StoreTest, ReplaceRestartsTheWindow) {
  auto store = StoreWithHistory();
  store->Replace({Pod("a", "x", 150)}, 200);
  EXPECT_EQ(store->window_start(), 200u);
  EXPECT_FALSE(store->List({.at_resource_version = 150}).has_value());
}

// ---- EventsAfter ----------------------------------------------------------------------------

TEST(StoreTest, EventsAfterReturnsLaterEventsInOrder) {
  auto store = StoreWithHistory();
  EventBatch batch = store->EventsAfter(101, store->epoch(), 10);
  EXPECT_EQ(batch.end, StreamEnd::kNone);
  EXPECT_EQ(batch.resource_version, 103u);
  EXPECT_EQ(batch.window_start, 100u);
  EXPECT_EQ(Describe(batch.events), (Keys{"MODIFIED a/x@102 (10)", "DELETED a/y@103 (20)"}));
}

TEST(StoreTest, EventsAfterStopsAtMax) {
  auto store = StoreWithHistory();
  EventBatch batch = store->EventsAfter(100, store->epoch(), 2);
  EXPECT_EQ(Describe(batch.events), (Keys{"ADDED a/z@101", "MODIFIED a/x@102 (10)"}));
  EXPECT_EQ(batch.end, StreamEnd::kNone);
}

TEST(StoreTest, EventsAfterTheCurrentVersionIsEmpty) {
  auto store = StoreWithHistory();
  EventBatch batch = store->EventsAfter(103, store->epoch(), 10);
  EXPECT_TRUE(batch.events.empty());
  EXPECT_EQ(batch.end, StreamEnd::kNone);
  EXPECT_EQ(batch.resource_version, 103u);
}

TEST(StoreTest, EventsAfterAVersionBelowTheWindowIsTooOld) {
  auto store = StoreWithHistory(CountBoundedHistory(2));
  EventBatch batch = store->EventsAfter(100, store->epoch(), 10);
  EXPECT_EQ(batch.end, StreamEnd::kTooOld);
  EXPECT_TRUE(batch.events.empty());
  EXPECT_EQ(batch.window_start, 101u);
}

TEST(StoreTest, EventsAfterAReplaceEndsWatchersOfTheOldEpoch) {
  auto store = StoreWithHistory();
  uint64_t old_epoch = store->epoch();
  store->Replace({Pod("a", "x", 150)}, 200);
  EXPECT_NE(store->epoch(), old_epoch);
  EventBatch stale = store->EventsAfter(103, old_epoch, 10);
  EXPECT_EQ(stale.end, StreamEnd::kRelisted);
  EXPECT_TRUE(stale.events.empty());
  EventBatch fresh = store->EventsAfter(200, store->epoch(), 10);
  EXPECT_EQ(fresh.end, StreamEnd::kNone);
  EXPECT_EQ(fresh.resource_version, 200u);
}

// ---- Snapshot and Bookmark ------------------------------------------------------------------

TEST(StoreTest, SnapshotIsTheSelectedCurrentStateWithItsEpoch) {
  auto store = StoreWithHistory();
  store->Apply({Added(Pod("b", "w", 104, {{"v", "new"}}))});
  WatchStart start = store->Snapshot({.labels = SelectLabels("v=new")});
  EXPECT_EQ(start.epoch, store->epoch());
  EXPECT_EQ(start.snapshot.resource_version, 104u);
  EXPECT_EQ(Items(start.snapshot.items), (Keys{"a/x@102", "a/z@101", "b/w@104"}));
  EXPECT_EQ(Items(store->Snapshot({.namespace_name = "b"}).snapshot.items), (Keys{"b/w@104"}));
}

TEST(StoreTest, BookmarkAdvancesTheVersionOnly) {
  auto store = StoreWithHistory();
  store->Bookmark(150);
  EXPECT_EQ(store->resource_version(), 150u);
  EXPECT_EQ(MustList(*store, {}).resource_version, 150u);
  EventBatch batch = store->EventsAfter(103, store->epoch(), 10);
  EXPECT_TRUE(batch.events.empty());
  EXPECT_EQ(batch.resource_version, 150u);
  store->Bookmark(120);  // never backwards
  EXPECT_EQ(store->resource_version(), 150u);
}

TEST(StoreTest, EventsBelowABookmarkAreIgnored) {
  auto store = StoreWithHistory();
  store->Bookmark(150);
  store->Apply({Added(Pod("a", "late", 140))});
  EXPECT_EQ(store->Get("a/late"), nullptr);
  EXPECT_EQ(store->resource_version(), 150u);
}

TEST(StoreTest, UpdateSchemaPublishesANewSchema) {
  auto store = NewStore();
  auto before = store->schema();
  store->UpdateSchema([](ResourceSchema& schema) { schema.bookmark_template = "{}"; });
  EXPECT_EQ(store->schema()->bookmark_template, "{}");
  EXPECT_EQ(before->bookmark_template, "");  // readers keep the copy they hold
  EXPECT_EQ(store->schema()->list_kind, "PodList");
}

// ---- NotifyAfter ----------------------------------------------------------------------------

TEST(StoreTest, NotifyAfterAVersionAlreadyPassedWakesAtOnce) {
  auto store = NewStore();
  store->Replace({}, 100);
  int woken = 0;
  store->NotifyAfter(99, [&] { ++woken; });
  EXPECT_EQ(woken, 1);
}

TEST(StoreTest, NotifyAfterTheCurrentVersionWaitsForAnEvent) {
  auto store = NewStore();
  store->Replace({}, 100);
  int woken = 0;
  store->NotifyAfter(100, [&] { ++woken; });
  EXPECT_EQ(woken, 0);
  store->Apply({Added(Pod("a", "x", 100))});  // ignored: not past 100
  EXPECT_EQ(woken, 0);
  store->Apply({Added(Pod("a", "x", 101))});
  EXPECT_EQ(woken, 1);
  store->Apply({Added(Pod("a", "y", 102))});
  EXPECT_EQ(woken, 1);  // once only
}

TEST(StoreTest, NotifyAfterWakesOnABookmarkPastTheVersion) {
  auto store = NewStore();
  store->Replace({}, 100);
  int woken = 0;
  store->NotifyAfter(120, [&] { ++woken; });
  store->Apply({Added(Pod("a", "x", 110))});
  EXPECT_EQ(woken, 0);
  store->Bookmark(120);
  EXPECT_EQ(woken, 0);
  store->Bookmark(121);
  EXPECT_EQ(woken, 1);
}

TEST(StoreTest, NotifyAfterWakesOnlyTheWaitersPassed) {
  auto store = NewStore();
  store->Replace({}, 100);
  bool low = false, high = false;
  store->NotifyAfter(100, [&] { low = true; });
  store->NotifyAfter(200, [&] { high = true; });
  store->Bookmark(150);
  EXPECT_TRUE(low);
  EXPECT_FALSE(high);
}

TEST(StoreTest, ReplaceWakesEveryWaiter) {
  auto store = NewStore();
  store->Replace({}, 100);
  bool woken = false, still_waiting_woken = false;
  store->NotifyAfter(500, [&] { woken = true; });
  store->NotifyAfter(1000, [&] { still_waiting_woken = true; });
  store->Replace({}, 200);
  EXPECT_TRUE(woken);
  EXPECT_TRUE(still_waiting_woken);
}

// ---- watch feeds ------------------------------------------------------------------------------

Selection OnNode(const std::string& node) {
  Selection selection;
  selection.fields = SelectFields("spec.nodeName=" + node);
  return selection;
}

TEST(WatchFeedTest, AFeedGetsOnlyTheEventsItsSelectionCanSee) {
  auto store = NewStore();
  store->Replace({}, 100);
  int woken = 0;
  auto feed = store->Subscribe(OnNode("n1"), [&] { ++woken; }, 100);
  store->Apply({Added(Pod("a", "x", 101, {}, "n2"))});
  EXPECT_EQ(woken, 0);
  store->Apply({Added(Pod("a", "y", 102, {}, "n1"))});
  EXPECT_EQ(woken, 1);
  store->Apply({Added(Pod("a", "z", 103, {}, "n1"))});
  EXPECT_EQ(woken, 1);  // already told
  store->Bookmark(110);
  auto taken = feed->Take();
  ASSERT_EQ(taken.events.size(), 2u);
  EXPECT_EQ(taken.events[0]->resource_version, 102u);
  EXPECT_EQ(taken.events[1]->resource_version, 103u);
  EXPECT_EQ(taken.resource_version, 110u);
  EXPECT_FALSE(taken.overflowed);
  store->Apply({Modified(Pod("a", "y", 111, {}, "n1"))});
  EXPECT_EQ(woken, 2);  // a Take re-arms the wake
  store->Unsubscribe(feed);
  store->Apply({Modified(Pod("a", "y", 112, {}, "n1"))});
  EXPECT_EQ(woken, 2);
}

TEST(WatchFeedTest, AnObjectLeavingTheSelectionReachesTheFeed) {
  auto store = NewStore();
  store->Replace({Pod("a", "x", 90, {}, "n1")}, 100);
  auto feed = store->Subscribe(OnNode("n1"), [] {}, 100);
  // The new version no longer matches, the previous one did: the watch owes a DELETED.
  store->Apply({Modified(Pod("a", "x", 101, {}, "n2"))});
  EXPECT_EQ(feed->Take().events.size(), 1u);
}

TEST(WatchFeedTest, AFeedThatOverflowsSaysSoAndKeepsNothing) {
  auto store = NewStore();
  store->Replace({}, 100);
  auto feed = store->Subscribe(Selection{}, [] {}, 2);
  store->Apply({Added(Pod("a", "x", 101)), Added(Pod("a", "y", 102)), Added(Pod("a", "z", 103))});
  auto taken = feed->Take();
  EXPECT_TRUE(taken.overflowed);
  EXPECT_TRUE(taken.events.empty());
  store->Apply({Added(Pod("a", "w", 104))});
  taken = feed->Take();
  EXPECT_FALSE(taken.overflowed);
  EXPECT_EQ(taken.events.size(), 1u);
}

TEST(WatchFeedTest, AReplaceEndsEveryFeed) {
  auto store = NewStore();
  store->Replace({}, 100);
  int woken = 0;
  auto feed = store->Subscribe(Selection{}, [&] { ++woken; }, 100);
  store->Replace({}, 200);
  EXPECT_EQ(woken, 1);
  EXPECT_TRUE(feed->Take().relisted);
}

}  // namespace
}  // namespace kcache
