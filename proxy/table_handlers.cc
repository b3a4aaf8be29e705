// Get, list and watch answered with Tables (`kubectl get`), printed from the cache.

#include <optional>

#include "kube/json_parser.h"
#include "kube/object.h"
#include "kube/watch_event.h"
#include "proxy/kube_handlers.h"
#include "proxy/passthrough.h"
#include "proxy/response.h"
#include "proxy/table_encode.h"

namespace kcache {
namespace {

namespace asio = boost::asio;

asio::awaitable<AfterResponse> WriteJson(Exchange& exchange, std::string json) {
  BodyPieces body;
  body.Own(std::move(json));
  bool ok = co_await WriteResponse(exchange, 200, "application/json", body);
  co_return ok ? AfterResponse::kKeepAlive : AfterResponse::kClose;
}

asio::awaitable<AfterResponse> Fail(Exchange& exchange, const Status& status) {
  co_await WriteStatus(exchange, status);
  co_return AfterResponse::kKeepAlive;
}

// A bookmark object (kind, apiVersion, metadata with only a resourceVersion and perhaps the
// initial-events-end annotation) as an Object to print: it has no name, so it is not parsed as
// a stored object is.
std::optional<Object> BookmarkObject(std::string_view json, uint64_t resource_version) {
  static thread_local JsonParser parser;
  simdjson::padded_string padded(json);
  simdjson::ondemand::document document;
  simdjson::ondemand::object top, metadata;
  std::string_view raw;
  if (parser.parser.iterate(padded).get(document) || document.get_object().get(top) ||
      top.find_field_unordered("metadata").get_object().get(metadata) ||
      metadata.raw_json().get(raw)) {
    return std::nullopt;
  }
  Object object;
  object.json = std::string(json);
  object.metadata_begin = static_cast<uint32_t>(raw.data() - padded.data());
  object.metadata_end = static_cast<uint32_t>(object.metadata_begin + raw.size());
  while (object.metadata_end > object.metadata_begin && object.json[object.metadata_end - 1] != '}') {
    --object.metadata_end;  // raw_json may take the whitespace after the object
  }
  object.resource_version = resource_version;
  return object;
}

// A watch whose events carry one-row Tables: the first with the column definitions, the rest
// without (kube-apiserver's watchEmbeddedEncoder sets NoHeaders after its first event, whatever
// that event was).
class TableWatchEncoder : public WatchEncoder {
 public:
  TableWatchEncoder(std::shared_ptr<const ResourceSchema> schema, TableRequest request)
      : schema_(std::move(schema)), request_(std::move(request)) {}

  std::string_view content_type() const override { return "application/json"; }

  void Event(EventType type, const Object& object, const Object*, BodyPieces& body) override {
    body.Own(Line(type, object));
  }
  void DeletedAt(const Object& previous, uint64_t resource_version, BodyPieces& body) override {
    body.Own(Line(EventType::kDeleted, AtResourceVersion(previous, resource_version)));
  }
  std::string Bookmark(uint64_t resource_version, bool initial_events_end) override {
    // The bookmark object kube-apiserver sends, printed as a row of its own; the end of the
    // initial events always carries its metadata, so clients see the annotation.
    std::string line = EncodeBookmark(*schema_, resource_version, initial_events_end,
                                      Negotiated{.encoding = Encoding::kJson});
    constexpr std::string_view kPrefix = R"({"type":"BOOKMARK","object":)";
    std::string_view object_json = std::string_view(line).substr(kPrefix.size());
    object_json.remove_suffix(2);  // "}\n"
    auto object = BookmarkObject(object_json, resource_version);
    if (!object) return line;
    TableRequest request = request_;
    if (initial_events_end) request.include = IncludeObject::kMetadata;
    return Wrap(EventType::kBookmark, EncodeTableObject(request, *object, TakeColumns()));
  }
  std::string Error(const Status& status) override {
    columns_sent_ = true;
    return EncodeErrorEvent(status);
  }

 private:
  bool TakeColumns() {
    bool first = !columns_sent_;
    columns_sent_ = true;
    return first;
  }
  std::string Line(EventType type, const Object& object) {
    return Wrap(type, EncodeTableObject(request_, object, TakeColumns()));
  }
  static std::string Wrap(EventType type, const std::string& table) {
    return R"({"type":")" + std::string(EventTypeName(type)) + R"(","object":)" + table + "}\n";
  }

  std::shared_ptr<const ResourceSchema> schema_;
  TableRequest request_;
  bool columns_sent_ = false;
};

}  // namespace

asio::awaitable<AfterResponse> ServeTable(Exchange& exchange, ResourceStorePtr store,
                                          ListOptions options, Negotiated encoding,
                                          std::shared_ptr<const TableFormat> format) {
  auto include = ParseIncludeObject(exchange.query);
  TableRequest request{.format = std::move(format),
                       .include = include ? *include : IncludeObject::kMetadata,
                       .meta_version = encoding.meta_version};
  const RequestInfo& info = exchange.info;

  if (info.verb == "watch" || options.watch) {
    if (!include) co_return co_await Fail(exchange, include.error());
    TableWatchEncoder encoder(store->schema(), std::move(request));
    co_return co_await ServeWatchWith(exchange, std::move(store), std::move(options), encoder);
  }

  if (info.verb == "get") {
    GetOutcome found = co_await GetFromCache(exchange, *store);
    if (found.kind == GetOutcome::Kind::kUpstream) co_return co_await PassThrough(exchange);
    if (found.kind == GetOutcome::Kind::kFailed) co_return co_await Fail(exchange, found.error);
    // kube-apiserver converts to a Table after reading the object, so a bad includeObject is
    // noticed only for objects that exist.
    if (!include) co_return co_await Fail(exchange, include.error());
    co_return co_await WriteJson(exchange, EncodeTableObject(request, *found.object));
  }

  ListOutcome outcome = co_await ListFromCache(exchange, *store, options);
  if (outcome.kind == ListOutcome::Kind::kUpstream) co_return co_await PassThrough(exchange);
  if (outcome.kind == ListOutcome::Kind::kFailed) co_return co_await Fail(exchange, outcome.error);
  if (!include) co_return co_await Fail(exchange, include.error());
  BodyPieces body;
  EncodeTableList(request, outcome.envelope, outcome.listed.items, body);
  bool ok = co_await WriteResponse(exchange, 200, "application/json", body);
  co_return ok ? AfterResponse::kKeepAlive : AfterResponse::kClose;
}

}  // namespace kcache
