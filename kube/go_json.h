#pragma once
// The part of Go's encoding/json (v1) that kube-apiserver's continue-token decoding exposes in
// its error messages: the syntax check json.Unmarshal runs before decoding (with the scanner's
// exact "invalid character ..." texts), string unquoting (escapes, surrogate pairs, invalid
// UTF-8 as U+FFFD), and decoding into k8s.io/apiserver/pkg/storage.continueToken with Go's
// rules (case-insensitive keys, last duplicate wins, null leaves a field alone, unknown keys
// ignored, the first type error reported after the whole document is read).

#include <cstdint>
#include <string>
#include <string_view>

namespace kcache {

// Returns the *json.SyntaxError message Go's json.Valid / json.Unmarshal would report for
// `data`, or "" when `data` is exactly one valid JSON value (surrounding whitespace allowed).
std::string GoJsonSyntaxError(std::string_view data);

// Go's unquoting of a JSON string literal, quotes included, that the syntax check accepted:
// escapes resolved, a lone or mismatched surrogate escape becomes U+FFFD, and every byte of
// invalid UTF-8 becomes U+FFFD.
std::string GoJsonUnquote(std::string_view literal);

// Go's quoting of a byte in syntax errors: 'x', '\n', '\x00', '\'' or, for bytes of 0x80 and
// above, the Latin-1 character of that value ('ÿ', '\u0080').
std::string GoJsonQuoteChar(unsigned char c);

// k8s.io/apiserver/pkg/storage.continueToken: {"v": string, "rv": int64, "start": string}.
struct GoContinueToken {
  std::string api_version;     // "v"
  int64_t resource_version = 0;  // "rv"
  std::string start_key;       // "start"
};

// json.Unmarshal(data, &token) into a zero token. Returns "" on success, otherwise Go's error
// text: a syntax error, or the first "json: cannot unmarshal ..." type error.
std::string GoJsonUnmarshalContinueToken(std::string_view data, GoContinueToken& token);

}  // namespace kcache
