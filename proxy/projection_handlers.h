#pragma once
// The projection endpoints under /apis/projections.kcache.io (docs/projections.md): discovery,
// and get, list and watch of projected objects, served from the cache only.

#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "proxy/exchange.h"

namespace kcache {

inline constexpr std::string_view kProjectionGroup = "projections.kcache.io";

// Whether the request's path is under /apis/projections.kcache.io.
bool IsProjectionRequest(const Exchange& exchange);

// Serves a projection request of an authenticated user.
boost::asio::awaitable<AfterResponse> ServeProjection(Exchange& exchange);

}  // namespace kcache
