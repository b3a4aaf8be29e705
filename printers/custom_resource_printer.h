#pragma once
// Printers for custom resources, from their CustomResourceDefinition as kube-apiserver builds
// them (apiextensions-apiserver tableconvertor): NAME, then the served version's
// additionalPrinterColumns, or AGE when it declares none.

#include <string_view>

#include "printers/json_view.h"
#include "printers/printer.h"

namespace kcache {

// The printer of `version` of the resource `crd` (a CustomResourceDefinition object) defines;
// null when the version is not in the CRD or a column's jsonPath is beyond what kcache
// evaluates (printers/jsonpath.h).
PrinterPtr CustomResourcePrinter(JsonView crd, std::string_view version);

}  // namespace kcache
