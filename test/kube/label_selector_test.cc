#include "kube/label_selector.h"
#include "kube/go_text.h"

#include <gtest/gtest.h>

#include <string>

// Expected texts are kube-apiserver 1.37's (k8s.io/apimachinery pkg/labels/selector.go and
// pkg/api/validate/content); they were cross-checked by running the Go parser on the same
// inputs.

namespace kcache {
namespace {

constexpr std::string_view kKeyNameRegexError =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
constexpr std::string_view kValueRegexError =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
constexpr std::string_view kPrefixRegexError =
    "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
    "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
    "'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

// The parse error, or "" when the text parses.
std::string ErrorOf(std::string_view text) {
  auto parsed = LabelSelector::Parse(text);
  return parsed ? std::string() : parsed.error();
}

// The canonical form of a selector that must parse.
std::string Canonical(std::string_view text) {
  auto parsed = LabelSelector::Parse(text);
  EXPECT_TRUE(parsed.has_value()) << text << ": " << (parsed ? "" : parsed.error());
  return parsed ? parsed->String() : "<error>";
}

bool Matches(std::string_view text, const Labels& labels) {
  auto parsed = LabelSelector::Parse(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed && parsed->Matches(labels);
}

std::string KeyError(std::string_view key, std::string_view detail) {
  return "unable to parse requirement: <nil>: Invalid value: \"" + std::string(key) +
         "\": " + std::string(detail);
}

// ---- Grammar --------------------------------------------------------------------------------

TEST(LabelSelectorTest, EmptyTextSelectsEverything) {
  auto parsed = LabelSelector::Parse("");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_TRUE(parsed->Empty());
  EXPECT_TRUE(parsed->Matches({}));
  EXPECT_TRUE(parsed->Matches({{"a", "b"}}));
}

TEST(LabelSelectorTest, WhitespaceOnlyIsEmpty) {
  auto parsed = LabelSelector::Parse(" \t\r\n ");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_TRUE(parsed->Empty());
}

TEST(LabelSelectorTest, DefaultConstructedSelectorIsEmpty) {
  LabelSelector selector;
  EXPECT_TRUE(selector.Empty());
  EXPECT_TRUE(selector.Matches({{"x", "y"}}));
}

TEST(LabelSelectorTest, ParsesEveryOperator) {
  auto parsed = LabelSelector::Parse("a=1,b==2,c!=3,d in (4),e notin (5),f,!g,h>6,i<7");
  ASSERT_TRUE(parsed.has_value());
  const auto& r = parsed->Requirements();
  ASSERT_EQ(r.size(), 9u);
  EXPECT_EQ(r[0].op, LabelOperator::kEquals);
  EXPECT_EQ(r[1].op, LabelOperator::kDoubleEquals);
  EXPECT_EQ(r[2].op, LabelOperator::kNotEquals);
  EXPECT_EQ(r[3].op, LabelOperator::kIn);
  EXPECT_EQ(r[4].op, LabelOperator::kNotIn);
  EXPECT_EQ(r[5].op, LabelOperator::kExists);
  EXPECT_EQ(r[6].op, LabelOperator::kDoesNotExist);
  EXPECT_EQ(r[7].op, LabelOperator::kGreaterThan);
  EXPECT_EQ(r[8].op, LabelOperator::kLessThan);
  EXPECT_EQ(parsed->String(), "a=1,b==2,c!=3,d in (4),e notin (5),f,!g,h>6,i<7");
}

TEST(LabelSelectorTest, SortsRequirementsByKey) {
  EXPECT_EQ(Canonical("b=1,a=2"), "a=2,b=1");
  EXPECT_EQ(Canonical("z,!y,x in (1)"), "x in (1),!y,z");
}

TEST(LabelSelectorTest, SkipsWhitespaceBetweenTokens) {
  EXPECT_EQ(Canonical("  a  =  b , c\tin\t( x ,\ny ) "), "a=b,c in (x,y)");
  EXPECT_EQ(Canonical("! a"), "!a");
}

TEST(LabelSelectorTest, SetValuesAreSortedAndDeduplicated) {
  auto parsed = LabelSelector::Parse("a in (z,b,z)");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->Requirements()[0].values, (std::vector<std::string>{"b", "z"}));
  EXPECT_EQ(parsed->String(), "a in (b,z)");
}

TEST(LabelSelectorTest, EmptyParenthesesMeanTheEmptyValue) {
  auto parsed = LabelSelector::Parse("a in ()");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->Requirements()[0].values, (std::vector<std::string>{""}));
}

TEST(LabelSelectorTest, EmptySetEntriesAddTheEmptyValue) {
  EXPECT_EQ(Canonical("a in (,)"), "a in ()");
  EXPECT_EQ(Canonical("a in (b,)"), "a in (,b)");
  EXPECT_EQ(Canonical("a in (,b)"), "a in (,b)");
  EXPECT_EQ(Canonical("a in (b,,c)"), "a in (,b,c)");
  EXPECT_EQ(Canonical("x in (foo,,baz),y,z notin ()"), "x in (,baz,foo),y,z notin ()");
}

TEST(LabelSelectorTest, EqualsWithoutValueSelectsEmptyValue) {
  EXPECT_EQ(Canonical("a="), "a=");
  EXPECT_EQ(Canonical("a==,b"), "a==,b");
  EXPECT_EQ(Canonical("a!="), "a!=");
}

TEST(LabelSelectorTest, InAndNotinAreIdentifiersWhereValuesAreExpected) {
  EXPECT_EQ(Canonical("in in (in)"), "in in (in)");
  EXPECT_EQ(Canonical("notin notin (notin)"), "notin notin (notin)");
  EXPECT_EQ(Canonical("a=in"), "a=in");
}

TEST(LabelSelectorTest, AcceptsPrefixedKeys) {
  EXPECT_EQ(Canonical("app.kubernetes.io/name=web"), "app.kubernetes.io/name=web");
  EXPECT_EQ(Canonical("!k8s.io/x"), "!k8s.io/x");
}

TEST(LabelSelectorTest, AcceptsMaximumLengths) {
  std::string prefix(253, 'p');
  std::string name(63, 'n');
  std::string value(63, 'v');
  EXPECT_EQ(ErrorOf(prefix + "/" + name + "=" + value), "");
}

TEST(LabelSelectorTest, NulByteEndsTheInput) {
  // Go's lexer reads a NUL byte as the end of input.
  EXPECT_EQ(Canonical(std::string_view("a \0b", 4)), "a");
}

TEST(LabelSelectorTest, NegatedKeyIgnoresWhatFollowsUntilTheSeparator) {
  EXPECT_EQ(ErrorOf("!a=b"), "found '=', expected: ',' or 'end of string'");
}

// ---- Syntax errors --------------------------------------------------------------------------

TEST(LabelSelectorTest, MissingOperatorError) {
  EXPECT_EQ(ErrorOf("a b"),
            "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
  EXPECT_EQ(ErrorOf("a ("),
            "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt");
  EXPECT_EQ(ErrorOf("a!b"),
            "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt");
}

TEST(LabelSelectorTest, TrailingCommaError) {
  EXPECT_EQ(ErrorOf("a,"), "found '', expected: identifier after ','");
  EXPECT_EQ(ErrorOf("a,,b"), "found ',', expected: identifier after ','");
}

TEST(LabelSelectorTest, SetWithoutParenthesisError) {
  EXPECT_EQ(ErrorOf("a in b"), "unable to parse requirement: found 'b' expected: '('");
  EXPECT_EQ(ErrorOf("a in"), "unable to parse requirement: found '' expected: '('");
  EXPECT_EQ(ErrorOf("a notin"), "unable to parse requirement: found '' expected: '('");
}

TEST(LabelSelectorTest, UnterminatedSetError) {
  EXPECT_EQ(ErrorOf("a in (x"), "unable to parse requirement: found '', expected: ',' or ')'");
  EXPECT_EQ(ErrorOf("a in (b c)"), "unable to parse requirement: found 'c', expected: ',' or ')'");
  EXPECT_EQ(ErrorOf("a in (b,"),
            "unable to parse requirement: found '', expected: ',', or identifier");
  EXPECT_EQ(ErrorOf("a in (b,=)"),
            "unable to parse requirement: found '=', expected: ',', or identifier");
}

TEST(LabelSelectorTest, OperatorInsideSetError) {
  EXPECT_EQ(ErrorOf("a in (="),
            "unable to parse requirement: found '=', expected: ',', ')' or identifier");
  EXPECT_EQ(ErrorOf("a in ("),
            "unable to parse requirement: found '', expected: ',', ')' or identifier");
}

TEST(LabelSelectorTest, LeadingOperatorError) {
  EXPECT_EQ(ErrorOf("=x"), "found '=', expected: !, identifier, or 'end of string'");
  EXPECT_EQ(ErrorOf(","), "found ',', expected: !, identifier, or 'end of string'");
  EXPECT_EQ(ErrorOf("(a)"), "found '(', expected: !, identifier, or 'end of string'");
  EXPECT_EQ(ErrorOf("!=a"), "found '!=', expected: !, identifier, or 'end of string'");
}

TEST(LabelSelectorTest, BangWithoutKeyError) {
  EXPECT_EQ(ErrorOf("!"), "unable to parse requirement: found '', expected: identifier");
  EXPECT_EQ(ErrorOf("!,"), "unable to parse requirement: found ',', expected: identifier");
  EXPECT_EQ(ErrorOf("a,!"), "unable to parse requirement: found '', expected: identifier");
}

TEST(LabelSelectorTest, ValueThatIsAnOperatorError) {
  EXPECT_EQ(ErrorOf("a=("), "unable to parse requirement: found '(', expected: identifier");
  EXPECT_EQ(ErrorOf("a>=1"), "unable to parse requirement: found '=', expected: identifier");
  EXPECT_EQ(ErrorOf("a!==b"), "unable to parse requirement: found '=', expected: identifier");
}

TEST(LabelSelectorTest, SecondValueError) {
  EXPECT_EQ(ErrorOf("a=b c"), "found 'c', expected: ',' or 'end of string'");
  EXPECT_EQ(ErrorOf("a=b=c"), "found '=', expected: ',' or 'end of string'");
}

// ---- Key validation -------------------------------------------------------------------------

TEST(LabelSelectorTest, InvalidKeyCharacterError) {
  EXPECT_EQ(ErrorOf("a@b=c"), KeyError("a@b", kKeyNameRegexError));
  EXPECT_EQ(ErrorOf("-a"), KeyError("-a", kKeyNameRegexError));
  EXPECT_EQ(ErrorOf("a-"), KeyError("a-", kKeyNameRegexError));
}

TEST(LabelSelectorTest, KeyNameTooLongError) {
  std::string key(64, 'a');
  EXPECT_EQ(ErrorOf(key), KeyError(key, "name part must be no more than 63 bytes"));
}

TEST(LabelSelectorTest, KeyWithTwoSlashesError) {
  EXPECT_EQ(ErrorOf("a/b/c"),
            KeyError("a/b/c",
                     "a valid label key must consist of alphanumeric characters, '-', '_' or "
                     "'.', and must start and end with an alphanumeric character (e.g. "
                     "'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                     "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS "
                     "subdomain prefix and '/' (e.g. 'example.com/MyName')"));
}

TEST(LabelSelectorTest, EmptyPrefixError) {
  EXPECT_EQ(ErrorOf("/a"), KeyError("/a", "prefix part must be non-empty"));
}

TEST(LabelSelectorTest, EmptyNameReportsBothMessages) {
  EXPECT_EQ(ErrorOf("a/"),
            KeyError("a/", "name part must be non-empty; " + std::string(kKeyNameRegexError)));
}

TEST(LabelSelectorTest, UppercasePrefixError) {
  EXPECT_EQ(ErrorOf("Example.com/a"), KeyError("Example.com/a", kPrefixRegexError));
  EXPECT_EQ(ErrorOf("ex_ample.com/a"), KeyError("ex_ample.com/a", kPrefixRegexError));
}

TEST(LabelSelectorTest, PrefixTooLongError) {
  std::string key = std::string(254, 'p') + "/a";
  EXPECT_EQ(ErrorOf(key), KeyError(key, "prefix part must be no more than 253 bytes"));
}

TEST(LabelSelectorTest, KeyIsQuotedLikeGo) {
  EXPECT_EQ(ErrorOf("k\"ey"), KeyError("k\\\"ey", kKeyNameRegexError));
  EXPECT_EQ(ErrorOf("k\x01y"), KeyError("k\\x01y", kKeyNameRegexError));
  EXPECT_EQ(ErrorOf("\xff"), KeyError("\\xff", kKeyNameRegexError));
  EXPECT_EQ(ErrorOf("k\xc3\xa9y"), KeyError("k\xc3\xa9y", kKeyNameRegexError));
}

// ---- Value validation -----------------------------------------------------------------------

TEST(LabelSelectorTest, InvalidValueErrorNamesIndexAndKey) {
  EXPECT_EQ(ErrorOf("app=a@b"),
            "unable to parse requirement: values[0][app]: Invalid value: "
            "\"a@b\": " +
                std::string(kValueRegexError));
}

TEST(LabelSelectorTest, ValueTooLongError) {
  std::string value(64, 'b');
  EXPECT_EQ(ErrorOf("a=" + value), "unable to parse requirement: values[0][a]: Invalid value: \"" +
                                       value + "\": must be no more than 63 bytes");
}

TEST(LabelSelectorTest, ValueTooLongAndInvalidJoinsMessages) {
  std::string value = std::string(64, 'b') + "@";
  EXPECT_EQ(ErrorOf("a=" + value), "unable to parse requirement: values[0][a]: Invalid value: \"" +
                                       value + "\": must be no more than 63 bytes; " +
                                       std::string(kValueRegexError));
}

TEST(LabelSelectorTest, SeveralInvalidValuesAreAggregatedInSortedOrder) {
  EXPECT_EQ(ErrorOf("a in (y@,x@)"),
            "unable to parse requirement: [values[0][a]: Invalid value: \"x@\": " +
                std::string(kValueRegexError) +
                ", values[1][a]: Invalid value: \"y@\": " + std::string(kValueRegexError) + "]");
}

TEST(LabelSelectorTest, GreaterThanNeedsAnInteger) {
  EXPECT_EQ(ErrorOf("a>x"),
            "unable to parse requirement: values[0]: Invalid value: \"x\": for "
            "'Gt', 'Lt' operators, the value must be an integer");
  EXPECT_EQ(ErrorOf("a<"),
            "unable to parse requirement: values[0]: Invalid value: \"\": for "
            "'Gt', 'Lt' operators, the value must be an integer");
  EXPECT_EQ(ErrorOf("a>99999999999999999999"),
            "unable to parse requirement: values[0]: Invalid value: \"99999999999999999999\": "
            "for 'Gt', 'Lt' operators, the value must be an integer");
}

TEST(LabelSelectorTest, GreaterThanWithInvalidValueReportsBothErrors) {
  EXPECT_EQ(ErrorOf("a>x@"),
            "unable to parse requirement: [values[0]: Invalid value: \"x@\": for 'Gt', 'Lt' "
            "operators, the value must be an integer, values[0][a]: Invalid value: \"x@\": " +
                std::string(kValueRegexError) + "]");
}

TEST(LabelSelectorTest, NegativeThresholdFailsLabelValueValidation) {
  // ParseInt accepts "-5", but label values cannot start with '-'.
  EXPECT_EQ(ErrorOf("a>-5"),
            "unable to parse requirement: values[0][a]: Invalid value: "
            "\"-5\": " +
                std::string(kValueRegexError));
}

TEST(LabelSelectorTest, LargestInt64ThresholdIsAccepted) {
  EXPECT_EQ(ErrorOf("a>9223372036854775807"), "");
  EXPECT_NE(ErrorOf("a>9223372036854775808"), "");
}

// ---- Matching -------------------------------------------------------------------------------

TEST(LabelSelectorTest, EqualsNeedsKeyAndValue) {
  EXPECT_TRUE(Matches("a=1", {{"a", "1"}}));
  EXPECT_FALSE(Matches("a=1", {{"a", "2"}}));
  EXPECT_FALSE(Matches("a=1", {}));
  EXPECT_TRUE(Matches("a==1", {{"a", "1"}, {"b", "2"}}));
}

TEST(LabelSelectorTest, EqualsEmptyNeedsThePresentKey) {
  EXPECT_TRUE(Matches("a=", {{"a", ""}}));
  EXPECT_FALSE(Matches("a=", {}));
}

TEST(LabelSelectorTest, NotEqualsMatchesWhenKeyAbsent) {
  EXPECT_TRUE(Matches("a!=1", {}));
  EXPECT_TRUE(Matches("a!=1", {{"a", "2"}}));
  EXPECT_FALSE(Matches("a!=1", {{"a", "1"}}));
}

TEST(LabelSelectorTest, InNeedsKeyAndOneOfTheValues) {
  EXPECT_TRUE(Matches("a in (1,2)", {{"a", "2"}}));
  EXPECT_FALSE(Matches("a in (1,2)", {{"a", "3"}}));
  EXPECT_FALSE(Matches("a in (1,2)", {}));
  EXPECT_TRUE(Matches("a in ()", {{"a", ""}}));
  EXPECT_FALSE(Matches("a in ()", {}));
}

TEST(LabelSelectorTest, NotInMatchesWhenKeyAbsent) {
  EXPECT_TRUE(Matches("a notin (1,2)", {}));
  EXPECT_TRUE(Matches("a notin (1,2)", {{"a", "3"}}));
  EXPECT_FALSE(Matches("a notin (1,2)", {{"a", "1"}}));
  EXPECT_FALSE(Matches("a notin ()", {{"a", ""}}));
}

TEST(LabelSelectorTest, ExistsAndDoesNotExist) {
  EXPECT_TRUE(Matches("a", {{"a", ""}}));
  EXPECT_FALSE(Matches("a", {{"b", "x"}}));
  EXPECT_TRUE(Matches("!a", {{"b", "x"}}));
  EXPECT_FALSE(Matches("!a", {{"a", "x"}}));
}

TEST(LabelSelectorTest, GreaterAndLessCompareAsIntegers) {
  EXPECT_TRUE(Matches("a>5", {{"a", "10"}}));
  EXPECT_FALSE(Matches("a>5", {{"a", "5"}}));
  EXPECT_TRUE(Matches("a<5", {{"a", "-3"}}));
  EXPECT_FALSE(Matches("a<5", {{"a", "5"}}));
  EXPECT_TRUE(Matches("a>5", {{"a", "007"}}));
}

TEST(LabelSelectorTest, GreaterThanDoesNotMatchNonIntegerOrMissingLabel) {
  EXPECT_FALSE(Matches("a>1", {{"a", "x"}}));
  EXPECT_FALSE(Matches("a<1", {{"a", ""}}));
  EXPECT_FALSE(Matches("a>1", {}));
  EXPECT_FALSE(Matches("a<1", {}));
}

TEST(LabelSelectorTest, AllRequirementsMustMatch) {
  Labels labels = {{"app", "web"}, {"tier", "front"}};
  EXPECT_TRUE(Matches("app=web,tier in (front,back)", labels));
  EXPECT_FALSE(Matches("app=web,tier notin (front)", labels));
  EXPECT_TRUE(Matches("app,!missing", labels));
}

TEST(LabelSelectorTest, PrefixedKeysMatchExactly) {
  EXPECT_TRUE(Matches("k8s.io/x=1", {{"k8s.io/x", "1"}, {"x", "2"}}));
  EXPECT_FALSE(Matches("k8s.io/x=2", {{"k8s.io/x", "1"}, {"x", "2"}}));
}

// ---- Go text helpers ------------------------------------------------------------------------

TEST(GoQuoteTest, EscapesLikeStrconvQuote) {
  EXPECT_EQ(GoQuote("plain"), "\"plain\"");
  EXPECT_EQ(GoQuote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(GoQuote("\n\t\r\a\b\f\v"), "\"\\n\\t\\r\\a\\b\\f\\v\"");
  EXPECT_EQ(GoQuote(std::string_view("\0\x7f", 2)), "\"\\x00\\x7f\"");
  EXPECT_EQ(GoQuote("\xff\xc3"), "\"\\xff\\xc3\"");
  EXPECT_EQ(GoQuote("\xc3\xa9\xe2\x82\xac"), "\"\xc3\xa9\xe2\x82\xac\"");
  EXPECT_EQ(GoQuote("\xc2\xa0"), "\"\\u00a0\"");              // no-break space
  EXPECT_EQ(GoQuote("\xe2\x80\x8b"), "\"\\u200b\"");          // zero-width space
  EXPECT_EQ(GoQuote("\xf3\xb0\x80\x80"), "\"\\U000f0000\"");  // private use
  EXPECT_EQ(GoQuote("\xed\xa0\x80"), "\"\\xed\\xa0\\x80\"");  // surrogate bytes
  EXPECT_EQ(GoQuote("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");
}

TEST(GoQuoteTest, ParsesInt64LikeStrconv) {
  int64_t value = 0;
  EXPECT_TRUE(ParseGoInt64("+42", value));
  EXPECT_EQ(value, 42);
  EXPECT_TRUE(ParseGoInt64("-9223372036854775808", value));
  EXPECT_EQ(value, INT64_MIN);
  EXPECT_FALSE(ParseGoInt64("9223372036854775808", value));
  EXPECT_FALSE(ParseGoInt64("1_000", value));
  EXPECT_FALSE(ParseGoInt64("-", value));
  EXPECT_FALSE(ParseGoInt64(" 1", value));
  EXPECT_FALSE(ParseGoInt64("", value));
}

}  // namespace
}  // namespace kcache
