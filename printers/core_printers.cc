#include "printers/builtin.h"
#include "printers/format.h"

namespace kcache {

void AddCorePrinters(PrinterTable& table) { (void)table; }

}  // namespace kcache
