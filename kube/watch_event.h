#pragma once
// Watch events on the wire: one JSON WatchEvent per line, {"type":...,"object":...}.

#include <string>
#include <string_view>

#include <boost/system/result.hpp>

namespace kcache {

struct JsonParser;

enum class EventType { kAdded, kModified, kDeleted, kBookmark, kError };

std::string_view EventTypeName(EventType type);

struct WatchEventView {
  EventType type = EventType::kAdded;
  // The event's object, pointing into the parsed line.
  std::string_view object;
};

// Splits one event line (without its newline). The upstream writes the fields in a fixed order,
// which a byte comparison recognises; anything else is parsed as general JSON.
boost::system::result<WatchEventView, std::string> ParseWatchEventLine(
    JsonParser& parser, std::string_view line);

// `{"type":"<TYPE>","object":` — what precedes the object in an event line.
std::string_view EventPrefix(EventType type);

}  // namespace kcache
