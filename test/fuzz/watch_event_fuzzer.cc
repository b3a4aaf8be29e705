// Watch event lines from the upstream: kube/watch_event.h ParseWatchEventLine, then the event's
// object through ParseObject as the reflector does. Properties: the object is a slice of the
// line; the line kcache would write for the event (EventPrefix, object, '}') takes the fast
// path back to the same type and object; with KCACHE_FUZZ_STRICT_JSON=1, the object is JSON.
//
// Input: one line of a watch response (the trailing newline optional).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "kube/go_json.h"
#include "kube/json_parser.h"
#include "kube/object.h"
#include "kube/selectable_fields.h"
#include "kube/watch_event.h"
#include "test/fuzz/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kcache;
  static JsonParser* parser = new JsonParser();
  static const ObjectSchema* schema =
      new ObjectSchema{true, SelectableFieldsFor("", "pods", true).fields};
  static const auto* type_meta =
      new std::shared_ptr<const std::string>(std::make_shared<const std::string>(
          TypeMetaPrefix("Pod", "v1")));

  // A copy of exactly `size` bytes, so reading past the line is caught.
  std::unique_ptr<char[]> copy(new char[size]);
  std::copy(data, data + size, copy.get());
  std::string_view line(copy.get(), size);

  auto event = ParseWatchEventLine(*parser, line);
  if (!event) {
    FUZZ_CHECK(!event.error().empty(), fuzz::Escape(line));
    return 0;
  }
  std::string_view object = event->object;
  std::string describe = "line " + fuzz::Escape(line) + " object " + fuzz::Escape(object);
  FUZZ_CHECK(object.data() >= line.data() &&
                 object.data() + object.size() <= line.data() + line.size(),
             describe);
  FUZZ_CHECK(!EventTypeName(event->type).empty(), describe);
  // The parser trusts the upstream to write JSON: the fast path checks the first and last bytes
  // only, and the general path takes simdjson's lazy view of the object, so a malformed line
  // can yield an object that is not JSON (even an empty one). KCACHE_FUZZ_STRICT_JSON=1 makes
  // that a failure, to look for such lines.
  if (fuzz::StrictJson()) {
    FUZZ_CHECK(!object.empty() && object.front() == '{' && GoJsonSyntaxError(object).empty(),
               describe + ": " + GoJsonSyntaxError(object));
  }
  if (object.empty() || object.front() != '{') return 0;

  // The event as kcache writes it again must take the fast path back to the same object.
  std::string rewritten = std::string(EventPrefix(event->type)) + std::string(object) + "}";
  auto again = ParseWatchEventLine(*parser, rewritten);
  FUZZ_CHECK(again.has_value() && again->type == event->type && again->object == object,
             describe + " rewritten " + fuzz::Escape(rewritten));

  if (event->type == EventType::kError) return 0;
  auto parsed = ParseObject(*parser, object, *schema, *type_meta);
  if (parsed) {
    FUZZ_CHECK(parsed->Full().size() == parsed->FullSize(), describe);
    FUZZ_CHECK(parsed->rv_end <= parsed->json.size(), describe);
  }
  return 0;
}
