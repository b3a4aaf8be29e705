#include "printers/custom_resource_printer.h"

#include <gtest/gtest.h>

#include "test/printers/print_for_test.h"

namespace kcache {
namespace {

constexpr std::string_view kNow = "2026-11-28T12:00:00Z";

PrinterPtr PrinterOf(const std::string& crd, std::string_view version) {
  static std::vector<std::unique_ptr<simdjson::dom::parser>> parsers;
  parsers.push_back(std::make_unique<simdjson::dom::parser>());
  return CustomResourcePrinter(JsonView(parsers.back()->parse(crd).value()), version);
}

const std::string kCrd = R"({"spec":{"versions":[
  {"name":"v1","additionalPrinterColumns":[
    {"name":"Size","type":"integer","jsonPath":".spec.size"},
    {"name":"Ratio","type":"number","jsonPath":".spec.size"},
    {"name":"Whole","type":"integer","jsonPath":".spec.ratio"},
    {"name":"On","type":"boolean","jsonPath":".spec.on"},
    {"name":"Color","type":"string","jsonPath":".spec.color"},
    {"name":"Since","type":"date","jsonPath":".spec.since"},
    {"name":"Wrong","type":"boolean","jsonPath":".spec.size"}]},
  {"name":"v2"}]}})";

TEST(CustomResourcePrinter, TypedCells) {
  auto printed = PrintForTest(PrinterOf(kCrd, "v1"),
                              R"({"metadata":{"name":"w"},"spec":{"size":3,"ratio":2.7,
                              "on":true,"color":"red","since":"2026-11-28T11:58:00Z"}})",
                              kNow);
  std::vector<std::string> expected = {R"("w")", "3", "3", "2", "true", R"("red")",
                                       R"("2m")", "null"};
  EXPECT_EQ(printed.cells, expected);
  EXPECT_EQ(printed.columns,
            (std::vector<std::string>{"Name", "Size", "Ratio", "Whole", "On", "Color", "Since",
                                      "Wrong"}));
}

TEST(CustomResourcePrinter, MissingAndUnparsableValues) {
  auto cells = PrintForTest(PrinterOf(kCrd, "v1"),
                            R"({"metadata":{"name":"w"},"spec":{"since":"yesterday","color":null}})",
                            kNow).cells;
  std::vector<std::string> expected = {R"("w")", "null", "null", "null", "null",
                                       R"("\u003cno value\u003e")", R"("\u003cinvalid\u003e")",
                                       "null"};
  EXPECT_EQ(cells, expected);
  cells = PrintForTest(PrinterOf(kCrd, "v1"), R"({"metadata":{"name":"w"},"spec":{"since":""}})",
                       kNow).cells;
  EXPECT_EQ(cells[6], R"("\u003cunknown\u003e")");
}

TEST(CustomResourcePrinter, AgeWhenTheVersionDeclaresNoColumns) {
  auto printed = PrintForTest(PrinterOf(kCrd, "v2"),
                              R"({"metadata":{"name":"w","creationTimestamp":"2026-11-27T12:00:00Z"}})",
                              kNow);
  EXPECT_EQ(printed.columns, (std::vector<std::string>{"Name", "Age"}));
  EXPECT_EQ(printed.cells, (std::vector<std::string>{R"("w")", R"("24h")"}));
}

TEST(CustomResourcePrinter, NothingForUnknownVersionsOrPaths) {
  EXPECT_FALSE(PrinterOf(kCrd, "v3"));
  EXPECT_FALSE(PrinterOf(R"({"spec":{"versions":[{"name":"v1","additionalPrinterColumns":[
      {"name":"X","type":"string","jsonPath":"..x"}]}]}})", "v1"));
}

}  // namespace
}  // namespace kcache
