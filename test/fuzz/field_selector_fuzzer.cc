// fieldSelector: kube/field_selector.h and field label conversion (kube/selectable_fields.h).
// Properties: a parsed selector prints (String()) as a selector that parses again to the same
// requirements; printing that again is a fixed point; both decide every field set alike;
// RequiredValue agrees with the requirements; EscapeFieldValue values parse back.
//
// Go sorts the raw terms before parsing, so String() may list the requirements in another order
// than the reparsed selector ("a==x,a=b" prints "a=x,a=b", which sorts as "a=b,a=x"); the
// comparison is therefore on the requirements as a multiset, and String() is compared from
// the second print on.
//
// Input: the selector text, as the fieldSelector query parameter carries it once decoded.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "kube/field_selector.h"
#include "kube/selectable_fields.h"
#include "test/fuzz/check.h"

namespace kcache {
namespace {

std::vector<FieldRequirement> Sorted(std::vector<FieldRequirement> requirements) {
  std::sort(requirements.begin(), requirements.end(), [](const auto& a, const auto& b) {
    return std::tie(a.field, a.op, a.value) < std::tie(b.field, b.op, b.value);
  });
  return requirements;
}

std::vector<FieldValues> FieldSetsFor(const FieldSelector& selector) {
  std::vector<FieldValues> sets;
  sets.push_back({});
  FieldValues all;
  for (const FieldRequirement& r : selector.Requirements()) {
    sets.push_back({{r.field, r.value}});
    sets.push_back({{r.field, r.value + "x"}});
    sets.push_back({{r.field, ""}});
    all.emplace_back(r.field, r.value);
  }
  sets.push_back(all);
  return sets;
}

std::string Describe(std::string_view input, const FieldSelector& selector) {
  return "input " + fuzz::Escape(input) + " String() " + fuzz::Escape(selector.String());
}

}  // namespace
}  // namespace kcache

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kcache;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = FieldSelector::Parse(input);
  if (!parsed) {
    FUZZ_CHECK(!parsed.error().empty(), fuzz::Escape(input));
    return 0;
  }
  const FieldSelector& selector = *parsed;
  std::string text = selector.String();
  auto again = FieldSelector::Parse(text);
  FUZZ_CHECK(again.has_value(),
             Describe(input, selector) + " does not parse: " + (again ? "" : again.error()));
  FUZZ_CHECK(Sorted(again->Requirements()) == Sorted(selector.Requirements()),
             Describe(input, selector) + " reparsed prints " + fuzz::Escape(again->String()));
  std::string second = again->String();
  auto third = FieldSelector::Parse(second);
  FUZZ_CHECK(third.has_value() && third->String() == second,
             Describe(input, selector) + " second print " + fuzz::Escape(second));

  for (const FieldValues& values : FieldSetsFor(selector)) {
    FUZZ_CHECK(selector.Matches(values) == again->Matches(values), Describe(input, selector));
  }
  for (const FieldRequirement& r : selector.Requirements()) {
    std::optional<std::string> required = selector.RequiredValue(r.field);
    if (r.op == FieldOperator::kEquals) FUZZ_CHECK(required.has_value(), Describe(input, selector));
    // A single value, escaped, parses back to itself.
    auto single = FieldSelector::Parse("f=" + EscapeFieldValue(r.value));
    FUZZ_CHECK(single.has_value() && single->RequiredValue("f") == r.value,
               Describe(input, selector) + " value " + fuzz::Escape(r.value));
  }

  // Field label conversion against a few real field sets, as list_options does next.
  for (const SelectableFieldSet& set :
       {SelectableFieldsFor("", "pods", true), SelectableFieldsFor("", "events", true),
        SelectableFieldsFor("events.k8s.io", "events", true),
        SelectableFieldsFor("", "nodes", false), SelectableFieldsFor("batch", "jobs", true),
        SelectableFieldsForCustomResource({".spec.color", ".status.phase"}, true)}) {
    auto converted = ValidateFieldSelector(selector, set);
    if (converted) {
      FUZZ_CHECK(converted->Requirements().size() == selector.Requirements().size(),
                 Describe(input, selector));
    } else {
      FUZZ_CHECK(!converted.error().empty(), Describe(input, selector));
    }
  }
  return 0;
}
