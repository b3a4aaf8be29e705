#pragma once
// Authorizer: asks the upstream, with a SubjectAccessReview, whether a user may do what a
// request does, so a read kcache answers from its cache is allowed exactly when kube-apiserver
// would allow it. Answers are cached for a few seconds (allowed and denied separately), keyed by
// every attribute of the question. Refusals carry kube-apiserver's 403 message.
//
// Threading: shared by every worker; Authorize uses the caller's kcache-identity pool.

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include "kube/request_info.h"
#include "kube/status.h"
#include "proxy/identity.h"
#include "proxy/ttl_cache.h"

namespace kcache {

class UpstreamPool;

struct AuthorizationOptions {
  std::chrono::seconds allowed_ttl{10};
  std::chrono::seconds denied_ttl{10};
  size_t cache_size = 100000;
};

// What is being done, in authorizer terms (k8s.io/apiserver authorizer.Attributes).
struct AccessAttributes {
  std::string verb;
  bool resource_request = true;
  std::string group;
  std::string version;
  std::string resource;
  std::string subresource;
  std::string namespace_name;
  std::string name;
  std::string path;  // non-resource requests

  static AccessAttributes FromRequest(const RequestInfo& info);
};

class Authorizer {
 public:
  explicit Authorizer(AuthorizationOptions options);

  boost::asio::awaitable<boost::system::result<void, Status>> Authorize(
      const UserInfo& user, const AccessAttributes& attributes, UpstreamPool& kcache_pool);

 private:
  struct Decision {
    bool allowed = false;
    std::string reason;
  };

  AuthorizationOptions options_;
  TtlCache<Decision> decisions_;
};

// kube-apiserver's 403 for a refused request (responsewriters.forbiddenMessage, NewForbidden).
Status Forbidden(const UserInfo& user, const AccessAttributes& attributes,
                 const std::string& reason);

}  // namespace kcache
