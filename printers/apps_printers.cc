#include "printers/builtin.h"
#include "printers/format.h"

namespace kcache {

void AddAppsPrinters(PrinterTable& table) { (void)table; }

}  // namespace kcache
