#pragma once
// A printer: the columns kube-apiserver's Table convertor declares for a resource, and how one
// object's cells are computed from its JSON. A printer never reads the clock: cells such as AGE
// are kept as the instant they count from (ElapsedText) and written with the clock of each
// response, so a row printed once serves every later response for the same object version.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "printers/json_view.h"

namespace kcache {

// Text that depends on when it is read: `before`, the time elapsed since `since_nanos` as
// HumanDuration writes it, then `after` ("3 (5m ago)" for pod RESTARTS); or `before` alone when
// there was no time to count from ("<unknown>", "<none>").
struct ElapsedText {
  std::string before;
  std::optional<int64_t> since_nanos;  // Unix time in nanoseconds
  std::string after;

  static ElapsedText Fixed(std::string text) { return {std::move(text), std::nullopt, {}}; }
  static ElapsedText Since(int64_t unix_nanos) { return {{}, unix_nanos, {}}; }
  // The text as read at `now`.
  std::string At(std::chrono::system_clock::time_point now) const;
  bool operator==(const ElapsedText&) const = default;
};

// A cell as a Table carries it. The JSON type matters: kubectl prints what it gets, and a
// column declared "string" often holds integers (Deployment UP-TO-DATE). An ElapsedText is
// written as a string.
using Cell = std::variant<std::nullptr_t, std::string, int64_t, double, bool, ElapsedText>;

struct PrintedRow {
  std::vector<Cell> cells;
  // The row's `conditions` as JSON text (only pods that ended have them), or empty.
  std::string conditions;

  void Text(std::string text) { cells.emplace_back(std::move(text)); }
  void Text(std::string_view text) { cells.emplace_back(std::string(text)); }
  void Text(const char* text) { cells.emplace_back(std::string(text)); }
  void Text(ElapsedText text) { cells.emplace_back(std::move(text)); }
  void Int(int64_t value) { cells.emplace_back(value); }
  void Float(double value) { cells.emplace_back(value); }
  void Bool(bool value) { cells.emplace_back(value); }
  void Null() { cells.emplace_back(nullptr); }
};

struct PrintContext {
  // In a list response, what the printer's `list_note` found over the listed objects.
  std::string list_note;
};

struct Printer {
  // The column names of the upstream's columnDefinitions, in order: kcache serves a resource's
  // Tables only when the upstream declares exactly these (see proxy/table_columns.h).
  std::vector<std::string> columns;
  std::function<void(const PrintContext&, JsonView object, PrintedRow&)> print;
  // When set, the rows of a list response are sorted by it (stable) rather than left in list
  // order: FlowSchemas are listed by matching precedence.
  std::function<bool(JsonView a, JsonView b)> list_order;
  // When set, computed over the objects of a list response and handed to every row's print
  // (PrintContext::list_note): a StorageClass list marks only its effective default.
  std::function<std::string(const std::vector<JsonView>& items)> list_note;
  // Annotations the conversion to kube-apiserver's internal type turns into fields (and so out
  // of the metadata its rows carry with includeObject=Metadata), given key and raw JSON value.
  std::function<bool(std::string_view key, std::string_view value)> internal_annotation;
  // kube-apiserver's default convertor and the CRD convertor write `"rows":null` for an empty
  // list; printers write `[]`.
  bool null_rows_when_empty = false;
};

using PrinterPtr = std::shared_ptr<const Printer>;

// The printer kube-apiserver uses for a built-in resource (group "" for the core group), or
// null when it has none of its own (then the default convertor prints it).
PrinterPtr FindBuiltinPrinter(std::string_view group, std::string_view resource);

// Every built-in printer (tests and fuzzing).
std::vector<PrinterPtr> AllBuiltinPrinters();

// kube-apiserver's default convertor: NAME and CREATED AT (an RFC 3339 time, not an age).
PrinterPtr DefaultPrinter();

// Appends `cell` as Go's encoding/json writes it, elapsed times read at `now`.
void AppendCell(std::string& out, const Cell& cell, std::chrono::system_clock::time_point now);

}  // namespace kcache
