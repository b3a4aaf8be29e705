#include "kube/go_json.h"

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "kube/continue_token.h"
#include "kube/json_text.h"

// Expected texts below were produced by Go 1.26's encoding/base64 and encoding/json running
// k8s.io/apiserver/pkg/storage.DecodeContinue (v0.37.2) on the same inputs.

namespace kcache {
namespace {

using namespace std::string_literals;

enum Input { kRaw, kJson };  // the token itself, or JSON to base64url-encode into one

struct Want {
  bool ok = false;
  int64_t resource_version = 0;
  std::string start;
  std::string error;  // after "invalid continue token: continue key is not valid: "
};
Want Ok(int64_t resource_version, std::string start) { return {true, resource_version, start, ""}; }
Want Err(std::string error) { return {false, 0, "", std::move(error)}; }

std::string Repeat(std::string_view unit, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += unit;
  return out;
}

struct Case {
  Input input;
  std::string data;
  Want want;
};

TEST(GoJsonTest, DecodeContinueTokenMatchesKubeApiserver) {
  const Case cases[] = {
    // base64.RawURLEncoding: '\n' and '\r' skipped, '=' invalid, a lone final character
    // reported at the last input byte, unused trailing bits ignored.
    {kRaw, "abc$"s, Err("illegal base64 data at input byte 3")},
    {kRaw, "QUJD="s, Err("illegal base64 data at input byte 4")},
    {kRaw, "QUJDR"s, Err("illegal base64 data at input byte 4")},
    {kRaw, "Q"s, Err("illegal base64 data at input byte 0")},
    {kRaw, "QUJD\012R\012\012"s, Err("illegal base64 data at input byte 7")},
    {kRaw, "QUJD+A"s, Err("illegal base64 data at input byte 4")},
    {kRaw, "QU JD"s, Err("illegal base64 data at input byte 2")},
    {kRaw, "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiJhIn0="s, Err("illegal base64 data at input byte 55")},
    {kRaw, "\377"s, Err("illegal base64 data at input byte 0")},
    {kRaw, "e\015\012yJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiJhIn0"s, Ok(1, "a"s)},
    {kRaw, "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiJhIn1"s, Ok(1, "a"s)},
    {kRaw, ""s, Err("unexpected end of JSON input")},
    // Syntax errors from the scanner json.Unmarshal runs first. A byte of 0x80 and above is
    // quoted as the Latin-1 character of that value; unfinished input sees one extra space.
    {kJson, ""s, Err("unexpected end of JSON input")},
    {kJson, "   "s, Err("unexpected end of JSON input")},
    {kJson, "{"s, Err("unexpected end of JSON input")},
    {kJson, "{\"v\""s, Err("unexpected end of JSON input")},
    {kJson, "{\"v\":"s, Err("unexpected end of JSON input")},
    {kJson, "{\"v\":\"meta"s, Err("unexpected end of JSON input")},
    {kJson, "-"s, Err("invalid character ' ' in numeric literal")},
    {kJson, "1."s, Err("invalid character ' ' after decimal point in numeric literal")},
    {kJson, "1e+"s, Err("invalid character ' ' in exponent of numeric literal")},
    {kJson, "tru"s, Err("invalid character ' ' in literal true (expecting 'e')")},
    {kJson, "nul"s, Err("invalid character ' ' in literal null (expecting 'l')")},
    {kJson, "fals"s, Err("invalid character ' ' in literal false (expecting 'e')")},
    {kJson, "trUe"s, Err("invalid character 'U' in literal true (expecting 'u')")},
    {kJson, "{\"v\" 1}"s, Err("invalid character '1' after object key")},
    {kJson, "{\"v\":1 \"rv\":2}"s, Err("invalid character '\"' after object key:value pair")},
    {kJson, "{,}"s, Err("invalid character ',' looking for beginning of object key string")},
    {kJson, "[1 2]"s, Err("invalid character '2' after array element")},
    {kJson, "{\"a\":[}"s, Err("invalid character '}' looking for beginning of value")},
    {kJson, "01"s, Err("invalid character '1' after top-level value")},
    {kJson, "-x"s, Err("invalid character 'x' in numeric literal")},
    {kJson, "1.x"s, Err("invalid character 'x' after decimal point in numeric literal")},
    {kJson, "1ex"s, Err("invalid character 'x' in exponent of numeric literal")},
    {kJson, "\"\\x\""s, Err("invalid character 'x' in string escape code")},
    {kJson, "\"\\u12g4\""s, Err("invalid character 'g' in \\u hexadecimal character escape")},
    {kJson, "\"\001\""s, Err("invalid character '\\x01' in string literal")},
    {kJson, "\"a\011b\""s, Err("invalid character '\\t' in string literal")},
    {kJson, "{} x"s, Err("invalid character 'x' after top-level value")},
    {kJson, "null null"s, Err("invalid character 'n' after top-level value")},
    {kJson, "'v'"s, Err("invalid character '\\'' looking for beginning of value")},
    {kJson, "\377"s, Err("invalid character 'ÿ' looking for beginning of value")},
    {kJson, "\200"s, Err("invalid character '\\u0080' looking for beginning of value")},
    {kJson, "\240"s, Err("invalid character '\\u00a0' looking for beginning of value")},
    {kJson, "\255"s, Err("invalid character '\\u00ad' looking for beginning of value")},
    {kJson, "\303\251"s, Err("invalid character 'Ã' looking for beginning of value")},
    {kJson, "\177"s, Err("invalid character '\\x7f' looking for beginning of value")},
    {kJson, "\000"s, Err("invalid character '\\x00' looking for beginning of value")},
    {kJson, "\\"s, Err("invalid character '\\\\' looking for beginning of value")},
    {kJson, "{1:2}"s, Err("invalid character '1' looking for beginning of object key string")},
    {kJson, Repeat("[", 10001), Err("invalid character '[' exceeded max depth")},
    {kJson, Repeat("[", 10000), Err("unexpected end of JSON input")},
    {kJson, Repeat("{\"a\":", 10001), Err("invalid character '{' exceeded max depth")},
    // Type errors: the first one in document order, named by the field's JSON name.
    {kJson, "\"meta.k8s.io/v1\""s, Err("json: cannot unmarshal string into Go value of type storage.continueToken")},
    {kJson, "42"s, Err("json: cannot unmarshal number into Go value of type storage.continueToken")},
    {kJson, "true"s, Err("json: cannot unmarshal bool into Go value of type storage.continueToken")},
    {kJson, "[]"s, Err("json: cannot unmarshal array into Go value of type storage.continueToken")},
    {kJson, "null"s, Err("server does not recognize this encoded version ")},
    {kJson, "{}"s, Err("server does not recognize this encoded version ")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":\"5\",\"start\":\"a\"}"s, Err("json: cannot unmarshal string into Go struct field continueToken.rv of type int64")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":1.5,\"start\":\"a\"}"s, Err("json: cannot unmarshal number 1.5 into Go struct field continueToken.rv of type int64")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":1e3,\"start\":\"a\"}"s, Err("json: cannot unmarshal number 1e3 into Go struct field continueToken.rv of type int64")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":9223372036854775808,\"start\":\"a\"}"s, Err("json: cannot unmarshal number 9223372036854775808 into Go struct field continueToken.rv of type int64")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":-9223372036854775809,\"start\":\"a\"}"s, Err("json: cannot unmarshal number -9223372036854775809 into Go struct field continueToken.rv of type int64")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":-9223372036854775808,\"start\":\"a\"}"s, Ok(std::numeric_limits<int64_t>::min(), "a"s)},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":true,\"start\":\"a\"}"s, Err("json: cannot unmarshal bool into Go struct field continueToken.rv of type int64")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":{\"x\":[1]},\"start\":\"a\"}"s, Err("json: cannot unmarshal object into Go struct field continueToken.rv of type int64")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":[1],\"start\":\"a\"}"s, Err("json: cannot unmarshal array into Go struct field continueToken.rv of type int64")},
    {kJson, "{\"v\":1,\"rv\":\"x\"}"s, Err("json: cannot unmarshal number into Go struct field continueToken.v of type string")},
    {kJson, "{\"rv\":\"x\",\"v\":1}"s, Err("json: cannot unmarshal string into Go struct field continueToken.rv of type int64")},
    {kJson, "{\"v\":{},\"rv\":1,\"start\":\"a\"}"s, Err("json: cannot unmarshal object into Go struct field continueToken.v of type string")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":1,\"start\":false}"s, Err("json: cannot unmarshal bool into Go struct field continueToken.start of type string")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":1,\"start\":7}"s, Err("json: cannot unmarshal number into Go struct field continueToken.start of type string")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"RV\":\"1\",\"start\":\"a\"}"s, Err("json: cannot unmarshal string into Go struct field continueToken.rv of type int64")},
    // The rules of DecodeContinue after decoding.
    {kJson, "{\"v\":\"meta.k8s.io/v2\",\"rv\":1,\"start\":\"a\"}"s, Err("server does not recognize this encoded version meta.k8s.io/v2")},
    {kJson, "{\"rv\":1,\"start\":\"a\"}"s, Err("server does not recognize this encoded version ")},
    {kJson, "{\"v\":\"\\u00e9\\ud800x\",\"rv\":1}"s, Err("server does not recognize this encoded version é�x")},
    {kJson, "{\"v\":\"\377\376\"}"s, Err("server does not recognize this encoded version ��")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"start\":\"a\"}"s, Err("incorrect encoded start resourceVersion (version meta.k8s.io/v1)")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":-0,\"start\":\"a\"}"s, Err("incorrect encoded start resourceVersion (version meta.k8s.io/v1)")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":5}"s, Err("encoded start key empty (version meta.k8s.io/v1)")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":5,\"start\":\"\"}"s, Err("encoded start key empty (version meta.k8s.io/v1)")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":5,\"start\":\"a/../b\"}"s, Err("a/../b")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":5,\"start\":\"a//b\"}"s, Err("a//b")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":5,\"start\":\"a/\"}"s, Err("a/")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":5,\"start\":\"./a\"}"s, Err("./a")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":5,\"start\":\"..\"}"s, Err("..")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":5,\"start\":\"/a/b/.\"}"s, Err("/a/b/.")},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":5,\"start\":\"a\\ud83dz/..\"}"s, Err("a�z/..")},
    // Accepted: case-insensitive keys (U+017F folds to 's'), last duplicate wins, null leaves a
    // field alone, unknown keys ignored, escapes and invalid UTF-8 resolved as Go does.
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":5,\"start\":\"ns/name\\u0000\"}"s, Ok(5, "ns/name\000"s)},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":-1,\"start\":\"/a\"}"s, Ok(-1, "a"s)},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":5,\"start\":\"/\"}"s, Ok(5, ""s)},
    {kJson, " {\"V\":\"meta.k8s.io/v1\", \"Rv\":9, \"START\":\"x\", \"extra\":[{\"rv\":\"no\"}]}\012"s, Ok(9, "x"s)},
    {kJson, "{\"v\":\"x\",\"v\":\"meta.k8s.io/v1\",\"rv\":2,\"rv\":3,\"\305\277tart\":\"k\"}"s, Ok(3, "k"s)},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":2,\"start\":\"a\",\"start\":null,\"rv\":null}"s, Ok(2, "a"s)},
    {kJson, "{\"\\u0076\":\"meta.k8s.io/v1\",\"r\\u0056\":4,\"st\\u0061rt\":\"\\u00e9\\ud83d\\ude00\\/\377\"}"s, Ok(4, "\303\251\360\237\230\200/\357\277\275"s)},
    {kJson, "{\"v\":\"meta.k8s.io/v1\",\"rv\":1,\"start\":\"a\",\"\342\204\252v\":1}"s, Ok(1, "a"s)},
  };
  for (const Case& c : cases) {
    std::string token = c.input == kRaw ? c.data : Base64RawUrlEncode(c.data);
    SCOPED_TRACE(c.data.size() > 100 ? c.data.substr(0, 100) + "..." : c.data);
    auto got = DecodeContinueToken(token);
    if (c.want.ok) {
      ASSERT_FALSE(got.has_error()) << got.error().message;
      EXPECT_EQ(got->resource_version, c.want.resource_version);
      EXPECT_EQ(got->start, c.want.start);
    } else {
      ASSERT_TRUE(got.has_error());
      EXPECT_EQ(got.error().code, 400);
      EXPECT_EQ(got.error().reason, "BadRequest");
      EXPECT_EQ(got.error().message,
                "invalid continue token: continue key is not valid: " + c.want.error);
    }
  }
}

TEST(GoJsonTest, ContinueTokenRoundTrip) {
  std::string token = EncodeContinueToken(1234, "ns/name");
  auto got = DecodeContinueToken(token);
  ASSERT_FALSE(got.has_error()) << got.error().message;
  EXPECT_EQ(got->resource_version, 1234);
  EXPECT_EQ(got->start, "ns/name"s + '\0');
}

TEST(GoJsonTest, Base64RawUrlDecodeIsNotStrict) {
  std::string out;
  size_t bad = 99;
  EXPECT_TRUE(Base64RawUrlDecode("QUJDRA", out));
  EXPECT_EQ(out, "ABCD");
  EXPECT_TRUE(Base64RawUrlDecode("QUJDRP", out));  // non-zero unused bits are dropped
  EXPECT_EQ(out, "ABCD");
  EXPECT_TRUE(Base64RawUrlDecode("QR", out));
  EXPECT_EQ(out, "A");
  EXPECT_TRUE(Base64RawUrlDecode("Q\nU\rJ\nD", out));
  EXPECT_EQ(out, "ABC");
  EXPECT_TRUE(Base64RawUrlDecode("\n", out));
  EXPECT_EQ(out, "");
  EXPECT_FALSE(Base64RawUrlDecode("QUJD=", out, &bad));
  EXPECT_EQ(bad, 4u);
  EXPECT_FALSE(Base64RawUrlDecode("QU==", out, &bad));
  EXPECT_EQ(bad, 2u);
  EXPECT_FALSE(Base64RawUrlDecode("QUJD/", out, &bad));
  EXPECT_EQ(bad, 4u);
  EXPECT_FALSE(Base64RawUrlDecode("QUJDR\n\n", out, &bad));
  EXPECT_EQ(bad, 6u);
  EXPECT_FALSE(Base64RawUrlDecode("Q", out));
}

TEST(GoJsonTest, Unquote) {
  EXPECT_EQ(GoJsonUnquote(R"("a\u00e9\ud83d\ude00")"), "a\u00e9\U0001F600");
  EXPECT_EQ(GoJsonUnquote(R"("\uD83D\uDE00")"), "\U0001F600");
  EXPECT_EQ(GoJsonUnquote(R"("\ud800")"), "\uFFFD");
  EXPECT_EQ(GoJsonUnquote(R"("\ud800\u0041")"), "\uFFFD" "A");
  EXPECT_EQ(GoJsonUnquote(R"("\udc00\ud800\udc00")"), "\uFFFD\U00010000");
  EXPECT_EQ(GoJsonUnquote("\"\xff\xc3\xa9\xe2\x82\""), "\uFFFD\u00e9\uFFFD\uFFFD");
  EXPECT_EQ(GoJsonUnquote(R"("\/\b\f\n\r\t\\\"")"), "/\b\f\n\r\t\\\"");
  EXPECT_EQ(GoJsonUnquote(R"("\u0000")"), "\0"s);
}

TEST(GoJsonTest, SyntaxErrorAndQuoteChar) {
  EXPECT_EQ(GoJsonSyntaxError(R"( {"a":[1,2.5e-3,true,false,null,"\u00e9"]} )"), "");
  EXPECT_EQ(GoJsonSyntaxError("[1,]"), "invalid character ']' looking for beginning of value");
  EXPECT_EQ(GoJsonSyntaxError("{\"a\":1,}"),
            "invalid character '}' looking for beginning of object key string");
  EXPECT_EQ(GoJsonQuoteChar('a'), "'a'");
  EXPECT_EQ(GoJsonQuoteChar('\''), R"('\'')");
  EXPECT_EQ(GoJsonQuoteChar('"'), R"('"')");
  EXPECT_EQ(GoJsonQuoteChar('\\'), R"('\\')");
  EXPECT_EQ(GoJsonQuoteChar('\n'), R"('\n')");
  EXPECT_EQ(GoJsonQuoteChar(0x1b), R"('\x1b')");
  EXPECT_EQ(GoJsonQuoteChar(0x9f), R"('\u009f')");
  EXPECT_EQ(GoJsonQuoteChar(0xe9), "'\u00e9'");
}

}  // namespace
}  // namespace kcache
