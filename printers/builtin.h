#pragma once
// The printers of built-in resources, by API group: each file registers its own.

#include <map>
#include <string>

#include "printers/printer.h"

namespace kcache {

// Keyed by "<group>/<resource>" ("/pods" for the core group).
using PrinterTable = std::map<std::string, PrinterPtr, std::less<>>;

void AddPrinter(PrinterTable& table, std::string_view group, std::string_view resource,
                Printer printer);

void AddCorePrinters(PrinterTable& table);      // core_printers.cc (all but pods and nodes)
void AddPodPrinters(PrinterTable& table);       // pod_printer.cc
void AddNodePrinters(PrinterTable& table);      // node_printer.cc
void AddAppsPrinters(PrinterTable& table);      // apps_printers.cc (and batch, autoscaling, policy)
void AddNetworkingPrinters(PrinterTable& table);  // networking_printers.cc (and discovery)
void AddStoragePrinters(PrinterTable& table);   // storage_printers.cc
void AddClusterPrinters(PrinterTable& table);   // cluster_printers.cc (RBAC, certificates,
                                                // coordination, scheduling, node, admission,
                                                // flow control, resource, apiextensions,
                                                // apiregistration, storage migration)

}  // namespace kcache
