#pragma once
// Which cached resources kcache prints Tables for, and their column definitions.
//
// A printer is trusted for a resource only after the upstream confirmed it: for every synced
// store, kcache asks the upstream once for a one-row Table (as itself) and keeps that Table's
// columnDefinitions, which it then replays verbatim. The printer must declare exactly the
// upstream's column names, and the cells it computes for the upstream's own row object must
// equal the upstream's cells (durations aside); otherwise the resource's Tables stay with the
// upstream, so a newer or older kube-apiserver never gets rows printed the wrong way. Custom
// resources are learned again whenever their CRD changes, and every resource every
// `relearn_interval` (an upgraded upstream).

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "cache/cache.h"
#include "kube/upstream.h"
#include "printers/printer.h"

namespace kcache {

// A number no other TableFormat of this process has.
uint64_t NewTableFormatId();

struct TableFormat {
  // Names this format's rows where they are kept with object versions (proxy/table_rows.h).
  uint64_t id = NewTableFormatId();
  PrinterPtr printer;
  // The upstream's columnDefinitions, re-encoded as Go writes them (a JSON array).
  std::string column_definitions;
  // For a custom resource: the resourceVersion of the CRD the printer was built from.
  uint64_t crd_resource_version = 0;
};

struct TableCatalogOptions {
  std::chrono::milliseconds scan_interval{1000};
  std::chrono::seconds relearn_interval{600};
};

class TableCatalog {
 public:
  TableCatalog(Cache& cache, std::shared_ptr<Upstream> upstream, TableCatalogOptions options = {});
  ~TableCatalog();
  TableCatalog(const TableCatalog&) = delete;
  TableCatalog& operator=(const TableCatalog&) = delete;

  void Start();
  void Stop();

  // How to print `store`'s Tables, or null when the upstream prints them.
  std::shared_ptr<const TableFormat> Find(const ResourceStore& store) const;

  // For /metrics: per learned resource, whether kcache prints its Tables.
  std::string RenderMetrics() const;

 private:
  struct Learned {
    std::shared_ptr<const TableFormat> format;  // null: left to the upstream
    std::chrono::steady_clock::time_point at;
    uint64_t crd_resource_version = 0;
    std::string why;  // when left to the upstream
  };

  boost::asio::awaitable<void> Loop();
  boost::asio::awaitable<void> Learn(ResourceStorePtr store);
  // Drops what was learned of resources no longer cached (a deleted CRD's).
  void ForgetGone(const std::vector<ResourceStorePtr>& stores);
  uint64_t CrdVersionOf(const ResourceSchema& schema) const;
  bool Stale(const ResourceStore& store, const Learned& learned) const;

  Cache& cache_;
  std::shared_ptr<Upstream> upstream_;
  TableCatalogOptions options_;
  boost::asio::io_context context_;
  std::thread thread_;

  mutable std::shared_mutex mutex_;
  std::map<std::string, Learned, std::less<>> learned_;  // by store id
};

}  // namespace kcache
