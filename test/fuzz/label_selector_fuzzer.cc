// labelSelector: kube/label_selector.h. Properties: a parsed selector prints (String()) as a
// selector that parses again to the same requirements and the same String(), both selectors
// decide every label set alike, and a selector matches exactly when all its requirements do.
//
// Input: the selector text, as the labelSelector query parameter carries it once decoded.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "kube/label_selector.h"
#include "test/fuzz/check.h"

namespace kcache {
namespace {

Labels ToLabels(const std::map<std::string, std::string>& map) {
  return Labels(map.begin(), map.end());
}

// Label sets that exercise each requirement: none, each key at each of its values, at values
// just around a number, at a value no requirement names, and everything at once.
std::vector<Labels> LabelSetsFor(const LabelSelector& selector) {
  std::vector<Labels> sets;
  sets.push_back({});
  std::map<std::string, std::string> all;
  for (const LabelRequirement& r : selector.Requirements()) {
    std::vector<std::string> candidates = r.values;
    candidates.push_back("");
    candidates.push_back("zz-unnamed");
    for (const std::string& v : r.values) {
      candidates.push_back(v + "0");
      if (!v.empty() && v.size() < 19 && v.find_first_not_of("-0123456789") == std::string::npos) {
        candidates.push_back("-" + v);
      }
    }
    for (const std::string& value : candidates) sets.push_back(ToLabels({{r.key, value}}));
    all[r.key] = r.values.empty() ? "x" : r.values.front();
  }
  sets.push_back(ToLabels(all));
  return sets;
}

std::string Describe(std::string_view input, const LabelSelector& selector) {
  return "input " + fuzz::Escape(input) + " String() " + fuzz::Escape(selector.String());
}

}  // namespace
}  // namespace kcache

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kcache;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = LabelSelector::Parse(input);
  if (!parsed) {
    FUZZ_CHECK(!parsed.error().empty(), fuzz::Escape(input));
    return 0;
  }
  const LabelSelector& selector = *parsed;
  std::string text = selector.String();
  auto again = LabelSelector::Parse(text);
  FUZZ_CHECK(again.has_value(),
             Describe(input, selector) + " does not parse: " + (again ? "" : again.error()));
  FUZZ_CHECK(again->String() == text, Describe(input, selector) + " reparsed prints " +
                                          fuzz::Escape(again->String()));
  FUZZ_CHECK(again->Requirements().size() == selector.Requirements().size(),
             Describe(input, selector));
  FUZZ_CHECK(selector.Empty() == again->Empty(), Describe(input, selector));
  for (size_t i = 0; i < selector.Requirements().size(); ++i) {
    const LabelRequirement& a = selector.Requirements()[i];
    const LabelRequirement& b = again->Requirements()[i];
    FUZZ_CHECK(a.key == b.key && a.op == b.op && a.values == b.values,
               Describe(input, selector) + " requirement " + std::to_string(i) + " " +
                   fuzz::Escape(a.String()) + " became " + fuzz::Escape(b.String()));
    if (i > 0) FUZZ_CHECK(selector.Requirements()[i - 1].key <= a.key, Describe(input, selector));
  }
  for (const Labels& labels : LabelSetsFor(selector)) {
    bool matches = selector.Matches(labels);
    bool all = true;
    for (const LabelRequirement& r : selector.Requirements()) all = all && r.Matches(labels);
    FUZZ_CHECK(matches == all, Describe(input, selector));
    FUZZ_CHECK(matches == again->Matches(labels), Describe(input, selector));
  }
  return 0;
}
