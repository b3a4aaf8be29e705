#pragma once
// The JSON kcache writes around the upstream's stored bytes: list envelopes, watch event frames,
// bookmarks and PartialObjectMetadata, byte-identical to kube-apiserver's. Object bytes are
// never re-encoded; responses are sequences of pieces that reference them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cache/store.h"
#include "proxy/negotiate.h"

namespace kcache {

// A response body as pieces: owned strings plus views into objects the response keeps alive.
class BodyPieces {
 public:
  void Own(std::string text);
  void View(std::string_view text) { pieces_.push_back(text); total_ += text.size(); }
  // Keeps `owner` alive as long as the body, for views into what it owns.
  void Hold(std::shared_ptr<const void> owner) { held_.push_back(std::move(owner)); }
  // The object as GET and watch events carry it (with kind and apiVersion), without the
  // metadata members `drop` (DropField bits) names.
  void FullObject(const Object& object, uint8_t drop = 0);
  // The object as a list item, without the members `drop` names.
  void Item(const Object& object, uint8_t drop = 0);
  size_t size() const { return total_; }
  const std::vector<std::string_view>& pieces() const { return pieces_; }
  // Collapses everything into one string (small bodies and tests).
  std::string Join() const;

 private:
  std::vector<std::string_view> pieces_;
  std::vector<std::unique_ptr<std::string>> owned_;
  std::vector<std::shared_ptr<const void>> held_;
  size_t total_ = 0;
};

struct ListEnvelope {
  uint64_t resource_version = 0;
  std::string continue_token;
  std::optional<int64_t> remaining_item_count;
};

// A list response: `items` are kept alive by the caller until the body is written.
void EncodeList(const ResourceSchema& schema, const ListEnvelope& envelope,
                const std::vector<ObjectPtr>& items, const Negotiated& encoding,
                BodyPieces& body);

// One object for a GET.
void EncodeObject(const Object& object, const Negotiated& encoding, BodyPieces& body);

// One watch event line (with its newline).
void EncodeWatchEvent(EventType type, const Object& object, const Negotiated& encoding,
                      BodyPieces& body);
// A watch event for an object leaving the selection: its previous state at the event's version.
void EncodeDeletedAt(const Object& previous, uint64_t resource_version,
                     const Negotiated& encoding, BodyPieces& body);
// A BOOKMARK line; `initial_events_end` adds the k8s.io/initial-events-end annotation.
std::string EncodeBookmark(const ResourceSchema& schema, uint64_t resource_version,
                           bool initial_events_end, const Negotiated& encoding);
// An ERROR line carrying a Status.
std::string EncodeErrorEvent(const Status& status);

// The PartialObjectMetadata form of an object (kind, apiVersion, metadata), without the
// metadata members `drop` names.
std::string PartialObjectMetadata(const Object& object, const std::string& meta_version,
                                  uint8_t drop = 0);
// Its text before the metadata: `{"kind":"PartialObjectMetadata",...,"metadata":`. A built-in
// kind's metadata follows as stored (custom resources' are re-ordered), then `}`.
std::string PartialObjectMetadataHead(const std::string& meta_version);

}  // namespace kcache
