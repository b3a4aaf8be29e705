#pragma once
// Tables (meta.k8s.io Table) written from cached objects, as kube-apiserver writes them for
// `kubectl get`: the upstream's column definitions, one row per object with cells printed at
// response time, and each row's object as includeObject asks (k8s.io/apiserver endpoints/
// handlers/response.go asTable).

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <boost/system/result.hpp>

#include "kube/object.h"
#include "kube/query_params.h"
#include "kube/status.h"
#include "printers/printer.h"
#include "proxy/encode.h"
#include "proxy/table_catalog.h"

namespace kcache {

enum class IncludeObject { kNone, kMetadata, kObject };

// The includeObject query parameter: None, Metadata (also when absent or empty) or Object; any
// other value is a 400, as kube-apiserver's ValidateTableOptions answers it.
boost::system::result<IncludeObject, Status> ParseIncludeObject(const QueryParams& query);

struct TableRequest {
  std::shared_ptr<const TableFormat> format;
  IncludeObject include = IncludeObject::kMetadata;
  std::string meta_version = "v1";  // meta.k8s.io version of the Table
};

// A list as a Table, elapsed times (AGE) as of `now`. `items` are kept alive by the caller
// until the body is written (with includeObject=Object, rows view their bytes).
void EncodeTableList(
    const TableRequest& request, const ListEnvelope& envelope, const std::vector<ObjectPtr>& items,
    BodyPieces& body, std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// One object as a Table: a GET, or a watch event's object (`with_columns` false after a watch's
// first event, as kube-apiserver leaves them out).
std::string EncodeTableObject(
    const TableRequest& request, const Object& object, bool with_columns = true,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// `partial_metadata` (a PartialObjectMetadata document) without the annotations `hidden` picks
// (given key and raw JSON value); the annotations member goes when none is left (omitempty).
std::string WithoutAnnotations(
    std::string partial_metadata,
    const std::function<bool(std::string_view key, std::string_view value)>& hidden);

}  // namespace kcache
