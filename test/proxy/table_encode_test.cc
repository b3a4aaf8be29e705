#include "proxy/table_encode.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "kube/json_parser.h"
#include "printers/format.h"

namespace kcache {
namespace {

ObjectPtr ConfigMap(std::string_view name, std::string_view rv, std::string_view extra = "") {
  static JsonParser parser;
  std::string json = R"({"metadata":{"name":")" + std::string(name) +
                     R"(","namespace":"ns","uid":"u","resourceVersion":")" + std::string(rv) +
                     R"(","creationTimestamp":"2026-11-28T11:00:00Z")" + std::string(extra) +
                     R"(},"data":{"a":"1","b":"2"}})";
  static const auto type_meta =
      std::make_shared<const std::string>(TypeMetaPrefix("ConfigMap", "v1"));
  auto object = ParseObject(parser, json, ObjectSchema{.namespaced = true}, type_meta);
  EXPECT_TRUE(object) << json;
  return std::make_shared<const Object>(std::move(*object));
}

std::shared_ptr<TableFormat> DataCountFormat(bool null_rows_when_empty = false) {
  auto format = std::make_shared<TableFormat>();
  format->column_definitions = R"([{"name":"Name"},{"name":"Data"}])";
  format->printer = std::make_shared<const Printer>(Printer{
      .columns = {"Name", "Data"},
      .print =
          [](const PrintContext&, JsonView object, PrintedRow& row) {
            row.Text(object["metadata"]["name"].str());
            row.Int(static_cast<int64_t>(object["data"].size()));
          },
      .null_rows_when_empty = null_rows_when_empty});
  return format;
}

// A list as a Table, as one string.
std::string TableList(const TableRequest& request, const ListEnvelope& envelope,
                      const std::vector<ObjectPtr>& items,
                      std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) {
  BodyPieces body;
  EncodeTableList(request, envelope, items, body, now);
  return body.Join();
}

TEST(TableEncodeTest, ListsWithListMetaColumnsAndPartialMetadata) {
  TableRequest request{.format = DataCountFormat()};
  ListEnvelope envelope{.resource_version = 42, .continue_token = "next",
                        .remaining_item_count = 3};
  std::string table = TableList(request, envelope, {ConfigMap("a", "7")});
  EXPECT_EQ(table,
            R"({"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"42",)"
            R"("continue":"next","remainingItemCount":3},"columnDefinitions":[{"name":"Name"},)"
            R"({"name":"Data"}],"rows":[{"cells":["a",2],"object":{"kind":"PartialObjectMetadata",)"
            R"("apiVersion":"meta.k8s.io/v1","metadata":{"name":"a","namespace":"ns","uid":"u",)"
            R"("resourceVersion":"7","creationTimestamp":"2026-11-28T11:00:00Z"}}}]})");
}

TEST(TableEncodeTest, EmptyListsWriteRowsAsTheirConvertorDoes) {
  ListEnvelope envelope{.resource_version = 5};
  TableRequest printer{.format = DataCountFormat(false)};
  TableRequest convertor{.format = DataCountFormat(true)};
  EXPECT_TRUE(TableList(printer, envelope, {}).ends_with(R"("rows":[]})"));
  EXPECT_TRUE(TableList(convertor, envelope, {}).ends_with(R"("rows":null})"));
}

TEST(TableEncodeTest, IncludeObjectChoosesTheRowObject) {
  ObjectPtr object = ConfigMap("a", "7");
  TableRequest none{.format = DataCountFormat(), .include = IncludeObject::kNone};
  EXPECT_NE(EncodeTableObject(none, *object).find(R"("object":null)"), std::string::npos);
  TableRequest whole{.format = DataCountFormat(), .include = IncludeObject::kObject,
                     .meta_version = "v1beta1"};
  std::string table = EncodeTableObject(whole, *object);
  EXPECT_TRUE(table.starts_with(
      R"({"kind":"Table","apiVersion":"meta.k8s.io/v1beta1","metadata":{"resourceVersion":"7"})"));
  EXPECT_NE(table.find(R"("object":{"kind":"ConfigMap","apiVersion":"v1","metadata":)"),
            std::string::npos);
}

// Whether some piece of `body` lies inside `object`'s cached bytes (more than a brace).
bool ViewsInto(const BodyPieces& body, const Object& object) {
  const char* begin = object.json.data();
  const char* end = begin + object.json.size();
  return std::any_of(body.pieces().begin(), body.pieces().end(), [&](std::string_view piece) {
    return piece.data() >= begin && piece.data() + piece.size() <= end && piece.size() > 2;
  });
}

TEST(TableEncodeTest, RowObjectsAreTheCachedBytes) {
  std::vector<ObjectPtr> items{ConfigMap("a", "7"), ConfigMap("b", "8")};
  for (IncludeObject include : {IncludeObject::kMetadata, IncludeObject::kObject}) {
    BodyPieces body;
    EncodeTableList({.format = DataCountFormat(), .include = include}, {}, items, body);
    for (const ObjectPtr& item : items) EXPECT_TRUE(ViewsInto(body, *item)) << item->json;
  }
  BodyPieces body;
  EncodeTableList({.format = DataCountFormat(), .include = IncludeObject::kObject}, {}, items,
                  body);
  EXPECT_NE(body.Join().find(R"({"cells":["b",2],"object":{"kind":"ConfigMap","apiVersion":"v1",)"
                             R"("metadata":{"name":"b")"),
            std::string::npos);
}

TEST(TableEncodeTest, WatchEventsAfterTheFirstCarryNoColumns) {
  TableRequest request{.format = DataCountFormat()};
  std::string later = EncodeTableObject(request, *ConfigMap("a", "7"), false);
  EXPECT_NE(later.find(R"("columnDefinitions":null)"), std::string::npos);
}

// A printer that counts the rows it prints, each row the object's name and age.
std::shared_ptr<TableFormat> CountingAgeFormat(int& printed) {
  auto format = std::make_shared<TableFormat>();
  format->column_definitions = R"([{"name":"Name"},{"name":"Age"}])";
  format->printer = std::make_shared<const Printer>(Printer{
      .columns = {"Name", "Age"},
      .print = [&printed](const PrintContext&, JsonView object, PrintedRow& row) {
        ++printed;
        row.Text(object["metadata"]["name"].str());
        row.Text(AgeOfObject(object));
      }});
  return format;
}

std::chrono::system_clock::time_point At(std::string_view rfc3339) {
  return std::chrono::system_clock::time_point(std::chrono::duration_cast<
      std::chrono::system_clock::duration>(std::chrono::nanoseconds(*ParseRfc3339(rfc3339))));
}

TEST(TableEncodeTest, RowsArePrintedOncePerObjectVersionAndAgedPerResponse) {
  int printed = 0;
  TableRequest request{.format = CountingAgeFormat(printed), .include = IncludeObject::kNone};
  std::vector<ObjectPtr> items{ConfigMap("a", "7"), ConfigMap("b", "8")};
  std::string early = TableList(request, {}, items, At("2026-11-28T11:05:00Z"));
  std::string late = TableList(request, {}, items, At("2026-11-28T13:00:00Z"));
  std::string watched = EncodeTableObject(request, *items[0], false, At("2026-11-28T11:00:30Z"));
  EXPECT_EQ(printed, 2);
  EXPECT_NE(early.find(R"({"cells":["a","5m"],"object":null})"), std::string::npos) << early;
  EXPECT_NE(late.find(R"({"cells":["b","120m"],"object":null})"), std::string::npos) << late;
  EXPECT_NE(watched.find(R"({"cells":["a","30s"],"object":null})"), std::string::npos) << watched;

  // A new version of the object is printed again.
  TableList(request, {}, {ConfigMap("a", "9")}, At("2026-11-28T11:05:00Z"));
  EXPECT_EQ(printed, 3);
}

TEST(TableEncodeTest, EachFormatKeepsItsOwnRows) {
  int printed = 0;
  ObjectPtr object = ConfigMap("a", "7");
  TableRequest ages{.format = CountingAgeFormat(printed), .include = IncludeObject::kNone};
  TableRequest counts{.format = DataCountFormat(), .include = IncludeObject::kNone};
  auto now = At("2026-11-28T11:05:00Z");
  EXPECT_NE(EncodeTableObject(ages, *object, true, now).find(R"(["a","5m"])"), std::string::npos);
  EXPECT_NE(EncodeTableObject(counts, *object, true, now).find(R"(["a",2])"), std::string::npos);
  EXPECT_NE(EncodeTableObject(ages, *object, true, now).find(R"(["a","5m"])"), std::string::npos);
  EXPECT_EQ(printed, 1);
}

TEST(TableEncodeTest, ListOrderAndListNoteSeeTheWholePage) {
  auto format = DataCountFormat();
  Printer printer = *format->printer;
  printer.list_order = [](JsonView a, JsonView b) {
    return a["metadata"]["name"].str() > b["metadata"]["name"].str();
  };
  printer.list_note = [](const std::vector<JsonView>& items) {
    return std::to_string(items.size());
  };
  printer.print = [](const PrintContext& context, JsonView object, PrintedRow& row) {
    row.Text(std::string(object["metadata"]["name"].str()) + "/" + context.list_note);
    row.Int(0);
  };
  format->printer = std::make_shared<const Printer>(std::move(printer));
  std::string table = TableList({.format = format}, {},
                                      {ConfigMap("a", "1"), ConfigMap("c", "2"), ConfigMap("b", "3")});
  size_t c = table.find(R"("c/3")"), b = table.find(R"("b/3")"), a = table.find(R"("a/3")");
  ASSERT_NE(a, std::string::npos);
  EXPECT_LT(c, b);
  EXPECT_LT(b, a);
  EXPECT_NE(table.find(R"("metadata":{})"), std::string::npos);
}

TEST(TableEncodeTest, HidesAnnotationsTheInternalTypeTurnsIntoFields) {
  auto generation = [](std::string_view key, std::string_view) { return key == "gen"; };
  EXPECT_EQ(WithoutAnnotations(R"({"metadata":{"name":"x","annotations":{"a":"1","gen":"2","z":"\"q\""}}})",
                               generation),
            R"({"metadata":{"name":"x","annotations":{"a":"1","z":"\"q\""}}})");
  EXPECT_EQ(WithoutAnnotations(R"({"metadata":{"name":"x","annotations":{"gen":"2"},"uid":"u"}})",
                               generation),
            R"({"metadata":{"name":"x","uid":"u"}})");
  EXPECT_EQ(WithoutAnnotations(R"({"metadata":{"annotations":{"gen":"2"},"uid":"u"}})", generation),
            R"({"metadata":{"uid":"u"}})");
  // A lookalike inside a value is not the member.
  std::string inside = R"({"metadata":{"labels":{"l":"\"annotations\":{"}}})";
  EXPECT_EQ(WithoutAnnotations(inside, generation), inside);
}

TEST(TableEncodeTest, IncludeObjectValues) {
  QueryParams query;
  EXPECT_EQ(*ParseIncludeObject(query), IncludeObject::kMetadata);
  for (auto [value, expected] : std::vector<std::pair<std::string, IncludeObject>>{
           {"", IncludeObject::kMetadata}, {"Metadata", IncludeObject::kMetadata},
           {"None", IncludeObject::kNone}, {"Object", IncludeObject::kObject}}) {
    QueryParams given = QueryParams::Parse("includeObject=" + value);
    EXPECT_EQ(*ParseIncludeObject(given), expected) << value;
  }
  auto bad = ParseIncludeObject(QueryParams::Parse("includeObject=object"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, 400);
  EXPECT_EQ(bad.error().message,
            "Unable to convert to Table as requested: includeObject: Invalid value: \"object\": "
            "must be 'Metadata', 'Object', 'None', or empty");
}

TEST(TableEncodeTest, ObjectsAtAnotherVersionKeepTheirSpans) {
  ObjectPtr object = ConfigMap("a", "7", R"(,"labels":{"x":"y"})");
  Object moved = AtResourceVersion(*object, 123456);
  EXPECT_EQ(moved.resource_version, 123456u);
  EXPECT_NE(moved.json.find(R"("resourceVersion":"123456")"), std::string::npos);
  EXPECT_TRUE(moved.Metadata().starts_with("{\"name\":\"a\""));
  EXPECT_TRUE(moved.Metadata().ends_with("}"));
  EXPECT_NE(moved.Metadata().find(R"("labels":{"x":"y"})"), std::string::npos);
}

}  // namespace
}  // namespace kcache
