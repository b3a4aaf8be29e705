#include "cache/reflector.h"

#include <iostream>
#include <random>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "kube/failpoints.h"
#include "kube/failures.h"
#include "kube/http_parser.h"
#include "kube/json_parser.h"
#include "kube/json_text.h"
#include "kube/list_options.h"
#include "kube/watch_event.h"

namespace kcache {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr size_t kReadChunk = 256 * 1024;
constexpr std::string_view kInitialEventsEnd = R"("k8s.io/initial-events-end":"true")";

void Log(const ResourceSchema& schema, const std::string& message) {
  std::cerr << "kcache: " << schema.info.GroupResource() << ": " << message << std::endl;
}

// metadata.resourceVersion of a small object such as a bookmark, found without a full parse.
uint64_t ResourceVersionOf(std::string_view json) {
  constexpr std::string_view kKey = R"("resourceVersion":")";
  size_t at = json.find(kKey);
  if (at == std::string_view::npos) return 0;
  uint64_t rv = 0;
  for (size_t i = at + kKey.size(); i < json.size() && json[i] >= '0' && json[i] <= '9'; ++i) {
    rv = rv * 10 + static_cast<uint64_t>(json[i] - '0');
  }
  return rv;
}

struct StatusInfo {
  int code = 0;
  std::string reason;
  std::string message;
};

StatusInfo ParseStatus(std::string_view json) {
  StatusInfo info;
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(json, ec);
  if (ec || !doc.is_object()) {
    info.message = std::string(json.substr(0, 200));
    return info;
  }
  const auto& obj = doc.as_object();
  if (auto* code = obj.if_contains("code"); code && code->is_int64()) {
    info.code = static_cast<int>(code->as_int64());
  }
  if (auto* reason = obj.if_contains("reason"); reason && reason->is_string()) {
    info.reason = std::string(reason->as_string());
  }
  if (auto* message = obj.if_contains("message"); message && message->is_string()) {
    info.message = std::string(message->as_string());
  }
  return info;
}

bool IsExpired(const StatusInfo& status) {
  return status.code == 410 || status.reason == "Expired" || status.reason == "Gone";
}

// Points the reflector at the connection Stop must close, for as long as the scope lives (an
// exception leaving the scope must not leave a pointer to a connection already destroyed).
class ActiveStreamScope {
 public:
  ActiveStreamScope(std::unique_ptr<UpstreamStream>*& slot, std::unique_ptr<UpstreamStream>& stream)
      : slot_(slot) {
    slot_ = &stream;
  }
  ~ActiveStreamScope() { slot_ = nullptr; }
  ActiveStreamScope(const ActiveStreamScope&) = delete;
  ActiveStreamScope& operator=(const ActiveStreamScope&) = delete;

 private:
  std::unique_ptr<UpstreamStream>*& slot_;
};

}  // namespace

// One HTTP response from the upstream being read as it arrives.
struct Reflector::Stream {
  std::unique_ptr<UpstreamStream> connection;
  beast::flat_buffer buffer;
  ResponseParser<http::buffer_body> parser;
  std::string pending;  // bytes of an incomplete line
};

Reflector::Reflector(ResourceStorePtr store, std::shared_ptr<Upstream> upstream, Persist* persist,
                     ReflectorOptions options)
    : store_(std::move(store)),
      upstream_(std::move(upstream)),
      persist_(options.memory_only ? nullptr : persist),
      options_(options) {}

void Reflector::Start(asio::io_context& context) {
  context_ = &context;
  // A state loaded from disk is resumed by a watch from its checkpoint.
  need_list_ = !store_->synced();
  asio::co_spawn(
      context, [self = shared_from_this()]() -> asio::awaitable<void> { co_await self->Run(); },
      ContainEscaped{kBoundaryLoop, LoopName()});
}

void Reflector::Stop() {
  stopped_ = true;
  if (!context_) return;
  asio::post(*context_, [self = shared_from_this()] {
    if (self->active_stream_ && *self->active_stream_) {
      boost::system::error_code ignored;
      beast::get_lowest_layer(**self->active_stream_).socket().close(ignored);
    }
  });
}

std::string Reflector::LoopName() const {
  return "reflector " + store_->schema()->info.GroupResource();
}

std::string Reflector::CollectionPath() const {
  return store_->schema()->info.PathPrefix() + "/" + store_->schema()->info.resource;
}

asio::awaitable<void> Reflector::Run() {
  LoopGuard loop(LoopName());
  auto delay = options_.min_backoff;
  bool watch_list_supported = true;
  while (!stopped_) {
    Outcome outcome = Outcome::kRetry;
    try {
      outcome = co_await Step(watch_list_supported);
    } catch (...) {
      // A bug, or upstream bytes a library refused: the store may have missed events. Its
      // reads go to the upstream until a fresh list has replaced it (which marks the loop up).
      loop.Failed(std::current_exception());
      store_->Unsync();
      need_list_ = true;
    }
    if (stopped_) break;
    switch (outcome) {
      case Outcome::kStopped:
        loop.Finish();
        co_return;
      case Outcome::kUnsupported:
        // The upstream refused the WatchList request itself: list + watch from now on.
        watch_list_supported = false;
        break;
      case Outcome::kResume:
        // A watch that ended after its timeout is resumed at once.
        delay = options_.min_backoff;
        break;
      case Outcome::kRelist:
        Log(*store_->schema(), "listing again: the upstream no longer has our resourceVersion " +
                                   std::to_string(store_->resource_version()));
        need_list_ = true;
        break;
      case Outcome::kRetry:
        co_await Backoff(delay);
        break;
    }
  }
  loop.Finish();
}

asio::awaitable<Reflector::Outcome> Reflector::Step(bool watch_list_supported) {
  ThrowAtFailpoint(LoopName());
  if (!need_list_) co_return co_await Watch(store_->resource_version());
  // (Not a conditional expression: GCC 12 miscompiles co_await inside ?:.)
  if (watch_list_supported) co_return co_await WatchList();
  co_return co_await ListPages();
}

asio::awaitable<void> Reflector::Backoff(std::chrono::milliseconds& delay) {
  static thread_local std::mt19937 random{std::random_device{}()};
  std::uniform_real_distribution<double> jitter(0.5, 1.5);
  auto wait = std::chrono::milliseconds(static_cast<int64_t>(delay.count() * jitter(random)));
  asio::steady_timer timer(co_await asio::this_coro::executor, wait);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  delay = std::min(delay * 2, options_.max_backoff);
}

std::string Reflector::WatchQuery() const {
  static thread_local std::mt19937 random{std::random_device{}()};
  int64_t min = options_.min_watch_timeout.count();
  std::uniform_int_distribution<int64_t> timeout(min, 2 * min - 1);
  return "allowWatchBookmarks=true&timeoutSeconds=" + std::to_string(timeout(random)) +
         "&watch=true";
}

asio::awaitable<Reflector::Outcome> Reflector::WatchList() {
  Stream stream;
  auto connected = co_await upstream_->Connect(co_await asio::this_coro::executor,
                                              UpstreamIdentity::kKcache);
  if (!connected) {
    Log(*store_->schema(), connected.error());
    co_return Outcome::kRetry;
  }
  stream.connection = std::move(*connected);
  ActiveStreamScope active(active_stream_, stream.connection);
  std::string target = CollectionPath() +
                       "?allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan"
                       "&sendInitialEvents=true&timeoutSeconds=" +
                       std::to_string(options_.min_watch_timeout.count()) + "&watch=true";
  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, upstream_->host_header());
  request.set(http::field::accept, "application/json");
  request.set(http::field::user_agent, "kcache");
  if (auto auth = upstream_->Authorization(); !auth.empty()) {
    request.set(http::field::authorization, auth);
  }
  auto [write_ec, written] = co_await http::async_write(*stream.connection, request,
                                                        asio::as_tuple(asio::use_awaitable));
  if (write_ec) co_return Outcome::kRetry;
  co_return co_await ReadEvents(stream, /*initial_events=*/true);
}

asio::awaitable<Reflector::Outcome> Reflector::Watch(uint64_t from) {
  Stream stream;
  auto connected = co_await upstream_->Connect(co_await asio::this_coro::executor,
                                              UpstreamIdentity::kKcache);
  if (!connected) {
    Log(*store_->schema(), connected.error());
    co_return Outcome::kRetry;
  }
  stream.connection = std::move(*connected);
  ActiveStreamScope active(active_stream_, stream.connection);
  std::string target =
      CollectionPath() + "?" + WatchQuery() + "&resourceVersion=" + std::to_string(from);
  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, upstream_->host_header());
  request.set(http::field::accept, "application/json");
  request.set(http::field::user_agent, "kcache");
  if (auto auth = upstream_->Authorization(); !auth.empty()) {
    request.set(http::field::authorization, auth);
  }
  auto [write_ec, written] = co_await http::async_write(*stream.connection, request,
                                                        asio::as_tuple(asio::use_awaitable));
  Outcome outcome = Outcome::kRetry;
  if (!write_ec) outcome = co_await ReadEvents(stream, /*initial_events=*/false);
  co_return outcome;
}

asio::awaitable<Reflector::Outcome> Reflector::ReadEvents(Stream& stream, bool initial_events) {
  auto schema = store_->schema();
  stream.parser.body_limit(boost::none);
  auto& socket_layer = beast::get_lowest_layer(*stream.connection);
  // The upstream ends each watch after its timeout; silence well beyond that is a dead link.
  auto idle_limit = 2 * options_.min_watch_timeout + std::chrono::seconds(60);
  socket_layer.expires_after(std::chrono::seconds(60));
  auto [header_ec, header_bytes] = co_await http::async_read_header(
      *stream.connection, stream.buffer, stream.parser, asio::as_tuple(asio::use_awaitable));
  if (header_ec) {
    if (!stopped_) Log(*schema, "watch: " + header_ec.message());
    co_return stopped_ ? Outcome::kStopped : Outcome::kRetry;
  }
  unsigned status = stream.parser.get().result_int();
  if (status == 200) RememberWarnings(stream.parser.get());

  JsonParser json_parser;
  std::vector<ObjectPtr> initial;
  bool in_initial = initial_events;
  std::vector<char> chunk(kReadChunk);
  std::string error_body;
  while (!stream.parser.is_done()) {
    stream.parser.get().body().data = chunk.data();
    stream.parser.get().body().size = chunk.size();
    socket_layer.expires_after(idle_limit);
    auto [read_ec, read_bytes] = co_await http::async_read_some(
        *stream.connection, stream.buffer, stream.parser, asio::as_tuple(asio::use_awaitable));
    if (read_ec == http::error::need_buffer) read_ec = {};
    size_t got = chunk.size() - stream.parser.get().body().size;
    if (status != 200) {
      error_body.append(chunk.data(), got);
      if (read_ec) break;
      continue;
    }
    stream.pending.append(chunk.data(), got);

    std::vector<Event> batch;
    uint64_t bookmark_rv = 0;
    size_t line_start = 0;
    while (true) {
      size_t newline = stream.pending.find('\n', line_start);
      if (newline == std::string::npos) break;
      std::string_view line(stream.pending.data() + line_start, newline - line_start);
      line_start = newline + 1;
      if (line.empty()) continue;
      auto event = ParseWatchEventLine(json_parser, line);
      if (!event) {
        Log(*schema, "unreadable watch event: " + event.error());
        co_return Outcome::kRetry;
      }
      switch (event->type) {
        case EventType::kError: {
          StatusInfo error = ParseStatus(event->object);
          ApplyBatch(std::move(batch), bookmark_rv);
          Log(*schema, "watch error " + std::to_string(error.code) + ": " + error.message);
          co_return IsExpired(error) ? Outcome::kRelist : Outcome::kRetry;
        }
        case EventType::kBookmark: {
          uint64_t rv = ResourceVersionOf(event->object);
          bool end_of_initial = event->object.find(kInitialEventsEnd) != std::string_view::npos;
          if ((end_of_initial || schema->bookmark_template.empty()) &&
              IsJsonObject(json_parser, event->object)) {
            std::string object(event->object);
            store_->UpdateSchema([&](ResourceSchema& s) {
              (end_of_initial ? s.initial_events_end_template : s.bookmark_template) = object;
            });
            schema = store_->schema();
          }
          if (in_initial && end_of_initial) {
            ReplaceAll(std::move(initial), rv);
            initial.clear();
            in_initial = false;
          } else if (!in_initial) {
            bookmark_rv = std::max(bookmark_rv, rv);
          }
          break;
        }
        default: {
          auto object = ParseObject(json_parser, event->object, schema->object_schema,
                                    schema->type_meta);
          if (!object) {
            Log(*schema, "unreadable object: " + object.error().message);
            continue;
          }
          auto shared = std::make_shared<const Object>(std::move(*object));
          if (in_initial) {
            initial.push_back(std::move(shared));
          } else {
            Event change;
            change.type = event->type;
            change.resource_version = shared->resource_version;
            change.object = std::move(shared);
            batch.push_back(std::move(change));
          }
        }
      }
    }
    stream.pending.erase(0, line_start);
    ApplyBatch(std::move(batch), bookmark_rv);
    if (read_ec) {
      if (!stopped_ && read_ec != asio::error::eof) Log(*schema, "watch: " + read_ec.message());
      break;
    }
  }
  if (stopped_) co_return Outcome::kStopped;
  if (status != 200) {
    StatusInfo error = ParseStatus(error_body);
    Log(*schema, "watch refused (" + std::to_string(status) + "): " + error.message);
    if (initial_events && (status == 422 || status == 400)) co_return Outcome::kUnsupported;
    co_return IsExpired(error) ? Outcome::kRelist : Outcome::kRetry;
  }
  // A WatchList that ended before its initial state was complete starts over.
  if (in_initial) co_return Outcome::kRetry;
  co_return Outcome::kResume;
}

void Reflector::ApplyBatch(std::vector<Event> events, uint64_t bookmark_rv) {
  if (events.empty() && bookmark_rv == 0) return;
  uint64_t rv = std::max(bookmark_rv, events.empty() ? 0 : events.back().resource_version);
  if (persist_) {
    auto schema = store_->schema();
    std::string error = persist_->WriteEvents(*schema, events, std::max(rv, store_->resource_version()));
    if (!error.empty()) Log(*schema, "persisting: " + error);
  }
  bool changed = !events.empty();
  store_->Apply(std::move(events));
  if (bookmark_rv) store_->Bookmark(bookmark_rv);
  if (changed && on_change_) on_change_();
}

void Reflector::ReplaceAll(std::vector<ObjectPtr> objects, uint64_t resource_version) {
  if (persist_) {
    auto schema = store_->schema();
    std::string error = persist_->WriteReplace(*schema, objects, resource_version);
    if (!error.empty()) Log(*schema, "persisting: " + error);
  }
  size_t count = objects.size();
  store_->Replace(std::move(objects), resource_version);
  Log(*store_->schema(), "listed " + std::to_string(count) + " objects at resourceVersion " +
                             std::to_string(resource_version));
  need_list_ = false;
  // Following the upstream again, if a failure had stopped it.
  Failures::Process().LoopUp(LoopName());
  if (on_change_) on_change_();
}

void Reflector::RememberWarnings(const boost::beast::http::fields& headers) {
  // Watches and lists of a deprecated API version all carry its warning.
  std::vector<std::string> warnings;
  for (const auto& field : headers) {
    if (field.name() == boost::beast::http::field::warning) warnings.emplace_back(field.value());
  }
  if (warnings != store_->schema()->warnings) {
    store_->UpdateSchema([&](ResourceSchema& schema) { schema.warnings = std::move(warnings); });
  }
}

asio::awaitable<Reflector::Outcome> Reflector::ListPages() {
  auto schema = store_->schema();
  JsonParser json_parser;
  std::vector<ObjectPtr> objects;
  std::string continue_token;
  uint64_t list_rv = 0;
  do {
    std::string target = CollectionPath() + "?limit=" + std::to_string(options_.list_page_size);
    if (!continue_token.empty()) target += "&continue=" + continue_token;
    auto fetched = co_await upstream_->Fetch(co_await asio::this_coro::executor, target,
                                             "application/json");
    if (stopped_) co_return Outcome::kStopped;
    if (!fetched) {
      Log(*schema, "list: " + fetched.error());
      co_return Outcome::kRetry;
    }
    if (fetched->status != 200) {
      StatusInfo error = ParseStatus(fetched->body);
      Log(*schema, "list refused (" + std::to_string(fetched->status) + "): " + error.message);
      co_return Outcome::kRetry;  // an expired continue token restarts the list, too
    }
    RememberWarnings(fetched->headers);
    std::string& body = fetched->body;
    body.reserve(body.size() + simdjson::SIMDJSON_PADDING);
    simdjson::ondemand::document doc;
    simdjson::ondemand::object top;
    if (json_parser.parser.iterate(body.data(), body.size(), body.capacity()).get(doc) ||
        doc.get_object().get(top)) {
      co_return Outcome::kRetry;
    }
    continue_token.clear();
    std::vector<std::string> items;
    for (auto field_result : top) {
      simdjson::ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) co_return Outcome::kRetry;
      if (key == "kind") {
        std::string_view kind;
        if (!field.value().get_string().get(kind) && schema->list_kind != kind) {
          std::string list_kind(kind);
          store_->UpdateSchema([&](ResourceSchema& s) { s.list_kind = list_kind; });
        }
      } else if (key == "metadata") {
        simdjson::ondemand::object metadata;
        if (field.value().get_object().get(metadata)) co_return Outcome::kRetry;
        for (auto meta_result : metadata) {
          simdjson::ondemand::field meta;
          std::string_view meta_key, text;
          if (std::move(meta_result).get(meta) || meta.unescaped_key().get(meta_key)) continue;
          if (meta_key == "resourceVersion" && !meta.value().get_string().get(text)) {
            if (list_rv != 0) continue;
            auto parsed = ParseResourceVersion(std::string(text));
            if (!parsed || *parsed == 0) {
              Log(*schema, "the upstream's list has a resourceVersion that is not a number: " +
                               std::string(text.substr(0, 64)));
              co_return Outcome::kRetry;
            }
            list_rv = *parsed;
          } else if (meta_key == "continue" && !meta.value().get_string().get(text)) {
            continue_token = std::string(text);
          }
        }
      } else if (key == "items") {
        simdjson::ondemand::array array;
        if (field.value().get_array().get(array)) co_return Outcome::kRetry;
        for (auto item_result : array) {
          simdjson::ondemand::object item;
          std::string_view raw;
          if (std::move(item_result).get_object().get(item) || item.raw_json().get(raw)) {
            co_return Outcome::kRetry;
          }
          items.emplace_back(raw);
        }
      }
    }
    for (const std::string& item : items) {
      auto object = ParseObject(json_parser, item, schema->object_schema, schema->type_meta);
      if (object) objects.push_back(std::make_shared<const Object>(std::move(*object)));
    }
  } while (!continue_token.empty());
  ReplaceAll(std::move(objects), list_rv);
  co_return Outcome::kResume;  // go on with a watch from the list's version
}

}  // namespace kcache
