#include "proxy/table_catalog.h"

#include <atomic>
#include <iostream>
#include <regex>
#include <set>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/result.hpp>

#include "kube/failpoints.h"
#include "kube/failures.h"
#include "kube/json_text.h"
#include "kube/object.h"
#include "printers/custom_resource_printer.h"
#include "printers/format.h"
#include "printers/jsonpath.h"

namespace kcache {
namespace {

constexpr std::string_view kLoopName = "table catalog";

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kTableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io";
constexpr auto kRetryAfterFailure = std::chrono::seconds(10);

ObjectPtr CrdOf(const Cache& cache, const ResourceInfo& info) {
  ResourceStorePtr crds = cache.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions");
  return crds ? crds->Get(info.resource + "." + info.group) : nullptr;
}

// Two clocks a moment apart print different durations ("5s" and "6s", "3m" and "3m1s").
std::string WithoutDurations(const std::string& cell) {
  static const std::regex duration(R"(\d+[smhdy](\d+[smhd])?)");
  return std::regex_replace(cell, duration, "<duration>");
}

struct Confirmation {
  std::string column_definitions;  // re-encoded, when confirmed
  std::string refusal;             // otherwise: why kcache does not print this resource
};
Confirmation Refused(std::string why) { return {.refusal = std::move(why)}; }

// The upstream's one-row Table checked against `printer`.
Confirmation Confirm(const std::string& body, const Printer& printer) {
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  if (parser.parse(body).get(document)) return Refused("the upstream's Table is not JSON");
  JsonView table(document);
  std::vector<std::string> names;
  std::string definitions = "[";
  for (JsonView column : table["columnDefinitions"].elements()) {
    names.emplace_back(column["name"].str());
    if (definitions.size() > 1) definitions += ',';
    definitions += "{\"name\":";
    AppendJsonString(definitions, column["name"].str());
    definitions += ",\"type\":";
    AppendJsonString(definitions, column["type"].str());
    definitions += ",\"format\":";
    AppendJsonString(definitions, column["format"].str());
    definitions += ",\"description\":";
    AppendJsonString(definitions, column["description"].str());
    definitions += ",\"priority\":" + std::to_string(column["priority"].i64()) + "}";
  }
  definitions += "]";
  if (names != printer.columns) {
    return Refused("the upstream's columns (" + Join(names, ", ") + ") are not kcache's (" +
                   Join(printer.columns, ", ") + ")");
  }
  JsonView row = table["rows"].at(0);
  if (row.present()) {
    PrintedRow printed;
    PrintContext context;
    if (printer.list_note) context.list_note = printer.list_note({row["object"]});
    printer.print(context, row["object"], printed);
    JsonView cells = row["cells"];
    if (printed.cells.size() != cells.size()) {
      return Refused("kcache's printer fills another number of cells");
    }
    for (size_t i = 0; i < printed.cells.size(); ++i) {
      std::string ours;
      AppendCell(ours, printed.cells[i], std::chrono::system_clock::now());
      std::string theirs = GoJsonMarshal(cells.at(i));
      if (WithoutDurations(ours) != WithoutDurations(theirs)) {
        std::string column = i < names.size() ? names[i] : "#" + std::to_string(i + 1);
        return Refused("column " + column + " of " +
                       std::string(row["object"]["metadata"]["name"].str()) +
                       ": the upstream prints " + theirs + ", kcache " + ours);
      }
    }
  }
  return {.column_definitions = std::move(definitions)};
}

}  // namespace

uint64_t NewTableFormatId() {
  static std::atomic<uint64_t> last{0};
  return ++last;
}

TableCatalog::TableCatalog(Cache& cache, std::shared_ptr<Upstream> upstream,
                           TableCatalogOptions options)
    : cache_(cache), upstream_(std::move(upstream)), options_(options) {}

TableCatalog::~TableCatalog() { Stop(); }

void TableCatalog::Start() {
  asio::co_spawn(context_, Loop(), ContainEscaped{kBoundaryLoop, std::string(kLoopName)});
  thread_ = std::thread([this] { RunContained(context_, kLoopName); });
}

void TableCatalog::Stop() {
  if (!thread_.joinable()) return;
  context_.stop();
  thread_.join();
}

uint64_t TableCatalog::CrdVersionOf(const ResourceSchema& schema) const {
  if (!schema.custom_resource) return 0;
  ObjectPtr crd = CrdOf(cache_, schema.info);
  return crd ? crd->resource_version : 0;
}

bool TableCatalog::Stale(const ResourceStore& store, const Learned& learned) const {
  auto schema = store.schema();
  if (schema->custom_resource && CrdVersionOf(*schema) != learned.crd_resource_version) {
    return true;
  }
  return Clock::now() >= learned.at;
}

std::shared_ptr<const TableFormat> TableCatalog::Find(const ResourceStore& store) const {
  auto schema = store.schema();
  std::shared_lock lock(mutex_);
  auto it = learned_.find(schema->info.Id());
  if (it == learned_.end() || !it->second.format) return nullptr;
  const auto& format = it->second.format;
  if (schema->custom_resource && CrdVersionOf(*schema) != format->crd_resource_version) {
    return nullptr;  // the CRD changed: its columns may have too
  }
  return format;
}

asio::awaitable<void> TableCatalog::Loop() {
  LoopGuard loop{std::string(kLoopName)};
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor);
  for (;;) {
    std::vector<ResourceStorePtr> stores = cache_.All();
    ForgetGone(stores);
    bool failed = false;
    for (const ResourceStorePtr& store : stores) {
      if (!store->synced()) continue;
      bool due;
      {
        std::shared_lock lock(mutex_);
        auto it = learned_.find(store->schema()->info.Id());
        due = it == learned_.end() || Stale(*store, it->second);
      }
      if (!due) continue;
      // A resource whose columns cannot be learned keeps its Tables with the upstream; the
      // others are learned all the same.
      try {
        ThrowAtFailpoint(kLoopName);
        co_await Learn(store);
      } catch (...) {
        loop.Failed(std::current_exception());
        failed = true;
      }
    }
    if (!failed) loop.Succeeded();
    timer.expires_after(options_.scan_interval);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

void TableCatalog::ForgetGone(const std::vector<ResourceStorePtr>& stores) {
  std::set<std::string, std::less<>> ids;
  for (const ResourceStorePtr& store : stores) ids.insert(store->schema()->info.Id());
  std::unique_lock lock(mutex_);
  std::erase_if(learned_, [&](const auto& entry) { return !ids.contains(entry.first); });
}

asio::awaitable<void> TableCatalog::Learn(ResourceStorePtr store) {
  auto schema = store->schema();
  const ResourceInfo& info = schema->info;
  Learned learned;
  learned.at = Clock::now() + options_.relearn_interval;
  PrinterPtr printer;
  if (schema->custom_resource) {
    ObjectPtr crd = CrdOf(cache_, info);
    if (crd) {
      learned.crd_resource_version = crd->resource_version;
      simdjson::dom::parser parser;
      simdjson::dom::element document;
      if (!parser.parse(crd->Full()).get(document)) {
        printer = CustomResourcePrinter(JsonView(document), info.version);
      }
    }
    if (!printer) learned.why = "its CRD's printer columns are beyond what kcache evaluates";
  } else {
    printer = FindBuiltinPrinter(info.group, info.resource);
    if (!printer) printer = DefaultPrinter();
  }

  if (printer) {
    std::string target = info.PathPrefix() + "/" + info.resource + "?limit=1&includeObject=Object";
    auto fetched = co_await upstream_->Fetch(co_await asio::this_coro::executor, target,
                                             std::string(kTableAccept));
    if (!fetched || fetched->status != 200) {
      // The upstream will answer again; until then what was confirmed stands (Find turns down
      // a format built from an older CRD by itself).
      std::unique_lock lock(mutex_);
      auto& entry = learned_[info.Id()];
      entry.at = Clock::now() + kRetryAfterFailure;
      entry.crd_resource_version = learned.crd_resource_version;
      co_return;
    } else if (Confirmation confirmed = Confirm(fetched->body, *printer);
               !confirmed.refusal.empty()) {
      learned.why = std::move(confirmed.refusal);
    } else {
      auto format = std::make_shared<TableFormat>();
      format->printer = printer;
      format->column_definitions = std::move(confirmed.column_definitions);
      format->crd_resource_version = learned.crd_resource_version;
      learned.format = std::move(format);
    }
  }

  std::unique_lock lock(mutex_);
  auto& entry = learned_[info.Id()];
  if (!learned.why.empty() && learned.why != entry.why) {
    std::cerr << "kcache: Tables of " << info.Id() << " are left to the upstream: " << learned.why
              << std::endl;
  }
  entry = std::move(learned);
}

std::string TableCatalog::RenderMetrics() const {
  std::string out =
      "# HELP kcache_table_printer Whether kcache prints a cached resource's Tables (1) or "
      "leaves them to the upstream (0).\n"
      "# TYPE kcache_table_printer gauge\n";
  std::shared_lock lock(mutex_);
  for (const auto& [id, learned] : learned_) {
    // Store ids are "<group>/<version>/<resource>".
    size_t first = id.find('/'), second = id.find('/', first + 1);
    out += "kcache_table_printer{group=\"" + id.substr(0, first) + "\",version=\"" +
           id.substr(first + 1, second - first - 1) + "\",resource=\"" + id.substr(second + 1) +
           "\"} " + (learned.format ? "1" : "0") + "\n";
  }
  return out;
}

}  // namespace kcache
