// Cluster-level APIs: RBAC bindings, certificates, coordination, scheduling, node, admission,
// flow control and resource (pkg/printers/internalversion), CustomResourceDefinitions
// (apiextensions-apiserver's CRD convertor) and APIServices (kube-aggregator's convertor).
// Roles and ClusterRoles have no printer: their registries use the default convertor.
//
// The printers read the internal type, decoded from the v1 object with its defaults applied;
// kcache reads the v1 JSON as served, where an unset optional field is absent or null.

#include <algorithm>
#include <chrono>
#include <vector>

#include "printers/builtin.h"
#include "printers/format.h"

namespace kcache {
namespace {

std::string TextOrNone(std::string_view text) {
  return text.empty() ? "<none>" : std::string(text);
}

// --- rbac.authorization.k8s.io ---

// rbac.SubjectsStrings: users, groups and service accounts ("namespace/name"), each joined
// with ", ". Other kinds are left out.
void AppendSubjectCells(JsonView subjects, PrintedRow& row) {
  std::vector<std::string> users, groups, service_accounts;
  for (JsonView subject : subjects.elements()) {
    std::string_view kind = subject["kind"].str();
    std::string name(subject["name"].str());
    if (kind == "ServiceAccount") {
      service_accounts.push_back(std::string(subject["namespace"].str()) + "/" + name);
    } else if (kind == "User") {
      users.push_back(std::move(name));
    } else if (kind == "Group") {
      groups.push_back(std::move(name));
    }
  }
  row.Text(Join(users, ", "));
  row.Text(Join(groups, ", "));
  row.Text(Join(service_accounts, ", "));
}

// RoleBindings and ClusterRoleBindings print alike.
void PrintRoleBinding(const PrintContext&, JsonView binding, PrintedRow& row) {
  JsonView role_ref = binding["roleRef"];
  row.Text(NameOf(binding));
  row.Text(std::string(role_ref["kind"].str()) + "/" + std::string(role_ref["name"].str()));
  row.Text(AgeOfObject(binding));
  AppendSubjectCells(binding["subjects"], row);
}

// --- certificates.k8s.io ---

// extractCSRStatus: Denied before Approved before Pending, then ",Failed" and ",Issued".
std::string CsrCondition(JsonView status) {
  bool approved = false, denied = false, failed = false;
  for (JsonView condition : status["conditions"].elements()) {
    std::string_view type = condition["type"].str();
    approved |= type == "Approved";
    denied |= type == "Denied";
    failed |= type == "Failed";
  }
  std::string text = denied ? "Denied" : approved ? "Approved" : "Pending";
  if (failed) text += ",Failed";
  // The certificate is base64 in JSON: empty text is an empty certificate.
  if (!status["certificate"].str().empty()) text += ",Issued";
  return text;
}

void PrintCertificateSigningRequest(const PrintContext&, JsonView csr, PrintedRow& row) {
  JsonView spec = csr["spec"];
  std::string requested_duration = "<none>";
  if (spec["expirationSeconds"].is_integer()) {
    requested_duration = HumanDuration(std::chrono::seconds(spec["expirationSeconds"].i64()));
  }
  row.Text(NameOf(csr));
  row.Text(AgeOfObject(csr));
  row.Text(TextOrNone(spec["signerName"].str()));
  row.Text(spec["username"].str());
  row.Text(std::move(requested_duration));
  row.Text(CsrCondition(csr["status"]));
}

// ClusterTrustBundles have no age column.
void PrintClusterTrustBundle(const PrintContext&, JsonView bundle, PrintedRow& row) {
  row.Text(NameOf(bundle));
  row.Text(TextOrNone(bundle["spec"]["signerName"].str()));
}

// The last Issued, Denied or Failed condition decides, whatever its status.
std::string PodCertificateRequestState(JsonView conditions) {
  std::string state = "Pending";
  for (JsonView condition : conditions.elements()) {
    std::string_view type = condition["type"].str();
    if (type == "Issued" || type == "Denied" || type == "Failed") state = type;
  }
  return state;
}

void PrintPodCertificateRequest(const PrintContext&, JsonView request, PrintedRow& row) {
  JsonView spec = request["spec"];
  row.Text(NameOf(request));
  row.Text(spec["podName"].str());
  row.Text(spec["serviceAccountName"].str());
  row.Text(spec["nodeName"].str());
  row.Text(spec["signerName"].str());
  row.Text(PodCertificateRequestState(request["status"]["conditions"]));
  row.Text(FormatLabels(spec["unverifiedUserAnnotations"]));
}

// --- coordination.k8s.io ---

void PrintLease(const PrintContext&, JsonView lease, PrintedRow& row) {
  row.Text(NameOf(lease));
  row.Text(lease["spec"]["holderIdentity"].str());
  row.Text(AgeOfObject(lease));
}

void PrintLeaseCandidate(const PrintContext&, JsonView candidate, PrintedRow& row) {
  JsonView spec = candidate["spec"];
  row.Text(NameOf(candidate));
  row.Text(spec["leaseName"].str());
  row.Text(spec["binaryVersion"].str());
  row.Text(spec["emulationVersion"].str());
  row.Text(AgeOfObject(candidate));
}

// --- scheduling.k8s.io, node.k8s.io ---

void PrintPriorityClass(const PrintContext&, JsonView priority_class, PrintedRow& row) {
  row.Text(NameOf(priority_class));
  row.Int(priority_class["value"].i64());
  row.Bool(priority_class["globalDefault"].boolean());
  row.Text(AgeOfObject(priority_class));
  row.Text(priority_class["preemptionPolicy"].str());
}

void PrintRuntimeClass(const PrintContext&, JsonView runtime_class, PrintedRow& row) {
  row.Text(NameOf(runtime_class));
  row.Text(runtime_class["handler"].str());
  row.Text(AgeOfObject(runtime_class));
}

// --- admissionregistration.k8s.io ---

// Mutating and validating webhook configurations print alike.
void PrintWebhookConfiguration(const PrintContext&, JsonView configuration,
                               PrintedRow& row) {
  row.Text(NameOf(configuration));
  row.Int(static_cast<int64_t>(configuration["webhooks"].size()));
  row.Text(AgeOfObject(configuration));
}

std::string ParamKindText(JsonView param_kind) {
  if (!param_kind.is_object()) return "<unset>";
  return std::string(param_kind["apiVersion"].str()) + "/" + std::string(param_kind["kind"].str());
}

// A policy's rule count is that of spec.validations (validating) or spec.mutations (mutating).
void PrintAdmissionPolicy(std::string_view rules, const PrintContext&, JsonView policy,
                          PrintedRow& row) {
  row.Text(NameOf(policy));
  row.Int(static_cast<int64_t>(policy["spec"][rules].size()));
  row.Text(ParamKindText(policy["spec"]["paramKind"]));
  row.Text(AgeOfObject(policy));
}

void PrintValidatingAdmissionPolicy(const PrintContext& context, JsonView policy,
                                    PrintedRow& row) {
  PrintAdmissionPolicy("validations", context, policy, row);
}

void PrintMutatingAdmissionPolicy(const PrintContext& context, JsonView policy, PrintedRow& row) {
  PrintAdmissionPolicy("mutations", context, policy, row);
}

// metav1.LabelSelector as its generated String() writes it (Go's %v for a selector pointer),
// not as a selector expression: "&LabelSelector{MatchLabels:map[string]string{k: v,},
// MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:k,Operator:In,
// Values:[a b],},},}".
std::string GoLabelSelectorString(JsonView selector) {
  std::vector<std::pair<std::string, std::string>> labels;
  for (auto [key, value] : selector["matchLabels"].members()) {
    labels.emplace_back(std::string(key), std::string(value.str()));
  }
  std::sort(labels.begin(), labels.end());
  std::string text = "&LabelSelector{MatchLabels:map[string]string{";
  for (const auto& [key, value] : labels) text += key + ": " + value + ",";
  text += "},MatchExpressions:[]LabelSelectorRequirement{";
  for (JsonView requirement : selector["matchExpressions"].elements()) {
    std::vector<std::string> values;
    for (JsonView value : requirement["values"].elements()) values.emplace_back(value.str());
    text += "LabelSelectorRequirement{Key:" + std::string(requirement["key"].str()) +
            ",Operator:" + std::string(requirement["operator"].str()) + ",Values:[" +
            Join(values, " ") + "],},";
  }
  return text + "},}";
}

// A binding's paramRef: "namespace/name", "*/name" when no namespace is given (the param may be
// cluster-scoped, which the printer cannot tell), the selector, or "<unset>".
std::string ParamRefText(JsonView param_ref) {
  if (!param_ref.is_object()) return "<unset>";
  std::string_view name = param_ref["name"].str();
  if (!name.empty()) {
    std::string_view ns = param_ref["namespace"].str();
    return std::string(ns.empty() ? "*" : ns) + "/" + std::string(name);
  }
  if (param_ref["selector"].is_object()) return GoLabelSelectorString(param_ref["selector"]);
  return "<unset>";
}

// Validating and mutating policy bindings print alike.
void PrintAdmissionPolicyBinding(const PrintContext&, JsonView binding,
                                 PrintedRow& row) {
  row.Text(NameOf(binding));
  row.Text(binding["spec"]["policyName"].str());
  row.Text(ParamRefText(binding["spec"]["paramRef"]));
  row.Text(AgeOfObject(binding));
}

// --- flowcontrol.apiserver.k8s.io ---

void PrintFlowSchema(const PrintContext&, JsonView flow_schema, PrintedRow& row) {
  JsonView spec = flow_schema["spec"];
  std::string distinguisher = "<none>";
  if (spec["distinguisherMethod"].is_object()) {
    distinguisher = spec["distinguisherMethod"]["type"].str();
  }
  // "?" until the apiserver has judged the reference (no Dangling condition yet).
  std::string missing_priority_level = "?";
  JsonView dangling = FindCondition(flow_schema["status"]["conditions"], "Dangling");
  if (dangling.present()) missing_priority_level = dangling["status"].str();

  row.Text(NameOf(flow_schema));
  row.Text(spec["priorityLevelConfiguration"]["name"].str());
  row.Int(spec["matchingPrecedence"].i64());
  row.Text(std::move(distinguisher));
  row.Text(AgeOfObject(flow_schema));
  row.Text(std::move(missing_priority_level));
}

// FlowSchemaSequence: the order in which requests are matched against the schemas.
bool FlowSchemaMatchedBefore(JsonView a, JsonView b) {
  int64_t a_precedence = a["spec"]["matchingPrecedence"].i64();
  int64_t b_precedence = b["spec"]["matchingPrecedence"].i64();
  if (a_precedence != b_precedence) return a_precedence < b_precedence;
  return NameOf(a) < NameOf(b);
}

// Queuing numbers are integer cells; "<none>" (text) for an exempt or rejecting level.
void PrintPriorityLevelConfiguration(const PrintContext&, JsonView priority_level,
                                     PrintedRow& row) {
  JsonView spec = priority_level["spec"];
  JsonView limited = spec["limited"];
  JsonView queuing = limited["limitResponse"]["queuing"];
  row.Text(NameOf(priority_level));
  row.Text(spec["type"].str());
  if (limited.is_object()) {
    row.Int(limited["nominalConcurrencyShares"].i64());
  } else {
    row.Text("<none>");
  }
  for (std::string_view field : {"queues", "handSize", "queueLengthLimit"}) {
    if (limited.is_object() && queuing.is_object()) {
      row.Int(queuing[field].i64());
    } else {
      row.Text("<none>");
    }
  }
  row.Text(AgeOfObject(priority_level));
}

// --- resource.k8s.io ---

// DeviceClasses and ResourceClaimTemplates: name and age.
void PrintNameAndAge(const PrintContext&, JsonView object, PrintedRow& row) {
  row.Text(NameOf(object));
  row.Text(AgeOfObject(object));
}

// resourceClaimState: "deleted", "pending", "allocated", "reserved", comma-joined.
std::string ResourceClaimState(JsonView claim) {
  bool deleting = IsSet(claim["metadata"]["deletionTimestamp"]);
  JsonView status = claim["status"];
  std::vector<std::string> states;
  if (deleting) states.push_back("deleted");
  if (!status["allocation"].is_object()) {
    if (!deleting) states.push_back("pending");
  } else {
    states.push_back("allocated");
    if (status["reservedFor"].size() > 0) states.push_back("reserved");
  }
  return Join(states, ",");
}

void PrintResourceClaim(const PrintContext&, JsonView claim, PrintedRow& row) {
  row.Text(NameOf(claim));
  row.Text(ResourceClaimState(claim));
  row.Text(AgeOfObject(claim));
}

void PrintResourceSlice(const PrintContext&, JsonView slice, PrintedRow& row) {
  JsonView spec = slice["spec"];
  row.Text(NameOf(slice));
  row.Text(spec["nodeName"].str());  // empty for slices of all nodes or a node selector
  row.Text(spec["driver"].str());
  row.Text(spec["pool"]["name"].str());
  row.Text(AgeOfObject(slice));
}

void PrintDeviceTaintRule(const PrintContext&, JsonView rule, PrintedRow& row) {
  JsonView taint = rule["spec"]["taint"];
  ElapsedText time_added = ElapsedText::Fixed("");
  if (IsSet(taint["timeAdded"])) time_added = AgeOf(taint["timeAdded"]);
  row.Text(NameOf(rule));
  row.Text(taint["key"].str());
  row.Text(taint["value"].str());
  row.Text(taint["effect"].str());
  row.Text(std::move(time_added));
  row.Text(AgeOfObject(rule));
}

// --- apiextensions.k8s.io (the CRD convertor) ---

// Served versions, "(storage)" after the storage one, sorted as strings ("v10" before "v2").
std::string ServedVersions(JsonView versions) {
  std::vector<std::string> served;
  for (JsonView version : versions.elements()) {
    if (!version["served"].boolean()) continue;
    std::string label(version["name"].str());
    if (version["storage"].boolean()) label += "(storage)";
    served.push_back(std::move(label));
  }
  std::sort(served.begin(), served.end());
  return Join(served, ",");
}

// Any Established condition with status True (not only the first).
bool Established(JsonView conditions) {
  for (JsonView condition : conditions.elements()) {
    if (condition["type"].str() == "Established" && condition["status"].str() == "True") {
      return true;
    }
  }
  return false;
}

// CREATED AT is a time in UTC (RFC 3339), not an age; Go's zero time when unset.
std::string CreatedAt(JsonView object) {
  auto at = ParseRfc3339Seconds(object["metadata"]["creationTimestamp"].str());
  return at ? FormatRfc3339Utc(*at) : "0001-01-01T00:00:00Z";
}

void PrintCustomResourceDefinition(const PrintContext&, JsonView crd, PrintedRow& row) {
  JsonView spec = crd["spec"];
  std::vector<std::string> short_names;
  for (JsonView name : spec["names"]["shortNames"].elements()) short_names.emplace_back(name.str());
  row.Text(NameOf(crd));
  row.Text(spec["scope"].str());
  row.Text(ServedVersions(spec["versions"]));
  row.Text(CreatedAt(crd));
  row.Text(spec["group"].str());
  row.Text(spec["names"]["kind"].str());
  row.Text(Join(short_names, ","));
  row.Bool(Established(crd["status"]["conditions"]));
}

// --- apiregistration.k8s.io (kube-aggregator's convertor) ---

// The first Available condition: "True", "False (Reason)", its bare status without a reason,
// or "Unknown" when there is none.
std::string ApiServiceAvailability(JsonView conditions) {
  JsonView available = FindCondition(conditions, "Available");
  if (!available.present()) return "Unknown";
  std::string status(available["status"].str());
  std::string_view reason = available["reason"].str();
  if (status == "True" || reason.empty()) return status;
  return status + " (" + std::string(reason) + ")";
}

void PrintApiService(const PrintContext&, JsonView api_service, PrintedRow& row) {
  JsonView service = api_service["spec"]["service"];
  row.Text(NameOf(api_service));
  if (service.is_object()) {
    row.Text(std::string(service["namespace"].str()) + "/" + std::string(service["name"].str()));
  } else {
    row.Text("Local");
  }
  row.Text(ApiServiceAvailability(api_service["status"]["conditions"]));
  row.Text(AgeOfObject(api_service));
}

void AddRbacPrinters(PrinterTable& table) {
  Printer binding{.columns = {"Name", "Role", "Age", "Users", "Groups", "ServiceAccounts"},
                  .print = PrintRoleBinding};
  AddPrinter(table, "rbac.authorization.k8s.io", "rolebindings", binding);
  AddPrinter(table, "rbac.authorization.k8s.io", "clusterrolebindings", binding);
}

void AddCertificatesPrinters(PrinterTable& table) {
  constexpr std::string_view kGroup = "certificates.k8s.io";
  AddPrinter(table, kGroup, "certificatesigningrequests",
             {.columns = {"Name", "Age", "SignerName", "Requestor", "RequestedDuration",
                          "Condition"},
              .print = PrintCertificateSigningRequest});
  AddPrinter(table, kGroup, "clustertrustbundles",
             {.columns = {"Name", "SignerName"}, .print = PrintClusterTrustBundle});
  AddPrinter(table, kGroup, "podcertificaterequests",
             {.columns = {"Name", "PodName", "ServiceAccountName", "NodeName", "SignerName",
                          "State", "UnverifiedUserAnnotations"},
              .print = PrintPodCertificateRequest});
}

void AddCoordinationSchedulingNodePrinters(PrinterTable& table) {
  AddPrinter(table, "coordination.k8s.io", "leases",
             {.columns = {"Name", "Holder", "Age"}, .print = PrintLease});
  AddPrinter(table, "coordination.k8s.io", "leasecandidates",
             {.columns = {"Name", "LeaseName", "BinaryVersion", "EmulationVersion", "Age"},
              .print = PrintLeaseCandidate});
  AddPrinter(table, "scheduling.k8s.io", "priorityclasses",
             {.columns = {"Name", "Value", "Global-Default", "Age", "PreemptionPolicy"},
              .print = PrintPriorityClass});
  AddPrinter(table, "node.k8s.io", "runtimeclasses",
             {.columns = {"Name", "Handler", "Age"}, .print = PrintRuntimeClass});
}

void AddAdmissionPrinters(PrinterTable& table) {
  constexpr std::string_view kGroup = "admissionregistration.k8s.io";
  Printer webhooks{.columns = {"Name", "Webhooks", "Age"}, .print = PrintWebhookConfiguration};
  AddPrinter(table, kGroup, "mutatingwebhookconfigurations", webhooks);
  AddPrinter(table, kGroup, "validatingwebhookconfigurations", webhooks);
  AddPrinter(table, kGroup, "validatingadmissionpolicies",
             {.columns = {"Name", "Validations", "ParamKind", "Age"},
              .print = PrintValidatingAdmissionPolicy});
  AddPrinter(table, kGroup, "mutatingadmissionpolicies",
             {.columns = {"Name", "Mutations", "ParamKind", "Age"},
              .print = PrintMutatingAdmissionPolicy});
  Printer binding{.columns = {"Name", "PolicyName", "ParamRef", "Age"},
                  .print = PrintAdmissionPolicyBinding};
  AddPrinter(table, kGroup, "validatingadmissionpolicybindings", binding);
  AddPrinter(table, kGroup, "mutatingadmissionpolicybindings", binding);
}

void AddFlowControlPrinters(PrinterTable& table) {
  constexpr std::string_view kGroup = "flowcontrol.apiserver.k8s.io";
  AddPrinter(table, kGroup, "flowschemas",
             {.columns = {"Name", "PriorityLevel", "MatchingPrecedence", "DistinguisherMethod",
                          "Age", "MissingPL"},
              .print = PrintFlowSchema,
              .list_order = FlowSchemaMatchedBefore});
  AddPrinter(table, kGroup, "prioritylevelconfigurations",
             {.columns = {"Name", "Type", "NominalConcurrencyShares", "Queues", "HandSize",
                          "QueueLengthLimit", "Age"},
              .print = PrintPriorityLevelConfiguration});
}

void AddResourcePrinters(PrinterTable& table) {
  constexpr std::string_view kGroup = "resource.k8s.io";
  AddPrinter(table, kGroup, "deviceclasses",
             {.columns = {"Name", "Age"}, .print = PrintNameAndAge});
  AddPrinter(table, kGroup, "resourceclaims",
             {.columns = {"Name", "State", "Age"}, .print = PrintResourceClaim});
  AddPrinter(table, kGroup, "resourceclaimtemplates",
             {.columns = {"Name", "Age"}, .print = PrintNameAndAge});
  AddPrinter(table, kGroup, "resourceslices",
             {.columns = {"Name", "Node", "Driver", "Pool", "Age"}, .print = PrintResourceSlice});
  AddPrinter(table, kGroup, "devicetaintrules",
             {.columns = {"Name", "Key", "Value", "Effect", "TimeAdded", "Age"},
              .print = PrintDeviceTaintRule});
}

// --- storagemigration.k8s.io ---

void PrintStorageVersionMigration(const PrintContext&, JsonView migration, PrintedRow& row) {
  row.Text(migration["metadata"]["name"].str());
  // GroupResource.String(): "resource.group", or the resource alone for the core group.
  JsonView resource = migration["spec"]["resource"];
  std::string target(resource["resource"].str());
  if (!resource["group"].str().empty()) target += "." + std::string(resource["group"].str());
  row.Text(std::move(target));
  // The last true condition of a known type.
  std::string state = "Unknown";
  for (JsonView condition : migration["status"]["conditions"].elements()) {
    std::string_view type = condition["type"].str();
    if (condition["status"].str() == "True" &&
        (type == "Running" || type == "Failed" || type == "Succeeded")) {
      state = type;
    }
  }
  row.Text(std::move(state));
}

void AddStorageMigrationPrinters(PrinterTable& table) {
  AddPrinter(table, "storagemigration.k8s.io", "storageversionmigrations",
             {.columns = {"Name", "Resource", "Status"}, .print = PrintStorageVersionMigration});
}

void AddExtensionPrinters(PrinterTable& table) {
  AddPrinter(table, "apiextensions.k8s.io", "customresourcedefinitions",
             {.columns = {"Name", "Scope", "Versions", "Created At", "Group", "Kind",
                          "ShortNames", "Established"},
              .print = PrintCustomResourceDefinition,
              // Its rows start nil and grow per item: an empty list writes null.
              .null_rows_when_empty = true});
  AddPrinter(table, "apiregistration.k8s.io", "apiservices",
             {.columns = {"Name", "Service", "Available", "Age"}, .print = PrintApiService});
}

}  // namespace

void AddClusterPrinters(PrinterTable& table) {
  AddRbacPrinters(table);
  AddCertificatesPrinters(table);
  AddCoordinationSchedulingNodePrinters(table);
  AddAdmissionPrinters(table);
  AddFlowControlPrinters(table);
  AddResourcePrinters(table);
  AddExtensionPrinters(table);
  AddStorageMigrationPrinters(table);
}

}  // namespace kcache
