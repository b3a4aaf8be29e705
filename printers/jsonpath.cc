#include "printers/jsonpath.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "kube/json_text.h"
#include "printers/format.h"

namespace kcache {

struct JsonPath::Step {
  enum class Kind { kField, kIndex, kAll, kFilter };
  Kind kind = Kind::kField;
  std::string field;
  int64_t index = 0;
  // Filters: the path under @, the comparison and the literal (as JSON text for numbers and
  // booleans, raw for strings).
  std::vector<std::shared_ptr<const Step>> filter_path;
  bool equal = true;
  std::string literal;
  bool literal_is_string = true;
};

namespace {

using Step = JsonPath::Step;
using Steps = std::vector<std::shared_ptr<const Step>>;

bool IsFieldChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '/';
}

std::optional<Steps> ParseSteps(std::string_view& text, bool in_filter);

std::optional<std::shared_ptr<const Step>> ParseFilter(std::string_view& text) {
  // text starts after "[?("
  auto step = std::make_shared<Step>();
  step->kind = Step::Kind::kFilter;
  if (text.empty() || text.front() != '@') return std::nullopt;
  text.remove_prefix(1);
  auto path = ParseSteps(text, true);
  if (!path) return std::nullopt;
  step->filter_path = std::move(*path);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (text.starts_with("==")) {
    step->equal = true;
  } else if (text.starts_with("!=")) {
    step->equal = false;
  } else {
    return std::nullopt;
  }
  text.remove_prefix(2);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (!text.empty() && (text.front() == '"' || text.front() == '\'')) {
    char quote = text.front();
    size_t end = text.find(quote, 1);
    if (end == std::string_view::npos) return std::nullopt;
    step->literal = std::string(text.substr(1, end - 1));
    text.remove_prefix(end + 1);
  } else {
    size_t end = 0;
    while (end < text.size() && text[end] != ')' && text[end] != ' ') ++end;
    step->literal = std::string(text.substr(0, end));
    step->literal_is_string = false;
    if (step->literal.empty()) return std::nullopt;
    text.remove_prefix(end);
  }
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (!text.starts_with(")]")) return std::nullopt;
  text.remove_prefix(2);
  return step;
}

std::optional<Steps> ParseSteps(std::string_view& text, bool in_filter) {
  Steps steps;
  while (!text.empty()) {
    char c = text.front();
    if (in_filter && (c == ' ' || c == '=' || c == '!' || c == ')')) break;
    auto step = std::make_shared<Step>();
    if (c == '.') {
      text.remove_prefix(1);
      if (text.starts_with(".")) return std::nullopt;  // recursive descent
      if (text.starts_with("*")) {
        text.remove_prefix(1);
        step->kind = Step::Kind::kAll;
      } else {
        size_t end = 0;
        while (end < text.size() && IsFieldChar(text[end])) ++end;
        if (end == 0) {
          if (text.empty() || text.front() == '[') continue;  // "." alone, or ".[0]"
          return std::nullopt;
        }
        step->field = std::string(text.substr(0, end));
        text.remove_prefix(end);
      }
    } else if (c == '[') {
      text.remove_prefix(1);
      if (text.starts_with("?(")) {
        text.remove_prefix(2);
        auto filter = ParseFilter(text);
        if (!filter) return std::nullopt;
        steps.push_back(*filter);
        continue;
      }
      if (text.starts_with("*]")) {
        text.remove_prefix(2);
        step->kind = Step::Kind::kAll;
      } else if (!text.empty() && (text.front() == '\'' || text.front() == '"')) {
        char quote = text.front();
        size_t end = text.find(quote, 1);
        if (end == std::string_view::npos || end + 1 >= text.size() || text[end + 1] != ']') {
          return std::nullopt;
        }
        step->field = std::string(text.substr(1, end - 1));
        text.remove_prefix(end + 2);
      } else {
        size_t end = text.find(']');
        if (end == std::string_view::npos) return std::nullopt;
        std::string_view number = text.substr(0, end);
        int64_t index = 0;
        auto [ptr, error] = std::from_chars(number.data(), number.data() + number.size(), index);
        if (error != std::errc() || ptr != number.data() + number.size() || index < 0) {
          return std::nullopt;  // slices and negative indexes
        }
        step->kind = Step::Kind::kIndex;
        step->index = index;
        text.remove_prefix(end + 1);
      }
    } else {
      return std::nullopt;
    }
    steps.push_back(step);
  }
  return steps;
}

void Walk(const Steps& steps, size_t at, JsonView value, std::vector<JsonView>& out);

bool Matches(const Step& filter, JsonView item) {
  std::vector<JsonView> found;
  Walk(filter.filter_path, 0, item, found);
  if (found.empty()) return false;
  JsonView value = found.front();
  bool same;
  if (filter.literal_is_string) {
    same = value.is_string() && value.str() == filter.literal;
  } else if (filter.literal == "true" || filter.literal == "false") {
    same = value.is_bool() && value.boolean() == (filter.literal == "true");
  } else {
    double number = 0;
    auto [ptr, error] = std::from_chars(filter.literal.data(),
                                        filter.literal.data() + filter.literal.size(), number);
    same = error == std::errc() && value.is_number() &&
           (value.is_integer() ? static_cast<double>(value.i64()) : value.f64()) == number;
  }
  return same == filter.equal;
}

void Walk(const Steps& steps, size_t at, JsonView value, std::vector<JsonView>& out) {
  if (!value.present()) return;
  if (at == steps.size()) {
    out.push_back(value);
    return;
  }
  const Step& step = *steps[at];
  switch (step.kind) {
    case Step::Kind::kField:
      Walk(steps, at + 1, value[step.field], out);
      break;
    case Step::Kind::kIndex:
      Walk(steps, at + 1, value.at(static_cast<size_t>(step.index)), out);
      break;
    case Step::Kind::kAll:
      for (JsonView element : value.elements()) Walk(steps, at + 1, element, out);
      for (auto member : value.members()) Walk(steps, at + 1, member.value, out);
      break;
    case Step::Kind::kFilter:
      for (JsonView element : value.elements()) {
        if (Matches(step, element)) Walk(steps, at + 1, element, out);
      }
      break;
  }
}

// Go's json.Marshal of a decoded value: map keys sorted, HTML-safe escaping.
void AppendGoJson(std::string& out, JsonView value) {
  if (value.is_string()) {
    AppendJsonString(out, value.str());
  } else if (value.is_integer()) {
    out += std::to_string(value.i64());
  } else if (value.is_number()) {
    AppendGoJsonFloat(out, value.f64());
  } else if (value.is_bool()) {
    out += value.boolean() ? "true" : "false";
  } else if (value.is_array()) {
    out += '[';
    bool first = true;
    for (JsonView element : value.elements()) {
      if (!first) out += ',';
      first = false;
      AppendGoJson(out, element);
    }
    out += ']';
  } else if (value.is_object()) {
    std::vector<JsonView::Members::Member> members;
    for (auto member : value.members()) members.push_back(member);
    std::sort(members.begin(), members.end(),
              [](const auto& a, const auto& b) { return a.key < b.key; });
    out += '{';
    for (size_t i = 0; i < members.size(); ++i) {
      if (i > 0) out += ',';
      AppendJsonString(out, members[i].key);
      out += ':';
      AppendGoJson(out, members[i].value);
    }
    out += '}';
  } else {
    out += "null";
  }
}

}  // namespace

std::optional<JsonPath> JsonPath::Parse(std::string_view path) {
  std::string_view text = path;
  auto steps = ParseSteps(text, false);
  if (!steps || !text.empty() || steps->empty()) return std::nullopt;
  JsonPath parsed;
  parsed.steps_ = std::move(*steps);
  return parsed;
}

std::vector<JsonView> JsonPath::Find(JsonView root) const {
  std::vector<JsonView> found;
  Walk(steps_, 0, root, found);
  return found;
}

std::string GoFloatText(double value) {
  // strconv's 'g' with the shortest digits: %e when the decimal exponent is below -4 or at
  // least 6 (the precision it assumes for shortest output), %f otherwise.
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value,
                                    std::chars_format::scientific);
  std::string scientific(buffer, end);
  size_t e = scientific.find('e');
  int exponent = std::atoi(scientific.c_str() + e + 1);
  if (exponent < -4 || exponent >= 6) {
    // Go writes at least two exponent digits: 1e+06, 1e-05.
    std::string mantissa = scientific.substr(0, e);
    std::string digits = std::to_string(std::abs(exponent));
    if (digits.size() < 2) digits.insert(0, "0");
    return mantissa + (exponent < 0 ? "e-" : "e+") + digits;
  }
  auto [fixed_end, fixed_error] = std::to_chars(buffer, buffer + sizeof buffer, value,
                                                std::chars_format::fixed);
  return std::string(buffer, fixed_end);
}

std::string GoJsonMarshal(JsonView value) {
  std::string out;
  AppendGoJson(out, value);
  return out;
}

std::string JsonPathText(JsonView value) {
  if (value.is_string()) return std::string(value.str());
  if (value.is_integer()) return std::to_string(value.i64());
  if (value.is_number()) return GoFloatText(value.f64());
  if (value.is_bool()) return value.boolean() ? "true" : "false";
  if (value.is_object() || value.is_array()) return GoJsonMarshal(value);
  return "<no value>";
}

}  // namespace kcache
