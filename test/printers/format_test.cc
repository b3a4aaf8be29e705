#include "printers/format.h"

#include <gtest/gtest.h>

#include "printers/json_view.h"

namespace kcache {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(HumanDuration, FollowsApimachinery) {
  EXPECT_EQ(HumanDuration(seconds(-5)), "<invalid>");
  EXPECT_EQ(HumanDuration(std::chrono::milliseconds(-1500)), "0s");
  EXPECT_EQ(HumanDuration(seconds(0)), "0s");
  EXPECT_EQ(HumanDuration(seconds(90)), "90s");
  EXPECT_EQ(HumanDuration(seconds(119)), "119s");
  EXPECT_EQ(HumanDuration(seconds(125)), "2m5s");
  EXPECT_EQ(HumanDuration(seconds(180)), "3m");
  EXPECT_EQ(HumanDuration(seconds(600)), "10m");
  EXPECT_EQ(HumanDuration(minutes(179)), "179m");
  EXPECT_EQ(HumanDuration(hours(3) + minutes(5)), "3h5m");
  EXPECT_EQ(HumanDuration(hours(4)), "4h");
  EXPECT_EQ(HumanDuration(hours(30)), "30h");
  EXPECT_EQ(HumanDuration(hours(50)), "2d2h");
  EXPECT_EQ(HumanDuration(hours(72)), "3d");
  EXPECT_EQ(HumanDuration(hours(24 * 400)), "400d");
  EXPECT_EQ(HumanDuration(hours(24 * 800)), "2y70d");
  EXPECT_EQ(HumanDuration(hours(24 * 365 * 3)), "3y");
  EXPECT_EQ(HumanDuration(hours(24 * 365 * 9)), "9y");
}

TEST(Rfc3339, ParsesAndFormats) {
  auto at = ParseRfc3339("2024-05-03T16:36:32Z");
  ASSERT_TRUE(at);
  EXPECT_EQ(*at, int64_t{1714754192} * 1000000000);
  EXPECT_EQ(FormatRfc3339Utc(*ParseRfc3339Seconds("2024-05-03T16:36:32Z")), "2024-05-03T16:36:32Z");
  EXPECT_EQ(FormatRfc3339Utc(*ParseRfc3339Seconds("0001-01-01T00:00:00Z")), "0001-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339Utc(*ParseRfc3339Seconds("9999-12-31T23:59:59Z")), "9999-12-31T23:59:59Z");
  // Beyond int64 nanoseconds, times saturate as Go's arithmetic does.
  EXPECT_EQ(ParseRfc3339("9999-01-01T00:00:00Z"), INT64_MAX);
  EXPECT_EQ(ParseRfc3339("0001-01-01T00:00:00Z"), INT64_MIN);
  EXPECT_EQ(HumanDuration(Between(INT64_MIN, 0)), "292y");
  EXPECT_EQ(HumanDuration(Between(0, INT64_MIN)), "<invalid>");
  EXPECT_EQ(ParseRfc3339("2024-05-03T18:36:32.5+02:00"), *at + 500000000);
  EXPECT_EQ(FormatRfc3339Utc(0), "1970-01-01T00:00:00Z");
  EXPECT_FALSE(ParseRfc3339("2024-05-03 16:36:32Z"));
  EXPECT_FALSE(ParseRfc3339("2024-05-03T16:36:32"));
  EXPECT_FALSE(ParseRfc3339(""));
}

class FormatTest : public ::testing::Test {
 protected:
  JsonView Parse(const std::string& json) {
    documents_.push_back(std::make_unique<simdjson::dom::parser>());
    return JsonView(documents_.back()->parse(json).value());
  }
  std::vector<std::unique_ptr<simdjson::dom::parser>> documents_;
};

TEST_F(FormatTest, Labels) {
  EXPECT_EQ(FormatLabels(Parse(R"({"b":"2","a":"1","a.b":"x"})")), "a.b=x,a=1,b=2");
  EXPECT_EQ(FormatLabels(Parse("{}")), "<none>");
  EXPECT_EQ(FormatLabels(JsonView()), "<none>");
}

TEST_F(FormatTest, LabelSelectors) {
  EXPECT_EQ(FormatLabelSelector(Parse(R"({"matchLabels":{"b":"2","a":"1"},
      "matchExpressions":[{"key":"c","operator":"In","values":["y","x"]},
      {"key":"aa","operator":"DoesNotExist"},{"key":"d","operator":"Exists"},
      {"key":"e","operator":"NotIn","values":["z"]}]})")),
            "a=1,!aa,b=2,c in (x,y),d,e notin (z)");
  EXPECT_EQ(FormatLabelSelector(Parse("{}")), "<none>");
  EXPECT_EQ(FormatLabelSelector(JsonView()), "<none>");
  EXPECT_EQ(FormatLabelSelector(Parse(R"({"matchExpressions":[{"key":"a","operator":"Bad"}]})")),
            "<error>");
}

TEST_F(FormatTest, AccessModesAndAddresses) {
  EXPECT_EQ(FormatAccessModes(Parse(
                R"(["ReadWriteOncePod","ReadWriteMany","ReadWriteOnce","ReadWriteOnce"])")),
            "RWO,RWX,RWOP");
  EXPECT_EQ(Join(LoadBalancerAddresses(Parse(
                     R"([{"ip":"10.0.0.2"},{"hostname":"a.example"},{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}])")),
                 ","),
            "10.0.0.1,10.0.0.2,a.example");
}

TEST(Cells, EncodeAsGo) {
  std::string out;
  const std::chrono::system_clock::time_point now{};
  AppendCell(out, Cell{std::string("<none>")}, now);
  out += ' ';
  AppendCell(out, Cell{int64_t{-3}}, now);
  out += ' ';
  AppendCell(out, Cell{1.5}, now);
  out += ' ';
  AppendCell(out, Cell{2.0}, now);
  out += ' ';
  AppendCell(out, Cell{1e21}, now);
  out += ' ';
  AppendCell(out, Cell{1e-7}, now);
  out += ' ';
  AppendCell(out, Cell{true}, now);
  out += ' ';
  AppendCell(out, Cell{nullptr}, now);
  EXPECT_EQ(out, R"("\u003cnone\u003e" -3 1.5 2 1e+21 1e-7 true null)");
}

TEST(Cells, ElapsedTextIsReadWhenWritten) {
  auto at = [](int64_t seconds) {
    return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
  };
  Cell restarts = ElapsedText{"3 (", int64_t{1'000'000'000'000}, " ago)"};
  std::string early, late;
  AppendCell(early, restarts, at(1000 + 300));
  AppendCell(late, restarts, at(1000 + 7200));
  EXPECT_EQ(early, R"j("3 (5m ago)")j");
  EXPECT_EQ(late, R"j("3 (120m ago)")j");
  std::string fixed;
  AppendCell(fixed, Cell{ElapsedText::Fixed("<unknown>")}, at(0));
  EXPECT_EQ(fixed, R"("\u003cunknown\u003e")");
}

}  // namespace
}  // namespace kcache
