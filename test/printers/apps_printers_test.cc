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

TEST(AppsPrinters, ColumnsAreTheUpstreamColumns) {
  using Columns = std::vector<std::string>;
  EXPECT_EQ(ColumnsOf("apps", "deployments"),
            (Columns{"Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images",
                     "Selector"}));
  EXPECT_EQ(ColumnsOf("apps", "replicasets"),
            (Columns{"Name", "Desired", "Current", "Ready", "Age", "Containers", "Images",
                     "Selector"}));
  EXPECT_EQ(ColumnsOf("apps", "statefulsets"),
            (Columns{"Name", "Ready", "Age", "Containers", "Images"}));
  EXPECT_EQ(ColumnsOf("apps", "daemonsets"),
            (Columns{"Name", "Desired", "Current", "Ready", "Up-to-date", "Available",
                     "Node Selector", "Age", "Containers", "Images", "Selector"}));
  EXPECT_EQ(ColumnsOf("apps", "controllerrevisions"),
            (Columns{"Name", "Controller", "Revision", "Age"}));
  EXPECT_EQ(ColumnsOf("batch", "jobs"),
            (Columns{"Name", "Status", "Completions", "Duration", "Age", "Containers", "Images",
                     "Selector"}));
  EXPECT_EQ(ColumnsOf("batch", "cronjobs"),
            (Columns{"Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Age",
                     "Containers", "Images", "Selector"}));
  EXPECT_EQ(ColumnsOf("autoscaling", "horizontalpodautoscalers"),
            (Columns{"Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age"}));
  EXPECT_EQ(ColumnsOf("policy", "poddisruptionbudgets"),
            (Columns{"Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"}));
}

// --- Deployments ---

TEST(DeploymentPrinter, UpstreamRows) {
  ExpectUpstreamRows("apps", "deployments", kServedAt, {
    {R"json({"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"selectors","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:04Z"},"spec":{"replicas":0,"selector":{"matchLabels":{"app":"sel"},"matchExpressions":[{"key":"env","operator":"In","values":["prod","dev","canary"]},{"key":"zone","operator":"NotIn","values":["b","a"]},{"key":"app","operator":"Exists"},{"key":"legacy","operator":"DoesNotExist"}]},"template":{"spec":{"containers":[{"name":"c","image":"registry.example/c:1"}]}}},"status":{"terminatingReplicas":0,"conditions":[{"type":"Available","status":"True","reason":"MinimumReplicasAvailable"},{"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable"}]}})json",
     {R"("selectors")", R"("0/0")", R"(0)", R"(0)", R"("110s")", R"("c")", R"("registry.example/c:1")", R"x("app=sel,app,env in (canary,dev,prod),!legacy,zone notin (a,b)")x"}},
    {R"json({"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"stuck","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:04Z"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"stuck"}},"template":{"spec":{"containers":[{"name":"app","image":"app:2"}],"nodeSelector":{"nowhere":"true"}}}},"status":{"replicas":2,"updatedReplicas":2,"unavailableReplicas":2,"terminatingReplicas":0,"conditions":[{"type":"Available","status":"False","reason":"MinimumReplicasUnavailable"},{"type":"Progressing","status":"True","reason":"ReplicaSetUpdated"}]}})json",
     {R"("stuck")", R"("0/2")", R"(2)", R"(0)", R"("110s")", R"("app")", R"("app:2")", R"("app=stuck")"}},
    {R"json({"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:04Z"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web","tier":"front"}},"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"},{"name":"sidecar","image":"busybox:1.36"}]}}},"status":{"replicas":3,"updatedReplicas":3,"readyReplicas":3,"availableReplicas":3,"terminatingReplicas":0,"conditions":[{"type":"Available","status":"True","reason":"MinimumReplicasAvailable"},{"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable"}]}})json",
     {R"("web")", R"("3/3")", R"(3)", R"(3)", R"("110s")", R"("nginx,sidecar")", R"("nginx:1.27,busybox:1.36")", R"("app=web,tier=front")"}},
  });
}

TEST(DeploymentPrinter, DefaultsReplicasAndPrintsTheSelectorBare) {
  // apps/v1 defaults spec.replicas to 1; a Deployment prints an absent or empty selector as ""
  // and one that does not convert as "<invalid>".
  std::string no_selector = R"({"metadata":{"name":"d","creationTimestamp":"2026-11-28T11:59:00Z"},
    "spec":{"template":{"spec":{"containers":[{"name":"a","image":"a:1"}]}}},
    "status":{"readyReplicas":1,"updatedReplicas":1,"availableReplicas":1}})";
  EXPECT_EQ(CellsOf("apps", "deployments", no_selector, kNow),
            (std::vector<std::string>{R"("d")", R"("1/1")", "1", "1", R"("60s")", R"("a")",
                                      R"("a:1")", R"("")"}));

  std::string empty_selector = R"({"metadata":{"name":"d"},"spec":{"replicas":2,"selector":{}}})";
  auto cells = CellsOf("apps", "deployments", empty_selector, kNow);
  EXPECT_EQ(cells[1], R"("0/2")");
  EXPECT_EQ(cells[4], R"("\u003cunknown\u003e")");
  EXPECT_EQ(cells[7], R"("")");

  std::string bad_operator = R"({"metadata":{"name":"d"},"spec":{"selector":{
    "matchExpressions":[{"key":"a","operator":"Gt","values":["1"]}]}}})";
  EXPECT_EQ(CellsOf("apps", "deployments", bad_operator, kNow)[7], R"("\u003cinvalid\u003e")");
}

// --- ReplicaSets ---

TEST(ReplicaSetPrinter, UpstreamRows) {
  ExpectUpstreamRows("apps", "replicasets", kServedAt, {
    {R"json({"kind":"ReplicaSet","apiVersion":"apps/v1","metadata":{"name":"bare-rs","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:04Z"},"spec":{"replicas":1,"selector":{"matchExpressions":[{"key":"rs","operator":"In","values":["bare"]}]},"template":{"spec":{"containers":[{"name":"one","image":"one:1"},{"name":"two","image":"two:2"}]}}},"status":{"replicas":1,"fullyLabeledReplicas":1,"readyReplicas":1,"availableReplicas":1,"terminatingReplicas":0}})json",
     {R"("bare-rs")", R"(1)", R"(1)", R"(1)", R"("110s")", R"("one,two")", R"("one:1,two:2")", R"x("rs in (bare)")x"}},
    {R"json({"kind":"ReplicaSet","apiVersion":"apps/v1","metadata":{"name":"selectors-8845dff56","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:04Z","ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"selectors","controller":true}]},"spec":{"replicas":0,"selector":{"matchLabels":{"app":"sel","pod-template-hash":"8845dff56"},"matchExpressions":[{"key":"env","operator":"In","values":["prod","dev","canary"]},{"key":"zone","operator":"NotIn","values":["b","a"]},{"key":"app","operator":"Exists"},{"key":"legacy","operator":"DoesNotExist"}]},"template":{"spec":{"containers":[{"name":"c","image":"registry.example/c:1"}]}}},"status":{"replicas":0,"terminatingReplicas":0}})json",
     {R"("selectors-8845dff56")", R"(0)", R"(0)", R"(0)", R"("110s")", R"("c")", R"("registry.example/c:1")", R"x("app=sel,app,env in (canary,dev,prod),!legacy,pod-template-hash=8845dff56,zone notin (a,b)")x"}},
    {R"json({"kind":"ReplicaSet","apiVersion":"apps/v1","metadata":{"name":"stuck-7f6d95f7fc","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:04Z","ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"stuck","controller":true}]},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"stuck","pod-template-hash":"7f6d95f7fc"}},"template":{"spec":{"containers":[{"name":"app","image":"app:2"}],"nodeSelector":{"nowhere":"true"}}}},"status":{"replicas":2,"fullyLabeledReplicas":2,"terminatingReplicas":0}})json",
     {R"("stuck-7f6d95f7fc")", R"(2)", R"(2)", R"(0)", R"("110s")", R"("app")", R"("app:2")", R"("app=stuck,pod-template-hash=7f6d95f7fc")"}},
    {R"json({"kind":"ReplicaSet","apiVersion":"apps/v1","metadata":{"name":"web-578b67768d","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:04Z","ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","controller":true}]},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web","pod-template-hash":"578b67768d","tier":"front"}},"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"},{"name":"sidecar","image":"busybox:1.36"}]}}},"status":{"replicas":3,"fullyLabeledReplicas":3,"readyReplicas":3,"availableReplicas":3,"terminatingReplicas":0}})json",
     {R"("web-578b67768d")", R"(3)", R"(3)", R"(3)", R"("110s")", R"("nginx,sidecar")", R"("nginx:1.27,busybox:1.36")", R"("app=web,pod-template-hash=578b67768d,tier=front")"}},
  });
}

TEST(ReplicaSetPrinter, DefaultsReplicasAndFormatsOddSelectors) {
  std::string empty_selector = R"({"metadata":{"name":"r"},"spec":{"selector":{}}})";
  auto cells = CellsOf("apps", "replicasets", empty_selector, kNow);
  EXPECT_EQ(cells[1], "1");
  EXPECT_EQ(cells[2], "0");
  EXPECT_EQ(cells[7], R"("\u003cnone\u003e")");

  std::string bad_operator = R"({"metadata":{"name":"r"},"spec":{"replicas":0,"selector":{
    "matchExpressions":[{"key":"a","operator":"Gt","values":["1"]}]}}})";
  cells = CellsOf("apps", "replicasets", bad_operator, kNow);
  EXPECT_EQ(cells[1], "0");
  EXPECT_EQ(cells[7], R"("\u003cerror\u003e")");
}

// --- StatefulSets ---

TEST(StatefulSetPrinter, UpstreamRows) {
  ExpectUpstreamRows("apps", "statefulsets", kServedAt, {
    {R"json({"kind":"StatefulSet","apiVersion":"apps/v1","metadata":{"name":"db","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:04Z"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"db"}},"template":{"spec":{"containers":[{"name":"postgres","image":"postgres:17"}]}}},"status":{"replicas":2,"readyReplicas":2,"currentReplicas":2,"updatedReplicas":2,"availableReplicas":2}})json",
     {R"("db")", R"("2/2")", R"("110s")", R"("postgres")", R"("postgres:17")"}},
    {R"json({"kind":"StatefulSet","apiVersion":"apps/v1","metadata":{"name":"empty-sts","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:04Z"},"spec":{"replicas":0,"selector":{"matchLabels":{"app":"empty-sts"}},"template":{"spec":{"containers":[{"name":"a","image":"a:1"},{"name":"b","image":"b:1"}]}}},"status":{"replicas":0,"availableReplicas":0}})json",
     {R"("empty-sts")", R"("0/0")", R"("110s")", R"("a,b")", R"("a:1,b:1")"}},
  });
}

TEST(StatefulSetPrinter, DefaultsReplicas) {
  std::string object = R"({"metadata":{"name":"s","creationTimestamp":"2026-11-25T08:00:00Z"},
    "spec":{"template":{"spec":{"containers":[{"name":"a","image":"a:1"},{"name":"b","image":"b:2"}]}}}})";
  EXPECT_EQ(CellsOf("apps", "statefulsets", object, kNow),
            (std::vector<std::string>{R"("s")", R"("0/1")", R"("3d4h")", R"("a,b")",
                                      R"("a:1,b:2")"}));
}

// --- DaemonSets ---

TEST(DaemonSetPrinter, UpstreamRows) {
  ExpectUpstreamRows("apps", "daemonsets", kServedAt, {
    {R"json({"kind":"DaemonSet","apiVersion":"apps/v1","metadata":{"name":"agent","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:04Z"},"spec":{"selector":{"matchLabels":{"app":"agent"}},"template":{"spec":{"containers":[{"name":"agent","image":"agent:3"}],"nodeSelector":{"kubernetes.io/os":"linux","type":"kwok"}}}},"status":{"currentNumberScheduled":5,"numberMisscheduled":0,"desiredNumberScheduled":5,"numberReady":5,"updatedNumberScheduled":5,"numberAvailable":5}})json",
     {R"("agent")", R"(5)", R"(5)", R"(5)", R"(5)", R"(5)", R"("kubernetes.io/os=linux,type=kwok")", R"("110s")", R"("agent")", R"("agent:3")", R"("app=agent")"}},
    {R"json({"kind":"DaemonSet","apiVersion":"apps/v1","metadata":{"name":"everywhere","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:04Z"},"spec":{"selector":{"matchLabels":{"app":"everywhere"}},"template":{"spec":{"containers":[{"name":"e","image":"e:1"}]}}},"status":{"currentNumberScheduled":4,"numberMisscheduled":0,"desiredNumberScheduled":4,"numberReady":4,"updatedNumberScheduled":4,"numberAvailable":4}})json",
     {R"("everywhere")", R"(4)", R"(4)", R"(4)", R"(4)", R"(4)", R"("\u003cnone\u003e")", R"("110s")", R"("e")", R"("e:1")", R"("app=everywhere")"}},
    {R"json({"kind":"DaemonSet","apiVersion":"apps/v1","metadata":{"name":"nowhere","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:04Z"},"spec":{"selector":{"matchLabels":{"app":"nowhere"},"matchExpressions":[{"key":"app","operator":"In","values":["nowhere"]}]},"template":{"spec":{"containers":[{"name":"x","image":"x:1"}],"nodeSelector":{"absent":"yes"}}}},"status":{"currentNumberScheduled":0,"numberMisscheduled":0,"desiredNumberScheduled":0,"numberReady":0}})json",
     {R"("nowhere")", R"(0)", R"(0)", R"(0)", R"(0)", R"(0)", R"("absent=yes")", R"("110s")", R"("x")", R"("x:1")", R"x("app=nowhere,app in (nowhere)")x"}},
  });
}

// --- ControllerRevisions ---

TEST(ControllerRevisionPrinter, UpstreamRows) {
  ExpectUpstreamRows("apps", "controllerrevisions", kServedAt, {
    {R"json({"kind":"ControllerRevision","apiVersion":"apps/v1","metadata":{"name":"agent-9c5fdd6d9","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:04Z","ownerReferences":[{"apiVersion":"apps/v1","kind":"DaemonSet","name":"agent","controller":true}]},"data":{"spec":{"template":{"$patch":"replace","spec":{"containers":[{"image":"agent:3","name":"agent"}],"nodeSelector":{"kubernetes.io/os":"linux","type":"kwok"}}}}},"revision":1})json",
     {R"("agent-9c5fdd6d9")", R"("daemonset.apps/agent")", R"(1)", R"("110s")"}},
    {R"json({"kind":"ControllerRevision","apiVersion":"apps/v1","metadata":{"name":"db-5948cdf579","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:04Z","ownerReferences":[{"apiVersion":"apps/v1","kind":"StatefulSet","name":"db","controller":true}]},"data":{"spec":{"template":{"$patch":"replace","spec":{"containers":[{"image":"postgres:17","name":"postgres"}]}}}},"revision":1})json",
     {R"("db-5948cdf579")", R"("statefulset.apps/db")", R"(1)", R"("110s")"}},
    {R"json({"kind":"ControllerRevision","apiVersion":"apps/v1","metadata":{"name":"empty-sts-5567dd6764","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:04Z","ownerReferences":[{"apiVersion":"apps/v1","kind":"StatefulSet","name":"empty-sts","controller":true}]},"data":{"spec":{"template":{"$patch":"replace","spec":{"containers":[{"image":"a:1","name":"a"},{"image":"b:1","name":"b"}]}}}},"revision":1})json",
     {R"("empty-sts-5567dd6764")", R"("statefulset.apps/empty-sts")", R"(1)", R"("110s")"}},
    {R"json({"kind":"ControllerRevision","apiVersion":"apps/v1","metadata":{"name":"everywhere-7545b9c8b5","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:04Z","ownerReferences":[{"apiVersion":"apps/v1","kind":"DaemonSet","name":"everywhere","controller":true}]},"data":{"spec":{"template":{"$patch":"replace","spec":{"containers":[{"image":"e:1","name":"e"}]}}}},"revision":1})json",
     {R"("everywhere-7545b9c8b5")", R"("daemonset.apps/everywhere")", R"(1)", R"("110s")"}},
    {R"json({"kind":"ControllerRevision","apiVersion":"apps/v1","metadata":{"name":"loose-revision","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:04Z"},"data":{"hello":"world"},"revision":7})json",
     {R"("loose-revision")", R"("\u003cnone\u003e")", R"(7)", R"("110s")"}},
    {R"json({"kind":"ControllerRevision","apiVersion":"apps/v1","metadata":{"name":"noncontroller-revision","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:07Z","ownerReferences":[{"apiVersion":"apps/v1","kind":"StatefulSet","name":"other"},{"apiVersion":"example.com/v1alpha1","kind":"Widget","name":"w","controller":true}]},"data":{"x":2},"revision":12345678901})json",
     {R"("noncontroller-revision")", R"("widget.example.com/w")", R"(12345678901)", R"("107s")"}},
    {R"json({"kind":"ControllerRevision","apiVersion":"apps/v1","metadata":{"name":"nowhere-7496645b46","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:04Z","ownerReferences":[{"apiVersion":"apps/v1","kind":"DaemonSet","name":"nowhere","controller":true}]},"data":{"spec":{"template":{"$patch":"replace","spec":{"containers":[{"image":"x:1","name":"x"}],"nodeSelector":{"absent":"yes"}}}}},"revision":1})json",
     {R"("nowhere-7496645b46")", R"("daemonset.apps/nowhere")", R"(1)", R"("110s")"}},
  });
}

TEST(ControllerRevisionPrinter, OwnersWithoutGroupOrKind) {
  auto controller = [](std::string_view owner) {
    std::string object = R"({"metadata":{"name":"r","ownerReferences":[)" + std::string(owner) +
                         R"(]},"revision":2})";
    return CellsOf("apps", "controllerrevisions", object, kNow)[1];
  };
  // The core group has no suffix; an owner with neither group nor kind prints its name alone.
  EXPECT_EQ(controller(R"({"apiVersion":"v1","kind":"ConfigMap","name":"c","controller":true})"),
            R"("configmap/c")");
  EXPECT_EQ(controller(R"({"apiVersion":"","kind":"","name":"bare","controller":true})"),
            R"("bare")");
  EXPECT_EQ(controller(R"({"apiVersion":"Example.COM/v1","kind":"","name":"w","controller":true})"),
            R"(".example.com/w")");
  EXPECT_EQ(controller(R"({"apiVersion":"apps/v1","kind":"DaemonSet","name":"d","controller":false})"),
            R"("\u003cnone\u003e")");
  // An apiVersion with two slashes fails the upstream's whole Table; kcache prints it with no
  // group.
  EXPECT_EQ(controller(R"({"apiVersion":"a/b/c","kind":"Widget","name":"w","controller":true})"),
            R"("widget/w")");
}

// --- Jobs ---

TEST(JobPrinter, UpstreamRows) {
  ExpectUpstreamRows("batch", "jobs", kServedAt, {
    {R"json({"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"deadline","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:11Z"},"spec":{"parallelism":1,"completions":1,"activeDeadlineSeconds":2,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"d7ca990e-e57b-4ce7-9d35-2412aeda39c4"}},"manualSelector":false,"template":{"spec":{"containers":[{"name":"d","image":"d:1"}],"nodeSelector":{"nowhere":"true"}}},"suspend":false},"status":{"conditions":[{"type":"FailureTarget","status":"True","reason":"DeadlineExceeded"},{"type":"Failed","status":"True","reason":"DeadlineExceeded"}],"startTime":"2026-11-28T23:52:11Z","failed":1,"terminating":0,"ready":0}})json",
     {R"("deadline")", R"("Failed")", R"("0/1")", R"("103s")", R"("103s")", R"("d")", R"("d:1")", R"("batch.kubernetes.io/controller-uid=d7ca990e-e57b-4ce7-9d35-2412aeda39c4")"}},
    {R"json({"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"done","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:11Z"},"spec":{"parallelism":1,"completions":2,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"2b6b1a99-0b37-4755-9bf2-e0db4ed5e1a0"}},"manualSelector":false,"template":{"spec":{"containers":[{"name":"work","image":"work:1"}]}},"suspend":false},"status":{"conditions":[{"type":"SuccessCriteriaMet","status":"True","reason":"CompletionsReached"},{"type":"Complete","status":"True","reason":"CompletionsReached"}],"startTime":"2026-11-28T23:52:11Z","completionTime":"2026-11-28T23:52:13Z","succeeded":2,"terminating":0,"ready":0}})json",
     {R"("done")", R"("Complete")", R"("2/2")", R"("2s")", R"("103s")", R"("work")", R"("work:1")", R"("batch.kubernetes.io/controller-uid=2b6b1a99-0b37-4755-9bf2-e0db4ed5e1a0")"}},
    {R"json({"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"held","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:11Z","deletionTimestamp":"2026-11-28T23:52:13Z","deletionGracePeriodSeconds":0,"finalizers":["printers-apps.example/hold"]},"spec":{"parallelism":0,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"441a9090-5856-411a-81d0-d388782dd143"}},"manualSelector":false,"template":{"spec":{"containers":[{"name":"h","image":"h:1"}]}},"suspend":false},"status":{"startTime":"2026-11-28T23:52:11Z","terminating":0,"ready":0}})json",
     {R"("held")", R"("Terminating")", R"("0/1")", R"("103s")", R"("103s")", R"("h")", R"("h:1")", R"("batch.kubernetes.io/controller-uid=441a9090-5856-411a-81d0-d388782dd143")"}},
    {R"json({"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"minutely-29931833","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:53:00Z","ownerReferences":[{"apiVersion":"batch/v1","kind":"CronJob","name":"minutely","controller":true}]},"spec":{"parallelism":1,"completions":1,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"89d8ef3b-a397-45f6-a919-24f28911a306"}},"manualSelector":false,"template":{"spec":{"containers":[{"name":"tick","image":"tick:1"}]}},"suspend":false},"status":{"conditions":[{"type":"SuccessCriteriaMet","status":"True","reason":"CompletionsReached"},{"type":"Complete","status":"True","reason":"CompletionsReached"}],"startTime":"2026-11-28T23:53:00Z","completionTime":"2026-11-28T23:53:01Z","succeeded":1,"terminating":0,"ready":0}})json",
     {R"("minutely-29931833")", R"("Complete")", R"("1/1")", R"("1s")", R"("54s")", R"("tick")", R"("tick:1")", R"("batch.kubernetes.io/controller-uid=89d8ef3b-a397-45f6-a919-24f28911a306")"}},
    {R"json({"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"pending-parallel","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:11Z"},"spec":{"parallelism":3,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"c61f9cee-ec44-4563-892d-90d1326207b8"}},"manualSelector":false,"template":{"spec":{"containers":[{"name":"a","image":"a:1"},{"name":"b","image":"b:1"}],"nodeSelector":{"nowhere":"true"}}},"suspend":false},"status":{"startTime":"2026-11-28T23:52:11Z","active":3,"terminating":0,"ready":0}})json",
     {R"("pending-parallel")", R"("Running")", R"("0/1 of 3")", R"("103s")", R"("103s")", R"("a,b")", R"("a:1,b:1")", R"("batch.kubernetes.io/controller-uid=c61f9cee-ec44-4563-892d-90d1326207b8")"}},
    {R"json({"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"pending-single","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:11Z"},"spec":{"parallelism":1,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"81f5c9b9-d446-4799-8b5c-35b14f4b1c00"}},"manualSelector":false,"template":{"spec":{"containers":[{"name":"a","image":"a:1"}],"nodeSelector":{"nowhere":"true"}}},"suspend":false},"status":{"startTime":"2026-11-28T23:52:11Z","active":1,"terminating":0,"ready":0}})json",
     {R"("pending-single")", R"("Running")", R"("0/1")", R"("103s")", R"("103s")", R"("a")", R"("a:1")", R"("batch.kubernetes.io/controller-uid=81f5c9b9-d446-4799-8b5c-35b14f4b1c00")"}},
    {R"json({"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"suspended","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:11Z"},"spec":{"parallelism":2,"completions":5,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"ca0362f9-86e6-423d-9b2a-f1a897db0257"}},"manualSelector":false,"template":{"spec":{"containers":[{"name":"s","image":"s:1"}]}},"suspend":true},"status":{"conditions":[{"type":"Suspended","status":"True","reason":"JobSuspended"}],"terminating":0,"ready":0}})json",
     {R"("suspended")", R"("Suspended")", R"("0/5")", R"("")", R"("103s")", R"("s")", R"("s:1")", R"("batch.kubernetes.io/controller-uid=ca0362f9-86e6-423d-9b2a-f1a897db0257")"}},
  });
}

std::string JobStatusOf(std::string_view metadata, std::string_view conditions) {
  std::string object = R"({"metadata":{"name":"j")" + std::string(metadata) +
                       R"(},"status":{"conditions":)" + std::string(conditions) + "}}";
  return CellsOf("batch", "jobs", object, kNow)[1];
}

TEST(JobPrinter, StatusPrecedence) {
  constexpr std::string_view kDeleting = R"(,"deletionTimestamp":"2026-11-28T11:00:00Z")";
  EXPECT_EQ(JobStatusOf("", R"([{"type":"FailureTarget","status":"True"}])"),
            R"("FailureTarget")");
  EXPECT_EQ(JobStatusOf("", R"([{"type":"SuccessCriteriaMet","status":"True"}])"),
            R"("SuccessCriteriaMet")");
  EXPECT_EQ(JobStatusOf("", R"([{"type":"SuccessCriteriaMet","status":"True"},
                                {"type":"FailureTarget","status":"True"}])"),
            R"("FailureTarget")");
  EXPECT_EQ(JobStatusOf("", R"([{"type":"FailureTarget","status":"True"},
                                {"type":"Suspended","status":"True"}])"),
            R"("Suspended")");
  EXPECT_EQ(JobStatusOf(kDeleting, R"([{"type":"Suspended","status":"True"}])"),
            R"("Terminating")");
  EXPECT_EQ(JobStatusOf(kDeleting, R"([{"type":"Complete","status":"True"}])"),
            R"("Complete")");
  EXPECT_EQ(JobStatusOf(kDeleting, R"([{"type":"Failed","status":"True"}])"), R"("Failed")");
  EXPECT_EQ(JobStatusOf("", R"([{"type":"Failed","status":"True"},
                                {"type":"Complete","status":"True"}])"),
            R"("Complete")");
  // Only the first condition of a type counts, and only when it is true.
  EXPECT_EQ(JobStatusOf("", R"([{"type":"Complete","status":"False"},
                                {"type":"Complete","status":"True"}])"),
            R"("Running")");
  EXPECT_EQ(JobStatusOf("", R"([{"type":"Failed","status":"Unknown"}])"), R"("Running")");
  EXPECT_EQ(JobStatusOf("", "[]"), R"("Running")");
}

TEST(JobPrinter, CompletionsAndDuration) {
  std::string finished = R"({"metadata":{"name":"j","creationTimestamp":"2026-11-28T10:00:00Z"},
    "spec":{"completions":3,"parallelism":2,"selector":{"matchLabels":{"job":"j"}},
      "template":{"spec":{"containers":[{"name":"w","image":"w:1"}]}}},
    "status":{"succeeded":2,"startTime":"2026-11-28T10:00:00Z",
      "completionTime":"2026-11-28T10:02:05.5Z"}})";
  EXPECT_EQ(CellsOf("batch", "jobs", finished, kNow),
            (std::vector<std::string>{R"("j")", R"("Running")", R"("2/3")", R"("2m5s")",
                                      R"("120m")", R"("w")", R"("w:1")", R"("job=j")"}));

  // Without completions nor parallelism (never the case once defaulted): one success ends it.
  std::string running = R"({"metadata":{"name":"j"},"status":{"startTime":"2026-11-28T08:30:00Z"}})";
  auto cells = CellsOf("batch", "jobs", running, kNow);
  EXPECT_EQ(cells[2], R"("0/1")");
  EXPECT_EQ(cells[3], R"("3h30m")");
  EXPECT_EQ(cells[7], R"("\u003cnone\u003e")");
}

// --- CronJobs ---

TEST(CronJobPrinter, UpstreamRows) {
  ExpectUpstreamRows("batch", "cronjobs", "2026-11-28T23:56:17Z", {
    {R"json({"kind":"CronJob","apiVersion":"batch/v1","metadata":{"name":"minutely","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:11Z"},"spec":{"schedule":"* * * * *","suspend":false,"jobTemplate":{"metadata":{},"spec":{"template":{"spec":{"containers":[{"name":"tick","image":"tick:1"}]}}}}},"status":{"lastScheduleTime":"2026-11-28T23:56:00Z","lastSuccessfulTime":"2026-11-28T23:56:01Z"}})json",
     {R"("minutely")", R"("* * * * *")", R"("\u003cnone\u003e")", R"("False")", R"(0)", R"("17s")", R"("4m6s")", R"("tick")", R"("tick:1")", R"("\u003cnone\u003e")"}},
    {R"json({"kind":"CronJob","apiVersion":"batch/v1","metadata":{"name":"nightly","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:20Z"},"spec":{"schedule":"30 2 * * *","timeZone":"Europe/Paris","suspend":true,"jobTemplate":{"metadata":{},"spec":{"template":{"spec":{"containers":[{"name":"night","image":"n:1"},{"name":"m","image":"m:1"}]}}}}},"status":{}})json",
     {R"("nightly")", R"("30 2 * * *")", R"("Europe/Paris")", R"("True")", R"(0)", R"("\u003cnone\u003e")", R"("3m57s")", R"("night,m")", R"("n:1,m:1")", R"("\u003cnone\u003e")"}},
    {R"json({"kind":"CronJob","apiVersion":"batch/v1","metadata":{"name":"piling-up","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:53:26Z"},"spec":{"schedule":"* * * * *","timeZone":"Etc/UTC","suspend":false,"jobTemplate":{"metadata":{},"spec":{"template":{"spec":{"containers":[{"name":"p","image":"p:1"}],"nodeSelector":{"nowhere":"true"}}}}}},"status":{"active":[{"kind":"Job","namespace":"printers-apps","name":"piling-up-29931834","apiVersion":"batch/v1"},{"kind":"Job","namespace":"printers-apps","name":"piling-up-29931835","apiVersion":"batch/v1"},{"kind":"Job","namespace":"printers-apps","name":"piling-up-29931836","apiVersion":"batch/v1"}],"lastScheduleTime":"2026-11-28T23:56:00Z"}})json",
     {R"("piling-up")", R"("* * * * *")", R"("Etc/UTC")", R"("False")", R"(3)", R"("17s")", R"("2m51s")", R"("p")", R"("p:1")", R"("\u003cnone\u003e")"}},
  });
}

TEST(CronJobPrinter, DefaultsSuspendAndPrintsTheJobSelector) {
  std::string object = R"({"metadata":{"name":"c","creationTimestamp":"2026-11-20T12:00:00Z"},
    "spec":{"schedule":"@hourly","timeZone":null,"jobTemplate":{"spec":{
      "selector":{"matchLabels":{"job":"c"}},
      "template":{"spec":{"containers":[{"name":"a","image":"a:1"}]}}}}},
    "status":{"active":[{"name":"c-1"},{"name":"c-2"}],"lastScheduleTime":"2026-11-28T11:00:00Z"}})";
  EXPECT_EQ(CellsOf("batch", "cronjobs", object, kNow),
            (std::vector<std::string>{R"("c")", R"("@hourly")", R"("\u003cnone\u003e")",
                                      R"("False")", "2", R"("60m")", R"("8d")", R"("a")",
                                      R"("a:1")", R"("job=c")"}));
}

// --- HorizontalPodAutoscalers ---

constexpr std::string_view kHpasServedAt = "2026-11-28T23:53:08Z";

// The object as a list item holds it, without kind and apiVersion: then the fields tell the
// versions apart.
std::vector<UpstreamRow> WithoutTypeMeta(std::vector<UpstreamRow> rows) {
  for (UpstreamRow& row : rows) {
    for (std::string_view member : {R"("kind":"HorizontalPodAutoscaler",)",
                                    R"("apiVersion":"autoscaling/v1",)",
                                    R"("apiVersion":"autoscaling/v2",)"}) {
      if (size_t at = row.object.find(member); at != std::string::npos) {
        row.object.erase(at, member.size());
      }
    }
  }
  return rows;
}

TEST(HorizontalPodAutoscalerPrinter, UpstreamRowsOfAutoscalingV2) {
  std::vector<UpstreamRow> rows = {
    {R"json({"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v2","metadata":{"name":"hpa-container","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:28Z"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"missing3","apiVersion":"apps/v1"},"minReplicas":3,"maxReplicas":6,"metrics":[{"type":"ContainerResource","containerResource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50},"container":"app"}},{"type":"ContainerResource","containerResource":{"name":"memory","target":{"type":"AverageValue","averageValue":"200Mi"},"container":"app"}}]},"status":{"currentReplicas":3,"desiredReplicas":0,"currentMetrics":[{"type":"ContainerResource","containerResource":{"name":"cpu","current":{"averageValue":"90m","averageUtilization":45},"container":"app"}},{"type":"ContainerResource","containerResource":{"name":"memory","current":{"averageValue":"150Mi"},"container":"app"}}],"conditions":[{"type":"AbleToScale","status":"False","reason":"FailedGetScale"}]}})json",
     {R"("hpa-container")", R"("Deployment/missing3")", R"("cpu: 45%/50%, memory: 150Mi/200Mi")", R"("3")", R"(6)", R"(3)", R"("40s")"}},
    {R"json({"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v2","metadata":{"name":"hpa-cpu","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:28Z"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web","apiVersion":"apps/v1"},"minReplicas":2,"maxReplicas":10,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}]},"status":{"currentReplicas":3,"desiredReplicas":0,"currentMetrics":[{"type":""}],"conditions":[{"type":"AbleToScale","status":"True","reason":"SucceededGetScale"},{"type":"ScalingActive","status":"False","reason":"FailedGetResourceMetric"}]}})json",
     {R"("hpa-cpu")", R"("Deployment/web")", R"("cpu: \u003cunknown\u003e/50%")", R"("2")", R"(10)", R"(3)", R"("40s")"}},
    {R"json({"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v2","metadata":{"name":"hpa-default","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:28Z"},"spec":{"scaleTargetRef":{"kind":"StatefulSet","name":"db","apiVersion":"apps/v1"},"minReplicas":1,"maxReplicas":4,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}}]},"status":{"currentReplicas":2,"desiredReplicas":0,"currentMetrics":[{"type":""}],"conditions":[{"type":"AbleToScale","status":"True","reason":"SucceededGetScale"},{"type":"ScalingActive","status":"False","reason":"FailedGetResourceMetric"}]}})json",
     {R"("hpa-default")", R"("StatefulSet/db")", R"("cpu: \u003cunknown\u003e/80%")", R"("1")", R"(4)", R"(2)", R"("40s")"}},
    {R"json({"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v2","metadata":{"name":"hpa-ext-avg","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:53:07Z"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"missing5","apiVersion":"apps/v1"},"minReplicas":1,"maxReplicas":3,"metrics":[{"type":"External","external":{"metric":{"name":"queue"},"target":{"type":"AverageValue","averageValue":"30"}}},{"type":"Object","object":{"describedObject":{"kind":"Service","name":"s","apiVersion":"v1"},"target":{"type":"Value","value":"10k"},"metric":{"name":"rps"}}}]},"status":{"currentReplicas":1,"desiredReplicas":0,"currentMetrics":[{"type":"External","external":{"metric":{"name":"queue"},"current":{"value":"44"}}}],"conditions":[{"type":"AbleToScale","status":"False","reason":"FailedGetScale"}]}})json",
     {R"("hpa-ext-avg")", R"("Deployment/missing5")", R"("\u003cunknown\u003e/30 (avg), \u003cunknown\u003e/10k")", R"("1")", R"(3)", R"(1)", R"("1s")"}},
    {R"json({"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v2","metadata":{"name":"hpa-multi","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:28Z"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"missing","apiVersion":"apps/v1"},"minReplicas":1,"maxReplicas":20,"metrics":[{"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"100Mi"}}},{"type":"Pods","pods":{"metric":{"name":"packets"},"target":{"type":"AverageValue","averageValue":"1k"}}},{"type":"Object","object":{"describedObject":{"kind":"Ingress","name":"main","apiVersion":"networking.k8s.io/v1"},"target":{"type":"Value","value":"10k"},"metric":{"name":"requests"}}},{"type":"External","external":{"metric":{"name":"queue"},"target":{"type":"AverageValue","averageValue":"30"}}},{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":60}}}]},"status":{"currentReplicas":4,"desiredReplicas":0,"currentMetrics":[{"type":"Resource","resource":{"name":"memory","current":{"averageValue":"50Mi"}}},{"type":"Pods","pods":{"metric":{"name":"packets"},"current":{"averageValue":"900"}}},{"type":"Object","object":{"metric":{"name":"requests"},"current":{"value":"12k"},"describedObject":{"kind":"Ingress","name":"main","apiVersion":"networking.k8s.io/v1"}}}],"conditions":[{"type":"AbleToScale","status":"False","reason":"FailedGetScale"}]}})json",
     {R"("hpa-multi")", R"("Deployment/missing")", R"("memory: 50Mi/100Mi, 900/1k + 3 more...")", R"("1")", R"(20)", R"(4)", R"("40s")"}},
    {R"json({"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v2","metadata":{"name":"hpa-order","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:28Z"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"missing2","apiVersion":"apps/v1"},"minReplicas":1,"maxReplicas":5,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":70}}},{"type":"Resource","resource":{"name":"memory","target":{"type":"Utilization","averageUtilization":80}}}]},"status":{"currentReplicas":1,"desiredReplicas":0,"currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageValue":"300m","averageUtilization":65}}},{"type":"Resource","resource":{"name":"memory","current":{"averageValue":"1Gi"}}}],"conditions":[{"type":"AbleToScale","status":"False","reason":"FailedGetScale"}]}})json",
     {R"("hpa-order")", R"("Deployment/missing2")", R"("cpu: 65%/70%, memory: \u003cunknown\u003e/80%")", R"("1")", R"(5)", R"(1)", R"("40s")"}},
    {R"json({"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v2","metadata":{"name":"hpa-values","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:28Z"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"missing4","apiVersion":"apps/v1"},"minReplicas":1,"maxReplicas":3,"metrics":[{"type":"External","external":{"metric":{"name":"lag"},"target":{"type":"Value","value":"5"}}},{"type":"Object","object":{"describedObject":{"kind":"Service","name":"s","apiVersion":"v1"},"target":{"type":"AverageValue","averageValue":"2500m"},"metric":{"name":"rps"}}}]},"status":{"currentReplicas":2,"desiredReplicas":0,"currentMetrics":[{"type":"External","external":{"metric":{"name":"lag"},"current":{"value":"7"}}},{"type":"Object","object":{"metric":{"name":"rps"},"current":{"value":"1","averageValue":"3"},"describedObject":{"kind":"Service","name":"s","apiVersion":"v1"}}}],"conditions":[{"type":"AbleToScale","status":"False","reason":"FailedGetScale"}]}})json",
     {R"("hpa-values")", R"("Deployment/missing4")", R"x("7/5, 3/2500m (avg)")x", R"("1")", R"(3)", R"(2)", R"("40s")"}},
  };
  ExpectUpstreamRows("autoscaling", "horizontalpodautoscalers", kHpasServedAt, rows);
  ExpectUpstreamRows("autoscaling", "horizontalpodautoscalers", kHpasServedAt,
                     WithoutTypeMeta(rows));
}

// autoscaling/v1 keeps all but the CPU utilization target in annotations.
TEST(HorizontalPodAutoscalerPrinter, UpstreamRowsOfAutoscalingV1) {
  std::vector<UpstreamRow> rows = {
    {R"json({"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v1","metadata":{"name":"hpa-container","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:28Z","annotations":{"autoscaling.alpha.kubernetes.io/current-metrics":"[{\"type\":\"ContainerResource\",\"containerResource\":{\"name\":\"cpu\",\"currentAverageUtilization\":45,\"currentAverageValue\":\"90m\",\"container\":\"app\"}},{\"type\":\"ContainerResource\",\"containerResource\":{\"name\":\"memory\",\"currentAverageValue\":\"150Mi\",\"container\":\"app\"}}]","autoscaling.alpha.kubernetes.io/metrics":"[{\"type\":\"ContainerResource\",\"containerResource\":{\"name\":\"cpu\",\"targetAverageUtilization\":50,\"container\":\"app\"}},{\"type\":\"ContainerResource\",\"containerResource\":{\"name\":\"memory\",\"targetAverageValue\":\"200Mi\",\"container\":\"app\"}}]"}},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"missing3","apiVersion":"apps/v1"},"minReplicas":3,"maxReplicas":6},"status":{"currentReplicas":3,"desiredReplicas":0}})json",
     {R"("hpa-container")", R"("Deployment/missing3")", R"("cpu: 45%/50%, memory: 150Mi/200Mi")", R"("3")", R"(6)", R"(3)", R"("40s")"}},
    {R"json({"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v1","metadata":{"name":"hpa-cpu","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:28Z","annotations":{"autoscaling.alpha.kubernetes.io/current-metrics":"[{\"type\":\"\"}]"}},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web","apiVersion":"apps/v1"},"minReplicas":2,"maxReplicas":10,"targetCPUUtilizationPercentage":50},"status":{"currentReplicas":3,"desiredReplicas":0}})json",
     {R"("hpa-cpu")", R"("Deployment/web")", R"("cpu: \u003cunknown\u003e/50%")", R"("2")", R"(10)", R"(3)", R"("40s")"}},
    {R"json({"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v1","metadata":{"name":"hpa-default","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:28Z","annotations":{"autoscaling.alpha.kubernetes.io/current-metrics":"[{\"type\":\"\"}]"}},"spec":{"scaleTargetRef":{"kind":"StatefulSet","name":"db","apiVersion":"apps/v1"},"minReplicas":1,"maxReplicas":4,"targetCPUUtilizationPercentage":80},"status":{"currentReplicas":2,"desiredReplicas":0}})json",
     {R"("hpa-default")", R"("StatefulSet/db")", R"("cpu: \u003cunknown\u003e/80%")", R"("1")", R"(4)", R"(2)", R"("40s")"}},
    {R"json({"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v1","metadata":{"name":"hpa-ext-avg","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:53:07Z","annotations":{"autoscaling.alpha.kubernetes.io/current-metrics":"[{\"type\":\"External\",\"external\":{\"metricName\":\"queue\",\"currentValue\":\"44\"}}]","autoscaling.alpha.kubernetes.io/metrics":"[{\"type\":\"External\",\"external\":{\"metricName\":\"queue\",\"targetAverageValue\":\"30\"}},{\"type\":\"Object\",\"object\":{\"target\":{\"kind\":\"Service\",\"name\":\"s\",\"apiVersion\":\"v1\"},\"metricName\":\"rps\",\"targetValue\":\"10k\"}}]"}},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"missing5","apiVersion":"apps/v1"},"minReplicas":1,"maxReplicas":3},"status":{"currentReplicas":1,"desiredReplicas":0}})json",
     {R"("hpa-ext-avg")", R"("Deployment/missing5")", R"("\u003cunknown\u003e/30 (avg), \u003cunknown\u003e/10k")", R"("1")", R"(3)", R"(1)", R"("1s")"}},
    {R"json({"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v1","metadata":{"name":"hpa-multi","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:28Z","annotations":{"autoscaling.alpha.kubernetes.io/current-metrics":"[{\"type\":\"Resource\",\"resource\":{\"name\":\"memory\",\"currentAverageValue\":\"50Mi\"}},{\"type\":\"Pods\",\"pods\":{\"metricName\":\"packets\",\"currentAverageValue\":\"900\"}},{\"type\":\"Object\",\"object\":{\"target\":{\"kind\":\"Ingress\",\"name\":\"main\",\"apiVersion\":\"networking.k8s.io/v1\"},\"metricName\":\"requests\",\"currentValue\":\"12k\"}}]","autoscaling.alpha.kubernetes.io/metrics":"[{\"type\":\"Resource\",\"resource\":{\"name\":\"memory\",\"targetAverageValue\":\"100Mi\"}},{\"type\":\"Pods\",\"pods\":{\"metricName\":\"packets\",\"targetAverageValue\":\"1k\"}},{\"type\":\"Object\",\"object\":{\"target\":{\"kind\":\"Ingress\",\"name\":\"main\",\"apiVersion\":\"networking.k8s.io/v1\"},\"metricName\":\"requests\",\"targetValue\":\"10k\"}},{\"type\":\"External\",\"external\":{\"metricName\":\"queue\",\"targetAverageValue\":\"30\"}}]"}},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"missing","apiVersion":"apps/v1"},"minReplicas":1,"maxReplicas":20,"targetCPUUtilizationPercentage":60},"status":{"currentReplicas":4,"desiredReplicas":0}})json",
     {R"("hpa-multi")", R"("Deployment/missing")", R"("memory: 50Mi/100Mi, 900/1k + 3 more...")", R"("1")", R"(20)", R"(4)", R"("40s")"}},
    {R"json({"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v1","metadata":{"name":"hpa-values","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:28Z","annotations":{"autoscaling.alpha.kubernetes.io/current-metrics":"[{\"type\":\"External\",\"external\":{\"metricName\":\"lag\",\"currentValue\":\"7\"}},{\"type\":\"Object\",\"object\":{\"target\":{\"kind\":\"Service\",\"name\":\"s\",\"apiVersion\":\"v1\"},\"metricName\":\"rps\",\"currentValue\":\"1\",\"averageValue\":\"3\"}}]","autoscaling.alpha.kubernetes.io/metrics":"[{\"type\":\"External\",\"external\":{\"metricName\":\"lag\",\"targetValue\":\"5\"}},{\"type\":\"Object\",\"object\":{\"target\":{\"kind\":\"Service\",\"name\":\"s\",\"apiVersion\":\"v1\"},\"metricName\":\"rps\",\"targetValue\":\"0\",\"averageValue\":\"2500m\"}}]"}},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"missing4","apiVersion":"apps/v1"},"minReplicas":1,"maxReplicas":3},"status":{"currentReplicas":2,"desiredReplicas":0}})json",
     {R"("hpa-values")", R"("Deployment/missing4")", R"x("7/5, 3/2500m (avg)")x", R"("1")", R"(3)", R"(2)", R"("40s")"}},
  };
  ExpectUpstreamRows("autoscaling", "horizontalpodautoscalers", kHpasServedAt, rows);
  ExpectUpstreamRows("autoscaling", "horizontalpodautoscalers", kHpasServedAt,
                     WithoutTypeMeta(rows));
}

// A status of the source the spec names, without the value read, prints Go's nil quantity.
TEST(HorizontalPodAutoscalerPrinter, UpstreamRowsWithNilCurrentValues) {
  ExpectUpstreamRows("autoscaling", "horizontalpodautoscalers", "2026-11-29T00:01:23Z", {
    {R"json({"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v2","metadata":{"name":"hpa-multi","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:28Z"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"missing","apiVersion":"apps/v1"},"minReplicas":1,"maxReplicas":20,"metrics":[{"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"100Mi"}}},{"type":"Pods","pods":{"metric":{"name":"packets"},"target":{"type":"AverageValue","averageValue":"1k"}}},{"type":"Object","object":{"describedObject":{"kind":"Ingress","name":"main","apiVersion":"networking.k8s.io/v1"},"target":{"type":"Value","value":"10k"},"metric":{"name":"requests"}}},{"type":"External","external":{"metric":{"name":"queue"},"target":{"type":"AverageValue","averageValue":"30"}}},{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":60}}}]},"status":{"currentReplicas":4,"desiredReplicas":0,"currentMetrics":[{"type":"Resource","resource":{"name":"memory","current":{}}},{"type":"Pods","pods":{"metric":{"name":"packets"},"current":{}}}],"conditions":[{"type":"AbleToScale","status":"False","reason":"FailedGetScale"}]}})json",
     {R"("hpa-multi")", R"("Deployment/missing")", R"("memory: \u003cnil\u003e/100Mi, \u003cnil\u003e/1k + 3 more...")", R"("1")", R"(20)", R"(4)", R"("8m55s")"}},
    {R"json({"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v2","metadata":{"name":"hpa-values","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:28Z"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"missing4","apiVersion":"apps/v1"},"minReplicas":1,"maxReplicas":3,"metrics":[{"type":"External","external":{"metric":{"name":"lag"},"target":{"type":"Value","value":"5"}}},{"type":"Object","object":{"describedObject":{"kind":"Service","name":"s","apiVersion":"v1"},"target":{"type":"AverageValue","averageValue":"2500m"},"metric":{"name":"rps"}}}]},"status":{"currentReplicas":2,"desiredReplicas":0,"currentMetrics":[{"type":"External","external":{"metric":{"name":"lag"},"current":{}}},{"type":"Object","object":{"metric":{"name":"rps"},"current":{"value":"1"},"describedObject":{"kind":"Service","name":"s","apiVersion":"v1"}}}],"conditions":[{"type":"AbleToScale","status":"False","reason":"FailedGetScale"}]}})json",
     {R"("hpa-values")", R"("Deployment/missing4")", R"x("\u003cnil\u003e/5, \u003cunknown\u003e/2500m (avg)")x", R"("1")", R"(3)", R"(2)", R"("8m55s")"}},
  });
}

// One HPA in both versions, as list items (without apiVersion).
TEST(HorizontalPodAutoscalerPrinter, BothVersionsPrintAlike) {
  std::string v1 = R"({"metadata":{"name":"h","creationTimestamp":"2026-11-28T11:00:00Z",
      "annotations":{"autoscaling.alpha.kubernetes.io/metrics":
        "[{\"type\":\"Pods\",\"pods\":{\"metricName\":\"p\",\"targetAverageValue\":\"1k\"}}]",
        "autoscaling.alpha.kubernetes.io/current-metrics":
        "[{\"type\":\"Pods\",\"pods\":{\"metricName\":\"p\",\"currentAverageValue\":\"900\"}},{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"currentAverageUtilization\":40,\"currentAverageValue\":\"200m\"}}]"}},
    "spec":{"scaleTargetRef":{"kind":"Deployment","name":"d"},"minReplicas":2,"maxReplicas":9,
      "targetCPUUtilizationPercentage":50},
    "status":{"currentReplicas":3,"desiredReplicas":3,"currentCPUUtilizationPercentage":40}})";
  EXPECT_EQ(CellsOf("autoscaling", "horizontalpodautoscalers", v1, kNow),
            (std::vector<std::string>{R"("h")", R"("Deployment/d")", R"("900/1k, cpu: 40%/50%")",
                                      R"("2")", "9", "3", R"("60m")"}));

  std::string v2 = R"({"metadata":{"name":"h","creationTimestamp":"2026-11-28T11:00:00Z"},
    "spec":{"scaleTargetRef":{"kind":"Deployment","name":"d"},"minReplicas":2,"maxReplicas":9,
      "metrics":[{"type":"Pods","pods":{"metric":{"name":"p"},"target":{"type":"AverageValue","averageValue":"1k"}}},
        {"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}]},
    "status":{"currentReplicas":3,"desiredReplicas":3,"currentMetrics":[
      {"type":"Pods","pods":{"metric":{"name":"p"},"current":{"averageValue":"900"}}},
      {"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":40,"averageValue":"200m"}}}]}})";
  EXPECT_EQ(CellsOf("autoscaling", "horizontalpodautoscalers", v2, kNow),
            CellsOf("autoscaling", "horizontalpodautoscalers", v1, kNow));
}

std::string TargetsOf(const std::string& hpa) {
  return CellsOf("autoscaling", "horizontalpodautoscalers", hpa, kNow)[2];
}

TEST(HorizontalPodAutoscalerPrinter, V2StatusesWithoutValues) {
  // A status of the right source without the value read prints Go's nil quantity.
  std::string hpa = R"({"apiVersion":"autoscaling/v2","metadata":{"name":"h"},"spec":{"metrics":[
      {"type":"Pods","pods":{"metric":{"name":"p"},"target":{"type":"AverageValue","averageValue":"1k"}}},
      {"type":"External","external":{"metric":{"name":"e"},"target":{"type":"Value","value":"5"}}}]},
    "status":{"currentMetrics":[
      {"type":"Pods","pods":{"metric":{"name":"p"},"current":{}}},
      {"type":"External","external":{"metric":{"name":"e"},"current":{"averageValue":"3"}}}]}})";
  auto cells = CellsOf("autoscaling", "horizontalpodautoscalers", hpa, kNow);
  EXPECT_EQ(cells[2], R"("\u003cnil\u003e/1k, \u003cnil\u003e/5")");
  EXPECT_EQ(cells[3], R"("1")");  // minReplicas defaults to 1
  EXPECT_EQ(cells[4], "0");
  EXPECT_EQ(cells[5], "0");

  // The average of an External or Object source needs a status average; the whole value does
  // not stand in.
  std::string average = R"({"apiVersion":"autoscaling/v2","metadata":{"name":"h"},"spec":{"metrics":[
      {"type":"Object","object":{"describedObject":{"kind":"Service","name":"s"},"metric":{"name":"m"},
        "target":{"type":"AverageValue","averageValue":"2"}}}]},
    "status":{"currentMetrics":[{"type":"Object","object":{"metric":{"name":"m"},"current":{"value":"9"}}}]}})";
  EXPECT_EQ(TargetsOf(average), R"x("\u003cunknown\u003e/2 (avg)")x");
}

TEST(HorizontalPodAutoscalerPrinter, V2OddMetrics) {
  // A status is read from the source the spec's type names, whatever the status's own type.
  std::string hpa = R"({"apiVersion":"autoscaling/v2","metadata":{"name":"h"},"spec":{"metrics":[
      {"type":"Resource","resource":{"name":"memory","target":{"type":"Utilization"}}},
      {"type":"Bogus"},
      {"type":"Pods","pods":{"metric":{"name":"p"},"target":{"type":"AverageValue","averageValue":"1"}}}]},
    "status":{"currentMetrics":[
      {"type":"Pods","resource":{"name":"memory","current":{"averageUtilization":70}}},
      {"type":"Bogus"}]}})";
  EXPECT_EQ(TargetsOf(hpa), R"("memory: 70%/\u003cauto\u003e, \u003cunknown type\u003e + 1 more...")");

  std::string container = R"({"apiVersion":"autoscaling/v2","metadata":{"name":"h"},"spec":{"metrics":[
      {"type":"ContainerResource","containerResource":{"name":"cpu","container":"c","target":{"type":"Utilization"}}},
      {"type":"ContainerResource","containerResource":{"name":"memory","container":"c","target":{"type":"AverageValue","averageValue":"1Gi"}}}]},
    "status":{"currentMetrics":[{"type":"Pods","pods":{"metric":{"name":"p"},"current":{"averageValue":"1"}}}]}})";
  EXPECT_EQ(TargetsOf(container), R"("cpu: \u003cunknown\u003e/\u003cauto\u003e, memory: \u003cunknown\u003e/1Gi")");

  // autoscaling/v2 defaults no metrics to a CPU utilization of 80%.
  std::string none = R"({"apiVersion":"autoscaling/v2","metadata":{"name":"h"},"spec":{"metrics":[]}})";
  EXPECT_EQ(TargetsOf(none), R"("cpu: \u003cunknown\u003e/80%")");
}

TEST(HorizontalPodAutoscalerPrinter, V1WithoutAnnotations) {
  std::string hpa = R"({"apiVersion":"autoscaling/v1","metadata":{"name":"h"},
    "spec":{"scaleTargetRef":{"kind":"ReplicaSet","name":"r"},"maxReplicas":3,
      "targetCPUUtilizationPercentage":50},
    "status":{"currentReplicas":1,"currentCPUUtilizationPercentage":42}})";
  auto cells = CellsOf("autoscaling", "horizontalpodautoscalers", hpa, kNow);
  EXPECT_EQ(cells[1], R"("ReplicaSet/r")");
  EXPECT_EQ(cells[2], R"("cpu: 42%/50%")");
  EXPECT_EQ(cells[3], R"("1")");

  // The conversion gives an HPA without any target the default CPU utilization target.
  std::string no_target = R"({"apiVersion":"autoscaling/v1","metadata":{"name":"h"},
    "status":{"currentCPUUtilizationPercentage":7}})";
  EXPECT_EQ(TargetsOf(no_target), R"("cpu: 7%/80%")");
}

TEST(HorizontalPodAutoscalerPrinter, V1AnnotationsThatDoNotDecodeAreIgnored) {
  std::string hpa = R"({"apiVersion":"autoscaling/v1","metadata":{"name":"h","annotations":{
      "autoscaling.alpha.kubernetes.io/metrics":"[{\"type\":",
      "autoscaling.alpha.kubernetes.io/current-metrics":"{}"}},
    "spec":{"targetCPUUtilizationPercentage":50},"status":{"currentCPUUtilizationPercentage":30}})";
  EXPECT_EQ(TargetsOf(hpa), R"("cpu: 30%/50%")");

  // A null annotation decodes to no metrics.
  std::string null_metrics = R"({"apiVersion":"autoscaling/v1","metadata":{"name":"h","annotations":{
      "autoscaling.alpha.kubernetes.io/current-metrics":"null"}},
    "spec":{"targetCPUUtilizationPercentage":50},"status":{"currentCPUUtilizationPercentage":30}})";
  EXPECT_EQ(TargetsOf(null_metrics), R"("cpu: \u003cunknown\u003e/50%")");
}

TEST(HorizontalPodAutoscalerPrinter, V1QuantitiesThatAreNotPointersReadZero) {
  // v1's Pods target and current average, Object target value and current values are plain
  // quantities: a missing one is zero, not nil.
  std::string hpa = R"({"apiVersion":"autoscaling/v1","metadata":{"name":"h","annotations":{
      "autoscaling.alpha.kubernetes.io/metrics":"[{\"type\":\"Pods\",\"pods\":{\"metricName\":\"p\"}},{\"type\":\"Object\",\"object\":{\"target\":{\"kind\":\"Service\",\"name\":\"s\"},\"metricName\":\"m\"}}]",
      "autoscaling.alpha.kubernetes.io/current-metrics":"[{\"type\":\"Pods\",\"pods\":{\"metricName\":\"p\"}},{\"type\":\"Object\",\"object\":{\"metricName\":\"m\"}}]"}}})";
  EXPECT_EQ(TargetsOf(hpa), R"("0/0, 0/0")");

  std::string averages = R"({"apiVersion":"autoscaling/v1","metadata":{"name":"h","annotations":{
      "autoscaling.alpha.kubernetes.io/metrics":"[{\"type\":\"External\",\"external\":{\"metricName\":\"e\",\"targetAverageValue\":\"4\"}},{\"type\":\"Resource\",\"resource\":{\"name\":\"memory\",\"targetAverageValue\":\"1Gi\"}}]",
      "autoscaling.alpha.kubernetes.io/current-metrics":"[{\"type\":\"External\",\"external\":{\"metricName\":\"e\",\"currentAverageValue\":\"3\"}},{\"type\":\"Resource\",\"resource\":{\"name\":\"memory\"}}]"}}})";
  EXPECT_EQ(TargetsOf(averages), R"("3/4 (avg), memory: 0/1Gi")");
}

// Two things the autoscaling/v1 form of an HPA no longer says, so kcache, which follows v1's
// conversion, prints them otherwise than the upstream, which prints from storage.

// Where the CPU utilization target was: it came first in this HPA, and the conversion puts it
// last.
TEST(HorizontalPodAutoscalerPrinter, V1PutsTheCpuTargetLast) {
  std::vector<UpstreamRow> rows = {
    {R"json({"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v1","metadata":{"name":"hpa-order","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:28Z","annotations":{"autoscaling.alpha.kubernetes.io/current-metrics":"[{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"currentAverageUtilization\":65,\"currentAverageValue\":\"300m\"}},{\"type\":\"Resource\",\"resource\":{\"name\":\"memory\",\"currentAverageValue\":\"1Gi\"}}]","autoscaling.alpha.kubernetes.io/metrics":"[{\"type\":\"Resource\",\"resource\":{\"name\":\"memory\",\"targetAverageUtilization\":80}}]"}},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"missing2","apiVersion":"apps/v1"},"minReplicas":1,"maxReplicas":5,"targetCPUUtilizationPercentage":70},"status":{"currentReplicas":1,"desiredReplicas":0,"currentCPUUtilizationPercentage":65}})json",
     {R"("hpa-order")", R"("Deployment/missing2")", R"("cpu: 65%/70%, memory: \u003cunknown\u003e/80%")", R"("1")", R"(5)", R"(1)", R"("40s")"}},
  };
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells[2], R"("cpu: 65%/70%, memory: \u003cunknown\u003e/80%")");
  EXPECT_EQ(TargetsOf(rows[0].object), R"("memory: 65%/80%, cpu: \u003cunknown\u003e/70%")");
}

// That a current value was missing: v1 writes a zero.
TEST(HorizontalPodAutoscalerPrinter, V1ReadsMissingCurrentValuesAsZero) {
  std::vector<UpstreamRow> rows = {
    {R"json({"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v1","metadata":{"name":"hpa-multi","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:28Z","annotations":{"autoscaling.alpha.kubernetes.io/current-metrics":"[{\"type\":\"Resource\",\"resource\":{\"name\":\"memory\",\"currentAverageValue\":\"0\"}},{\"type\":\"Pods\",\"pods\":{\"metricName\":\"packets\",\"currentAverageValue\":\"0\"}}]","autoscaling.alpha.kubernetes.io/metrics":"[{\"type\":\"Resource\",\"resource\":{\"name\":\"memory\",\"targetAverageValue\":\"100Mi\"}},{\"type\":\"Pods\",\"pods\":{\"metricName\":\"packets\",\"targetAverageValue\":\"1k\"}},{\"type\":\"Object\",\"object\":{\"target\":{\"kind\":\"Ingress\",\"name\":\"main\",\"apiVersion\":\"networking.k8s.io/v1\"},\"metricName\":\"requests\",\"targetValue\":\"10k\"}},{\"type\":\"External\",\"external\":{\"metricName\":\"queue\",\"targetAverageValue\":\"30\"}}]"}},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"missing","apiVersion":"apps/v1"},"minReplicas":1,"maxReplicas":20,"targetCPUUtilizationPercentage":60},"status":{"currentReplicas":4,"desiredReplicas":0}})json",
     {R"("hpa-multi")", R"("Deployment/missing")", R"("memory: \u003cnil\u003e/100Mi, \u003cnil\u003e/1k + 3 more...")", R"("1")", R"(20)", R"(4)", R"("8m55s")"}},
  };
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells[2], R"("memory: \u003cnil\u003e/100Mi, \u003cnil\u003e/1k + 3 more...")");
  EXPECT_EQ(TargetsOf(rows[0].object), R"("memory: 0/100Mi, 0/1k + 3 more...")");
}

// --- PodDisruptionBudgets ---

TEST(PodDisruptionBudgetPrinter, UpstreamRows) {
  ExpectUpstreamRows("policy", "poddisruptionbudgets", kServedAt, {
    {R"json({"kind":"PodDisruptionBudget","apiVersion":"policy/v1","metadata":{"name":"pdb-max-percent","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:43Z"},"spec":{"selector":{"matchLabels":{"app":"web"}},"maxUnavailable":"50%"},"status":{"disruptionsAllowed":2,"currentHealthy":3,"desiredHealthy":1,"expectedPods":3,"conditions":[{"type":"DisruptionAllowed","status":"True","reason":"SufficientPods"}]}})json",
     {R"("pdb-max-percent")", R"("N/A")", R"("50%")", R"(2)", R"("71s")"}},
    {R"json({"kind":"PodDisruptionBudget","apiVersion":"policy/v1","metadata":{"name":"pdb-min","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:43Z"},"spec":{"minAvailable":2,"selector":{"matchLabels":{"app":"web"}}},"status":{"disruptionsAllowed":1,"currentHealthy":3,"desiredHealthy":2,"expectedPods":3,"conditions":[{"type":"DisruptionAllowed","status":"True","reason":"SufficientPods"}]}})json",
     {R"("pdb-min")", R"("2")", R"("N/A")", R"(1)", R"("71s")"}},
    {R"json({"kind":"PodDisruptionBudget","apiVersion":"policy/v1","metadata":{"name":"pdb-min-percent","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:43Z"},"spec":{"minAvailable":"10%","selector":{"matchLabels":{"app":"db"}}},"status":{"disruptionsAllowed":1,"currentHealthy":2,"desiredHealthy":1,"expectedPods":2,"conditions":[{"type":"DisruptionAllowed","status":"True","reason":"SufficientPods"}]}})json",
     {R"("pdb-min-percent")", R"("10%")", R"("N/A")", R"(1)", R"("71s")"}},
    {R"json({"kind":"PodDisruptionBudget","apiVersion":"policy/v1","metadata":{"name":"pdb-none","namespace":"printers-apps","creationTimestamp":"2026-11-28T23:52:43Z"},"spec":{"selector":{"matchLabels":{"app":"nothing"}}},"status":{"disruptionsAllowed":0,"currentHealthy":0,"desiredHealthy":0,"expectedPods":0,"conditions":[{"type":"DisruptionAllowed","status":"False","reason":"InsufficientPods"}]}})json",
     {R"("pdb-none")", R"("N/A")", R"("N/A")", R"(0)", R"("71s")"}},
  });
}

TEST(PodDisruptionBudgetPrinter, ZeroIsSet) {
  std::string budget = R"({"metadata":{"name":"p"},"spec":{"maxUnavailable":0}})";
  EXPECT_EQ(CellsOf("policy", "poddisruptionbudgets", budget, kNow),
            (std::vector<std::string>{R"("p")", R"("N/A")", R"("0")", "0",
                                      R"("\u003cunknown\u003e")"}));
}

}  // namespace
}  // namespace kcache
