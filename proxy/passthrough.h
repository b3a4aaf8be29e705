#pragma once
// Pass-through: every request kcache does not answer from its cache goes to the upstream as the
// client sent it (with the client's own credentials), and the answer streams back as it
// arrives. Upgraded connections (exec, attach, port-forward) become a byte pipe. A write to a
// cached resource returns only once the cache has seen its resourceVersion (bounded), so a
// client reads its own writes through kcache.

#include <memory>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "kube/upstream.h"
#include "proxy/exchange.h"

namespace kcache {

// Idle upstream connections of one worker thread (used only from that thread).
class UpstreamPool {
 public:
  UpstreamPool(std::shared_ptr<Upstream> upstream, size_t max_idle);
  // A connection carrying no credentials of kcache's; `reused` says whether it was idle.
  boost::asio::awaitable<boost::system::result<std::unique_ptr<UpstreamStream>, std::string>>
  Acquire(bool& reused);
  void Release(std::unique_ptr<UpstreamStream> connection);

 private:
  std::shared_ptr<Upstream> upstream_;
  size_t max_idle_;
  std::vector<std::unique_ptr<UpstreamStream>> idle_;
};

boost::asio::awaitable<AfterResponse> PassThrough(Exchange& exchange);

}  // namespace kcache
