#include "cache/persist.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "kube/json_parser.h"
#include "kube/object.h"

namespace kcache {
namespace {

namespace fs = std::filesystem;

// ---- Builders -------------------------------------------------------------------------------

// A fresh directory under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    std::random_device random;
    path_ = fs::temp_directory_path() /
            ("kcache_persist_test_" + std::to_string(::getpid()) + "_" +
             std::to_string(counter++) + "_" + std::to_string(random()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string db() const { return (path_ / "rocksdb").string(); }

 private:
  fs::path path_;
};

std::unique_ptr<Persist> MustOpen(const TempDir& dir) {
  auto opened = Persist::Open(dir.db());
  EXPECT_TRUE(opened.has_value()) << (opened ? "" : opened.error());
  return opened ? std::move(*opened) : nullptr;
}

ResourceSchema SchemaFor(std::string group, std::string resource, std::string kind,
                         bool namespaced) {
  ResourceSchema schema;
  schema.info = ResourceInfo{.group = group,
                             .version = "v1",
                             .resource = resource,
                             .kind = kind,
                             .singular = "",
                             .namespaced = namespaced,
                             .verbs = {"get", "list", "watch"}};
  schema.type_meta =
      std::make_shared<const std::string>(TypeMetaPrefix(kind, schema.info.ApiVersion()));
  schema.list_kind = kind + "List";
  schema.selectable = SelectableFieldsFor(group, resource, namespaced);
  schema.object_schema =
      ObjectSchema{.namespaced = namespaced, .fields = schema.selectable.fields};
  return schema;
}

ResourceSchema PodsSchema() {
  ResourceSchema schema = SchemaFor("", "pods", "Pod", true);
  schema.info.singular = "pod";
  schema.bookmark_template =
      R"({"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"0"},"spec":{"containers":null},"status":{}})";
  schema.initial_events_end_template =
      R"({"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"0","annotations":{"k8s.io/initial-events-end":"true"}},"spec":{"containers":null},"status":{}})";
  return schema;
}

ResourceSchema NodesSchema() { return SchemaFor("", "nodes", "Node", false); }

// A custom resource: no built-in field table, kept whole with kind and apiVersion.
ResourceSchema WidgetsSchema() {
  ResourceSchema schema = SchemaFor("example.com", "widgets", "Widget", true);
  schema.type_meta = nullptr;
  return schema;
}

ObjectPtr Parse(const std::string& json, const ObjectSchema& object_schema,
                const std::shared_ptr<const std::string>& type_meta) {
  JsonParser parser;
  auto parsed = ParseObject(parser, json, object_schema, type_meta);
  EXPECT_TRUE(parsed.has_value()) << json;
  return parsed ? std::make_shared<const Object>(std::move(*parsed)) : nullptr;
}

std::string PodJson(const std::string& namespace_name, const std::string& name, uint64_t rv,
                    const std::string& node = "n1") {
  return R"({"kind":"Pod","apiVersion":"v1","metadata":{"name":")" + name +
         R"(","namespace":")" + namespace_name + R"(","uid":"uid-)" + name +
         R"(","resourceVersion":")" + std::to_string(rv) +
         R"(","creationTimestamp":"2024-05-01T10:00:00Z","labels":{"app":")" + name +
         R"(","tier":"web"}},"spec":{"nodeName":")" + node +
         R"(","hostNetwork":true},"status":{"phase":"Running"}})";
}

ObjectPtr Pod(const std::string& namespace_name, const std::string& name, uint64_t rv,
              const ResourceSchema& schema = PodsSchema()) {
  return Parse(PodJson(namespace_name, name, rv), schema.object_schema, schema.type_meta);
}

ObjectPtr Node(const std::string& name, uint64_t rv) {
  ResourceSchema schema = NodesSchema();
  return Parse(R"({"kind":"Node","apiVersion":"v1","metadata":{"name":")" + name +
                   R"(","resourceVersion":")" + std::to_string(rv) +
                   R"("},"spec":{"unschedulable":true}})",
               schema.object_schema, schema.type_meta);
}

ObjectPtr Widget(const std::string& name, uint64_t rv) {
  ResourceSchema schema = WidgetsSchema();
  return Parse(R"({"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":")" + name +
                   R"(","namespace":"ns","resourceVersion":")" + std::to_string(rv) +
                   R"("},"spec":{"color":"red"}})",
               schema.object_schema, schema.type_meta);
}

Event MakeEvent(EventType type, ObjectPtr object) {
  uint64_t rv = object->resource_version;
  return Event{.type = type, .object = std::move(object), .resource_version = rv};
}

// Every field of `actual` that persistence must keep.
void ExpectSameObject(const Object& actual, const Object& expected) {
  SCOPED_TRACE(expected.key);
  EXPECT_EQ(actual.json, expected.json);
  ASSERT_EQ(actual.type_meta == nullptr, expected.type_meta == nullptr);
  if (expected.type_meta) {
    EXPECT_EQ(*actual.type_meta, *expected.type_meta);
  }
  EXPECT_EQ(actual.Full(), expected.Full());
  EXPECT_EQ(actual.namespace_name, expected.namespace_name);
  EXPECT_EQ(actual.name, expected.name);
  EXPECT_EQ(actual.uid, expected.uid);
  EXPECT_EQ(actual.resource_version, expected.resource_version);
  EXPECT_EQ(actual.key, expected.key);
  EXPECT_EQ(actual.labels, expected.labels);
  EXPECT_EQ(actual.fields, expected.fields);
  EXPECT_EQ(actual.creation_timestamp, expected.creation_timestamp);
  EXPECT_EQ(actual.Metadata(), expected.Metadata());
  EXPECT_EQ(actual.rv_begin, expected.rv_begin);
  EXPECT_EQ(actual.rv_end, expected.rv_end);
}

std::vector<std::string> Keys(const LoadedResource& resource) {
  std::vector<std::string> keys;
  for (const ObjectPtr& object : resource.objects) {
    keys.push_back(object->key + "@" + std::to_string(object->resource_version));
  }
  return keys;
}

using KeyList = std::vector<std::string>;

// ---- Tests ----------------------------------------------------------------------------------

TEST(PersistTest, EmptyDatabaseLoadsNothing) {
  TempDir dir;
  auto persist = MustOpen(dir);
  ASSERT_NE(persist, nullptr);
  EXPECT_TRUE(persist->LoadAll().empty());
}

TEST(PersistTest, OpenFailsWhereADirectoryCannotBe) {
  TempDir dir;
  {
    auto persist = MustOpen(dir);  // creates the directory
  }
  auto nested = Persist::Open(dir.db() + "/CURRENT/db");  // below a regular file
  ASSERT_FALSE(nested.has_value());
  EXPECT_EQ(nested.error().rfind("opening RocksDB at " + dir.db() + "/CURRENT/db: ", 0), 0u)
      << nested.error();
}

TEST(PersistTest, ReplaceThenLoadReturnsTheSameObjects) {
  TempDir dir;
  auto persist = MustOpen(dir);
  ASSERT_NE(persist, nullptr);
  std::vector<ObjectPtr> pods = {Pod("b", "y", 12), Pod("a", "x", 11)};
  ASSERT_EQ(persist->WriteReplace(PodsSchema(), pods, 100), "");

  auto loaded = persist->LoadAll();
  ASSERT_EQ(loaded.size(), 1u);
  ASSERT_EQ(loaded.count("/v1/pods"), 1u);
  const LoadedResource& resource = loaded.at("/v1/pods");
  EXPECT_EQ(resource.resource_version, 100u);
  ASSERT_EQ(Keys(resource), (KeyList{"a/x@11", "b/y@12"}));
  ExpectSameObject(*resource.objects[0], *pods[1]);
  ExpectSameObject(*resource.objects[1], *pods[0]);
  EXPECT_EQ(resource.objects[0]->Full(), PodJson("a", "x", 11));
}

TEST(PersistTest, ReplaceThenLoadReturnsTheSchema) {
  TempDir dir;
  auto persist = MustOpen(dir);
  ASSERT_NE(persist, nullptr);
  ResourceSchema written = PodsSchema();
  ASSERT_EQ(persist->WriteReplace(written, {Pod("a", "x", 11)}, 100), "");

  auto loaded = persist->LoadAll();
  ASSERT_EQ(loaded.count("/v1/pods"), 1u);
  const ResourceSchema& schema = loaded.at("/v1/pods").schema;
  EXPECT_EQ(schema.info.group, "");
  EXPECT_EQ(schema.info.version, "v1");
  EXPECT_EQ(schema.info.resource, "pods");
  EXPECT_EQ(schema.info.kind, "Pod");
  EXPECT_EQ(schema.info.singular, "pod");
  EXPECT_TRUE(schema.info.namespaced);
  EXPECT_EQ(schema.info.verbs, (std::vector<std::string>{"get", "list", "watch"}));
  EXPECT_EQ(schema.list_kind, "PodList");
  ASSERT_NE(schema.type_meta, nullptr);
  EXPECT_EQ(*schema.type_meta, R"({"kind":"Pod","apiVersion":"v1",)");
  EXPECT_EQ(schema.bookmark_template, written.bookmark_template);
  EXPECT_EQ(schema.initial_events_end_template, written.initial_events_end_template);
  EXPECT_TRUE(schema.object_schema.namespaced);
  ASSERT_EQ(schema.object_schema.fields.size(), written.object_schema.fields.size());
  for (size_t i = 0; i < written.object_schema.fields.size(); ++i) {
    EXPECT_EQ(schema.object_schema.fields[i].label, written.object_schema.fields[i].label);
    EXPECT_EQ(schema.selectable.fields[i].label, written.selectable.fields[i].label);
  }
  EXPECT_EQ(schema.selectable.error_style, FieldLabelErrorStyle::kNotSupported);
}

TEST(PersistTest, LoadedObjectsShareTheSchemaTypeMeta) {
  TempDir dir;
  auto persist = MustOpen(dir);
  ASSERT_NE(persist, nullptr);
  ASSERT_EQ(persist->WriteReplace(PodsSchema(), {Pod("a", "x", 11), Pod("a", "y", 12)}, 100), "");
  auto loaded = persist->LoadAll();
  const LoadedResource& resource = loaded.at("/v1/pods");
  ASSERT_EQ(resource.objects.size(), 2u);
  EXPECT_EQ(resource.objects[0]->type_meta, resource.schema.type_meta);
  EXPECT_EQ(resource.objects[1]->type_meta, resource.schema.type_meta);
}

TEST(PersistTest, ClusterScopedAndCustomResourcesRoundTrip) {
  TempDir dir;
  auto persist = MustOpen(dir);
  ASSERT_NE(persist, nullptr);
  ObjectPtr node = Node("node-1", 7);
  ObjectPtr widget = Widget("w", 8);
  ASSERT_EQ(persist->WriteReplace(NodesSchema(), {node}, 70), "");
  ASSERT_EQ(persist->WriteReplace(WidgetsSchema(), {widget}, 80), "");

  auto loaded = persist->LoadAll();
  ASSERT_EQ(loaded.size(), 2u);
  const LoadedResource& nodes = loaded.at("/v1/nodes");
  EXPECT_EQ(nodes.resource_version, 70u);
  EXPECT_FALSE(nodes.schema.info.namespaced);
  ASSERT_EQ(nodes.objects.size(), 1u);
  ExpectSameObject(*nodes.objects[0], *node);

  const LoadedResource& widgets = loaded.at("example.com/v1/widgets");
  EXPECT_EQ(widgets.resource_version, 80u);
  EXPECT_EQ(widgets.schema.type_meta, nullptr);
  ASSERT_EQ(widgets.objects.size(), 1u);
  ExpectSameObject(*widgets.objects[0], *widget);
  EXPECT_EQ(widgets.objects[0]->type_meta, nullptr);
}

TEST(PersistTest, ReplaceDropsObjectsOfThePreviousList) {
  TempDir dir;
  auto persist = MustOpen(dir);
  ASSERT_NE(persist, nullptr);
  ASSERT_EQ(persist->WriteReplace(PodsSchema(), {Pod("a", "x", 11), Pod("a", "y", 12)}, 100), "");
  ASSERT_EQ(persist->WriteReplace(PodsSchema(), {Pod("a", "y", 150), Pod("a", "z", 160)}, 200), "");
  auto loaded = persist->LoadAll();
  EXPECT_EQ(loaded.at("/v1/pods").resource_version, 200u);
  EXPECT_EQ(Keys(loaded.at("/v1/pods")), (KeyList{"a/y@150", "a/z@160"}));
}

TEST(PersistTest, ReplaceOfOneResourceKeepsTheOthers) {
  TempDir dir;
  auto persist = MustOpen(dir);
  ASSERT_NE(persist, nullptr);
  ASSERT_EQ(persist->WriteReplace(PodsSchema(), {Pod("a", "x", 11)}, 100), "");
  ASSERT_EQ(persist->WriteReplace(NodesSchema(), {Node("node-1", 7)}, 70), "");
  ASSERT_EQ(persist->WriteReplace(NodesSchema(), {}, 90), "");
  auto loaded = persist->LoadAll();
  EXPECT_EQ(Keys(loaded.at("/v1/pods")), (KeyList{"a/x@11"}));
  EXPECT_TRUE(loaded.at("/v1/nodes").objects.empty());
  EXPECT_EQ(loaded.at("/v1/nodes").resource_version, 90u);
}

TEST(PersistTest, WriteEventsAppliesPutsAndDeletesAndMovesTheCheckpoint) {
  TempDir dir;
  auto persist = MustOpen(dir);
  ASSERT_NE(persist, nullptr);
  ASSERT_EQ(persist->WriteReplace(PodsSchema(), {Pod("a", "x", 11), Pod("a", "y", 12)}, 100), "");
  ObjectPtr modified = Pod("a", "x", 102);
  ASSERT_EQ(persist->WriteEvents(PodsSchema(),
                                 {MakeEvent(EventType::kAdded, Pod("a", "z", 101)),
                                  MakeEvent(EventType::kModified, modified),
                                  MakeEvent(EventType::kDeleted, Pod("a", "y", 103))},
                                 103),
            "");
  auto loaded = persist->LoadAll();
  const LoadedResource& pods = loaded.at("/v1/pods");
  EXPECT_EQ(pods.resource_version, 103u);
  ASSERT_EQ(Keys(pods), (KeyList{"a/x@102", "a/z@101"}));
  ExpectSameObject(*pods.objects[0], *modified);
}

TEST(PersistTest, WriteEventsWithoutEventsMovesTheCheckpoint) {
  TempDir dir;
  auto persist = MustOpen(dir);
  ASSERT_NE(persist, nullptr);
  ASSERT_EQ(persist->WriteReplace(PodsSchema(), {Pod("a", "x", 11)}, 100), "");
  ASSERT_EQ(persist->WriteEvents(PodsSchema(), {}, 150), "");
  auto loaded = persist->LoadAll();
  EXPECT_EQ(loaded.at("/v1/pods").resource_version, 150u);
  EXPECT_EQ(Keys(loaded.at("/v1/pods")), (KeyList{"a/x@11"}));
}

TEST(PersistTest, ForgetRemovesOneResource) {
  TempDir dir;
  auto persist = MustOpen(dir);
  ASSERT_NE(persist, nullptr);
  ASSERT_EQ(persist->WriteReplace(PodsSchema(), {Pod("a", "x", 11)}, 100), "");
  ASSERT_EQ(persist->WriteReplace(NodesSchema(), {Node("node-1", 7)}, 70), "");
  ASSERT_EQ(persist->Forget("/v1/pods"), "");
  auto loaded = persist->LoadAll();
  EXPECT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded.count("/v1/pods"), 0u);
  EXPECT_EQ(Keys(loaded.at("/v1/nodes")), (KeyList{"node-1@7"}));
  // A later list of the resource starts from nothing.
  ASSERT_EQ(persist->WriteReplace(PodsSchema(), {Pod("b", "q", 201)}, 201), "");
  EXPECT_EQ(Keys(persist->LoadAll().at("/v1/pods")), (KeyList{"b/q@201"}));
}

TEST(PersistTest, StateSurvivesAReopen) {
  TempDir dir;
  ObjectPtr pod = Pod("a", "x", 11);
  {
    auto persist = MustOpen(dir);
    ASSERT_NE(persist, nullptr);
    ASSERT_EQ(persist->WriteReplace(PodsSchema(), {pod, Pod("a", "y", 12)}, 100), "");
    ASSERT_EQ(persist->WriteEvents(PodsSchema(),
                                   {MakeEvent(EventType::kDeleted, Pod("a", "y", 101))}, 101),
              "");
    ASSERT_EQ(persist->Flush(), "");
  }
  auto reopened = MustOpen(dir);
  ASSERT_NE(reopened, nullptr);
  auto loaded = reopened->LoadAll();
  ASSERT_EQ(loaded.count("/v1/pods"), 1u);
  EXPECT_EQ(loaded.at("/v1/pods").resource_version, 101u);
  ASSERT_EQ(Keys(loaded.at("/v1/pods")), (KeyList{"a/x@11"}));
  ExpectSameObject(*loaded.at("/v1/pods").objects[0], *pod);
}

TEST(PersistTest, StoredMetadataIsUsedWhenTheFieldTableIsUnchanged) {
  TempDir dir;
  auto persist = MustOpen(dir);
  ASSERT_NE(persist, nullptr);
  // A stored value no parse would produce shows that loading did not parse again.
  auto marked = std::make_shared<Object>(*Pod("a", "x", 11));
  marked->fields[2].second = "stored-value";
  ASSERT_EQ(persist->WriteReplace(PodsSchema(), {marked}, 100), "");
  auto loaded = persist->LoadAll();
  ASSERT_EQ(loaded.at("/v1/pods").objects.size(), 1u);
  EXPECT_EQ(loaded.at("/v1/pods").objects[0]->fields, marked->fields);
}

TEST(PersistTest, ObjectsStoredWithAnotherFieldTableAreParsedAgain) {
  TempDir dir;
  auto persist = MustOpen(dir);
  ASSERT_NE(persist, nullptr);
  // Written by a build whose pod table had no fields beyond metadata.
  ResourceSchema old_schema = PodsSchema();
  old_schema.selectable.fields.clear();
  old_schema.object_schema.fields.clear();
  ObjectPtr old_pod = Pod("a", "x", 11, old_schema);
  ASSERT_EQ(old_pod->fields,
            (FieldValues{{"metadata.name", "x"}, {"metadata.namespace", "a"}}));
  ASSERT_EQ(persist->WriteReplace(old_schema, {old_pod}, 100), "");

  auto loaded = persist->LoadAll();
  const LoadedResource& pods = loaded.at("/v1/pods");
  EXPECT_EQ(pods.resource_version, 100u);
  EXPECT_EQ(pods.schema.object_schema.fields.size(),
            SelectableFieldsFor("", "pods", true).fields.size());
  ASSERT_EQ(pods.objects.size(), 1u);
  const Object& pod = *pods.objects[0];
  EXPECT_EQ(pod.fields, (FieldValues{
                            {"metadata.name", "x"},
                            {"metadata.namespace", "a"},
                            {"spec.nodeName", "n1"},
                            {"spec.restartPolicy", ""},
                            {"spec.schedulerName", ""},
                            {"spec.serviceAccountName", ""},
                            {"spec.hostNetwork", "true"},
                            {"status.phase", "Running"},
                            {"status.podIP", ""},
                            {"status.podIPs", ""},
                            {"status.nominatedNodeName", ""},
                        }));
  // Everything else is as it was.
  ExpectSameObject(pod, *Pod("a", "x", 11));
  EXPECT_EQ(pod.type_meta, pods.schema.type_meta);
}

}  // namespace
}  // namespace kcache
