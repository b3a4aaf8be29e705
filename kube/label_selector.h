// The labelSelector query parameter: parsing, validation and matching exactly as
// k8s.io/apimachinery/pkg/labels/selector.go does it (Kubernetes 1.37), so that every 400 message
// and every match decision is the one kube-apiserver would produce.
//
// Thread-safety: a parsed LabelSelector is immutable; share it freely across threads.
#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kcache {

// Labels of an object, sorted by key (unique keys). Matching relies on the order.
using Labels = std::vector<std::pair<std::string, std::string>>;

// Spelled as in k8s.io/apimachinery/pkg/selection/operator.go.
enum class LabelOperator {
  kEquals,        // "="
  kDoubleEquals,  // "=="
  kNotEquals,     // "!="
  kIn,            // "in"
  kNotIn,         // "notin"
  kExists,        // "exists": a bare key
  kDoesNotExist,  // "!": !key
  kGreaterThan,   // "gt": key>N
  kLessThan,      // "lt": key<N
};

struct LabelRequirement {
  std::string key;
  LabelOperator op = LabelOperator::kExists;
  // Sorted and unique, as Go's sets.String.List() hands them over. Empty for kExists and
  // kDoesNotExist; exactly one value for the exact-match and gt/lt operators.
  std::vector<std::string> values;

  bool Matches(const Labels& labels) const;
  // Go's Requirement.String(): "a in (x,y)", "!a", "a!=b", "a>5".
  std::string String() const;
};

class LabelSelector {
 public:
  // The selector that matches everything (what an absent or empty labelSelector means).
  LabelSelector() = default;

  // Parses the kube label selector grammar. On error returns the exact message kube-apiserver
  // puts in its 400 BadRequest Status for that labelSelector. Read the outcome with
  // has_value(), operator* and error(): result<T, std::string>::value() does not compile,
  // because Boost has no exception mapping for a std::string error.
  [[nodiscard]] static boost::system::result<LabelSelector, std::string> Parse(
      std::string_view text);

  // True when every requirement matches (an empty selector matches everything).
  bool Matches(const Labels& labels) const;
  // True when the selector does not restrict anything.
  bool Empty() const { return requirements_.empty(); }
  // Requirements sorted by key, as Go sorts them after parsing.
  const std::vector<LabelRequirement>& Requirements() const { return requirements_; }
  // Go's Selector.String(): the canonical form, requirements joined by ",".
  std::string String() const;

 private:
  explicit LabelSelector(std::vector<LabelRequirement> requirements)
      : requirements_(std::move(requirements)) {}

  std::vector<LabelRequirement> requirements_;
};

}  // namespace kcache
