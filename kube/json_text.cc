#include "kube/json_text.h"

#include <array>

#include "kube/go_text.h"

namespace kcache {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendUnicodeEscape(std::string& out, unsigned code) {
  out += "\\u";
  out += kHex[(code >> 12) & 0xf];
  out += kHex[(code >> 8) & 0xf];
  out += kHex[(code >> 4) & 0xf];
  out += kHex[code & 0xf];
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        // Go 1.22+ (kube-apiserver 1.37's toolchain) writes these two short forms as well.
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '<': case '>': case '&': AppendUnicodeEscape(out, c); break;
        default:
          if (c < 0x20) {
            AppendUnicodeEscape(out, c);
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    DecodedRune decoded = DecodeRune(text, i);
    if (decoded.width == 1 && decoded.rune == 0xFFFD) {
      out += "\\ufffd";
    } else if (decoded.rune == 0x2028 || decoded.rune == 0x2029) {
      AppendUnicodeEscape(out, decoded.rune);
    } else {
      out.append(text.substr(i, decoded.width));
    }
    i += decoded.width;
  }
  out += '"';
}

std::string JsonString(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  AppendJsonString(out, text);
  return out;
}

namespace {

constexpr char kUrlAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kStdAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::array<int, 256> ReverseAlphabet(const char* alphabet) {
  std::array<int, 256> table;
  table.fill(-1);
  for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(alphabet[i])] = i;
  return table;
}

bool Base64Decode(std::string_view text, const std::array<int, 256>& table, std::string& out) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return false;
  out.clear();
  out.reserve(text.size() * 3 / 4);
  unsigned buffer = 0;
  int bits = 0;
  for (char ch : text) {
    int v = table[static_cast<unsigned char>(ch)];
    if (v < 0) return false;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  // Go's strict decoding rejects non-zero trailing bits; so do we.
  return (buffer & ((1u << bits) - 1)) == 0;
}

}  // namespace

namespace {

std::string Base64Encode(std::string_view bytes, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto at = [&](size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    unsigned v = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    for (int shift = 18; shift >= 0; shift -= 6) out += alphabet[(v >> shift) & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned v = (at(i) << 16) | (rest == 2 ? at(i + 1) << 8 : 0);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    if (rest == 2) out += alphabet[(v >> 6) & 63];
    if (pad) out.append(3 - rest, '=');
  }
  return out;
}

}  // namespace

std::string Base64RawUrlEncode(std::string_view bytes) {
  return Base64Encode(bytes, kUrlAlphabet, /*pad=*/false);
}

std::string Base64StdEncode(std::string_view bytes) {
  return Base64Encode(bytes, kStdAlphabet, /*pad=*/true);
}

bool Base64RawUrlDecode(std::string_view text, std::string& out, size_t* error_offset) {
  // Go's decoder reads quanta of four alphabet characters, skipping '\n' and '\r'. The first
  // character outside the alphabet is the error; otherwise a final quantum of a single
  // character is, reported at the last input byte (whatever it is). Bits left over from a
  // final quantum of two or three characters are dropped, not checked.
  static const auto table = ReverseAlphabet(kUrlAlphabet);
  auto fail = [&](size_t offset) {
    if (error_offset != nullptr) *error_offset = offset;
    return false;
  };
  out.clear();
  out.reserve(text.size() * 3 / 4);
  unsigned buffer = 0;
  int bits = 0;
  size_t quantum = 0;  // characters of the current quantum read so far
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (ch == '\n' || ch == '\r') continue;
    int v = table[static_cast<unsigned char>(ch)];
    if (v < 0) return fail(i);
    quantum = (quantum + 1) % 4;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if (quantum == 1) return fail(text.size() - 1);
  return true;
}

bool Base64StdDecode(std::string_view text, std::string& out) {
  static const auto table = ReverseAlphabet(kStdAlphabet);
  std::string compact;
  for (char c : text) {
    if (c != '\n' && c != '\r' && c != ' ') compact += c;
  }
  return Base64Decode(compact, table, out);
}

}  // namespace kcache
