#pragma once
// Go's text primitives, reproduced because kube-apiserver's error messages embed values the way
// Go formats them (strconv.Quote, strconv.ParseInt, utf8.DecodeRuneInString).

#include <cstdint>
#include <string>
#include <string_view>

namespace kcache {

// One UTF-8 code point as Go's utf8.DecodeRuneInString reads it: invalid or truncated input
// (and overlong forms, surrogates, values above U+10FFFF) yields U+FFFD with width 1.
struct DecodedRune {
  char32_t rune = 0;
  size_t width = 0;
};
DecodedRune DecodeRune(std::string_view text, size_t pos);
void AppendUtf8(std::string& out, char32_t rune);

// Go's strconv.Quote, i.e. what fmt's %q prints for a string. Non-ASCII code points print raw
// or as \u/\U escapes by Go's unicode.IsPrint; exact for every code point assigned in Unicode
// 14, while code points unassigned there print raw (Go escapes them).
std::string GoQuote(std::string_view text);

// Go's strconv.ParseInt(text, 10, 64): optional sign, decimal digits only, int64 range.
bool ParseGoInt64(std::string_view text, int64_t& out);
// The same, telling which error Go reports ("invalid syntax" or "value out of range").
enum class GoIntParse { kOk, kSyntax, kRange };
GoIntParse ParseGoInt64Detailed(std::string_view text, int64_t& out);

}  // namespace kcache
