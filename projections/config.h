#pragma once
// kcache's configuration file (`--config`): the named projections (docs/projections.md).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/system/result.hpp>

#include "kube/error.h"
#include "projections/projection.h"

namespace kcache {

struct KcacheConfig {
  std::vector<ProjectionSpec> projections;
};

// Parses and validates the YAML text: unknown keys, wrong types, bad names, paths and patterns,
// duplicate names. Errors say where (`projections[1].fields[0]: ...`).
boost::system::result<KcacheConfig, Error> ParseConfig(std::string_view yaml);
boost::system::result<KcacheConfig, Error> LoadConfig(const std::string& path);

// The file's bytes, or nullopt when it cannot be read.
std::optional<std::string> ReadFileText(const std::string& path);

// Whether `name` may name a projection: a DNS subdomain (lowercase letters, digits, '-' and '.',
// starting and ending with a letter or digit, at most 253 bytes).
bool IsProjectionName(std::string_view name);

}  // namespace kcache
