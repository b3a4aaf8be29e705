#pragma once
// Router: decides, per request, whether kcache answers from its cache or passes the request
// through, and serves kcache's own endpoints (/healthz, /livez, /readyz, /metrics).

#include <boost/asio/awaitable.hpp>

#include "proxy/exchange.h"

namespace kcache {

boost::asio::awaitable<AfterResponse> Route(Exchange& exchange);

}  // namespace kcache
