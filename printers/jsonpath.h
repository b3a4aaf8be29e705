#pragma once
// The part of client-go's JSONPath that CRD printer columns use: `.field`, `['field']`, `[n]`,
// `[*]`, `.*` and filters `[?(@.path == "value")]` (==, !=, with string, number or boolean
// literals). A column whose path uses anything else is not computed by kcache (the upstream
// prints that resource).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "printers/json_view.h"

namespace kcache {

class JsonPath {
 public:
  // Parses a column's jsonPath (without the braces kube-apiserver adds); nothing when it uses
  // what kcache does not evaluate.
  static std::optional<JsonPath> Parse(std::string_view path);

  // Every value the path finds, in document order (missing keys find nothing).
  std::vector<JsonView> Find(JsonView root) const;

  struct Step;

 private:
  std::vector<std::shared_ptr<const Step>> steps_;
};

// What client-go's jsonpath prints for one value: strings raw, numbers and booleans as Go's %v,
// objects and arrays as Go's json.Marshal (keys sorted), null as "<no value>".
std::string JsonPathText(JsonView value);

// Go's json.Marshal of a decoded JSON value (map keys sorted, HTML-safe escaping).
std::string GoJsonMarshal(JsonView value);

// Go's %v of a float64 ("1.5", "100000.5", "1e+06", "1.2345675e+06", "1e-05").
std::string GoFloatText(double value);

}  // namespace kcache
