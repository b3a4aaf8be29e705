#include "proxy/limits.h"

#include <cmath>

namespace kcache {
namespace {

// Buckets of users not seen for this long are dropped, so the map stays bounded.
constexpr auto kForgetIdleUsers = std::chrono::minutes(10);
constexpr size_t kSweepEvery = 4096;

}  // namespace

std::unique_ptr<Limits::Slot> Limits::TryConnection() {
  std::lock_guard lock(mutex_);
  if (connections_ >= options_.max_connections) return nullptr;
  ++connections_;
  return std::make_unique<Slot>(this, Slot::Kind::kConnection, "");
}

std::unique_ptr<Limits::Slot> Limits::TryWatch(const std::string& user) {
  std::lock_guard lock(mutex_);
  int64_t& mine = watches_by_user_[user];
  if (watches_ >= options_.max_watches || mine >= options_.max_watches_per_user) {
    if (mine == 0) watches_by_user_.erase(user);
    return nullptr;
  }
  ++watches_;
  ++mine;
  return std::make_unique<Slot>(this, Slot::Kind::kWatch, user);
}

void Limits::Release(const Slot& slot) {
  std::lock_guard lock(mutex_);
  if (slot.kind_ == Slot::Kind::kConnection) {
    --connections_;
    return;
  }
  --watches_;
  auto it = watches_by_user_.find(slot.user_);
  if (it != watches_by_user_.end() && --it->second <= 0) watches_by_user_.erase(it);
}

bool Limits::AllowRequest(const std::string& user, std::chrono::seconds& retry_after) {
  if (options_.user_qps <= 0) return true;
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (buckets_.size() % kSweepEvery == 0 && !buckets_.empty()) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      it = now - it->second.refreshed > kForgetIdleUsers ? buckets_.erase(it) : std::next(it);
    }
  }
  auto [it, fresh] = buckets_.try_emplace(user, Bucket{options_.user_burst, now});
  Bucket& bucket = it->second;
  double elapsed = std::chrono::duration<double>(now - bucket.refreshed).count();
  bucket.tokens = std::min(options_.user_burst, bucket.tokens + elapsed * options_.user_qps);
  bucket.refreshed = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return true;
  }
  retry_after = std::chrono::seconds(
      std::max<int64_t>(1, static_cast<int64_t>(std::ceil((1 - bucket.tokens) / options_.user_qps))));
  return false;
}

int64_t Limits::watches() const {
  std::lock_guard lock(mutex_);
  return watches_;
}

int64_t Limits::connections() const {
  std::lock_guard lock(mutex_);
  return connections_;
}

}  // namespace kcache
