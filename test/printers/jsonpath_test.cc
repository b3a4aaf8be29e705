#include "printers/jsonpath.h"

#include <gtest/gtest.h>

namespace kcache {
namespace {

class JsonPathTest : public ::testing::Test {
 protected:
  JsonView Parse(const std::string& json) {
    parsers_.push_back(std::make_unique<simdjson::dom::parser>());
    return JsonView(parsers_.back()->parse(json).value());
  }
  std::vector<std::string> Texts(std::string_view path, const std::string& json) {
    auto parsed = JsonPath::Parse(path);
    EXPECT_TRUE(parsed) << path;
    std::vector<std::string> texts;
    if (!parsed) return texts;
    for (JsonView value : parsed->Find(Parse(json))) texts.push_back(JsonPathText(value));
    return texts;
  }
  std::vector<std::unique_ptr<simdjson::dom::parser>> parsers_;
};

using Values = std::vector<std::string>;

TEST_F(JsonPathTest, FieldsIndexesWildcardsAndFilters) {
  std::string doc = R"({"spec":{"a.b":1,"tags":["x","y"],"n":null,
    "conditions":[{"type":"A","status":"False"},{"type":"Ready","status":"True","n":3}]}})";
  EXPECT_EQ(Texts(".spec.tags[1]", doc), Values{"y"});
  EXPECT_EQ(Texts(".spec.tags[*]", doc), (Values{"x", "y"}));
  EXPECT_EQ(Texts(".spec['a.b']", doc), Values{"1"});
  EXPECT_EQ(Texts(".spec.missing", doc), Values{});
  EXPECT_EQ(Texts(".spec.tags[5]", doc), Values{});
  EXPECT_EQ(Texts(".spec.n", doc), Values{"<no value>"});
  EXPECT_EQ(Texts(R"(.spec.conditions[?(@.type=="Ready")].status)", doc), Values{"True"});
  EXPECT_EQ(Texts(R"(.spec.conditions[?(@.type!='Ready')].status)", doc), Values{"False"});
  EXPECT_EQ(Texts(R"(.spec.conditions[?(@.n==3)].type)", doc), Values{"Ready"});
  EXPECT_EQ(Texts(".spec.conditions[0]", doc), Values{R"({"status":"False","type":"A"})"});
}

TEST_F(JsonPathTest, RefusesWhatItDoesNotEvaluate) {
  for (std::string_view path : {"..name", ".spec.tags[-1]", ".spec.tags[0:2]", "spec",
                                ".spec.tags[?(@.x>1)]", ".spec[", ""}) {
    EXPECT_FALSE(JsonPath::Parse(path)) << path;
  }
}

TEST_F(JsonPathTest, PrintsValuesAsGo) {
  EXPECT_EQ(JsonPathText(Parse("1.5")), "1.5");
  EXPECT_EQ(JsonPathText(Parse("1234567.5")), "1.2345675e+06");
  EXPECT_EQ(JsonPathText(Parse("0.00001")), "1e-05");
  EXPECT_EQ(JsonPathText(Parse("true")), "true");
  EXPECT_EQ(JsonPathText(Parse(R"({"b":"<&>","a":[1,2.5]})")),
            R"({"a":[1,2.5],"b":"\u003c\u0026\u003e"})");
}

}  // namespace
}  // namespace kcache
