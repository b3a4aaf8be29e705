#pragma once
// Which resources the upstream serves, from its aggregated discovery documents (/api and /apis,
// apidiscovery.k8s.io/v2). Only the preferred version of each group is cached; other versions
// are passed through.

#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include "kube/resource.h"
#include "kube/upstream.h"

namespace kcache {

boost::asio::awaitable<boost::system::result<std::vector<ResourceInfo>, std::string>>
DiscoverResources(Upstream& upstream);

// Parses one APIGroupDiscoveryList document into the listable and watchable resources of each
// group's preferred version.
boost::system::result<std::vector<ResourceInfo>, std::string> ParseAggregatedDiscovery(
    std::string_view json);

// Resource filters: names such as "pods", "deployments.apps", "*.example.com" or "*".
bool MatchesResourcePattern(const ResourceInfo& info, const std::string& pattern);

}  // namespace kcache
