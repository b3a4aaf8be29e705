#include "printers/builtin.h"
#include "printers/format.h"

namespace kcache {

void AddNetworkingPrinters(PrinterTable& table) { (void)table; }

}  // namespace kcache
