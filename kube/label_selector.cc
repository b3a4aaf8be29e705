#include "kube/label_selector.h"

#include "kube/go_text.h"

#include <algorithm>
#include <initializer_list>
#include <limits>
#include <optional>
#include <tuple>

// Behaviour follows k8s.io/apimachinery at Kubernetes 1.37 (checked against the v0.37.0-beta.0
// tag and master of July 2026):
//   pkg/labels/selector.go              lexer, parser, NewRequirement, Matches, String
//   pkg/api/validate/content/kube.go    IsLabelKey / IsLabelValue (label keys and values)
//   pkg/api/validate/content/dns.go     IsDNS1123Subdomain (the key prefix)
//   pkg/api/validate/content/errors.go  MaxLenError ("bytes" since 1.35), RegexError
//   pkg/util/validation/field/errors.go field.Invalid, ErrorList.ToAggregate
//   pkg/util/errors/errors.go           aggregate.Error ("[a, b]" for several errors)

namespace kcache {

namespace {

// ---- Validation messages (pkg/api/validate/content) ----------------------------------------

constexpr std::string_view kLabelKeyFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
constexpr std::string_view kLabelKeyErrMsg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character";
constexpr std::string_view kLabelValueFmt = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
constexpr std::string_view kLabelValueErrMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character";
constexpr std::string_view kDns1123SubdomainFmt =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
constexpr std::string_view kDns1123SubdomainErrMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character";
constexpr size_t kLabelKeyNameMaxLength = 63;
constexpr size_t kLabelValueMaxLength = 63;
constexpr size_t kDns1123SubdomainMaxLength = 253;

std::string MaxLenError(size_t length) {
  return "must be no more than " + std::to_string(length) + " bytes";
}

// content.RegexError: note the doubled space Go leaves after each example but the last.
std::string RegexError(std::string_view message, std::string_view regex,
                       std::initializer_list<std::string_view> examples) {
  std::string out(message);
  out += " (e.g. ";
  bool first = true;
  for (std::string_view example : examples) {
    if (!first) out += " or ";
    first = false;
    out += "'";
    out += example;
    out += "', ";
  }
  out += "regex used for validation is '";
  out += regex;
  out += "')";
  return out;
}

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// ^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$
bool MatchesLabelKeyName(std::string_view s) {
  if (s.empty() || !IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return IsAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

// ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
bool MatchesDns1123Subdomain(std::string_view s) {
  auto lower_alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view label = s.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty() || !lower_alnum(label.front()) || !lower_alnum(label.back())) return false;
    for (char c : label) {
      if (!lower_alnum(c) && c != '-') return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

std::vector<std::string> Dns1123SubdomainErrors(std::string_view value) {
  std::vector<std::string> errors;
  if (value.size() > kDns1123SubdomainMaxLength) {
    errors.push_back(MaxLenError(kDns1123SubdomainMaxLength));
  }
  if (!MatchesDns1123Subdomain(value)) {
    errors.push_back(RegexError(kDns1123SubdomainErrMsg, kDns1123SubdomainFmt, {"example.com"}));
  }
  return errors;
}

// content.IsLabelKey.
std::vector<std::string> LabelKeyErrors(std::string_view key) {
  std::vector<std::string> errors;
  std::string_view name = key;
  size_t slash = key.find('/');
  if (slash != std::string_view::npos) {
    if (key.find('/', slash + 1) != std::string_view::npos) {
      errors.push_back("a valid label key " +
                       RegexError(kLabelKeyErrMsg, kLabelKeyFmt, {"MyName", "my.name", "123-abc"}) +
                       " with an optional DNS subdomain prefix and '/' (e.g. "
                       "'example.com/MyName')");
      return errors;
    }
    std::string_view prefix = key.substr(0, slash);
    name = key.substr(slash + 1);
    if (prefix.empty()) {
      errors.push_back("prefix part must be non-empty");
    } else {
      for (std::string& message : Dns1123SubdomainErrors(prefix)) {
        errors.push_back("prefix part " + message);
      }
    }
  }
  if (name.empty()) {
    errors.push_back("name part must be non-empty");
  } else if (name.size() > kLabelKeyNameMaxLength) {
    errors.push_back("name part " + MaxLenError(kLabelKeyNameMaxLength));
  }
  if (!MatchesLabelKeyName(name)) {
    errors.push_back("name part " +
                     RegexError(kLabelKeyErrMsg, kLabelKeyFmt, {"MyName", "my.name", "123-abc"}));
  }
  return errors;
}

// content.IsLabelValue.
std::vector<std::string> LabelValueErrors(std::string_view value) {
  std::vector<std::string> errors;
  if (value.size() > kLabelValueMaxLength) errors.push_back(MaxLenError(kLabelValueMaxLength));
  if (!value.empty() && !MatchesLabelKeyName(value)) {
    errors.push_back(
        RegexError(kLabelValueErrMsg, kLabelValueFmt, {"MyValue", "my_value", "12345"}));
  }
  return errors;
}

std::string JoinErrors(const std::vector<std::string>& errors) {
  std::string out;
  for (const std::string& error : errors) {
    if (!out.empty()) out += "; ";
    out += error;
  }
  return out;
}

// field.Invalid(path, value, detail).Error() for a string value.
std::string InvalidValue(std::string_view path, std::string_view value, std::string_view detail) {
  std::string out(path);
  out += ": Invalid value: ";
  out += GoQuote(value);
  out += ": ";
  out += detail;
  return out;
}

// ErrorList.ToAggregate().Error(): duplicates dropped, one error bare, several as "[a, b]".
std::string Aggregate(const std::vector<std::string>& errors) {
  std::vector<std::string> unique;
  for (const std::string& error : errors) {
    if (std::find(unique.begin(), unique.end(), error) == unique.end()) unique.push_back(error);
  }
  if (unique.size() == 1) return unique.front();
  std::string out = "[";
  for (size_t i = 0; i < unique.size(); ++i) {
    if (i > 0) out += ", ";
    out += unique[i];
  }
  out += "]";
  return out;
}

// ---- Lexer (selector.go Lexer) -------------------------------------------------------------

enum class Token {
  kError,
  kEndOfString,
  kClosedPar,
  kComma,
  kDoesNotExist,
  kDoubleEquals,
  kEquals,
  kGreaterThan,
  kIdentifier,
  kIn,
  kLessThan,
  kNotEquals,
  kNotIn,
  kOpenPar,
};

struct ScannedItem {
  Token token = Token::kError;
  std::string literal;
};

std::optional<Token> LiteralToken(std::string_view literal) {
  static constexpr std::pair<std::string_view, Token> kTokens[] = {
      {")", Token::kClosedPar},     {",", Token::kComma},    {"!", Token::kDoesNotExist},
      {"==", Token::kDoubleEquals}, {"=", Token::kEquals},   {">", Token::kGreaterThan},
      {"in", Token::kIn},           {"<", Token::kLessThan}, {"!=", Token::kNotEquals},
      {"notin", Token::kNotIn},     {"(", Token::kOpenPar},
  };
  for (const auto& [text, token] : kTokens) {
    if (text == literal) return token;
  }
  return std::nullopt;
}

bool IsWhitespace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsSpecialSymbol(char c) {
  return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  ScannedItem Lex() {
    char c = SkipWhitespace(Read());
    // Go reads a NUL byte like the end of input: "a\x00b" stops at the NUL.
    if (c == 0) return {Token::kEndOfString, ""};
    Unread();
    return IsSpecialSymbol(c) ? ScanSpecialSymbol() : ScanIdentifierOrKeyword();
  }

 private:
  // Returns 0 past the end without advancing, like Go's Lexer.read.
  char Read() {
    if (pos_ >= text_.size()) return 0;
    return text_[pos_++];
  }
  void Unread() { --pos_; }

  char SkipWhitespace(char c) {
    while (IsWhitespace(c)) c = Read();
    return c;
  }

  ScannedItem ScanIdentifierOrKeyword() {
    std::string buffer;
    while (true) {
      char c = Read();
      if (c == 0) break;
      if (IsSpecialSymbol(c) || IsWhitespace(c)) {
        Unread();
        break;
      }
      buffer.push_back(c);
    }
    std::optional<Token> keyword = LiteralToken(buffer);
    if (keyword) return {*keyword, buffer};
    return {Token::kIdentifier, std::move(buffer)};
  }

  // The longest run of special symbols that still forms a token: "!=" but "=" then "(" for "=(".
  ScannedItem ScanSpecialSymbol() {
    ScannedItem last;
    std::string buffer;
    while (true) {
      char c = Read();
      if (c == 0) break;
      if (!IsSpecialSymbol(c)) {
        Unread();
        break;
      }
      buffer.push_back(c);
      if (std::optional<Token> token = LiteralToken(buffer)) {
        last = {*token, buffer};
      } else if (last.token != Token::kError) {
        Unread();
        break;
      }
    }
    // Unreachable with today's token table (every special symbol is a token on its own), kept
    // for parity with Go.
    if (last.token == Token::kError) {
      return {Token::kError, "error expected: keyword found '" + buffer + "'"};
    }
    return last;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

// ---- Parser (selector.go Parser) -----------------------------------------------------------

// In the Values context "in" and "notin" are plain identifiers: "in in (in)" is valid.
enum class Context { kKeyAndOperator, kValues };

class Parser {
 public:
  explicit Parser(std::string_view text) {
    Lexer lexer(text);
    while (true) {
      items_.push_back(lexer.Lex());
      if (items_.back().token == Token::kEndOfString) break;
    }
  }

  // Returns the requirements or the error text (without the BadRequest wrapping).
  bool Parse(std::vector<LabelRequirement>& out, std::string& error) {
    while (true) {
      auto [token, literal] = Lookahead(Context::kValues);
      switch (token) {
        case Token::kIdentifier:
        case Token::kDoesNotExist: {
          LabelRequirement requirement;
          if (!ParseRequirement(requirement, error)) {
            error = "unable to parse requirement: " + error;
            return false;
          }
          out.push_back(std::move(requirement));
          auto [next, next_literal] = Consume(Context::kValues);
          if (next == Token::kEndOfString) return true;
          if (next == Token::kComma) {
            auto [after, after_literal] = Lookahead(Context::kValues);
            if (after != Token::kIdentifier && after != Token::kDoesNotExist) {
              error = "found '" + after_literal + "', expected: identifier after ','";
              return false;
            }
            break;
          }
          error = "found '" + next_literal + "', expected: ',' or 'end of string'";
          return false;
        }
        case Token::kEndOfString: return true;
        default:
          error = "found '" + literal + "', expected: !, identifier, or 'end of string'";
          return false;
      }
    }
  }

 private:
  std::pair<Token, std::string> Lookahead(Context context) const {
    const ScannedItem& item = items_[std::min(position_, items_.size() - 1)];
    return {Contextual(item.token, context), item.literal};
  }

  std::pair<Token, std::string> Consume(Context context) {
    auto result = Lookahead(context);
    // Go would index past the end after consuming the end token; no input gets there, and
    // here the end token simply repeats.
    position_ = std::min(position_ + 1, items_.size());
    return result;
  }

  static Token Contextual(Token token, Context context) {
    if (context == Context::kValues && (token == Token::kIn || token == Token::kNotIn)) {
      return Token::kIdentifier;
    }
    return token;
  }

  bool ParseRequirement(LabelRequirement& out, std::string& error) {
    std::optional<LabelOperator> op;
    if (!ParseKeyAndInferOperator(out.key, op, error)) return false;
    std::vector<std::string> values;
    if (op == LabelOperator::kExists || op == LabelOperator::kDoesNotExist) {
      out.op = *op;
      return NewRequirement(out, values, error);
    }
    LabelOperator binary;
    if (!ParseOperator(binary, error)) return false;
    bool ok = (binary == LabelOperator::kIn || binary == LabelOperator::kNotIn)
                  ? ParseValues(values, error)
                  : ParseExactValue(values, error);
    if (!ok) return false;
    out.op = binary;
    return NewRequirement(out, values, error);
  }

  // A bare key (followed by end or ',') is Exists; "!key" is DoesNotExist whatever follows.
  bool ParseKeyAndInferOperator(std::string& key, std::optional<LabelOperator>& op,
                                std::string& error) {
    auto [token, literal] = Consume(Context::kValues);
    if (token == Token::kDoesNotExist) {
      op = LabelOperator::kDoesNotExist;
      std::tie(token, literal) = Consume(Context::kValues);
    }
    if (token != Token::kIdentifier) {
      error = "found '" + literal + "', expected: identifier";
      return false;
    }
    // The parser validates the key with a nil field path, which Go prints as "<nil>".
    if (std::vector<std::string> errors = LabelKeyErrors(literal); !errors.empty()) {
      error = InvalidValue("<nil>", literal, JoinErrors(errors));
      return false;
    }
    auto [next, next_literal] = Lookahead(Context::kValues);
    if ((next == Token::kEndOfString || next == Token::kComma) && !op) {
      op = LabelOperator::kExists;
    }
    key = std::move(literal);
    return true;
  }

  bool ParseOperator(LabelOperator& op, std::string& error) {
    auto [token, literal] = Consume(Context::kKeyAndOperator);
    switch (token) {
      case Token::kIn: op = LabelOperator::kIn; return true;
      case Token::kEquals: op = LabelOperator::kEquals; return true;
      case Token::kDoubleEquals: op = LabelOperator::kDoubleEquals; return true;
      case Token::kGreaterThan: op = LabelOperator::kGreaterThan; return true;
      case Token::kLessThan: op = LabelOperator::kLessThan; return true;
      case Token::kNotIn: op = LabelOperator::kNotIn; return true;
      case Token::kNotEquals: op = LabelOperator::kNotEquals; return true;
      default:
        error = "found '" + literal + "', expected: in, notin, =, ==, !=, gt, lt";
        return false;
    }
  }

  // "(a,b)"; "()" is the set {""}, and empty entries such as "(a,)" add "".
  bool ParseValues(std::vector<std::string>& values, std::string& error) {
    auto [token, literal] = Consume(Context::kValues);
    if (token != Token::kOpenPar) {
      error = "found '" + literal + "' expected: '('";
      return false;
    }
    auto [next, next_literal] = Lookahead(Context::kValues);
    switch (next) {
      case Token::kIdentifier:
      case Token::kComma:
        if (!ParseIdentifiersList(values, error)) return false;
        // ParseIdentifiersList only succeeds on ')', so this mirrors an unreachable Go check.
        if (Consume(Context::kValues).first != Token::kClosedPar) {
          error = "found '" + next_literal + "', expected: ')'";
          return false;
        }
        return true;
      case Token::kClosedPar:
        Consume(Context::kValues);
        values.push_back("");
        return true;
      default:
        error = "found '" + next_literal + "', expected: ',', ')' or identifier";
        return false;
    }
  }

  bool ParseIdentifiersList(std::vector<std::string>& values, std::string& error) {
    while (true) {
      auto [token, literal] = Consume(Context::kValues);
      switch (token) {
        case Token::kIdentifier: {
          values.push_back(literal);
          auto [next, next_literal] = Lookahead(Context::kValues);
          if (next == Token::kComma) continue;
          if (next == Token::kClosedPar) return true;
          error = "found '" + next_literal + "', expected: ',' or ')'";
          return false;
        }
        case Token::kComma: {
          if (values.empty()) values.push_back("");  // "(,"
          Token next = Lookahead(Context::kValues).first;
          if (next == Token::kClosedPar) {
            values.push_back("");  // ",)"
            return true;
          }
          if (next == Token::kComma) values.push_back("");  // ",,"
          continue;
        }
        default: error = "found '" + literal + "', expected: ',', or identifier"; return false;
      }
    }
  }

  // "a=" (end or ',' right after the operator) selects the empty value.
  bool ParseExactValue(std::vector<std::string>& values, std::string& error) {
    Token next = Lookahead(Context::kValues).first;
    if (next == Token::kEndOfString || next == Token::kComma) {
      values.push_back("");
      return true;
    }
    auto [token, literal] = Consume(Context::kValues);
    if (token == Token::kIdentifier) {
      values.push_back(std::move(literal));
      return true;
    }
    error = "found '" + literal + "', expected: identifier";
    return false;
  }

  // NewRequirement's checks, reached with a key the parser already validated. Values arrive
  // as Go's sets.String.List(): sorted and unique, which fixes the index in "values[i][key]".
  static bool NewRequirement(LabelRequirement& requirement, std::vector<std::string>& values,
                             std::string& error) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    std::vector<std::string> errors;
    if (requirement.op == LabelOperator::kGreaterThan ||
        requirement.op == LabelOperator::kLessThan) {
      for (size_t i = 0; i < values.size(); ++i) {
        int64_t ignored = 0;
        if (!ParseGoInt64(values[i], ignored)) {
          errors.push_back(InvalidValue("values[" + std::to_string(i) + "]", values[i],
                                        "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      }
    }
    for (size_t i = 0; i < values.size(); ++i) {
      if (std::vector<std::string> value_errors = LabelValueErrors(values[i]);
          !value_errors.empty()) {
        errors.push_back(InvalidValue("values[" + std::to_string(i) + "][" + requirement.key + "]",
                                      values[i], JoinErrors(value_errors)));
      }
    }
    if (!errors.empty()) {
      error = Aggregate(errors);
      return false;
    }
    requirement.values = std::move(values);
    return true;
  }

  std::vector<ScannedItem> items_;
  size_t position_ = 0;
};

const std::string* Lookup(const Labels& labels, std::string_view key) {
  auto it = std::lower_bound(labels.begin(), labels.end(), key,
                             [](const auto& label, std::string_view k) { return label.first < k; });
  if (it == labels.end() || it->first != key) return nullptr;
  return &it->second;
}

}  // namespace

bool LabelRequirement::Matches(const Labels& labels) const {
  const std::string* value = Lookup(labels, key);
  auto has_value = [&] { return std::find(values.begin(), values.end(), *value) != values.end(); };
  switch (op) {
    case LabelOperator::kIn:
    case LabelOperator::kEquals:
    case LabelOperator::kDoubleEquals: return value != nullptr && has_value();
    case LabelOperator::kNotIn:
    case LabelOperator::kNotEquals: return value == nullptr || !has_value();
    case LabelOperator::kExists: return value != nullptr;
    case LabelOperator::kDoesNotExist: return value == nullptr;
    case LabelOperator::kGreaterThan:
    case LabelOperator::kLessThan: {
      // A label that is not an int64 never matches (Go logs and returns false).
      int64_t label_number = 0, wanted = 0;
      if (value == nullptr || values.size() != 1 || !ParseGoInt64(*value, label_number) ||
          !ParseGoInt64(values.front(), wanted)) {
        return false;
      }
      return op == LabelOperator::kGreaterThan ? label_number > wanted : label_number < wanted;
    }
  }
  return false;
}

std::string LabelRequirement::String() const {
  std::string out;
  if (op == LabelOperator::kDoesNotExist) out += "!";
  out += key;
  switch (op) {
    case LabelOperator::kEquals: out += "="; break;
    case LabelOperator::kDoubleEquals: out += "=="; break;
    case LabelOperator::kNotEquals: out += "!="; break;
    case LabelOperator::kIn: out += " in "; break;
    case LabelOperator::kNotIn: out += " notin "; break;
    case LabelOperator::kGreaterThan: out += ">"; break;
    case LabelOperator::kLessThan: out += "<"; break;
    case LabelOperator::kExists:
    case LabelOperator::kDoesNotExist: return out;
  }
  bool set = op == LabelOperator::kIn || op == LabelOperator::kNotIn;
  if (set) out += "(";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ",";
    out += values[i];
  }
  if (set) out += ")";
  return out;
}

boost::system::result<LabelSelector, std::string> LabelSelector::Parse(std::string_view text) {
  std::vector<LabelRequirement> requirements;
  std::string error;
  Parser parser(text);
  if (!parser.Parse(requirements, error)) {
    return boost::system::result<LabelSelector, std::string>(boost::system::in_place_error,
                                                             std::move(error));
  }
  // Go sorts by key (sort.Sort, stable for the short lists selectors have); this only shows
  // in String().
  std::stable_sort(
      requirements.begin(), requirements.end(),
      [](const LabelRequirement& a, const LabelRequirement& b) { return a.key < b.key; });
  return LabelSelector(std::move(requirements));
}

bool LabelSelector::Matches(const Labels& labels) const {
  return std::all_of(requirements_.begin(), requirements_.end(),
                     [&](const LabelRequirement& r) { return r.Matches(labels); });
}

std::string LabelSelector::String() const {
  std::string out;
  for (size_t i = 0; i < requirements_.size(); ++i) {
    if (i > 0) out += ",";
    out += requirements_[i].String();
  }
  return out;
}

}  // namespace kcache
