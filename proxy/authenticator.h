#pragma once
// Authenticator: who sent a request, decided as kube-apiserver decides it. A client certificate
// verified against the upstream's client CA (CN is the user, O the groups), else a bearer token
// checked with a TokenReview against the upstream, else anonymous when allowed. Invalid
// credentials get the upstream's 401. Token answers are cached for a short time (keyed by the
// token's SHA-256, never the token itself), bounded in number.
//
// Threading: shared by every worker; Authenticate runs on the caller's worker and uses that
// worker's kcache-identity pool.

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include "kube/status.h"
#include "proxy/exchange.h"
#include "proxy/identity.h"
#include "proxy/ttl_cache.h"

namespace kcache {

struct AuthenticationOptions {
  bool anonymous = false;  // --anonymous-auth
  std::chrono::seconds token_ttl{60};
  std::chrono::seconds failed_token_ttl{10};
  size_t cache_size = 100000;
};

class Authenticator {
 public:
  explicit Authenticator(AuthenticationOptions options);

  // `certificate_user` is the verified client certificate's user; `certificate_rejected` says
  // the client presented one that did not verify (expired, another CA), which, without a valid
  // token, is a 401 even when anonymous requests are allowed.
  boost::asio::awaitable<boost::system::result<UserInfo, Status>> Authenticate(
      const HttpRequest& request, const std::optional<UserInfo>& certificate_user,
      bool certificate_rejected, UpstreamPool& kcache_pool);

  const AuthenticationOptions& options() const { return options_; }

 private:
  boost::asio::awaitable<std::optional<UserInfo>> ReviewToken(const std::string& token,
                                                             UpstreamPool& kcache_pool);

  AuthenticationOptions options_;
  TtlCache<std::optional<UserInfo>> tokens_;
};

// The bearer token of a request: the Authorization header, or the WebSocket subprotocol
// "base64url.bearer.authorization.k8s.io.<token>" browsers use. Empty when there is none.
std::string BearerToken(const HttpRequest& request);

Status Unauthorized();

}  // namespace kcache
