#include "kube/selectable_fields.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <system_error>

#include "kube/go_text.h"
#include "kube/label_selector.h"

namespace kcache {
namespace {

using Kind = FieldValueKind;

SelectableField Field(std::string label, std::string pointer, Kind kind = Kind::kString,
                      std::string fallback = {}) {
  return SelectableField{std::move(label), std::move(pointer), kind, std::move(fallback)};
}

// A kind with its own conversion func, rejecting with "field label not supported: X".
SelectableFieldSet Custom(bool namespaced, std::vector<SelectableField> fields) {
  SelectableFieldSet set;
  set.error_style = FieldLabelErrorStyle::kNotSupported;
  set.namespaced = namespaced;
  set.accepts_metadata_namespace = namespaced;
  set.fields = std::move(fields);
  return set;
}

// Each entry names the conversion func (layer 1) and the registry attrs (layer 2) it copies.
// Confirmed against source unless marked otherwise.

// pkg/apis/core/v1/conversion.go (Pod) + pkg/registry/core/pod/strategy.go ToSelectableFields.
SelectableFieldSet Pods() {
  SelectableFieldSet set = Custom(
      true,
      {
          Field("spec.nodeName", "/spec/nodeName"),
          Field("spec.restartPolicy", "/spec/restartPolicy"),
          Field("spec.schedulerName", "/spec/schedulerName"),
          Field("spec.serviceAccountName", "/spec/serviceAccountName"),
          // Go reads the internal Spec.SecurityContext.HostNetwork, which v1's spec.hostNetwork
          // feeds; absent means false.
          Field("spec.hostNetwork", "/spec/hostNetwork", Kind::kBool),
          Field("status.phase", "/status/phase"),
          // Go reads Status.PodIPs[0].IP; kube-apiserver writes status.podIP from that same entry.
          Field("status.podIP", "/status/podIP"),
          // Accepted by conversion but never set by ToSelectableFields: always "".
          Field("status.podIPs", ""),
          Field("status.nominatedNodeName", "/status/nominatedNodeName"),
      });
  // For old v1 clients.
  set.aliases = {{"spec.host", "spec.nodeName"}};
  return set;
}

// pkg/apis/core/v1/conversion.go (Node) + pkg/registry/core/node/strategy.go: fmt.Sprint of
// the bool. Cluster-scoped; metadata.namespace is rejected.
SelectableFieldSet Nodes() {
  return Custom(false, {Field("spec.unschedulable", "/spec/unschedulable", Kind::kBool)});
}

// pkg/apis/core/v1/conversion.go (Namespace) + pkg/registry/core/namespace/strategy.go. The
// registry also sets a legacy "name" key that conversion never lets through; left out.
SelectableFieldSet Namespaces() { return Custom(false, {Field("status.phase", "/status/phase")}); }

// pkg/apis/core/v1/conversion.go (ReplicationController) +
// pkg/registry/core/replicationcontroller/strategy.go: strconv.Itoa(Status.Replicas).
SelectableFieldSet ReplicationControllers() {
  return Custom(true, {Field("status.replicas", "/status/replicas", Kind::kInt)});
}

// pkg/apis/core/v1/conversion.go (Secret) + pkg/registry/core/secret/strategy.go.
SelectableFieldSet Secrets() { return Custom(true, {Field("type", "/type")}); }

// pkg/apis/core/v1/conversion.go (Service) + pkg/registry/core/service/strategy.go.
SelectableFieldSet Services() {
  return Custom(true,
                {Field("spec.clusterIP", "/spec/clusterIP"), Field("spec.type", "/spec/type")});
}

// pkg/apis/core/v1/conversion.go (Event) + pkg/registry/core/event/strategy.go. "source" is
// Source.Component, or ReportingController when that is empty.
SelectableFieldSet CoreEvents() {
  return Custom(true,
                {
                    Field("involvedObject.kind", "/involvedObject/kind"),
                    Field("involvedObject.namespace", "/involvedObject/namespace"),
                    Field("involvedObject.name", "/involvedObject/name"),
                    Field("involvedObject.uid", "/involvedObject/uid"),
                    Field("involvedObject.apiVersion", "/involvedObject/apiVersion"),
                    Field("involvedObject.resourceVersion", "/involvedObject/resourceVersion"),
                    Field("involvedObject.fieldPath", "/involvedObject/fieldPath"),
                    Field("reason", "/reason"),
                    Field("reportingComponent", "/reportingComponent"),
                    Field("source", "/source/component", Kind::kString, "/reportingComponent"),
                    Field("type", "/type"),
                });
}

// pkg/apis/events/v1/conversion.go AddFieldLabelConversionsForEvent: events.k8s.io shares the
// core Event storage, so its labels are mapped onto the core field set (regarding.kind ->
// involvedObject.kind, reportingController -> reportingComponent). Only the mapped names are
// accepted; "involvedObject.kind" itself is "field label not supported" here. The values are
// read from the events.k8s.io representation of the same fields.
SelectableFieldSet EventsK8sIoEvents() {
  SelectableFieldSet set = Custom(
      true,
      {
          Field("involvedObject.kind", "/regarding/kind"),
          Field("involvedObject.namespace", "/regarding/namespace"),
          Field("involvedObject.name", "/regarding/name"),
          Field("involvedObject.uid", "/regarding/uid"),
          Field("involvedObject.apiVersion", "/regarding/apiVersion"),
          Field("involvedObject.resourceVersion", "/regarding/resourceVersion"),
          Field("involvedObject.fieldPath", "/regarding/fieldPath"),
          Field("reason", "/reason"),
          Field("reportingComponent", "/reportingController"),
          Field("source", "/deprecatedSource/component", Kind::kString, "/reportingController"),
          Field("type", "/type"),
      });
  set.accepts_field_labels = false;
  set.aliases = {
      {"reason", "reason"},
      {"regarding.kind", "involvedObject.kind"},
      {"regarding.namespace", "involvedObject.namespace"},
      {"regarding.name", "involvedObject.name"},
      {"regarding.uid", "involvedObject.uid"},
      {"regarding.apiVersion", "involvedObject.apiVersion"},
      {"regarding.resourceVersion", "involvedObject.resourceVersion"},
      {"regarding.fieldPath", "involvedObject.fieldPath"},
      {"reportingController", "reportingComponent"},
      {"source", "source"},
      {"type", "type"},
  };
  return set;
}

// pkg/apis/batch/v1/conversion.go (Job only; CronJob has no conversion func) +
// pkg/registry/batch/job/strategy.go: the label says "successful", the field is
// Status.Succeeded.
SelectableFieldSet Jobs() {
  SelectableFieldSet set =
      Custom(true, {Field("status.successful", "/status/succeeded", Kind::kInt)});
  set.error_style = FieldLabelErrorStyle::kQuotedLabelForKind;
  set.error_kind = "Job";
  return set;
}

// pkg/apis/certificates/v1/conversion.go + pkg/registry/certificates/certificates/strategy.go.
SelectableFieldSet CertificateSigningRequests() {
  return Custom(false, {Field("spec.signerName", "/spec/signerName")});
}

// pkg/apis/certificates/v1beta1/conversion.go + .../clustertrustbundle/storage/storage.go.
SelectableFieldSet ClusterTrustBundles() {
  return Custom(false, {Field("spec.signerName", "/spec/signerName")});
}

// pkg/apis/certificates/v1/conversion.go + .../podcertificaterequest/storage/storage.go. The
// conversion lists metadata.name but not metadata.namespace although the kind is namespaced.
SelectableFieldSet PodCertificateRequests() {
  SelectableFieldSet set = Custom(true, {
                                            Field("spec.signerName", "/spec/signerName"),
                                            Field("spec.podName", "/spec/podName"),
                                            Field("spec.nodeName", "/spec/nodeName"),
                                        });
  set.accepts_metadata_namespace = false;
  return set;
}

// pkg/apis/resource/v1beta1/conversion.go (and v1alpha3; v1 and v1beta2 not read, assumed the
// same) + pkg/registry/resource/resourceslice/strategy.go (nil spec.nodeName reads "").
SelectableFieldSet ResourceSlices(std::string_view version) {
  SelectableFieldSet set = Custom(
      false, {Field("spec.nodeName", "/spec/nodeName"), Field("spec.driver", "/spec/driver")});
  set.error_style = FieldLabelErrorStyle::kNotSupportedForKind;
  set.error_kind =
      "resource.k8s.io/" + std::string(version.empty() ? "v1" : version) + ", Kind=ResourceSlice";
  return set;
}

// runtime.DefaultMetaV1FieldSelectorConversion with storage.Default{Namespace,Cluster}ScopedAttr.
// This covers apps (apps/v1 registers no conversion: ReplicaSets reject status.replicas,
// kubernetes/kubernetes#135136), CronJobs, PersistentVolumes, PersistentVolumeClaims, ...
SelectableFieldSet Default(bool namespaced) {
  SelectableFieldSet set;
  set.namespaced = namespaced;
  return set;
}

std::string Rejection(const SelectableFieldSet& set, std::string_view label) {
  switch (set.error_style) {
    case FieldLabelErrorStyle::kDefaultMetadataOnly:
      return GoQuote(label) +
             " is not a known field selector: only \"metadata.name\", \"metadata.namespace\"";
    case FieldLabelErrorStyle::kNotSupported:
      return "field label not supported: " + std::string(label);
    case FieldLabelErrorStyle::kQuotedLabelForKind:
      return "field label " + GoQuote(label) + " not supported for " + set.error_kind;
    case FieldLabelErrorStyle::kNotSupportedForKind:
      return "field label not supported for " + set.error_kind + ": " + std::string(label);
  }
  return {};
}

// The canonical label for `label`, or nullptr when conversion rejects it.
const std::string* Convert(const SelectableFieldSet& set, const std::string& label) {
  static const std::string kName = "metadata.name";
  static const std::string kNamespace = "metadata.namespace";
  if (label == kName) return &kName;
  if (label == kNamespace) return set.accepts_metadata_namespace ? &kNamespace : nullptr;
  for (const auto& [from, to] : set.aliases) {
    if (from == label) return &to;
  }
  if (set.accepts_field_labels) {
    for (const SelectableField& field : set.fields) {
      if (field.label == label) return &field.label;
    }
  }
  return nullptr;
}

// fmt.Sprint of a float64, i.e. strconv.FormatFloat(f, 'g', -1, 64): the shortest digits that
// round-trip, in exponent form when the decimal exponent is < -4 or >= 6, with at least two
// exponent digits ("1e+06"). JSON has no Inf or NaN, so those are not handled.
std::string GoFloat(double value) {
  char buffer[64];
  auto [end, error] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  if (error != std::errc()) return {};
  std::string_view text(buffer, static_cast<size_t>(end - buffer));
  bool negative = text.front() == '-';
  if (negative) text.remove_prefix(1);
  size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = std::atoi(std::string(text.substr(e + 1)).c_str());
  std::string out = negative ? "-" : "";
  if (exponent < -4 || exponent >= 6) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    out += exponent < 0 ? "e-" : "e+";
    std::string magnitude = std::to_string(std::abs(exponent));
    if (magnitude.size() < 2) magnitude.insert(0, "0");
    out += magnitude;
  } else if (exponent < 0) {
    out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
  } else {
    size_t point = static_cast<size_t>(exponent) + 1;
    if (digits.size() <= point) {
      out += digits + std::string(point - digits.size(), '0');
    } else {
      out += digits.substr(0, point) + "." + digits.substr(point);
    }
  }
  return out;
}

}  // namespace

SelectableFieldSet SelectableFieldsFor(std::string_view group, std::string_view resource,
                                       bool namespaced, std::string_view version) {
  if (group.empty()) {
    if (resource == "pods") return Pods();
    if (resource == "nodes") return Nodes();
    if (resource == "namespaces") return Namespaces();
    if (resource == "replicationcontrollers") return ReplicationControllers();
    if (resource == "secrets") return Secrets();
    if (resource == "services") return Services();
    if (resource == "events") return CoreEvents();
  } else if (group == "events.k8s.io") {
    if (resource == "events") return EventsK8sIoEvents();
  } else if (group == "batch") {
    if (resource == "jobs") return Jobs();
  } else if (group == "certificates.k8s.io") {
    if (resource == "certificatesigningrequests") return CertificateSigningRequests();
    if (resource == "clustertrustbundles") return ClusterTrustBundles();
    if (resource == "podcertificaterequests") return PodCertificateRequests();
  } else if (group == "resource.k8s.io") {
    if (resource == "resourceslices") return ResourceSlices(version);
  }
  return Default(namespaced);
}

SelectableFieldSet SelectableFieldsForCustomResource(const std::vector<std::string>& json_paths,
                                                     bool namespaced) {
  SelectableFieldSet set;
  set.error_style = FieldLabelErrorStyle::kNotSupported;
  set.namespaced = namespaced;
  set.accepts_metadata_namespace = namespaced;
  for (const std::string& path : json_paths) {
    // The label is the path without its leading '.'; CRD validation only admits simple
    // dotted paths, so each segment is one object key. Bracket forms are not translated
    // (their value reads as "").
    std::string label = path.starts_with('.') ? path.substr(1) : path;
    std::string pointer;
    if (label.find_first_of("[]") == std::string::npos) {
      size_t start = 0;
      while (start <= label.size()) {
        size_t dot = label.find('.', start);
        std::string_view segment =
            std::string_view(label).substr(start, dot == std::string::npos ? dot : dot - start);
        pointer += '/';
        for (char c : segment) {
          // RFC 6901 escapes.
          if (c == '~')
            pointer += "~0";
          else if (c == '/')
            pointer += "~1";
          else
            pointer += c;
        }
        if (dot == std::string::npos) break;
        start = dot + 1;
      }
    }
    set.fields.push_back(Field(std::move(label), std::move(pointer), Kind::kJsonScalar));
  }
  return set;
}

boost::system::result<FieldSelector, std::string> ValidateFieldSelector(
    const FieldSelector& selector, const SelectableFieldSet& set) {
  std::vector<FieldRequirement> converted;
  converted.reserve(selector.Requirements().size());
  for (const FieldRequirement& requirement : selector.Requirements()) {
    const std::string* label = Convert(set, requirement.field);
    if (label == nullptr) {
      return boost::system::result<FieldSelector, std::string>(boost::system::in_place_error,
                                                               Rejection(set, requirement.field));
    }
    converted.push_back(FieldRequirement{*label, requirement.op, requirement.value});
  }
  return FieldSelector(std::move(converted));
}

std::string RenderFieldValue(FieldValueKind kind, JsonValueType type, std::string_view text) {
  switch (kind) {
    case Kind::kString: return type == JsonValueType::kString ? std::string(text) : std::string();
    case Kind::kBool: return type == JsonValueType::kBool && text == "true" ? "true" : "false";
    case Kind::kInt: {
      int64_t number = 0;
      if (type == JsonValueType::kNumber && ParseGoInt64(text, number)) {
        return std::to_string(number);
      }
      return "0";
    }
    case Kind::kJsonScalar:
      switch (type) {
        case JsonValueType::kString:
        case JsonValueType::kBool: return std::string(text);
        case JsonValueType::kNumber: {
          // Unstructured JSON decodes a number to int64 when it is an integer literal in
          // range, else to float64.
          int64_t number = 0;
          if (ParseGoInt64(text, number)) return std::to_string(number);
          return GoFloat(std::strtod(std::string(text).c_str(), nullptr));
        }
        default: return {};
      }
  }
  return {};
}

}  // namespace kcache
