// Networking printers, as pkg/printers/internalversion prints them: networking.k8s.io (Ingresses,
// IngressClasses, NetworkPolicies, ServiceCIDRs, IPAddresses) and discovery.k8s.io
// (EndpointSlices).

#include <algorithm>
#include <string>
#include <vector>

#include "printers/builtin.h"
#include "printers/format.h"

namespace kcache {
namespace {

// The first three entries, then how many more there are; "<unset>" for none.
std::string ListWithMore(const std::vector<std::string>& entries) {
  constexpr size_t kShown = 3;
  if (entries.empty()) return "<unset>";
  std::vector<std::string> shown(entries.begin(),
                                 entries.begin() + std::min(entries.size(), kShown));
  std::string text = Join(shown, ",");
  if (entries.size() > kShown) {
    text += " + " + IntText(static_cast<int64_t>(entries.size() - kShown)) + " more...";
  }
  return text;
}

// --- networking.k8s.io ---

// The hosts of the first rules, at most three. Rules without a host are skipped but counted in
// "+ N more...", which appears as soon as a rule follows the third host.
std::string IngressHosts(JsonView rules) {
  constexpr size_t kShown = 3;
  std::vector<std::string> hosts;
  bool more = false;
  for (JsonView rule : rules.elements()) {
    if (hosts.size() == kShown) more = true;
    if (!more && !rule["host"].str().empty()) hosts.emplace_back(rule["host"].str());
  }
  if (hosts.empty()) return "*";
  std::string text = Join(hosts, ",");
  if (more) text += " + " + IntText(static_cast<int64_t>(rules.size() - kShown)) + " more...";
  return text;
}

void PrintIngress(const PrintContext&, JsonView ingress, PrintedRow& row) {
  JsonView spec = ingress["spec"];
  row.Text(NameOf(ingress));
  row.Text(IsSet(spec["ingressClassName"]) ? std::string(spec["ingressClassName"].str())
                                            : "<none>");
  row.Text(IngressHosts(spec["rules"]));
  // The server prints wide, so the address list is never shortened.
  row.Text(Join(LoadBalancerAddresses(ingress["status"]["loadBalancer"]["ingress"]), ","));
  row.Text(spec["tls"].size() > 0 ? "80, 443" : "80");
  row.Text(AgeOfObject(ingress));
}

// "<kind>[.<apiGroup>]/<name>" of the parameters resource, "<none>" without one.
std::string IngressClassParameters(JsonView parameters) {
  if (!IsSet(parameters)) return "<none>";
  std::string text(parameters["kind"].str());
  if (IsSet(parameters["apiGroup"])) text += "." + std::string(parameters["apiGroup"].str());
  return text + "/" + std::string(parameters["name"].str());
}

void PrintIngressClass(const PrintContext&, JsonView ingress_class, PrintedRow& row) {
  std::string name(NameOf(ingress_class));
  JsonView annotations = ingress_class["metadata"]["annotations"];
  // Exactly "true", as the DefaultIngressClass admission plugin reads it.
  if (annotations["ingressclass.kubernetes.io/is-default-class"].str() == "true") {
    name += " (default)";
  }
  JsonView spec = ingress_class["spec"];
  row.Text(std::move(name));
  row.Text(spec["controller"].str());
  row.Text(IngressClassParameters(spec["parameters"]));
  row.Text(AgeOfObject(ingress_class));
}

void PrintNetworkPolicy(const PrintContext&, JsonView policy, PrintedRow& row) {
  row.Text(NameOf(policy));
  row.Text(FormatLabelSelector(policy["spec"]["podSelector"]));
  row.Text(AgeOfObject(policy));
}

void PrintServiceCidr(const PrintContext&, JsonView cidr, PrintedRow& row) {
  std::vector<std::string> cidrs;
  for (JsonView block : cidr["spec"]["cidrs"].elements()) cidrs.emplace_back(block.str());
  row.Text(NameOf(cidr));
  row.Text(Join(cidrs, ","));
  row.Text(AgeOfObject(cidr));
}

// "<resource>[.<group>][/<namespace>]/<name>" in lower case (the group and resource only), or
// "<none>".
std::string IpAddressParent(JsonView parent) {
  if (!IsSet(parent)) return "<none>";
  std::string text(parent["resource"].str());
  if (!parent["group"].str().empty()) text += "." + std::string(parent["group"].str());
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (!parent["namespace"].str().empty()) text += "/" + std::string(parent["namespace"].str());
  return text + "/" + std::string(parent["name"].str());
}

// Two columns but three cells: kube-apiserver declares no Age column for IPAddresses yet prints
// the age, and clients show the cells the columns name.
void PrintIpAddress(const PrintContext&, JsonView address, PrintedRow& row) {
  row.Text(NameOf(address));
  row.Text(IpAddressParent(address["spec"]["parentRef"]));
  row.Text(AgeOfObject(address));
}

// --- discovery.k8s.io ---

// Each port's number, else its name: discovery/v1 defaults a missing name to "", so a port with
// neither prints empty (Go's "*" for a nil name cannot happen after defaulting).
std::string EndpointSlicePorts(JsonView ports) {
  std::vector<std::string> texts;
  for (JsonView port : ports.elements()) {
    texts.push_back(IsSet(port["port"]) ? IntText(port["port"].i64())
                                        : std::string(port["name"].str()));
  }
  return ListWithMore(texts);
}

std::string EndpointSliceAddresses(JsonView endpoints) {
  std::vector<std::string> addresses;
  for (JsonView endpoint : endpoints.elements()) {
    for (JsonView address : endpoint["addresses"].elements()) addresses.emplace_back(address.str());
  }
  return ListWithMore(addresses);
}

void PrintEndpointSlice(const PrintContext&, JsonView slice, PrintedRow& row) {
  row.Text(NameOf(slice));
  row.Text(slice["addressType"].str());
  row.Text(EndpointSlicePorts(slice["ports"]));
  row.Text(EndpointSliceAddresses(slice["endpoints"]));
  row.Text(AgeOfObject(slice));
}

}  // namespace

void AddNetworkingPrinters(PrinterTable& table) {
  AddPrinter(table, "networking.k8s.io", "ingresses",
             {.columns = {"Name", "Class", "Hosts", "Address", "Ports", "Age"},
              .print = PrintIngress});
  AddPrinter(table, "networking.k8s.io", "ingressclasses",
             {.columns = {"Name", "Controller", "Parameters", "Age"},
              .print = PrintIngressClass});
  AddPrinter(table, "networking.k8s.io", "networkpolicies",
             {.columns = {"Name", "Pod-Selector", "Age"}, .print = PrintNetworkPolicy});
  AddPrinter(table, "networking.k8s.io", "servicecidrs",
             {.columns = {"Name", "CIDRs", "Age"}, .print = PrintServiceCidr});
  AddPrinter(table, "networking.k8s.io", "ipaddresses",
             {.columns = {"Name", "ParentRef"}, .print = PrintIpAddress});
  AddPrinter(table, "discovery.k8s.io", "endpointslices",
             {.columns = {"Name", "AddressType", "Ports", "Endpoints", "Age"},
              .print = PrintEndpointSlice});
}

}  // namespace kcache
