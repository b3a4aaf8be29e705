#pragma once
// What kcache needs from a CustomResourceDefinition to serve its resource like the upstream:
// the list kind (spec.names.listKind) and the version's selectable fields.

#include <optional>
#include <string>
#include <vector>

#include "cache/store.h"

namespace kcache {

struct CustomResourceFacts {
  std::string list_kind;
  std::vector<std::string> selectable_json_paths;
};

// Looks `info` up in the cached CRDs (named "<resource>.<group>"); nothing when no CRD serves it.
std::optional<CustomResourceFacts> FindCustomResource(const ResourceStore& crds,
                                                      const ResourceInfo& info);

// Parses one CRD object for `version`.
std::optional<CustomResourceFacts> ParseCustomResourceDefinition(std::string_view json,
                                                                 std::string_view version);

}  // namespace kcache
