#include "kube/go_text.h"

#include <limits>

namespace kcache {

DecodedRune DecodeRune(std::string_view text, size_t pos) {
  constexpr DecodedRune kInvalid{0xFFFD, 1};
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char b0 = byte(pos);
  if (b0 < 0x80) return {b0, 1};
  size_t need = 0;
  char32_t rune = 0;
  // Bounds of the second byte exclude overlong forms, surrogates and values past U+10FFFF,
  // exactly like Go's acceptRanges table.
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    rune = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    rune = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    rune = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return kInvalid;
  }
  if (pos + need >= text.size()) return kInvalid;
  for (size_t i = 1; i <= need; ++i) {
    unsigned char b = byte(pos + i);
    unsigned char min = i == 1 ? lo : 0x80;
    unsigned char max = i == 1 ? hi : 0xBF;
    if (b < min || b > max) return kInvalid;
    rune = (rune << 6) | (b & 0x3F);
  }
  return {rune, need + 1};
}

void AppendUtf8(std::string& out, char32_t rune) {
  if (rune < 0x80) {
    out.push_back(static_cast<char>(rune));
  } else if (rune < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (rune >> 6)));
    out.push_back(static_cast<char>(0x80 | (rune & 0x3F)));
  } else if (rune < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (rune >> 12)));
    out.push_back(static_cast<char>(0x80 | ((rune >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (rune & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (rune >> 18)));
    out.push_back(static_cast<char>(0x80 | ((rune >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((rune >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (rune & 0x3F)));
  }
}

namespace {

// unicode.IsPrint for code points above ASCII: letters, marks, numbers, punctuation and
// symbols print; controls (Cc), format characters (Cf), separators (Z*), surrogates and private
// use do not. Matches Go's strconv.Quote for every code point assigned in Unicode 14 (checked
// one by one); code points unassigned there print raw here, where Go escapes them.
bool IsGoPrintNonAscii(char32_t r) {
  struct Range {
    char32_t first, last;
  };
  static constexpr Range kNonPrinting[] = {
      {0x80, 0xA0},       {0xAD, 0xAD},       {0x600, 0x605},      {0x61C, 0x61C},
      {0x6DD, 0x6DD},     {0x70F, 0x70F},     {0x890, 0x891},      {0x8E2, 0x8E2},
      {0x1680, 0x1680},   {0x180E, 0x180E},   {0x2000, 0x200F},    {0x2028, 0x202F},
      {0x205F, 0x2064},   {0x2066, 0x206F},   {0x3000, 0x3000},    {0xD800, 0xF8FF},
      {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},   {0xFFFE, 0xFFFF},    {0x110BD, 0x110BD},
      {0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3},  {0x1D173, 0x1D17A},
      {0xE0001, 0xE0001}, {0xE0020, 0xE007F}, {0xF0000, 0x10FFFF},
  };
  for (const Range& range : kNonPrinting) {
    if (r >= range.first && r <= range.last) return false;
  }
  return true;
}

void AppendHex(std::string& out, uint32_t value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
    out.push_back(kHex[(value >> shift) & 0xF]);
  }
}

const char* ShortEscape(char32_t r) {
  switch (r) {
    case '\a': return "\\a";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    case '\v': return "\\v";
    default: return nullptr;
  }
}

}  // namespace

std::string GoQuote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (size_t pos = 0; pos < text.size();) {
    DecodedRune decoded = DecodeRune(text, pos);
    char32_t r = decoded.rune;
    if (decoded.width == 1 && r == 0xFFFD) {
      out += "\\x";
      AppendHex(out, static_cast<unsigned char>(text[pos]), 2);
    } else if (r == '"' || r == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(r));
    } else if (r >= 0x20 && r < 0x7F) {
      out.push_back(static_cast<char>(r));
    } else if (r >= 0x80 && IsGoPrintNonAscii(r)) {
      out.append(text.substr(pos, decoded.width));
    } else if (const char* escape = ShortEscape(r)) {
      out += escape;
    } else if (r < 0x20 || r == 0x7F) {
      out += "\\x";
      AppendHex(out, r, 2);
    } else if (r < 0x10000) {
      out += "\\u";
      AppendHex(out, r, 4);
    } else {
      out += "\\U";
      AppendHex(out, r, 8);
    }
    pos += decoded.width;
  }
  out.push_back('"');
  return out;
}

GoIntParse ParseGoInt64Detailed(std::string_view text, int64_t& out) {
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return GoIntParse::kSyntax;
  // As strconv.ParseUint: scanning left to right, the first bad byte or the first overflow
  // decides the error.
  constexpr uint64_t kCutoff = std::numeric_limits<uint64_t>::max() / 10 + 1;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return GoIntParse::kSyntax;
    if (value >= kCutoff) return GoIntParse::kRange;
    uint64_t next = value * 10 + static_cast<uint64_t>(c - '0');
    if (next < value * 10) return GoIntParse::kRange;
    value = next;
  }
  constexpr uint64_t kLimit = uint64_t{1} << 63;
  if ((!negative && value >= kLimit) || (negative && value > kLimit)) return GoIntParse::kRange;
  out = negative ? static_cast<int64_t>(~value + 1) : static_cast<int64_t>(value);
  return GoIntParse::kOk;
}

bool ParseGoInt64(std::string_view text, int64_t& out) {
  return ParseGoInt64Detailed(text, out) == GoIntParse::kOk;
}

}  // namespace kcache
