// Golden cells of kube-apiserver 1.37.2 for the core printers. The "FromUpstream" cases are real:
// the objects were created on a 1.37.2 cluster and the Table rows fetched with
// includeObject=Object, each object as served (less managedFields, uid and resourceVersion) beside
// its upstream cells. Duration cells (Age, Last Seen, First Seen) are recomputed for kNow by
// apimachinery's HumanDuration from the timestamp the Go printer reads. The other cases are
// hand-made for branches a cluster does not produce easily; their cells are those the printers of
// k8s.io/kubernetes v1.37.2 (pkg/printers/internalversion) give for the objects converted from v1.

#include <gtest/gtest.h>

#include "test/printers/print_for_test.h"

namespace kcache {
namespace {

constexpr std::string_view kNow = "2026-11-29T00:00:00Z";

void ExpectColumns(std::string_view group, std::string_view resource,
                   const std::vector<std::string>& columns) {
  PrinterPtr printer = FindBuiltinPrinter(group, resource);
  ASSERT_TRUE(printer) << group << "/" << resource;
  EXPECT_EQ(printer->columns, columns);
}

TEST(CorePrinters, NamespacesFromUpstream) {
  ExpectColumns("", "namespaces", {"Name", "Status", "Age"});
  ExpectUpstreamRows("", "namespaces", kNow, {
      {R"json({"kind":"Namespace","apiVersion":"v1","metadata":{"name":"printers-core",
        "creationTimestamp":"2026-11-28T23:51:41Z",
        "labels":{"kubernetes.io/metadata.name":"printers-core","owner":"printers-core"}},
        "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}})json",
       {R"("printers-core")", R"("Active")", R"("8m19s")"}},
      {R"json({"kind":"Namespace","apiVersion":"v1","metadata":{"name":"printers-core-terminating",
        "creationTimestamp":"2026-11-28T23:52:53Z","deletionTimestamp":"2026-11-28T23:52:53Z",
        "labels":{"kubernetes.io/metadata.name":"printers-core-terminating"}},
        "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Terminating",
        "conditions":[{"type":"NamespaceDeletionDiscoveryFailure","status":"False",
        "lastTransitionTime":"2026-11-28T23:52:58Z","reason":"ResourcesDiscovered",
        "message":"All resources successfully discovered"},
        {"type":"NamespaceDeletionGroupVersionParsingFailure","status":"False",
        "lastTransitionTime":"2026-11-28T23:52:58Z","reason":"ParsedGroupVersions",
        "message":"All legacy kube types successfully parsed"},
        {"type":"NamespaceDeletionContentFailure","status":"False",
        "lastTransitionTime":"2026-11-28T23:52:58Z","reason":"ContentDeleted",
        "message":"All content successfully deleted, may be waiting on finalization"},
        {"type":"NamespaceContentRemaining","status":"True",
        "lastTransitionTime":"2026-11-28T23:52:58Z","reason":"SomeResourcesRemain",
        "message":"Some resources are remaining: configmaps. has 1 resource instances"},
        {"type":"NamespaceFinalizersRemaining","status":"True",
        "lastTransitionTime":"2026-11-28T23:52:58Z","reason":"SomeFinalizersRemain",
        "message":"Some content in the namespace has finalizers remaining: kcache.example.com/printers-core-hold in 1 resource instances"}]}})json",
       {R"("printers-core-terminating")", R"("Terminating")", R"("7m7s")"}},
  });
}

TEST(CorePrinters, ServicesFromUpstream) {
  ExpectColumns("", "services",
                {"Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"});
  ExpectUpstreamRows("", "services", kNow, {
      {R"json({"kind":"Service","apiVersion":"v1","metadata":{"name":"svc-clusterip",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:41Z"},
        "spec":{"ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":8080},
        {"name":"dns","protocol":"UDP","port":53,"targetPort":53}],"selector":{"app":"rc-web",
        "tier":"front"},"clusterIP":"10.96.210.192","clusterIPs":["10.96.210.192"],
        "type":"ClusterIP","sessionAffinity":"None","ipFamilies":["IPv4"],
        "ipFamilyPolicy":"SingleStack","internalTrafficPolicy":"Cluster"},
        "status":{"loadBalancer":{}}})json",
       {R"("svc-clusterip")", R"("ClusterIP")", R"("10.96.210.192")", R"("\u003cnone\u003e")",
        R"("80/TCP,53/UDP")", R"("8m19s")", R"("app=rc-web,tier=front")"}},
      {R"json({"kind":"Service","apiVersion":"v1","metadata":{"name":"svc-externalips",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:41Z"},
        "spec":{"ports":[{"protocol":"TCP","port":443,"targetPort":443}],
        "clusterIP":"10.96.112.19","clusterIPs":["10.96.112.19"],"type":"ClusterIP",
        "externalIPs":["203.0.113.10","203.0.113.11"],"sessionAffinity":"None",
        "externalTrafficPolicy":"Cluster","ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack",
        "internalTrafficPolicy":"Cluster"},"status":{"loadBalancer":{}}})json",
       {R"("svc-externalips")", R"("ClusterIP")", R"("10.96.112.19")",
        R"("203.0.113.10,203.0.113.11")", R"("443/TCP")", R"("8m19s")", R"("\u003cnone\u003e")"}},
      {R"json({"kind":"Service","apiVersion":"v1","metadata":{"name":"svc-externalname",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:41Z"},
        "spec":{"type":"ExternalName","sessionAffinity":"None","externalName":"db.example.com"},
        "status":{"loadBalancer":{}}})json",
       {R"("svc-externalname")", R"("ExternalName")", R"("\u003cnone\u003e")",
        R"("db.example.com")", R"("\u003cnone\u003e")", R"("8m19s")", R"("\u003cnone\u003e")"}},
      {R"json({"kind":"Service","apiVersion":"v1","metadata":{"name":"svc-headless",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:41Z"},
        "spec":{"selector":{"app":"rc-web"},"clusterIP":"None","clusterIPs":["None"],
        "type":"ClusterIP","sessionAffinity":"None","ipFamilies":["IPv4"],
        "ipFamilyPolicy":"SingleStack","internalTrafficPolicy":"Cluster"},
        "status":{"loadBalancer":{}}})json",
       {R"("svc-headless")", R"("ClusterIP")", R"("None")", R"("\u003cnone\u003e")",
        R"("\u003cnone\u003e")", R"("8m19s")", R"("app=rc-web")"}},
      {R"json({"kind":"Service","apiVersion":"v1","metadata":{"name":"svc-lb-externalips-only",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:45Z"},
        "spec":{"ports":[{"protocol":"TCP","port":80,"targetPort":80,"nodePort":30801}],
        "clusterIP":"10.96.16.88","clusterIPs":["10.96.16.88"],"type":"LoadBalancer",
        "externalIPs":["198.51.100.8","198.51.100.1"],"sessionAffinity":"None",
        "externalTrafficPolicy":"Cluster","ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack",
        "allocateLoadBalancerNodePorts":true,"internalTrafficPolicy":"Cluster"},
        "status":{"loadBalancer":{}}})json",
       {R"("svc-lb-externalips-only")", R"("LoadBalancer")", R"("10.96.16.88")",
        R"("198.51.100.8,198.51.100.1")", R"("80:30801/TCP")", R"("8m15s")",
        R"("\u003cnone\u003e")"}},
      {R"json({"kind":"Service","apiVersion":"v1","metadata":{"name":"svc-lb-ingress",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:45Z"},
        "spec":{"ports":[{"protocol":"TCP","port":80,"targetPort":80,"nodePort":30747}],
        "clusterIP":"10.96.25.131","clusterIPs":["10.96.25.131"],"type":"LoadBalancer",
        "sessionAffinity":"None","externalTrafficPolicy":"Cluster","ipFamilies":["IPv4"],
        "ipFamilyPolicy":"SingleStack","allocateLoadBalancerNodePorts":true,
        "internalTrafficPolicy":"Cluster"},"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.20",
        "ipMode":"VIP"},{"hostname":"lb.example.com"},{"ip":"192.0.2.3","ipMode":"VIP"},
        {"ip":"192.0.2.20","ipMode":"VIP"},{"ip":"192.0.2.5","hostname":"ignored.example.com",
        "ipMode":"VIP"}]}}})json",
       {R"("svc-lb-ingress")", R"("LoadBalancer")", R"("10.96.25.131")",
        R"("192.0.2.20,192.0.2.3,192.0.2.5,lb.example.com")", R"("80:30747/TCP")", R"("8m15s")",
        R"("\u003cnone\u003e")"}},
      {R"json({"kind":"Service","apiVersion":"v1","metadata":{"name":"svc-lb-ingress-externalips",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:41Z"},
        "spec":{"ports":[{"protocol":"TCP","port":80,"targetPort":80}],"clusterIP":"10.96.74.219",
        "clusterIPs":["10.96.74.219"],"type":"LoadBalancer","externalIPs":["198.51.100.9"],
        "sessionAffinity":"None","externalTrafficPolicy":"Cluster","ipFamilies":["IPv4"],
        "ipFamilyPolicy":"SingleStack","allocateLoadBalancerNodePorts":false,
        "internalTrafficPolicy":"Cluster"},
        "status":{"loadBalancer":{"ingress":[{"hostname":"b.example.com"},
        {"hostname":"a.example.com"}]}}})json",
       {R"("svc-lb-ingress-externalips")", R"("LoadBalancer")", R"("10.96.74.219")",
        R"("a.example.com,b.example.com,198.51.100.9")", R"("80/TCP")", R"("8m19s")",
        R"("\u003cnone\u003e")"}},
      {R"json({"kind":"Service","apiVersion":"v1","metadata":{"name":"svc-lb-pending",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:45Z"},
        "spec":{"ports":[{"protocol":"TCP","port":80,"targetPort":80,"nodePort":32578}],
        "clusterIP":"10.96.59.248","clusterIPs":["10.96.59.248"],"type":"LoadBalancer",
        "sessionAffinity":"None","externalTrafficPolicy":"Cluster","ipFamilies":["IPv4"],
        "ipFamilyPolicy":"SingleStack","allocateLoadBalancerNodePorts":true,
        "internalTrafficPolicy":"Cluster"},"status":{"loadBalancer":{}}})json",
       {R"("svc-lb-pending")", R"("LoadBalancer")", R"("10.96.59.248")",
        R"("\u003cpending\u003e")", R"("80:32578/TCP")", R"("8m15s")", R"("\u003cnone\u003e")"}},
      {R"json({"kind":"Service","apiVersion":"v1","metadata":{"name":"svc-nodeport",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:41Z"},
        "spec":{"ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":80,
        "nodePort":30480},{"name":"sctp","protocol":"SCTP","port":9000,"targetPort":9000,
        "nodePort":30504}],"selector":{"app":"rc-web"},"clusterIP":"10.96.188.223",
        "clusterIPs":["10.96.188.223"],"type":"NodePort","sessionAffinity":"None",
        "externalTrafficPolicy":"Cluster","ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack",
        "internalTrafficPolicy":"Cluster"},"status":{"loadBalancer":{}}})json",
       {R"("svc-nodeport")", R"("NodePort")", R"("10.96.188.223")", R"("\u003cnone\u003e")",
        R"("80:30480/TCP,9000:30504/SCTP")", R"("8m19s")", R"("app=rc-web")"}},
      {R"json({"kind":"Service","apiVersion":"v1","metadata":{"name":"svc-nodeport-externalips",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:45Z"},
        "spec":{"ports":[{"protocol":"TCP","port":8080,"targetPort":8080,"nodePort":31899}],
        "clusterIP":"10.96.88.191","clusterIPs":["10.96.88.191"],"type":"NodePort",
        "externalIPs":["198.51.100.7"],"sessionAffinity":"None","externalTrafficPolicy":"Cluster",
        "ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack","internalTrafficPolicy":"Cluster"},
        "status":{"loadBalancer":{}}})json",
       {R"("svc-nodeport-externalips")", R"("NodePort")", R"("10.96.88.191")", R"("198.51.100.7")",
        R"("8080:31899/TCP")", R"("8m15s")", R"("\u003cnone\u003e")"}},
  });
}

TEST(CorePrinters, EndpointsFromUpstream) {
  ExpectColumns("", "endpoints", {"Name", "Endpoints", "Age"});
  ExpectUpstreamRows("", "endpoints", kNow, {
      {R"json({"kind":"Endpoints","apiVersion":"v1","metadata":{"name":"ep-empty",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:54Z"}})json",
       {R"("ep-empty")", R"("\u003cnone\u003e")", R"("8m6s")"}},
      {R"json({"kind":"Endpoints","apiVersion":"v1","metadata":{"name":"ep-exact3",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:54Z"},
        "subsets":[{"addresses":[{"ip":"fd00::1"},{"ip":"10.3.0.2"}],"ports":[{"port":8443,
        "protocol":"TCP"}]},{"addresses":[{"ip":"10.3.0.3"}],"ports":[{"port":9090,
        "protocol":"UDP"}]}]})json",
       {R"("ep-exact3")", R"("[fd00::1]:8443,10.3.0.2:8443,10.3.0.3:9090")", R"("8m6s")"}},
      {R"json({"kind":"Endpoints","apiVersion":"v1","metadata":{"name":"ep-headless",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:54Z"},
        "subsets":[{"addresses":[{"ip":"10.1.0.1"},{"ip":"10.1.0.2"}]}]})json",
       {R"("ep-headless")", R"("10.1.0.1,10.1.0.2")", R"("8m6s")"}},
      {R"json({"kind":"Endpoints","apiVersion":"v1","metadata":{"name":"ep-headless-many",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:54Z"},
        "subsets":[{"addresses":[{"ip":"10.1.0.1"},{"ip":"10.1.0.2"}]},
        {"addresses":[{"ip":"10.1.0.3"},{"ip":"10.1.0.4"}]}]})json",
       {R"("ep-headless-many")", R"("10.1.0.1,10.1.0.2,10.1.0.3 + 1 more...")", R"("8m6s")"}},
      {R"json({"kind":"Endpoints","apiVersion":"v1","metadata":{"name":"ep-many",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:54Z"},
        "subsets":[{"addresses":[{"ip":"10.2.0.1"},{"ip":"10.2.0.2"}],
        "notReadyAddresses":[{"ip":"10.2.0.9"}],"ports":[{"name":"a","port":80,"protocol":"TCP"},
        {"name":"b","port":81,"protocol":"TCP"}]},{"addresses":[{"ip":"fd00::5"}],
        "ports":[{"name":"c","port":8443,"protocol":"TCP"}]}]})json",
       {R"("ep-many")", R"("10.2.0.1:80,10.2.0.2:80,10.2.0.1:81 + 2 more...")", R"("8m6s")"}},
      {R"json({"kind":"Endpoints","apiVersion":"v1","metadata":{"name":"ep-mixed-headless-first",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:56Z"},
        "subsets":[{"addresses":[{"ip":"10.5.0.1"},{"ip":"10.5.0.2"},{"ip":"10.5.0.3"}]},
        {"addresses":[{"ip":"10.5.0.4"}],"ports":[{"name":"a","port":80,"protocol":"TCP"},
        {"name":"b","port":81,"protocol":"TCP"}]}]})json",
       {R"("ep-mixed-headless-first")", R"("10.5.0.1,10.5.0.2,10.5.0.3 + 2 more...")", R"("8m4s")"}},
      {R"json({"kind":"Endpoints","apiVersion":"v1","metadata":{"name":"ep-notready-only",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:54Z"},
        "subsets":[{"notReadyAddresses":[{"ip":"10.4.0.1"}],"ports":[{"port":80,
        "protocol":"TCP"}]}]})json",
       {R"("ep-notready-only")", R"("")", R"("8m6s")"}},
      {R"json({"kind":"Endpoints","apiVersion":"v1","metadata":{"name":"svc-clusterip",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:41Z",
        "labels":{"endpoints.kubernetes.io/managed-by":"endpoint-controller"},
        "annotations":{"endpoints.kubernetes.io/last-change-trigger-time":"2026-11-28T23:51:41Z"}},
        "subsets":[{"addresses":[{"ip":"10.244.1.52","nodeName":"kwok-node-4",
        "targetRef":{"kind":"Pod","namespace":"printers-core","name":"rc-web-j67tn",
        "uid":"4fe32818-6cf1-4b55-bcb4-533906f12a24"}},{"ip":"10.244.1.53",
        "nodeName":"kwok-node-0","targetRef":{"kind":"Pod","namespace":"printers-core",
        "name":"rc-web-xhfg4","uid":"ee6d9595-c8dd-4f5d-a5a1-544bace3e62e"}}],
        "ports":[{"name":"http","port":8080,"protocol":"TCP"},{"name":"dns","port":53,
        "protocol":"UDP"}]}]})json",
       {R"("svc-clusterip")", R"("10.244.1.52:8080,10.244.1.53:8080,10.244.1.52:53 + 1 more...")",
        R"("8m19s")"}},
  });
}

TEST(CorePrinters, CoreEventsFromUpstream) {
  ExpectColumns("", "events",
                {"Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message",
                 "First Seen", "Count", "Name"});
  ExpectUpstreamRows("", "events", kNow, {
      {R"json({"kind":"Event","apiVersion":"v1","metadata":{"name":"ev-classic",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:48Z"},
        "involvedObject":{"kind":"Pod","namespace":"printers-core","name":"web-0",
        "fieldPath":"spec.containers{web}"},"reason":"BackOff",
        "message":"  Back-off restarting failed container\n","source":{"component":"kubelet",
        "host":"kwok-node-1"},"firstTimestamp":"2026-11-28T20:00:00Z",
        "lastTimestamp":"2026-11-28T23:30:00Z","count":5,"type":"Warning","eventTime":null,
        "reportingComponent":"","reportingInstance":""})json",
       {R"("30m")", R"("Warning")", R"("BackOff")", R"("pod/web-0")", R"("spec.containers{web}")",
        R"("kubelet, kwok-node-1")", R"("Back-off restarting failed container")", R"("4h")", "5",
        R"("ev-classic")"}},
      {R"json({"kind":"Event","apiVersion":"v1","metadata":{"name":"ev-eventtime",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:48Z"},
        "involvedObject":{"kind":"Pod","namespace":"printers-core","name":"web-1"},
        "reason":"Scheduled","message":"Successfully assigned","source":{},"firstTimestamp":null,
        "lastTimestamp":null,"type":"Normal","eventTime":"2026-11-28T21:15:30.123456Z",
        "action":"Binding","reportingComponent":"default-scheduler",
        "reportingInstance":"default-scheduler-node-a"})json",
       {R"("164m")", R"("Normal")", R"("Scheduled")", R"("pod/web-1")", R"("")",
        R"("default-scheduler, default-scheduler-node-a")", R"("Successfully assigned")",
        R"("164m")", "1", R"("ev-eventtime")"}},
      {R"json({"kind":"Event","apiVersion":"v1","metadata":{"name":"ev-first-only",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:48Z"},
        "involvedObject":{"kind":"ReplicationController","namespace":"printers-core",
        "name":"rc-web"},"reason":"SuccessfulCreate","message":"Created pod: rc-web-abcde",
        "source":{"component":"replication-controller"},"firstTimestamp":"2026-11-28T22:00:00Z",
        "lastTimestamp":null,"type":"Normal","eventTime":null,"reportingComponent":"",
        "reportingInstance":""})json",
       {R"("120m")", R"("Normal")", R"("SuccessfulCreate")", R"("replicationcontroller/rc-web")",
        R"("")", R"("replication-controller")", R"("Created pod: rc-web-abcde")", R"("120m")", "1",
        R"("ev-first-only")"}},
      {R"json({"kind":"Event","apiVersion":"v1","metadata":{"name":"ev-kind-only",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:50Z"},
        "involvedObject":{"kind":"Namespace","namespace":"printers-core"},"reason":"Odd",
        "message":"\u00a0unicode spaces around\u2003","source":{"host":"kwok-node-2"},
        "firstTimestamp":null,"lastTimestamp":"2026-11-28T23:00:00Z","type":"Normal",
        "eventTime":null,"reportingComponent":"printers-core-reporter","reportingInstance":""})json",
       {R"("60m")", R"("Normal")", R"("Odd")", R"("namespace")", R"("")",
        R"("printers-core-reporter, kwok-node-2")", R"("unicode spaces around")",
        R"("\u003cunknown\u003e")", "1", R"("ev-kind-only")"}},
      {R"json({"kind":"Event","apiVersion":"v1","metadata":{"name":"ev-nothing",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:50Z"},
        "involvedObject":{"namespace":"printers-core"},"source":{},"firstTimestamp":null,
        "lastTimestamp":null,"eventTime":null,"reportingComponent":"","reportingInstance":""})json",
       {R"("\u003cunknown\u003e")", R"("")", R"("")", R"("")", R"("")", R"("")", R"("")",
        R"("\u003cunknown\u003e")", "1", R"("ev-nothing")"}},
      {R"json({"kind":"Event","apiVersion":"v1","metadata":{"name":"ev-series",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:48Z"},
        "involvedObject":{"kind":"Pod","namespace":"printers-core","name":"web-2"},
        "reason":"Unhealthy","message":"Readiness probe failed",
        "source":{"component":"kubelet-legacy"},"firstTimestamp":null,"lastTimestamp":null,
        "count":3,"type":"Warning","eventTime":"2026-11-28T19:00:00.000001Z","series":{"count":7,
        "lastObservedTime":"2026-11-28T23:40:00.500000Z"},"action":"Probe",
        "reportingComponent":"kubelet","reportingInstance":"kwok-node-3"})json",
       {R"("19m")", R"("Warning")", R"("Unhealthy")", R"("pod/web-2")", R"("")",
        R"("kubelet-legacy, kwok-node-3")", R"("Readiness probe failed")", R"("4h59m")", "7",
        R"("ev-series")"}},
      {R"json({"kind":"Event","apiVersion":"v1","metadata":{"name":"evk-plain",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:48Z"},
        "involvedObject":{"kind":"Pod","namespace":"printers-core","name":"web-3",
        "fieldPath":"spec.initContainers{init}"},"reason":"Pulled","message":"Pulled image",
        "source":{},"firstTimestamp":null,"lastTimestamp":null,"type":"Normal",
        "eventTime":"2026-11-28T23:50:00.250000Z","action":"Pull","reportingComponent":"kubelet",
        "reportingInstance":"kwok-node-4"})json",
       {R"("9m59s")", R"("Normal")", R"("Pulled")", R"("pod/web-3")",
        R"("spec.initContainers{init}")", R"("kubelet, kwok-node-4")", R"("Pulled image")",
        R"("9m59s")", "1", R"("evk-plain")"}},
      {R"json({"kind":"Event","apiVersion":"v1","metadata":{"name":"evk-series",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:48Z"},
        "involvedObject":{"kind":"Deployment","namespace":"printers-core","name":"web",
        "apiVersion":"apps/v1"},"reason":"ScalingReplicaSet",
        "message":"Scaled up replica set web-123 to 3 ","source":{},"firstTimestamp":null,
        "lastTimestamp":null,"type":"Normal","eventTime":"2026-11-28T18:00:00.000000Z",
        "series":{"count":4,"lastObservedTime":"2026-11-28T23:45:00.000000Z"},"action":"Scale",
        "reportingComponent":"deployment-controller","reportingInstance":"kcm-1"})json",
       {R"("15m")", R"("Normal")", R"("ScalingReplicaSet")", R"("deployment/web")", R"("")",
        R"("deployment-controller, kcm-1")", R"("Scaled up replica set web-123 to 3")", R"("6h")",
        "4", R"("evk-series")"}},
      {R"json({"kind":"Event","apiVersion":"v1","metadata":{"name":"pvc-pending.18ec5a90d1863db4",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:09Z"},
        "involvedObject":{"kind":"PersistentVolumeClaim","namespace":"printers-core",
        "name":"pvc-pending","uid":"18d99e15-ab56-4fbb-95b8-807b7a9d4f24","apiVersion":"v1",
        "resourceVersion":"2097"},"reason":"ProvisioningFailed",
        "message":"storageclass.storage.k8s.io \"nonexistent\" not found",
        "source":{"component":"persistentvolume-controller"},
        "firstTimestamp":"2026-11-28T23:52:09Z","lastTimestamp":"2026-11-28T23:52:54Z","count":5,
        "type":"Warning","eventTime":null,"reportingComponent":"persistentvolume-controller",
        "reportingInstance":""})json",
       {R"("7m6s")", R"("Warning")", R"("ProvisioningFailed")",
        R"("persistentvolumeclaim/pvc-pending")", R"("")", R"("persistentvolume-controller")",
        R"("storageclass.storage.k8s.io \"nonexistent\" not found")", R"("7m51s")", "5",
        R"("pvc-pending.18ec5a90d1863db4")"}},
      {R"json({"kind":"Event","apiVersion":"v1","metadata":{"name":"rc-web.18ec5a8a54315cfb",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:41Z"},
        "involvedObject":{"kind":"ReplicationController","namespace":"printers-core",
        "name":"rc-web","uid":"888521cb-e779-408e-84e1-29dcb7559360","apiVersion":"v1",
        "resourceVersion":"1782"},"reason":"SuccessfulCreate",
        "message":"Created pod: rc-web-j67tn","source":{"component":"replication-controller"},
        "firstTimestamp":"2026-11-28T23:51:41Z","lastTimestamp":"2026-11-28T23:51:41Z","count":1,
        "type":"Normal","eventTime":null,"reportingComponent":"replication-controller",
        "reportingInstance":""})json",
       {R"("8m19s")", R"("Normal")", R"("SuccessfulCreate")", R"("replicationcontroller/rc-web")",
        R"("")", R"("replication-controller")", R"("Created pod: rc-web-j67tn")", R"("8m19s")",
        "1", R"("rc-web.18ec5a8a54315cfb")"}},
  });
}

TEST(CorePrinters, EventsGroupEventsFromUpstream) {
  ExpectColumns("events.k8s.io", "events",
                {"Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message",
                 "First Seen", "Count", "Name"});
  ExpectUpstreamRows("events.k8s.io", "events", kNow, {
      {R"json({"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"ev-classic",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:48Z"},"eventTime":null,
        "reason":"BackOff","regarding":{"kind":"Pod","namespace":"printers-core","name":"web-0",
        "fieldPath":"spec.containers{web}"},"note":"  Back-off restarting failed container\n",
        "type":"Warning","deprecatedSource":{"component":"kubelet","host":"kwok-node-1"},
        "deprecatedFirstTimestamp":"2026-11-28T20:00:00Z",
        "deprecatedLastTimestamp":"2026-11-28T23:30:00Z","deprecatedCount":5})json",
       {R"("30m")", R"("Warning")", R"("BackOff")", R"("pod/web-0")", R"("spec.containers{web}")",
        R"("kubelet, kwok-node-1")", R"("Back-off restarting failed container")", R"("4h")", "5",
        R"("ev-classic")"}},
      {R"json({"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"ev-eventtime",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:48Z"},
        "eventTime":"2026-11-28T21:15:30.123456Z","reportingController":"default-scheduler",
        "reportingInstance":"default-scheduler-node-a","action":"Binding","reason":"Scheduled",
        "regarding":{"kind":"Pod","namespace":"printers-core","name":"web-1"},
        "note":"Successfully assigned","type":"Normal","deprecatedSource":{},
        "deprecatedFirstTimestamp":null,"deprecatedLastTimestamp":null})json",
       {R"("164m")", R"("Normal")", R"("Scheduled")", R"("pod/web-1")", R"("")",
        R"("default-scheduler, default-scheduler-node-a")", R"("Successfully assigned")",
        R"("164m")", "1", R"("ev-eventtime")"}},
      {R"json({"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"ev-first-only",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:48Z"},"eventTime":null,
        "reason":"SuccessfulCreate","regarding":{"kind":"ReplicationController",
        "namespace":"printers-core","name":"rc-web"},"note":"Created pod: rc-web-abcde",
        "type":"Normal","deprecatedSource":{"component":"replication-controller"},
        "deprecatedFirstTimestamp":"2026-11-28T22:00:00Z","deprecatedLastTimestamp":null})json",
       {R"("120m")", R"("Normal")", R"("SuccessfulCreate")", R"("replicationcontroller/rc-web")",
        R"("")", R"("replication-controller")", R"("Created pod: rc-web-abcde")", R"("120m")", "1",
        R"("ev-first-only")"}},
      {R"json({"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"ev-kind-only",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:50Z"},"eventTime":null,
        "reportingController":"printers-core-reporter","reason":"Odd",
        "regarding":{"kind":"Namespace","namespace":"printers-core"},
        "note":"\u00a0unicode spaces around\u2003","type":"Normal",
        "deprecatedSource":{"host":"kwok-node-2"},"deprecatedFirstTimestamp":null,
        "deprecatedLastTimestamp":"2026-11-28T23:00:00Z"})json",
       {R"("60m")", R"("Normal")", R"("Odd")", R"("namespace")", R"("")",
        R"("printers-core-reporter, kwok-node-2")", R"("unicode spaces around")",
        R"("\u003cunknown\u003e")", "1", R"("ev-kind-only")"}},
      {R"json({"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"ev-nothing",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:50Z"},"eventTime":null,
        "regarding":{"namespace":"printers-core"},"deprecatedSource":{},
        "deprecatedFirstTimestamp":null,"deprecatedLastTimestamp":null})json",
       {R"("\u003cunknown\u003e")", R"("")", R"("")", R"("")", R"("")", R"("")", R"("")",
        R"("\u003cunknown\u003e")", "1", R"("ev-nothing")"}},
      {R"json({"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"ev-series",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:48Z"},
        "eventTime":"2026-11-28T19:00:00.000001Z","series":{"count":7,
        "lastObservedTime":"2026-11-28T23:40:00.500000Z"},"reportingController":"kubelet",
        "reportingInstance":"kwok-node-3","action":"Probe","reason":"Unhealthy",
        "regarding":{"kind":"Pod","namespace":"printers-core","name":"web-2"},
        "note":"Readiness probe failed","type":"Warning",
        "deprecatedSource":{"component":"kubelet-legacy"},"deprecatedFirstTimestamp":null,
        "deprecatedLastTimestamp":null,"deprecatedCount":3})json",
       {R"("19m")", R"("Warning")", R"("Unhealthy")", R"("pod/web-2")", R"("")",
        R"("kubelet-legacy, kwok-node-3")", R"("Readiness probe failed")", R"("4h59m")", "7",
        R"("ev-series")"}},
      {R"json({"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"evk-plain",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:48Z"},
        "eventTime":"2026-11-28T23:50:00.250000Z","reportingController":"kubelet",
        "reportingInstance":"kwok-node-4","action":"Pull","reason":"Pulled",
        "regarding":{"kind":"Pod","namespace":"printers-core","name":"web-3",
        "fieldPath":"spec.initContainers{init}"},"note":"Pulled image","type":"Normal",
        "deprecatedSource":{},"deprecatedFirstTimestamp":null,"deprecatedLastTimestamp":null})json",
       {R"("9m59s")", R"("Normal")", R"("Pulled")", R"("pod/web-3")",
        R"("spec.initContainers{init}")", R"("kubelet, kwok-node-4")", R"("Pulled image")",
        R"("9m59s")", "1", R"("evk-plain")"}},
      {R"json({"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"evk-series",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:48Z"},
        "eventTime":"2026-11-28T18:00:00.000000Z","series":{"count":4,
        "lastObservedTime":"2026-11-28T23:45:00.000000Z"},
        "reportingController":"deployment-controller","reportingInstance":"kcm-1","action":"Scale",
        "reason":"ScalingReplicaSet","regarding":{"kind":"Deployment","namespace":"printers-core",
        "name":"web","apiVersion":"apps/v1"},"note":"Scaled up replica set web-123 to 3 ",
        "type":"Normal","deprecatedSource":{},"deprecatedFirstTimestamp":null,
        "deprecatedLastTimestamp":null})json",
       {R"("15m")", R"("Normal")", R"("ScalingReplicaSet")", R"("deployment/web")", R"("")",
        R"("deployment-controller, kcm-1")", R"("Scaled up replica set web-123 to 3")", R"("6h")",
        "4", R"("evk-series")"}},
      {R"json({"kind":"Event","apiVersion":"events.k8s.io/v1",
        "metadata":{"name":"pvc-pending.18ec5a90d1863db4","namespace":"printers-core",
        "creationTimestamp":"2026-11-28T23:52:09Z"},"eventTime":null,
        "reportingController":"persistentvolume-controller","reason":"ProvisioningFailed",
        "regarding":{"kind":"PersistentVolumeClaim","namespace":"printers-core",
        "name":"pvc-pending","uid":"18d99e15-ab56-4fbb-95b8-807b7a9d4f24","apiVersion":"v1",
        "resourceVersion":"2097"},"note":"storageclass.storage.k8s.io \"nonexistent\" not found",
        "type":"Warning","deprecatedSource":{"component":"persistentvolume-controller"},
        "deprecatedFirstTimestamp":"2026-11-28T23:52:09Z",
        "deprecatedLastTimestamp":"2026-11-28T23:52:54Z","deprecatedCount":5})json",
       {R"("7m6s")", R"("Warning")", R"("ProvisioningFailed")",
        R"("persistentvolumeclaim/pvc-pending")", R"("")", R"("persistentvolume-controller")",
        R"("storageclass.storage.k8s.io \"nonexistent\" not found")", R"("7m51s")", "5",
        R"("pvc-pending.18ec5a90d1863db4")"}},
      {R"json({"kind":"Event","apiVersion":"events.k8s.io/v1",
        "metadata":{"name":"rc-web-j67tn.18ec5a8a54616993","namespace":"printers-core",
        "creationTimestamp":"2026-11-28T23:51:41Z"},"eventTime":"2026-11-28T23:51:41.581627Z",
        "reportingController":"default-scheduler","reportingInstance":"default-scheduler-vm",
        "action":"Binding","reason":"Scheduled","regarding":{"kind":"Pod",
        "namespace":"printers-core","name":"rc-web-j67tn",
        "uid":"4fe32818-6cf1-4b55-bcb4-533906f12a24","apiVersion":"v1","resourceVersion":"1785"},
        "note":"Successfully assigned printers-core/rc-web-j67tn to kwok-node-4","type":"Normal",
        "deprecatedSource":{},"deprecatedFirstTimestamp":null,"deprecatedLastTimestamp":null})json",
       {R"("8m18s")", R"("Normal")", R"("Scheduled")", R"("pod/rc-web-j67tn")", R"("")",
        R"("default-scheduler, default-scheduler-vm")",
        R"("Successfully assigned printers-core/rc-web-j67tn to kwok-node-4")", R"("8m18s")", "1",
        R"("rc-web-j67tn.18ec5a8a54616993")"}},
  });
}

TEST(CorePrinters, ConfigMapsFromUpstream) {
  ExpectColumns("", "configmaps", {"Name", "Data", "Age"});
  ExpectUpstreamRows("", "configmaps", kNow, {
      {R"json({"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"cm-empty",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:41Z"}})json",
       {R"("cm-empty")", "0", R"("8m19s")"}},
      {R"json({"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"cm-mixed",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:41Z"},"data":{"a":"1",
        "b":"2"},"binaryData":{"bin":"aGVsbG8="}})json",
       {R"("cm-mixed")", "3", R"("8m19s")"}},
  });
}

TEST(CorePrinters, SecretsFromUpstream) {
  ExpectColumns("", "secrets", {"Name", "Type", "Data", "Age"});
  ExpectUpstreamRows("", "secrets", kNow, {
      {R"json({"kind":"Secret","apiVersion":"v1","metadata":{"name":"secret-empty-custom",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:41Z"},
        "type":"example.com/custom"})json",
       {R"("secret-empty-custom")", R"("example.com/custom")", "0", R"("8m19s")"}},
      {R"json({"kind":"Secret","apiVersion":"v1","metadata":{"name":"secret-opaque",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:41Z"},
        "data":{"extra":"eA==","password":"aHVudGVyMg==","user":"YWRtaW4="},"type":"Opaque"})json",
       {R"("secret-opaque")", R"("Opaque")", "3", R"("8m19s")"}},
  });
}

TEST(CorePrinters, ServiceAccountsFromUpstream) {
  ExpectColumns("", "serviceaccounts", {"Name", "Age"});
  ExpectUpstreamRows("", "serviceaccounts", kNow, {
      {R"json({"kind":"ServiceAccount","apiVersion":"v1","metadata":{"name":"sa-builder",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:41Z"}})json",
       {R"("sa-builder")", R"("8m19s")"}},
  });
}

TEST(CorePrinters, PersistentVolumesFromUpstream) {
  ExpectColumns("", "persistentvolumes",
                {"Name", "Capacity", "Access Modes", "Reclaim Policy", "Status", "Claim",
                 "StorageClass", "VolumeAttributesClass", "Reason", "Age", "VolumeMode"});
  ExpectUpstreamRows("", "persistentvolumes", kNow, {
      {R"json({"kind":"PersistentVolume","apiVersion":"v1",
        "metadata":{"name":"printers-core-pv-annotated","creationTimestamp":"2026-11-28T23:52:09Z",
        "annotations":{"pv.kubernetes.io/bound-by-controller":"yes",
        "volume.beta.kubernetes.io/storage-class":"legacy"},
        "finalizers":["kubernetes.io/pv-protection"]},"spec":{"capacity":{"storage":"1500Mi"},
        "hostPath":{"path":"/tmp/printers-core-pv-annotated","type":""},
        "accessModes":["ReadWriteMany","ReadOnlyMany"],"claimRef":{"kind":"PersistentVolumeClaim",
        "namespace":"printers-core","name":"pvc-annotated",
        "uid":"7d477b39-5ddf-40fa-96dc-8cd0030eb64a","apiVersion":"v1","resourceVersion":"2100"},
        "persistentVolumeReclaimPolicy":"Retain","volumeMode":"Filesystem"},
        "status":{"phase":"Bound","lastPhaseTransitionTime":"2026-11-28T23:52:09Z"}})json",
       {R"("printers-core-pv-annotated")", R"("1500Mi")", R"("ROX,RWX")", R"("Retain")",
        R"("Bound")", R"("printers-core/pvc-annotated")", R"("legacy")", R"("\u003cunset\u003e")",
        R"("")", R"("7m51s")", R"("Filesystem")"}},
      {R"json({"kind":"PersistentVolume","apiVersion":"v1","metadata":{"name":"printers-core-pv-bound",
        "creationTimestamp":"2026-11-28T23:52:09Z","finalizers":["kubernetes.io/pv-protection"]},
        "spec":{"capacity":{"storage":"5Gi"},"hostPath":{"path":"/tmp/printers-core-pv-bound",
        "type":""},"accessModes":["ReadWriteOnce","ReadOnlyMany","ReadWriteOnce"],
        "claimRef":{"kind":"PersistentVolumeClaim","namespace":"printers-core","name":"pvc-bound",
        "uid":"1483a5cb-5415-4693-b149-1a0a9e4c2c66","apiVersion":"v1","resourceVersion":"2096"},
        "persistentVolumeReclaimPolicy":"Delete","storageClassName":"manual","volumeMode":"Block"},
        "status":{"phase":"Bound","lastPhaseTransitionTime":"2026-11-28T23:52:09Z"}})json",
       {R"("printers-core-pv-bound")", R"("5Gi")", R"("RWO,ROX")", R"("Delete")", R"("Bound")",
        R"("printers-core/pvc-bound")", R"("manual")", R"("\u003cunset\u003e")", R"("")",
        R"("7m51s")", R"("Block")"}},
      {R"json({"kind":"PersistentVolume","apiVersion":"v1",
        "metadata":{"name":"printers-core-pv-released","creationTimestamp":"2026-11-28T23:52:09Z",
        "finalizers":["kubernetes.io/pv-protection"]},"spec":{"capacity":{"storage":"2Gi"},
        "hostPath":{"path":"/tmp/printers-core-pv-released","type":""},
        "accessModes":["ReadWriteOnce"],"claimRef":{"namespace":"printers-core","name":"pvc-gone",
        "uid":"00000000-0000-0000-0000-000000000001"},"persistentVolumeReclaimPolicy":"Retain",
        "volumeMode":"Filesystem"},"status":{"phase":"Failed","message":"set by printers-core",
        "reason":"VolumeFailedRecycle","lastPhaseTransitionTime":"2026-11-28T23:52:17Z"}})json",
       {R"("printers-core-pv-released")", R"("2Gi")", R"("RWO")", R"("Retain")", R"("Failed")",
        R"("printers-core/pvc-gone")", R"("")", R"("\u003cunset\u003e")",
        R"("VolumeFailedRecycle")", R"("7m51s")", R"("Filesystem")"}},
      {R"json({"kind":"PersistentVolume","apiVersion":"v1","metadata":{"name":"printers-core-pv-rwop",
        "creationTimestamp":"2026-11-28T23:52:09Z","finalizers":["kubernetes.io/pv-protection"]},
        "spec":{"capacity":{"storage":"100M"},"csi":{"driver":"example.csi.k8s.io",
        "volumeHandle":"h1"},"accessModes":["ReadWriteOncePod"],
        "persistentVolumeReclaimPolicy":"Retain","storageClassName":"fast",
        "volumeMode":"Filesystem","volumeAttributesClassName":"gold"},
        "status":{"phase":"Available","lastPhaseTransitionTime":"2026-11-28T23:52:09Z"}})json",
       {R"("printers-core-pv-rwop")", R"("100M")", R"("RWOP")", R"("Retain")", R"("Available")",
        R"("")", R"("fast")", R"("gold")", R"("")", R"("7m51s")", R"("Filesystem")"}},
      {R"json({"kind":"PersistentVolume","apiVersion":"v1",
        "metadata":{"name":"printers-core-pv-terminating",
        "creationTimestamp":"2026-11-28T23:52:09Z","deletionTimestamp":"2026-11-28T23:52:10Z",
        "deletionGracePeriodSeconds":0,
        "annotations":{"pv.kubernetes.io/bound-by-controller":"yes"},
        "finalizers":["kcache.example.com/printers-core-hold","kubernetes.io/pv-protection"]},
        "spec":{"capacity":{"storage":"3Gi"},
        "hostPath":{"path":"/tmp/printers-core-pv-terminating","type":""},
        "accessModes":["ReadWriteOnce"],"claimRef":{"kind":"PersistentVolumeClaim",
        "namespace":"printers-core","name":"pvc-noclass",
        "uid":"9d212178-267f-4ebd-a8c2-9c2cd4245257","apiVersion":"v1","resourceVersion":"2102"},
        "persistentVolumeReclaimPolicy":"Retain","volumeMode":"Filesystem"},
        "status":{"phase":"Bound","lastPhaseTransitionTime":"2026-11-28T23:52:09Z"}})json",
       {R"("printers-core-pv-terminating")", R"("3Gi")", R"("RWO")", R"("Retain")",
        R"("Terminating")", R"("printers-core/pvc-noclass")", R"("")", R"("\u003cunset\u003e")",
        R"("")", R"("7m51s")", R"("Filesystem")"}},
  });
}

TEST(CorePrinters, PersistentVolumeClaimsFromUpstream) {
  ExpectColumns("", "persistentvolumeclaims",
                {"Name", "Status", "Volume", "Capacity", "Access Modes", "StorageClass",
                 "VolumeAttributesClass", "Age", "VolumeMode"});
  ExpectUpstreamRows("", "persistentvolumeclaims", kNow, {
      {R"json({"kind":"PersistentVolumeClaim","apiVersion":"v1","metadata":{"name":"pvc-annotated",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:09Z",
        "annotations":{"pv.kubernetes.io/bind-completed":"yes",
        "pv.kubernetes.io/bound-by-controller":"yes",
        "volume.beta.kubernetes.io/storage-class":"legacy"},
        "finalizers":["kubernetes.io/pvc-protection"]},"spec":{"accessModes":["ReadWriteMany"],
        "resources":{"requests":{"storage":"1Gi"}},"volumeName":"printers-core-pv-annotated",
        "volumeMode":"Filesystem"},"status":{"phase":"Bound","accessModes":["ReadWriteMany",
        "ReadOnlyMany"],"capacity":{"storage":"1500Mi"},"conditions":[{"type":"Unused",
        "status":"True","lastProbeTime":null,"lastTransitionTime":"2026-11-28T23:52:09Z",
        "reason":"NoPodsUsingPVC","message":"No pods are currently referencing this PVC"}]}})json",
       {R"("pvc-annotated")", R"("Bound")", R"("printers-core-pv-annotated")", R"("1500Mi")",
        R"("ROX,RWX")", R"("legacy")", R"("\u003cunset\u003e")", R"("7m51s")", R"("Filesystem")"}},
      {R"json({"kind":"PersistentVolumeClaim","apiVersion":"v1","metadata":{"name":"pvc-bound",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:09Z",
        "annotations":{"pv.kubernetes.io/bind-completed":"yes"},
        "finalizers":["kubernetes.io/pvc-protection"]},"spec":{"accessModes":["ReadWriteOnce"],
        "resources":{"requests":{"storage":"5Gi"}},"volumeName":"printers-core-pv-bound",
        "storageClassName":"manual","volumeMode":"Block"},"status":{"phase":"Bound",
        "accessModes":["ReadWriteOnce","ReadOnlyMany","ReadWriteOnce"],
        "capacity":{"storage":"5Gi"},"conditions":[{"type":"Unused","status":"True",
        "lastProbeTime":null,"lastTransitionTime":"2026-11-28T23:52:09Z","reason":"NoPodsUsingPVC",
        "message":"No pods are currently referencing this PVC"}]}})json",
       {R"("pvc-bound")", R"("Bound")", R"("printers-core-pv-bound")", R"("5Gi")", R"("RWO,ROX")",
        R"("manual")", R"("\u003cunset\u003e")", R"("7m51s")", R"("Block")"}},
      {R"json({"kind":"PersistentVolumeClaim","apiVersion":"v1","metadata":{"name":"pvc-missing-volume",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:09Z",
        "finalizers":["kubernetes.io/pvc-protection"]},"spec":{"accessModes":["ReadWriteOnce"],
        "resources":{"requests":{"storage":"1Gi"}},"volumeName":"printers-core-pv-does-not-exist",
        "storageClassName":"manual","volumeMode":"Filesystem"},"status":{"phase":"Pending"}})json",
       {R"("pvc-missing-volume")", R"("Pending")", R"("printers-core-pv-does-not-exist")",
        R"("0")", R"("")", R"("manual")", R"("\u003cunset\u003e")", R"("7m51s")",
        R"("Filesystem")"}},
      {R"json({"kind":"PersistentVolumeClaim","apiVersion":"v1","metadata":{"name":"pvc-noclass",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:09Z",
        "annotations":{"pv.kubernetes.io/bind-completed":"yes",
        "pv.kubernetes.io/bound-by-controller":"yes"},
        "finalizers":["kubernetes.io/pvc-protection"]},"spec":{"accessModes":["ReadWriteOnce"],
        "resources":{"requests":{"storage":"1Gi"}},"volumeName":"printers-core-pv-terminating",
        "volumeMode":"Filesystem"},"status":{"phase":"Bound","accessModes":["ReadWriteOnce"],
        "capacity":{"storage":"3Gi"},"conditions":[{"type":"Unused","status":"True",
        "lastProbeTime":null,"lastTransitionTime":"2026-11-28T23:52:09Z","reason":"NoPodsUsingPVC",
        "message":"No pods are currently referencing this PVC"}]}})json",
       {R"("pvc-noclass")", R"("Bound")", R"("printers-core-pv-terminating")", R"("3Gi")",
        R"("RWO")", R"("")", R"("\u003cunset\u003e")", R"("7m51s")", R"("Filesystem")"}},
      {R"json({"kind":"PersistentVolumeClaim","apiVersion":"v1","metadata":{"name":"pvc-pending",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:09Z",
        "finalizers":["kubernetes.io/pvc-protection"]},"spec":{"accessModes":["ReadWriteOnce"],
        "resources":{"requests":{"storage":"1Gi"}},"storageClassName":"nonexistent",
        "volumeMode":"Filesystem"},"status":{"phase":"Pending"}})json",
       {R"("pvc-pending")", R"("Pending")", R"("")", R"("")", R"("")", R"("nonexistent")",
        R"("\u003cunset\u003e")", R"("7m51s")", R"("Filesystem")"}},
      {R"json({"kind":"PersistentVolumeClaim","apiVersion":"v1","metadata":{"name":"pvc-terminating",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:09Z",
        "deletionTimestamp":"2026-11-28T23:52:10Z","deletionGracePeriodSeconds":0,
        "finalizers":["kcache.example.com/printers-core-hold"]},
        "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},
        "storageClassName":"nonexistent","volumeMode":"Filesystem"},"status":{"phase":"Pending"}})json",
       {R"("pvc-terminating")", R"("Terminating")", R"("")", R"("")", R"("")", R"("nonexistent")",
        R"("\u003cunset\u003e")", R"("7m51s")", R"("Filesystem")"}},
      {R"json({"kind":"PersistentVolumeClaim","apiVersion":"v1","metadata":{"name":"pvc-vac",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:52:09Z",
        "finalizers":["kubernetes.io/pvc-protection"]},"spec":{"accessModes":["ReadWriteOncePod"],
        "resources":{"requests":{"storage":"1Gi"}},"storageClassName":"fast",
        "volumeMode":"Filesystem","volumeAttributesClassName":"gold"},"status":{"phase":"Pending"}})json",
       {R"("pvc-vac")", R"("Pending")", R"("")", R"("")", R"("")", R"("fast")", R"("gold")",
        R"("7m51s")", R"("Filesystem")"}},
  });
}

TEST(CorePrinters, PodTemplatesFromUpstream) {
  ExpectColumns("", "podtemplates", {"Name", "Containers", "Images", "Pod Labels"});
  ExpectUpstreamRows("", "podtemplates", kNow, {
      {R"json({"kind":"PodTemplate","apiVersion":"v1","metadata":{"name":"tpl-nolabels",
        "namespace":"printers-core","generation":1,"creationTimestamp":"2026-11-28T23:51:41Z"},
        "template":{"metadata":{},"spec":{"containers":[{"name":"only",
        "image":"registry.example.com/only@sha256:0000000000000000000000000000000000000000000000000000000000000000",
        "resources":{},"terminationMessagePath":"/dev/termination-log",
        "terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}],
        "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst",
        "securityContext":{},"schedulerName":"default-scheduler"}}})json",
       {R"("tpl-nolabels")", R"("only")",
        R"("registry.example.com/only@sha256:0000000000000000000000000000000000000000000000000000000000000000")",
        R"("\u003cnone\u003e")"}},
      {R"json({"kind":"PodTemplate","apiVersion":"v1","metadata":{"name":"tpl-two",
        "namespace":"printers-core","generation":1,"creationTimestamp":"2026-11-28T23:51:41Z"},
        "template":{"metadata":{"labels":{"app":"shop","tier":"web"}},
        "spec":{"initContainers":[{"name":"init","image":"alpine:3","resources":{},
        "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
        "imagePullPolicy":"IfNotPresent"}],"containers":[{"name":"web","image":"nginx:1.27",
        "resources":{},"terminationMessagePath":"/dev/termination-log",
        "terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"},{"name":"sidecar",
        "image":"busybox:1.36","resources":{},"terminationMessagePath":"/dev/termination-log",
        "terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}],
        "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst",
        "securityContext":{},"schedulerName":"default-scheduler"}}})json",
       {R"("tpl-two")", R"("web,sidecar")", R"("nginx:1.27,busybox:1.36")",
        R"("app=shop,tier=web")"}},
  });
}

TEST(CorePrinters, ReplicationControllersFromUpstream) {
  ExpectColumns("", "replicationcontrollers",
                {"Name", "Desired", "Current", "Ready", "Age", "Containers", "Images",
                 "Selector"});
  ExpectUpstreamRows("", "replicationcontrollers", kNow, {
      {R"json({"kind":"ReplicationController","apiVersion":"v1","metadata":{"name":"rc-web",
        "namespace":"printers-core","generation":1,"creationTimestamp":"2026-11-28T23:51:41Z",
        "labels":{"app":"rc-web","tier":"front"}},"spec":{"replicas":2,"selector":{"app":"rc-web",
        "tier":"front"},"template":{"metadata":{"labels":{"app":"rc-web","tier":"front"}},
        "spec":{"containers":[{"name":"web","image":"nginx:1.27","resources":{},
        "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
        "imagePullPolicy":"IfNotPresent"},{"name":"log","image":"busybox:1.36","resources":{},
        "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
        "imagePullPolicy":"IfNotPresent"}],"restartPolicy":"Always",
        "terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","securityContext":{},
        "schedulerName":"default-scheduler","tolerations":[{"operator":"Exists"}]}}},
        "status":{"replicas":2,"fullyLabeledReplicas":2,"readyReplicas":2,"availableReplicas":2,
        "observedGeneration":1}})json",
       {R"("rc-web")", "2", "2", "2", R"("8m19s")", R"("web,log")", R"("nginx:1.27,busybox:1.36")",
        R"("app=rc-web,tier=front")"}},
      {R"json({"kind":"ReplicationController","apiVersion":"v1","metadata":{"name":"rc-zero",
        "namespace":"printers-core","generation":1,"creationTimestamp":"2026-11-28T23:51:41Z",
        "labels":{"app":"rc-zero"}},"spec":{"replicas":0,"selector":{"app":"rc-zero"},
        "template":{"metadata":{"labels":{"app":"rc-zero"}},"spec":{"containers":[{"name":"c",
        "image":"busybox","resources":{},"terminationMessagePath":"/dev/termination-log",
        "terminationMessagePolicy":"File","imagePullPolicy":"Always"}],"restartPolicy":"Always",
        "terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","securityContext":{},
        "schedulerName":"default-scheduler"}}},"status":{"replicas":0,"observedGeneration":1}})json",
       {R"("rc-zero")", "0", "0", "0", R"("8m19s")", R"("c")", R"("busybox")", R"("app=rc-zero")"}},
  });
}

TEST(CorePrinters, ResourceQuotasFromUpstream) {
  ExpectColumns("", "resourcequotas", {"Name", "Request", "Limit", "Age"});
  ExpectUpstreamRows("", "resourcequotas", kNow, {
      {R"json({"kind":"ResourceQuota","apiVersion":"v1","metadata":{"name":"quota-empty",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:41Z"},"spec":{},
        "status":{}})json",
       {R"("quota-empty")", R"("")", R"("")", R"("8m19s")"}},
      {R"json({"kind":"ResourceQuota","apiVersion":"v1","metadata":{"name":"quota-limits-only",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:41Z"},
        "spec":{"hard":{"limits.ephemeral-storage":"10Gi"}},
        "status":{"hard":{"limits.ephemeral-storage":"10Gi"},
        "used":{"limits.ephemeral-storage":"0"}}})json",
       {R"("quota-limits-only")", R"("")", R"("limits.ephemeral-storage: 0/10Gi")", R"("8m19s")"}},
      {R"json({"kind":"ResourceQuota","apiVersion":"v1","metadata":{"name":"quota-mixed",
        "namespace":"printers-core","creationTimestamp":"2026-11-28T23:51:41Z"},
        "spec":{"hard":{"configmaps":"50","count/secrets":"30","limits.cpu":"8",
        "limits.memory":"16Gi","pods":"20","requests.cpu":"4","requests.memory":"8Gi",
        "services.nodeports":"20"}},"status":{"hard":{"configmaps":"50","count/secrets":"30",
        "limits.cpu":"8","limits.memory":"16Gi","pods":"20","requests.cpu":"4",
        "requests.memory":"8Gi","services.nodeports":"20"},"used":{"configmaps":"3",
        "count/secrets":"2","limits.cpu":"0","limits.memory":"0","pods":"2","requests.cpu":"0",
        "requests.memory":"0","services.nodeports":"6"}}})json",
       {R"("quota-mixed")",
        R"("configmaps: 3/50, count/secrets: 2/30, pods: 2/20, requests.cpu: 0/4, requests.memory: 0/8Gi, services.nodeports: 6/20")",
        R"("limits.cpu: 0/8, limits.memory: 0/16Gi")", R"("8m19s")"}},
  });
}

TEST(CorePrinters, ComponentStatusesFromUpstream) {
  ExpectColumns("", "componentstatuses", {"Name", "Status", "Message", "Error"});
  ExpectUpstreamRows("", "componentstatuses", kNow, {
      {R"json({"kind":"ComponentStatus","apiVersion":"v1","metadata":{"name":"scheduler"},
        "conditions":[{"type":"Healthy","status":"False",
        "message":"Get \"https://127.0.0.1:10259/healthz\": dial tcp 127.0.0.1:10259: connect: connection refused"}]})json",
       {R"("scheduler")", R"("Unhealthy")",
        R"("Get \"https://127.0.0.1:10259/healthz\": dial tcp 127.0.0.1:10259: connect: connection refused")",
        R"("")"}},
      {R"json({"kind":"ComponentStatus","apiVersion":"v1","metadata":{"name":"controller-manager"},
        "conditions":[{"type":"Healthy","status":"False",
        "message":"Get \"https://127.0.0.1:10257/healthz\": dial tcp 127.0.0.1:10257: connect: connection refused"}]})json",
       {R"("controller-manager")", R"("Unhealthy")",
        R"("Get \"https://127.0.0.1:10257/healthz\": dial tcp 127.0.0.1:10257: connect: connection refused")",
        R"("")"}},
      {R"json({"kind":"ComponentStatus","apiVersion":"v1","metadata":{"name":"etcd-0"},
        "conditions":[{"type":"Healthy","status":"True","message":"ok"}]})json",
       {R"("etcd-0")", R"("Healthy")", R"("ok")", R"("")"}},
  });
}

// ---- Hand-made objects ----

TEST(CorePrinters, ServiceWithoutTypeOrAddresses) {
  // An unknown type has no external address; no cluster IPs and no ports print "<none>".
  std::string service = R"json({"metadata":{"name":"odd"},"spec":{}})json";
  std::vector<std::string> expected = {R"("odd")", R"("")", R"("\u003cnone\u003e")",
                                       R"("\u003cunknown\u003e")", R"("\u003cnone\u003e")",
                                       R"("\u003cunknown\u003e")", R"("\u003cnone\u003e")"};
  EXPECT_EQ(CellsOf("", "services", service, kNow), expected);
}

TEST(CorePrinters, DualStackServiceShowsFirstClusterIp) {
  std::string service = R"json({"metadata":{"name":"dual",
    "creationTimestamp":"2026-11-28T22:30:00Z"},
    "spec":{"type":"LoadBalancer","clusterIP":"fd00::10","clusterIPs":["fd00::10","10.96.0.10"],
      "ports":[{"port":53,"protocol":"UDP","nodePort":31053},{"port":53,"protocol":"TCP"}],
      "selector":{"b":"2","a":"1"}},
    "status":{"loadBalancer":{"ingress":[{"hostname":"z.example.com"},{"ip":"2001:db8::1"}]}}})json";
  std::vector<std::string> expected = {
      R"("dual")", R"("LoadBalancer")", R"("fd00::10")", R"("2001:db8::1,z.example.com")",
      R"("53:31053/UDP,53/TCP")", R"("90m")", R"("a=1,b=2")"};
  EXPECT_EQ(CellsOf("", "services", service, kNow), expected);
}

TEST(CorePrinters, HeadlessEndpointsKeepIpv6Unbracketed) {
  // Without a port there is no host:port to join, so no brackets.
  std::string endpoints = R"json({"metadata":{"name":"v6"},
    "subsets":[{"addresses":[{"ip":"fd00::1"},{"ip":"fd00::2"}]},
               {"addresses":[{"ip":"fd00::3"}],"ports":[{"port":80},{"port":81}]}]})json";
  std::vector<std::string> expected = {R"("v6")", R"("fd00::1,fd00::2,[fd00::3]:80 + 1 more...")",
                                       R"("\u003cunknown\u003e")"};
  EXPECT_EQ(CellsOf("", "endpoints", endpoints, kNow), expected);
}

TEST(CorePrinters, EventSeriesWinsOverLastTimestampAndCount) {
  // A series replaces both the last-seen time and the count, even a zero count.
  std::string event = R"json({"metadata":{"name":"e"},"involvedObject":{"kind":"Pod","name":"p"},
    "firstTimestamp":"2026-11-28T23:00:00Z","lastTimestamp":"2026-11-28T23:59:00Z","count":9,
    "series":{"count":0,"lastObservedTime":"2026-11-28T23:30:00.000000Z"}})json";
  auto cells = CellsOf("", "events", event, kNow);
  ASSERT_EQ(cells.size(), 10u);
  EXPECT_EQ(cells[0], R"("30m")");
  EXPECT_EQ(cells[7], R"("60m")");
  EXPECT_EQ(cells[8], "0");

  std::string unobserved = R"json({"metadata":{"name":"e"},"lastTimestamp":"2026-11-28T23:59:00Z",
    "series":{"count":2,"lastObservedTime":null}})json";
  cells = CellsOf("", "events", unobserved, kNow);
  EXPECT_EQ(cells[0], R"("\u003cunknown\u003e")");
  EXPECT_EQ(cells[8], "2");
}

TEST(CorePrinters, EventSourceWithOnlyAnInstance) {
  // formatEventSource joins even an empty component with the instance.
  std::string event = R"json({"metadata":{"name":"e"},"source":{"host":"node-9"},
    "count":2})json";
  auto cells = CellsOf("", "events", event, kNow);
  ASSERT_EQ(cells.size(), 10u);
  EXPECT_EQ(cells[5], R"(", node-9")");
  EXPECT_EQ(cells[8], "2");
}

TEST(CorePrinters, EventMessageTrimsUnicodeSpace) {
  // strings.TrimSpace: ASCII space and control white space, U+0085, U+00A0, U+1680,
  // U+2000-U+200A, U+2028, U+2029, U+202F, U+205F and U+3000 at either end; not U+200B.
  std::string event = R"json({"metadata":{"name":"e"},
    "message":"\u000b\f\u0085\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000 a \u00a0b\u3000\t\u200b"})json";
  auto cells = CellsOf("", "events", event, kNow);
  ASSERT_EQ(cells.size(), 10u);
  EXPECT_EQ(cells[6], "\"a \u00a0b\u3000\\t\u200b\"");  // U+200B is no space

  std::string trailing = R"json({"metadata":{"name":"e"},"message":"x\u3000\u0085\u00a0\u205f"})json";
  EXPECT_EQ(CellsOf("", "events", trailing, kNow)[6], R"("x")");

  std::string only_space = R"json({"metadata":{"name":"e"},"message":"\u2009\r\n"})json";
  EXPECT_EQ(CellsOf("", "events", only_space, kNow)[6], R"("")");
}

TEST(CorePrinters, EventsGroupReadsItsOwnFieldNames) {
  // events.k8s.io/v1 names: regarding, note, deprecatedSource, deprecated*Timestamp,
  // deprecatedCount, reportingController; core/v1 names in the same object are not read.
  std::string event = R"json({"metadata":{"name":"both"},
    "regarding":{"kind":"Node","name":"n1","fieldPath":"status"},
    "involvedObject":{"kind":"Pod","name":"ignored"},
    "note":" from note ","message":"ignored",
    "deprecatedSource":{"component":"from-source"},"source":{"component":"ignored"},
    "reportingController":"ignored-when-source-set","reportingInstance":"inst",
    "deprecatedFirstTimestamp":"2026-11-28T20:00:00Z","firstTimestamp":"2026-11-28T10:00:00Z",
    "deprecatedLastTimestamp":"2026-11-28T23:00:00Z","lastTimestamp":"2026-11-28T11:00:00Z",
    "deprecatedCount":3,"count":8,"type":"Normal","reason":"R"})json";
  std::vector<std::string> expected = {
      R"("60m")", R"("Normal")", R"("R")", R"("node/n1")", R"("status")",
      R"("from-source, inst")", R"("from note")", R"("4h")", "3", R"("both")"};
  EXPECT_EQ(CellsOf("events.k8s.io", "events", event, kNow), expected);

  std::string new_api_only = R"json({"metadata":{"name":"new"},"eventTime":null,
    "reportingController":"ctrl","deprecatedCount":0})json";
  auto cells = CellsOf("events.k8s.io", "events", new_api_only, kNow);
  ASSERT_EQ(cells.size(), 10u);
  EXPECT_EQ(cells[0], R"("\u003cunknown\u003e")");
  EXPECT_EQ(cells[5], R"("ctrl")");
  EXPECT_EQ(cells[8], "1");
}

TEST(CorePrinters, SecretCountsStringDataKeysOnce) {
  // The v1 to internal conversion writes stringData over data.
  std::string secret = R"json({"metadata":{"name":"s"},"type":"Opaque",
    "data":{"a":"MQ==","b":"Mg=="},"stringData":{"b":"two","c":"three"}})json";
  std::vector<std::string> expected = {R"("s")", R"("Opaque")", "3",
                                       R"("\u003cunknown\u003e")"};
  EXPECT_EQ(CellsOf("", "secrets", secret, kNow), expected);
}

TEST(CorePrinters, PersistentVolumeDefaultsAndEmptyAnnotation) {
  // An empty beta annotation still wins over storageClassName; a claimRef without a namespace
  // keeps the slash; no capacity is the zero quantity; unset pointers print "<unset>".
  std::string volume = R"json({"metadata":{"name":"pv",
    "annotations":{"volume.beta.kubernetes.io/storage-class":""}},
    "spec":{"storageClassName":"ignored","claimRef":{"name":"claim"}},"status":{}})json";
  std::vector<std::string> expected = {
      R"("pv")", R"("0")", R"("")", R"("")", R"("")", R"("/claim")", R"("")",
      R"("\u003cunset\u003e")", R"("")", R"("\u003cunknown\u003e")", R"("\u003cunset\u003e")"};
  EXPECT_EQ(CellsOf("", "persistentvolumes", volume, kNow), expected);
}

TEST(CorePrinters, PersistentVolumeClaimAnnotationBeatsField) {
  std::string claim = R"json({"metadata":{"name":"c",
    "annotations":{"volume.beta.kubernetes.io/storage-class":"old"},
    "deletionTimestamp":"2026-11-28T23:59:00Z","creationTimestamp":"2026-11-28T12:00:00Z"},
    "spec":{"storageClassName":"new","volumeName":"pv-1","volumeAttributesClassName":""},
    "status":{"phase":"Bound","capacity":{"storage":"10Gi"},
      "accessModes":["ReadWriteOncePod","ReadWriteOnce","ReadWriteOnce"]}})json";
  std::vector<std::string> expected = {
      R"("c")", R"("Terminating")", R"("pv-1")", R"("10Gi")", R"("RWO,RWOP")", R"("old")",
      R"("")", R"("12h")", R"("\u003cunset\u003e")"};
  EXPECT_EQ(CellsOf("", "persistentvolumeclaims", claim, kNow), expected);
}

TEST(CorePrinters, ReplicationControllerWithoutTemplate) {
  // A nil replicas pointer reads as 0; no template gives empty container cells.
  std::string controller = R"json({"metadata":{"name":"rc",
    "creationTimestamp":"2026-11-20T00:00:00Z"},"spec":{},"status":{"replicas":1}})json";
  std::vector<std::string> expected = {R"("rc")", "0", "1", "0", R"("9d")", R"("")", R"("")",
                                       R"("\u003cnone\u003e")"};
  EXPECT_EQ(CellsOf("", "replicationcontrollers", controller, kNow), expected);
}

TEST(CorePrinters, ResourceQuotaSortsAndSplitsByLimitsPrefix) {
  // Only names whose first dot-separated piece is "limits" go to the Limit column; a hard
  // limit without usage shows the zero quantity.
  std::string quota = R"json({"metadata":{"name":"q"},
    "status":{"hard":{"requests.nvidia.com/gpu":"2","limits.nvidia.com/gpu":"4","limits":"1",
      "limitsx.cpu":"3","Z":"1","count/jobs.batch":"5"},
      "used":{"requests.nvidia.com/gpu":"1","limits.nvidia.com/gpu":"500m"}}})json";
  std::vector<std::string> expected = {
      R"("q")",
      R"("Z: 0/1, count/jobs.batch: 0/5, limits: 0/1, limitsx.cpu: 0/3, requests.nvidia.com/gpu: 1/2")",
      R"("limits.nvidia.com/gpu: 500m/4")", R"("\u003cunknown\u003e")"};
  EXPECT_EQ(CellsOf("", "resourcequotas", quota, kNow), expected);
}

TEST(CorePrinters, ComponentStatusFirstHealthyConditionDecides) {
  std::string unhealthy = R"json({"metadata":{"name":"etcd-1"},"conditions":[
    {"type":"Other","status":"True","message":"ignored"},
    {"type":"Healthy","status":"Unknown","message":"m","error":"timeout"},
    {"type":"Healthy","status":"True","message":"later"}]})json";
  std::vector<std::string> expected = {R"("etcd-1")", R"("Unhealthy")", R"("m")",
                                       R"("timeout")"};
  EXPECT_EQ(CellsOf("", "componentstatuses", unhealthy, kNow), expected);

  std::string unknown = R"json({"metadata":{"name":"x"}})json";
  expected = {R"("x")", R"("Unknown")", R"("")", R"("")"};
  EXPECT_EQ(CellsOf("", "componentstatuses", unknown, kNow), expected);
}

TEST(CorePrinters, PodTemplateWithoutContainers) {
  std::string pod_template = R"json({"metadata":{"name":"t"},"template":{"spec":{}}})json";
  std::vector<std::string> expected = {R"("t")", R"("")", R"("")", R"("\u003cnone\u003e")"};
  EXPECT_EQ(CellsOf("", "podtemplates", pod_template, kNow), expected);
}

TEST(CorePrinters, ResourcesWithoutPrintersUseTheDefaultConvertor) {
  EXPECT_EQ(FindBuiltinPrinter("", "limitranges"), nullptr);
  EXPECT_EQ(FindBuiltinPrinter("", "bindings"), nullptr);
}

}  // namespace
}  // namespace kcache
