// Nodes: NAME STATUS ROLES AGE VERSION INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION
// CONTAINER-RUNTIME (pkg/printers/internalversion printNode).

#include <set>

#include "printers/builtin.h"
#include "printers/format.h"

namespace kcache {
namespace {

std::string FirstAddress(JsonView addresses, std::string_view type) {
  for (JsonView address : addresses.elements()) {
    if (address["type"].str() == type) return std::string(address["address"].str());
  }
  return "<none>";
}

std::string Roles(JsonView labels) {
  constexpr std::string_view kRolePrefix = "node-role.kubernetes.io/";
  std::set<std::string> roles;
  for (auto [key, value] : labels.members()) {
    if (key.starts_with(kRolePrefix)) {
      if (key.size() > kRolePrefix.size()) roles.emplace(key.substr(kRolePrefix.size()));
    } else if (key == "kubernetes.io/role" && !value.str().empty()) {
      roles.emplace(value.str());
    }
  }
  if (roles.empty()) return "<none>";
  return Join({roles.begin(), roles.end()}, ",");
}

void PrintNode(const PrintContext&, JsonView node, PrintedRow& row) {
  JsonView status = node["status"], info = status["nodeInfo"];
  // The last Ready condition decides (Go fills a map by type).
  std::string state;
  for (JsonView condition : status["conditions"].elements()) {
    if (condition["type"].str() != "Ready") continue;
    state = condition["status"].str() == "True" ? "Ready" : "NotReady";
  }
  if (state.empty()) state = "Unknown";
  if (node["spec"]["unschedulable"].boolean()) state += ",SchedulingDisabled";

  row.Text(node["metadata"]["name"].str());
  row.Text(std::move(state));
  row.Text(Roles(node["metadata"]["labels"]));
  row.Text(AgeOf(node["metadata"]["creationTimestamp"]));
  row.Text(info["kubeletVersion"].str());

  auto or_unknown = [](std::string_view text) {
    return text.empty() ? std::string("<unknown>") : std::string(text);
  };
  std::string kernel = or_unknown(info["kernelVersion"].str());
  if (!info["architecture"].str().empty()) {
    kernel += " (" + std::string(info["architecture"].str()) + ")";
  }
  row.Text(FirstAddress(status["addresses"], "InternalIP"));
  row.Text(FirstAddress(status["addresses"], "ExternalIP"));
  row.Text(or_unknown(info["osImage"].str()));
  row.Text(std::move(kernel));
  row.Text(or_unknown(info["containerRuntimeVersion"].str()));
}

}  // namespace

void AddNodePrinters(PrinterTable& table) {
  AddPrinter(table, "", "nodes",
             {.columns = {"Name", "Status", "Roles", "Age", "Version", "Internal-IP",
                          "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"},
              .print = PrintNode});
}

}  // namespace kcache
