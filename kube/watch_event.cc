#include "kube/watch_event.h"

#include <array>

#include "kube/json_parser.h"

namespace kcache {
namespace {

constexpr std::array<EventType, 5> kTypes = {EventType::kAdded, EventType::kModified,
                                             EventType::kDeleted, EventType::kBookmark,
                                             EventType::kError};

bool TypeFromName(std::string_view name, EventType& type) {
  for (EventType t : kTypes) {
    if (EventTypeName(t) == name) {
      type = t;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view EventTypeName(EventType type) {
  switch (type) {
    case EventType::kAdded: return "ADDED";
    case EventType::kModified: return "MODIFIED";
    case EventType::kDeleted: return "DELETED";
    case EventType::kBookmark: return "BOOKMARK";
    case EventType::kError: return "ERROR";
  }
  return "";
}

std::string_view EventPrefix(EventType type) {
  switch (type) {
    case EventType::kAdded: return R"({"type":"ADDED","object":)";
    case EventType::kModified: return R"({"type":"MODIFIED","object":)";
    case EventType::kDeleted: return R"({"type":"DELETED","object":)";
    case EventType::kBookmark: return R"({"type":"BOOKMARK","object":)";
    case EventType::kError: return R"({"type":"ERROR","object":)";
  }
  return "";
}

boost::system::result<WatchEventView, std::string> ParseWatchEventLine(
    JsonParser& parser, std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r' || line.back() == ' ')) {
    line.remove_suffix(1);
  }
  for (EventType type : kTypes) {
    std::string_view prefix = EventPrefix(type);
    if (line.size() > prefix.size() + 1 && line.substr(0, prefix.size()) == prefix &&
        line.back() == '}' && line[prefix.size()] == '{') {
      return WatchEventView{type, line.substr(prefix.size(), line.size() - prefix.size() - 1)};
    }
  }
  // General form: any field order, any whitespace.
  simdjson::padded_string padded(line);
  simdjson::ondemand::document doc;
  if (auto error = parser.parser.iterate(padded).get(doc)) return std::string(simdjson::error_message(error));
  simdjson::ondemand::object top;
  if (auto error = doc.get_object().get(top)) return std::string(simdjson::error_message(error));
  WatchEventView view;
  bool have_type = false, have_object = false;
  for (auto field_result : top) {
    simdjson::ondemand::field field;
    if (auto error = std::move(field_result).get(field)) return std::string(simdjson::error_message(error));
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return std::string(simdjson::error_message(error));
    if (key == "type") {
      std::string_view name;
      if (field.value().get_string().get(name) || !TypeFromName(name, view.type)) {
        return std::string("unknown watch event type");
      }
      have_type = true;
    } else if (key == "object") {
      simdjson::ondemand::object object;
      std::string_view raw;
      if (field.value().get_object().get(object) || object.raw_json().get(raw)) {
        return std::string("watch event object is not an object");
      }
      // Point back into the caller's line, not into our padded copy.
      view.object = line.substr(static_cast<size_t>(raw.data() - padded.data()), raw.size());
      while (!view.object.empty() && view.object.back() != '}') view.object.remove_suffix(1);
      have_object = true;
    }
  }
  if (!have_type || !have_object) return std::string("watch event without type or object");
  return view;
}

}  // namespace kcache
