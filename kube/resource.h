#pragma once
// A served API resource as discovery describes it.

#include <algorithm>
#include <string>
#include <vector>

namespace kcache {

struct ResourceInfo {
  std::string group;  // "" for the core group
  std::string version;
  std::string resource;  // plural, e.g. "pods"
  std::string kind;      // e.g. "Pod"
  std::string singular;
  bool namespaced = false;
  std::vector<std::string> verbs;

  bool Has(std::string_view verb) const {
    return std::find(verbs.begin(), verbs.end(), verb) != verbs.end();
  }
  // "v1" or "apps/v1".
  std::string ApiVersion() const { return group.empty() ? version : group + "/" + version; }
  // "/api/v1" or "/apis/apps/v1".
  std::string PathPrefix() const {
    return group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }
  // Unique name of the resource inside kcache: "apps/v1/deployments", "/v1/pods".
  std::string Id() const { return group + "/" + version + "/" + resource; }
  // "pods" or "deployments.apps", as errors and logs name it.
  std::string GroupResource() const { return group.empty() ? resource : resource + "." + group; }
};

}  // namespace kcache
