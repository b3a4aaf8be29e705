#pragma once
// Values derived from one immutable object version (its projections), kept with the version so
// each is computed once, shared by every response that needs it, and freed with the version.

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace kcache {

class DerivedMemo {
 public:
  DerivedMemo() = default;
  // A copy of an object is a different version to be: it starts without derived values.
  DerivedMemo(const DerivedMemo&) {}
  DerivedMemo& operator=(const DerivedMemo&) { return *this; }

  // The value kept under `id`, or null.
  std::shared_ptr<const void> Find(uint64_t id) const;
  // Keeps `value` under `id` unless one is there already; returns the kept one. Holds at most
  // kMaxEntries values: the oldest goes first (ids of replaced definitions are never asked
  // again).
  std::shared_ptr<const void> Keep(uint64_t id, std::shared_ptr<const void> value) const;

  static constexpr size_t kMaxEntries = 4;

 private:
  mutable std::vector<std::pair<uint64_t, std::shared_ptr<const void>>> entries_;
};

}  // namespace kcache
