#pragma once
// TtlCache: a bounded map whose entries expire, shared by all worker threads. Used for
// authentication and authorization answers: each entry carries its own lifetime (answers that
// allow and answers that refuse live for different times), and when the map is full the oldest
// entry goes first.

#include <chrono>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace kcache {

template <class Value>
class TtlCache {
 public:
  using Clock = std::chrono::steady_clock;

  explicit TtlCache(size_t capacity) : capacity_(capacity) {}

  std::optional<Value> Get(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    if (Clock::now() >= it->second.expires) {
      order_.erase(it->second.position);
      entries_.erase(it);
      return std::nullopt;
    }
    return it->second.value;
  }

  void Put(const std::string& key, Value value, Clock::duration ttl) {
    if (capacity_ == 0 || ttl <= Clock::duration::zero()) return;
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) {
      order_.erase(it->second.position);
      entries_.erase(it);
    }
    while (entries_.size() >= capacity_) {
      entries_.erase(order_.front());
      order_.pop_front();
    }
    order_.push_back(key);
    entries_.emplace(key, Entry{std::move(value), Clock::now() + ttl, std::prev(order_.end())});
  }

  size_t size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
  }

 private:
  struct Entry {
    Value value;
    Clock::time_point expires;
    std::list<std::string>::iterator position;
  };

  const size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> order_;  // insertion order, oldest first
};

}  // namespace kcache
