// KEP-5958 `drop=`: negotiation and the objects written without the dropped members.

#include <gtest/gtest.h>

#include "kube/json_parser.h"
#include "proxy/encode.h"
#include "proxy/negotiate.h"

namespace kcache {
namespace {

TEST(DropTest, NegotiatedFromTheChosenJsonClause) {
  EXPECT_EQ(NegotiateAccept("application/json;drop=metadata.managedFields", false).drop,
            kDropManagedFields);
  EXPECT_EQ(NegotiateAccept("application/json; drop=metadata.managedFields+metadata.annotations",
                            true).drop,
            kDropManagedFields | kDropAnnotations);
  EXPECT_EQ(NegotiateAccept("application/json;drop=spec.unknown+metadata.annotations", true).drop,
            kDropAnnotations);
  EXPECT_EQ(NegotiateAccept("application/json;drop=", true).drop, 0);
  EXPECT_EQ(NegotiateAccept("application/json", true).drop, 0);
  Negotiated partial = NegotiateAccept(
      "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1;drop=metadata.managedFields",
      true);
  EXPECT_EQ(partial.encoding, Encoding::kPartialObjectMetadataList);
  EXPECT_EQ(partial.drop, kDropManagedFields);
  // Tables carry no object fields to drop by default; the parameter does not apply.
  EXPECT_EQ(NegotiateAccept("application/json;as=Table;g=meta.k8s.io;v=v1;drop=metadata.managedFields",
                            true).drop,
            0);
}

ObjectPtr Pod(std::string_view metadata_tail) {
  static JsonParser parser;
  static const auto type_meta = std::make_shared<const std::string>(TypeMetaPrefix("Pod", "v1"));
  std::string json = R"({"metadata":{"name":"p","namespace":"n","uid":"u","resourceVersion":"7")" +
                     std::string(metadata_tail) + R"(},"spec":{"nodeName":"x"}})";
  auto object = ParseObject(parser, json, ObjectSchema{.namespaced = true}, type_meta);
  EXPECT_TRUE(object) << json;
  return std::make_shared<const Object>(std::move(*object));
}

TEST(DropTest, ObjectsListsEventsAndMetadataLoseTheMembers) {
  ObjectPtr pod = Pod(R"(,"annotations":{"a":"b"},"managedFields":[{"manager":"m"}])");
  Negotiated drop{.drop = kDropManagedFields};
  BodyPieces get;
  EncodeObject(*pod, drop, get);
  EXPECT_EQ(get.Join(),
            R"({"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","namespace":"n","uid":"u",)"
            R"("resourceVersion":"7","annotations":{"a":"b"}},"spec":{"nodeName":"x"}})"
            "\n");
  BodyPieces list;
  ResourceSchema schema;
  schema.info = {.group = "", .version = "v1", .resource = "pods", .kind = "Pod"};
  schema.list_kind = "PodList";
  EncodeList(schema, {.resource_version = 9}, {pod, pod},
             Negotiated{.drop = kDropManagedFields | kDropAnnotations}, list);
  std::string listed = list.Join();
  EXPECT_EQ(listed.find("managedFields"), std::string::npos);
  EXPECT_EQ(listed.find("annotations"), std::string::npos);
  EXPECT_NE(listed.find(R"({"metadata":{"name":"p","namespace":"n","uid":"u","resourceVersion":"7"},"spec")"),
            std::string::npos);
  BodyPieces event;
  EncodeDeletedAt(*pod, 12, drop, event);
  EXPECT_EQ(event.Join().find("managedFields"), std::string::npos);
  EXPECT_NE(event.Join().find(R"("resourceVersion":"12","annotations")"), std::string::npos);
  EXPECT_EQ(PartialObjectMetadata(*pod, "v1", kDropAnnotations),
            R"({"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"p",)"
            R"("namespace":"n","uid":"u","resourceVersion":"7","managedFields":[{"manager":"m"}]}})");
}

}  // namespace
}  // namespace kcache
