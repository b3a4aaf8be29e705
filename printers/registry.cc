// The table of built-in printers, the default convertor, and cell encoding.

#include "kube/json_text.h"
#include "printers/builtin.h"
#include "printers/format.h"

namespace kcache {
namespace {

const PrinterTable& Builtins() {
  static const PrinterTable* table = [] {
    auto* built = new PrinterTable;
    AddCorePrinters(*built);
    AddPodPrinters(*built);
    AddNodePrinters(*built);
    AddAppsPrinters(*built);
    AddNetworkingPrinters(*built);
    AddStoragePrinters(*built);
    AddClusterPrinters(*built);
    return built;
  }();
  return *table;
}

}  // namespace

void AddPrinter(PrinterTable& table, std::string_view group, std::string_view resource,
                Printer printer) {
  table[std::string(group) + "/" + std::string(resource)] =
      std::make_shared<const Printer>(std::move(printer));
}

PrinterPtr FindBuiltinPrinter(std::string_view group, std::string_view resource) {
  const PrinterTable& table = Builtins();
  auto it = table.find(std::string(group) + "/" + std::string(resource));
  return it == table.end() ? nullptr : it->second;
}

std::vector<PrinterPtr> AllBuiltinPrinters() {
  std::vector<PrinterPtr> all;
  for (const auto& [key, printer] : Builtins()) all.push_back(printer);
  return all;
}

PrinterPtr DefaultPrinter() {
  static const PrinterPtr printer = std::make_shared<const Printer>(Printer{
      .columns = {"Name", "Created At"},
      .print =
          [](const PrintContext&, JsonView object, PrintedRow& row) {
            JsonView metadata = object["metadata"];
            row.Text(metadata["name"].str());
            // The time in UTC, RFC 3339 to the second; Go's zero time when unset.
            auto at = ParseRfc3339Seconds(metadata["creationTimestamp"].str());
            if (!at) {
              row.Text("0001-01-01T00:00:00Z");
              return;
            }
            row.Text(FormatRfc3339Utc(*at));
          },
      .null_rows_when_empty = true,
  });
  return printer;
}

void AppendCell(std::string& out, const Cell& cell, std::chrono::system_clock::time_point now) {
  switch (cell.index()) {
    case 0: out += "null"; break;
    case 1: AppendJsonString(out, std::get<std::string>(cell)); break;
    case 2: out += std::to_string(std::get<int64_t>(cell)); break;
    case 3: AppendGoJsonFloat(out, std::get<double>(cell)); break;
    case 4: out += std::get<bool>(cell) ? "true" : "false"; break;
    case 5: AppendJsonString(out, std::get<ElapsedText>(cell).At(now)); break;
  }
}

}  // namespace kcache
