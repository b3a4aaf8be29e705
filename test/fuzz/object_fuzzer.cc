// Object parsing: kube/object.h ParseObject with the pods schema, as the reflector and list
// decoding use it. Properties: the byte spans it records lie inside the object, the
// resourceVersion one with its quotes; Full() is FullSize() bytes; the copy
// FullWithResourceVersion makes parses again to the same object at the new version. With
// KCACHE_FUZZ_STRICT_JSON=1 also: what Full() serves is JSON, and the metadata span is the
// metadata object, around the resourceVersion.
//
// Input: one object's JSON as the upstream writes it (a list item or a watch event's object).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "kube/go_json.h"
#include "kube/json_parser.h"
#include "kube/object.h"
#include "kube/selectable_fields.h"
#include "test/fuzz/check.h"

namespace kcache {
namespace {

struct Fixture {
  JsonParser parser;
  ObjectSchema schema{true, SelectableFieldsFor("", "pods", true).fields};
  std::shared_ptr<const std::string> pod_type_meta =
      std::make_shared<const std::string>(TypeMetaPrefix("Pod", "v1"));
};

void CheckObject(Fixture& f, std::string_view input, const Object& object,
                 const std::shared_ptr<const std::string>& type_meta) {
  std::string describe = "input " + fuzz::Escape(input);
  const std::string& json = object.json;
  FUZZ_CHECK(object.metadata_begin <= object.metadata_end && object.metadata_end <= json.size(),
             describe);
  FUZZ_CHECK(object.rv_begin < object.rv_end && object.rv_end <= json.size(), describe);
  FUZZ_CHECK(json[object.rv_begin] == '"' && json[object.rv_end - 1] == '"', describe);
  if (fuzz::StrictJson()) {
    // From malformed metadata simdjson can hand back a view that does not end in '}', which
    // ParseObject trims to nothing: the Object then has an empty metadata span.
    std::string_view metadata = object.Metadata();
    FUZZ_CHECK(metadata.size() >= 2 && metadata.front() == '{' && metadata.back() == '}',
               describe + " metadata " + fuzz::Escape(metadata));
    FUZZ_CHECK(object.metadata_begin < object.rv_begin && object.rv_end < object.metadata_end,
               describe + " metadata " + fuzz::Escape(metadata));
  }
  FUZZ_CHECK(!object.name.empty(), describe);
  FUZZ_CHECK(object.fields.size() == f.schema.fields.size() + 2, describe);
  FUZZ_CHECK(object.key == object.namespace_name + "/" + object.name, describe);
  std::string full = object.Full();
  FUZZ_CHECK(full.size() == object.FullSize(), describe);
  if (fuzz::StrictJson()) {
    FUZZ_CHECK(GoJsonSyntaxError(full).empty(),
               describe + " serves as " + fuzz::Escape(full) + ": " + GoJsonSyntaxError(full));
  }

  // The upstream never sends whitespace before an object; the copy below assumes none.
  if (input.empty() || input.front() != '{') return;
  uint64_t next = object.resource_version + 1;
  std::string copy = FullWithResourceVersion(object, next);
  auto again = ParseObject(f.parser, copy, f.schema, type_meta);
  FUZZ_CHECK(again.has_value(), describe + " copy " + fuzz::Escape(copy) + ": " +
                                    (again ? "" : again.error().message));
  FUZZ_CHECK(again->resource_version == next, describe + " copy " + fuzz::Escape(copy));
  FUZZ_CHECK(again->name == object.name && again->namespace_name == object.namespace_name &&
                 again->uid == object.uid && again->labels == object.labels &&
                 again->fields == object.fields &&
                 again->creation_timestamp == object.creation_timestamp,
             describe + " copy " + fuzz::Escape(copy));
}

}  // namespace
}  // namespace kcache

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kcache;
  static Fixture* fixture = new Fixture();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  for (const auto& type_meta : {fixture->pod_type_meta, std::shared_ptr<const std::string>()}) {
    auto object = ParseObject(fixture->parser, input, fixture->schema, type_meta);
    if (!object) {
      FUZZ_CHECK(!object.error().message.empty(), fuzz::Escape(input));
      continue;
    }
    CheckObject(*fixture, input, *object, type_meta);
    LabelSelector everything;
    FUZZ_CHECK(everything.Matches(object->labels), fuzz::Escape(input));
  }
  return 0;
}
