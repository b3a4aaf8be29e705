// The fieldSelector query parameter: parsing and matching as
// k8s.io/apimachinery/pkg/fields/selector.go does it (Kubernetes 1.37). Which fields a resource
// accepts, and their renames, are decided afterwards by ValidateFieldSelector
// (kube/selectable_fields.h), in the same order kube-apiserver applies them.
//
// Thread-safety: a parsed FieldSelector is immutable; share it freely across threads.
#pragma once

#include <boost/system/result.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kcache {

// An object's selectable field values (label, value), in any order. A field the selector names
// but the list lacks compares as "", as Go's fields.Set.Get returns "" for a missing key.
using FieldValues = std::vector<std::pair<std::string, std::string>>;

enum class FieldOperator {
  kEquals,     // "=" and "==" (Go keeps no difference between them)
  kNotEquals,  // "!="
};

struct FieldRequirement {
  std::string field;
  FieldOperator op = FieldOperator::kEquals;
  std::string value;  // unescaped

  bool operator==(const FieldRequirement&) const = default;
};

class FieldSelector {
 public:
  // The selector that matches everything.
  FieldSelector() = default;
  // Requirements exactly as given (already converted); used by field label conversion.
  explicit FieldSelector(std::vector<FieldRequirement> requirements)
      : requirements_(std::move(requirements)) {}

  // Parses the field selector grammar: terms split on unescaped ',', each "field=value",
  // "field==value" or "field!=value" at the first operator found. On error returns the exact
  // message kube-apiserver puts in its 400 BadRequest Status. Read the outcome with
  // has_value(), operator* and error() (value() does not compile for a std::string error).
  [[nodiscard]] static boost::system::result<FieldSelector, std::string> Parse(
      std::string_view text);

  // True when every requirement holds against `values`.
  bool Matches(const FieldValues& values) const;
  // True when the selector does not restrict anything ("", ",", "=" all parse to this).
  bool Empty() const { return requirements_.empty(); }
  // The value when the selector contains `field=value` (or `==`): Go's RequiresExactMatch.
  // With several such terms the first in selector order wins. Used for metadata.name
  // single-object reads and for the metadata.namespace / spec.nodeName indexes.
  std::optional<std::string> RequiredValue(std::string_view field) const;
  // Requirements in Go's order: the raw terms sorted byte-wise.
  const std::vector<FieldRequirement>& Requirements() const { return requirements_; }
  // Go's Selector.String(): "a=b,c!=d" with values escaped again.
  std::string String() const;

 private:
  std::vector<FieldRequirement> requirements_;
};

// fields.EscapeValue: prefixes '\', ',' and '=' with a backslash.
std::string EscapeFieldValue(std::string_view value);

}  // namespace kcache
