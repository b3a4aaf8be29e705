#include "kube/derived_memo.h"

#include <array>
#include <functional>
#include <mutex>

namespace kcache {
namespace {

// Objects number in the millions: rather than a mutex each, they share a few, chosen by address.
std::mutex& StripeFor(const void* owner) {
  static std::array<std::mutex, 64> stripes;
  return stripes[std::hash<const void*>{}(owner) % stripes.size()];
}

}  // namespace

std::shared_ptr<const void> DerivedMemo::Find(uint64_t id) const {
  std::lock_guard lock(StripeFor(this));
  for (const auto& [key, value] : entries_) {
    if (key == id) return value;
  }
  return nullptr;
}

std::shared_ptr<const void> DerivedMemo::Keep(uint64_t id,
                                              std::shared_ptr<const void> value) const {
  std::lock_guard lock(StripeFor(this));
  for (const auto& [key, kept] : entries_) {
    if (key == id) return kept;
  }
  if (entries_.size() >= kMaxEntries) entries_.erase(entries_.begin());
  entries_.emplace_back(id, value);
  return value;
}

}  // namespace kcache
