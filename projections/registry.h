#pragma once
// The projections kcache serves: the named ones of its configuration (replaced whole when the
// file changes), a default per cached resource, and their ad-hoc variants (query parameters
// replacing parts of a definition), compiled once and shared.

#include <atomic>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <boost/system/result.hpp>

#include "kube/error.h"
#include "kube/query_params.h"
#include "projections/config.h"
#include "projections/projection.h"

namespace kcache {

class ProjectionRegistry {
 public:
  // Replaces the named projections with those of `config` (already validated).
  void Install(const KcacheConfig& config);

  // The named projection `name`, or null.
  std::shared_ptr<const CompiledProjection> FindNamed(std::string_view name) const;
  std::vector<std::shared_ptr<const CompiledProjection>> Named() const;
  // The default projection of a cached resource: identity and labels. `name` is "pods" or
  // "deployments.apps".
  std::shared_ptr<const CompiledProjection> Default(std::string_view name, std::string_view group,
                                                    std::string_view version,
                                                    std::string_view resource);

  // `base` with the ad-hoc parameters of `query` (fields, labels, annotations, maxValueBytes)
  // replacing its parts; `base` itself when there are none. Errors are the client's.
  boost::system::result<std::shared_ptr<const CompiledProjection>, Error> WithQuery(
      const std::shared_ptr<const CompiledProjection>& base, const QueryParams& query);

  std::atomic<uint64_t> config_reloads{0};
  std::atomic<uint64_t> config_reload_failures{0};

  // Prometheus text for the projections' counters.
  std::string RenderMetrics() const;

  static constexpr size_t kMaxAdHocVariants = 64;

 private:
  std::shared_ptr<ProjectionCounters> CountersLocked(const std::string& name);

  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const CompiledProjection>, std::less<>> named_;
  std::map<std::string, std::shared_ptr<const CompiledProjection>, std::less<>> defaults_;
  // Ad-hoc variants by their canonical text, most recently used first.
  std::list<std::pair<std::string, std::shared_ptr<const CompiledProjection>>> variants_;
  std::map<std::string, std::shared_ptr<ProjectionCounters>, std::less<>> counters_;
};

// The canonical text of a definition: equal texts, equal projections.
std::string DescribeSpec(const ProjectionSpec& spec);

}  // namespace kcache
