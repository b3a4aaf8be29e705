#include "printers/custom_resource_printer.h"

#include "printers/format.h"
#include "printers/jsonpath.h"

namespace kcache {
namespace {

struct Column {
  std::string type;
  JsonPath path;
};

// The cell of a non-string column (cellForJSONValue): the value when it has the column's JSON
// type (integers truncated from floats, numbers widened from integers), an age for dates.
void AppendTypedCell(const std::string& type, JsonView value, PrintedRow& row) {
  if (type == "integer" && value.is_integer()) {
    row.Int(value.i64());
  } else if (type == "integer" && value.is_number()) {
    row.Int(static_cast<int64_t>(value.f64()));
  } else if (type == "number" && value.is_integer()) {
    row.Float(static_cast<double>(value.i64()));
  } else if (type == "number" && value.is_number()) {
    row.Float(value.f64());
  } else if (type == "boolean" && value.is_bool()) {
    row.Bool(value.boolean());
  } else if (type == "date" && value.is_string()) {
    std::string_view text = value.str();
    if (text.empty() || text == "null") {
      row.Text("<unknown>");
    } else if (!ParseRfc3339(text)) {
      row.Text("<invalid>");
    } else {
      row.Text(AgeOf(value));
    }
  } else {
    row.Null();
  }
}

}  // namespace

PrinterPtr CustomResourcePrinter(JsonView crd, std::string_view version) {
  JsonView served;
  for (JsonView candidate : crd["spec"]["versions"].elements()) {
    if (candidate["name"].str() == version) served = candidate;
  }
  if (!served.present()) return nullptr;

  Printer printer;
  printer.columns.push_back("Name");
  std::vector<Column> columns;
  for (JsonView column : served["additionalPrinterColumns"].elements()) {
    auto path = JsonPath::Parse(column["jsonPath"].str());
    if (!path) return nullptr;
    printer.columns.emplace_back(column["name"].str());
    columns.push_back({std::string(column["type"].str()), std::move(*path)});
  }
  if (columns.empty()) {
    printer.columns.push_back("Age");
    columns.push_back({"date", *JsonPath::Parse(".metadata.creationTimestamp")});
  }
  printer.print = [columns = std::move(columns)](const PrintContext&, JsonView object,
                                                 PrintedRow& row) {
    row.Text(object["metadata"]["name"].str());
    for (const Column& column : columns) {
      std::vector<JsonView> found = column.path.Find(object);
      if (found.empty()) {
        row.Null();
      } else if (column.type == "string") {
        row.Text(JsonPathText(found.front()));
      } else if (found.front().is_null()) {
        row.Null();
      } else {
        AppendTypedCell(column.type, found.front(), row);
      }
    }
  };
  return std::make_shared<const Printer>(std::move(printer));
}

}  // namespace kcache
