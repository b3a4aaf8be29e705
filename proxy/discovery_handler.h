#pragma once
// Discovery and OpenAPI requests answered from kcache's copies (proxy/discovery_cache.h), with
// the upstream's status, headers and body, and a 304 when If-None-Match names the copy's ETag.
//
// kube-apiserver authorizes these reads like any other, so a copy goes only to a user the
// upstream would give it to: authenticated by kcache, without impersonation, and allowed the
// non-resource GET by a SubjectAccessReview. Anonymous users are left to the upstream, whose
// anonymous authenticator may be limited to some paths, which no review would tell.

#include <optional>

#include <boost/asio/awaitable.hpp>

#include "proxy/exchange.h"

namespace kcache {

// Answers the request from a copy, or returns nullopt without writing anything: the request
// then goes on as before (to the upstream), and a copy is fetched for the next one like it.
boost::asio::awaitable<std::optional<AfterResponse>> ServeDiscovery(Exchange& exchange);

}  // namespace kcache
