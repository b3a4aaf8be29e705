// The core group's printers other than pods and nodes (pkg/printers/internalversion): namespaces,
// services, endpoints, events (also served as events.k8s.io), config maps, secrets, service
// accounts, persistent volumes and claims, pod templates, replication controllers, resource
// quotas and component statuses. LimitRanges have no printer: the default convertor prints them.
//
// kube-apiserver prints the internal object after conversion from v1; the fields read here are
// the v1 names the conversion maps from, and the objects are the served ones, so defaults
// (a service's type, a port's protocol, a volume's mode) are already filled in.

#include <map>
#include <set>

#include "printers/builtin.h"
#include "printers/format.h"

namespace kcache {
namespace {

// Go tests a pointer (`DeletionTimestamp != nil`); a served object writes the time or nothing.
bool BeingDeleted(JsonView object) { return !IsZeroTime(object["metadata"]["deletionTimestamp"]); }

// A resource.Quantity as its String() writes it: served quantities are already canonical, and a
// missing one is the zero quantity, "0".
std::string QuantityText(JsonView quantity) {
  if (quantity.is_string() && !quantity.str().empty()) return std::string(quantity.str());
  return "0";
}

// An optional string field (*string in Go): its value, or `unset` when the pointer is nil.
std::string OptionalText(JsonView value, std::string_view unset) {
  return value.is_string() ? std::string(value.str()) : std::string(unset);
}

// ---- Namespaces, config maps, secrets, service accounts, pod templates ----

void PrintNamespace(const PrintContext&, JsonView ns, PrintedRow& row) {
  row.Text(NameOf(ns));
  row.Text(ns["status"]["phase"].str());
  row.Text(AgeOfObject(ns));
}

void PrintConfigMap(const PrintContext&, JsonView config_map, PrintedRow& row) {
  row.Text(NameOf(config_map));
  row.Int(static_cast<int64_t>(config_map["data"].size() + config_map["binaryData"].size()));
  row.Text(AgeOfObject(config_map));
}

// The v1 to internal conversion writes stringData over data, so a key in both counts once.
// (Served secrets never hold stringData: it is merged when written.)
int64_t SecretKeyCount(JsonView secret) {
  std::set<std::string_view> keys;
  for (auto [key, value] : secret["data"].members()) keys.insert(key);
  for (auto [key, value] : secret["stringData"].members()) keys.insert(key);
  return static_cast<int64_t>(keys.size());
}

void PrintSecret(const PrintContext&, JsonView secret, PrintedRow& row) {
  row.Text(NameOf(secret));
  row.Text(secret["type"].str());
  row.Int(SecretKeyCount(secret));
  row.Text(AgeOfObject(secret));
}

void PrintServiceAccount(const PrintContext&, JsonView account, PrintedRow& row) {
  row.Text(NameOf(account));
  row.Text(AgeOfObject(account));
}

void PrintPodTemplate(const PrintContext&, JsonView pod_template, PrintedRow& row) {
  JsonView template_spec = pod_template["template"];
  row.Text(NameOf(pod_template));
  AppendContainerCells(template_spec["spec"], row);
  row.Text(FormatLabels(template_spec["metadata"]["labels"]));
}

// ---- Replication controllers ----

void PrintReplicationController(const PrintContext&, JsonView controller,
                                PrintedRow& row) {
  JsonView spec = controller["spec"], status = controller["status"];
  row.Text(NameOf(controller));
  row.Int(spec["replicas"].i64());  // a nil pointer reads as 0
  row.Int(status["replicas"].i64());
  row.Int(status["readyReplicas"].i64());
  row.Text(AgeOfObject(controller));
  // Without a template the container cells are empty.
  AppendContainerCells(spec["template"]["spec"], row);
  row.Text(FormatLabels(spec["selector"]));
}

// ---- Services ----

std::vector<std::string> Strings(JsonView array) {
  std::vector<std::string> out;
  for (JsonView element : array.elements()) out.emplace_back(element.str());
  return out;
}

// getServiceExternalIP, wide: load-balancer addresses are never shortened on the server.
std::string ServiceExternalIp(JsonView service) {
  JsonView spec = service["spec"];
  std::string_view type = spec["type"].str();
  std::vector<std::string> external_ips = Strings(spec["externalIPs"]);
  if (type == "ClusterIP" || type == "NodePort") {
    return external_ips.empty() ? "<none>" : Join(external_ips, ",");
  }
  if (type == "LoadBalancer") {
    std::vector<std::string> addresses =
        LoadBalancerAddresses(service["status"]["loadBalancer"]["ingress"]);
    if (!external_ips.empty()) {
      addresses.insert(addresses.end(), external_ips.begin(), external_ips.end());
      return Join(addresses, ",");
    }
    return addresses.empty() ? "<pending>" : Join(addresses, ",");
  }
  if (type == "ExternalName") return std::string(spec["externalName"].str());
  return "<unknown>";
}

// makePortString: "port/protocol", or "port:nodePort/protocol" when a node port is allocated.
std::string ServicePorts(JsonView ports) {
  std::vector<std::string> pieces;
  for (JsonView port : ports.elements()) {
    std::string piece = IntText(port["port"].i64());
    if (port["nodePort"].i64() > 0) piece += ":" + IntText(port["nodePort"].i64());
    pieces.push_back(piece + "/" + std::string(port["protocol"].str()));
  }
  return pieces.empty() ? "<none>" : Join(pieces, ",");
}

void PrintService(const PrintContext&, JsonView service, PrintedRow& row) {
  JsonView spec = service["spec"];
  row.Text(NameOf(service));
  row.Text(spec["type"].str());
  JsonView cluster_ips = spec["clusterIPs"];
  row.Text(cluster_ips.size() > 0 ? std::string(cluster_ips.at(0).str()) : "<none>");
  row.Text(ServiceExternalIp(service));
  row.Text(ServicePorts(spec["ports"]));
  row.Text(AgeOfObject(service));
  row.Text(FormatLabels(spec["selector"]));
}

// ---- Endpoints ----

// net.JoinHostPort: an IPv6 address is bracketed.
std::string JoinHostPort(std::string_view host, int64_t port) {
  std::string out = host.find(':') != std::string_view::npos
                        ? "[" + std::string(host) + "]"
                        : std::string(host);
  return out + ":" + IntText(port);
}

// formatEndpoints with every port: the first three ready addresses (with each port of their
// subset, port by port), then " + N more..." for the rest. Not-ready addresses are not shown.
std::string FormatEndpoints(JsonView endpoints) {
  JsonView subsets = endpoints["subsets"];
  if (subsets.size() == 0) return "<none>";
  constexpr size_t kMax = 3;
  std::vector<std::string> shown;
  bool more = false;
  int64_t count = 0;
  auto add = [&](std::string entry) {
    if (shown.size() == kMax) {
      more = true;
      return false;
    }
    shown.push_back(std::move(entry));
    return true;
  };
  for (JsonView subset : subsets.elements()) {
    JsonView addresses = subset["addresses"];
    // A headless service's endpoints may have no ports: the addresses alone.
    if (subset["ports"].size() == 0) {
      count += static_cast<int64_t>(addresses.size());
      for (JsonView address : addresses.elements()) {
        if (!add(std::string(address["ip"].str()))) break;
      }
      continue;
    }
    for (JsonView port : subset["ports"].elements()) {
      count += static_cast<int64_t>(addresses.size());
      for (JsonView address : addresses.elements()) {
        if (!add(JoinHostPort(address["ip"].str(), port["port"].i64()))) break;
      }
    }
  }
  std::string text = Join(shown, ",");
  if (more) text += " + " + IntText(count - static_cast<int64_t>(kMax)) + " more...";
  return text;
}

void PrintEndpoints(const PrintContext&, JsonView endpoints, PrintedRow& row) {
  row.Text(NameOf(endpoints));
  row.Text(FormatEndpoints(endpoints));
  row.Text(AgeOfObject(endpoints));
}

// ---- Events ----

// Where the internal Event's fields are in each served version: core/v1 names them as the
// internal type does; events.k8s.io/v1 renames them (pkg/apis/events/v1/conversion.go).
struct EventFields {
  std::string_view involved_object, source, message, first_timestamp, last_timestamp, count,
      reporting_controller;
};

constexpr EventFields kCoreEventFields = {
    .involved_object = "involvedObject",
    .source = "source",
    .message = "message",
    .first_timestamp = "firstTimestamp",
    .last_timestamp = "lastTimestamp",
    .count = "count",
    .reporting_controller = "reportingComponent",  // ReportingController's v1 JSON name
};

constexpr EventFields kEventsGroupFields = {
    .involved_object = "regarding",
    .source = "deprecatedSource",
    .message = "note",
    .first_timestamp = "deprecatedFirstTimestamp",
    .last_timestamp = "deprecatedLastTimestamp",
    .count = "deprecatedCount",
    .reporting_controller = "reportingController",
};

// The length of the Unicode white space (Go's unicode.IsSpace) that starts at `pos` of UTF-8
// `text`, or 0.
size_t SpaceLengthAt(std::string_view text, size_t pos) {
  auto byte = [&](size_t i) {
    return pos + i < text.size() ? static_cast<unsigned char>(text[pos + i]) : 0u;
  };
  unsigned b0 = byte(0), b1 = byte(1), b2 = byte(2);
  if (b0 == ' ' || (b0 >= '\t' && b0 <= '\r')) return 1;
  if (b0 == 0xC2 && (b1 == 0x85 || b1 == 0xA0)) return 2;  // U+0085, U+00A0
  if (b0 == 0xE1 && b1 == 0x9A && b2 == 0x80) return 3;    // U+1680
  if (b0 == 0xE2 && b1 == 0x80 &&                          // U+2000-U+200A, 2028, 2029, 202F
      ((b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF)) {
    return 3;
  }
  if (b0 == 0xE2 && b1 == 0x81 && b2 == 0x9F) return 3;  // U+205F
  if (b0 == 0xE3 && b1 == 0x80 && b2 == 0x80) return 3;  // U+3000
  return 0;
}

// strings.TrimSpace: messages often end in a newline, and may start or end in any Unicode space.
std::string_view TrimSpace(std::string_view text) {
  while (size_t length = SpaceLengthAt(text, 0)) text.remove_prefix(length);
  bool trimmed = true;
  while (trimmed && !text.empty()) {
    trimmed = false;
    // In valid UTF-8 a space code point is at most three bytes and starts on a lead byte.
    for (size_t length = 1; length <= 3 && length <= text.size(); ++length) {
      if (SpaceLengthAt(text, text.size() - length) == length) {
        text.remove_suffix(length);
        trimmed = true;
        break;
      }
    }
  }
  return text;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// "kind/name" in lower case, or the kind alone for an object without a name.
std::string EventTarget(JsonView involved) {
  std::string target = AsciiLower(involved["kind"].str());
  if (!involved["name"].str().empty()) target += "/" + std::string(involved["name"].str());
  return target;
}

// formatEventSource: the source's component and host, each falling back to the reporting
// controller and instance that newer clients set instead.
std::string EventSource(JsonView event, const EventFields& fields) {
  JsonView source = event[fields.source];
  std::string_view component = source["component"].str();
  if (component.empty()) component = event[fields.reporting_controller].str();
  std::string_view instance = source["host"].str();
  if (instance.empty()) instance = event["reportingInstance"].str();
  if (instance.empty()) return std::string(component);
  return std::string(component) + ", " + std::string(instance);
}

void PrintEvent(const PrintContext&, JsonView event, const EventFields& fields,
                PrintedRow& row) {
  // An event from the events.k8s.io API has an eventTime and no firstTimestamp.
  JsonView first = event[fields.first_timestamp];
  ElapsedText first_seen = IsZeroTime(first) ? AgeOf(event["eventTime"]) : AgeOf(first);
  JsonView last = event[fields.last_timestamp];
  ElapsedText last_seen = IsZeroTime(last) ? first_seen : AgeOf(last);
  int64_t count = event[fields.count].i64();
  JsonView series = event["series"];
  if (series.is_object()) {
    last_seen = AgeOf(series["lastObservedTime"]);
    count = series["count"].i64();
  } else if (count == 0) {
    count = 1;  // singleton events of the new API carry no count
  }
  JsonView involved = event[fields.involved_object];

  row.Text(std::move(last_seen));
  row.Text(event["type"].str());
  row.Text(event["reason"].str());
  row.Text(EventTarget(involved));
  row.Text(involved["fieldPath"].str());
  row.Text(EventSource(event, fields));
  row.Text(TrimSpace(event[fields.message].str()));
  row.Text(std::move(first_seen));
  row.Int(count);
  row.Text(NameOf(event));
}

// ---- Persistent volumes and claims ----

// The deprecated beta annotation wins over the field, even when it is empty.
constexpr std::string_view kBetaStorageClassAnnotation = "volume.beta.kubernetes.io/storage-class";

void PrintPersistentVolume(const PrintContext&, JsonView volume, PrintedRow& row) {
  JsonView spec = volume["spec"], status = volume["status"];
  std::string claim;
  if (spec["claimRef"].is_object()) {
    claim = std::string(spec["claimRef"]["namespace"].str()) + "/" +
            std::string(spec["claimRef"]["name"].str());
  }
  JsonView annotated_class = volume["metadata"]["annotations"][kBetaStorageClassAnnotation];
  std::string_view storage_class =
      annotated_class.present() ? annotated_class.str() : spec["storageClassName"].str();

  row.Text(NameOf(volume));
  row.Text(QuantityText(spec["capacity"]["storage"]));
  row.Text(FormatAccessModes(spec["accessModes"]));
  row.Text(spec["persistentVolumeReclaimPolicy"].str());
  row.Text(BeingDeleted(volume) ? std::string_view("Terminating") : status["phase"].str());
  row.Text(std::move(claim));
  row.Text(storage_class);
  row.Text(OptionalText(spec["volumeAttributesClassName"], "<unset>"));
  row.Text(status["reason"].str());
  row.Text(AgeOfObject(volume));
  row.Text(OptionalText(spec["volumeMode"], "<unset>"));
}

void PrintPersistentVolumeClaim(const PrintContext&, JsonView claim, PrintedRow& row) {
  JsonView spec = claim["spec"], status = claim["status"];
  // Capacity and access modes are the bound volume's: empty until the claim names one.
  std::string capacity, access_modes;
  if (!spec["volumeName"].str().empty()) {
    access_modes = FormatAccessModes(status["accessModes"]);
    capacity = QuantityText(status["capacity"]["storage"]);
  }
  JsonView annotated_class = claim["metadata"]["annotations"][kBetaStorageClassAnnotation];
  std::string_view storage_class =
      annotated_class.present() ? annotated_class.str() : spec["storageClassName"].str();

  row.Text(NameOf(claim));
  row.Text(BeingDeleted(claim) ? std::string_view("Terminating") : status["phase"].str());
  row.Text(spec["volumeName"].str());
  row.Text(std::move(capacity));
  row.Text(std::move(access_modes));
  row.Text(storage_class);
  row.Text(OptionalText(spec["volumeAttributesClassName"], "<unset>"));
  row.Text(AgeOfObject(claim));
  row.Text(OptionalText(spec["volumeMode"], "<unset>"));
}

// ---- Resource quotas and component statuses ----

// "resource: used/hard" for each hard limit, sorted by resource name; "limits.*" resources go to
// the Limit column, all others to the Request column.
void PrintResourceQuota(const PrintContext&, JsonView quota, PrintedRow& row) {
  JsonView hard = quota["status"]["hard"], used = quota["status"]["used"];
  std::map<std::string_view, JsonView> sorted;
  for (auto [resource, quantity] : hard.members()) sorted.emplace(resource, quantity);
  std::vector<std::string> requests, limits;
  for (auto [resource, quantity] : sorted) {
    std::string text = std::string(resource) + ": " + QuantityText(used[resource]) + "/" +
                       QuantityText(quantity);
    (resource.starts_with("limits.") ? limits : requests).push_back(std::move(text));
  }
  row.Text(NameOf(quota));
  row.Text(Join(requests, ", "));
  row.Text(Join(limits, ", "));
  row.Text(AgeOfObject(quota));
}

// The first Healthy condition decides; without one the status is Unknown.
void PrintComponentStatus(const PrintContext&, JsonView component, PrintedRow& row) {
  std::string status = "Unknown";
  std::string_view message, error;
  for (JsonView condition : component["conditions"].elements()) {
    if (condition["type"].str() != "Healthy") continue;
    status = condition["status"].str() == "True" ? "Healthy" : "Unhealthy";
    message = condition["message"].str();
    error = condition["error"].str();
    break;
  }
  row.Text(NameOf(component));
  row.Text(std::move(status));
  row.Text(message);
  row.Text(error);
}

Printer EventPrinter(const EventFields& fields) {
  return {.columns = {"Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message",
                      "First Seen", "Count", "Name"},
          .print = [fields](const PrintContext& context, JsonView event, PrintedRow& row) {
            PrintEvent(context, event, fields, row);
          }};
}

}  // namespace

void AddCorePrinters(PrinterTable& table) {
  AddPrinter(table, "", "namespaces",
             {.columns = {"Name", "Status", "Age"}, .print = PrintNamespace});
  AddPrinter(table, "", "services",
             {.columns = {"Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age",
                          "Selector"},
              .print = PrintService});
  AddPrinter(table, "", "endpoints",
             {.columns = {"Name", "Endpoints", "Age"}, .print = PrintEndpoints});
  // kcache may cache either version of events; both print the same internal Event.
  AddPrinter(table, "", "events", EventPrinter(kCoreEventFields));
  AddPrinter(table, "events.k8s.io", "events", EventPrinter(kEventsGroupFields));
  AddPrinter(table, "", "configmaps",
             {.columns = {"Name", "Data", "Age"}, .print = PrintConfigMap});
  AddPrinter(table, "", "secrets",
             {.columns = {"Name", "Type", "Data", "Age"}, .print = PrintSecret});
  AddPrinter(table, "", "serviceaccounts",
             {.columns = {"Name", "Age"}, .print = PrintServiceAccount});
  AddPrinter(table, "", "persistentvolumes",
             {.columns = {"Name", "Capacity", "Access Modes", "Reclaim Policy", "Status", "Claim",
                          "StorageClass", "VolumeAttributesClass", "Reason", "Age", "VolumeMode"},
              .print = PrintPersistentVolume});
  AddPrinter(table, "", "persistentvolumeclaims",
             {.columns = {"Name", "Status", "Volume", "Capacity", "Access Modes", "StorageClass",
                          "VolumeAttributesClass", "Age", "VolumeMode"},
              .print = PrintPersistentVolumeClaim});
  AddPrinter(table, "", "podtemplates",
             {.columns = {"Name", "Containers", "Images", "Pod Labels"},
              .print = PrintPodTemplate});
  AddPrinter(table, "", "replicationcontrollers",
             {.columns = {"Name", "Desired", "Current", "Ready", "Age", "Containers", "Images",
                          "Selector"},
              .print = PrintReplicationController});
  AddPrinter(table, "", "resourcequotas",
             {.columns = {"Name", "Request", "Limit", "Age"}, .print = PrintResourceQuota});
  AddPrinter(table, "", "componentstatuses",
             {.columns = {"Name", "Status", "Message", "Error"}, .print = PrintComponentStatus});
}

}  // namespace kcache
