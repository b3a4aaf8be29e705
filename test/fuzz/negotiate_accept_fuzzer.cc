// Accept header negotiation: proxy/negotiate.h NegotiateAccept. Property: it returns one of
// the encodings it knows, a meta.k8s.io version (v1 or v1beta1) for the transforms, and only
// the drop= bits it knows (never for Tables).
//
// Input: the Accept header value.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "proxy/negotiate.h"
#include "test/fuzz/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kcache;
  std::string_view accept(reinterpret_cast<const char*>(data), size);
  for (bool list : {false, true}) {
    Negotiated negotiated = NegotiateAccept(accept, list);
    FUZZ_CHECK((negotiated.drop & ~(kDropManagedFields | kDropAnnotations)) == 0,
               fuzz::Escape(accept));
    switch (negotiated.encoding) {
      case Encoding::kJson:
      case Encoding::kUpstream:
        break;
      case Encoding::kPartialObjectMetadata:
      case Encoding::kPartialObjectMetadataList:
        FUZZ_CHECK(negotiated.meta_version == "v1" || negotiated.meta_version == "v1beta1",
                   fuzz::Escape(accept));
        break;
      case Encoding::kTable:
        FUZZ_CHECK(negotiated.meta_version == "v1" || negotiated.meta_version == "v1beta1",
                   fuzz::Escape(accept));
        FUZZ_CHECK(negotiated.drop == 0, fuzz::Escape(accept));
        break;
      default:
        FUZZ_CHECK(false, fuzz::Escape(accept));
    }
  }
  return 0;
}
