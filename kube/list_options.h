#pragma once
// ListOptions as kube-apiserver decodes, defaults and validates them for list and watch
// requests (k8s.io/apiserver/pkg/endpoints/handlers/get.go listOpts), with the same errors in
// the same order: decoding (400), validation (422), field label conversion (400).

#include <cstdint>
#include <optional>
#include <string>

#include <boost/system/result.hpp>

#include "kube/field_selector.h"
#include "kube/label_selector.h"
#include "kube/selectable_fields.h"
#include "kube/status.h"

namespace kcache {

struct QueryParams;
struct RequestInfo;

enum class RvMatch { kUnset, kNotOlderThan, kExact };

struct ListOptions {
  std::string label_selector_text;
  std::string field_selector_text;
  LabelSelector label_selector;
  FieldSelector field_selector;
  bool watch = false;
  bool allow_watch_bookmarks = false;
  // resourceVersion exactly as sent; empty when unset.
  std::string resource_version;
  RvMatch resource_version_match = RvMatch::kUnset;
  std::optional<int64_t> timeout_seconds;
  int64_t limit = 0;
  std::string continue_token;
  std::optional<bool> send_initial_events;

  bool SelectorsEmpty() const { return label_selector.Empty() && field_selector.Empty(); }
  // sendInitialEvents=true with bookmarks: the client waits for the initial-events-end bookmark.
  bool IsWatchList() const {
    return send_initial_events.value_or(false) && allow_watch_bookmarks;
  }
};

// Decodes, defaults and validates list/watch options for one request. `force_watch` is true on
// legacy /watch/ paths. `fields` is the resource's selectable field set; `info` supplies the
// path name, which a watch of one object turns into a metadata.name selector.
boost::system::result<ListOptions, Status> ParseListOptions(const QueryParams& query,
                                                            const RequestInfo& info,
                                                            bool force_watch,
                                                            const SelectableFieldSet& fields);

// Parses a resourceVersion the way the storage versioner does: "" and "0" are 0, anything else
// must be a decimal uint64. On error returns what kube-apiserver answers: 400 for a list, a 500
// without a reason for a get or a watch.
enum class RvUse { kList, kGetOrWatch };
boost::system::result<uint64_t, Status> ParseResourceVersion(const std::string& text,
                                                             RvUse use = RvUse::kList);

}  // namespace kcache
