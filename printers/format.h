#pragma once
// Formatting shared by printers, as k8s.io/kubernetes pkg/printers and apimachinery write it:
// durations, label maps and selectors, container lists, access modes, load-balancer addresses.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "printers/json_view.h"
#include "printers/printer.h"

namespace kcache {

// apimachinery's duration.HumanDuration: "90s", "2m5s", "3h5m", "2d2h", "2y70d", "<invalid>".
std::string HumanDuration(std::chrono::nanoseconds duration);

// Nanoseconds since the Unix epoch of an RFC 3339 time ("2024-05-03T16:36:32Z", fractions and
// offsets allowed), saturated to the int64 range; nothing when `text` is not one.
std::optional<int64_t> ParseRfc3339(std::string_view text);
// The same time in whole seconds (any four-digit year).
std::optional<int64_t> ParseRfc3339Seconds(std::string_view text);

// to - from, saturated as Go's Time.Sub saturates.
std::chrono::nanoseconds Between(int64_t from_nanos, int64_t to_nanos);

// A time as metav1.Time writes it: UTC, to the second ("2024-05-03T16:36:32Z").
std::string FormatRfc3339Utc(int64_t unix_seconds);

// metadata.name of an object.
inline std::string_view NameOf(JsonView object) { return object["metadata"]["name"].str(); }

// Whether a Go pointer field is set: present and not null.
inline bool IsSet(JsonView value) { return value.present() && !value.is_null(); }

// translateTimestampSince: the age of a metav1.Time or MicroTime field, "<unknown>" when it is
// absent, null or empty.
ElapsedText AgeOf(JsonView timestamp);
// The age of an object (its metadata.creationTimestamp).
ElapsedText AgeOfObject(JsonView object);
// Whether a Time field holds no time (absent, null or empty): Go's IsZero on the decoded value.
bool IsZeroTime(JsonView timestamp);

// FormatLabels: "k=v" pairs sorted and joined with ",", "<none>" for none.
std::string FormatLabels(JsonView labels);

// A metav1.LabelSelector as a selector string; `std::nullopt` when it does not convert (an
// unknown operator, an invalid key or value). An absent or empty selector gives "".
std::optional<std::string> LabelSelectorString(JsonView selector);
// FormatLabelSelector: "<none>" for an absent or empty selector, "<error>" when it does not
// convert.
std::string FormatLabelSelector(JsonView selector);

// layoutContainerCells: the names and the images of a pod template's containers.
void AppendContainerCells(JsonView pod_spec, PrintedRow& row);

// Access modes as "RWO,ROX,RWX,RWOP" (deduplicated, in that order).
std::string FormatAccessModes(JsonView modes);

// The IPs or else hostnames of status.loadBalancer.ingress, deduplicated, sorted, joined ",".
std::vector<std::string> LoadBalancerAddresses(JsonView ingress);

std::string Join(const std::vector<std::string>& parts, std::string_view separator);

// printBoolPtr: "<unset>", "True" or "False".
std::string FormatBoolPointer(JsonView value);

// Go's encoding/json for a float64: %f between 1e-6 and 1e21, otherwise %e with a one-digit
// negative exponent shortened ("1e-07" becomes "1e-7"); the shortest text that reads back.
void AppendGoJsonFloat(std::string& out, double value);

// Go's strconv.FormatInt / %d.
std::string IntText(int64_t value);

// The first condition of `type` in a conditions array (absent when there is none).
JsonView FindCondition(JsonView conditions, std::string_view type);
// Whether the first condition of `type` has status "True".
bool ConditionTrue(JsonView conditions, std::string_view type);

// An IntOrString field as Go's %v writes it ("" when absent).
std::string IntOrStringText(JsonView value);

}  // namespace kcache
