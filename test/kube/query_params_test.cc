#include "kube/query_params.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

// Expected behaviour is Go's net/url ParseQuery and QueryUnescape (Go 1.17+), and
// k8s.io/apimachinery/pkg/runtime Convert_Slice_string_To_bool.

namespace kcache {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

std::string Decoded(std::string_view text, bool plus_is_space) {
  std::string out;
  return PercentDecode(text, plus_is_space, out) ? out : std::string("<malformed>");
}

TEST(QueryParamsTest, KeepsPairsInOrder) {
  EXPECT_EQ(QueryParams::Parse("watch=true&limit=5&continue=x").values,
            (Pairs{{"watch", "true"}, {"limit", "5"}, {"continue", "x"}}));
}

TEST(QueryParamsTest, EmptyQueryHasNoPairs) {
  EXPECT_TRUE(QueryParams::Parse("").values.empty());
  EXPECT_TRUE(QueryParams::Parse("&&").values.empty());
}

TEST(QueryParamsTest, PercentEscapesAreDecodedInKeysAndValues) {
  QueryParams params = QueryParams::Parse("labelSelector=app%3Dweb%2Ctier%21%3Ddb&%6Cimit=5");
  EXPECT_EQ(params.Get("labelSelector"), "app=web,tier!=db");
  EXPECT_EQ(params.Get("limit"), "5");
}

TEST(QueryParamsTest, PlusIsASpaceAndEscapedPlusIsAPlus) {
  QueryParams params = QueryParams::Parse("a+b=c+d&e=%2B");
  EXPECT_EQ(params.values, (Pairs{{"a b", "c d"}, {"e", "+"}}));
}

TEST(QueryParamsTest, FirstOfRepeatedKeysWins) {
  QueryParams params = QueryParams::Parse("limit=1&limit=2");
  EXPECT_EQ(params.Get("limit"), "1");
  ASSERT_NE(params.Find("limit"), nullptr);
  EXPECT_EQ(*params.Find("limit"), "1");
  EXPECT_EQ(params.values.size(), 2u);
}

TEST(QueryParamsTest, KeyWithoutValueIsPresentAndEmpty) {
  QueryParams params = QueryParams::Parse("watch&pretty=");
  EXPECT_TRUE(params.Has("watch"));
  EXPECT_EQ(params.Get("watch"), "");
  EXPECT_TRUE(params.Has("pretty"));
  EXPECT_EQ(params.Get("pretty"), "");
}

TEST(QueryParamsTest, MissingKeyIsAbsent) {
  QueryParams params = QueryParams::Parse("a=1");
  EXPECT_FALSE(params.Has("b"));
  EXPECT_EQ(params.Find("b"), nullptr);
  EXPECT_EQ(params.Get("b"), "");
  EXPECT_FALSE(params.Has("A"));  // keys are case-sensitive
}

TEST(QueryParamsTest, ValueMayHoldAnEqualsSign) {
  EXPECT_EQ(QueryParams::Parse("fieldSelector=metadata.name=x").Get("fieldSelector"),
            "metadata.name=x");
}

TEST(QueryParamsTest, PairsWithMalformedEscapesAreDropped) {
  EXPECT_EQ(QueryParams::Parse("a=%zz&b=1&c=%4&%g1=2&d=%").values, (Pairs{{"b", "1"}}));
}

TEST(QueryParamsTest, PairsWithSemicolonsAreDropped) {
  EXPECT_EQ(QueryParams::Parse("a=1;b=2&c=3&d;=4").values, (Pairs{{"c", "3"}}));
}

TEST(QueryParamsTest, PercentDecodeHandlesBothHexCases) {
  EXPECT_EQ(Decoded("%41%4a%4A%6a", true), "AJJj");
  EXPECT_EQ(Decoded("%00", true), std::string(1, '\0'));
  EXPECT_EQ(Decoded("%e2%80%a8", true), "\xe2\x80\xa8");
}

TEST(QueryParamsTest, PercentDecodeKeepsPlusOutsideQueries) {
  EXPECT_EQ(Decoded("a+b", false), "a+b");
  EXPECT_EQ(Decoded("a+b", true), "a b");
}

TEST(QueryParamsTest, PercentDecodeRejectsTruncatedOrNonHexEscapes) {
  EXPECT_EQ(Decoded("%", true), "<malformed>");
  EXPECT_EQ(Decoded("a%4", true), "<malformed>");
  EXPECT_EQ(Decoded("%4g", true), "<malformed>");
  EXPECT_EQ(Decoded("%%41", true), "<malformed>");
}

TEST(QueryParamsTest, QueryBoolIsFalseOnlyForZeroAndFalse) {
  EXPECT_FALSE(QueryBool("0"));
  EXPECT_FALSE(QueryBool("false"));
  EXPECT_FALSE(QueryBool("FALSE"));
  EXPECT_FALSE(QueryBool("False"));
  EXPECT_TRUE(QueryBool(""));
  EXPECT_TRUE(QueryBool("1"));
  EXPECT_TRUE(QueryBool("true"));
  EXPECT_TRUE(QueryBool("no"));
  EXPECT_TRUE(QueryBool("00"));
  EXPECT_TRUE(QueryBool(" false"));
}

}  // namespace
}  // namespace kcache
