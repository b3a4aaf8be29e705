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

#include "kube/spawn_guard.h"
#include "cache/watch_feed.h"
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
  asio::co_spawn(executor, ReadWhileWatching(exchange.stream, exchange.buffer, state),
                 LogEscapedException{"watch reader"});
  exchange.services.metrics.watches_active.fetch_add(1);

  auto finish = [&]() -> asio::awaitable<AfterResponse> {
    exchange.services.metrics.watches_active.fetch_sub(1);
    if (!state->client_gone) {
      bool ended = co_await writer.End();
      if (!ended) state->client_gone = true;
    }
    // Stop the reader and wait for it: the connection (and its buffer) serves the next request.
    if (!state->reader_finished) {
      beast::get_lowest_layer(exchange.stream).cancel();
      co_await state->reader_done.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    co_return state->client_gone ? AfterResponse::kClose : AfterResponse::kKeepAlive;
  };

  uint64_t cursor = *rv;
  uint64_t epoch = 0;
  if (initial_events) {
    WatchStart start = store->Snapshot(selection);
    epoch = start.epoch;
    cursor = start.snapshot.resource_version;
    for (size_t i = 0; i < start.snapshot.items.size(); i += kEventsPerBatch) {
      BodyPieces body;
      size_t end = std::min(start.snapshot.items.size(), i + kEventsPerBatch);
      for (size_t k = i; k < end; ++k) {
        encoder.Event(EventType::kAdded, *start.snapshot.items[k], nullptr, body);
      }
      bool written = co_await writer.Write(body.pieces());
      state->client_gone = state->client_gone || !written;
      if (!written) co_return co_await finish();
    }
    if (end_bookmark) {
      co_await writer.Write(encoder.Bookmark(cursor, true));
    }
  } else {
    epoch = store->epoch();
    if (*rv == 0) cursor = store->resource_version();
  }

  auto next_bookmark = started + proxy.bookmark_interval;
  // From here on the store hands this watch the events it can see (cache/watch_feed.h). Until
  // the watch has caught up with the store, and again whenever the feed overflows, it reads the
  // store's history from its cursor instead; events at or below the cursor are never sent twice.
  auto feed = store->Subscribe(selection, [state, executor] {
    asio::post(executor, [state] { state->timer.cancel(); });
  }, kFeedCapacity);
  struct Unsubscribe {
    const ResourceStore& store;
    std::shared_ptr<WatchFeed> feed;
    ~Unsubscribe() { store.Unsubscribe(feed); }
  } unsubscribe{*store, feed};
  bool from_history = true;
  while (!state->client_gone) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    uint64_t bookmark_version = cursor;
    if (from_history) {
      EventBatch batch = store->EventsAfter(cursor, epoch, kEventsPerBatch);
      if (batch.end == StreamEnd::kTooOld && cursor == *rv && !initial_events) {
        // The requested version left the history: a 200 with one ERROR event, as upstream.
        co_await writer.Write(encoder.Error(Expired("too old resource version: " +
                                                     std::to_string(*rv) + " (" +
                                                     std::to_string(batch.window_start) + ")")));
        break;
      }
      if (batch.end != StreamEnd::kNone) break;  // fell behind, or the cache relisted
      if (!batch.events.empty()) {
        BodyPieces body;
        for (const EventPtr& event : batch.events) AddFiltered(*event, selection, encoder, body);
        cursor = batch.events.back()->resource_version;
        if (body.size() > 0) {
          bool written = co_await writer.Write(body.pieces());
          state->client_gone = state->client_gone || !written;
          if (!written) break;
        }
        continue;
      }
      from_history = false;  // caught up: whatever comes next is in the feed
      bookmark_version = std::max(cursor, batch.resource_version);
    } else {
      WatchFeed::Taken taken = feed->Take();
      if (taken.relisted) break;  // watchers of the replaced state start again, as upstream
      if (taken.overflowed) {
        from_history = true;
        continue;
      }
      if (!taken.events.empty()) {
        BodyPieces body;
        for (const EventPtr& event : taken.events) {
          if (event->resource_version <= cursor) continue;
          AddFiltered(*event, selection, encoder, body);
          cursor = event->resource_version;
        }
        if (body.size() > 0) {
          bool written = co_await writer.Write(body.pieces());
          state->client_gone = state->client_gone || !written;
          if (!written) break;
        }
        continue;
      }
      // Nothing this watch can see happened up to the feed's version.
      bookmark_version = std::max(cursor, taken.resource_version);
    }
    if (options.allow_watch_bookmarks && now >= next_bookmark) {
      bool written = co_await writer.Write(encoder.Bookmark(bookmark_version, false));
      state->client_gone = state->client_gone || !written;
      if (!written) break;
      cursor = bookmark_version;
      next_bookmark = now + proxy.bookmark_interval;
    }
    // Sleep until the feed has something, a bookmark is due, or the watch ends.
    auto wake_at = deadline;
    if (options.allow_watch_bookmarks) wake_at = std::min(wake_at, next_bookmark);
    state->timer.expires_at(wake_at);
    co_await state->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return co_await finish();
}

}  // namespace kcache
