#include "printers/builtin.h"
#include "printers/format.h"

namespace kcache {

void AddClusterPrinters(PrinterTable& table) { (void)table; }

}  // namespace kcache
