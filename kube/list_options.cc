#include "kube/list_options.h"

#include <charconv>

#include "kube/go_text.h"
#include "kube/query_params.h"
#include "kube/request_info.h"

namespace kcache {
namespace {

// Go's strconv.ParseInt(text, 10, 64) and its error text.
boost::system::result<int64_t, Status> ParseInt64(const std::string& text) {
  int64_t value = 0;
  switch (ParseGoInt64Detailed(text, value)) {
    case GoIntParse::kOk: return value;
    case GoIntParse::kSyntax:
      return BadRequest("strconv.ParseInt: parsing " + GoQuote(text) + ": invalid syntax");
    case GoIntParse::kRange:
      return BadRequest("strconv.ParseInt: parsing " + GoQuote(text) + ": value out of range");
  }
  return value;
}

StatusCause Forbidden(std::string field, std::string detail) {
  return {.reason = "FieldValueForbidden", .message = "Forbidden: " + detail,
          .field = std::move(field)};
}

StatusCause NotSupported(std::string field, const std::string& value, std::string supported) {
  return {.reason = "FieldValueNotSupported",
          .message = "Unsupported value: " + GoQuote(value) + ": supported values: " + supported,
          .field = std::move(field)};
}

}  // namespace

boost::system::result<ListOptions, Status> ParseListOptions(const QueryParams& query,
                                                            const RequestInfo& info,
                                                            bool force_watch,
                                                            const SelectableFieldSet& fields) {
  ListOptions opts;
  std::string match_raw;
  // Decoding, in the order of the generated url.Values conversion: integers first, then the
  // selectors when the options are converted to their internal form.
  opts.label_selector_text = query.Get("labelSelector");
  opts.field_selector_text = query.Get("fieldSelector");
  if (const std::string* v = query.Find("watch")) opts.watch = QueryBool(*v);
  if (const std::string* v = query.Find("allowWatchBookmarks")) {
    opts.allow_watch_bookmarks = QueryBool(*v);
  }
  opts.resource_version = query.Get("resourceVersion");
  match_raw = query.Get("resourceVersionMatch");
  if (const std::string* v = query.Find("timeoutSeconds")) {
    auto parsed = ParseInt64(*v);
    if (!parsed) return parsed.error();
    opts.timeout_seconds = *parsed;
  }
  if (const std::string* v = query.Find("limit")) {
    auto parsed = ParseInt64(*v);
    if (!parsed) return parsed.error();
    opts.limit = *parsed;
  }
  opts.continue_token = query.Get("continue");
  if (const std::string* v = query.Find("sendInitialEvents")) {
    opts.send_initial_events = QueryBool(*v);
  }
  auto labels = LabelSelector::Parse(opts.label_selector_text);
  if (!labels) return BadRequest(labels.error());
  opts.label_selector = std::move(*labels);
  auto parsed_fields = FieldSelector::Parse(opts.field_selector_text);
  if (!parsed_fields) return BadRequest(parsed_fields.error());
  opts.field_selector = std::move(*parsed_fields);

  // Defaults: with the WatchList feature on (1.34+), a watch from "" or "0" that says nothing
  // about initial events is served as a consistent watch-list.
  bool watch = opts.watch || force_watch;
  if (!opts.send_initial_events && match_raw.empty() && opts.watch &&
      (opts.resource_version.empty() || opts.resource_version == "0")) {
    opts.send_initial_events = true;
    match_raw = "NotOlderThan";
  }

  // Validation (k8s.io/apimachinery/pkg/apis/meta/internalversion/validation).
  std::vector<StatusCause> causes;
  if (opts.watch) {
    if (opts.send_initial_events && match_raw != "NotOlderThan") {
      causes.push_back(Forbidden("resourceVersionMatch",
                                 "sendInitialEvents requires setting resourceVersionMatch to "
                                 "NotOlderThan"));
    }
    if (!match_raw.empty()) {
      if (!opts.send_initial_events) {
        causes.push_back(Forbidden("resourceVersionMatch",
                                   "resourceVersionMatch is forbidden for watch unless "
                                   "sendInitialEvents is provided"));
      }
      if (match_raw != "NotOlderThan") {
        causes.push_back(NotSupported("resourceVersionMatch", match_raw, "\"NotOlderThan\""));
      }
      if (!opts.continue_token.empty()) {
        causes.push_back(Forbidden("resourceVersionMatch",
                                   "resourceVersionMatch is forbidden when continue is provided"));
      }
    }
  } else {
    if (!match_raw.empty()) {
      if (opts.resource_version.empty()) {
        causes.push_back(Forbidden("resourceVersionMatch",
                                   "resourceVersionMatch is forbidden unless resourceVersion is "
                                   "provided"));
      }
      if (!opts.continue_token.empty()) {
        causes.push_back(Forbidden("resourceVersionMatch",
                                   "resourceVersionMatch is forbidden when continue is provided"));
      }
      if (match_raw != "Exact" && match_raw != "NotOlderThan") {
        causes.push_back(NotSupported("resourceVersionMatch", match_raw,
                                      "\"Exact\", \"NotOlderThan\", \"\""));
      }
      if (match_raw == "Exact" && opts.resource_version == "0") {
        causes.push_back(Forbidden("resourceVersionMatch",
                                   "resourceVersionMatch \"exact\" is forbidden for "
                                   "resourceVersion \"0\""));
      }
    }
    if (opts.send_initial_events) {
      causes.push_back(Forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
    }
  }
  if (!causes.empty()) return Invalid("ListOptions", "meta.k8s.io", "", std::move(causes));
  if (match_raw == "Exact") opts.resource_version_match = RvMatch::kExact;
  if (match_raw == "NotOlderThan") opts.resource_version_match = RvMatch::kNotOlderThan;

  // Field label conversion: the resource decides which fields it can select on.
  auto converted = ValidateFieldSelector(opts.field_selector, fields);
  if (!converted) return BadRequest(converted.error());
  opts.field_selector = std::move(*converted);

  // A watch of one object (legacy /watch/.../name path) selects on its name.
  if (watch && !info.name.empty() && !info.name_from_selector) {
    if (!opts.field_selector.Empty()) {
      auto selected = opts.field_selector.RequiredValue("metadata.name");
      if (!selected || *selected != info.name) {
        return BadRequest("fieldSelector metadata.name doesn't match requested name");
      }
    } else {
      auto by_name = FieldSelector::Parse("metadata.name=" + info.name);
      if (by_name) opts.field_selector = std::move(*by_name);
    }
  }
  return opts;
}

boost::system::result<uint64_t, Status> ParseResourceVersion(const std::string& text,
                                                             RvUse use) {
  if (text.empty()) return uint64_t{0};
  uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    std::string reason = ec == std::errc::result_out_of_range ? "value out of range"
                                                              : "invalid syntax";
    std::string invalid = "resourceVersion: Invalid value: " + GoQuote(text) +
                          ": strconv.ParseUint: parsing " + GoQuote(text) + ": " + reason;
    if (use == RvUse::kList) return BadRequest("invalid resource version: " + invalid);
    // The storage layer's invalid-argument error reaches get and watch clients as a bare 500.
    return Status{.message = invalid, .code = 500};
  }
  return value;
}

}  // namespace kcache
