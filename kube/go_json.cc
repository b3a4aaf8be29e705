#include "kube/go_json.h"

#include <vector>

#include "kube/go_text.h"

namespace kcache {
namespace {

bool IsJsonSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(unsigned char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Go refuses documents nested deeper than this many arrays and objects.
constexpr size_t kMaxNesting = 10000;

// A byte-at-a-time JSON syntax checker whose states and error texts follow Go's scanner: an
// error names the first byte that cannot continue the document and what was expected there.
// At the end of input one space is fed, so an unfinished number or literal reports
// "invalid character ' ' ..." exactly as Go does, and anything else unfinished reports
// "unexpected end of JSON input".
class SyntaxChecker {
 public:
  // Returns false once the document is known to be invalid.
  bool Feed(unsigned char c) {
    if (failed_) return false;
    Step(state_, c);
    return !failed_;
  }

  std::string Finish() {
    if (failed_) return error_;
    if (done_) return "";
    Step(state_, ' ');
    if (done_ && !failed_) return "";
    if (failed_) return error_;
    return "unexpected end of JSON input";
  }

 private:
  enum class State {
    kValueOrArrayEnd,  // after '['
    kValue,
    kKeyOrObjectEnd,  // after '{'
    kKey,             // after ','  in an object
    kAfterValue,
    kAfterTop,
    kString,
    kStringEscape,
    kUnicode0,
    kUnicode1,
    kUnicode2,
    kUnicode3,
    kMinus,
    kIntDigits,  // a non-zero leading digit was read
    kZero,       // the integer part is "0"
    kDot,
    kFraction,
    kExponentMark,
    kExponentSign,
    kExponentDigits,
    kLiteral,  // inside true/false/null; see literal_ and literal_pos_
    kFailed,
  };
  enum class Frame : unsigned char { kObjectKey, kObjectValue, kArrayValue };

  void Fail(unsigned char c, std::string_view context) {
    failed_ = true;
    state_ = State::kFailed;
    error_ = "invalid character " + GoJsonQuoteChar(c) + " " + std::string(context);
  }

  void Push(unsigned char c, Frame frame, State next) {
    stack_.push_back(frame);
    state_ = next;
    if (stack_.size() > kMaxNesting) Fail(c, "exceeded max depth");
  }

  void Pop() {
    stack_.pop_back();
    if (stack_.empty()) {
      state_ = State::kAfterTop;
      done_ = true;
    } else {
      state_ = State::kAfterValue;
    }
  }

  void BeginLiteral(std::string_view word) {
    literal_ = word;
    literal_pos_ = 1;
    state_ = State::kLiteral;
  }

  void Step(State state, unsigned char c) {
    switch (state) {
      case State::kValueOrArrayEnd:
        if (IsJsonSpace(c)) return;
        if (c == ']') return Step(State::kAfterValue, c);
        return Step(State::kValue, c);

      case State::kValue:
        if (IsJsonSpace(c)) return;
        switch (c) {
          case '{': return Push(c, Frame::kObjectKey, State::kKeyOrObjectEnd);
          case '[': return Push(c, Frame::kArrayValue, State::kValueOrArrayEnd);
          case '"': state_ = State::kString; return;
          case '-': state_ = State::kMinus; return;
          case '0': state_ = State::kZero; return;
          case 't': return BeginLiteral("true");
          case 'f': return BeginLiteral("false");
          case 'n': return BeginLiteral("null");
          default: break;
        }
        if (c >= '1' && c <= '9') {
          state_ = State::kIntDigits;
          return;
        }
        return Fail(c, "looking for beginning of value");

      case State::kKeyOrObjectEnd:
        if (IsJsonSpace(c)) return;
        if (c == '}') {
          stack_.back() = Frame::kObjectValue;
          return Step(State::kAfterValue, c);
        }
        return Step(State::kKey, c);

      case State::kKey:
        if (IsJsonSpace(c)) return;
        if (c == '"') {
          state_ = State::kString;
          return;
        }
        return Fail(c, "looking for beginning of object key string");

      case State::kAfterValue: {
        if (stack_.empty()) {
          state_ = State::kAfterTop;
          done_ = true;
          return Step(State::kAfterTop, c);
        }
        if (IsJsonSpace(c)) {
          state_ = State::kAfterValue;
          return;
        }
        Frame& top = stack_.back();
        switch (top) {
          case Frame::kObjectKey:
            if (c == ':') {
              top = Frame::kObjectValue;
              state_ = State::kValue;
              return;
            }
            return Fail(c, "after object key");
          case Frame::kObjectValue:
            if (c == ',') {
              top = Frame::kObjectKey;
              state_ = State::kKey;
              return;
            }
            if (c == '}') return Pop();
            return Fail(c, "after object key:value pair");
          case Frame::kArrayValue:
            if (c == ',') {
              state_ = State::kValue;
              return;
            }
            if (c == ']') return Pop();
            return Fail(c, "after array element");
        }
        return;
      }

      case State::kAfterTop:
        if (!IsJsonSpace(c)) Fail(c, "after top-level value");
        return;

      case State::kString:
        if (c == '"') {
          state_ = State::kAfterValue;
        } else if (c == '\\') {
          state_ = State::kStringEscape;
        } else if (c < 0x20) {
          Fail(c, "in string literal");
        }
        return;

      case State::kStringEscape:
        switch (c) {
          case 'b': case 'f': case 'n': case 'r': case 't': case '\\': case '/': case '"':
            state_ = State::kString;
            return;
          case 'u':
            state_ = State::kUnicode0;
            return;
          default:
            return Fail(c, "in string escape code");
        }

      case State::kUnicode0:
      case State::kUnicode1:
      case State::kUnicode2:
      case State::kUnicode3:
        if (!IsHexDigit(c)) return Fail(c, "in \\u hexadecimal character escape");
        state_ = state == State::kUnicode0   ? State::kUnicode1
                 : state == State::kUnicode1 ? State::kUnicode2
                 : state == State::kUnicode2 ? State::kUnicode3
                                             : State::kString;
        return;

      case State::kMinus:
        if (c == '0') {
          state_ = State::kZero;
        } else if (c >= '1' && c <= '9') {
          state_ = State::kIntDigits;
        } else {
          Fail(c, "in numeric literal");
        }
        return;

      case State::kIntDigits:
        if (IsDigit(c)) return;
        return Step(State::kZero, c);

      case State::kZero:
        if (c == '.') {
          state_ = State::kDot;
          return;
        }
        if (c == 'e' || c == 'E') {
          state_ = State::kExponentMark;
          return;
        }
        return Step(State::kAfterValue, c);

      case State::kDot:
        if (IsDigit(c)) {
          state_ = State::kFraction;
          return;
        }
        return Fail(c, "after decimal point in numeric literal");

      case State::kFraction:
        if (IsDigit(c)) return;
        if (c == 'e' || c == 'E') {
          state_ = State::kExponentMark;
          return;
        }
        return Step(State::kAfterValue, c);

      case State::kExponentMark:
        if (c == '+' || c == '-') {
          state_ = State::kExponentSign;
          return;
        }
        return Step(State::kExponentSign, c);

      case State::kExponentSign:
        if (IsDigit(c)) {
          state_ = State::kExponentDigits;
          return;
        }
        return Fail(c, "in exponent of numeric literal");

      case State::kExponentDigits:
        if (IsDigit(c)) return;
        return Step(State::kAfterValue, c);

      case State::kLiteral: {
        char expected = literal_[literal_pos_];
        if (c != static_cast<unsigned char>(expected)) {
          return Fail(c, "in literal " + std::string(literal_) + " (expecting '" +
                             std::string(1, expected) + "')");
        }
        if (++literal_pos_ == literal_.size()) state_ = State::kAfterValue;
        return;
      }

      case State::kFailed:
        return;
    }
  }

  State state_ = State::kValue;
  std::vector<Frame> stack_;
  std::string_view literal_;
  size_t literal_pos_ = 0;
  bool done_ = false;  // a complete top-level value has been read
  bool failed_ = false;
  std::string error_;
};

int HexValue(unsigned char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of a "\uXXXX" escape at `pos`, or -1 when there is none.
long UnicodeEscapeAt(std::string_view text, size_t pos) {
  if (pos + 6 > text.size() || text[pos] != '\\' || text[pos + 1] != 'u') return -1;
  long value = 0;
  for (size_t i = pos + 2; i < pos + 6; ++i) {
    int digit = HexValue(static_cast<unsigned char>(text[i]));
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

// Reads a document that GoJsonSyntaxError accepted.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  void SkipSpace() {
    while (pos_ < data_.size() && IsJsonSpace(static_cast<unsigned char>(data_[pos_]))) ++pos_;
  }
  char Peek() const { return pos_ < data_.size() ? data_[pos_] : '\0'; }
  void Advance() { ++pos_; }

  // The string literal at the cursor, quotes included.
  std::string_view String() {
    size_t start = pos_++;
    while (data_[pos_] != '"') pos_ += data_[pos_] == '\\' ? 2 : 1;
    ++pos_;
    return data_.substr(start, pos_ - start);
  }

  // The number, true, false or null at the cursor.
  std::string_view Word() {
    size_t start = pos_;
    while (pos_ < data_.size()) {
      char c = data_[pos_];
      bool word_char = IsDigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'z') ||
                       (c >= 'A' && c <= 'Z') || c == '.' || c == '+' || c == '-';
      if (!word_char) break;
      ++pos_;
    }
    return data_.substr(start, pos_ - start);
  }

  // Skips one value of any depth.
  void SkipValue() {
    size_t depth = 0;
    do {
      SkipSpace();
      char c = Peek();
      if (c == '"') {
        String();
      } else if (c == '{' || c == '[') {
        ++depth;
        ++pos_;
      } else if (c == '}' || c == ']') {
        --depth;
        ++pos_;
      } else if (c == ',' || c == ':') {
        ++pos_;
      } else {
        Word();
      }
    } while (depth > 0);
  }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

// How Go's decoder names a JSON value that does not fit the Go type.
std::string_view KindName(char first) {
  switch (first) {
    case '"': return "string";
    case '{': return "object";
    case '[': return "array";
    case 't': case 'f': return "bool";
    case 'n': return "null";
    default: return "number";
  }
}

enum class Field { kNone, kVersion, kResourceVersion, kStart };

// Go matches object keys to field names exactly or, failing that, by comparing both folded:
// ASCII letters upper-cased and every other code point mapped to the smallest member of its
// simple case-folding orbit. The only non-ASCII code points that fold onto ASCII letters are
// U+017F (long s, onto 'S') and U+212A (Kelvin sign, onto 'K').
Field MatchField(std::string_view key) {
  std::string folded;
  for (size_t i = 0; i < key.size();) {
    unsigned char c = static_cast<unsigned char>(key[i]);
    if (c < 0x80) {
      folded += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : static_cast<char>(c);
      ++i;
      continue;
    }
    DecodedRune decoded = DecodeRune(key, i);
    i += decoded.width;
    if (decoded.rune == 0x17F) {
      folded += 'S';
    } else if (decoded.rune == 0x212A) {
      folded += 'K';
    } else {
      return Field::kNone;  // folds to a non-ASCII code point; no field name has one
    }
  }
  if (folded == "V") return Field::kVersion;
  if (folded == "RV") return Field::kResourceVersion;
  if (folded == "START") return Field::kStart;
  return Field::kNone;
}

constexpr std::string_view kGoTypeName = "storage.continueToken";

}  // namespace

std::string GoJsonQuoteChar(unsigned char c) {
  if (c == '\'') return R"('\'')";
  if (c == '"') return R"('"')";
  std::string text;
  AppendUtf8(text, c);
  std::string quoted = GoQuote(text);
  return "'" + quoted.substr(1, quoted.size() - 2) + "'";
}

std::string GoJsonSyntaxError(std::string_view data) {
  SyntaxChecker checker;
  for (char c : data) {
    if (!checker.Feed(static_cast<unsigned char>(c))) break;
  }
  return checker.Finish();
}

std::string GoJsonUnquote(std::string_view literal) {
  std::string_view body = literal.substr(1, literal.size() - 2);
  std::string out;
  out.reserve(body.size());
  size_t i = 0;
  while (i < body.size()) {
    unsigned char c = static_cast<unsigned char>(body[i]);
    if (c == '\\') {
      char escape = body[i + 1];
      switch (escape) {
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          long unit = UnicodeEscapeAt(body, i);
          i += 6;
          char32_t rune = static_cast<char32_t>(unit);
          if (unit >= 0xD800 && unit <= 0xDFFF) {
            long low = UnicodeEscapeAt(body, i);
            if (unit < 0xDC00 && low >= 0xDC00 && low <= 0xDFFF) {
              rune = static_cast<char32_t>(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
              i += 6;
            } else {
              rune = 0xFFFD;  // the next escape, if any, is read on its own
            }
          }
          AppendUtf8(out, rune);
          continue;
        }
        default: out += escape; break;  // '"', '\\', '/'
      }
      i += 2;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else {
      DecodedRune decoded = DecodeRune(body, i);
      AppendUtf8(out, decoded.rune);
      i += decoded.width;
    }
  }
  return out;
}

std::string GoJsonUnmarshalContinueToken(std::string_view data, GoContinueToken& token) {
  token = GoContinueToken{};
  if (std::string error = GoJsonSyntaxError(data); !error.empty()) return error;

  Reader reader(data);
  reader.SkipSpace();
  char first = reader.Peek();
  if (first == 'n') return "";  // null leaves the token untouched
  if (first != '{') {
    return "json: cannot unmarshal " + std::string(KindName(first)) + " into Go value of type " +
           std::string(kGoTypeName);
  }

  // Go records the first type error and keeps decoding; later fields are still assigned, but
  // only that error is returned.
  std::string type_error;
  auto mismatch = [&](std::string_view value, std::string_view field, std::string_view type) {
    if (!type_error.empty()) return;
    type_error = "json: cannot unmarshal " + std::string(value) + " into Go struct field " +
                 "continueToken." + std::string(field) + " of type " + std::string(type);
  };

  reader.Advance();  // '{'
  reader.SkipSpace();
  if (reader.Peek() == '}') return "";
  while (true) {
    reader.SkipSpace();
    Field field = MatchField(GoJsonUnquote(reader.String()));
    reader.SkipSpace();
    reader.Advance();  // ':'
    reader.SkipSpace();
    char kind = reader.Peek();
    switch (field) {
      case Field::kNone:
        reader.SkipValue();
        break;
      case Field::kVersion:
      case Field::kStart: {
        std::string_view name = field == Field::kVersion ? "v" : "start";
        std::string& target = field == Field::kVersion ? token.api_version : token.start_key;
        if (kind == '"') {
          target = GoJsonUnquote(reader.String());
        } else {
          if (kind != 'n') mismatch(KindName(kind), name, "string");
          reader.SkipValue();
        }
        break;
      }
      case Field::kResourceVersion:
        if (kind == '-' || IsDigit(static_cast<unsigned char>(kind))) {
          std::string_view number = reader.Word();
          int64_t value = 0;
          if (ParseGoInt64(number, value)) {
            token.resource_version = value;
          } else {
            mismatch("number " + std::string(number), "rv", "int64");
          }
        } else {
          if (kind != 'n') mismatch(KindName(kind), "rv", "int64");
          reader.SkipValue();
        }
        break;
    }
    reader.SkipSpace();
    char separator = reader.Peek();
    reader.Advance();
    if (separator == '}') break;
  }
  return type_error;
}

}  // namespace kcache
