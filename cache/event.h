#pragma once
// A change to one object, as kept in a resource's history.

#include <chrono>
#include <cstdint>
#include <memory>

#include "kube/object.h"
#include "kube/watch_event.h"

namespace kcache {

struct Event {
  EventType type = EventType::kAdded;  // kAdded, kModified or kDeleted
  // The state after the change; for a deletion, the last state at the deletion's version.
  ObjectPtr object;
  // The state before the change; null for an addition.
  ObjectPtr previous;
  uint64_t resource_version = 0;
  std::chrono::steady_clock::time_point received;
};

using EventPtr = std::shared_ptr<const Event>;

}  // namespace kcache
