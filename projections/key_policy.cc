#include "projections/key_policy.h"

#include <algorithm>

namespace kcache {

bool GlobMatches(std::string_view pattern, std::string_view text) {
  // Iterative matching with one backtrack point: linear in practice, never exponential.
  size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

boost::system::result<void, Error> CheckKeyPattern(std::string_view pattern) {
  if (pattern.empty()) return Error{"empty key pattern"};
  if (pattern.size() > 317) return Error{"key pattern longer than 317 bytes"};
  for (char c : pattern) {
    if (c <= ' ' || c > '~') {
      return Error{"key pattern \"" + std::string(pattern) + "\": unexpected character"};
    }
  }
  return {};
}

KeyPolicy::Verdict KeyPolicy::Judge(std::string_view key, std::string_view value) const {
  if (!include) return Verdict::kDrop;
  auto matches = [&](const std::string& pattern) { return GlobMatches(pattern, key); };
  if (std::any_of(drop.begin(), drop.end(), matches)) return Verdict::kDrop;
  if (key == kLastAppliedAnnotation) {
    if (std::find(keep.begin(), keep.end(), key) == keep.end()) return Verdict::kDrop;
  } else if (!std::any_of(keep.begin(), keep.end(), matches)) {
    return Verdict::kDrop;
  }
  if (max_value_bytes > 0 && value.size() > max_value_bytes) return Verdict::kTooLarge;
  return Verdict::kKeep;
}

std::string KeyPolicy::Describe() const {
  std::string text = include ? "in" : "out";
  text += "|keep";
  for (const auto& pattern : keep) text += " " + pattern;
  text += "|drop";
  for (const auto& pattern : drop) text += " " + pattern;
  text += "|max " + std::to_string(max_value_bytes);
  return text;
}

}  // namespace kcache
