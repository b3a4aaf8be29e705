// Which fields each resource lets a fieldSelector name, where their values come from in the
// object's JSON, and the 400 message for a field it does not support, as kube-apiserver 1.37
// serves them.
//
// kube-apiserver decides this in two independent layers, and this file keeps both:
//  1. field label conversion (pkg/apis/<group>/<version>/conversion.go, registered with
//     AddFieldLabelConversionFunc; runtime.DefaultMetaV1FieldSelectorConversion for every kind
//     without one): which labels are accepted, renamed, or rejected with which message;
//  2. the registry's GetAttrs / ToSelectableFields (pkg/registry/.../strategy.go): the field
//     set an object is matched against. A label accepted by (1) but absent from (2) compares
//     as "" (pods' status.podIPs).
//
// Thread-safety: plain values; the tables are built on each call.
#pragma once

#include <boost/system/result.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kube/field_selector.h"

namespace kcache {

// How the registry turns the JSON value into the string it matches against.
enum class FieldValueKind {
  kString,  // Go string field: the string; missing/null -> "".
  kBool,    // Go bool field printed with strconv.FormatBool: missing/null -> "false".
  kInt,     // Go integer field printed with strconv.Itoa: missing/null -> "0".
  // Custom resource field read from unstructured content and printed with fmt.Sprint: strings
  // as-is, true/false, integers in decimal, other numbers as Go's %v of a float64;
  // missing/null -> "".
  kJsonScalar,
};

struct SelectableField {
  // The label after conversion, as the selector names it when matching.
  std::string label;
  // RFC 6901 pointer into the object as served (plain object keys, e.g. "/status/phase").
  // Empty when the registry never sets the field: its value is then always "".
  std::string json_pointer;
  FieldValueKind kind = FieldValueKind::kString;
  // Read when the primary value renders as "" (core Events' "source" falls back to the
  // reporting controller). Empty when there is no fallback.
  std::string fallback_json_pointer;
};

// Which message a rejected label gets; each conversion func words it its own way.
enum class FieldLabelErrorStyle {
  // runtime.DefaultMetaV1FieldSelectorConversion:
  //   "\"X\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
  kDefaultMetadataOnly,
  // Most custom conversion funcs, and custom resources: "field label not supported: X"
  kNotSupported,
  // batch/v1 Job: "field label \"X\" not supported for Job" (error_kind = "Job")
  kQuotedLabelForKind,
  // resource.k8s.io ResourceSlice:
  //   "field label not supported for resource.k8s.io/v1, Kind=ResourceSlice: X"
  //   (error_kind = the GroupVersionKind string)
  kNotSupportedForKind,
};

struct SelectableFieldSet {
  FieldLabelErrorStyle error_style = FieldLabelErrorStyle::kDefaultMetadataOnly;
  std::string error_kind;  // see FieldLabelErrorStyle
  // The object's field set carries metadata.namespace (namespaced resources). Independent of
  // whether the label is accepted: cluster-scoped kinds on the default conversion accept
  // metadata.namespace and then compare it as "".
  bool namespaced = true;
  // Conversion accepts metadata.namespace. Nodes, Namespaces, CSRs, ResourceSlices, cluster-
  // scoped custom resources and (oddly) PodCertificateRequests do not.
  bool accepts_metadata_namespace = true;
  // Conversion accepts each field's own label. False for events.k8s.io, whose clients must use
  // the aliases (regarding.*), the canonical core names being rejected there.
  bool accepts_field_labels = true;
  // Fields besides metadata.name / metadata.namespace.
  std::vector<SelectableField> fields;
  // Labels a client may send that conversion renames: (client label, canonical label).
  std::vector<std::pair<std::string, std::string>> aliases;
};

// The set for a resource of a built-in API group, or the default (metadata.name and
// metadata.namespace only) for anything not listed. `namespaced` only matters for the default.
// `version` only shows in ResourceSlice messages (empty: "v1"). Custom resources must use
// SelectableFieldsForCustomResource: their conversion is not the default one.
SelectableFieldSet SelectableFieldsFor(std::string_view group, std::string_view resource,
                                       bool namespaced, std::string_view version = {});

// The set for one version of a custom resource, from its CRD's
// spec.versions[].selectableFields[].jsonPath values (".spec.color" -> label "spec.color",
// pointer "/spec/color"). Rejections read "field label not supported: X" whether or not any
// selectable field is declared (apiextensions-apiserver crConverter.ConvertFieldLabel).
SelectableFieldSet SelectableFieldsForCustomResource(const std::vector<std::string>& json_paths,
                                                     bool namespaced);

// Field label conversion: checks every requirement against `set` in selector order and returns
// the selector with aliases renamed to canonical labels, or the first rejection's 400 message.
[[nodiscard]] boost::system::result<FieldSelector, std::string> ValidateFieldSelector(
    const FieldSelector& selector, const SelectableFieldSet& set);

// What a JSON value at a field's pointer looked like, for RenderFieldValue.
enum class JsonValueType { kMissing, kNull, kString, kBool, kNumber, kOther };

// The string the registry puts in the field set. `text` is the unescaped string for kString,
// "true"/"false" for kBool, and the number literal for kNumber.
std::string RenderFieldValue(FieldValueKind kind, JsonValueType type, std::string_view text);

}  // namespace kcache
