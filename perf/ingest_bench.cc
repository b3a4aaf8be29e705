// ingest_bench: how many upstream watch events per second kcache absorbs on one core. It replays
// watch event lines captured from kube-apiserver through the reflector's pipeline: each line is
// parsed (ParseWatchEventLine, ParseObject: labels, selectable fields, spans), the batch of one
// read chunk is written to RocksDB with the checkpoint (Persist::WriteEvents), then applied to
// the store (indexes, history, waking watchers), exactly the steps Reflector::ReadEvents takes.
// The network read is left out: kube-apiserver cannot produce events fast enough to find
// kcache's limit, which is the point of this measurement.
//
//   ingest_bench --events FILE --data-dir DIR [--rounds N] [--memory-only 1]
//
// FILE holds one watch event per line (a `watch=1&resourceVersion=0` capture of pods). The
// objects are first installed as the store's state, then every round sends each again as a
// MODIFIED event with a new resourceVersion. The first rounds, untimed, fill the store's event
// history to its cap, so the measured ones run in the steady state where each new version
// frees the oldest (memory is reused rather than grown). Prints JSON: events, bytes, seconds,
// events/s, MB/s.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "cache/persist.h"
#include "cache/store.h"
#include "kube/json_parser.h"
#include "kube/object.h"
#include "kube/watch_event.h"

namespace {

using Clock = std::chrono::steady_clock;
using kcache::Event;
using kcache::ObjectPtr;

// The reflector hands the store what one read of its upstream stream brought.
constexpr size_t kChunkBytes = 256 * 1024;
// A smaller history cap than kcache's default (100,000) so that the warm-up is short; the work
// per event does not depend on the cap.
constexpr size_t kHistoryEvents = 20000;

kcache::ResourceSchema PodsSchema() {
  kcache::ResourceSchema schema;
  schema.info = {"", "v1", "pods", "Pod", "pod", true, {"get", "list", "watch"}};
  schema.type_meta = std::make_shared<const std::string>(kcache::TypeMetaPrefix("Pod", "v1"));
  schema.list_kind = "PodList";
  kcache::DeriveFieldSchema(schema);
  return schema;
}

// The line with its object's resourceVersion replaced by `rv` and its type by MODIFIED.
std::string Rewrite(const std::string& line, uint64_t rv) {
  constexpr std::string_view kKey = "\"resourceVersion\":\"";
  std::string out = line;
  size_t at = out.find(kKey);
  if (at == std::string::npos) return out;
  size_t begin = at + kKey.size(), end = out.find('"', begin);
  out.replace(begin, end - begin, std::to_string(rv));
  size_t type = out.find("\"ADDED\"");
  if (type != std::string::npos && type < 16) out.replace(type, 7, "\"MODIFIED\"");
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 1; i + 1 < argc; i += 2) flags[argv[i]] = argv[i + 1];
  if (!flags.count("--events") || !flags.count("--data-dir")) {
    std::cerr << "usage: ingest_bench --events FILE --data-dir DIR [--rounds N] [--memory-only 1]\n";
    return 2;
  }
  int rounds = flags.count("--rounds") ? std::stoi(flags["--rounds"]) : 5;
  bool memory_only = flags["--memory-only"] == "1";

  std::vector<std::string> lines;
  {
    std::ifstream in(flags["--events"]);
    std::string line;
    while (std::getline(in, line)) {
      if (line.find("\"type\":\"ADDED\"") != std::string::npos) lines.push_back(line);
    }
  }
  if (lines.empty()) {
    std::cerr << "ingest_bench: no ADDED events in " << flags["--events"] << "\n";
    return 1;
  }

  auto schema = PodsSchema();
  kcache::JsonParser parser;
  std::vector<ObjectPtr> initial;
  for (const auto& line : lines) {
    auto event = kcache::ParseWatchEventLine(parser, line);
    auto object = kcache::ParseObject(parser, event->object, schema.object_schema, schema.type_meta);
    if (!object) {
      std::cerr << "ingest_bench: " << object.error().message << "\n";
      return 1;
    }
    initial.push_back(std::make_shared<const kcache::Object>(std::move(*object)));
  }
  uint64_t rv = 1;
  for (const auto& object : initial) rv = std::max(rv, object->resource_version);

  std::filesystem::remove_all(flags["--data-dir"]);
  auto persist = kcache::Persist::Open(flags["--data-dir"]);
  if (!persist) {
    std::cerr << "ingest_bench: " << persist.error() << "\n";
    return 1;
  }
  kcache::StoreOptions store_options;
  store_options.history_max_events = kHistoryEvents;
  kcache::ResourceStore store(schema, store_options);
  if (!memory_only) (*persist)->WriteReplace(schema, initial, rv);
  store.Replace(initial, rv);

  // The stream: every object modified once per round, in 256 KiB reads; warm-up rounds first.
  int warmup_rounds = static_cast<int>((kHistoryEvents + lines.size() - 1) / lines.size());
  auto make_chunks = [&](int count, size_t& events, size_t& bytes) {
    std::vector<std::string> chunks(1);
    for (int r = 0; r < count; ++r) {
      for (const auto& line : lines) {
        std::string modified = Rewrite(line, ++rv);
        if (chunks.back().size() + modified.size() > kChunkBytes) chunks.emplace_back();
        chunks.back() += modified;
        chunks.back() += '\n';
        ++events;
        bytes += modified.size() + 1;
      }
    }
    return chunks;
  };
  // What the reflector does with each read: parse every line, persist the batch, apply it.
  auto ingest = [&](const std::vector<std::string>& chunks) {
    for (const auto& chunk : chunks) {
      std::vector<Event> batch;
      size_t start = 0, newline;
      while ((newline = chunk.find('\n', start)) != std::string::npos) {
        std::string_view line(chunk.data() + start, newline - start);
        start = newline + 1;
        auto event = kcache::ParseWatchEventLine(parser, line);
        auto object =
            kcache::ParseObject(parser, event->object, schema.object_schema, schema.type_meta);
        if (!object) return false;
        Event change;
        change.type = event->type;
        change.resource_version = object->resource_version;
        change.object = std::make_shared<const kcache::Object>(std::move(*object));
        batch.push_back(std::move(change));
      }
      if (!memory_only) {
        std::string error = (*persist)->WriteEvents(schema, batch, batch.back().resource_version);
        if (!error.empty()) {
          std::cerr << "ingest_bench: " << error << "\n";
          return false;
        }
      }
      store.Apply(std::move(batch));
    }
    return true;
  };
  size_t warm_events = 0, warm_bytes = 0, events = 0, bytes = 0;
  if (!ingest(make_chunks(warmup_rounds, warm_events, warm_bytes))) return 1;
  auto chunks = make_chunks(rounds, events, bytes);

  auto begin = Clock::now();
  if (!ingest(chunks)) return 1;
  double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  std::cout << "{\"events\":" << events << ",\"bytes\":" << bytes << ",\"seconds\":" << seconds
            << ",\"events_per_second\":" << events / seconds
            << ",\"mb_per_second\":" << bytes / seconds / 1e6
            << ",\"mean_event_bytes\":" << bytes / events
            << ",\"persist\":" << (memory_only ? "false" : "true") << "}" << std::endl;
  return store.resource_version() == rv ? 0 : 1;
}
