// Printers: every built-in printer, CRD printer columns and their JSONPath, on arbitrary input.
// Properties: nothing crashes; a printer fills at least one cell per column; every cell encodes
// as one well-formed JSON value.
//
// Input: the first byte chooses what the rest is: 'p' a JSONPath evaluated on a fixed object,
// 'c' a CustomResourceDefinition whose v1 printer prints a fixed object, anything else an object
// printed by every built-in printer.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "printers/custom_resource_printer.h"
#include "printers/jsonpath.h"
#include "printers/printer.h"
#include "test/fuzz/check.h"

namespace {

using namespace kcache;

constexpr std::string_view kObject =
    R"({"metadata":{"name":"w","creationTimestamp":"2026-01-01T00:00:00Z","labels":{"a":"b"}},)"
    R"("spec":{"size":3,"ratio":1.5,"tags":["x","y"],"on":true,"n":null,)"
    R"("conditions":[{"type":"Ready","status":"True"}]}})";

bool WellFormed(const std::string& json) {
  static simdjson::dom::parser dom;
  simdjson::dom::element element;
  return !dom.parse(json).get(element);
}

void CheckPrint(const Printer& printer, JsonView object, std::string_view input) {
  PrintedRow row;
  printer.print(PrintContext{}, object, row);
  FUZZ_CHECK(row.cells.size() >= printer.columns.size(), fuzz::Escape(input));
  for (const Cell& cell : row.cells) {
    std::string text;
    AppendCell(text, cell, std::chrono::system_clock::now());
    FUZZ_CHECK(WellFormed(text), fuzz::Escape(input) + " -> " + fuzz::Escape(text));
  }
}

JsonView ParseView(simdjson::dom::parser& parser, std::string_view json) {
  simdjson::dom::element element;
  if (parser.parse(json.data(), json.size()).get(element)) return {};
  return JsonView(element);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  static simdjson::dom::parser fixed_parser;
  static const JsonView fixed = ParseView(fixed_parser, kObject);
  simdjson::dom::parser parser;
  switch (data[0]) {
    case 'p': {
      auto path = JsonPath::Parse(input);
      if (!path) return 0;
      for (JsonView value : path->Find(fixed)) {
        std::string text = JsonPathText(value);
        (void)text;
      }
      return 0;
    }
    case 'c': {
      JsonView crd = ParseView(parser, input);
      if (!crd.present()) return 0;
      if (PrinterPtr printer = CustomResourcePrinter(crd, "v1")) CheckPrint(*printer, fixed, input);
      return 0;
    }
    default: {
      JsonView object = ParseView(parser, input);
      if (!object.present()) return 0;
      for (const PrinterPtr& printer : AllBuiltinPrinters()) CheckPrint(*printer, object, input);
      CheckPrint(*DefaultPrinter(), object, input);
      return 0;
    }
  }
}
