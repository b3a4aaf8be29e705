#include "printers/format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>

namespace kcache {
namespace {

bool Digits(std::string_view text, size_t pos, size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct CivilDate {
  int64_t year;
  unsigned month, day;
};

// The inverse of DaysFromCivil.
CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (month <= 2), month, day};
}

}  // namespace

std::string FormatRfc3339Utc(int64_t seconds) {
  int64_t days = seconds / 86400 - (seconds % 86400 < 0 ? 1 : 0);
  int64_t in_day = seconds - days * 86400;
  CivilDate date = CivilFromDays(days);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                static_cast<long long>(date.year), date.month, date.day,
                static_cast<long long>(in_day / 3600), static_cast<long long>(in_day / 60 % 60),
                static_cast<long long>(in_day % 60));
  return buffer;
}

std::string IntText(int64_t value) { return std::to_string(value); }

void AppendGoJsonFloat(std::string& out, double value) {
  char buffer[64];
  double magnitude = std::fabs(value);
  bool scientific = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21);
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value,
                                    scientific ? std::chars_format::scientific
                                               : std::chars_format::fixed);
  std::string text(buffer, end);
  size_t n = text.size();
  if (scientific && n >= 4 && text[n - 4] == 'e' && text[n - 3] == '-' && text[n - 2] == '0') {
    text.erase(n - 2, 1);
  }
  out += text;
}


std::string HumanDuration(std::chrono::nanoseconds duration) {
  using std::chrono::duration_cast;
  int64_t seconds = duration_cast<std::chrono::seconds>(duration).count();  // truncates
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return IntText(seconds) + "s";
  int64_t minutes = duration_cast<std::chrono::minutes>(duration).count();
  if (minutes < 10) {
    int64_t s = seconds % 60;
    return s == 0 ? IntText(minutes) + "m" : IntText(minutes) + "m" + IntText(s) + "s";
  }
  if (minutes < 60 * 3) return IntText(minutes) + "m";
  int64_t hours = duration_cast<std::chrono::hours>(duration).count();
  if (hours < 8) {
    int64_t m = minutes % 60;
    return m == 0 ? IntText(hours) + "h" : IntText(hours) + "h" + IntText(m) + "m";
  }
  if (hours < 48) return IntText(hours) + "h";
  if (hours < 24 * 8) {
    int64_t h = hours % 24;
    return h == 0 ? IntText(hours / 24) + "d" : IntText(hours / 24) + "d" + IntText(h) + "h";
  }
  if (hours < 24 * 365 * 2) return IntText(hours / 24) + "d";
  if (hours < 24 * 365 * 8) {
    int64_t days = (hours / 24) % 365;
    std::string years = IntText(hours / 24 / 365) + "y";
    return days == 0 ? years : years + IntText(days) + "d";
  }
  return IntText(hours / 24 / 365) + "y";
}

namespace {

struct Rfc3339 {
  int64_t seconds;  // since the epoch
  int64_t nanos;    // within the second
};

std::optional<Rfc3339> ParseRfc3339Parts(std::string_view text) {
  int year, month, day, hour, minute, second;
  if (!Digits(text, 0, 4, year) || text.size() < 20 || text[4] != '-' ||
      !Digits(text, 5, 2, month) || text[7] != '-' || !Digits(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != 't') || !Digits(text, 11, 2, hour) || text[13] != ':' ||
      !Digits(text, 14, 2, minute) || text[16] != ':' || !Digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  size_t pos = 19;
  int64_t nanos = 0;
  if (pos < text.size() && text[pos] == '.') {
    size_t digits = 0;
    for (++pos; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++digits) {
      if (digits < 9) nanos = nanos * 10 + (text[pos] - '0');
    }
    if (digits == 0) return std::nullopt;
    for (size_t i = digits; i < 9; ++i) nanos *= 10;
  }
  int64_t offset_seconds = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh, om;
    if (!Digits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !Digits(text, pos + 4, 2, om)) {
      return std::nullopt;
    }
    offset_seconds = (oh * 3600 + om * 60) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return Rfc3339{days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds, nanos};
}

}  // namespace

std::optional<int64_t> ParseRfc3339(std::string_view text) {
  auto parts = ParseRfc3339Parts(text);
  if (!parts) return std::nullopt;
  // Years past 2262 or before 1677 do not fit in nanoseconds: the nearest that does (Go's
  // time arithmetic saturates the same way).
  int64_t nanos;
  if (__builtin_mul_overflow(parts->seconds, int64_t{1000000000}, &nanos) ||
      __builtin_add_overflow(nanos, parts->nanos, &nanos)) {
    return parts->seconds < 0 ? INT64_MIN : INT64_MAX;
  }
  return nanos;
}

std::optional<int64_t> ParseRfc3339Seconds(std::string_view text) {
  auto parts = ParseRfc3339Parts(text);
  if (!parts) return std::nullopt;
  return parts->seconds;
}

std::chrono::nanoseconds Between(int64_t from_nanos, int64_t to_nanos) {
  int64_t difference;
  if (__builtin_sub_overflow(to_nanos, from_nanos, &difference)) {
    difference = to_nanos > from_nanos ? INT64_MAX : INT64_MIN;
  }
  return std::chrono::nanoseconds(difference);
}

std::string ElapsedText::At(std::chrono::system_clock::time_point now) const {
  if (!since_nanos) return before;
  auto now_nanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  return before + HumanDuration(Between(*since_nanos, now_nanos)) + after;
}

bool IsZeroTime(JsonView timestamp) { return timestamp.str().empty(); }

ElapsedText AgeOf(JsonView timestamp) {
  if (IsZeroTime(timestamp)) return ElapsedText::Fixed("<unknown>");
  auto at = ParseRfc3339(timestamp.str());
  if (!at) return ElapsedText::Fixed("<unknown>");
  return ElapsedText::Since(*at);
}

ElapsedText AgeOfObject(JsonView object) {
  return AgeOf(object["metadata"]["creationTimestamp"]);
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

std::string FormatLabels(JsonView labels) {
  std::vector<std::string> pairs;
  for (auto [key, value] : labels.members()) {
    pairs.push_back(std::string(key) + "=" + std::string(value.str()));
  }
  if (pairs.empty()) return "<none>";
  std::sort(pairs.begin(), pairs.end());
  return Join(pairs, ",");
}

std::optional<std::string> LabelSelectorString(JsonView selector) {
  struct Requirement {
    std::string key;
    std::string text;
  };
  std::vector<Requirement> requirements;
  for (auto [key, value] : selector["matchLabels"].members()) {
    requirements.push_back({std::string(key), std::string(key) + "=" + std::string(value.str())});
  }
  for (JsonView expression : selector["matchExpressions"].elements()) {
    std::string key(expression["key"].str());
    std::string_view op = expression["operator"].str();
    std::vector<std::string> values;
    for (JsonView value : expression["values"].elements()) values.emplace_back(value.str());
    if (key.empty()) return std::nullopt;
    if (op == "In" || op == "NotIn") {
      if (values.empty()) return std::nullopt;
      std::sort(values.begin(), values.end());
      std::string text = key + (op == "In" ? " in (" : " notin (") + Join(values, ",") + ")";
      requirements.push_back({key, std::move(text)});
    } else if (op == "Exists" || op == "DoesNotExist") {
      if (!values.empty()) return std::nullopt;
      requirements.push_back({key, (op == "Exists" ? "" : "!") + key});
    } else {
      return std::nullopt;
    }
  }
  std::stable_sort(requirements.begin(), requirements.end(),
                   [](const Requirement& a, const Requirement& b) { return a.key < b.key; });
  std::vector<std::string> texts;
  for (auto& requirement : requirements) texts.push_back(std::move(requirement.text));
  return Join(texts, ",");
}

std::string FormatLabelSelector(JsonView selector) {
  if (selector["matchLabels"].size() + selector["matchExpressions"].size() == 0) return "<none>";
  auto text = LabelSelectorString(selector);
  if (!text) return "<error>";
  return text->empty() ? "<none>" : *text;
}

void AppendContainerCells(JsonView pod_spec, PrintedRow& row) {
  std::vector<std::string> names, images;
  for (JsonView container : pod_spec["containers"].elements()) {
    names.emplace_back(container["name"].str());
    images.emplace_back(container["image"].str());
  }
  row.Text(Join(names, ","));
  row.Text(Join(images, ","));
}

std::string FormatAccessModes(JsonView modes) {
  bool rwo = false, rox = false, rwx = false, rwop = false;
  for (JsonView mode : modes.elements()) {
    std::string_view m = mode.str();
    rwo |= m == "ReadWriteOnce";
    rox |= m == "ReadOnlyMany";
    rwx |= m == "ReadWriteMany";
    rwop |= m == "ReadWriteOncePod";
  }
  std::vector<std::string> out;
  if (rwo) out.push_back("RWO");
  if (rox) out.push_back("ROX");
  if (rwx) out.push_back("RWX");
  if (rwop) out.push_back("RWOP");
  return Join(out, ",");
}

std::vector<std::string> LoadBalancerAddresses(JsonView ingress) {
  std::set<std::string> addresses;
  for (JsonView entry : ingress.elements()) {
    if (!entry["ip"].str().empty()) {
      addresses.emplace(entry["ip"].str());
    } else if (!entry["hostname"].str().empty()) {
      addresses.emplace(entry["hostname"].str());
    }
  }
  return {addresses.begin(), addresses.end()};
}

std::string FormatBoolPointer(JsonView value) {
  if (!value.is_bool()) return "<unset>";
  return value.boolean() ? "True" : "False";
}

JsonView FindCondition(JsonView conditions, std::string_view type) {
  for (JsonView condition : conditions.elements()) {
    if (condition["type"].str() == type) return condition;
  }
  return {};
}

bool ConditionTrue(JsonView conditions, std::string_view type) {
  return FindCondition(conditions, type)["status"].str() == "True";
}

std::string IntOrStringText(JsonView value) {
  if (value.is_string()) return std::string(value.str());
  if (value.is_integer()) return IntText(value.i64());
  return "";
}

}  // namespace kcache
