#pragma once
// Failures kcache contained instead of ending on, and the background loops that are down.
//
// No input may end the process. Parsers return errors rather than throw, but a bug, or a
// library that throws on input it cannot represent, must cost only the work it belongs to. Each
// boundary (a client connection, a request, a watch, a relay, the worker threads, and every
// background loop: reflectors, discovery, the discovery copies, the Table catalog, certificate
// and config reloads, the RocksDB flusher) catches what escapes it, reports it here, and ends
// only its own work. A report logs one line naming the boundary and what failed there (the
// request's Audit-ID, the loop's name) and is counted: /metrics shows
// kcache_contained_failures_total{boundary} and kcache_loop_down{loop}. A loop that failed is
// down until it has done its job once again; /readyz fails while any loop is down, naming it.
//
// Threading: every function may be called from any thread.

#include <atomic>
#include <cstdint>
#include <exception>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>

namespace kcache {

// The boundaries that report, always listed in /metrics (a counter that appears only after
// its first failure cannot be alerted on with rate()).
inline constexpr std::string_view kBoundaryConnection = "connection";
inline constexpr std::string_view kBoundaryRequest = "request";
inline constexpr std::string_view kBoundaryWatch = "watch";
inline constexpr std::string_view kBoundaryRelay = "relay";
inline constexpr std::string_view kBoundaryWorker = "worker";
inline constexpr std::string_view kBoundaryLoop = "loop";

class Failures {
 public:
  // The process's one instance: boundaries in every layer report to it.
  static Failures& Process();

  // Counts one failure at `boundary` and logs "kcache: <boundary> <context>: <what>" (unless
  // told not to: a loop failing the same way again is counted, not logged again).
  void Contain(std::string_view boundary, std::string_view context, std::exception_ptr error);
  void Contain(std::string_view boundary, std::string_view context, std::string_view what,
               bool log = true);

  // A background loop stopped doing its job (reason: what it failed on); false when it was
  // already down for that reason.
  bool LoopDown(std::string_view loop, std::string_view reason);
  // The loop did its job again (cheap when no loop is down).
  void LoopUp(std::string_view loop);
  // Loop name → why it is down.
  std::map<std::string, std::string> DownLoops() const;
  uint64_t Count(std::string_view boundary) const;

  // The two metric families, in the Prometheus text format.
  std::string RenderMetrics() const;

 private:
  Failures();

  mutable std::mutex mutex_;
  std::map<std::string, uint64_t, std::less<>> counts_;
  std::map<std::string, std::string, std::less<>> down_;
  // Every loop ever reported, so a recovered one still shows kcache_loop_down 0.
  std::map<std::string, bool, std::less<>> loops_;
  std::atomic<size_t> down_count_{0};
};

// What an exception says: its what(), or that it was not a std::exception.
std::string Describe(std::exception_ptr error);

// Runs `context` on the calling thread until it is stopped. An exception thrown by a handler
// leaves run() (Asio lets it, and run() may be called again): it is contained at the worker
// boundary and the context runs on. The handler is destroyed with the exception, and with it
// the coroutine waiting for it; every other connection, watch and loop goes on.
void RunContained(boost::asio::io_context& context, std::string_view thread_name);

// Completion handler for co_spawn: an exception that escapes the coroutine is contained at
// `boundary` (with `context`, such as an Audit-ID) and ends that coroutine only, where
// asio::detached would end the process.
struct ContainEscaped {
  std::string_view boundary;
  std::string context;

  void operator()(std::exception_ptr error) const {
    if (error) Failures::Process().Contain(boundary, context, error);
  }
};

// Held by a background loop's coroutine for its whole life. The loop reports Failed/Succeeded
// per pass; if the coroutine's frame is destroyed without Finish() (an exception escaped it, or
// its io_context threw while it waited), the loop is down for good and /readyz says so.
class LoopGuard {
 public:
  explicit LoopGuard(std::string name) : name_(std::move(name)) {}
  ~LoopGuard();
  LoopGuard(const LoopGuard&) = delete;
  LoopGuard& operator=(const LoopGuard&) = delete;

  // A pass of the loop failed: counted, logged (unless it failed the same way last time), and
  // the loop is down until a pass succeeds.
  void Failed(std::exception_ptr error);
  void Failed(std::string_view what);
  void Succeeded() { Failures::Process().LoopUp(name_); }
  // The loop ends as it should (kcache is stopping).
  void Finish() { finished_ = true; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  bool finished_ = false;
};

}  // namespace kcache
