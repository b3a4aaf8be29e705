// Workload printers, as pkg/printers/internalversion prints them: apps (Deployments, ReplicaSets,
// StatefulSets, DaemonSets, ControllerRevisions), batch (Jobs, CronJobs), autoscaling
// (HorizontalPodAutoscalers) and policy (PodDisruptionBudgets).
//
// kube-apiserver prints the internal object it decoded, and decoding applies the v1 defaults; the
// few defaults that change a cell (replicas, suspend, minReplicas, the HPA's CPU target) are
// applied here too, so an object prints the same whether or not the default was written out.

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kube/go_text.h"
#include "printers/builtin.h"
#include "printers/format.h"

namespace kcache {
namespace {

// spec.replicas of Deployments, ReplicaSets and StatefulSets, which apps/v1 defaults to 1.
int64_t DesiredReplicas(JsonView spec) {
  return IsSet(spec["replicas"]) ? spec["replicas"].i64() : 1;
}

std::string ReadyOfDesired(int64_t ready, int64_t desired) {
  return IntText(ready) + "/" + IntText(desired);
}

// The wide cells most workloads share: the template's containers, images and the selector.
void AppendTemplateCells(JsonView pod_template, JsonView selector, PrintedRow& row) {
  AppendContainerCells(pod_template["spec"], row);
  row.Text(FormatLabelSelector(selector));
}

// --- apps ---

void PrintDeployment(const PrintContext&, JsonView deployment, PrintedRow& row) {
  JsonView spec = deployment["spec"], status = deployment["status"];
  row.Text(NameOf(deployment));
  row.Text(ReadyOfDesired(status["readyReplicas"].i64(), DesiredReplicas(spec)));
  row.Int(status["updatedReplicas"].i64());
  row.Int(status["availableReplicas"].i64());
  row.Text(AgeOfObject(deployment));
  AppendContainerCells(spec["template"]["spec"], row);
  // Unlike the other workloads, the selector prints bare: "" when empty (no "<none>"), and
  // "<invalid>" rather than "<error>" when it does not convert.
  row.Text(LabelSelectorString(spec["selector"]).value_or("<invalid>"));
}

void PrintReplicaSet(const PrintContext&, JsonView replica_set, PrintedRow& row) {
  JsonView spec = replica_set["spec"], status = replica_set["status"];
  row.Text(NameOf(replica_set));
  row.Int(DesiredReplicas(spec));
  row.Int(status["replicas"].i64());
  row.Int(status["readyReplicas"].i64());
  row.Text(AgeOfObject(replica_set));
  AppendTemplateCells(spec["template"], spec["selector"], row);
}

void PrintStatefulSet(const PrintContext&, JsonView stateful_set, PrintedRow& row) {
  JsonView spec = stateful_set["spec"];
  row.Text(NameOf(stateful_set));
  row.Text(ReadyOfDesired(stateful_set["status"]["readyReplicas"].i64(), DesiredReplicas(spec)));
  row.Text(AgeOfObject(stateful_set));
  AppendContainerCells(spec["template"]["spec"], row);
}

void PrintDaemonSet(const PrintContext&, JsonView daemon_set, PrintedRow& row) {
  JsonView spec = daemon_set["spec"], status = daemon_set["status"];
  row.Text(NameOf(daemon_set));
  row.Int(status["desiredNumberScheduled"].i64());
  row.Int(status["currentNumberScheduled"].i64());
  row.Int(status["numberReady"].i64());
  row.Int(status["updatedNumberScheduled"].i64());
  row.Int(status["numberAvailable"].i64());
  row.Text(FormatLabels(spec["template"]["spec"]["nodeSelector"]));
  row.Text(AgeOfObject(daemon_set));
  AppendTemplateCells(spec["template"], spec["selector"], row);
}

std::string AsciiLower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// The group of an apiVersion, as schema.ParseGroupVersion splits it: "" for the core group's "v1".
// Go rejects an apiVersion with more than one "/" and the whole Table request fails; kcache
// cannot fail one row, so it prints such an owner with the empty group Go returns beside the
// error.
std::string_view GroupOf(std::string_view api_version) {
  size_t slash = api_version.find('/');
  if (slash == std::string_view::npos || api_version.find('/', slash + 1) != std::string_view::npos) {
    return {};
  }
  return api_version.substr(0, slash);
}

// "<kind>.<group>/<name>" in lower case for the controlling owner reference (the first one
// marked controller), "<none>" when there is none.
std::string ControllerOf(JsonView object) {
  for (JsonView owner : object["metadata"]["ownerReferences"].elements()) {
    if (!owner["controller"].boolean()) continue;
    std::string_view group = GroupOf(owner["apiVersion"].str());
    std::string_view kind = owner["kind"].str();
    std::string name(owner["name"].str());
    if (group.empty() && kind.empty()) return name;
    std::string group_kind(kind);
    if (!group.empty()) group_kind += "." + std::string(group);
    return AsciiLower(std::move(group_kind)) + "/" + name;
  }
  return "<none>";
}

void PrintControllerRevision(const PrintContext&, JsonView revision, PrintedRow& row) {
  row.Text(NameOf(revision));
  row.Text(ControllerOf(revision));
  row.Int(revision["revision"].i64());
  row.Text(AgeOfObject(revision));
}

// --- batch ---

std::optional<int64_t> TimeOf(JsonView timestamp) {
  if (IsZeroTime(timestamp)) return std::nullopt;
  return ParseRfc3339(timestamp.str());
}

std::string JobCompletions(JsonView spec, JsonView status) {
  std::string succeeded = IntText(status["succeeded"].i64());
  if (IsSet(spec["completions"])) return succeeded + "/" + IntText(spec["completions"].i64());
  // Without completions the job is done when one pod succeeds; parallelism says how many run.
  int64_t parallelism = spec["parallelism"].i64();
  if (parallelism > 1) return succeeded + "/1 of " + IntText(parallelism);
  return succeeded + "/1";
}

// From start to completion, or to now while the job runs; "" before it starts.
ElapsedText JobDuration(JsonView status) {
  std::optional<int64_t> start = TimeOf(status["startTime"]);
  if (!start) return ElapsedText::Fixed("");
  std::optional<int64_t> end = TimeOf(status["completionTime"]);
  if (end) return ElapsedText::Fixed(HumanDuration(Between(*start, *end)));
  return ElapsedText::Since(*start);
}

std::string JobStatus(JsonView job) {
  JsonView conditions = job["status"]["conditions"];
  if (ConditionTrue(conditions, "Complete")) return "Complete";
  if (ConditionTrue(conditions, "Failed")) return "Failed";
  if (!IsZeroTime(job["metadata"]["deletionTimestamp"])) return "Terminating";
  if (ConditionTrue(conditions, "Suspended")) return "Suspended";
  if (ConditionTrue(conditions, "FailureTarget")) return "FailureTarget";
  if (ConditionTrue(conditions, "SuccessCriteriaMet")) return "SuccessCriteriaMet";
  return "Running";
}

void PrintJob(const PrintContext&, JsonView job, PrintedRow& row) {
  JsonView spec = job["spec"], status = job["status"];
  row.Text(NameOf(job));
  row.Text(JobStatus(job));
  row.Text(JobCompletions(spec, status));
  row.Text(JobDuration(status));
  row.Text(AgeOfObject(job));
  AppendTemplateCells(spec["template"], spec["selector"], row);
}

void PrintCronJob(const PrintContext&, JsonView cron_job, PrintedRow& row) {
  JsonView spec = cron_job["spec"], status = cron_job["status"];
  JsonView job_spec = spec["jobTemplate"]["spec"];
  row.Text(NameOf(cron_job));
  row.Text(spec["schedule"].str());
  row.Text(IsSet(spec["timeZone"]) ? std::string(spec["timeZone"].str()) : "<none>");
  // batch/v1 defaults suspend to false.
  row.Text(IsSet(spec["suspend"]) ? FormatBoolPointer(spec["suspend"]) : "False");
  row.Int(static_cast<int64_t>(status["active"].size()));
  row.Text(IsSet(status["lastScheduleTime"]) ? AgeOf(status["lastScheduleTime"])
                                              : ElapsedText::Fixed("<none>"));
  row.Text(AgeOfObject(cron_job));
  AppendTemplateCells(job_spec["template"], job_spec["selector"], row);
}

// --- policy ---

std::string IntOrStringOrNotApplicable(JsonView value) {
  return IsSet(value) ? IntOrStringText(value) : "N/A";
}

void PrintPodDisruptionBudget(const PrintContext&, JsonView budget, PrintedRow& row) {
  JsonView spec = budget["spec"];
  row.Text(NameOf(budget));
  row.Text(IntOrStringOrNotApplicable(spec["minAvailable"]));
  row.Text(IntOrStringOrNotApplicable(spec["maxUnavailable"]));
  row.Int(budget["status"]["disruptionsAllowed"].i64());
  row.Text(AgeOfObject(budget));
}

// --- autoscaling ---
//
// The TARGETS column reads the internal MetricSpecs and MetricStatuses. autoscaling/v2 serves
// them nearly as they are; autoscaling/v1 serves the CPU utilization target in its own fields and
// the rest in annotations, which its conversion to the internal type reads back.

// A resource.Quantity pointer: its canonical text (the API serves it canonical), or nothing for
// a nil pointer, which Go prints "<nil>".
using Quantity = std::optional<std::string>;

Quantity QuantityOf(JsonView value) {
  if (value.is_string()) return std::string(value.str());
  if (value.is_integer()) return IntText(value.i64());
  return std::nullopt;
}

// A Quantity that is not a pointer in the v1 types: a missing one is zero.
Quantity RequiredQuantityOf(JsonView value) { return QuantityOf(value).value_or("0"); }

std::string QuantityText(const Quantity& quantity) { return quantity.value_or("<nil>"); }

std::optional<int64_t> IntPointerOf(JsonView value) {
  if (!value.is_integer()) return std::nullopt;
  return value.i64();
}

// One source of a metric, as the internal MetricTarget or MetricValueStatus holds its values.
struct MetricValues {
  std::string resource_name;  // of Resource and ContainerResource sources
  Quantity value;
  Quantity average_value;
  std::optional<int64_t> average_utilization;
};

// The JSON member that holds each source type, in both versions.
constexpr std::array<std::string_view, 5> kSourceMembers = {"object", "pods", "resource",
                                                            "containerResource", "external"};

// The member of the source a metric type names ("" for a type Go does not know).
std::string_view SourceMemberOf(std::string_view type) {
  if (type == "Object") return "object";
  if (type == "Pods") return "pods";
  if (type == "Resource") return "resource";
  if (type == "ContainerResource") return "containerResource";
  if (type == "External") return "external";
  return {};
}

// A MetricSpec or MetricStatus: its type and the sources it has, by the member that holds them
// (one of kSourceMembers). A status's source is read whatever its type says, as Go reads the
// pointer.
struct Metric {
  std::string type;
  std::map<std::string_view, MetricValues> sources;

  const MetricValues* Source(std::string_view member) const {
    auto it = sources.find(member);
    return it == sources.end() ? nullptr : &it->second;
  }
};

Metric CpuUtilizationMetric(int64_t utilization) {
  Metric metric{.type = "Resource"};
  metric.sources["resource"] =
      MetricValues{.resource_name = "cpu", .average_utilization = utilization};
  return metric;
}

// autoscaling/v2: each source holds its values under "target" (spec) or "current" (status).
std::vector<Metric> V2Metrics(JsonView metrics, std::string_view values_member) {
  std::vector<Metric> out;
  for (JsonView metric : metrics.elements()) {
    Metric read{.type = std::string(metric["type"].str())};
    for (std::string_view member : kSourceMembers) {
      JsonView source = metric[member];
      if (!source.is_object()) continue;
      JsonView values = source[values_member];
      read.sources[member] = MetricValues{
          .resource_name = std::string(source["name"].str()),
          .value = QuantityOf(values["value"]),
          .average_value = QuantityOf(values["averageValue"]),
          .average_utilization = IntPointerOf(values["averageUtilization"])};
    }
    out.push_back(std::move(read));
  }
  return out;
}

// An autoscaling/v1 MetricSpec (the v2beta1 shape kept in an annotation), converted as
// pkg/apis/autoscaling/v1 converts it.
MetricValues V1TargetValues(std::string_view member, JsonView source) {
  MetricValues values{.resource_name = std::string(source["name"].str())};
  if (member == "object") {
    values.average_value = QuantityOf(source["averageValue"]);
    if (!values.average_value) values.value = RequiredQuantityOf(source["targetValue"]);
  } else if (member == "pods") {
    values.average_value = RequiredQuantityOf(source["targetAverageValue"]);
  } else if (member == "external") {
    values.value = QuantityOf(source["targetValue"]);
    values.average_value = QuantityOf(source["targetAverageValue"]);
  } else {  // resource, containerResource
    values.average_value = QuantityOf(source["targetAverageValue"]);
    values.average_utilization = IntPointerOf(source["targetAverageUtilization"]);
  }
  return values;
}

// An autoscaling/v1 MetricStatus, converted likewise: the current values that are not pointers
// in v1 always convert to a set value.
MetricValues V1CurrentValues(std::string_view member, JsonView source) {
  MetricValues values{.resource_name = std::string(source["name"].str())};
  if (member == "object") {
    values.value = RequiredQuantityOf(source["currentValue"]);
    values.average_value = QuantityOf(source["averageValue"]);
  } else if (member == "pods") {
    values.average_value = RequiredQuantityOf(source["currentAverageValue"]);
  } else if (member == "external") {
    values.value = RequiredQuantityOf(source["currentValue"]);
    values.average_value = QuantityOf(source["currentAverageValue"]);
  } else {  // resource, containerResource
    values.average_value = RequiredQuantityOf(source["currentAverageValue"]);
    values.average_utilization = IntPointerOf(source["currentAverageUtilization"]);
  }
  return values;
}

// The metrics an autoscaling/v1 annotation holds, or nothing when it is absent or does not
// decode (Go then ignores it).
std::optional<std::vector<Metric>> V1AnnotationMetrics(JsonView annotations,
                                                       std::string_view key, bool is_target) {
  JsonView annotation = annotations[key];
  if (!annotation.is_string()) return std::nullopt;
  simdjson::dom::parser parser;
  simdjson::dom::element parsed;
  if (parser.parse(std::string(annotation.str())).get(parsed) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  JsonView metrics(parsed);
  if (metrics.is_null()) return std::vector<Metric>{};
  if (!metrics.is_array()) return std::nullopt;
  std::vector<Metric> out;
  for (JsonView metric : metrics.elements()) {
    if (!metric.is_object()) return std::nullopt;
    Metric read{.type = std::string(metric["type"].str())};
    for (std::string_view member : kSourceMembers) {
      JsonView source = metric[member];
      if (!source.is_object()) continue;
      read.sources[member] =
          is_target ? V1TargetValues(member, source) : V1CurrentValues(member, source);
    }
    out.push_back(std::move(read));
  }
  return out;
}

constexpr std::string_view kMetricSpecsAnnotation = "autoscaling.alpha.kubernetes.io/metrics";
constexpr std::string_view kMetricStatusesAnnotation =
    "autoscaling.alpha.kubernetes.io/current-metrics";
// The CPU utilization target autoscaling/v1 and v2 default to when an HPA names no metric.
constexpr int64_t kDefaultCpuUtilization = 80;

struct HpaMetrics {
  std::vector<Metric> specs;
  std::vector<Metric> statuses;
};

// An autoscaling/v1 object carries its own fields and none of v2's: no "metrics" in the spec and
// no "currentMetrics" in the status. One with neither reads the same either way.
bool IsAutoscalingV1(JsonView hpa) {
  std::string_view api_version = hpa["apiVersion"].str();
  if (api_version == "autoscaling/v1") return true;
  if (!api_version.empty()) return false;
  return !hpa["spec"]["metrics"].present() && !hpa["status"]["currentMetrics"].present();
}

HpaMetrics V1HpaMetrics(JsonView hpa) {
  JsonView annotations = hpa["metadata"]["annotations"];
  HpaMetrics metrics;
  // The annotation holds every metric but the CPU utilization target, which follows them.
  if (auto others = V1AnnotationMetrics(annotations, kMetricSpecsAnnotation, true)) {
    metrics.specs = std::move(*others);
  }
  JsonView cpu_target = hpa["spec"]["targetCPUUtilizationPercentage"];
  if (IsSet(cpu_target)) metrics.specs.push_back(CpuUtilizationMetric(cpu_target.i64()));

  // The annotation, when it decodes, holds every status (the CPU one with more detail).
  if (auto statuses = V1AnnotationMetrics(annotations, kMetricStatusesAnnotation, false)) {
    metrics.statuses = std::move(*statuses);
  } else if (JsonView cpu = hpa["status"]["currentCPUUtilizationPercentage"]; IsSet(cpu)) {
    metrics.statuses.push_back(CpuUtilizationMetric(cpu.i64()));
  }
  return metrics;
}

HpaMetrics HorizontalPodAutoscalerMetrics(JsonView hpa) {
  HpaMetrics metrics = IsAutoscalingV1(hpa)
                           ? V1HpaMetrics(hpa)
                           : HpaMetrics{V2Metrics(hpa["spec"]["metrics"], "target"),
                                        V2Metrics(hpa["status"]["currentMetrics"], "current")};
  if (metrics.specs.empty()) {
    metrics.specs.push_back(CpuUtilizationMetric(kDefaultCpuUtilization));
  }
  return metrics;
}

std::string Percent(int64_t value) { return IntText(value) + "%"; }

// "current/target" of a metric averaged over pods or taken whole, for Object and External
// sources.
std::string ObjectOrExternalTarget(const MetricValues& target, const MetricValues* current) {
  std::string current_text = "<unknown>";
  if (target.average_value) {
    if (current && current->average_value) current_text = *current->average_value;
    return current_text + "/" + *target.average_value + " (avg)";
  }
  if (current) current_text = QuantityText(current->value);
  return current_text + "/" + QuantityText(target.value);
}

// "name: current/target" of a Resource or ContainerResource source: by value or by utilization
// ("<auto>" when the target has neither).
std::string ResourceTarget(const MetricValues& target, const MetricValues* current) {
  std::string current_text = "<unknown>";
  std::string target_text;
  if (target.average_value) {
    if (current) current_text = QuantityText(current->average_value);
    target_text = *target.average_value;
  } else {
    if (current && current->average_utilization) {
      current_text = Percent(*current->average_utilization);
    }
    target_text = target.average_utilization ? Percent(*target.average_utilization) : "<auto>";
  }
  return target.resource_name + ": " + current_text + "/" + target_text;
}

std::string MetricTargetText(const Metric& spec, const Metric* status) {
  std::string_view member = SourceMemberOf(spec.type);
  if (member.empty()) return "<unknown type>";
  // Validation guarantees the source the type names; an empty one stands in otherwise.
  const MetricValues* source = spec.Source(member);
  MetricValues target = source ? *source : MetricValues{};
  const MetricValues* current = status ? status->Source(member) : nullptr;
  if (member == "pods") {
    std::string current_text = current ? QuantityText(current->average_value) : "<unknown>";
    return current_text + "/" + QuantityText(target.average_value);
  }
  if (member == "object" || member == "external") return ObjectOrExternalTarget(target, current);
  return ResourceTarget(target, current);
}

// formatHPAMetrics: the first two targets, then how many more there are.
std::string FormatHpaMetrics(const HpaMetrics& metrics) {
  constexpr size_t kShown = 2;
  if (metrics.specs.empty()) return "<none>";
  std::vector<std::string> texts;
  for (size_t i = 0; i < metrics.specs.size() && i < kShown; ++i) {
    const Metric* status = i < metrics.statuses.size() ? &metrics.statuses[i] : nullptr;
    texts.push_back(MetricTargetText(metrics.specs[i], status));
  }
  std::string text = Join(texts, ", ");
  if (metrics.specs.size() > kShown) {
    text += " + " + IntText(static_cast<int64_t>(metrics.specs.size() - kShown)) + " more...";
  }
  return text;
}

void PrintHorizontalPodAutoscaler(const PrintContext&, JsonView hpa, PrintedRow& row) {
  JsonView spec = hpa["spec"];
  JsonView target = spec["scaleTargetRef"];
  row.Text(NameOf(hpa));
  row.Text(std::string(target["kind"].str()) + "/" + std::string(target["name"].str()));
  row.Text(FormatHpaMetrics(HorizontalPodAutoscalerMetrics(hpa)));
  // Both versions default minReplicas to 1.
  row.Text(IsSet(spec["minReplicas"]) ? IntText(spec["minReplicas"].i64()) : "1");
  row.Int(spec["maxReplicas"].i64());
  row.Int(hpa["status"]["currentReplicas"].i64());
  row.Text(AgeOfObject(hpa));
}

}  // namespace

void AddAppsPrinters(PrinterTable& table) {
  AddPrinter(table, "apps", "deployments",
             {.columns = {"Name", "Ready", "Up-to-date", "Available", "Age", "Containers",
                          "Images", "Selector"},
              .print = PrintDeployment,
              // apps/v1 conversion: a rollback request becomes spec.rollbackTo.
              .internal_annotation =
                  [](std::string_view key, std::string_view value) {
                    return key == "deprecated.deployment.rollback.to" && value != R"("")";
                  }});
  AddPrinter(table, "apps", "replicasets",
             {.columns = {"Name", "Desired", "Current", "Ready", "Age", "Containers", "Images",
                          "Selector"},
              .print = PrintReplicaSet});
  AddPrinter(table, "apps", "statefulsets",
             {.columns = {"Name", "Ready", "Age", "Containers", "Images"},
              .print = PrintStatefulSet});
  AddPrinter(table, "apps", "daemonsets",
             {.columns = {"Name", "Desired", "Current", "Ready", "Up-to-date", "Available",
                          "Node Selector", "Age", "Containers", "Images", "Selector"},
              .print = PrintDaemonSet,
              // apps/v1 conversion: the template generation becomes spec.templateGeneration.
              .internal_annotation =
                  [](std::string_view key, std::string_view value) {
                    int64_t generation;
                    return key == "deprecated.daemonset.template.generation" &&
                           value.size() > 2 &&
                           ParseGoInt64(value.substr(1, value.size() - 2), generation);
                  }});
  AddPrinter(table, "apps", "controllerrevisions",
             {.columns = {"Name", "Controller", "Revision", "Age"},
              .print = PrintControllerRevision});
  AddPrinter(table, "batch", "jobs",
             {.columns = {"Name", "Status", "Completions", "Duration", "Age", "Containers",
                          "Images", "Selector"},
              .print = PrintJob});
  AddPrinter(table, "batch", "cronjobs",
             {.columns = {"Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule",
                          "Age", "Containers", "Images", "Selector"},
              .print = PrintCronJob});
  AddPrinter(table, "autoscaling", "horizontalpodautoscalers",
             {.columns = {"Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas",
                          "Age"},
              .print = PrintHorizontalPodAutoscaler});
  AddPrinter(table, "policy", "poddisruptionbudgets",
             {.columns = {"Name", "Min Available", "Max Unavailable", "Allowed Disruptions",
                          "Age"},
              .print = PrintPodDisruptionBudget});
}

}  // namespace kcache
