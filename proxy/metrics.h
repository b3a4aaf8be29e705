#pragma once
// Counters kcache exposes on /metrics, in the Prometheus text format.

#include <atomic>
#include <cstdint>
#include <string>

namespace kcache {

class Cache;

// Counts one in a gauge for as long as it lives (a connection, a watch), so the gauge is
// released on every way out, an exception's included.
class GaugeHold {
 public:
  explicit GaugeHold(std::atomic<int64_t>& gauge) : gauge_(gauge) { gauge_.fetch_add(1); }
  ~GaugeHold() { gauge_.fetch_sub(1); }
  GaugeHold(const GaugeHold&) = delete;
  GaugeHold& operator=(const GaugeHold&) = delete;

 private:
  std::atomic<int64_t>& gauge_;
};

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
