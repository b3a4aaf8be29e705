#pragma once
// Impersonation requested by a client (Impersonate-User, -Group, -Uid, -Extra-*), checked the
// way kube-apiserver's impersonation filter checks it: one SubjectAccessReview per requested
// attribute, verb "impersonate".

#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include "kube/status.h"
#include "kube/upstream.h"
#include "proxy/exchange.h"

namespace kcache {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The client's Impersonate-* headers, in order; empty when it asks for none.
HeaderList ImpersonationHeaders(const HttpRequest& request);
bool IsImpersonationHeader(std::string_view name);

// Checks that exchange.user may impersonate what `requested` names; the 403 otherwise.
boost::asio::awaitable<boost::system::result<void, Status>> AuthorizeImpersonation(
    Exchange& exchange, const HeaderList& requested);

// Impersonate-* headers that make the upstream treat a request as coming from `user`.
HeaderList ImpersonationOf(const UserInfo& user);

// Request headers (X-Remote-User, -Group, -Extra-*) naming `user` for the upstream's
// request-header authenticator, which trusts them on a front-proxy connection.
HeaderList FrontProxyHeaders(const UserInfo& user, const FrontProxyConfig& config);
// Whether a client-sent header is one of those: they are dropped from every request passed
// through, so no client can vouch for itself.
bool IsFrontProxyHeader(std::string_view name, const FrontProxyConfig& config);

}  // namespace kcache
