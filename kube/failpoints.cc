#include "kube/failpoints.h"

#include <atomic>
#include <charconv>
#include <cstdlib>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

namespace kcache {
namespace {

class Failpoints {
 public:
  static Failpoints& Process() {
    static Failpoints failpoints(std::getenv("KCACHE_FAILPOINTS"));
    return failpoints;
  }

  void Pass(std::string_view name, std::string_view detail) {
    if (!armed_.load(std::memory_order_relaxed)) return;
    std::string full(name);
    if (!detail.empty()) full += " " + std::string(detail);
    name = full;
    std::lock_guard lock(mutex_);
    auto it = remaining_.find(name);
    if (it == remaining_.end() || it->second == 0) return;
    --it->second;
    throw std::runtime_error("failpoint " + std::string(name));
  }

 private:
  // "name=count;name=count"; a name without a count fails once.
  explicit Failpoints(const char* spec) {
    std::string_view rest = spec ? spec : "";
    while (!rest.empty()) {
      size_t end = rest.find(';');
      std::string_view entry = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      size_t equals = entry.rfind('=');
      int count = 1;
      if (equals != std::string_view::npos) {
        std::string_view digits = entry.substr(equals + 1);
        std::from_chars(digits.data(), digits.data() + digits.size(), count);
        entry = entry.substr(0, equals);
      }
      if (!entry.empty() && count > 0) remaining_[std::string(entry)] = count;
    }
    armed_ = !remaining_.empty();
  }

  std::atomic<bool> armed_{false};
  std::mutex mutex_;
  std::map<std::string, int, std::less<>> remaining_;
};

}  // namespace

void ThrowAtFailpoint(std::string_view name, std::string_view detail) {
  Failpoints::Process().Pass(name, detail);
}

}  // namespace kcache
