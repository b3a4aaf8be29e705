#pragma once
// Failpoints: named places where a test makes kcache fail as a bug would, by throwing, to prove
// that the failure is contained where it belongs (kube/failures.h) and that kcache says so.
// The end-to-end suite arms them; nothing else does.
//
// Armed only by the environment, read once at start:
//   KCACHE_FAILPOINTS="reflector configmaps=5;request /api/v1/namespaces/default/configmaps=1"
// makes the next 5 passes of the configmaps reflector and the next request for that path throw
// std::runtime_error("failpoint <name>"). The names: "reflector <resource>", "request <path>",
// "watch <path>", and each background loop's name ("discovery", "table catalog", ...). Unarmed (always, in production), a failpoint costs
// one relaxed atomic load.
//
// Threading: ThrowAtFailpoint may be called from any thread.

#include <string_view>

namespace kcache {

// Throws when the failpoint named `name`, or `name` + " " + `detail` when a detail is given, is
// armed and has passes left. The name is put together only when some failpoint is armed.
void ThrowAtFailpoint(std::string_view name, std::string_view detail = {});

}  // namespace kcache
