#pragma once
// FUZZ_CHECK(cond, detail): a property every input must satisfy. A violation prints what
// failed and aborts, which libFuzzer reports as a crash and saves the input.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace kcache::fuzz {

[[noreturn]] inline void CheckFailed(const char* file, int line, const char* condition,
                                     const std::string& detail) {
  std::fprintf(stderr, "%s:%d: property violated: %s\n", file, line, condition);
  if (!detail.empty()) std::fprintf(stderr, "  %s\n", detail.c_str());
  std::abort();
}

// Printable form of bytes for failure messages: C-style escapes for anything unusual.
inline std::string Escape(std::string_view bytes) {
  std::string out = "\"";
  for (unsigned char c : bytes) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out + "\"";
}

// KCACHE_FUZZ_STRICT_JSON=1: also require that what kcache keeps from upstream JSON is JSON.
// Off by default: kcache trusts the upstream's framing and does not validate it.
inline bool StrictJson() {
  static const bool strict = [] {
    const char* value = std::getenv("KCACHE_FUZZ_STRICT_JSON");
    return value != nullptr && std::string_view(value) == "1";
  }();
  return strict;
}

}  // namespace kcache::fuzz

#define FUZZ_CHECK(condition, detail)                                                  \
  do {                                                                                 \
    if (!(condition)) ::kcache::fuzz::CheckFailed(__FILE__, __LINE__, #condition, (detail)); \
  } while (false)
