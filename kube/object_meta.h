#pragma once
// ObjectMeta in the field order of Go's typed struct. Custom resources are served from maps, so
// their metadata keys come sorted; when kube-apiserver turns one into a PartialObjectMetadata
// it goes through the typed struct, and the keys come out in struct order.

#include <string>
#include <string_view>

namespace kcache {

struct JsonParser;

// Re-orders the keys of a metadata object (and of its ownerReferences and managedFields
// entries) into Go struct order, keeping every value's bytes. Returns the input unchanged when
// it cannot be read.
std::string TypedObjectMeta(JsonParser& parser, std::string_view metadata_json);

}  // namespace kcache
