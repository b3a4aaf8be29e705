#include "kube/field_selector.h"

#include <gtest/gtest.h>

#include <string>

// Expected texts are k8s.io/apimachinery/pkg/fields/selector.go's (Kubernetes 1.37); they were
// cross-checked by running the Go parser on the same inputs.

namespace kcache {
namespace {

std::string ErrorOf(std::string_view text) {
  auto parsed = FieldSelector::Parse(text);
  return parsed ? std::string() : parsed.error();
}

FieldSelector MustParse(std::string_view text) {
  auto parsed = FieldSelector::Parse(text);
  EXPECT_TRUE(parsed.has_value()) << text << ": " << (parsed ? "" : parsed.error());
  return parsed ? *parsed : FieldSelector();
}

// ---- Grammar --------------------------------------------------------------------------------

TEST(FieldSelectorTest, EmptyTextSelectsEverything) {
  FieldSelector selector = MustParse("");
  EXPECT_TRUE(selector.Empty());
  EXPECT_TRUE(selector.Matches({}));
}

TEST(FieldSelectorTest, EmptyTermsAreIgnored) {
  EXPECT_TRUE(MustParse(",,").Empty());
  EXPECT_EQ(MustParse(",a=b,").String(), "a=b");
}

TEST(FieldSelectorTest, TermWithEmptyFieldAndValueIsDropped) {
  EXPECT_TRUE(MustParse("=").Empty());
  EXPECT_TRUE(MustParse("!=").Empty());
  EXPECT_EQ(MustParse("a=b,=").String(), "a=b");
}

TEST(FieldSelectorTest, TermWithEmptyFieldButValueIsKept) {
  FieldSelector selector = MustParse("=x");
  ASSERT_EQ(selector.Requirements().size(), 1u);
  EXPECT_EQ(selector.Requirements()[0], (FieldRequirement{"", FieldOperator::kEquals, "x"}));
}

TEST(FieldSelectorTest, ParsesTheThreeOperators) {
  FieldSelector selector = MustParse("c=3,a==1,b!=2");
  ASSERT_EQ(selector.Requirements().size(), 3u);
  EXPECT_EQ(selector.Requirements()[0], (FieldRequirement{"a", FieldOperator::kEquals, "1"}));
  EXPECT_EQ(selector.Requirements()[1], (FieldRequirement{"b", FieldOperator::kNotEquals, "2"}));
  EXPECT_EQ(selector.Requirements()[2], (FieldRequirement{"c", FieldOperator::kEquals, "3"}));
}

TEST(FieldSelectorTest, TermsAreSortedByTheirRawText) {
  EXPECT_EQ(MustParse("spec.nodeName=n,metadata.name=x").String(),
            "metadata.name=x,spec.nodeName=n");
  // "a!=..." sorts before "a=..." because '!' < '='.
  EXPECT_EQ(MustParse("a=1,a!=2").String(), "a!=2,a=1");
}

TEST(FieldSelectorTest, FirstOperatorPositionWins) {
  EXPECT_EQ(MustParse("a!b=c").Requirements()[0],
            (FieldRequirement{"a!b", FieldOperator::kEquals, "c"}));
  EXPECT_EQ(MustParse("a==b").Requirements()[0],
            (FieldRequirement{"a", FieldOperator::kEquals, "b"}));
}

TEST(FieldSelectorTest, WhitespaceIsPartOfFieldAndValue) {
  EXPECT_EQ(MustParse(" a = b ").Requirements()[0],
            (FieldRequirement{" a ", FieldOperator::kEquals, " b "}));
}

TEST(FieldSelectorTest, EmptyValueIsAllowed) {
  EXPECT_EQ(MustParse("spec.nodeName=").Requirements()[0],
            (FieldRequirement{"spec.nodeName", FieldOperator::kEquals, ""}));
}

// ---- Escapes --------------------------------------------------------------------------------

TEST(FieldSelectorTest, UnescapesBackslashCommaAndEquals) {
  EXPECT_EQ(MustParse("a=x\\,y").Requirements()[0].value, "x,y");
  EXPECT_EQ(MustParse("a=x\\=y").Requirements()[0].value, "x=y");
  EXPECT_EQ(MustParse("a=x\\\\y").Requirements()[0].value, "x\\y");
}

TEST(FieldSelectorTest, EscapedCommaDoesNotSplitTerms) {
  FieldSelector selector = MustParse("a=x\\,y,b=z");
  ASSERT_EQ(selector.Requirements().size(), 2u);
  EXPECT_EQ(selector.Requirements()[0].value, "x,y");
  EXPECT_EQ(selector.Requirements()[1].value, "z");
  // The '=' after the escaped comma still belongs to the same value and needs escaping too.
  EXPECT_EQ(ErrorOf("a=x\\,b=y"), "invalid field selector: unescaped character in value: 61");
}

TEST(FieldSelectorTest, StringEscapesValuesAgain) {
  EXPECT_EQ(MustParse("a=x\\,y\\=z\\\\").String(), "a=x\\,y\\=z\\\\");
  EXPECT_EQ(EscapeFieldValue("a,b=c\\"), "a\\,b\\=c\\\\");
}

TEST(FieldSelectorTest, UnknownEscapeError) {
  EXPECT_EQ(ErrorOf("a=\\x"), "invalid field selector: invalid escape sequence: \\x");
  EXPECT_EQ(ErrorOf("a=\\\xc3\xa9"), "invalid field selector: invalid escape sequence: \\\xc3\xa9");
}

TEST(FieldSelectorTest, EscapeOfInvalidUtf8ReportsReplacementCharacter) {
  EXPECT_EQ(ErrorOf("a=\\\xff"), "invalid field selector: invalid escape sequence: \\\xef\xbf\xbd");
}

TEST(FieldSelectorTest, TrailingBackslashError) {
  EXPECT_EQ(ErrorOf("a=\\"), "invalid field selector: invalid escape sequence: \\");
}

TEST(FieldSelectorTest, UnescapedEqualsErrorPrintsCodePoint) {
  EXPECT_EQ(ErrorOf("a=b=c"), "invalid field selector: unescaped character in value: 61");
  EXPECT_EQ(ErrorOf("a===b"), "invalid field selector: unescaped character in value: 61");
}

TEST(FieldSelectorTest, InvalidUtf8IsReplacedOnlyWhenValueNeedsUnescaping) {
  EXPECT_EQ(MustParse("a=\xff").Requirements()[0].value, "\xff");
  EXPECT_EQ(MustParse("a=\xff\\,").Requirements()[0].value, "\xef\xbf\xbd,");
}

// ---- Syntax errors --------------------------------------------------------------------------

TEST(FieldSelectorTest, TermWithoutOperatorError) {
  EXPECT_EQ(ErrorOf("a"), "invalid selector: 'a'; can't understand 'a'");
  EXPECT_EQ(ErrorOf("a=b,c"), "invalid selector: 'a=b,c'; can't understand 'c'");
}

TEST(FieldSelectorTest, ErrorReportsTheSmallestBadTerm) {
  EXPECT_EQ(ErrorOf("z,y"), "invalid selector: 'z,y'; can't understand 'y'");
  // The sorted order decides which problem is reported first.
  EXPECT_EQ(ErrorOf("b,a=\\x"), "invalid field selector: invalid escape sequence: \\x");
  EXPECT_EQ(ErrorOf("a,b=\\x"), "invalid selector: 'a,b=\\x'; can't understand 'a'");
}

// ---- Matching -------------------------------------------------------------------------------

TEST(FieldSelectorTest, EqualsComparesWholeValue) {
  FieldSelector selector = MustParse("spec.nodeName=node-1");
  EXPECT_TRUE(selector.Matches({{"spec.nodeName", "node-1"}}));
  EXPECT_FALSE(selector.Matches({{"spec.nodeName", "node-10"}}));
}

TEST(FieldSelectorTest, MissingFieldComparesAsEmpty) {
  EXPECT_TRUE(MustParse("spec.nodeName=").Matches({}));
  EXPECT_FALSE(MustParse("spec.nodeName=x").Matches({}));
  EXPECT_TRUE(MustParse("spec.nodeName!=x").Matches({}));
  EXPECT_FALSE(MustParse("spec.nodeName!=").Matches({}));
}

TEST(FieldSelectorTest, NotEqualsMatchesDifferentValues) {
  FieldSelector selector = MustParse("status.phase!=Succeeded,status.phase!=Failed");
  EXPECT_TRUE(selector.Matches({{"status.phase", "Running"}}));
  EXPECT_FALSE(selector.Matches({{"status.phase", "Failed"}}));
}

TEST(FieldSelectorTest, AllTermsMustMatch) {
  FieldSelector selector =
      MustParse("status.phase!=Succeeded,spec.schedulerName=default-scheduler");
  EXPECT_TRUE(
      selector.Matches({{"spec.schedulerName", "default-scheduler"}, {"status.phase", "Pending"}}));
  EXPECT_FALSE(selector.Matches({{"spec.schedulerName", "other"}, {"status.phase", "Pending"}}));
}

TEST(FieldSelectorTest, ContradictoryTermsMatchNothing) {
  FieldSelector selector = MustParse("a=1,a=2");
  EXPECT_FALSE(selector.Matches({{"a", "1"}}));
  EXPECT_FALSE(selector.Matches({{"a", "2"}}));
}

TEST(FieldSelectorTest, UnescapedValueIsMatched) {
  EXPECT_TRUE(MustParse("a=x\\,y").Matches({{"a", "x,y"}}));
}

// ---- RequiredValue --------------------------------------------------------------------------

TEST(FieldSelectorTest, RequiredValueOfEqualsTerm) {
  EXPECT_EQ(MustParse("metadata.name=foo").RequiredValue("metadata.name"), "foo");
  EXPECT_EQ(MustParse("metadata.name==foo,a=b").RequiredValue("metadata.name"), "foo");
  EXPECT_EQ(MustParse("metadata.name=").RequiredValue("metadata.name"), "");
}

TEST(FieldSelectorTest, NoRequiredValueForNotEqualsOrOtherFields) {
  EXPECT_EQ(MustParse("metadata.name!=foo").RequiredValue("metadata.name"), std::nullopt);
  EXPECT_EQ(MustParse("a=b").RequiredValue("metadata.name"), std::nullopt);
  EXPECT_EQ(MustParse("").RequiredValue("metadata.name"), std::nullopt);
}

TEST(FieldSelectorTest, RequiredValueTakesFirstTermInSortedOrder) {
  EXPECT_EQ(MustParse("metadata.name=b,metadata.name=a").RequiredValue("metadata.name"), "a");
  EXPECT_EQ(MustParse("metadata.name!=a,metadata.name=b").RequiredValue("metadata.name"), "b");
}

}  // namespace
}  // namespace kcache
