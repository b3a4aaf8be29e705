#include "kube/field_selector.h"

#include <algorithm>

#include "kube/go_text.h"
#include "kube/label_selector.h"

// Behaviour follows k8s.io/apimachinery/pkg/fields/selector.go (splitTerms, splitTerm,
// UnescapeValue, parseSelector, hasTerm/notHasTerm/andTerm) at Kubernetes 1.37.

namespace kcache {
namespace {

using FieldResult = boost::system::result<FieldSelector, std::string>;

FieldResult Error(std::string message) {
  return FieldResult(boost::system::in_place_error, std::move(message));
}

// Splits on ',' unless the comma is escaped; the backslashes stay in the terms.
std::vector<std::string_view> SplitTerms(std::string_view selector) {
  std::vector<std::string_view> terms;
  if (selector.empty()) return terms;
  size_t start = 0;
  bool in_slash = false;
  for (size_t i = 0; i < selector.size(); ++i) {
    char c = selector[i];
    if (in_slash) {
      in_slash = false;
    } else if (c == '\\') {
      in_slash = true;
    } else if (c == ',') {
      terms.push_back(selector.substr(start, i - start));
      start = i + 1;
    }
  }
  terms.push_back(selector.substr(start));
  return terms;
}

struct SplitTermResult {
  std::string_view lhs;
  FieldOperator op = FieldOperator::kEquals;
  std::string_view rhs;
};

// The first position where an operator starts wins; at one position "!=" and "==" are tried
// before "=", so "a==b" is (a, ==, b) and not (a, =, =b). The field itself cannot be escaped.
std::optional<SplitTermResult> SplitTerm(std::string_view term) {
  for (size_t i = 0; i < term.size(); ++i) {
    std::string_view rest = term.substr(i);
    if (rest.starts_with("!="))
      return SplitTermResult{term.substr(0, i), FieldOperator::kNotEquals, rest.substr(2)};
    if (rest.starts_with("=="))
      return SplitTermResult{term.substr(0, i), FieldOperator::kEquals, rest.substr(2)};
    if (rest.starts_with("="))
      return SplitTermResult{term.substr(0, i), FieldOperator::kEquals, rest.substr(1)};
  }
  return std::nullopt;
}

// UnescapeValue. Go walks the value rune by rune once it contains any of `\,=`, so invalid
// UTF-8 in such a value comes back as U+FFFD; values without those bytes are kept as they are.
bool UnescapeValue(std::string_view value, std::string& out, std::string& error) {
  if (value.find_first_of("\\,=") == std::string_view::npos) {
    out.assign(value);
    return true;
  }
  out.clear();
  bool in_slash = false;
  for (size_t pos = 0; pos < value.size();) {
    DecodedRune decoded = DecodeRune(value, pos);
    pos += decoded.width;
    char32_t c = decoded.rune;
    if (in_slash) {
      if (c != '\\' && c != ',' && c != '=') {
        error = "invalid field selector: invalid escape sequence: \\";
        AppendUtf8(error, c);
        return false;
      }
      AppendUtf8(out, c);
      in_slash = false;
      continue;
    }
    if (c == '\\') {
      in_slash = true;
    } else if (c == ',' || c == '=') {
      // Go prints the rune with %v, i.e. as its code point number.
      error = "invalid field selector: unescaped character in value: " +
              std::to_string(static_cast<uint32_t>(c));
      return false;
    } else {
      AppendUtf8(out, c);
    }
  }
  if (in_slash) {
    error = "invalid field selector: invalid escape sequence: \\";
    return false;
  }
  return true;
}

}  // namespace

FieldResult FieldSelector::Parse(std::string_view text) {
  std::vector<std::string_view> parts = SplitTerms(text);
  // Go sorts the raw terms first, so the first error reported is that of the smallest term.
  std::sort(parts.begin(), parts.end());
  std::vector<FieldRequirement> requirements;
  for (std::string_view part : parts) {
    if (part.empty()) continue;
    std::optional<SplitTermResult> split = SplitTerm(part);
    if (!split) {
      return Error("invalid selector: '" + std::string(text) + "'; can't understand '" +
                   std::string(part) + "'");
    }
    FieldRequirement requirement{std::string(split->lhs), split->op, {}};
    std::string error;
    if (!UnescapeValue(split->rhs, requirement.value, error)) return Error(std::move(error));
    requirements.push_back(std::move(requirement));
  }
  // ParseSelector ends with an identity Transform, which drops terms whose field and value are
  // both empty ("=", "!="): they select nothing and never reach field label conversion.
  std::erase_if(requirements,
                [](const FieldRequirement& r) { return r.field.empty() && r.value.empty(); });
  return FieldSelector(std::move(requirements));
}

bool FieldSelector::Matches(const FieldValues& values) const {
  for (const FieldRequirement& requirement : requirements_) {
    std::string_view actual;
    for (const auto& [label, value] : values) {
      if (label == requirement.field) {
        actual = value;
        break;
      }
    }
    bool equal = actual == requirement.value;
    if (equal != (requirement.op == FieldOperator::kEquals)) return false;
  }
  return true;
}

std::optional<std::string> FieldSelector::RequiredValue(std::string_view field) const {
  for (const FieldRequirement& requirement : requirements_) {
    if (requirement.op == FieldOperator::kEquals && requirement.field == field) {
      return requirement.value;
    }
  }
  return std::nullopt;
}

std::string FieldSelector::String() const {
  std::string out;
  for (const FieldRequirement& requirement : requirements_) {
    if (!out.empty()) out += ",";
    out += requirement.field;
    out += requirement.op == FieldOperator::kEquals ? "=" : "!=";
    out += EscapeFieldValue(requirement.value);
  }
  return out;
}

std::string EscapeFieldValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\' || c == ',' || c == '=') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

}  // namespace kcache
