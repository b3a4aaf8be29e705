#pragma once
// Table rows kept with the object versions they print. A printer's cells depend only on the
// object (printers/printer.h), except for elapsed times, which depend on the clock: a row is
// printed once per object version and Table format, as JSON text with those cells left as
// holes, and every response (a list, a watch event to each of many watchers) fills the holes
// with its own clock instead of parsing and printing the object again.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "kube/object.h"
#include "printers/json_view.h"
#include "printers/printer.h"
#include "proxy/table_catalog.h"

namespace kcache {

// `{"cells":[...]` and, when the row has them, `,"conditions":...`: the row without its object
// and closing brace.
class RowJson {
 public:
  // The row `printer` prints for `object` in a response listing with `context`.
  static RowJson Print(const Printer& printer, const PrintContext& context, JsonView object);

  // The row, elapsed times read at `now`.
  void AppendAt(std::string& out, std::chrono::system_clock::time_point now) const;

 private:
  struct Hole {
    size_t at;  // offset in text_ where the cell goes
    ElapsedText text;
  };
  std::string text_;
  std::vector<Hole> holes_;
};

// The row of `object` in `format` with no list_note (a single object, or a list whose printer
// has no list_note), kept with the object version and printed when first asked.
std::shared_ptr<const RowJson> KeptRow(const TableFormat& format, const Object& object);

}  // namespace kcache
