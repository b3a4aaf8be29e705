#include "kube/failures.h"

#include <iostream>

#include <boost/asio/executor_work_guard.hpp>

namespace kcache {

Failures& Failures::Process() {
  static Failures failures;
  return failures;
}

Failures::Failures() {
  for (std::string_view boundary : {kBoundaryConnection, kBoundaryRequest, kBoundaryWatch,
                                    kBoundaryRelay, kBoundaryWorker, kBoundaryLoop}) {
    counts_.emplace(boundary, 0);
  }
}

std::string Describe(std::exception_ptr error) {
  if (!error) return "no exception";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

void Failures::Contain(std::string_view boundary, std::string_view context,
                       std::exception_ptr error) {
  Contain(boundary, context, Describe(error));
}

void Failures::Contain(std::string_view boundary, std::string_view context,
                       std::string_view what, bool log) {
  {
    std::lock_guard lock(mutex_);
    auto it = counts_.find(boundary);
    if (it == counts_.end()) it = counts_.emplace(std::string(boundary), 0).first;
    ++it->second;
  }
  if (!log) return;
  // One line, written whole, so lines of several threads do not interleave.
  std::string line = "kcache: " + std::string(boundary);
  if (!context.empty()) line += " " + std::string(context);
  line += ": contained a failure: " + std::string(what) + "\n";
  std::cerr << line << std::flush;
}

bool Failures::LoopDown(std::string_view loop, std::string_view reason) {
  std::lock_guard lock(mutex_);
  loops_[std::string(loop)] = true;
  auto [it, added] = down_.try_emplace(std::string(loop), reason);
  if (added) {
    down_count_.fetch_add(1);
    return true;
  }
  if (it->second == reason) return false;
  it->second = reason;
  return true;
}

void Failures::LoopUp(std::string_view loop) {
  if (down_count_.load() == 0) return;  // the common case costs no lock
  std::lock_guard lock(mutex_);
  if (auto it = down_.find(loop); it != down_.end()) {
    down_.erase(it);
    down_count_.fetch_sub(1);
    loops_[std::string(loop)] = false;
    std::cerr << "kcache: " << loop << " is working again\n" << std::flush;
  }
}

std::map<std::string, std::string> Failures::DownLoops() const {
  std::lock_guard lock(mutex_);
  return {down_.begin(), down_.end()};
}

uint64_t Failures::Count(std::string_view boundary) const {
  std::lock_guard lock(mutex_);
  auto it = counts_.find(boundary);
  return it == counts_.end() ? 0 : it->second;
}

std::string Failures::RenderMetrics() const {
  std::lock_guard lock(mutex_);
  std::string out =
      "# HELP kcache_contained_failures_total Exceptions caught where a connection, request, "
      "watch, relay, worker thread or background loop ends, instead of ending kcache.\n"
      "# TYPE kcache_contained_failures_total counter\n";
  for (const auto& [boundary, count] : counts_) {
    out += "kcache_contained_failures_total{boundary=\"" + boundary + "\"} " +
           std::to_string(count) + "\n";
  }
  out +=
      "# HELP kcache_loop_down Background loops that failed and have not done their job since "
      "(1), as /readyz names them.\n# TYPE kcache_loop_down gauge\n";
  for (const auto& [loop, down] : loops_) {
    out += "kcache_loop_down{loop=\"" + loop + "\"} " + (down ? "1" : "0") + "\n";
  }
  return out;
}

void RunContained(boost::asio::io_context& context, std::string_view thread_name) {
  auto work = boost::asio::make_work_guard(context);
  while (!context.stopped()) {
    try {
      context.run();
    } catch (...) {
      Failures::Process().Contain(kBoundaryWorker, thread_name, std::current_exception());
    }
  }
}

LoopGuard::~LoopGuard() {
  if (finished_) return;
  Failures::Process().LoopDown(name_, "ended without stopping");
}

void LoopGuard::Failed(std::exception_ptr error) { Failed(Describe(error)); }

void LoopGuard::Failed(std::string_view what) {
  bool news = Failures::Process().LoopDown(name_, what);
  Failures::Process().Contain(kBoundaryLoop, name_, what, /*log=*/news);
}

}  // namespace kcache
