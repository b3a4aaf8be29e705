#include "proxy/projection_encode.h"

#include "kube/json_text.h"
#include "proto/projection.pb.h"

namespace kcache {
namespace {

namespace pb = projections::v1;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Protobuf's length-delimited field header: the tag of `field` (wire type 2), then `length`.
std::string LengthDelimitedHeader(int field, size_t length) {
  std::string out(1, static_cast<char>((field << 3) | 2));
  do {
    uint8_t byte = length & 0x7f;
    length >>= 7;
    out += static_cast<char>(length ? byte | 0x80 : byte);
  } while (length);
  return out;
}

// A watch frame's 4-byte big-endian length.
std::string FrameLength(size_t length) {
  std::string out(4, '\0');
  for (int i = 3; i >= 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<char>(length & 0xff);
    length >>= 8;
  }
  return out;
}

std::string Framed(const pb::WatchEvent& event) {
  std::string message = event.SerializeAsString();
  return FrameLength(message.size()) + message;
}

// The projection at another resourceVersion (an object leaving a watch's selection).
Projected AtResourceVersion(const Projected& projected, uint64_t resource_version) {
  constexpr std::string_view kKey = R"("resourceVersion":")";
  Projected out;
  std::string_view identity = std::string_view(projected.json).substr(0, projected.view_begin);
  size_t at = identity.rfind(kKey);
  out.json.assign(identity.substr(0, at + kKey.size()));
  out.json += std::to_string(resource_version);
  out.json += '"';
  out.view_begin = out.json.size();
  out.json += std::string_view(projected.json).substr(projected.view_begin);
  pb::ProjectedObject message;
  message.ParseFromString(projected.proto);
  message.set_resource_version(std::to_string(resource_version));
  message.SerializeToString(&out.proto);
  return out;
}

}  // namespace

std::optional<ProjectionFormat> NegotiateProjection(std::string_view accept) {
  if (Trim(accept).empty()) return ProjectionFormat::kJson;
  while (!accept.empty()) {
    size_t comma = accept.find(',');
    std::string_view range = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    size_t semicolon = range.find(';');
    std::string_view type = Trim(range.substr(0, semicolon));
    // A range with q=0 is one the client refuses.
    bool refused = false;
    for (std::string_view params = semicolon == std::string_view::npos ? std::string_view()
                                                                        : range.substr(semicolon);
         !params.empty();) {
      params.remove_prefix(1);
      size_t next = params.find(';');
      std::string_view param = Trim(params.substr(0, next));
      if (param == "q=0" || param == "q=0.0" || param == "q=0.00" || param == "q=0.000") {
        refused = true;
      }
      params = next == std::string_view::npos ? std::string_view() : params.substr(next);
    }
    if (refused) continue;
    if (type == "application/json" || type == "application/*" || type == "*/*") {
      return ProjectionFormat::kJson;
    }
    if (type == kProjectionProtobufType || type == "application/x-protobuf" ||
        type == "application/protobuf") {
      return ProjectionFormat::kProtobuf;
    }
  }
  return std::nullopt;
}

std::string_view ContentTypeOf(ProjectionFormat format) {
  return format == ProjectionFormat::kJson ? "application/json" : kProjectionProtobufType;
}

void EncodeProjectedObject(std::shared_ptr<const Projected> projected, ProjectionFormat format,
                           BodyPieces& body) {
  body.View(format == ProjectionFormat::kJson ? projected->json : projected->proto);
  body.Hold(std::move(projected));
}

void EncodeProjectedList(const ListEnvelope& envelope,
                         const std::vector<std::shared_ptr<const Projected>>& items,
                         ProjectionFormat format, BodyPieces& body) {
  if (format == ProjectionFormat::kProtobuf) {
    pb::ProjectionList list;
    list.set_resource_version(std::to_string(envelope.resource_version));
    list.set_continue_(envelope.continue_token);
    if (envelope.remaining_item_count) {
      list.set_remaining_item_count(*envelope.remaining_item_count);
    }
    // Items are appended as field 4 after the rest of the list: a message's fields may come in
    // any order, so each item's kept bytes are sent as they are.
    body.Own(list.SerializeAsString());
    for (const auto& item : items) {
      body.Own(LengthDelimitedHeader(4, item->proto.size()));
      body.View(item->proto);
      body.Hold(item);
    }
    return;
  }
  std::string head =
      R"({"kind":"ProjectionList","apiVersion":"projections.kcache.io/v1","metadata":{"resourceVersion":")";
  head += std::to_string(envelope.resource_version);
  head += '"';
  if (!envelope.continue_token.empty()) {
    head += ",\"continue\":";
    AppendJsonString(head, envelope.continue_token);
  }
  if (envelope.remaining_item_count) {
    head += ",\"remainingItemCount\":" + std::to_string(*envelope.remaining_item_count);
  }
  head += "},\"items\":[";
  body.Own(std::move(head));
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) body.View(",");
    body.View(items[i]->json);
    body.Hold(items[i]);
  }
  body.View("]}");
}

void ProjectionWatchEncoder::Append(std::string_view type,
                                    std::shared_ptr<const Projected> projected, BodyPieces& body) {
  if (format_ == ProjectionFormat::kJson) {
    body.Own("{\"type\":\"" + std::string(type) + "\",\"object\":");
    body.View(projected->json);
    body.View("}\n");
    body.Hold(std::move(projected));
    return;
  }
  // WatchEvent{type = 1, object = 2}, the object's kept bytes as they are.
  std::string type_field = LengthDelimitedHeader(1, type.size()) + std::string(type);
  std::string object_header = LengthDelimitedHeader(2, projected->proto.size());
  size_t length = type_field.size() + object_header.size() + projected->proto.size();
  body.Own(FrameLength(length) + type_field + object_header);
  body.View(projected->proto);
  body.Hold(std::move(projected));
}

void ProjectionWatchEncoder::Event(EventType type, const Object& object, const Object* previous,
                                   BodyPieces& body) {
  auto projected = projection_->Of(object);
  if (type == EventType::kModified && previous) {
    if (projected->SameView(*projection_->Of(*previous))) {
      projection_->counters().events_suppressed.fetch_add(1);
      return;
    }
  }
  projection_->counters().events_sent.fetch_add(1);
  const char* name = type == EventType::kAdded      ? "ADDED"
                     : type == EventType::kModified ? "MODIFIED"
                                                    : "DELETED";
  Append(name, std::move(projected), body);
}

void ProjectionWatchEncoder::DeletedAt(const Object& previous, uint64_t resource_version,
                                       BodyPieces& body) {
  projection_->counters().events_sent.fetch_add(1);
  Append("DELETED",
         std::make_shared<const Projected>(
             AtResourceVersion(*projection_->Of(previous), resource_version)),
         body);
}

std::string ProjectionWatchEncoder::Bookmark(uint64_t resource_version, bool initial_events_end) {
  if (format_ == ProjectionFormat::kJson) {
    std::string out = R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":")";
    out += std::to_string(resource_version);
    out += initial_events_end ? R"(","annotations":{"k8s.io/initial-events-end":"true"}}}})"
                              : R"("}}})";
    out += '\n';
    return out;
  }
  pb::WatchEvent event;
  event.set_type("BOOKMARK");
  event.mutable_object()->set_resource_version(std::to_string(resource_version));
  event.set_initial_events_end(initial_events_end);
  return Framed(event);
}

std::string ProjectionWatchEncoder::Error(const Status& status) {
  if (format_ == ProjectionFormat::kJson) {
    std::string json = status.ToJson();
    while (!json.empty() && json.back() == '\n') json.pop_back();
    return R"({"type":"ERROR","object":)" + json + "}\n";
  }
  pb::WatchEvent event;
  event.set_type("ERROR");
  event.mutable_status()->set_code(status.code);
  event.mutable_status()->set_reason(status.reason);
  event.mutable_status()->set_message(status.message);
  return Framed(event);
}

}  // namespace kcache
