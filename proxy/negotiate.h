#pragma once
// Content negotiation for responses kcache writes itself (k8s.io/apiserver/pkg/endpoints/
// handlers/negotiation). kcache writes JSON, and the PartialObjectMetadata and Table transforms
// in JSON;
// clients that also accept protobuf are answered in JSON, which they all accept. Anything else
// (YAML, protobuf-only, pretty output) is left to the upstream.

#include <cstdint>
#include <string>
#include <string_view>

namespace kcache {

enum class Encoding {
  kJson,
  kPartialObjectMetadata,      // as=PartialObjectMetadata (a get or a watch)
  kPartialObjectMetadataList,  // as=PartialObjectMetadataList (a list)
  kTable,                      // as=Table (kubectl get): printed when kcache has the printer
  kUpstream,                   // kcache does not write this: pass the request through
};

// KEP-5958's `drop` Accept parameter (`application/json;drop=metadata.managedFields`), which
// kcache extends to annotations the way the KEP intends: metadata members left out of every
// object of the response. Targets are joined with '+'; unknown ones are ignored.
enum DropField : uint8_t {
  kDropManagedFields = 1,  // metadata.managedFields
  kDropAnnotations = 2,    // metadata.annotations
};

struct Negotiated {
  Encoding encoding = Encoding::kJson;
  std::string meta_version = "v1";  // meta.k8s.io version of a transform
  uint8_t drop = 0;                 // DropField bits
};

// The DropField bits a `drop` parameter value names.
uint8_t ParseDrop(std::string_view value);

// `list` tells whether the response is a list (and not a watch or a single object).
Negotiated NegotiateAccept(std::string_view accept, bool list);

}  // namespace kcache
