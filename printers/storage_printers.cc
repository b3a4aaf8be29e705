#include "printers/builtin.h"
#include "printers/format.h"

namespace kcache {

void AddStoragePrinters(PrinterTable& table) { (void)table; }

}  // namespace kcache
