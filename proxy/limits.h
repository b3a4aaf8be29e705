#pragma once
// Limits: what one client (or all of them) may take from kcache, so a hostile or broken client
// cannot starve the others: open connections, concurrent watches (in total and per user), and
// a per-user request rate. Refusals are 429s with Retry-After, which client-go honours.
//
// Threading: shared by every worker; all methods are thread-safe.

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kcache {

struct LimitOptions {
  int64_t max_connections = 20000;
  int64_t max_watches = 100000;
  int64_t max_watches_per_user = 2000;
  double user_qps = 500;  // 0: no rate limit
  double user_burst = 1000;
};

class Limits {
 public:
  explicit Limits(LimitOptions options) : options_(options) {}

  // A held slot; releasing it (destruction) gives the capacity back.
  class Slot {
   public:
    enum class Kind { kConnection, kWatch };
    Slot(Limits* limits, Kind kind, std::string user)
        : limits_(limits), kind_(kind), user_(std::move(user)) {}
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() { limits_->Release(*this); }

   private:
    friend class Limits;
    Limits* limits_;
    Kind kind_;
    std::string user_;
  };

  std::unique_ptr<Slot> TryConnection();
  std::unique_ptr<Slot> TryWatch(const std::string& user);
  // Whether `user` may make one more request now; otherwise how long to wait.
  bool AllowRequest(const std::string& user, std::chrono::seconds& retry_after);

  int64_t watches() const;
  int64_t connections() const;

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point refreshed;
  };

  void Release(const Slot& slot);

  const LimitOptions options_;
  mutable std::mutex mutex_;
  int64_t connections_ = 0;
  int64_t watches_ = 0;
  std::unordered_map<std::string, int64_t> watches_by_user_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace kcache
