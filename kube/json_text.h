#pragma once
// Writing JSON text the way kube-apiserver's Go encoder writes it, so documents kcache composes
// itself (Status errors, list envelopes, bookmarks) are byte-identical to the upstream's.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kcache {

// Appends `text` as a JSON string literal, quotes included, with Go encoding/json's escaping:
// '<', '>', '&', U+2028 and U+2029 as \uXXXX, control characters as \n \r \t \b \f or \u00XX, and
// invalid UTF-8 as \ufffd.
void AppendJsonString(std::string& out, std::string_view text);

// Returns `text` as a JSON string literal (see AppendJsonString).
std::string JsonString(std::string_view text);

// base64 with the URL alphabet and no padding (Go's base64.RawURLEncoding).
std::string Base64RawUrlEncode(std::string_view bytes);
// Decodes like Go's base64.RawURLEncoding.DecodeString: '\n' and '\r' are skipped, unused
// trailing bits are ignored, and '=' is invalid. On malformed input returns false and sets
// *error_offset (when given) to Go's N in "illegal base64 data at input byte N".
bool Base64RawUrlDecode(std::string_view text, std::string& out, size_t* error_offset = nullptr);

// Standard base64 with padding (kubeconfig's *-data fields).
std::string Base64StdEncode(std::string_view bytes);
bool Base64StdDecode(std::string_view text, std::string& out);

}  // namespace kcache
