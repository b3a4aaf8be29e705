#include "proxy/projection_encode.h"

#include <gtest/gtest.h>

#include "kube/json_parser.h"
#include "proto/projection.pb.h"

namespace kcache {
namespace {

namespace pb = projections::v1;

ObjectPtr Pod(std::string_view name, std::string_view rv, std::string_view phase) {
  static JsonParser parser;
  std::string json = R"({"metadata":{"name":")" + std::string(name) +
                     R"(","namespace":"ns","uid":"u","resourceVersion":")" + std::string(rv) +
                     R"(","labels":{"app":"web"}},"status":{"phase":")" + std::string(phase) + "\"}}";
  auto object = ParseObject(parser, json, ObjectSchema{.namespaced = true}, nullptr);
  EXPECT_TRUE(object);
  return std::make_shared<const Object>(std::move(*object));
}

std::shared_ptr<const CompiledProjection> PhaseProjection() {
  ProjectionSpec spec{.name = "phase", .resource = "pods"};
  spec.fields.push_back(*ParseFieldPath("status.phase"));
  return *CompiledProjection::Compile(spec, nullptr);
}

// Splits a protobuf watch stream into its messages.
std::vector<pb::WatchEvent> Frames(std::string_view stream) {
  std::vector<pb::WatchEvent> events;
  while (stream.size() >= 4) {
    size_t length = 0;
    for (int i = 0; i < 4; ++i) length = (length << 8) | static_cast<unsigned char>(stream[i]);
    EXPECT_LE(length + 4, stream.size());
    pb::WatchEvent event;
    EXPECT_TRUE(event.ParseFromString(std::string(stream.substr(4, length))));
    events.push_back(event);
    stream.remove_prefix(4 + length);
  }
  EXPECT_TRUE(stream.empty());
  return events;
}

TEST(ProjectionEncodeTest, NegotiatesTheFirstServedType) {
  EXPECT_EQ(NegotiateProjection(""), ProjectionFormat::kJson);
  EXPECT_EQ(NegotiateProjection("*/*"), ProjectionFormat::kJson);
  EXPECT_EQ(NegotiateProjection("application/json, application/x-protobuf"), ProjectionFormat::kJson);
  EXPECT_EQ(NegotiateProjection("application/vnd.kcache.projection+protobuf, application/json"),
            ProjectionFormat::kProtobuf);
  EXPECT_EQ(NegotiateProjection("application/x-protobuf;q=0, application/json"),
            ProjectionFormat::kJson);
  EXPECT_EQ(NegotiateProjection("text/html, application/protobuf;q=0.5"), ProjectionFormat::kProtobuf);
  EXPECT_EQ(NegotiateProjection("application/yaml"), std::nullopt);
  EXPECT_EQ(NegotiateProjection("application/json;q=0"), std::nullopt);
}

TEST(ProjectionEncodeTest, ListsInBothFormatsCarryTheEnvelopeAndItems) {
  auto projection = PhaseProjection();
  std::vector<std::shared_ptr<const Projected>> items{projection->Of(*Pod("a", "5", "Running")),
                                                      projection->Of(*Pod("b", "6", "Pending"))};
  ListEnvelope envelope{.resource_version = 9, .continue_token = "tok", .remaining_item_count = 3};
  BodyPieces json;
  EncodeProjectedList(envelope, items, ProjectionFormat::kJson, json);
  EXPECT_EQ(json.Join(),
            R"({"kind":"ProjectionList","apiVersion":"projections.kcache.io/v1","metadata":)"
            R"({"resourceVersion":"9","continue":"tok","remainingItemCount":3},"items":[)"
            R"({"metadata":{"namespace":"ns","name":"a","uid":"u","resourceVersion":"5","labels":{"app":"web"}},"status":{"phase":"Running"}},)"
            R"({"metadata":{"namespace":"ns","name":"b","uid":"u","resourceVersion":"6","labels":{"app":"web"}},"status":{"phase":"Pending"}}]})");

  BodyPieces proto;
  EncodeProjectedList(envelope, items, ProjectionFormat::kProtobuf, proto);
  pb::ProjectionList list;
  ASSERT_TRUE(list.ParseFromString(proto.Join()));
  EXPECT_EQ(list.resource_version(), "9");
  EXPECT_EQ(list.continue_(), "tok");
  EXPECT_EQ(list.remaining_item_count(), 3);
  ASSERT_EQ(list.items_size(), 2);
  EXPECT_EQ(list.items(1).name(), "b");
  EXPECT_EQ(list.items(1).fields(0).path(), "status.phase");
  EXPECT_EQ(list.items(1).fields(0).json(), R"("Pending")");
}

TEST(ProjectionEncodeTest, WatchSuppressesEventsThatChangeNothingProjected) {
  auto projection = PhaseProjection();
  ProjectionWatchEncoder encoder(projection, ProjectionFormat::kProtobuf);
  ObjectPtr v1 = Pod("a", "5", "Running");
  ObjectPtr v2 = Pod("a", "6", "Running");  // a heartbeat: nothing projected changed
  ObjectPtr v3 = Pod("a", "7", "Failed");
  BodyPieces body;
  encoder.Event(EventType::kAdded, *v1, nullptr, body);
  encoder.Event(EventType::kModified, *v2, v1.get(), body);
  encoder.Event(EventType::kModified, *v3, v2.get(), body);
  encoder.DeletedAt(*v3, 8, body);
  std::string stream = body.Join() + encoder.Bookmark(9, true) +
                       encoder.Error(Expired("too old resource version: 1 (5)"));
  auto events = Frames(stream);
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[0].type(), "ADDED");
  EXPECT_EQ(events[1].type(), "MODIFIED");
  EXPECT_EQ(events[1].object().resource_version(), "7");
  EXPECT_EQ(events[2].type(), "DELETED");
  EXPECT_EQ(events[2].object().resource_version(), "8");
  EXPECT_EQ(events[2].object().fields(0).json(), R"("Failed")");
  EXPECT_EQ(events[3].type(), "BOOKMARK");
  EXPECT_TRUE(events[3].initial_events_end());
  EXPECT_EQ(events[4].type(), "ERROR");
  EXPECT_EQ(events[4].status().code(), 410);
  EXPECT_EQ(projection->counters().events_suppressed.load(), 1u);
  EXPECT_EQ(projection->counters().events_sent.load(), 3u);
}

TEST(ProjectionEncodeTest, JsonWatchLinesAreOneObjectEach) {
  ProjectionWatchEncoder encoder(PhaseProjection(), ProjectionFormat::kJson);
  ObjectPtr v1 = Pod("a", "5", "Running");
  BodyPieces body;
  encoder.Event(EventType::kAdded, *v1, nullptr, body);
  EXPECT_EQ(body.Join(),
            R"({"type":"ADDED","object":{"metadata":{"namespace":"ns","name":"a","uid":"u",)"
            R"("resourceVersion":"5","labels":{"app":"web"}},"status":{"phase":"Running"}}})"
            "\n");
  EXPECT_EQ(encoder.Bookmark(9, false),
            R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}})"
            "\n");
  EXPECT_EQ(encoder.Bookmark(9, true),
            R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9","annotations":{"k8s.io/initial-events-end":"true"}}}})"
            "\n");
}

}  // namespace
}  // namespace kcache
