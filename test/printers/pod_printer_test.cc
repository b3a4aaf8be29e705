// Expected cells are kube-apiserver 1.37's, for the same objects.

#include <gtest/gtest.h>

#include "test/printers/print_for_test.h"

namespace kcache {
namespace {

constexpr std::string_view kNow = "2026-11-28T12:00:00Z";

TEST(PodPrinter, RunningPodWithRestarts) {
  std::string pod = R"({"metadata":{"name":"web-0","namespace":"a",
    "creationTimestamp":"2026-11-25T08:00:00Z"},
    "spec":{"nodeName":"node-1","containers":[{"name":"a"},{"name":"b"}]},
    "status":{"phase":"Running","podIP":"10.0.0.7","podIPs":[{"ip":"10.0.0.7"}],
      "conditions":[{"type":"Ready","status":"True"}],
      "containerStatuses":[
        {"name":"a","ready":true,"restartCount":2,"state":{"running":{}},
         "lastState":{"terminated":{"exitCode":1,"finishedAt":"2026-11-28T11:55:00Z"}}},
        {"name":"b","ready":true,"restartCount":0,"state":{"running":{}}}]}})";
  std::vector<std::string> expected = {
      R"("web-0")",    R"("2/2")",    R"("Running")",           R"x("2 (5m ago)")x",
      R"("3d4h")",     R"("10.0.0.7")", R"("node-1")",          R"("\u003cnone\u003e")",
      R"("\u003cnone\u003e")"};
  EXPECT_EQ(CellsOf("", "pods", pod, kNow), expected);
}

TEST(PodPrinter, InitContainerWaiting) {
  std::string pod = R"({"metadata":{"name":"p","creationTimestamp":"2026-11-28T11:59:00Z"},
    "spec":{"initContainers":[{"name":"i1"},{"name":"i2"}],"containers":[{"name":"a"}]},
    "status":{"phase":"Pending","initContainerStatuses":[
      {"name":"i1","state":{"terminated":{"exitCode":0}}},
      {"name":"i2","restartCount":3,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}})";
  auto cells = CellsOf("", "pods", pod, kNow);
  ASSERT_EQ(cells.size(), 9u);
  EXPECT_EQ(cells[1], R"("0/1")");
  EXPECT_EQ(cells[2], R"("Init:CrashLoopBackOff")");
  EXPECT_EQ(cells[3], R"("3")");
  EXPECT_EQ(cells[4], R"("60s")");
}

TEST(PodPrinter, SidecarsCountAndInitProgress) {
  std::string pod = R"({"metadata":{"name":"p","creationTimestamp":"2026-11-28T11:00:00Z"},
    "spec":{"initContainers":[{"name":"side","restartPolicy":"Always"},{"name":"i2"}],
      "containers":[{"name":"a"}]},
    "status":{"phase":"Pending","initContainerStatuses":[
      {"name":"side","started":true,"ready":true,"state":{"running":{}}},
      {"name":"i2","state":{"running":{}}}]}})";
  auto cells = CellsOf("", "pods", pod, kNow);
  EXPECT_EQ(cells[1], R"("1/2")");
  EXPECT_EQ(cells[2], R"("Init:1/2")");
}

TEST(PodPrinter, CompletedAndTerminating) {
  std::string succeeded = R"({"metadata":{"name":"p","creationTimestamp":"2026-11-28T11:00:00Z",
    "deletionTimestamp":"2026-11-28T11:59:00Z"},
    "spec":{"containers":[{"name":"a"}]},
    "status":{"phase":"Succeeded","containerStatuses":[
      {"name":"a","state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}})";
  auto printed = PrintForTest(FindBuiltinPrinter("", "pods"), succeeded, kNow);
  EXPECT_EQ(printed.cells[2], R"("Completed")");
  EXPECT_EQ(printed.conditions,
            R"([{"type":"Completed","status":"True","reason":"Succeeded","message":"The pod has completed successfully."}])");

  std::string running = R"({"metadata":{"name":"p","creationTimestamp":"2026-11-28T11:00:00Z",
    "deletionTimestamp":"2026-11-28T11:59:00Z"},"spec":{"containers":[{"name":"a"}]},
    "status":{"phase":"Running"}})";
  EXPECT_EQ(CellsOf("", "pods", running, kNow)[2], R"("Terminating")");
}

TEST(PodPrinter, CompletedContainerBesideRunningOne) {
  std::string pod = R"({"metadata":{"name":"p","creationTimestamp":"2026-11-28T11:00:00Z"},
    "spec":{"containers":[{"name":"a"},{"name":"b"}],"readinessGates":[{"conditionType":"x"}]},
    "status":{"phase":"Running","conditions":[{"type":"x","status":"True"}],
      "containerStatuses":[
      {"name":"a","state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
      {"name":"b","ready":true,"state":{"running":{}}}]}})";
  auto cells = CellsOf("", "pods", pod, kNow);
  EXPECT_EQ(cells[2], R"("NotReady")");
  EXPECT_EQ(cells[8], R"("1/1")");
}

}  // namespace
}  // namespace kcache
