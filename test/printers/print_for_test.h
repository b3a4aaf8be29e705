#pragma once
// Runs a built-in printer on one object at a fixed time and returns its cells as JSON text, so
// tests compare them with cells copied from kube-apiserver's Table responses.

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "printers/format.h"
#include "printers/printer.h"

namespace kcache {

// The time `rfc3339` names, as the clock that reads elapsed-time cells.
inline std::chrono::system_clock::time_point At(std::string_view rfc3339) {
  auto nanos = ParseRfc3339(rfc3339);
  EXPECT_TRUE(nanos) << rfc3339;
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::nanoseconds(nanos.value_or(0))));
}

struct PrintedForTest {
  std::vector<std::string> cells;  // each cell as JSON ("\"web\"", "3", "null")
  std::string conditions;
  std::vector<std::string> columns;
};

inline PrintedForTest PrintForTest(const PrinterPtr& printer, const std::string& object_json,
                                   std::string_view now) {
  PrintedForTest out;
  if (!printer) {
    ADD_FAILURE() << "no printer";
    return out;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  auto error = parser.parse(object_json).get(element);
  EXPECT_EQ(error, simdjson::SUCCESS) << object_json;
  if (error) return out;
  PrintedRow row;
  printer->print(PrintContext{}, JsonView(element), row);
  for (const Cell& cell : row.cells) {
    std::string text;
    AppendCell(text, cell, At(now));
    out.cells.push_back(text);
  }
  out.conditions = row.conditions;
  out.columns = printer->columns;
  EXPECT_EQ(row.cells.size(), printer->columns.size()) << "cells and columns differ in number";
  return out;
}

// The cells of `object_json` printed by the built-in printer of group/resource.
inline std::vector<std::string> CellsOf(std::string_view group, std::string_view resource,
                                        const std::string& object_json, std::string_view now) {
  return PrintForTest(FindBuiltinPrinter(group, resource), object_json, now).cells;
}

// The names of the columns a built-in printer declares (none when there is no printer).
inline std::vector<std::string> ColumnsOf(std::string_view group, std::string_view resource) {
  PrinterPtr printer = FindBuiltinPrinter(group, resource);
  return printer ? printer->columns : std::vector<std::string>{};
}

// An object as kube-apiserver served it in a Table row, with that row's cells (as JSON).
struct UpstreamRow {
  std::string object;
  std::vector<std::string> cells;
};

inline void ExpectUpstreamRows(std::string_view group, std::string_view resource,
                               std::string_view now, const std::vector<UpstreamRow>& rows) {
  for (const UpstreamRow& row : rows) {
    SCOPED_TRACE(row.object.substr(0, 120));
    EXPECT_EQ(CellsOf(group, resource, row.object, now), row.cells);
  }
}

// The same, with the row's cells as the JSON array text the upstream wrote, wrapped over lines
// between cells.
struct WrappedUpstreamRow {
  std::string_view object;
  std::string_view cells;
};

// `text` without the line breaks (and the indentation after them) that wrap it between cells.
inline std::string Unwrapped(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') {
      out += text[i];
      continue;
    }
    while (i + 1 < text.size() && text[i + 1] == ' ') ++i;
  }
  return out;
}

inline std::string PrintedCells(std::string_view group, std::string_view resource,
                                std::string_view object, std::string_view now) {
  std::string out = "[";
  for (const std::string& cell : CellsOf(group, resource, std::string(object), now)) {
    if (out.size() > 1) out += ",";
    out += cell;
  }
  return out + "]";
}

template <size_t N>
void ExpectUpstreamRows(std::string_view group, std::string_view resource, std::string_view now,
                        const WrappedUpstreamRow (&rows)[N]) {
  for (const WrappedUpstreamRow& row : rows) {
    SCOPED_TRACE(row.object);
    EXPECT_EQ(PrintedCells(group, resource, row.object, now), Unwrapped(row.cells));
  }
}

}  // namespace kcache
