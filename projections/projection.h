#pragma once
// A projection: which resource, which fields, which labels and annotations (docs/projections.md),
// compiled into a tree of paths and applied to object versions. The projection of a version is
// computed once, kept with the version (Object::derived) and shared by every response.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/system/result.hpp>

#include "kube/error.h"
#include "kube/object.h"
#include "projections/field_path.h"
#include "projections/key_policy.h"

namespace kcache {

struct JsonParser;

constexpr size_t kMaxFieldPaths = 32;

struct ProjectionSpec {
  std::string name;
  std::string group;
  std::string version;  // empty: the version kcache caches
  std::string resource;
  std::vector<FieldPath> fields;
  KeyPolicy labels;
  KeyPolicy annotations{.include = false};
};

// What happened to one projection name (shared by its ad-hoc variants), for /metrics.
struct ProjectionCounters {
  std::atomic<uint64_t> events_sent{0};
  std::atomic<uint64_t> events_suppressed{0};
  std::atomic<uint64_t> labels_dropped{0};       // values over the size limit
  std::atomic<uint64_t> annotations_dropped{0};  // values over the size limit
};

// One object version, projected.
struct Projected {
  // The JSON form. It starts with the identity: `{"metadata":{"namespace":..,"name":..,
  // "uid":..,"resourceVersion":".."`; everything after `view_begin` is the projected view.
  std::string json;
  size_t view_begin = 0;
  std::string proto;  // a serialized kcache.projections.v1.ProjectedObject

  // Whether two versions of one object look the same through the projection (identity and
  // resourceVersion aside): then a watch need not send the newer one.
  bool SameView(const Projected& other) const;
};

class CompiledProjection {
 public:
  // Checks the spec as a whole (at most kMaxFieldPaths paths, no path used both as an array and
  // as an object) and builds its path tree.
  static boost::system::result<std::shared_ptr<const CompiledProjection>, Error> Compile(
      ProjectionSpec spec, std::shared_ptr<ProjectionCounters> counters);

  const ProjectionSpec& spec() const { return spec_; }
  ProjectionCounters& counters() const { return *counters_; }

  // The projection of `object`, computed on first use and kept with the object version.
  std::shared_ptr<const Projected> Of(const Object& object) const;
  // Computes the projection afresh. Fails only on malformed JSON.
  boost::system::result<Projected, Error> Compute(const Object& object, JsonParser& parser) const;

  // The path tree: a node per field name, children for longer paths.
  struct PathNode {
    std::string name;
    bool each = false;   // `name[*]`
    bool whole = false;  // a path ends here: the whole value is kept
    std::vector<PathNode> children;
  };

 private:
  CompiledProjection(ProjectionSpec spec, std::shared_ptr<ProjectionCounters> counters);

  ProjectionSpec spec_;
  std::shared_ptr<ProjectionCounters> counters_;
  uint64_t id_;  // the memo key: unique to this compilation
  PathNode root_;
  const PathNode* metadata_ = nullptr;  // root_'s "metadata" child, when paths go there
};

}  // namespace kcache
