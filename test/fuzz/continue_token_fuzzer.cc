// Continue tokens: kube/continue_token.h and the Go-compatible base64/JSON it is built on.
// Properties: a token that decodes, re-encoded with EncodeContinueToken, decodes to the same
// resourceVersion and start key; the base64 and JSON string encoders round-trip; and the input
// taken as a list key yields a token that decodes to that key.
//
// Input: the continue query parameter as a client sends it (base64url of the JSON token).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kube/continue_token.h"
#include "kube/go_json.h"
#include "kube/go_text.h"
#include "kube/json_text.h"
#include "test/fuzz/check.h"

namespace kcache {
namespace {

// Go's string(bytes) after a JSON round trip: each invalid UTF-8 byte becomes U+FFFD.
std::string ValidUtf8(std::string_view bytes) {
  std::string out;
  for (size_t pos = 0; pos < bytes.size();) {
    DecodedRune rune = DecodeRune(bytes, pos);
    if (rune.rune == 0xFFFD && rune.width == 1) {
      AppendUtf8(out, 0xFFFD);
    } else {
      out.append(bytes.substr(pos, rune.width));
    }
    pos += rune.width;
  }
  return out;
}

void CheckDecodedToken(std::string_view input, const ContinueToken& token) {
  std::string describe = "token " + fuzz::Escape(input) + " rv " +
                         std::to_string(token.resource_version) + " start " +
                         fuzz::Escape(token.start);
  FUZZ_CHECK(token.resource_version != 0, describe);
  // An empty start (token start "/") begins the page at the list prefix, as in Go.
  FUZZ_CHECK(token.start.empty() || token.start.front() != '/', describe);
  FUZZ_CHECK(ValidUtf8(token.start) == token.start, describe);
  // EncodeContinueToken appends the "\0" a decoded start ends with when kcache made the token.
  bool own = !token.start.empty() && token.start.back() == '\0';
  std::string_view last_key(token.start.data(), token.start.size() - (own ? 1 : 0));
  std::string encoded = EncodeContinueToken(token.resource_version, last_key);
  auto again = DecodeContinueToken(encoded);
  FUZZ_CHECK(again.has_value(),
             describe + " re-encoded " + encoded + ": " + (again ? "" : again.error().message));
  FUZZ_CHECK(again->resource_version == token.resource_version, describe);
  std::string expected = own ? token.start : token.start + '\0';
  FUZZ_CHECK(again->start == expected, describe + " came back as " + fuzz::Escape(again->start));
}

// The input as the last key of a page: the token kcache hands out must decode to it.
void CheckEncodedKey(std::string_view key) {
  if (ValidUtf8(key) != key || key.empty()) return;
  std::string token = EncodeContinueToken(4242, key);
  auto decoded = DecodeContinueToken(token);
  std::string relative(key.front() == '/' ? key.substr(1) : key);
  relative += '\0';
  if (decoded) {
    FUZZ_CHECK(decoded->resource_version == 4242, fuzz::Escape(key));
    FUZZ_CHECK(decoded->start == relative,
               "key " + fuzz::Escape(key) + " came back as " + fuzz::Escape(decoded->start));
  } else {
    // Only keys path.Clean would change are refused.
    FUZZ_CHECK(decoded.error().message.find("continue key is not valid: ") != std::string::npos,
               "key " + fuzz::Escape(key) + ": " + decoded.error().message);
  }
}

void CheckEncoders(std::string_view bytes) {
  std::string decoded;
  size_t bad = 0;
  FUZZ_CHECK(Base64RawUrlDecode(Base64RawUrlEncode(bytes), decoded, &bad) && decoded == bytes,
             fuzz::Escape(bytes));
  FUZZ_CHECK(Base64StdDecode(Base64StdEncode(bytes), decoded) && decoded == bytes,
             fuzz::Escape(bytes));
  std::string literal = JsonString(bytes);
  FUZZ_CHECK(GoJsonSyntaxError(literal).empty(),
             fuzz::Escape(bytes) + " as " + fuzz::Escape(literal) + ": " +
                 GoJsonSyntaxError(literal));
  FUZZ_CHECK(GoJsonUnquote(literal) == ValidUtf8(bytes),
             fuzz::Escape(bytes) + " as " + fuzz::Escape(literal) + " unquotes to " +
                 fuzz::Escape(GoJsonUnquote(literal)));
}

}  // namespace
}  // namespace kcache

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kcache;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto token = DecodeContinueToken(input);
  if (token) {
    CheckDecodedToken(input, *token);
  } else {
    FUZZ_CHECK(token.error().code == 400, fuzz::Escape(input));
    (void)token.error().ToJson();
  }
  // The decoded JSON, when the input is base64, goes through Go's JSON decoder on its own.
  std::string json;
  if (Base64RawUrlDecode(input, json)) {
    GoContinueToken go;
    (void)GoJsonUnmarshalContinueToken(json, go);
    (void)GoJsonSyntaxError(json);
  }
  CheckEncodedKey(input);
  CheckEncoders(input);
  return 0;
}
