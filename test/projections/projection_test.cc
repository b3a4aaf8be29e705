#include "projections/projection.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "kube/json_parser.h"
#include "proto/projection.pb.h"

namespace kcache {
namespace {

// A pod with a bit of everything: nested objects, arrays of objects, arrays of scalars, nulls,
// large and small labels and annotations, managedFields and kubectl's last-applied copy.
constexpr std::string_view kPod = R"({"metadata":{"name":"web-0","namespace":"team-a",)"
    R"("uid":"u-1","resourceVersion":"1042","creationTimestamp":"2024-05-01T10:00:00Z",)"
    R"("labels":{"app":"web","app.kubernetes.io/name":"web","big":"xxxxxxxxxxxxxxxxxxxx",)"
    R"("team.example.com/owner":"ops"},)"
    R"("annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"a\":1}",)"
    R"("example.com/note":"hello \"world\"","example.com/huge":"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"},)"
    R"("ownerReferences":[{"kind":"ReplicaSet","name":"web-abc"}],)"
    R"("managedFields":[{"manager":"kubectl"}]},)"
    R"("spec":{"nodeName":"node-1","priority":0,"securityContext":{},"hostname":null,)"
    R"("containers":[{"name":"a","image":"nginx:1","ports":[{"containerPort":80},{"containerPort":443}]},)"
    R"({"name":"b","image":"redis:7"},"odd"],"tolerations":null},)"
    R"("status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}})";

Object Parse(std::string_view json) {
  static JsonParser parser;
  SelectableFieldSet fields = SelectableFieldsFor("", "pods", true);
  auto object = ParseObject(parser, json, ObjectSchema{.namespaced = true, .fields = fields.fields},
                            nullptr);
  EXPECT_TRUE(object) << object.error().message;
  return std::move(*object);
}

ProjectionSpec Spec(std::vector<std::string> paths) {
  ProjectionSpec spec{.name = "test", .resource = "pods"};
  for (const auto& text : paths) {
    auto path = ParseFieldPath(text);
    EXPECT_TRUE(path) << path.error().message;
    spec.fields.push_back(*path);
  }
  return spec;
}

Projected Project(const ProjectionSpec& spec, std::string_view json = kPod) {
  auto compiled = CompiledProjection::Compile(spec, nullptr);
  EXPECT_TRUE(compiled) << compiled.error().message;
  JsonParser parser;
  auto projected = (*compiled)->Compute(Parse(json), parser);
  EXPECT_TRUE(projected) << projected.error().message;
  return *projected;
}

// The proto form's fields as path -> JSON text.
std::map<std::string, std::string> ProtoFields(const Projected& projected) {
  projections::v1::ProjectedObject message;
  EXPECT_TRUE(message.ParseFromString(projected.proto));
  std::map<std::string, std::string> out;
  for (const auto& field : message.fields()) out[field.path()] = field.json();
  return out;
}

constexpr std::string_view kIdentity =
    R"({"metadata":{"namespace":"team-a","name":"web-0","uid":"u-1","resourceVersion":"1042")";

TEST(ProjectionTest, ScalarObjectAndNullValuesAreCopiedAsTheyAre) {
  auto projected = Project(Spec({"spec.nodeName", "spec.securityContext", "spec.hostname"}));
  EXPECT_EQ(projected.json, std::string(kIdentity) +
                                R"(,"labels":{"app":"web","app.kubernetes.io/name":"web",)"
                                R"("big":"xxxxxxxxxxxxxxxxxxxx","team.example.com/owner":"ops"}},)"
                                R"("spec":{"nodeName":"node-1","securityContext":{},"hostname":null}})");
  auto fields = ProtoFields(projected);
  EXPECT_EQ(fields["spec.nodeName"], R"("node-1")");
  EXPECT_EQ(fields["spec.securityContext"], "{}");
  EXPECT_EQ(fields["spec.hostname"], "null");
}

TEST(ProjectionTest, MissingFieldsAddNothing) {
  ProjectionSpec spec = Spec({"spec.missing", "status.podIP", "spec.nodeName.deeper"});
  spec.labels.include = false;
  auto projected = Project(spec);
  EXPECT_EQ(projected.json, std::string(kIdentity) + "}}");
  EXPECT_TRUE(ProtoFields(projected).empty());
}

TEST(ProjectionTest, EachElementOfAnArrayKeepsItsOwnFields) {
  ProjectionSpec spec = Spec({"spec.containers[*].image", "spec.containers[*].ports[*].containerPort"});
  spec.labels.include = false;
  auto projected = Project(spec);
  EXPECT_EQ(projected.json,
            std::string(kIdentity) +
                R"(},"spec":{"containers":[{"image":"nginx:1","ports":[{"containerPort":80},)"
                R"({"containerPort":443}]},{"image":"redis:7"},null]}})");
  auto fields = ProtoFields(projected);
  EXPECT_EQ(fields["spec.containers[*].image"], R"(["nginx:1","redis:7",null])");
  EXPECT_EQ(fields["spec.containers[*].ports[*].containerPort"], "[[80,443],null,null]");
}

TEST(ProjectionTest, EachOverANullOrScalarAddsNothing) {
  ProjectionSpec spec = Spec({"spec.tolerations[*].key", "spec.nodeName[*]"});
  spec.labels.include = false;
  auto projected = Project(spec);
  EXPECT_EQ(projected.json, std::string(kIdentity) + "}}");
  EXPECT_TRUE(ProtoFields(projected).empty());
}

TEST(ProjectionTest, TheLargerOfTwoOverlappingPathsWins) {
  ProjectionSpec spec = Spec({"status.phase", "status", "spec.containers[*].name", "spec.containers"});
  spec.labels.include = false;
  auto projected = Project(spec);
  EXPECT_NE(projected.json.find(R"("status":{"phase":"Running","conditions":[)"), std::string::npos)
      << projected.json;
  auto fields = ProtoFields(projected);
  EXPECT_EQ(fields["status.phase"], R"("Running")");
  EXPECT_EQ(fields["spec.containers[*].name"], R"(["a","b",null])");
  EXPECT_EQ(fields["status"], R"({"phase":"Running","conditions":[{"type":"Ready","status":"True"}]})");
}

TEST(ProjectionTest, PathsThatDisagreeOnATypeApplyEachWhereItFits) {
  // `containers` is an array: the [*] path applies and the other adds nothing; `nodeName` is a
  // string: neither applies.
  ProjectionSpec spec = Spec({"spec.containers.image", "spec.containers[*].name",
                              "spec.nodeName[*].x", "spec.nodeName.deeper"});
  spec.labels.include = false;
  auto projected = Project(spec);
  EXPECT_EQ(projected.json,
            std::string(kIdentity) + R"(},"spec":{"containers":[{"name":"a"},{"name":"b"},null]}})");
  auto fields = ProtoFields(projected);
  EXPECT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields["spec.containers[*].name"], R"(["a","b",null])");
}

TEST(ProjectionTest, MetadataFieldsJoinTheIdentityButManagedFieldsOnlyWhenAsked) {
  ProjectionSpec spec = Spec({"metadata.ownerReferences"});
  spec.labels.include = false;
  auto projected = Project(spec);
  EXPECT_EQ(projected.json, std::string(kIdentity) +
                                R"(,"ownerReferences":[{"kind":"ReplicaSet","name":"web-abc"}]}})");
  EXPECT_EQ(projected.json.find("managedFields"), std::string::npos);
  spec = Spec({"metadata.managedFields"});
  spec.labels.include = false;
  EXPECT_NE(Project(spec).json.find(R"("managedFields":[{"manager":"kubectl"}])"),
            std::string::npos);
}

TEST(ProjectionTest, LabelPolicyKeepsDropsAndLimitsValues) {
  ProjectionSpec spec = Spec({});
  spec.labels.keep = {"app*", "big", "team.example.com/*"};
  spec.labels.drop = {"team.*"};
  spec.labels.max_value_bytes = 10;
  auto counters = std::make_shared<ProjectionCounters>();
  auto compiled = CompiledProjection::Compile(spec, counters);
  ASSERT_TRUE(compiled);
  JsonParser parser;
  auto projected = (*compiled)->Compute(Parse(kPod), parser);
  ASSERT_TRUE(projected);
  EXPECT_EQ(projected->json,
            std::string(kIdentity) + R"(,"labels":{"app":"web","app.kubernetes.io/name":"web"}}})");
  EXPECT_EQ(counters->labels_dropped.load(), 1u);  // "big", over 10 bytes
  projections::v1::ProjectedObject message;
  ASSERT_TRUE(message.ParseFromString(projected->proto));
  EXPECT_EQ(message.labels().size(), 2);
  EXPECT_EQ(message.labels().at("app"), "web");
  EXPECT_EQ(message.name(), "web-0");
  EXPECT_EQ(message.namespace_(), "team-a");
  EXPECT_EQ(message.resource_version(), "1042");
}

TEST(ProjectionTest, LastAppliedIsKeptOnlyWhenNamedExactly) {
  ProjectionSpec spec = Spec({});
  spec.labels.include = false;
  spec.annotations.include = true;  // keep ["*"]
  auto all = Project(spec);
  EXPECT_EQ(all.json, std::string(kIdentity) +
                          R"(,"annotations":{"example.com/note":"hello \"world\"",)"
                          R"("example.com/huge":"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"}}})");
  spec.annotations.keep = {"kubectl.kubernetes.io/last-applied-configuration"};
  EXPECT_EQ(Project(spec).json,
            std::string(kIdentity) +
                R"(,"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"a\":1}"}}})");
}

TEST(ProjectionTest, SameViewIgnoresTheResourceVersionOnly) {
  ProjectionSpec spec = Spec({"status.phase"});
  std::string newer(kPod);
  newer.replace(newer.find("1042"), 4, "1043");
  std::string changed = newer;
  changed.replace(changed.find("Running"), 7, "Failed!");
  std::string unprojected_change = newer;
  unprojected_change.replace(unprojected_change.find("node-1"), 6, "node-9");
  Projected base = Project(spec);
  EXPECT_TRUE(base.SameView(Project(spec, newer)));
  EXPECT_TRUE(base.SameView(Project(spec, unprojected_change)));
  EXPECT_FALSE(base.SameView(Project(spec, changed)));
}

TEST(ProjectionTest, AProjectionIsComputedOncePerObjectVersion) {
  auto compiled = CompiledProjection::Compile(Spec({"spec.nodeName"}), nullptr);
  ASSERT_TRUE(compiled);
  Object object = Parse(kPod);
  auto first = (*compiled)->Of(object);
  auto second = (*compiled)->Of(object);
  EXPECT_EQ(first.get(), second.get());
  // Another definition is another projection of the same version.
  auto other = CompiledProjection::Compile(Spec({"spec.nodeName"}), nullptr);
  EXPECT_NE((*other)->Of(object).get(), first.get());
}

TEST(ProjectionTest, ClusterScopedObjectsHaveNoNamespace) {
  static JsonParser parser;
  auto node = ParseObject(parser,
                          R"({"metadata":{"name":"n1","uid":"u","resourceVersion":"5"},)"
                          R"("spec":{"unschedulable":true}})",
                          ObjectSchema{.namespaced = false}, nullptr);
  ASSERT_TRUE(node);
  auto compiled = CompiledProjection::Compile(Spec({"spec.unschedulable"}), nullptr);
  JsonParser local;
  auto projected = (*compiled)->Compute(*node, local);
  ASSERT_TRUE(projected);
  EXPECT_EQ(projected->json,
            R"({"metadata":{"name":"n1","uid":"u","resourceVersion":"5"},"spec":{"unschedulable":true}})");
}

TEST(FieldPathTest, RefusesWhatIsNotAPath) {
  for (std::string_view bad : {"", ".spec", "spec.", "spec..x", "spec.x[0]", "spec.x[*]y",
                               "metadata.labels", "metadata.annotations.a", "metadata", "metadata[*].name",
                               "spec.a b", "spec.\"x\""}) {
    EXPECT_FALSE(ParseFieldPath(bad)) << bad;
  }
  EXPECT_FALSE(ParseFieldPath(std::string(300, 'a')));
  std::string deep = "a";
  for (int i = 0; i < 16; ++i) deep += ".a";
  EXPECT_FALSE(ParseFieldPath(deep));
  auto path = ParseFieldPath("spec.containers[*].image");
  ASSERT_TRUE(path);
  ASSERT_EQ(path->segments.size(), 3u);
  EXPECT_TRUE(path->segments[1].each);
  EXPECT_EQ(path->segments[1].name, "containers");
}

TEST(KeyPolicyTest, GlobsMatchWholeKeys) {
  EXPECT_TRUE(GlobMatches("app.kubernetes.io/*", "app.kubernetes.io/name"));
  EXPECT_TRUE(GlobMatches("*", ""));
  EXPECT_TRUE(GlobMatches("a?c", "abc"));
  EXPECT_TRUE(GlobMatches("*x*y*", "aaxbbycc"));
  EXPECT_FALSE(GlobMatches("app", "apps"));
  EXPECT_FALSE(GlobMatches("*x*y", "aaxbbycc"));
  // Many stars against a long key stay fast (no exponential backtracking).
  EXPECT_FALSE(GlobMatches("*a*a*a*a*a*a*a*a*b", std::string(5000, 'a')));
}

}  // namespace
}  // namespace kcache
