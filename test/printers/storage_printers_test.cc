// Expected cells are kube-apiserver 1.37.2's. The golden rows were served by a dev cluster for
// objects created to exercise each printer (the objects as served, trimmed of managed fields;
// ages recomputed for kNow by apimachinery's HumanDuration). The hand-made cases cover branches
// a served object cannot reach; their expected cells follow pkg/printers/internalversion.

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "test/printers/print_for_test.h"

namespace kcache {
namespace {

constexpr std::string_view kNow = "2026-11-29T02:00:00Z";
constexpr std::string_view kGroup = "storage.k8s.io";

// Rows served for the objects created in the dev cluster.
const WrappedUpstreamRow kStorageClasses[] = {
    {R"json({"kind":"StorageClass","apiVersion":"storage.k8s.io/v1",
        "metadata":{"name":"printers-cluster-sc-full","creationTimestamp":"2026-11-28T23:51:55Z"},
        "provisioner":"example.com/printers-full","reclaimPolicy":"Retain",
        "allowVolumeExpansion":true,"volumeBindingMode":"WaitForFirstConsumer"})json",
     R"json(["printers-cluster-sc-full","example.com/printers-full","Retain",
        "WaitForFirstConsumer",true,"128m"])json"},
    {R"json({"kind":"StorageClass","apiVersion":"storage.k8s.io/v1",
        "metadata":{"name":"printers-cluster-sc-plain","creationTimestamp":"2026-11-28T23:51:55Z"},
        "provisioner":"example.com/printers-plain","reclaimPolicy":"Delete",
        "volumeBindingMode":"Immediate"})json",
     R"json(["printers-cluster-sc-plain","example.com/printers-plain","Delete","Immediate",false,
        "128m"])json"},
    {R"json({"kind":"StorageClass","apiVersion":"storage.k8s.io/v1",
        "metadata":{"name":"printers-cluster-sc-default-a",
        "creationTimestamp":"2026-11-28T23:52:06Z",
        "annotations":{"storageclass.beta.kubernetes.io/is-default-class":"true"}},
        "provisioner":"example.com/printers-default","reclaimPolicy":"Delete",
        "volumeBindingMode":"Immediate"})json",
     R"json(["printers-cluster-sc-default-a","example.com/printers-default","Delete","Immediate",
        false,"127m"])json"},
};

const WrappedUpstreamRow kVolumeAttachments[] = {
    {R"json({"kind":"VolumeAttachment","apiVersion":"storage.k8s.io/v1",
        "metadata":{"name":"printers-cluster-va-inline","creationTimestamp":"2026-11-28T23:51:56Z"},
        "spec":{"attacher":"printers-attacher.example.com",
        "source":{"inlineVolumeSpec":{"csi":{"driver":"printers-attacher.example.com",
        "volumeHandle":"h1"},"accessModes":["ReadWriteOnce"]}},"nodeName":"kwok-node-2"},
        "status":{"attached":false}})json",
     R"json(["printers-cluster-va-inline","printers-attacher.example.com","","kwok-node-2",false,
        "128m"])json"},
    {R"json({"kind":"VolumeAttachment","apiVersion":"storage.k8s.io/v1",
        "metadata":{"name":"printers-cluster-va-pv","creationTimestamp":"2026-11-28T23:51:56Z"},
        "spec":{"attacher":"printers-attacher.example.com",
        "source":{"persistentVolumeName":"printers-cluster-pv"},"nodeName":"kwok-node-1"},
        "status":{"attached":true}})json",
     R"json(["printers-cluster-va-pv","printers-attacher.example.com","printers-cluster-pv",
        "kwok-node-1",true,"128m"])json"},
};

const WrappedUpstreamRow kCsiNodes[] = {
    {R"json({"kind":"CSINode","apiVersion":"storage.k8s.io/v1",
        "metadata":{"name":"printers-cluster-csinode","creationTimestamp":"2026-11-28T23:51:56Z"},
        "spec":{"drivers":[{"name":"a.example.com","nodeID":"n1","topologyKeys":null},
        {"name":"b.example.com","nodeID":"n1","topologyKeys":null}]},"status":{}})json",
     R"json(["printers-cluster-csinode",2,"128m"])json"},
    {R"json({"kind":"CSINode","apiVersion":"storage.k8s.io/v1",
        "metadata":{"name":"printers-cluster-csinode-empty",
        "creationTimestamp":"2026-11-28T23:51:55Z"},"spec":{"drivers":null},"status":{}})json",
     R"json(["printers-cluster-csinode-empty",0,"128m"])json"},
};

const WrappedUpstreamRow kCsiDrivers[] = {
    {R"json({"kind":"CSIDriver","apiVersion":"storage.k8s.io/v1",
        "metadata":{"name":"printers-cluster-csi-defaults",
        "creationTimestamp":"2026-11-28T23:51:55Z"},"spec":{"attachRequired":true,
        "podInfoOnMount":false,"volumeLifecycleModes":["Persistent"],"storageCapacity":false,
        "fsGroupPolicy":"ReadWriteOnceWithFSType","requiresRepublish":false,"seLinuxMount":false,
        "preventPodSchedulingIfMissing":false}})json",
     R"json(["printers-cluster-csi-defaults",true,false,false,"\u003cunset\u003e",false,
        "Persistent","128m"])json"},
    {R"json({"kind":"CSIDriver","apiVersion":"storage.k8s.io/v1",
        "metadata":{"name":"printers-cluster-csi-full","creationTimestamp":"2026-11-28T23:51:55Z"},
        "spec":{"attachRequired":false,"podInfoOnMount":true,"volumeLifecycleModes":["Persistent",
        "Ephemeral"],"storageCapacity":true,"fsGroupPolicy":"ReadWriteOnceWithFSType",
        "tokenRequests":[{"audience":""},{"audience":"printers-b","expirationSeconds":3600}],
        "requiresRepublish":true,"seLinuxMount":false,"preventPodSchedulingIfMissing":false}})json",
     R"json(["printers-cluster-csi-full",false,true,true,",printers-b",true,"Persistent,Ephemeral",
        "128m"])json"},
};

const WrappedUpstreamRow kVolumeAttributesClasses[] = {
    {R"json({"kind":"VolumeAttributesClass","apiVersion":"storage.k8s.io/v1",
        "metadata":{"name":"printers-cluster-vac","creationTimestamp":"2026-11-28T23:51:55Z",
        "finalizers":["kubernetes.io/vac-protection"]},"driverName":"example.com/printers-vac",
        "parameters":{"iops":"100"}})json",
     R"json(["printers-cluster-vac","example.com/printers-vac","128m"])json"},
};

TEST(StoragePrinters, ColumnsAreTheUpstreams) {
  auto columns = [](std::string_view resource) {
    PrinterPtr printer = FindBuiltinPrinter(kGroup, resource);
    return printer ? printer->columns : std::vector<std::string>{};
  };
  using Columns = std::vector<std::string>;
  EXPECT_EQ(columns("storageclasses"),
            (Columns{"Name", "Provisioner", "ReclaimPolicy", "VolumeBindingMode",
                     "AllowVolumeExpansion", "Age"}));
  EXPECT_EQ(columns("volumeattachments"),
            (Columns{"Name", "Attacher", "PV", "Node", "Attached", "Age"}));
  EXPECT_EQ(columns("csinodes"), (Columns{"Name", "Drivers", "Age"}));
  EXPECT_EQ(columns("csidrivers"),
            (Columns{"Name", "AttachRequired", "PodInfoOnMount", "StorageCapacity",
                     "TokenRequests", "RequiresRepublish", "Modes", "Age"}));
  EXPECT_EQ(columns("volumeattributesclasses"), (Columns{"Name", "DriverName", "Age"}));
}

// kube-apiserver serves CSIStorageCapacities with its default convertor (NAME, CREATED AT).
TEST(StoragePrinters, CsiStorageCapacitiesHaveNoPrinter) {
  EXPECT_EQ(FindBuiltinPrinter(kGroup, "csistoragecapacities"), nullptr);
}

TEST(StoragePrinters, StorageClassesMatchUpstream) {
  ExpectUpstreamRows(kGroup, "storageclasses", kNow, kStorageClasses);
}

// An object alone (a GET, a watch event) is never marked " (default)", even with the default
// annotation: only the list printer marks the effective default.
TEST(StoragePrinters, LoneStorageClassIsNotMarkedDefault) {
  std::string storage_class = R"({"metadata":{"name":"standard",
    "annotations":{"storageclass.kubernetes.io/is-default-class":"true"}},
    "provisioner":"p"})";
  EXPECT_EQ(CellsOf(kGroup, "storageclasses", storage_class, kNow)[0], R"("standard")");
}

TEST(StoragePrinters, StorageClassUnsetFieldsReadAsDefaults) {
  std::string storage_class = R"({"metadata":{"name":"bare"},"provisioner":"p"})";
  std::vector<std::string> expected = {R"("bare")", R"("p")", R"("Delete")", R"("Immediate")",
                                       "false", R"("\u003cunknown\u003e")"};
  EXPECT_EQ(CellsOf(kGroup, "storageclasses", storage_class, kNow), expected);
}

TEST(StoragePrinters, VolumeAttachmentsMatchUpstream) {
  ExpectUpstreamRows(kGroup, "volumeattachments", kNow, kVolumeAttachments);
}

TEST(StoragePrinters, VolumeAttachmentWithoutStatusIsNotAttached) {
  std::string attachment = R"({"metadata":{"name":"va","creationTimestamp":"2026-11-29T01:59:00Z"},
    "spec":{"attacher":"a","nodeName":"n","source":{"persistentVolumeName":null}}})";
  std::vector<std::string> expected = {R"("va")", R"("a")", R"("")", R"("n")", "false",
                                       R"("60s")"};
  EXPECT_EQ(CellsOf(kGroup, "volumeattachments", attachment, kNow), expected);
}

TEST(StoragePrinters, CsiNodesMatchUpstream) { ExpectUpstreamRows(kGroup, "csinodes", kNow, kCsiNodes); }

TEST(StoragePrinters, CsiDriversMatchUpstream) { ExpectUpstreamRows(kGroup, "csidrivers", kNow, kCsiDrivers); }

// Unset pointers read as the defaults; a token request list that is set but empty prints
// empty, not "<unset>"; no lifecycle modes print "<none>".
TEST(StoragePrinters, CsiDriverUnsetAndEmptyFields) {
  std::string unset = R"({"metadata":{"name":"d","creationTimestamp":"2026-11-22T02:00:00Z"},
    "spec":{}})";
  std::vector<std::string> expected = {R"("d")",   "true",  "false",
                                       "false",    R"("\u003cunset\u003e")",
                                       "false",    R"("\u003cnone\u003e")",
                                       R"("7d")"};
  EXPECT_EQ(CellsOf(kGroup, "csidrivers", unset, kNow), expected);

  std::string empty = R"({"metadata":{"name":"d"},"spec":{"tokenRequests":[],
    "volumeLifecycleModes":[]}})";
  auto cells = CellsOf(kGroup, "csidrivers", empty, kNow);
  ASSERT_EQ(cells.size(), 8u);
  EXPECT_EQ(cells[4], R"("")");
  EXPECT_EQ(cells[6], R"("\u003cnone\u003e")");
}

TEST(StoragePrinters, VolumeAttributesClassesMatchUpstream) {
  ExpectUpstreamRows(kGroup, "volumeattributesclasses", kNow, kVolumeAttributesClasses);
}

}  // namespace
}  // namespace kcache
