#pragma once
// Pass-through: every request kcache does not answer from its cache goes to the upstream as the
// client sent it (with the client's own credentials), and the answer streams back as it
// arrives. Upgraded connections (exec, attach, port-forward) become a byte pipe. A write to a
// cached resource returns only once the cache has seen its resourceVersion (bounded), so a
// client reads its own writes through kcache.

#include <boost/asio/awaitable.hpp>

#include "proxy/exchange.h"

namespace kcache {

boost::asio::awaitable<AfterResponse> PassThrough(Exchange& exchange);

}  // namespace kcache
