#include "proxy/metrics.h"

#include "cache/cache.h"
#include "kube/failures.h"

namespace kcache {

std::string Metrics::Render(const Cache& cache) const {
  std::string out;
  auto counter = [&](const char* name, const char* help, uint64_t value) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name +
           " " + std::to_string(value) + "\n";
  };
  auto gauge = [&](const char* name, const char* help, int64_t value) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " gauge\n" + name +
           " " + std::to_string(value) + "\n";
  };
  counter("kcache_requests_cached_total", "Reads served from the cache.", requests_cached.load());
  counter("kcache_requests_passed_total", "Requests passed through to the upstream.",
          requests_passed.load());
  counter("kcache_read_your_writes_waits_total",
          "Writes that waited for the cache to see their resourceVersion.",
          read_your_writes_waits.load());
  counter("kcache_read_your_writes_timeouts_total",
          "Writes answered before the cache saw their resourceVersion.",
          read_your_writes_timeouts.load());
  gauge("kcache_watches_active", "Watches being served from the cache.", watches_active.load());
  gauge("kcache_connections_active", "Open client connections.", connections_active.load());
  out += "# HELP kcache_store_objects Objects held per resource.\n# TYPE kcache_store_objects gauge\n";
  std::string replace_lines =
      "# HELP kcache_store_replaces_total Full states installed per resource: first list, "
      "relists, loads from disk.\n# TYPE kcache_store_replaces_total counter\n";
  std::string rv_lines =
      "# HELP kcache_store_resource_version The resourceVersion each resource has reached.\n"
      "# TYPE kcache_store_resource_version gauge\n";
  for (const auto& store : cache.All()) {
    std::string label = "{resource=\"" + store->schema()->info.GroupResource() + "\"}";
    out += "kcache_store_objects" + label + " " + std::to_string(store->size()) + "\n";
    rv_lines += "kcache_store_resource_version" + label + " " +
                std::to_string(store->resource_version()) + "\n";
    replace_lines += "kcache_store_replaces_total" + label + " " +
                     std::to_string(store->replace_count()) + "\n";
  }
  out += rv_lines;
  out += replace_lines;
  out += Failures::Process().RenderMetrics();
  return out;
}

}  // namespace kcache
