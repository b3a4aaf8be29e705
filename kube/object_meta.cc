#include "kube/object_meta.h"

#include <array>
#include <cctype>
#include <map>

#include "kube/json_parser.h"
#include "kube/json_text.h"

namespace kcache {
namespace {

namespace od = simdjson::ondemand;

// k8s.io/apimachinery/pkg/apis/meta/v1 types.go, in declaration order.
constexpr std::array<std::string_view, 15> kObjectMetaOrder = {
    "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
    "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
    "annotations", "ownerReferences", "finalizers", "managedFields"};
constexpr std::array<std::string_view, 6> kOwnerReferenceOrder = {
    "apiVersion", "kind", "name", "uid", "controller", "blockOwnerDeletion"};
constexpr std::array<std::string_view, 7> kManagedFieldsOrder = {
    "manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1", "subresource"};

template <size_t N>
int Rank(const std::array<std::string_view, N>& order, std::string_view key) {
  for (size_t i = 0; i < N; ++i) {
    if (order[i] == key) return static_cast<int>(i);
  }
  return static_cast<int>(N);  // unknown keys keep their relative order, after the known ones
}

// The raw text of `value` (objects and arrays whole).
bool RawValue(od::value value, std::string_view& raw) {
  od::json_type type;
  if (value.type().get(type)) return false;
  if (type == od::json_type::object) {
    od::object object;
    return !value.get_object().get(object) && !object.raw_json().get(raw);
  }
  if (type == od::json_type::array) {
    od::array array;
    if (value.get_array().get(array)) return false;
    return !array.raw_json().get(raw);
  }
  raw = value.raw_json_token();
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\t' ||
                          raw.back() == '\r')) {
    raw.remove_suffix(1);
  }
  return true;
}

template <size_t N>
bool ReorderObject(od::object object, const std::array<std::string_view, N>& order,
                   std::string& out, bool nested_lists);

// An array whose elements are objects with a known key order.
template <size_t N>
bool ReorderArray(od::array array, const std::array<std::string_view, N>& order, std::string& out) {
  out += '[';
  bool first = true;
  for (auto element : array) {
    od::object object;
    if (std::move(element).get_object().get(object)) return false;
    if (!first) out += ',';
    first = false;
    if (!ReorderObject(object, order, out, false)) return false;
  }
  out += ']';
  return true;
}

template <size_t N>
bool ReorderObject(od::object object, const std::array<std::string_view, N>& order,
                   std::string& out, bool nested_lists) {
  // Key (as Go writes it) and value text, by rank.
  std::multimap<int, std::pair<std::string, std::string>> members;
  for (auto field_result : object) {
    od::field field;
    if (std::move(field_result).get(field)) return false;
    std::string_view key;
    if (field.unescaped_key().get(key)) return false;
    std::string value_text;
    od::value value = field.value();
    if (nested_lists && (key == "ownerReferences" || key == "managedFields")) {
      od::array array;
      if (value.get_array().get(array)) return false;
      bool ok = key == "ownerReferences" ? ReorderArray(array, kOwnerReferenceOrder, value_text)
                                         : ReorderArray(array, kManagedFieldsOrder, value_text);
      if (!ok) return false;
    } else {
      std::string_view raw;
      if (!RawValue(value, raw)) return false;
      value_text.assign(raw);
    }
    members.emplace(Rank(order, key), std::make_pair(JsonString(key), std::move(value_text)));
  }
  out += '{';
  bool first = true;
  for (const auto& [rank, member] : members) {
    if (!first) out += ',';
    first = false;
    out += member.first;
    out += ':';
    out += member.second;
  }
  out += '}';
  return true;
}

}  // namespace

std::string TypedObjectMeta(JsonParser& parser, std::string_view metadata_json) {
  simdjson::padded_string padded(metadata_json);
  od::document doc;
  od::object object;
  if (parser.parser.iterate(padded).get(doc) || doc.get_object().get(object)) {
    return std::string(metadata_json);
  }
  std::string out;
  out.reserve(metadata_json.size());
  if (!ReorderObject(object, kObjectMetaOrder, out, true)) return std::string(metadata_json);
  return out;
}

std::vector<ByteRange> MemberCuts(JsonParser& parser, std::string_view metadata_json,
                                  const std::vector<std::string_view>& keys) {
  simdjson::padded_string padded(metadata_json);
  const char* base = padded.data();
  od::document doc;
  od::object object;
  if (parser.parser.iterate(padded).get(doc) || doc.get_object().get(object)) return {};
  std::vector<ByteRange> members;  // whole "key":value texts, in order
  for (auto field_result : object) {
    od::field field;
    if (std::move(field_result).get(field)) return {};
    // The raw key points just past its opening quote (read before unescaping, which takes it).
    size_t key_begin = static_cast<size_t>(field.key().raw() - base) - 1;
    std::string_view key;
    if (field.unescaped_key().get(key)) return {};
    bool wanted = false;
    for (std::string_view candidate : keys) wanted |= candidate == key;
    std::string_view raw;
    if (!RawValue(field.value(), raw)) return {};
    if (wanted) members.push_back({key_begin, static_cast<size_t>(raw.data() + raw.size() - base)});
  }
  std::vector<ByteRange> cuts;
  for (ByteRange member : members) {
    // Take the comma before the member, or, for the first member, the one after it.
    size_t before = member.begin;
    while (before > 0 && std::isspace(static_cast<unsigned char>(metadata_json[before - 1]))) {
      --before;
    }
    if (before > 0 && metadata_json[before - 1] == ',') {
      member.begin = before - 1;
    } else {
      size_t after = member.end;
      while (after < metadata_json.size() &&
             std::isspace(static_cast<unsigned char>(metadata_json[after]))) {
        ++after;
      }
      if (after < metadata_json.size() && metadata_json[after] == ',') member.end = after + 1;
    }
    // A member that gave up the comma after it leaves the next one its comma before: merge.
    if (!cuts.empty() && cuts.back().end > member.begin) {
      cuts.back().end = std::max(cuts.back().end, member.end);
    } else {
      cuts.push_back(member);
    }
  }
  return cuts;
}

}  // namespace kcache
