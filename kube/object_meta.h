#pragma once
// ObjectMeta in the field order of Go's typed struct. Custom resources are served from maps, so
// their metadata keys come sorted; when kube-apiserver turns one into a PartialObjectMetadata
// it goes through the typed struct, and the keys come out in struct order.

#include <string>
#include <string_view>
#include <vector>

namespace kcache {

struct JsonParser;

// Re-orders the keys of a metadata object (and of its ownerReferences and managedFields
// entries) into Go struct order, keeping every value's bytes. Returns the input unchanged when
// it cannot be read.
std::string TypedObjectMeta(JsonParser& parser, std::string_view metadata_json);

// A byte range [begin, end) of a metadata object's text.
struct ByteRange {
  size_t begin = 0;
  size_t end = 0;
};

// The ranges to cut from `metadata_json` so that the members named `keys` are gone and the rest
// is still one JSON object (each range takes one of the commas around its member). Ascending;
// empty when none of the keys is there or the text cannot be read.
std::vector<ByteRange> MemberCuts(JsonParser& parser, std::string_view metadata_json,
                                  const std::vector<std::string_view>& keys);

}  // namespace kcache
