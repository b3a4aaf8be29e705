#include "kube/object.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "kube/json_parser.h"

namespace kcache {
namespace {

// A pod as kube-apiserver writes it in a watch event or a GET: kind and apiVersion first.
constexpr std::string_view kPodMetadata =
    R"({"name":"web-0","namespace":"default","uid":"u-1","resourceVersion":"1042",)"
    R"("creationTimestamp":"2024-05-01T10:00:00Z","labels":{"tier":"web","app":"nginx"}})";
constexpr std::string_view kPodBody =
    R"("spec":{"nodeName":"node-1","restartPolicy":"Always","schedulerName":"default-scheduler",)"
    R"("serviceAccountName":"builder","hostNetwork":true,"containers":[{"name":"c"}]},)"
    R"("status":{"phase":"Running","podIP":"10.0.0.5","podIPs":[{"ip":"10.0.0.5"}],)"
    R"("nominatedNodeName":"node-2"}})";

std::string PodJson() {
  return R"({"kind":"Pod","apiVersion":"v1","metadata":)" + std::string(kPodMetadata) + "," +
         std::string(kPodBody);
}

// The same pod as an item of a PodList: no kind, no apiVersion.
std::string PodItemJson() {
  return R"({"metadata":)" + std::string(kPodMetadata) + "," + std::string(kPodBody);
}

std::shared_ptr<const std::string> PodTypeMeta() {
  return std::make_shared<const std::string>(TypeMetaPrefix("Pod", "v1"));
}

ObjectSchema PodSchema() {
  SelectableFieldSet set = SelectableFieldsFor("", "pods", true);
  return ObjectSchema{.namespaced = true, .fields = set.fields};
}

ObjectSchema SchemaFor(const SelectableFieldSet& set) {
  return ObjectSchema{.namespaced = set.namespaced, .fields = set.fields};
}

Object MustParse(std::string_view json, const ObjectSchema& schema,
                 const std::shared_ptr<const std::string>& type_meta) {
  JsonParser parser;
  auto parsed = ParseObject(parser, json, schema, type_meta);
  EXPECT_TRUE(parsed.has_value()) << json << ": " << (parsed ? "" : parsed.error().message);
  return parsed ? std::move(*parsed) : Object();
}

std::string ErrorOf(std::string_view json, const ObjectSchema& schema = PodSchema()) {
  JsonParser parser;
  auto parsed = ParseObject(parser, json, schema, PodTypeMeta());
  return parsed ? std::string("<parsed>") : parsed.error().message;
}

std::string_view RvToken(const Object& object) {
  return std::string_view(object.json).substr(object.rv_begin, object.rv_end - object.rv_begin);
}

// ---- Type meta ------------------------------------------------------------------------------

TEST(ObjectTest, TypeMetaPrefixIsWhatGoWritesBeforeMetadata) {
  EXPECT_EQ(TypeMetaPrefix("Pod", "v1"), R"({"kind":"Pod","apiVersion":"v1",)");
  EXPECT_EQ(TypeMetaPrefix("Deployment", "apps/v1"),
            R"({"kind":"Deployment","apiVersion":"apps/v1",)");
}

TEST(ObjectTest, BuiltInObjectLosesKindAndApiVersion) {
  auto type_meta = PodTypeMeta();
  Object pod = MustParse(PodJson(), PodSchema(), type_meta);
  EXPECT_EQ(pod.json, PodItemJson());
  EXPECT_EQ(pod.type_meta, type_meta);  // shared, not copied
}

TEST(ObjectTest, FullOfBuiltInObjectReproducesTheInputBytes) {
  std::string input = PodJson();
  Object pod = MustParse(input, PodSchema(), PodTypeMeta());
  EXPECT_EQ(pod.Full(), input);
  EXPECT_EQ(pod.FullSize(), input.size());
  std::string appended = "prefix:";
  pod.AppendFull(appended);
  EXPECT_EQ(appended, "prefix:" + input);
}

TEST(ObjectTest, ListItemGetsTheTypeMetaAttached) {
  auto type_meta = PodTypeMeta();
  Object pod = MustParse(PodItemJson(), PodSchema(), type_meta);
  EXPECT_EQ(pod.json, PodItemJson());
  EXPECT_EQ(pod.type_meta, type_meta);
  EXPECT_EQ(pod.Full(), PodJson());
}

TEST(ObjectTest, BuiltInObjectWithoutTypeMetaForItemsIsKeptWhole) {
  Object pod = MustParse(PodJson(), PodSchema(), nullptr);
  EXPECT_EQ(pod.json, PodJson());
  EXPECT_EQ(pod.type_meta, nullptr);
  EXPECT_EQ(pod.Full(), PodJson());
}

TEST(ObjectTest, BuiltInObjectOfAnotherKindIsKeptWhole) {
  auto node_meta = std::make_shared<const std::string>(TypeMetaPrefix("Node", "v1"));
  Object pod = MustParse(PodJson(), PodSchema(), node_meta);
  EXPECT_EQ(pod.json, PodJson());
  EXPECT_EQ(pod.type_meta, nullptr);
}

TEST(ObjectTest, CustomResourceIsKeptWhole) {
  const std::string input =
      R"({"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","namespace":"ns",)"
      R"("resourceVersion":"7"},"spec":{"color":"red"}})";
  auto widget_meta =
      std::make_shared<const std::string>(TypeMetaPrefix("Widget", "example.com/v1"));
  for (const auto& type_meta : {std::shared_ptr<const std::string>(), widget_meta}) {
    Object widget = MustParse(input, ObjectSchema{}, type_meta);
    EXPECT_EQ(widget.json, input);
    EXPECT_EQ(widget.type_meta, nullptr);
    EXPECT_EQ(widget.Full(), input);
    EXPECT_EQ(widget.key, "ns/w");
    EXPECT_EQ(widget.resource_version, 7u);
  }
}

// ---- Metadata -------------------------------------------------------------------------------

TEST(ObjectTest, ReadsNameNamespaceUidVersionAndCreationTime) {
  Object pod = MustParse(PodJson(), PodSchema(), PodTypeMeta());
  EXPECT_EQ(pod.name, "web-0");
  EXPECT_EQ(pod.namespace_name, "default");
  EXPECT_EQ(pod.uid, "u-1");
  EXPECT_EQ(pod.resource_version, 1042u);
  EXPECT_EQ(pod.creation_timestamp, "2024-05-01T10:00:00Z");
  EXPECT_EQ(pod.key, "default/web-0");
}

TEST(ObjectTest, MetadataSpanIsExactlyTheMetadataObject) {
  Object stripped = MustParse(PodJson(), PodSchema(), PodTypeMeta());
  EXPECT_EQ(stripped.Metadata(), kPodMetadata);
  Object whole = MustParse(PodJson(), PodSchema(), nullptr);
  EXPECT_EQ(whole.Metadata(), kPodMetadata);
  Object item = MustParse(PodItemJson(), PodSchema(), PodTypeMeta());
  EXPECT_EQ(item.Metadata(), kPodMetadata);
}

TEST(ObjectTest, MetadataSpanExcludesWhitespaceAroundIt) {
  const std::string input =
      "{\"metadata\" : {\"name\":\"a\",\"resourceVersion\":\"3\"} \n , \"spec\":{}}";
  Object object = MustParse(input, PodSchema(), nullptr);
  EXPECT_EQ(object.Metadata(), R"({"name":"a","resourceVersion":"3"})");
  EXPECT_EQ(RvToken(object), "\"3\"");
}

TEST(ObjectTest, ResourceVersionSpanIsTheQuotedToken) {
  Object stripped = MustParse(PodJson(), PodSchema(), PodTypeMeta());
  EXPECT_EQ(RvToken(stripped), "\"1042\"");
  Object whole = MustParse(PodJson(), PodSchema(), nullptr);
  EXPECT_EQ(RvToken(whole), "\"1042\"");
}

TEST(ObjectTest, LabelsAreSortedByKey) {
  Object pod = MustParse(PodJson(), PodSchema(), PodTypeMeta());
  EXPECT_EQ(pod.labels, (Labels{{"app", "nginx"}, {"tier", "web"}}));
}

TEST(ObjectTest, OnlyTopLevelMetadataCounts) {
  const std::string input =
      R"({"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"d","namespace":"ns",)"
      R"("annotations":{"name":"not-it"},"ownerReferences":[{"name":"owner"}],)"
      R"("resourceVersion":"9","labels":{"a":"1"}},"spec":{"template":{"metadata":{"name":"t",)"
      R"("labels":{"b":"2"}}}}})";
  SelectableFieldSet set = SelectableFieldsFor("apps", "deployments", true);
  Object deployment = MustParse(input, SchemaFor(set), nullptr);
  EXPECT_EQ(deployment.name, "d");
  EXPECT_EQ(deployment.labels, (Labels{{"a", "1"}}));
  EXPECT_EQ(deployment.fields, (FieldValues{{"metadata.name", "d"}, {"metadata.namespace", "ns"}}));
}

TEST(ObjectTest, NullCreationTimestampReadsAsEmpty) {
  Object object = MustParse(
      R"({"metadata":{"name":"a","resourceVersion":"3","creationTimestamp":null}})", PodSchema(),
      nullptr);
  EXPECT_EQ(object.creation_timestamp, "");
}

TEST(ObjectTest, ClusterScopedObjectIsKeyedByNameAlone) {
  const std::string input =
      R"({"kind":"Node","apiVersion":"v1","metadata":{"name":"node-1","resourceVersion":"12"},)"
      R"("spec":{"unschedulable":true}})";
  SelectableFieldSet set = SelectableFieldsFor("", "nodes", false);
  auto type_meta = std::make_shared<const std::string>(TypeMetaPrefix("Node", "v1"));
  Object node = MustParse(input, SchemaFor(set), type_meta);
  EXPECT_EQ(node.key, "node-1");
  EXPECT_EQ(node.namespace_name, "");
  EXPECT_EQ(node.fields,
            (FieldValues{{"metadata.name", "node-1"}, {"spec.unschedulable", "true"}}));
  EXPECT_EQ(node.Full(), input);
}

// ---- Selectable fields ----------------------------------------------------------------------

TEST(ObjectTest, PodFieldsFollowThePodFieldTable) {
  Object pod = MustParse(PodJson(), PodSchema(), PodTypeMeta());
  EXPECT_EQ(pod.fields, (FieldValues{
                            {"metadata.name", "web-0"},
                            {"metadata.namespace", "default"},
                            {"spec.nodeName", "node-1"},
                            {"spec.restartPolicy", "Always"},
                            {"spec.schedulerName", "default-scheduler"},
                            {"spec.serviceAccountName", "builder"},
                            {"spec.hostNetwork", "true"},
                            {"status.phase", "Running"},
                            {"status.podIP", "10.0.0.5"},
                            {"status.podIPs", ""},
                            {"status.nominatedNodeName", "node-2"},
                        }));
}

TEST(ObjectTest, MissingPodFieldsTakeTheirZeroValues) {
  Object pod = MustParse(
      R"({"metadata":{"name":"p","namespace":"ns","resourceVersion":"5"},"spec":{"containers":[]},)"
      R"("status":{}})",
      PodSchema(), PodTypeMeta());
  EXPECT_EQ(pod.fields, (FieldValues{
                            {"metadata.name", "p"},
                            {"metadata.namespace", "ns"},
                            {"spec.nodeName", ""},
                            {"spec.restartPolicy", ""},
                            {"spec.schedulerName", ""},
                            {"spec.serviceAccountName", ""},
                            {"spec.hostNetwork", "false"},
                            {"status.phase", ""},
                            {"status.podIP", ""},
                            {"status.podIPs", ""},
                            {"status.nominatedNodeName", ""},
                        }));
}

TEST(ObjectTest, NullPodFieldsTakeTheirZeroValues) {
  Object pod = MustParse(
      R"({"metadata":{"name":"p","namespace":"ns","resourceVersion":"5"},)"
      R"("spec":{"nodeName":null,"hostNetwork":null},"status":null})",
      PodSchema(), PodTypeMeta());
  ASSERT_EQ(pod.fields.size(), 11u);
  EXPECT_EQ(pod.fields[2], (std::pair<std::string, std::string>{"spec.nodeName", ""}));
  EXPECT_EQ(pod.fields[6], (std::pair<std::string, std::string>{"spec.hostNetwork", "false"}));
  EXPECT_EQ(pod.fields[7], (std::pair<std::string, std::string>{"status.phase", ""}));
}

TEST(ObjectTest, FieldValuesAreUnescaped) {
  Object pod = MustParse(
      R"({"metadata":{"name":"p","namespace":"ns","resourceVersion":"5"},)"
      R"("spec":{"nodeName":"node\u002d1\"x"}})",
      PodSchema(), PodTypeMeta());
  ASSERT_EQ(pod.fields.size(), 11u);
  EXPECT_EQ(pod.fields[2].second, "node-1\"x");
}

TEST(ObjectTest, CustomResourceFieldsComeFromItsSelectableFields) {
  SelectableFieldSet set = SelectableFieldsForCustomResource(
      {".spec.color", ".spec.size", ".spec.enabled", ".spec.gone"}, true);
  Object widget = MustParse(
      R"({"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","namespace":"ns",)"
      R"("resourceVersion":"7"},"spec":{"color":"red","size":3,"enabled":true}})",
      SchemaFor(set), nullptr);
  EXPECT_EQ(widget.fields, (FieldValues{
                               {"metadata.name", "w"},
                               {"metadata.namespace", "ns"},
                               {"spec.color", "red"},
                               {"spec.size", "3"},
                               {"spec.enabled", "true"},
                               {"spec.gone", ""},
                           }));
}

TEST(ObjectTest, CoreEventSourceIsTheSourceComponent) {
  SelectableFieldSet set = SelectableFieldsFor("", "events", true);
  Object event = MustParse(
      R"({"kind":"Event","apiVersion":"v1","metadata":{"name":"e","namespace":"ns",)"
      R"("resourceVersion":"8"},"involvedObject":{"kind":"Pod","name":"web-0"},"reason":"Pulled",)"
      R"("source":{"component":"kubelet"},"reportingComponent":"kubelet","type":"Normal"})",
      SchemaFor(set), nullptr);
  FieldValues expected = {
      {"metadata.name", "e"},
      {"metadata.namespace", "ns"},
      {"involvedObject.kind", "Pod"},
      {"involvedObject.namespace", ""},
      {"involvedObject.name", "web-0"},
      {"involvedObject.uid", ""},
      {"involvedObject.apiVersion", ""},
      {"involvedObject.resourceVersion", ""},
      {"involvedObject.fieldPath", ""},
      {"reason", "Pulled"},
      {"reportingComponent", "kubelet"},
      {"source", "kubelet"},
      {"type", "Normal"},
  };
  EXPECT_EQ(event.fields, expected);
}

// BUG (kube/object.cc, ParseObject): SelectableField::fallback_json_pointer is never read, so a
// core Event whose source.component is empty gets source="" instead of its reportingComponent
// (pkg/registry/core/event/strategy.go ToSelectableFields). Events written through
// events.k8s.io/v1 (e.g. by the scheduler) never match fieldSelector=source=<controller>.
TEST(ObjectTest, CoreEventSourceFallsBackToReportingComponent) {
  SelectableFieldSet set = SelectableFieldsFor("", "events", true);
  Object event = MustParse(
      R"({"kind":"Event","apiVersion":"v1","metadata":{"name":"e","namespace":"ns",)"
      R"("resourceVersion":"8"},"reason":"Scheduled","source":{},)"
      R"("reportingComponent":"default-scheduler","type":"Normal"})",
      SchemaFor(set), nullptr);
  std::string source = "<missing>";
  for (const auto& [label, value] : event.fields) {
    if (label == "source") source = value;
  }
  EXPECT_EQ(source, "default-scheduler");
}

// ---- Errors ---------------------------------------------------------------------------------

TEST(ObjectTest, ObjectWithoutNameIsRejected) {
  EXPECT_EQ(ErrorOf(R"({"metadata":{"namespace":"ns","resourceVersion":"1"}})"),
            "object has no metadata.name");
  EXPECT_EQ(ErrorOf(R"({"metadata":{"name":"","resourceVersion":"1"}})"),
            "object has no metadata.name");
  EXPECT_EQ(ErrorOf(R"({"kind":"Pod","apiVersion":"v1","spec":{}})"),
            "object has no metadata.name");
}

TEST(ObjectTest, ObjectWithoutResourceVersionIsRejected) {
  EXPECT_EQ(ErrorOf(R"({"metadata":{"name":"a","namespace":"ns"}})"),
            "object has no metadata.resourceVersion");
}

TEST(ObjectTest, MalformedResourceVersionIsRejected) {
  EXPECT_EQ(ErrorOf(R"({"metadata":{"name":"a","resourceVersion":"12x"}})").rfind("metadata: ", 0),
            0u);
  EXPECT_EQ(ErrorOf(R"({"metadata":{"name":"a","resourceVersion":""}})").rfind("metadata: ", 0),
            0u);
  EXPECT_EQ(ErrorOf(R"({"metadata":{"name":"a","resourceVersion":12}})").rfind("metadata: ", 0),
            0u);
}

TEST(ObjectTest, NonObjectInputIsRejected) {
  EXPECT_NE(ErrorOf("[1,2]"), "<parsed>");
  EXPECT_NE(ErrorOf("not json"), "<parsed>");
  EXPECT_NE(ErrorOf(R"({"metadata":{"name":"a","resourceVersion":"1")"), "<parsed>");
}

// ---- FullWithResourceVersion ----------------------------------------------------------------

TEST(ObjectTest, FullWithResourceVersionRewritesOnlyTheVersion) {
  Object pod = MustParse(PodJson(), PodSchema(), PodTypeMeta());
  std::string expected = PodJson();
  expected.replace(expected.find("\"1042\""), 6, "\"987654\"");
  EXPECT_EQ(FullWithResourceVersion(pod, 987654), expected);
  EXPECT_EQ(pod.Full(), PodJson());  // the object itself is unchanged
}

TEST(ObjectTest, FullWithResourceVersionKeepsCustomResourcesWhole) {
  const std::string input =
      R"({"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w",)"
      R"("resourceVersion":"7","generation":1},"spec":{}})";
  Object widget = MustParse(input, ObjectSchema{}, nullptr);
  EXPECT_EQ(FullWithResourceVersion(widget, 10),
            R"({"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w",)"
            R"("resourceVersion":"10","generation":1},"spec":{}})");
}

TEST(IsJsonObjectTest, AcceptsExactlyOneWellFormedObject) {
  JsonParser parser;
  EXPECT_TRUE(IsJsonObject(parser, R"({"kind":"Pod","metadata":{"resourceVersion":"5"},"spec":{"containers":null}})"));
  EXPECT_TRUE(IsJsonObject(parser, "{}\n"));
  EXPECT_TRUE(IsJsonObject(parser, R"({"a":[1,{"b":null}],"c":"d"})"));
  EXPECT_FALSE(IsJsonObject(parser, R"({"a":1} {"b":2})"));
  EXPECT_FALSE(IsJsonObject(parser, R"([{"a":1}])"));
  EXPECT_FALSE(IsJsonObject(parser, R"({"a":[1,}")"));
  EXPECT_FALSE(IsJsonObject(parser, R"({"a":tru})"));
  EXPECT_FALSE(IsJsonObject(parser, ""));
}

}  // namespace
}  // namespace kcache
