// Pods: NAME READY STATUS RESTARTS AGE IP NODE NOMINATED-NODE READINESS-GATES, with
// kube-apiserver's status algorithm (pkg/printers/internalversion printPod).

#include <set>

#include "printers/builtin.h"
#include "printers/format.h"

namespace kcache {
namespace {

// The latest lastState.terminated.finishedAt seen, as a time, with its text.
struct LastRestart {
  int64_t at = 0;
  bool set = false;

  void Consider(JsonView status) {
    JsonView finished = status["lastState"]["terminated"]["finishedAt"];
    if (!status["lastState"]["terminated"].is_object() || IsZeroTime(finished)) return;
    auto parsed = ParseRfc3339(finished.str());
    if (parsed && (!set || *parsed > at)) {
      at = *parsed;
      set = true;
    }
  }
};

std::string TerminatedReason(JsonView terminated, std::string_view prefix) {
  std::string_view reason = terminated["reason"].str();
  if (!reason.empty()) return std::string(prefix) + std::string(reason);
  int64_t signal = terminated["signal"].i64();
  if (signal != 0) return std::string(prefix) + "Signal:" + IntText(signal);
  return std::string(prefix) + "ExitCode:" + IntText(terminated["exitCode"].i64());
}

void PrintPod(const PrintContext&, JsonView pod, PrintedRow& row) {
  JsonView spec = pod["spec"], status = pod["status"], metadata = pod["metadata"];
  JsonView conditions = status["conditions"];
  std::string_view phase = status["phase"].str();
  std::string reason(phase);
  if (!status["reason"].str().empty()) reason = status["reason"].str();
  for (JsonView condition : conditions.elements()) {
    if (condition["type"].str() == "PodScheduled" &&
        condition["reason"].str() == "SchedulingGated") {
      reason = "SchedulingGated";
    }
  }
  if (phase == "Succeeded") {
    row.conditions = R"([{"type":"Completed","status":"True","reason":"Succeeded","message":"The pod has completed successfully."}])";
  } else if (phase == "Failed") {
    row.conditions = R"([{"type":"Completed","status":"True","reason":"Failed","message":"The pod failed."}])";
  }

  // Sidecars: init containers that restart always; they count among the pod's containers.
  int64_t total = static_cast<int64_t>(spec["containers"].size());
  std::set<std::string_view> sidecars;
  for (JsonView container : spec["initContainers"].elements()) {
    if (container["restartPolicy"].str() == "Always") {
      sidecars.insert(container["name"].str());
      ++total;
    }
  }
  int64_t ready = 0, restarts = 0, sidecar_restarts = 0;
  LastRestart last_restart, sidecar_last_restart;

  bool initializing = false;
  size_t index = 0;
  for (JsonView container : status["initContainerStatuses"].elements()) {
    size_t i = index++;
    bool sidecar = sidecars.contains(container["name"].str());
    restarts += container["restartCount"].i64();
    last_restart.Consider(container);
    if (sidecar) {
      sidecar_restarts += container["restartCount"].i64();
      sidecar_last_restart.Consider(container);
    }
    JsonView terminated = container["state"]["terminated"];
    JsonView waiting = container["state"]["waiting"];
    if (terminated.is_object() && terminated["exitCode"].i64() == 0) continue;
    if (sidecar && container["started"].boolean()) {
      if (container["ready"].boolean()) ++ready;
      continue;
    }
    if (terminated.is_object()) {
      reason = TerminatedReason(terminated, "Init:");
    } else if (waiting.is_object() && !waiting["reason"].str().empty() &&
               waiting["reason"].str() != "PodInitializing") {
      reason = "Init:" + std::string(waiting["reason"].str());
    } else {
      reason = "Init:" + IntText(static_cast<int64_t>(i)) + "/" +
               IntText(static_cast<int64_t>(spec["initContainers"].size()));
    }
    initializing = true;
    break;
  }

  if (!initializing || FindCondition(conditions, "Initialized")["status"].str() == "True") {
    restarts = sidecar_restarts;
    last_restart = sidecar_last_restart;
    bool has_running = false;
    std::string error_reason;
    JsonView statuses = status["containerStatuses"];
    for (size_t i = statuses.size(); i-- > 0;) {
      JsonView container = statuses.at(i);
      restarts += container["restartCount"].i64();
      last_restart.Consider(container);
      JsonView waiting = container["state"]["waiting"];
      JsonView terminated = container["state"]["terminated"];
      if (waiting.is_object() && !waiting["reason"].str().empty()) {
        reason = waiting["reason"].str();
      } else if (terminated.is_object()) {
        reason = TerminatedReason(terminated, "");
        if (terminated["exitCode"].i64() != 0) error_reason = reason;
      } else if (container["ready"].boolean() && container["state"]["running"].is_object()) {
        has_running = true;
        ++ready;
      }
    }
    if (reason == "Completed") {
      bool pod_ready = false;
      for (JsonView condition : conditions.elements()) {
        pod_ready |= condition["type"].str() == "Ready" && condition["status"].str() == "True";
      }
      if (has_running && pod_ready) {
        reason = "Running";
      } else if (!error_reason.empty()) {
        reason = error_reason;
      } else if (has_running) {
        reason = "NotReady";
      }
    }
  }

  bool deleting = !IsZeroTime(metadata["deletionTimestamp"]);
  if (deleting && status["reason"].str() == "NodeLost") {
    reason = "Unknown";
  } else if (deleting && phase != "Succeeded" && phase != "Failed") {
    reason = "Terminating";
  }

  ElapsedText restarts_text = ElapsedText::Fixed(IntText(restarts));
  if (restarts != 0 && last_restart.set) {
    restarts_text = {IntText(restarts) + " (", last_restart.at, " ago)"};
  }

  row.Text(metadata["name"].str());
  row.Text(IntText(ready) + "/" + IntText(total));
  row.Text(std::move(reason));
  row.Text(std::move(restarts_text));
  row.Text(AgeOf(metadata["creationTimestamp"]));

  std::string_view ip = status["podIPs"].at(0)["ip"].str();
  if (ip.empty()) ip = status["podIP"].str();
  auto or_none = [](std::string_view text) { return text.empty() ? "<none>" : std::string(text); };
  row.Text(or_none(ip));
  row.Text(or_none(spec["nodeName"].str()));
  row.Text(or_none(status["nominatedNodeName"].str()));
  std::string gates = "<none>";
  if (spec["readinessGates"].size() > 0) {
    int64_t true_gates = 0;
    for (JsonView gate : spec["readinessGates"].elements()) {
      JsonView condition = FindCondition(conditions, gate["conditionType"].str());
      if (condition["status"].str() == "True") ++true_gates;
    }
    gates = IntText(true_gates) + "/" + IntText(static_cast<int64_t>(spec["readinessGates"].size()));
  }
  row.Text(std::move(gates));
}

}  // namespace

void AddPodPrinters(PrinterTable& table) {
  AddPrinter(table, "", "pods",
             {.columns = {"Name", "Ready", "Status", "Restarts", "Age", "IP", "Node",
                          "Nominated Node", "Readiness Gates"},
              .print = PrintPod});
}

}  // namespace kcache
