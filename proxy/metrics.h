#pragma once
// Counters kcache exposes on /metrics, in the Prometheus text format.

#include <atomic>
#include <cstdint>
#include <string>

namespace kcache {

class Cache;

class Metrics {
 public:
  std::atomic<uint64_t> requests_cached{0};       // reads served from the cache
  std::atomic<uint64_t> requests_passed{0};       // requests passed through to the upstream
  std::atomic<uint64_t> read_your_writes_waits{0};
  std::atomic<uint64_t> read_your_writes_timeouts{0};
  std::atomic<int64_t> watches_active{0};
  std::atomic<int64_t> connections_active{0};

  std::string Render(const Cache& cache) const;
};

}  // namespace kcache
