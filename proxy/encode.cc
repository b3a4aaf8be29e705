#include "proxy/encode.h"

#include "kube/json_parser.h"
#include "kube/json_text.h"
#include "kube/object_meta.h"

namespace kcache {
namespace {

std::string ReplaceResourceVersion(std::string_view json, uint64_t resource_version) {
  constexpr std::string_view kKey = R"("resourceVersion":")";
  std::string out(json);
  size_t at = out.find(kKey);
  if (at == std::string::npos) return out;
  size_t begin = at + kKey.size();
  size_t end = out.find('"', begin);
  out.replace(begin, end - begin, std::to_string(resource_version));
  return out;
}

// Where a dropped member's bytes are in an object version (object.json offsets), kept with the
// version: lists and watches of the same objects cut them without parsing again.
struct DropCuts {
  std::vector<ByteRange> ranges;
};

// Memo ids of their own: projections count theirs up from 1.
constexpr uint64_t kDropMemoId = uint64_t{1} << 63;

std::shared_ptr<const DropCuts> CutsFor(const Object& object, uint8_t drop) {
  uint64_t id = kDropMemoId | drop;
  if (auto kept = object.derived.Find(id)) return std::static_pointer_cast<const DropCuts>(kept);
  static thread_local JsonParser parser;
  std::vector<std::string_view> keys;
  if (drop & kDropManagedFields) keys.push_back("managedFields");
  if (drop & kDropAnnotations) keys.push_back("annotations");
  auto cuts = std::make_shared<DropCuts>();
  for (ByteRange range : MemberCuts(parser, object.Metadata(), keys)) {
    cuts->ranges.push_back({range.begin + object.metadata_begin, range.end + object.metadata_begin});
  }
  return std::static_pointer_cast<const DropCuts>(object.derived.Keep(id, std::move(cuts)));
}

// Calls `piece` with the parts of text[from, to) outside `cuts` (offsets in `text`).
template <typename Piece>
void Around(std::string_view text, size_t from, size_t to, const std::vector<ByteRange>& cuts,
            Piece&& piece) {
  size_t at = from;
  for (ByteRange cut : cuts) {
    if (cut.end <= at || cut.begin >= to) continue;
    if (cut.begin > at) piece(text.substr(at, cut.begin - at));
    at = cut.end;
  }
  if (to > at) piece(text.substr(at, to - at));
}

}  // namespace

void BodyPieces::Item(const Object& object, uint8_t drop) {
  if (!drop) {
    View(object.json);
    return;
  }
  auto cuts = CutsFor(object, drop);
  Around(object.json, 0, object.json.size(), cuts->ranges,
         [this](std::string_view piece) { View(piece); });
}

void BodyPieces::Own(std::string text) {
  owned_.push_back(std::make_unique<std::string>(std::move(text)));
  View(*owned_.back());
}

void BodyPieces::FullObject(const Object& object, uint8_t drop) {
  if (!object.type_meta) {
    Item(object, drop);
  } else if (object.json.size() <= 2) {
    Own(object.Full());
  } else if (!drop) {
    View(*object.type_meta);
    View(std::string_view(object.json).substr(1));
  } else {
    View(*object.type_meta);
    auto cuts = CutsFor(object, drop);
    Around(object.json, 1, object.json.size(), cuts->ranges,
           [this](std::string_view piece) { View(piece); });
  }
}

std::string BodyPieces::Join() const {
  std::string out;
  out.reserve(total_);
  for (std::string_view piece : pieces_) out += piece;
  return out;
}

std::string PartialObjectMetadataHead(const std::string& meta_version) {
  return R"({"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/)" + meta_version +
         R"(","metadata":)";
}

std::string PartialObjectMetadata(const Object& object, const std::string& meta_version,
                                  uint8_t drop) {
  std::string out = PartialObjectMetadataHead(meta_version);
  std::string kept;
  std::string_view metadata = object.Metadata();
  if (drop) {
    auto cuts = CutsFor(object, drop);
    Around(object.json, object.metadata_begin, object.metadata_end, cuts->ranges,
           [&kept](std::string_view piece) { kept += piece; });
    metadata = kept;
  }
  if (object.type_meta) {
    out += metadata;
  } else {
    // A custom resource's metadata has sorted keys; the typed form has struct order.
    static thread_local JsonParser parser;
    out += TypedObjectMeta(parser, metadata);
  }
  out += '}';
  return out;
}

namespace {

// Typed lists (built-in kinds, PartialObjectMetadataList) are Go structs: kind, apiVersion,
// metadata, items, and ListMeta fields omitted when empty. An empty PartialObjectMetadataList
// has "items":null (a nil slice).
void EncodeTypedList(const ResourceSchema& schema, const ListEnvelope& envelope,
                     const std::vector<ObjectPtr>& items, const Negotiated& encoding,
                     BodyPieces& body) {
  bool partial = encoding.encoding == Encoding::kPartialObjectMetadataList;
  std::string head = R"({"kind":)";
  if (partial) {
    head += R"("PartialObjectMetadataList","apiVersion":"meta.k8s.io/)" + encoding.meta_version +
            "\"";
  } else {
    AppendJsonString(head, schema.list_kind);
    head += R"(,"apiVersion":)";
    AppendJsonString(head, schema.info.ApiVersion());
  }
  head += R"(,"metadata":{"resourceVersion":")" + std::to_string(envelope.resource_version) + "\"";
  if (!envelope.continue_token.empty()) {
    head += R"(,"continue":)";
    AppendJsonString(head, envelope.continue_token);
  }
  if (envelope.remaining_item_count) {
    head += R"(,"remainingItemCount":)" + std::to_string(*envelope.remaining_item_count);
  }
  if (partial && items.empty()) {
    body.Own(head + R"(},"items":null}
)");
    return;
  }
  head += R"(},"items":[)";
  body.Own(std::move(head));
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) body.View(",");
    if (partial) {
      body.Own(PartialObjectMetadata(*items[i], encoding.meta_version, encoding.drop));
    } else {
      body.Item(*items[i], encoding.drop);
    }
  }
  body.View("]}\n");
}

// Custom resource lists are maps: keys sorted at every level, and "continue" always present.
void EncodeUnstructuredList(const ResourceSchema& schema, const ListEnvelope& envelope,
                            const std::vector<ObjectPtr>& items, uint8_t drop,
                            BodyPieces& body) {
  std::string head = R"({"apiVersion":)";
  AppendJsonString(head, schema.info.ApiVersion());
  head += R"(,"items":[)";
  body.Own(std::move(head));
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) body.View(",");
    body.Item(*items[i], drop);
  }
  std::string tail = R"(],"kind":)";
  AppendJsonString(tail, schema.list_kind);
  tail += R"(,"metadata":{"continue":)";
  AppendJsonString(tail, envelope.continue_token);
  if (envelope.remaining_item_count) {
    tail += R"(,"remainingItemCount":)" + std::to_string(*envelope.remaining_item_count);
  }
  tail += R"(,"resourceVersion":")" + std::to_string(envelope.resource_version) + "\"}}\n";
  body.Own(std::move(tail));
}

}  // namespace

void EncodeList(const ResourceSchema& schema, const ListEnvelope& envelope,
                const std::vector<ObjectPtr>& items, const Negotiated& encoding,
                BodyPieces& body) {
  if (schema.custom_resource && encoding.encoding == Encoding::kJson) {
    EncodeUnstructuredList(schema, envelope, items, encoding.drop, body);
  } else {
    EncodeTypedList(schema, envelope, items, encoding, body);
  }
}

void EncodeObject(const Object& object, const Negotiated& encoding, BodyPieces& body) {
  if (encoding.encoding == Encoding::kPartialObjectMetadata) {
    body.Own(PartialObjectMetadata(object, encoding.meta_version, encoding.drop));
  } else {
    body.FullObject(object, encoding.drop);
  }
  body.View("\n");
}

void EncodeWatchEvent(EventType type, const Object& object, const Negotiated& encoding,
                      BodyPieces& body) {
  body.View(EventPrefix(type));
  if (encoding.encoding == Encoding::kPartialObjectMetadata) {
    body.Own(PartialObjectMetadata(object, encoding.meta_version, encoding.drop));
  } else {
    body.FullObject(object, encoding.drop);
  }
  body.View("}\n");
}

void EncodeDeletedAt(const Object& previous, uint64_t resource_version,
                     const Negotiated& encoding, BodyPieces& body) {
  body.View(EventPrefix(EventType::kDeleted));
  if (encoding.encoding == Encoding::kPartialObjectMetadata) {
    body.Own(ReplaceResourceVersion(
        PartialObjectMetadata(previous, encoding.meta_version, encoding.drop), resource_version));
  } else if (encoding.drop) {
    // A copy at the event's version, whose cuts are its own (rare: once per object leaving a
    // watch's selection).
    auto moved = std::make_shared<const Object>(AtResourceVersion(previous, resource_version));
    body.Hold(moved);
    body.FullObject(*moved, encoding.drop);
  } else {
    body.Own(FullWithResourceVersion(previous, resource_version));
  }
  body.View("}\n");
}

std::string EncodeBookmark(const ResourceSchema& schema, uint64_t resource_version,
                           bool initial_events_end, const Negotiated& encoding) {
  std::string object;
  if (encoding.encoding == Encoding::kPartialObjectMetadata) {
    object = R"({"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/)" +
             encoding.meta_version + R"(","metadata":{"resourceVersion":"0")";
    if (initial_events_end) object += R"(,"annotations":{"k8s.io/initial-events-end":"true"})";
    object += "}}";
  } else {
    const std::string& learned =
        initial_events_end ? schema.initial_events_end_template : schema.bookmark_template;
    if (!learned.empty()) {
      object = learned;
    } else {
      object = R"({"kind":)" + JsonString(schema.info.kind) + R"(,"apiVersion":)" +
               JsonString(schema.info.ApiVersion()) + R"(,"metadata":{"resourceVersion":"0")";
      if (initial_events_end) object += R"(,"annotations":{"k8s.io/initial-events-end":"true"})";
      object += "}}";
    }
  }
  return std::string(EventPrefix(EventType::kBookmark)) +
         ReplaceResourceVersion(object, resource_version) + "}\n";
}

std::string EncodeErrorEvent(const Status& status) {
  std::string json = status.ToJson();
  if (!json.empty() && json.back() == '\n') json.pop_back();
  return std::string(EventPrefix(EventType::kError)) + json + "}\n";
}

}  // namespace kcache
