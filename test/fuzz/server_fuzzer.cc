// The server itself fed arbitrary bytes, as a client sends them once TLS is up: the request
// loop of proxy/connection.cc (reading under kube-apiserver's limits, Go's early answers, the
// request target, Audit-ID, routing, probes, authentication, impersonation headers, rate and
// watch limits, discovery and projection routing, pass-through) over an in-memory stream, in
// front of an upstream nothing listens on (test/proxy/offline_server.h): what would ask the
// network fails at once, as with an unreachable upstream.
//
// Input: one byte of settings, then the connection's bytes. Settings bit 0: anonymous requests
// allowed (else a request without credentials stops at 401); bits 1-7: the client's bytes arrive
// in reads of 1 + 13 * that many bytes (a request split anywhere must read the same).
//
// Properties besides crashes, leaks and undefined behaviour:
// - the request loop ends (the bytes are finite) and no exception leaves it;
// - no failure had to be contained: an exception caught at a request boundary is a bug even
//   though the client only sees its connection close;
// - what kcache writes back starts with an HTTP/1.x status line.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kube/failures.h"
#include "test/fuzz/check.h"
#include "test/proxy/offline_server.h"

namespace kcache {
namespace {

test::OfflineServer& ServerFor(bool anonymous) {
  static test::OfflineServer authenticated({.anonymous = false});
  static test::OfflineServer anonymous_allowed({.anonymous = true});
  return anonymous ? anonymous_allowed : authenticated;
}

// "HTTP/1.1 200 " (or HTTP/1.0, to an HTTP/1.0 request, as Go answers it).
bool StartsWithStatusLine(std::string_view written) {
  constexpr size_t kVersion = std::string_view("HTTP/1.1 ").size();
  if (!(written.starts_with("HTTP/1.1 ") || written.starts_with("HTTP/1.0 ")) ||
      written.size() < kVersion + 4) {
    return false;
  }
  for (size_t i = 0; i < 3; ++i) {
    char digit = written[kVersion + i];
    if (digit < '0' || digit > '9') return false;
  }
  return written[kVersion + 3] == ' ';
}

}  // namespace
}  // namespace kcache

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kcache;
  if (size < 1) return 0;
  bool anonymous = (data[0] & 1) != 0;
  size_t read_chunk = 1 + 13 * static_cast<size_t>(data[0] >> 1);
  std::string input(reinterpret_cast<const char*>(data + 1), size - 1);

  uint64_t contained_before = Failures::Process().Count(kBoundaryRequest) +
                              Failures::Process().Count(kBoundaryConnection);
  auto served = ServerFor(anonymous).Serve(input, read_chunk);
  uint64_t contained_after = Failures::Process().Count(kBoundaryRequest) +
                             Failures::Process().Count(kBoundaryConnection);

  FUZZ_CHECK(served.finished, fuzz::Escape(input.substr(0, 400)));
  FUZZ_CHECK(contained_after == contained_before, fuzz::Escape(input.substr(0, 400)));
  FUZZ_CHECK(served.written.empty() || StartsWithStatusLine(served.written),
             fuzz::Escape(served.written.substr(0, 200)));
  return 0;
}
