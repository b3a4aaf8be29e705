#pragma once
// Field paths of a projection: "spec.nodeName", "spec.containers[*].image" (docs/projections.md).

#include <string>
#include <string_view>
#include <vector>

#include <boost/system/result.hpp>

#include "kube/error.h"

namespace kcache {

struct PathSegment {
  std::string name;
  bool each = false;  // `name[*]`: every element of the array `name`
};

struct FieldPath {
  std::string text;
  std::vector<PathSegment> segments;
};

constexpr size_t kMaxPathBytes = 256;
constexpr size_t kMaxPathSegments = 16;

// Parses and checks one path. Field names are letters, digits, '_', '-' and '$' (every field
// name of the Kubernetes API); metadata.labels and metadata.annotations are refused, since the
// label and annotation policies say what of them is kept.
boost::system::result<FieldPath, Error> ParseFieldPath(std::string_view text);

}  // namespace kcache
