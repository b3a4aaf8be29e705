// The request line as proxy/server.cc and proxy/router.cc take it apart: percent-decoding of the
// path, the query parser, RequestInfo, and ListOptions for lists and watches.
//
// Input: "METHOD /path?query" (a request line without its HTTP version). Without a space before
// the target, the method is GET.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kube/list_options.h"
#include "kube/query_params.h"
#include "kube/request_info.h"
#include "kube/selectable_fields.h"
#include "test/fuzz/check.h"

namespace kcache {
namespace {

// Percent-encodes every byte, so decoding must give the bytes back.
std::string EncodeAll(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

void CheckPercentDecode(std::string_view text) {
  for (bool plus_is_space : {false, true}) {
    std::string decoded;
    if (PercentDecode(text, plus_is_space, decoded)) {
      FUZZ_CHECK(decoded.size() <= text.size(), fuzz::Escape(text));
    }
  }
  std::string again;
  FUZZ_CHECK(PercentDecode(EncodeAll(text), true, again) && again == text, fuzz::Escape(text));
}

void CheckQuery(const QueryParams& query) {
  for (const auto& [key, value] : query.values) {
    const std::string* found = query.Find(key);
    FUZZ_CHECK(found != nullptr, fuzz::Escape(key));
    FUZZ_CHECK(query.Get(key) == *found, fuzz::Escape(key));
    (void)QueryBool(value);
  }
}

}  // namespace
}  // namespace kcache

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kcache;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view method = "GET";
  std::string_view target = input;
  size_t space = input.find(' ');
  if (space != std::string_view::npos && space < input.find('/')) {
    method = input.substr(0, space);
    target = input.substr(space + 1);
  }
  CheckPercentDecode(target);

  // proxy/server.cc: a path that does not decode, or is not absolute, is a plain 400.
  size_t question = target.find('?');
  std::string path;
  if (!PercentDecode(target.substr(0, question), false, path) || path.empty() ||
      path.front() != '/') {
    return 0;
  }
  std::string_view raw_query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  QueryParams query = QueryParams::Parse(raw_query);
  CheckQuery(query);

  RequestInfo info = ParseRequestInfo(method, path, query);
  FUZZ_CHECK(info.path == path, fuzz::Escape(path));
  // Go's splitPath: strings.Split(strings.Trim(path, "/"), "/"), nothing for an empty path.
  std::string_view trimmed = path;
  while (!trimmed.empty() && trimmed.front() == '/') trimmed.remove_prefix(1);
  while (!trimmed.empty() && trimmed.back() == '/') trimmed.remove_suffix(1);
  std::vector<std::string> parts = SplitPath(path);
  std::string joined;
  for (size_t i = 0; i < parts.size(); ++i) joined += (i > 0 ? "/" : "") + parts[i];
  FUZZ_CHECK(parts.empty() == trimmed.empty(), fuzz::Escape(path));
  FUZZ_CHECK(joined == trimmed, fuzz::Escape(path) + " split and joined " + fuzz::Escape(joined));
  if (!info.is_resource_request || info.verb == "get") return 0;

  // proxy/router.cc: a cluster-scoped store clears the namespace; try both scopes.
  for (bool namespaced : {true, false}) {
    RequestInfo scoped = info;
    if (!namespaced) scoped.namespace_name.clear();
    SelectableFieldSet fields =
        SelectableFieldsFor(info.api_group, info.resource, namespaced, info.api_version);
    auto options = ParseListOptions(query, scoped, info.verb_from_path, fields);
    if (!options) {
      (void)options.error().ToJson();
      continue;
    }
    // The selectors kept must print as selectors that parse again.
    FUZZ_CHECK(LabelSelector::Parse(options->label_selector.String()).has_value(),
               fuzz::Escape(options->label_selector.String()));
    FUZZ_CHECK(FieldSelector::Parse(options->field_selector.String()).has_value(),
               fuzz::Escape(options->field_selector.String()));
    (void)options->IsWatchList();
    (void)ParseResourceVersion(options->resource_version, RvUse::kList);
    (void)ParseResourceVersion(options->resource_version, RvUse::kGetOrWatch);
  }
  return 0;
}
