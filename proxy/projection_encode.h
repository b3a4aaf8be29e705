#pragma once
// The wire forms of projections (docs/projections.md): JSON objects, lists and watch lines, and
// their protobuf messages (proto/projection.proto) with length-prefixed watch frames. Projected
// bytes are computed once per object version; responses are pieces that reference them.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "projections/projection.h"
#include "proxy/encode.h"
#include "proxy/kube_handlers.h"

namespace kcache {

enum class ProjectionFormat { kJson, kProtobuf };

inline constexpr std::string_view kProjectionProtobufType =
    "application/vnd.kcache.projection+protobuf";

// The format an Accept header asks for: the first media range kcache serves (with q > 0), JSON
// when there is no header; nullopt when nothing in it is served.
std::optional<ProjectionFormat> NegotiateProjection(std::string_view accept);
std::string_view ContentTypeOf(ProjectionFormat format);

void EncodeProjectedObject(std::shared_ptr<const Projected> projected, ProjectionFormat format,
                           BodyPieces& body);
void EncodeProjectedList(const ListEnvelope& envelope,
                         const std::vector<std::shared_ptr<const Projected>>& items,
                         ProjectionFormat format, BodyPieces& body);

// A projected watch: events whose projected view did not change are not sent (and counted).
class ProjectionWatchEncoder : public WatchEncoder {
 public:
  ProjectionWatchEncoder(std::shared_ptr<const CompiledProjection> projection,
                         ProjectionFormat format)
      : projection_(std::move(projection)), format_(format) {}
  std::string_view content_type() const override { return ContentTypeOf(format_); }
  void Event(EventType type, const Object& object, const Object* previous,
             BodyPieces& body) override;
  void DeletedAt(const Object& previous, uint64_t resource_version, BodyPieces& body) override;
  std::string Bookmark(uint64_t resource_version, bool initial_events_end) override;
  std::string Error(const Status& status) override;
  bool upstream_serves() const override { return false; }

 private:
  void Append(std::string_view type, std::shared_ptr<const Projected> projected, BodyPieces& body);

  std::shared_ptr<const CompiledProjection> projection_;
  ProjectionFormat format_;
};

}  // namespace kcache
