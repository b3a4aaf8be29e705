#pragma once
// Reads served from the cache, with kube-apiserver's wire behaviour: GET of one object, LIST
// (with selectors, pagination and resourceVersion rules) and WATCH.

#include <boost/asio/awaitable.hpp>

#include "cache/store.h"
#include "kube/list_options.h"
#include "proxy/encode.h"
#include "proxy/exchange.h"
#include "proxy/negotiate.h"
#include "proxy/table_catalog.h"

namespace kcache {

// How a watch writes what it sends: kube-apiserver's encodings, or a projection's.
class WatchEncoder {
 public:
  virtual ~WatchEncoder() = default;
  virtual std::string_view content_type() const = 0;
  // An event for `object`; for kModified, `previous` is the state the watcher saw before.
  virtual void Event(EventType type, const Object& object, const Object* previous,
                     BodyPieces& body) = 0;
  // An object leaving the watch's selection: its previous state at the event's version.
  virtual void DeletedAt(const Object& previous, uint64_t resource_version, BodyPieces& body) = 0;
  // A BOOKMARK; `initial_events_end` marks the end of the initial events.
  virtual std::string Bookmark(uint64_t resource_version, bool initial_events_end) = 0;
  // An ERROR event carrying `status`.
  virtual std::string Error(const Status& status) = 0;
  // Whether a watch the cache cannot serve yet may go to the upstream; otherwise it is refused
  // with 504, as kube-apiserver's cache refuses versions it has not reached.
  virtual bool upstream_serves() const { return true; }
};

// What a GET finds in the cache: the object, a Status to send (a bad resourceVersion, 404), or
// (for a version the cache has not reached) the upstream to ask.
struct GetOutcome {
  enum class Kind { kFound, kFailed, kUpstream };
  Kind kind = Kind::kFound;
  ObjectPtr object;
  Status error;
};
boost::asio::awaitable<GetOutcome> GetFromCache(Exchange& exchange, const ResourceStore& store);

// What a list asks of the cache, resolved: the page to send, a Status to send, or (for a
// version the cache has not reached) the upstream to ask.
struct ListOutcome {
  enum class Kind { kListed, kFailed, kUpstream };
  Kind kind = Kind::kListed;
  ListResult listed;
  ListEnvelope envelope;
  Status error;
};
boost::asio::awaitable<ListOutcome> ListFromCache(Exchange& exchange, const ResourceStore& store,
                                                  const ListOptions& options);

boost::asio::awaitable<AfterResponse> ServeGet(Exchange& exchange, ResourceStorePtr store,
                                               Negotiated encoding);
boost::asio::awaitable<AfterResponse> ServeList(Exchange& exchange, ResourceStorePtr store,
                                                ListOptions options, Negotiated encoding);
boost::asio::awaitable<AfterResponse> ServeWatch(Exchange& exchange, ResourceStorePtr store,
                                                 ListOptions options, Negotiated encoding);
// A watch written by `encoder`.
boost::asio::awaitable<AfterResponse> ServeWatchWith(Exchange& exchange, ResourceStorePtr store,
                                                     ListOptions options, WatchEncoder& encoder);

// A get, list or watch answered with Tables printed from the cache (`format` says how).
boost::asio::awaitable<AfterResponse> ServeTable(Exchange& exchange, ResourceStorePtr store,
                                                 ListOptions options, Negotiated encoding,
                                                 std::shared_ptr<const TableFormat> format);

// Waits until `store` has reached `resource_version` or `timeout` passed; true when reached.
boost::asio::awaitable<bool> WaitForResourceVersion(const ResourceStore& store,
                                                    uint64_t resource_version,
                                                    std::chrono::milliseconds timeout);

}  // namespace kcache
