#pragma once
// What a request path means to the Kubernetes API: which resource, namespace, name and verb.
// Mirrors k8s.io/apiserver/pkg/endpoints/request RequestInfoFactory so kcache routes and
// authorizes requests exactly as kube-apiserver would.

#include <string>
#include <string_view>
#include <vector>

namespace kcache {

struct QueryParams;

struct RequestInfo {
  bool is_resource_request = false;
  std::string path;
  std::string api_prefix;  // "api" or "apis"
  std::string api_group;   // "" for the core group
  std::string api_version;
  std::string namespace_name;
  std::string resource;
  std::string subresource;
  std::string name;
  // get, list, watch, create, update, patch, delete, deletecollection, proxy; or the lower-case
  // HTTP method for non-resource requests.
  std::string verb;
  // True when the verb came from a legacy /watch/ or /proxy/ path prefix.
  bool verb_from_path = false;
  // True when `name` came from a metadata.name field selector rather than the path.
  bool name_from_selector = false;
};

// `path` is the decoded URL path; `query` the decoded query parameters.
RequestInfo ParseRequestInfo(std::string_view method, std::string_view path,
                             const QueryParams& query);

// Splits a path on '/' dropping the empty leading and trailing parts, as Go's splitPath does.
std::vector<std::string> SplitPath(std::string_view path);

}  // namespace kcache
