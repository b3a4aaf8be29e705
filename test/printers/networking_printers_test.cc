// The upstream rows are Table rows kube-apiserver 1.37 served for objects made to reach each
// branch (the objects trimmed to what a printer may read), printed again at the moment they were
// served. The other tests reach branches a cluster does not show, with the cells
// pkg/printers/internalversion computes for them.

#include <gtest/gtest.h>

#include "test/printers/print_for_test.h"

namespace kcache {
namespace {

// When the upstream tables were served.
constexpr std::string_view kServedAt = "2026-11-28T23:53:54Z";
// For the hand-made objects.
constexpr std::string_view kNow = "2026-11-28T12:00:00Z";

TEST(NetworkingPrinters, ColumnsAreTheUpstreamColumns) {
  using Columns = std::vector<std::string>;
  EXPECT_EQ(ColumnsOf("networking.k8s.io", "ingresses"),
            (Columns{"Name", "Class", "Hosts", "Address", "Ports", "Age"}));
  EXPECT_EQ(ColumnsOf("networking.k8s.io", "ingressclasses"),
            (Columns{"Name", "Controller", "Parameters", "Age"}));
  EXPECT_EQ(ColumnsOf("networking.k8s.io", "networkpolicies"),
            (Columns{"Name", "Pod-Selector", "Age"}));
  EXPECT_EQ(ColumnsOf("networking.k8s.io", "servicecidrs"), (Columns{"Name", "CIDRs", "Age"}));
  EXPECT_EQ(ColumnsOf("networking.k8s.io", "ipaddresses"), (Columns{"Name", "ParentRef"}));
  EXPECT_EQ(ColumnsOf("discovery.k8s.io", "endpointslices"),
            (Columns{"Name", "AddressType", "Ports", "Endpoints", "Age"}));
}

// --- Ingresses ---

TEST(IngressPrinter, UpstreamRows) {
  ExpectUpstreamRows("networking.k8s.io", "ingresses", kServedAt, {
    {R"json({"kind":"Ingress","apiVersion":"networking.k8s.io/v1","metadata":{"name":"backend-only","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:43Z"},"spec":{"ingressClassName":"printers-apps-default","defaultBackend":{"service":{"name":"web","port":{"number":80}}}},"status":{"loadBalancer":{}}})json",
     {R"("backend-only")", R"("printers-apps-default")", R"("*")", R"("")", R"("80")", R"("71s")"}},
    {R"json({"kind":"Ingress","apiVersion":"networking.k8s.io/v1","metadata":{"name":"many-hosts","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:43Z"},"spec":{"ingressClassName":"printers-apps-plain","tls":[{"hosts":["a.example.com"],"secretName":"tls"}],"rules":[{"host":"a.example.com","http":{"paths":[{"path":"/","backend":{"service":{"name":"web","port":{"number":80}}}}]}},{"http":{"paths":[{"path":"/x","backend":{"service":{"name":"web","port":{"number":80}}}}]}},{"host":"b.example.com","http":{"paths":[{"path":"/","backend":{"service":{"name":"web","port":{"number":80}}}}]}},{"host":"c.example.com","http":{"paths":[{"path":"/","backend":{"service":{"name":"web","port":{"number":80}}}}]}},{"host":"d.example.com","http":{"paths":[{"path":"/","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]},"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.1"}]}}})json",
     {R"("many-hosts")", R"("printers-apps-plain")", R"("a.example.com,b.example.com,c.example.com + 2 more...")", R"("192.0.2.1")", R"("80, 443")", R"("71s")"}},
    {R"json({"kind":"Ingress","apiVersion":"networking.k8s.io/v1","metadata":{"name":"no-class","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:50Z"},"spec":{"defaultBackend":{"service":{"name":"web","port":{"number":80}}},"tls":[{"secretName":"x"}]},"status":{"loadBalancer":{}}})json",
     {R"("no-class")", R"("\u003cnone\u003e")", R"("*")", R"("")", R"("80, 443")", R"("64s")"}},
    {R"json({"kind":"Ingress","apiVersion":"networking.k8s.io/v1","metadata":{"name":"three-hosts-then-empty","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:43Z"},"spec":{"ingressClassName":"printers-apps-default","rules":[{"host":"a.example.com","http":{"paths":[{"path":"/","backend":{"service":{"name":"web","port":{"number":80}}}}]}},{"host":"b.example.com","http":{"paths":[{"path":"/","backend":{"service":{"name":"web","port":{"number":80}}}}]}},{"host":"c.example.com","http":{"paths":[{"path":"/","backend":{"service":{"name":"web","port":{"number":80}}}}]}},{"http":{"paths":[{"path":"/y","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]},"status":{"loadBalancer":{}}})json",
     {R"("three-hosts-then-empty")", R"("printers-apps-default")", R"("a.example.com,b.example.com,c.example.com + 1 more...")", R"("")", R"("80")", R"("71s")"}},
    {R"json({"kind":"Ingress","apiVersion":"networking.k8s.io/v1","metadata":{"name":"with-status","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:43Z"},"spec":{"ingressClassName":"printers-apps-default","rules":[{"host":"s.example.com","http":{"paths":[{"path":"/","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]},"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.10"},{"hostname":"lb.example.com"},{"ip":"192.0.2.9","hostname":"ignored.example.com"},{"ip":"192.0.2.10"},{"hostname":"a-long-hostname-for-the-balancer.example.com"}]}}})json",
     {R"("with-status")", R"("printers-apps-default")", R"("s.example.com")", R"("192.0.2.10,192.0.2.9,a-long-hostname-for-the-balancer.example.com,lb.example.com")", R"("80")", R"("71s")"}},
  });
}

std::string HostsOf(std::string_view rules) {
  std::string ingress = R"({"metadata":{"name":"i"},"spec":{"rules":)" + std::string(rules) + "}}";
  return CellsOf("networking.k8s.io", "ingresses", ingress, kNow)[2];
}

TEST(IngressPrinter, HostsCountRulesNotHosts) {
  EXPECT_EQ(HostsOf(R"([{"host":"a"},{"host":"b"},{"host":"c"}])"), R"("a,b,c")");
  // Rules without a host before the third host are skipped and not counted as more.
  EXPECT_EQ(HostsOf(R"([{},{},{},{},{"host":"a"}])"), R"("a")");
  EXPECT_EQ(HostsOf(R"([{"host":"a"},{},{"host":"b"},{"host":"c"},{},{}])"),
            R"("a,b,c + 3 more...")");
  EXPECT_EQ(HostsOf("[]"), R"("*")");
}

TEST(IngressPrinter, AddressesAreSortedAndNeverShortened) {
  std::string ingress = R"({"metadata":{"name":"i","creationTimestamp":"2026-11-28T11:58:00Z"},
    "spec":{"ingressClassName":"nginx","tls":[]},
    "status":{"loadBalancer":{"ingress":[{"hostname":"z.example.com"},{"ip":"2001:db8::1"},{},
      {"ip":"10.0.0.10"},{"ip":"10.0.0.9","hostname":"ignored"}]}}})";
  EXPECT_EQ(CellsOf("networking.k8s.io", "ingresses", ingress, kNow),
            (std::vector<std::string>{R"("i")", R"("nginx")", R"("*")",
                                      R"("10.0.0.10,10.0.0.9,2001:db8::1,z.example.com")",
                                      R"("80")", R"("2m")"}));
}

// --- IngressClasses ---

TEST(IngressClassPrinter, UpstreamRows) {
  ExpectUpstreamRows("networking.k8s.io", "ingressclasses", "2026-11-28T23:52:46Z", {
    {R"json({"kind":"IngressClass","apiVersion":"networking.k8s.io/v1","metadata":{"name":"printers-apps-core-params","creationTimestamp":"2026-11-28T23:52:43Z","annotations":{"ingressclass.kubernetes.io/is-default-class":"TRUE"}},"spec":{"controller":"example.com/other","parameters":{"kind":"ConfigMap","name":"params","scope":"Namespace","namespace":"printers-apps"}}})json",
     {R"("printers-apps-core-params")", R"("example.com/other")", R"("ConfigMap/params")", R"("3s")"}},
    {R"json({"kind":"IngressClass","apiVersion":"networking.k8s.io/v1","metadata":{"name":"printers-apps-default","creationTimestamp":"2026-11-28T23:52:43Z","annotations":{"ingressclass.kubernetes.io/is-default-class":"true"}},"spec":{"controller":"example.com/ingress-controller","parameters":{"apiGroup":"k8s.example.com","kind":"IngressParameters","name":"external-lb","scope":"Cluster"}}})json",
     {R"x("printers-apps-default (default)")x", R"("example.com/ingress-controller")", R"("IngressParameters.k8s.example.com/external-lb")", R"("3s")"}},
    {R"json({"kind":"IngressClass","apiVersion":"networking.k8s.io/v1","metadata":{"name":"printers-apps-plain","creationTimestamp":"2026-11-28T23:52:43Z"},"spec":{"controller":"example.com/plain"}})json",
     {R"("printers-apps-plain")", R"("example.com/plain")", R"("\u003cnone\u003e")", R"("3s")"}},
  });
}

TEST(IngressClassPrinter, AnEmptyApiGroupStillPrintsItsDot) {
  std::string ingress_class = R"({"metadata":{"name":"c","annotations":{
      "ingressclass.kubernetes.io/is-default-class":"yes"}},
    "spec":{"controller":"example.com/c","parameters":{"apiGroup":"","kind":"K","name":"n"}}})";
  auto cells = CellsOf("networking.k8s.io", "ingressclasses", ingress_class, kNow);
  EXPECT_EQ(cells[0], R"("c")");
  EXPECT_EQ(cells[2], R"("K./n")");
}

// --- NetworkPolicies ---

TEST(NetworkPolicyPrinter, UpstreamRows) {
  ExpectUpstreamRows("networking.k8s.io", "networkpolicies", kServedAt, {
    {R"json({"kind":"NetworkPolicy","apiVersion":"networking.k8s.io/v1","metadata":{"name":"all-pods","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:43Z"},"spec":{"podSelector":{},"policyTypes":["Ingress"]}})json",
     {R"("all-pods")", R"("\u003cnone\u003e")", R"("71s")"}},
    {R"json({"kind":"NetworkPolicy","apiVersion":"networking.k8s.io/v1","metadata":{"name":"selected","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:43Z"},"spec":{"podSelector":{"matchLabels":{"role":"db"},"matchExpressions":[{"key":"tier","operator":"NotIn","values":["web","cache"]},{"key":"audited","operator":"DoesNotExist"}]},"policyTypes":["Ingress"]}})json",
     {R"("selected")", R"x("!audited,role=db,tier notin (cache,web)")x", R"("71s")"}},
  });
}

// --- ServiceCIDRs ---

TEST(ServiceCidrPrinter, UpstreamRows) {
  ExpectUpstreamRows("networking.k8s.io", "servicecidrs", kServedAt, {
    {R"json({"kind":"ServiceCIDR","apiVersion":"networking.k8s.io/v1","metadata":{"name":"kubernetes","creationTimestamp":"2026-11-28T23:47:17Z","finalizers":["networking.k8s.io/service-cidr-finalizer"]},"spec":{"cidrs":["10.96.0.0/16"]},"status":{"conditions":[{"type":"Ready","status":"True","reason":""}]}})json",
     {R"("kubernetes")", R"("10.96.0.0/16")", R"("6m37s")"}},
  });
}

TEST(ServiceCidrPrinter, DualStack) {
  std::string cidr = R"({"metadata":{"name":"c","creationTimestamp":"2026-11-28T08:00:00Z"},
    "spec":{"cidrs":["10.0.0.0/16","fd00::/108"]}})";
  EXPECT_EQ(CellsOf("networking.k8s.io", "servicecidrs", cidr, kNow),
            (std::vector<std::string>{R"("c")", R"("10.0.0.0/16,fd00::/108")", R"("4h")"}));
}

// --- IPAddresses ---

// kube-apiserver declares two columns for IPAddresses but prints three cells, the age last; the
// printer does the same, so these tests print without PrintForTest's check that they agree.
std::vector<std::string> IpAddressCells(const std::string& object, std::string_view now) {
  PrinterPtr printer = FindBuiltinPrinter("networking.k8s.io", "ipaddresses");
  if (!printer) {
    ADD_FAILURE() << "no printer";
    return {};
  }
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  EXPECT_EQ(parser.parse(object).get(element), simdjson::SUCCESS) << object;
  PrintedRow row;
  printer->print(PrintContext{}, JsonView(element), row);
  std::vector<std::string> cells;
  for (const Cell& cell : row.cells) {
    cells.emplace_back();
    AppendCell(cells.back(), cell, At(now));
  }
  return cells;
}

TEST(IpAddressPrinter, UpstreamRows) {
  std::vector<UpstreamRow> rows = {
    {R"json({"kind":"IPAddress","apiVersion":"networking.k8s.io/v1","metadata":{"name":"10.96.0.1","creationTimestamp":"2026-11-28T23:47:18Z"},"spec":{"parentRef":{"resource":"services","namespace":"default","name":"kubernetes"}}})json",
     {R"("10.96.0.1")", R"("services/default/kubernetes")", R"("6m36s")"}},
    {R"json({"kind":"IPAddress","apiVersion":"networking.k8s.io/v1","metadata":{"name":"10.96.112.19","creationTimestamp":"2026-11-28T23:51:41Z"},"spec":{"parentRef":{"resource":"services","namespace":"printers-core","name":"svc-externalips"}}})json",
     {R"("10.96.112.19")", R"("services/printers-core/svc-externalips")", R"("2m13s")"}},
  };
  for (const UpstreamRow& row : rows) {
    EXPECT_EQ(IpAddressCells(row.object, kServedAt), row.cells) << row.object;
  }
}

TEST(IpAddressPrinter, ParentReferences) {
  auto parent = [](std::string_view spec) {
    return IpAddressCells(R"({"metadata":{"name":"10.0.0.1"},"spec":)" + std::string(spec) + "}",
                          kNow)[1];
  };
  // The group and resource are lower-cased, the namespace and name kept.
  EXPECT_EQ(parent(R"({"parentRef":{"group":"Gateway.Networking.k8s.io","resource":"Gateways",
                       "namespace":"Edge","name":"Main"}})"),
            R"("gateways.gateway.networking.k8s.io/Edge/Main")");
  EXPECT_EQ(parent(R"({"parentRef":{"resource":"nodes","name":"n1"}})"), R"("nodes/n1")");
  EXPECT_EQ(parent("{}"), R"("\u003cnone\u003e")");
}

// --- EndpointSlices ---

TEST(EndpointSlicePrinter, UpstreamRows) {
  ExpectUpstreamRows("discovery.k8s.io", "endpointslices", kServedAt, {
    {R"json({"kind":"EndpointSlice","apiVersion":"discovery.k8s.io/v1","metadata":{"name":"manual-empty","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:43Z"},"addressType":"IPv6","endpoints":null,"ports":null})json",
     {R"("manual-empty")", R"("IPv6")", R"("\u003cunset\u003e")", R"("\u003cunset\u003e")", R"("71s")"}},
    {R"json({"kind":"EndpointSlice","apiVersion":"discovery.k8s.io/v1","metadata":{"name":"manual-fqdn","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:43Z"},"addressType":"FQDN","endpoints":[{"addresses":["one.example.com"],"conditions":{}},{"addresses":["two.example.com"],"conditions":{}},{"addresses":["three.example.com"],"conditions":{}}],"ports":[{"name":"a","port":1},{"name":"b","port":2},{"name":"c","port":3}]})json",
     {R"("manual-fqdn")", R"("FQDN")", R"("1,2,3")", R"("one.example.com,two.example.com,three.example.com")", R"("71s")"}},
    {R"json({"kind":"EndpointSlice","apiVersion":"discovery.k8s.io/v1","metadata":{"name":"manual-many","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:43Z"},"addressType":"IPv4","endpoints":[{"addresses":["10.1.0.1","10.1.0.2"],"conditions":{}},{"addresses":["10.1.0.3"],"conditions":{}},{"addresses":["10.1.0.4","10.1.0.5"],"conditions":{}}],"ports":[{"name":"http","port":80},{"name":"named-only"},{"name":""},{"name":"metrics","port":9090},{"name":"extra","port":9091}]})json",
     {R"("manual-many")", R"("IPv4")", R"("80,named-only, + 2 more...")", R"("10.1.0.1,10.1.0.2,10.1.0.3 + 2 more...")", R"("71s")"}},
  });
}

TEST(EndpointSlicePrinter, PortsAndAddresses) {
  // discovery/v1 defaults a port's missing name to "", so a port with neither prints empty.
  std::string slice = R"({"metadata":{"name":"s","creationTimestamp":"2026-11-27T12:00:00Z"},
    "addressType":"IPv4","ports":[{"port":53},{}],
    "endpoints":[{"addresses":["10.0.0.1"]},{"addresses":[]},{"addresses":["10.0.0.2","10.0.0.3"]},{}]})";
  EXPECT_EQ(CellsOf("discovery.k8s.io", "endpointslices", slice, kNow),
            (std::vector<std::string>{R"("s")", R"("IPv4")", R"("53,")",
                                      R"("10.0.0.1,10.0.0.2,10.0.0.3")", R"("24h")"}));
}

}  // namespace
}  // namespace kcache
