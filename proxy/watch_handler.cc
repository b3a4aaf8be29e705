// WATCH from the cache: initial events when asked for, then the resource's history from the
// watch's version on, filtered per watcher with kube-apiserver's selector-transition rules,
// bookmarks, and the end of the stream at the watch's timeout.

#include <random>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>

#include "cache/watch_feed.h"
#include "kube/failpoints.h"
#include "kube/failures.h"
#include "proxy/kube_handlers.h"
#include "proxy/metrics.h"
#include "proxy/passthrough.h"
#include "proxy/response.h"

namespace kcache {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr size_t kEventsPerBatch = 1000;
// Events a watch's feed holds before it overflows (the watch then reads the store's history).
constexpr size_t kFeedCapacity = 10000;

// State shared between the watch loop, the store's wake-ups and the client reader.
struct WatchState {
  explicit WatchState(asio::any_io_executor executor)
      : timer(executor), reader_done(executor) {}
  asio::steady_timer timer;        // the loop sleeps on it; wake-ups cancel it
  asio::steady_timer reader_done;  // cancelled when the reader coroutine has finished
  bool client_gone = false;
  bool reader_finished = false;
};

// Reads from the client while the watch runs. A watching client sends nothing: an error or the
// end of the stream means it is gone. Bytes mean it already sent its next request; they stay in
// `buffer` for the session to parse once the watch is over.
asio::awaitable<void> ReadWhileWatching(ClientStream& stream, beast::flat_buffer& buffer,
                                        std::shared_ptr<WatchState> state) {
  auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096),
                                                 asio::as_tuple(asio::use_awaitable));
  buffer.commit(n);
  if (ec && ec != asio::error::operation_aborted) {
    state->client_gone = true;
    state->timer.cancel();
  }
  state->reader_finished = true;
  state->reader_done.cancel();
}

// Adds one history event to `body` as this watcher sees it (kube-apiserver's cacheWatcher).
void AddFiltered(const Event& event, const Selection& selection, WatchEncoder& encoder,
                 BodyPieces& body) {
  bool now_matches = event.type != EventType::kDeleted && selection.Matches(*event.object);
  const Object* before = event.previous ? event.previous.get() : nullptr;
  if (event.type == EventType::kDeleted) {
    const Object& last = before ? *before : *event.object;
    if (selection.Matches(last)) encoder.Event(EventType::kDeleted, *event.object, before, body);
    return;
  }
  bool matched = before && selection.Matches(*before);
  if (now_matches && matched) {
    encoder.Event(EventType::kModified, *event.object, before, body);
  } else if (now_matches) {
    encoder.Event(EventType::kAdded, *event.object, nullptr, body);
  } else if (matched) {
    encoder.DeletedAt(*before, event.resource_version, body);
  }
}

// kube-apiserver's watch encodings: JSON or PartialObjectMetadata.
class KubeWatchEncoder : public WatchEncoder {
 public:
  KubeWatchEncoder(std::shared_ptr<const ResourceSchema> schema, Negotiated encoding)
      : schema_(std::move(schema)), encoding_(std::move(encoding)) {}
  std::string_view content_type() const override { return "application/json"; }
  void Event(EventType type, const Object& object, const Object*, BodyPieces& body) override {
    EncodeWatchEvent(type, object, encoding_, body);
  }
  void DeletedAt(const Object& previous, uint64_t resource_version, BodyPieces& body) override {
    EncodeDeletedAt(previous, resource_version, encoding_, body);
  }
  std::string Bookmark(uint64_t resource_version, bool initial_events_end) override {
    return EncodeBookmark(*schema_, resource_version, initial_events_end, encoding_);
  }
  std::string Error(const Status& status) override { return EncodeErrorEvent(status); }

 private:
  std::shared_ptr<const ResourceSchema> schema_;
  Negotiated encoding_;
};

// A watch's stream once its header is written: what it sends, and where it has got to.
struct WatchStream {
  const ResourceStore& store;
  const Selection& selection;
  const ListOptions& options;
  const ProxyOptions& proxy;
  WatchEncoder& encoder;
  ChunkedWriter& writer;
  // Shared with the store's wake-ups, which may still be posted after the watch has ended.
  std::shared_ptr<WatchState> state;
  std::chrono::steady_clock::time_point started;
  std::chrono::steady_clock::time_point deadline;
  uint64_t requested = 0;  // the resourceVersion the client asked for
  uint64_t cursor = 0;     // events at or below it were sent, or are not this watch's
  uint64_t epoch = 0;      // the store's state the watch follows
  std::string_view path;   // the request's, naming the watch's failpoint

  // False, with the client marked gone, when it went away.
  asio::awaitable<bool> Write(const std::vector<std::string_view>& pieces) {
    bool written = co_await writer.Write(pieces);
    if (!written) state->client_gone = true;
    co_return written;
  }
  asio::awaitable<bool> Write(std::string_view text) {
    std::vector<std::string_view> pieces{text};
    co_return co_await Write(pieces);
  }
};

// The selection's objects as ADDED events, and the initial-events-end bookmark when asked for.
asio::awaitable<void> SendInitialEvents(WatchStream& watch, bool end_bookmark) {
  WatchStart start = watch.store.Snapshot(watch.selection);
  watch.epoch = start.epoch;
  watch.cursor = start.snapshot.resource_version;
  const auto& items = start.snapshot.items;
  for (size_t i = 0; i < items.size(); i += kEventsPerBatch) {
    BodyPieces body;
    size_t end = std::min(items.size(), i + kEventsPerBatch);
    for (size_t k = i; k < end; ++k) {
      watch.encoder.Event(EventType::kAdded, *items[k], nullptr, body);
    }
    if (!co_await watch.Write(body.pieces())) co_return;
  }
  if (end_bookmark) co_await watch.Write(watch.encoder.Bookmark(watch.cursor, true));
}

// Events after the cursor until the watch ends: its deadline, the client leaving, or the store
// relisting. From here on the store hands this watch the events it can see
// (cache/watch_feed.h). Until the watch has caught up with the store, and again whenever the
// feed overflows, it reads the store's history from its cursor instead; events at or below the
// cursor are never sent twice.
asio::awaitable<void> FollowEvents(WatchStream& watch, bool initial_events,
                                   asio::any_io_executor executor) {
  WatchState& state = *watch.state;
  const ResourceStore& store = watch.store;
  auto next_bookmark = watch.started + watch.proxy.bookmark_interval;
  auto feed = store.Subscribe(watch.selection, [state = watch.state, executor] {
    asio::post(executor, [state] { state->timer.cancel(); });
  }, kFeedCapacity);
  struct Unsubscribe {
    const ResourceStore& store;
    std::shared_ptr<WatchFeed> feed;
    ~Unsubscribe() { store.Unsubscribe(feed); }
  } unsubscribe{store, feed};
  bool from_history = true;
  while (!state.client_gone) {
    ThrowAtFailpoint("watch", watch.path);
    auto now = std::chrono::steady_clock::now();
    if (now >= watch.deadline) co_return;
    uint64_t bookmark_version = watch.cursor;
    if (from_history) {
      EventBatch batch = store.EventsAfter(watch.cursor, watch.epoch, kEventsPerBatch);
      if (batch.end == StreamEnd::kTooOld && watch.cursor == watch.requested && !initial_events) {
        // The requested version left the history: a 200 with one ERROR event, as upstream.
        co_await watch.Write(watch.encoder.Error(
            Expired("too old resource version: " + std::to_string(watch.requested) + " (" +
                    std::to_string(batch.window_start) + ")")));
        co_return;
      }
      if (batch.end != StreamEnd::kNone) co_return;  // fell behind, or the cache relisted
      if (!batch.events.empty()) {
        BodyPieces body;
        for (const EventPtr& event : batch.events) {
          AddFiltered(*event, watch.selection, watch.encoder, body);
        }
        watch.cursor = batch.events.back()->resource_version;
        if (body.size() > 0 && !co_await watch.Write(body.pieces())) co_return;
        continue;
      }
      from_history = false;  // caught up: whatever comes next is in the feed
      bookmark_version = std::max(watch.cursor, batch.resource_version);
    } else {
      WatchFeed::Taken taken = feed->Take();
      if (taken.relisted) co_return;  // watchers of the replaced state start again, as upstream
      if (taken.overflowed) {
        from_history = true;
        continue;
      }
      if (!taken.events.empty()) {
        BodyPieces body;
        for (const EventPtr& event : taken.events) {
          if (event->resource_version <= watch.cursor) continue;
          AddFiltered(*event, watch.selection, watch.encoder, body);
          watch.cursor = event->resource_version;
        }
        if (body.size() > 0 && !co_await watch.Write(body.pieces())) co_return;
        continue;
      }
      // Nothing this watch can see happened up to the feed's version.
      bookmark_version = std::max(watch.cursor, taken.resource_version);
    }
    if (watch.options.allow_watch_bookmarks && now >= next_bookmark) {
      if (!co_await watch.Write(watch.encoder.Bookmark(bookmark_version, false))) co_return;
      watch.cursor = bookmark_version;
      next_bookmark = now + watch.proxy.bookmark_interval;
    }
    // Sleep until the feed has something, a bookmark is due, or the watch ends.
    auto wake_at = watch.deadline;
    if (watch.options.allow_watch_bookmarks) wake_at = std::min(wake_at, next_bookmark);
    state.timer.expires_at(wake_at);
    co_await state.timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

// Ends the stream (its last chunk, unless the client left) and stops the client reader, waiting
// for it: the connection, and its buffer, serve the next request.
asio::awaitable<AfterResponse> EndWatch(ClientStream& stream, ChunkedWriter& writer,
                                        WatchState& state) {
  if (!state.client_gone) {
    bool ended = co_await writer.End();
    if (!ended) state.client_gone = true;
  }
  if (!state.reader_finished) {
    stream.Cancel();
    co_await state.reader_done.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return state.client_gone ? AfterResponse::kClose : AfterResponse::kKeepAlive;
}

std::chrono::seconds WatchTimeout(const ListOptions& options, const ProxyOptions& proxy) {
  if (options.timeout_seconds && *options.timeout_seconds > 0) {
    return std::chrono::seconds(*options.timeout_seconds);
  }
  static thread_local std::mt19937 random{std::random_device{}()};
  std::uniform_real_distribution<double> factor(1.0, 2.0);
  return std::chrono::seconds(
      static_cast<int64_t>(static_cast<double>(proxy.min_request_timeout.count()) * factor(random)));
}

}  // namespace

asio::awaitable<AfterResponse> ServeWatch(Exchange& exchange, ResourceStorePtr store,
                                          ListOptions options, Negotiated encoding) {
  KubeWatchEncoder encoder(store->schema(), std::move(encoding));
  co_return co_await ServeWatchWith(exchange, std::move(store), std::move(options), encoder);
}

asio::awaitable<AfterResponse> ServeWatchWith(Exchange& exchange, ResourceStorePtr store,
                                              ListOptions options, WatchEncoder& encoder) {
  auto executor = co_await asio::this_coro::executor;
  const ProxyOptions& proxy = exchange.services.options;
  Selection selection;
  selection.namespace_name = exchange.info.namespace_name;
  selection.labels = options.label_selector;
  selection.fields = options.field_selector;

  auto rv = ParseResourceVersion(options.resource_version, RvUse::kGetOrWatch);
  if (!rv) {
    co_await WriteStatus(exchange, rv.error());
    co_return AfterResponse::kKeepAlive;
  }
  bool initial_events = options.send_initial_events.value_or(*rv == 0);
  bool end_bookmark = options.send_initial_events.value_or(false) && options.allow_watch_bookmarks;
  auto started = std::chrono::steady_clock::now();
  auto deadline = started + WatchTimeout(options, proxy);

  // Initial events "not older than" a version the cache has not reached: the upstream answers.
  if (initial_events && *rv > 0) {
    bool fresh = store->resource_version() >= *rv;
    if (!fresh) fresh = co_await WaitForResourceVersion(*store, *rv, proxy.newer_version_wait);
    if (!fresh && encoder.upstream_serves()) co_return co_await PassThrough(exchange);
    if (!fresh) {
      co_await WriteStatus(exchange, TooLargeResourceVersion(*rv, store->resource_version()));
      co_return AfterResponse::kKeepAlive;
    }
  }

  // The stream starts now: headers first, then events as they come. WatchList streams are
  // compressed for clients that accept gzip, as kube-apiserver does (one gzip member per write).
  std::optional<int> gzip_level;
  if (options.send_initial_events.value_or(false)) gzip_level = GzipLevelFor(exchange, std::nullopt);
  ChunkedWriter writer(exchange.stream, proxy.write_chunk_bytes, gzip_level);
  http::response<http::empty_body> header{http::status::ok, exchange.request.version()};
  SetCommonHeaders(header.base(), exchange);
  header.set(http::field::content_type, encoder.content_type());
  if (gzip_level) {
    header.set(http::field::content_encoding, "gzip");
    header.set(http::field::vary, "Accept-Encoding");
  }
  header.chunked(true);
  header.keep_alive(exchange.request.keep_alive());
  http::response_serializer<http::empty_body> serializer(header);
  auto [header_ec, n] = co_await http::async_write_header(exchange.stream, serializer,
                                                          asio::as_tuple(asio::use_awaitable));
  if (header_ec) co_return AfterResponse::kClose;

  auto state = std::make_shared<WatchState>(executor);
  state->reader_done.expires_at(asio::steady_timer::time_point::max());
  std::string context = "Audit-ID " + exchange.audit_id;
  // However the reader ends, the watch is told: it waits for the reader before it ends.
  asio::co_spawn(executor, ReadWhileWatching(exchange.stream, exchange.buffer, state),
                 [state, context](std::exception_ptr error) {
                   if (!error) return;
                   Failures::Process().Contain(kBoundaryWatch, context, error);
                   state->client_gone = true;
                   state->reader_finished = true;
                   state->reader_done.cancel();
                   state->timer.cancel();
                 });
  GaugeHold watching(exchange.services.metrics.watches_active);

  WatchStream watch{.store = *store, .selection = selection, .options = options, .proxy = proxy,
                    .encoder = encoder, .writer = writer, .state = state,
                    .started = started, .deadline = deadline, .requested = *rv,
                    .path = exchange.path};
  // A failure while streaming ends this watch only: its stream is cut short, so the client
  // watches again, and the connection closes.
  std::exception_ptr failure;
  try {
    if (initial_events) {
      co_await SendInitialEvents(watch, end_bookmark);
    } else {
      watch.epoch = store->epoch();
      watch.cursor = *rv == 0 ? store->resource_version() : *rv;
    }
    if (!state->client_gone) co_await FollowEvents(watch, initial_events, executor);
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    Failures::Process().Contain(kBoundaryWatch, context, failure);
    state->client_gone = true;
  }
  co_return co_await EndWatch(exchange.stream, writer, *state);
}

}  // namespace kcache
