#include "kube/object_meta.h"

#include <gtest/gtest.h>

#include "kube/json_parser.h"

namespace kcache {
namespace {

std::string Cut(std::string_view metadata, const std::vector<std::string_view>& keys) {
  JsonParser parser;
  std::string out;
  size_t at = 0;
  for (ByteRange range : MemberCuts(parser, metadata, keys)) {
    out += metadata.substr(at, range.begin - at);
    at = range.end;
  }
  out += metadata.substr(at);
  return out;
}

TEST(MemberCuts, LeavesOneObject) {
  std::string_view meta =
      R"({"name":"a","annotations":{"x":"\"managedFields\":[1]"},"managedFields":[{"f":{}}]})";
  EXPECT_EQ(Cut(meta, {"managedFields"}), R"({"name":"a","annotations":{"x":"\"managedFields\":[1]"}})");
  EXPECT_EQ(Cut(meta, {"annotations"}), R"({"name":"a","managedFields":[{"f":{}}]})");
  EXPECT_EQ(Cut(meta, {"annotations", "managedFields"}), R"({"name":"a"})");
  EXPECT_EQ(Cut(meta, {"nothing"}), meta);
}

TEST(MemberCuts, FirstMembersGiveUpTheCommaAfterThem) {
  EXPECT_EQ(Cut(R"({"annotations":{},"b":1})", {"annotations"}), R"({"b":1})");
  EXPECT_EQ(Cut(R"({"annotations":{},"managedFields":[]})", {"annotations", "managedFields"}),
            "{}");
  EXPECT_EQ(Cut(R"({"annotations":{},"b":1,"managedFields":[]})", {"annotations", "managedFields"}),
            R"({"b":1})");
  EXPECT_EQ(Cut(R"({"managedFields":null})", {"managedFields"}), "{}");
}

TEST(MemberCuts, NothingForUnreadableText) {
  JsonParser parser;
  EXPECT_TRUE(MemberCuts(parser, R"({"a":)", {"a"}).empty());
  EXPECT_TRUE(MemberCuts(parser, "[1]", {"a"}).empty());
}

}  // namespace
}  // namespace kcache
