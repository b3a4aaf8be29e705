// storage.k8s.io: StorageClasses, VolumeAttachments, CSINodes, CSIDrivers and
// VolumeAttributesClasses (pkg/printers/internalversion). CSIStorageCapacities have no printer:
// their registry uses the default convertor (NAME, CREATED AT).
//
// The printers read the internal type, decoded from the v1 object with its defaults applied;
// kcache reads the v1 JSON as served, where an unset optional field is absent or null.

#include <vector>

#include "printers/builtin.h"
#include "printers/format.h"

namespace kcache {
namespace {

std::string_view TextOr(JsonView value, std::string_view fallback) {
  return value.is_string() ? value.str() : fallback;
}

bool BoolOr(JsonView value, bool fallback) {
  return value.is_bool() ? value.boolean() : fallback;
}

// --- StorageClasses ---

// Either default-class annotation set to exactly "true" (storageutil.IsDefaultAnnotation).
bool HasDefaultAnnotation(JsonView storage_class) {
  JsonView annotations = storage_class["metadata"]["annotations"];
  return annotations["storageclass.kubernetes.io/is-default-class"].str() == "true" ||
         annotations["storageclass.beta.kubernetes.io/is-default-class"].str() == "true";
}

// getEffectiveDefaultStorageClass: among the classes with the default annotation, the newest
// (creationTimestamp, to the second as stored), ties going to the smallest name; "" when none.
// kube-apiserver marks it " (default)" in list responses only: the single-object printer never
// does (a GET, a watch event).
std::string EffectiveDefaultStorageClass(const std::vector<JsonView>& classes) {
  const JsonView* best = nullptr;
  int64_t best_at = 0;
  for (const JsonView& storage_class : classes) {
    if (!HasDefaultAnnotation(storage_class)) continue;
    JsonView metadata = storage_class["metadata"];
    // Go's zero time is far before any real one.
    int64_t at = ParseRfc3339Seconds(metadata["creationTimestamp"].str()).value_or(INT64_MIN);
    if (best == nullptr || at > best_at ||
        (at == best_at && metadata["name"].str() < (*best)["metadata"]["name"].str())) {
      best = &storage_class;
      best_at = at;
    }
  }
  return best ? std::string((*best)["metadata"]["name"].str()) : std::string();
}

void StorageClassRow(JsonView storage_class, std::string_view effective_default,
                     PrintedRow& row) {
  std::string name(storage_class["metadata"]["name"].str());
  if (!effective_default.empty() && name == effective_default) name += " (default)";
  row.Text(std::move(name));
  row.Text(storage_class["provisioner"].str());
  row.Text(TextOr(storage_class["reclaimPolicy"], "Delete"));
  row.Text(TextOr(storage_class["volumeBindingMode"], "Immediate"));
  row.Bool(BoolOr(storage_class["allowVolumeExpansion"], false));
  row.Text(AgeOf(storage_class["metadata"]["creationTimestamp"]));
}

void PrintStorageClass(const PrintContext& context, JsonView storage_class, PrintedRow& row) {
  StorageClassRow(storage_class, context.list_note, row);
}

// --- VolumeAttachments ---

void PrintVolumeAttachment(const PrintContext&, JsonView attachment, PrintedRow& row) {
  JsonView spec = attachment["spec"];
  row.Text(attachment["metadata"]["name"].str());
  row.Text(spec["attacher"].str());
  // Empty for an inline volume (source.inlineVolumeSpec).
  row.Text(spec["source"]["persistentVolumeName"].str());
  row.Text(spec["nodeName"].str());
  row.Bool(attachment["status"]["attached"].boolean());
  row.Text(AgeOf(attachment["metadata"]["creationTimestamp"]));
}

// --- CSINodes ---

void PrintCsiNode(const PrintContext&, JsonView csi_node, PrintedRow& row) {
  row.Text(csi_node["metadata"]["name"].str());
  row.Int(static_cast<int64_t>(csi_node["spec"]["drivers"].size()));
  row.Text(AgeOf(csi_node["metadata"]["creationTimestamp"]));
}

// --- CSIDrivers ---

// The audiences of spec.tokenRequests joined with ","; "<unset>" only when the list is unset
// (an empty audience still counts, as an empty item).
std::string TokenRequestAudiences(JsonView token_requests) {
  if (!token_requests.is_array()) return "<unset>";
  std::vector<std::string> audiences;
  for (JsonView request : token_requests.elements()) {
    audiences.emplace_back(request["audience"].str());
  }
  return Join(audiences, ",");
}

std::string VolumeLifecycleModes(JsonView modes) {
  std::vector<std::string> names;
  for (JsonView mode : modes.elements()) names.emplace_back(mode.str());
  std::string joined = Join(names, ",");
  return joined.empty() ? "<none>" : joined;
}

void PrintCsiDriver(const PrintContext&, JsonView driver, PrintedRow& row) {
  JsonView spec = driver["spec"];
  row.Text(driver["metadata"]["name"].str());
  // Unset pointers read as the API's defaults: attach is required unless said otherwise.
  row.Bool(BoolOr(spec["attachRequired"], true));
  row.Bool(BoolOr(spec["podInfoOnMount"], false));
  row.Bool(BoolOr(spec["storageCapacity"], false));
  row.Text(TokenRequestAudiences(spec["tokenRequests"]));
  row.Bool(BoolOr(spec["requiresRepublish"], false));
  row.Text(VolumeLifecycleModes(spec["volumeLifecycleModes"]));
  row.Text(AgeOf(driver["metadata"]["creationTimestamp"]));
}

// --- VolumeAttributesClasses ---

void PrintVolumeAttributesClass(const PrintContext&, JsonView attributes_class,
                                PrintedRow& row) {
  row.Text(attributes_class["metadata"]["name"].str());
  row.Text(attributes_class["driverName"].str());
  row.Text(AgeOf(attributes_class["metadata"]["creationTimestamp"]));
}

}  // namespace

void AddStoragePrinters(PrinterTable& table) {
  constexpr std::string_view kGroup = "storage.k8s.io";
  AddPrinter(table, kGroup, "storageclasses",
             {.columns = {"Name", "Provisioner", "ReclaimPolicy", "VolumeBindingMode",
                          "AllowVolumeExpansion", "Age"},
              .print = PrintStorageClass,
              .list_note = EffectiveDefaultStorageClass});
  AddPrinter(table, kGroup, "volumeattachments",
             {.columns = {"Name", "Attacher", "PV", "Node", "Attached", "Age"},
              .print = PrintVolumeAttachment});
  AddPrinter(table, kGroup, "csinodes",
             {.columns = {"Name", "Drivers", "Age"}, .print = PrintCsiNode});
  AddPrinter(table, kGroup, "csidrivers",
             {.columns = {"Name", "AttachRequired", "PodInfoOnMount", "StorageCapacity",
                          "TokenRequests", "RequiresRepublish", "Modes", "Age"},
              .print = PrintCsiDriver});
  AddPrinter(table, kGroup, "volumeattributesclasses",
             {.columns = {"Name", "DriverName", "Age"}, .print = PrintVolumeAttributesClass});
}

}  // namespace kcache
