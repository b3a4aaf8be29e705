#pragma once
// Reads served from the cache, with kube-apiserver's wire behaviour: GET of one object, LIST
// (with selectors, pagination and resourceVersion rules) and WATCH.

#include <boost/asio/awaitable.hpp>

#include "cache/store.h"
#include "kube/list_options.h"
#include "proxy/exchange.h"
#include "proxy/negotiate.h"

namespace kcache {

boost::asio::awaitable<AfterResponse> ServeGet(Exchange& exchange, ResourceStorePtr store,
                                               Negotiated encoding);
boost::asio::awaitable<AfterResponse> ServeList(Exchange& exchange, ResourceStorePtr store,
                                                ListOptions options, Negotiated encoding);
boost::asio::awaitable<AfterResponse> ServeWatch(Exchange& exchange, ResourceStorePtr store,
                                                 ListOptions options, Negotiated encoding);

// Waits until `store` has reached `resource_version` or `timeout` passed; true when reached.
boost::asio::awaitable<bool> WaitForResourceVersion(const ResourceStore& store,
                                                    uint64_t resource_version,
                                                    std::chrono::milliseconds timeout);

}  // namespace kcache
