#include "kube/list_options.h"

#include <gtest/gtest.h>

#include <string>

#include "kube/query_params.h"
#include "kube/request_info.h"

// Expected bodies follow k8s.io/apiserver/pkg/endpoints/handlers/get.go (ListResource),
// k8s.io/apimachinery/pkg/apis/meta/internalversion/{defaults,validation}.go and
// kube-api.md §2.1, §2.6, §2.7 and §4.5.

namespace kcache {
namespace {

constexpr std::string_view kPodsPath = "/api/v1/namespaces/default/pods";

// Parses options for GET `path`?`query` on pods, the way the list handler does.
boost::system::result<ListOptions, Status> Parse(std::string_view query,
                                                 std::string_view path = kPodsPath) {
  QueryParams params = QueryParams::Parse(query);
  RequestInfo info = ParseRequestInfo("GET", path, params);
  bool force_watch = info.verb == "watch" && info.verb_from_path;
  return ParseListOptions(params, info, force_watch, SelectableFieldsFor("", "pods", true));
}

ListOptions MustParse(std::string_view query, std::string_view path = kPodsPath) {
  auto parsed = Parse(query, path);
  EXPECT_TRUE(parsed.has_value()) << query << ": " << (parsed ? "" : parsed.error().ToJson());
  return parsed ? std::move(*parsed) : ListOptions();
}

// The Status body of a rejected query, or "<ok>".
std::string ErrorJson(std::string_view query, std::string_view path = kPodsPath) {
  auto parsed = Parse(query, path);
  return parsed ? std::string("<ok>") : parsed.error().ToJson();
}

std::string BadRequestJson(std::string_view message_json) {
  return R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":)" +
         std::string(message_json) + R"(,"reason":"BadRequest","code":400})" + "\n";
}

// The 422 for ListOptions with one Forbidden cause on `field`.
std::string ForbiddenJson(std::string_view field, std::string_view detail_json) {
  return R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ListOptions.meta.k8s.io \"\" is invalid: )" +
         std::string(field) + ": Forbidden: " + std::string(detail_json) +
         R"(","reason":"Invalid","details":{"group":"meta.k8s.io","kind":"ListOptions","causes":[{"reason":"FieldValueForbidden","message":"Forbidden: )" +
         std::string(detail_json) + R"(","field":")" + std::string(field) +
         R"("}]},"code":422})" + "\n";
}

// ---- Decoding -------------------------------------------------------------------------------

TEST(ListOptionsTest, EmptyQueryIsAPlainList) {
  ListOptions opts = MustParse("");
  EXPECT_FALSE(opts.watch);
  EXPECT_FALSE(opts.allow_watch_bookmarks);
  EXPECT_EQ(opts.resource_version, "");
  EXPECT_EQ(opts.resource_version_match, RvMatch::kUnset);
  EXPECT_EQ(opts.timeout_seconds, std::nullopt);
  EXPECT_EQ(opts.limit, 0);
  EXPECT_EQ(opts.continue_token, "");
  EXPECT_EQ(opts.send_initial_events, std::nullopt);
  EXPECT_TRUE(opts.SelectorsEmpty());
  EXPECT_FALSE(opts.IsWatchList());
}

TEST(ListOptionsTest, DecodesEveryListParameter) {
  ListOptions opts = MustParse(
      "labelSelector=app%3Dweb&fieldSelector=spec.nodeName%3Dn1&limit=5"
      "&resourceVersion=10&resourceVersionMatch=NotOlderThan&timeoutSeconds=30");
  EXPECT_EQ(opts.label_selector_text, "app=web");
  EXPECT_EQ(opts.label_selector.String(), "app=web");
  EXPECT_EQ(opts.field_selector_text, "spec.nodeName=n1");
  EXPECT_EQ(opts.field_selector.String(), "spec.nodeName=n1");
  EXPECT_EQ(opts.limit, 5);
  EXPECT_EQ(opts.resource_version, "10");
  EXPECT_EQ(opts.resource_version_match, RvMatch::kNotOlderThan);
  EXPECT_EQ(opts.timeout_seconds, 30);
  EXPECT_FALSE(opts.SelectorsEmpty());
}

TEST(ListOptionsTest, ContinueTokenIsKeptAsSent) {
  ListOptions opts = MustParse("limit=500&continue=eyJ2Ijoi%3D");
  EXPECT_EQ(opts.continue_token, "eyJ2Ijoi=");
  EXPECT_EQ(opts.limit, 500);
}

TEST(ListOptionsTest, ExactMatchIsDecoded) {
  EXPECT_EQ(MustParse("resourceVersion=7&resourceVersionMatch=Exact").resource_version_match,
            RvMatch::kExact);
}

TEST(ListOptionsTest, IntegersAcceptSignsLikeStrconv) {
  EXPECT_EQ(MustParse("limit=%2B5").limit, 5);
  EXPECT_EQ(MustParse("limit=-1").limit, -1);
  EXPECT_EQ(MustParse("limit=9223372036854775807").limit, 9223372036854775807);
}

TEST(ListOptionsTest, NonIntegerLimitIsABadRequestWithStrconvText) {
  EXPECT_EQ(ErrorJson("limit=abc"),
            BadRequestJson(R"("strconv.ParseInt: parsing \"abc\": invalid syntax")"));
  EXPECT_EQ(ErrorJson("limit="),
            BadRequestJson(R"("strconv.ParseInt: parsing \"\": invalid syntax")"));
  EXPECT_EQ(ErrorJson("limit=1.5"),
            BadRequestJson(R"("strconv.ParseInt: parsing \"1.5\": invalid syntax")"));
  EXPECT_EQ(ErrorJson("limit=-"),
            BadRequestJson(R"("strconv.ParseInt: parsing \"-\": invalid syntax")"));
  // '+' in a query is a space.
  EXPECT_EQ(ErrorJson("limit=+5"),
            BadRequestJson(R"("strconv.ParseInt: parsing \" 5\": invalid syntax")"));
}

TEST(ListOptionsTest, OutOfRangeLimitIsABadRequestWithStrconvText) {
  EXPECT_EQ(ErrorJson("limit=9223372036854775808"),
            BadRequestJson(
                R"("strconv.ParseInt: parsing \"9223372036854775808\": value out of range")"));
}

// BUG (kube/list_options.cc, ParseInt64): Go's strconv.ParseUint returns ErrRange as soon as the
// digits read so far overflow, before it sees a later non-digit, so "99999999999999999999x" is
// "value out of range" in kube-apiserver; kcache checks the syntax of the whole text first and
// answers "invalid syntax".
TEST(ListOptionsTest, OverflowBeforeABadCharacterIsOutOfRange) {
  EXPECT_EQ(ErrorJson("limit=99999999999999999999x"),
            BadRequestJson(
                R"("strconv.ParseInt: parsing \"99999999999999999999x\": value out of range")"));
  EXPECT_EQ(ErrorJson("limit=-99999999999999999999x"),
            BadRequestJson(
                R"("strconv.ParseInt: parsing \"-99999999999999999999x\": value out of range")"));
}

TEST(ListOptionsTest, NonIntegerTimeoutSecondsIsABadRequest) {
  EXPECT_EQ(ErrorJson("watch=true&timeoutSeconds=1m"),
            BadRequestJson(R"("strconv.ParseInt: parsing \"1m\": invalid syntax")"));
}

TEST(ListOptionsTest, TimeoutSecondsIsDecodedBeforeLimit) {
  EXPECT_EQ(ErrorJson("limit=y&timeoutSeconds=x"),
            BadRequestJson(R"("strconv.ParseInt: parsing \"x\": invalid syntax")"));
}

TEST(ListOptionsTest, IntegersAreDecodedBeforeSelectors) {
  EXPECT_EQ(ErrorJson("labelSelector=a%20b&limit=x"),
            BadRequestJson(R"("strconv.ParseInt: parsing \"x\": invalid syntax")"));
}

TEST(ListOptionsTest, BadLabelSelectorIsABadRequest) {
  EXPECT_EQ(ErrorJson("labelSelector=a%20b"),
            BadRequestJson(R"("unable to parse requirement: found 'b', expected: in, notin, )"
                           R"(=, ==, !=, gt, lt")"));
}

TEST(ListOptionsTest, BadFieldSelectorIsABadRequest) {
  EXPECT_EQ(ErrorJson("fieldSelector=abc"),
            BadRequestJson(R"("invalid selector: 'abc'; can't understand 'abc'")"));
}

TEST(ListOptionsTest, RepeatedParameterUsesTheFirstValue) {
  ListOptions opts = MustParse("limit=3&limit=abc&labelSelector=a%3D1&labelSelector=%3D");
  EXPECT_EQ(opts.limit, 3);
  EXPECT_EQ(opts.label_selector.String(), "a=1");
}

TEST(ListOptionsTest, BooleansFollowGoQueryConversion) {
  EXPECT_TRUE(MustParse("watch=true&resourceVersion=5").watch);
  EXPECT_TRUE(MustParse("watch=1&resourceVersion=5").watch);
  EXPECT_TRUE(MustParse("watch=&resourceVersion=5").watch);
  EXPECT_TRUE(MustParse("watch=yes&resourceVersion=5").watch);
  EXPECT_FALSE(MustParse("watch=false").watch);
  EXPECT_FALSE(MustParse("watch=FALSE").watch);
  EXPECT_FALSE(MustParse("watch=0").watch);
  EXPECT_TRUE(MustParse("watch=true&resourceVersion=5&allowWatchBookmarks=true")
                  .allow_watch_bookmarks);
}

// ---- Field label conversion -----------------------------------------------------------------

TEST(ListOptionsTest, UnsupportedFieldIsABadRequest) {
  EXPECT_EQ(ErrorJson("fieldSelector=foo%3Dbar"),
            BadRequestJson(R"("field label not supported: foo")"));
}

TEST(ListOptionsTest, FieldAliasIsRenamedToItsCanonicalLabel) {
  ListOptions opts = MustParse("fieldSelector=spec.host%3Dn1");
  EXPECT_EQ(opts.field_selector.String(), "spec.nodeName=n1");
  EXPECT_EQ(opts.field_selector_text, "spec.host=n1");
}

TEST(ListOptionsTest, ValidationComesBeforeFieldLabelConversion) {
  EXPECT_EQ(ErrorJson("fieldSelector=foo%3Dbar&resourceVersionMatch=NotOlderThan"),
            ForbiddenJson("resourceVersionMatch",
                          "resourceVersionMatch is forbidden unless resourceVersion is provided"));
}

// ---- LIST validation (422) ------------------------------------------------------------------

TEST(ListOptionsTest, MatchWithoutResourceVersionIsInvalid) {
  // The exact body of kube-api.md §2.1.
  EXPECT_EQ(
      ErrorJson("resourceVersionMatch=NotOlderThan"),
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided","reason":"Invalid","details":{"group":"meta.k8s.io","kind":"ListOptions","causes":[{"reason":"FieldValueForbidden","message":"Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided","field":"resourceVersionMatch"}]},"code":422})"
      "\n");
}

TEST(ListOptionsTest, MatchWithContinueIsInvalid) {
  EXPECT_EQ(ErrorJson("resourceVersion=5&resourceVersionMatch=Exact&continue=abc"),
            ForbiddenJson("resourceVersionMatch",
                          "resourceVersionMatch is forbidden when continue is provided"));
}

TEST(ListOptionsTest, UnknownMatchIsNotSupported) {
  EXPECT_EQ(
      ErrorJson("resourceVersion=5&resourceVersionMatch=Newest"),
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Unsupported value: \"Newest\": supported values: \"Exact\", \"NotOlderThan\", \"\"","reason":"Invalid","details":{"group":"meta.k8s.io","kind":"ListOptions","causes":[{"reason":"FieldValueNotSupported","message":"Unsupported value: \"Newest\": supported values: \"Exact\", \"NotOlderThan\", \"\"","field":"resourceVersionMatch"}]},"code":422})"
      "\n");
}

TEST(ListOptionsTest, ExactMatchOfVersionZeroIsInvalid) {
  EXPECT_EQ(ErrorJson("resourceVersion=0&resourceVersionMatch=Exact"),
            ForbiddenJson("resourceVersionMatch",
                          R"(resourceVersionMatch \"exact\" is forbidden for )"
                          R"(resourceVersion \"0\")"));
}

TEST(ListOptionsTest, SendInitialEventsOnAListIsInvalid) {
  EXPECT_EQ(ErrorJson("sendInitialEvents=true"),
            ForbiddenJson("sendInitialEvents", "sendInitialEvents is forbidden for list"));
  EXPECT_EQ(ErrorJson("sendInitialEvents=false"),
            ForbiddenJson("sendInitialEvents", "sendInitialEvents is forbidden for list"));
}

TEST(ListOptionsTest, SeveralListErrorsAreBracketedInOrder) {
  EXPECT_EQ(
      ErrorJson("resourceVersionMatch=Newest&continue=abc"),
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ListOptions.meta.k8s.io \"\" is invalid: [resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided, resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided, resourceVersionMatch: Unsupported value: \"Newest\": supported values: \"Exact\", \"NotOlderThan\", \"\"]","reason":"Invalid","details":{"group":"meta.k8s.io","kind":"ListOptions","causes":[{"reason":"FieldValueForbidden","message":"Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided","field":"resourceVersionMatch"},{"reason":"FieldValueForbidden","message":"Forbidden: resourceVersionMatch is forbidden when continue is provided","field":"resourceVersionMatch"},{"reason":"FieldValueNotSupported","message":"Unsupported value: \"Newest\": supported values: \"Exact\", \"NotOlderThan\", \"\"","field":"resourceVersionMatch"}]},"code":422})"
      "\n");
}

// ---- WATCH validation (422) -----------------------------------------------------------------

TEST(ListOptionsTest, WatchSendInitialEventsWithoutNotOlderThanIsInvalid) {
  EXPECT_EQ(ErrorJson("watch=true&sendInitialEvents=true"),
            ForbiddenJson("resourceVersionMatch",
                          "sendInitialEvents requires setting resourceVersionMatch to "
                          "NotOlderThan"));
  // An explicit false is "provided" too, so the defaulting leaves it alone.
  EXPECT_EQ(ErrorJson("watch=true&sendInitialEvents=false"),
            ForbiddenJson("resourceVersionMatch",
                          "sendInitialEvents requires setting resourceVersionMatch to "
                          "NotOlderThan"));
}

TEST(ListOptionsTest, WatchMatchWithoutSendInitialEventsIsInvalid) {
  EXPECT_EQ(ErrorJson("watch=true&resourceVersion=5&resourceVersionMatch=NotOlderThan"),
            ForbiddenJson("resourceVersionMatch",
                          "resourceVersionMatch is forbidden for watch unless sendInitialEvents "
                          "is provided"));
  // A match is "saying something": the watch-list defaulting does not apply either.
  EXPECT_EQ(ErrorJson("watch=true&resourceVersionMatch=NotOlderThan"),
            ForbiddenJson("resourceVersionMatch",
                          "resourceVersionMatch is forbidden for watch unless sendInitialEvents "
                          "is provided"));
}

TEST(ListOptionsTest, WatchExactMatchIsForbiddenAndNotSupported) {
  EXPECT_EQ(
      ErrorJson("watch=true&sendInitialEvents=true&resourceVersionMatch=Exact"),
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ListOptions.meta.k8s.io \"\" is invalid: [resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, resourceVersionMatch: Unsupported value: \"Exact\": supported values: \"NotOlderThan\"]","reason":"Invalid","details":{"group":"meta.k8s.io","kind":"ListOptions","causes":[{"reason":"FieldValueForbidden","message":"Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan","field":"resourceVersionMatch"},{"reason":"FieldValueNotSupported","message":"Unsupported value: \"Exact\": supported values: \"NotOlderThan\"","field":"resourceVersionMatch"}]},"code":422})"
      "\n");
}

TEST(ListOptionsTest, WatchMatchWithContinueIsInvalid) {
  EXPECT_EQ(ErrorJson("watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
                      "&continue=abc"),
            ForbiddenJson("resourceVersionMatch",
                          "resourceVersionMatch is forbidden when continue is provided"));
}

TEST(ListOptionsTest, WatchFromUnsetVersionWithContinueIsInvalidAfterDefaulting) {
  // The defaulted resourceVersionMatch meets the continue check, as in kube-apiserver.
  EXPECT_EQ(ErrorJson("watch=true&continue=abc"),
            ForbiddenJson("resourceVersionMatch",
                          "resourceVersionMatch is forbidden when continue is provided"));
}

TEST(ListOptionsTest, WatchListRequestIsAccepted) {
  // What client-go sends first (kube-api.md §4.5).
  ListOptions opts = MustParse(
      "allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&sendInitialEvents=true"
      "&timeout=9m1s&timeoutSeconds=541&watch=true");
  EXPECT_TRUE(opts.watch);
  EXPECT_EQ(opts.send_initial_events, true);
  EXPECT_EQ(opts.resource_version_match, RvMatch::kNotOlderThan);
  EXPECT_EQ(opts.timeout_seconds, 541);
  EXPECT_TRUE(opts.IsWatchList());
}

// ---- WatchList defaulting -------------------------------------------------------------------

TEST(ListOptionsTest, WatchFromUnsetVersionDefaultsToWatchList) {
  ListOptions opts = MustParse("watch=true");
  EXPECT_EQ(opts.send_initial_events, true);
  EXPECT_EQ(opts.resource_version_match, RvMatch::kNotOlderThan);
  EXPECT_FALSE(opts.IsWatchList());  // no bookmarks: nothing changes on the wire
}

TEST(ListOptionsTest, WatchFromVersionZeroWithBookmarksDefaultsToWatchList) {
  ListOptions opts = MustParse("watch=1&resourceVersion=0&allowWatchBookmarks=true");
  EXPECT_EQ(opts.send_initial_events, true);
  EXPECT_EQ(opts.resource_version_match, RvMatch::kNotOlderThan);
  EXPECT_EQ(opts.resource_version, "0");
  EXPECT_TRUE(opts.IsWatchList());
}

TEST(ListOptionsTest, WatchFromAVersionIsNotDefaulted) {
  ListOptions opts = MustParse("watch=true&resourceVersion=42&allowWatchBookmarks=true");
  EXPECT_EQ(opts.send_initial_events, std::nullopt);
  EXPECT_EQ(opts.resource_version_match, RvMatch::kUnset);
  EXPECT_FALSE(opts.IsWatchList());
}

TEST(ListOptionsTest, WatchWithNotOlderThanAndNoInitialEventsIsKept) {
  ListOptions opts =
      MustParse("watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan");
  EXPECT_EQ(opts.send_initial_events, false);
  EXPECT_EQ(opts.resource_version_match, RvMatch::kNotOlderThan);
  EXPECT_FALSE(opts.IsWatchList());
}

TEST(ListOptionsTest, ListIsNotDefaulted) {
  ListOptions opts = MustParse("resourceVersion=0");
  EXPECT_EQ(opts.send_initial_events, std::nullopt);
  EXPECT_EQ(opts.resource_version_match, RvMatch::kUnset);
}

// ---- Watch of one object --------------------------------------------------------------------

TEST(ListOptionsTest, LegacyWatchPathNameBecomesANameSelector) {
  ListOptions opts = MustParse("resourceVersion=5", "/api/v1/watch/namespaces/default/pods/web-0");
  EXPECT_EQ(opts.field_selector.String(), "metadata.name=web-0");
  EXPECT_EQ(opts.field_selector.RequiredValue("metadata.name"), "web-0");
}

TEST(ListOptionsTest, LegacyWatchPathAcceptsAMatchingNameSelector) {
  ListOptions opts = MustParse("fieldSelector=metadata.name%3Dweb-0,spec.nodeName%3Dn1",
                               "/api/v1/watch/namespaces/default/pods/web-0");
  EXPECT_EQ(opts.field_selector.String(), "metadata.name=web-0,spec.nodeName=n1");
}

TEST(ListOptionsTest, LegacyWatchPathRejectsAnotherNameSelector) {
  const std::string expected =
      BadRequestJson(R"("fieldSelector metadata.name doesn't match requested name")");
  EXPECT_EQ(ErrorJson("fieldSelector=metadata.name%3Dother",
                      "/api/v1/watch/namespaces/default/pods/web-0"),
            expected);
  EXPECT_EQ(ErrorJson("fieldSelector=spec.nodeName%3Dn1",
                      "/api/v1/watch/namespaces/default/pods/web-0"),
            expected);
  EXPECT_EQ(ErrorJson("fieldSelector=metadata.name!%3Dweb-0",
                      "/api/v1/watch/namespaces/default/pods/web-0"),
            expected);
}

TEST(ListOptionsTest, NameSelectorOfAListIsKeptAsSent) {
  ListOptions opts = MustParse("watch=true&resourceVersion=5&fieldSelector=metadata.name%3Dweb-0");
  EXPECT_EQ(opts.field_selector.String(), "metadata.name=web-0");
}

TEST(ListOptionsTest, LegacyWatchPathIsValidatedAsAList) {
  // get.go validates opts.Watch, which only the query sets: the /watch/ prefix does not.
  ListOptions opts = MustParse("", "/api/v1/watch/namespaces/default/pods");
  EXPECT_EQ(opts.send_initial_events, std::nullopt);
  EXPECT_EQ(ErrorJson("sendInitialEvents=true", "/api/v1/watch/namespaces/default/pods"),
            ForbiddenJson("sendInitialEvents", "sendInitialEvents is forbidden for list"));
}

// ---- ParseResourceVersion -------------------------------------------------------------------

uint64_t MustParseRv(const std::string& text) {
  auto parsed = ParseResourceVersion(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed ? *parsed : 999;
}

std::string RvError(const std::string& text) {
  auto parsed = ParseResourceVersion(text);
  return parsed ? std::string("<ok>") : parsed.error().ToJson();
}

TEST(ListOptionsTest, ResourceVersionUnsetAndZeroAreZero) {
  EXPECT_EQ(MustParseRv(""), 0u);
  EXPECT_EQ(MustParseRv("0"), 0u);
}

TEST(ListOptionsTest, ResourceVersionIsADecimalUint64) {
  EXPECT_EQ(MustParseRv("10245"), 10245u);
  EXPECT_EQ(MustParseRv("18446744073709551615"), 18446744073709551615u);
}

TEST(ListOptionsTest, NonNumericResourceVersionIsABadRequest) {
  EXPECT_EQ(RvError("abc"),
            BadRequestJson(R"("invalid resource version: resourceVersion: Invalid value: \"abc\": strconv.ParseUint: parsing \"abc\": invalid syntax")"));
  EXPECT_EQ(RvError("-1"),
            BadRequestJson(R"("invalid resource version: resourceVersion: Invalid value: \"-1\": strconv.ParseUint: parsing \"-1\": invalid syntax")"));
  EXPECT_EQ(RvError("+1"),
            BadRequestJson(R"("invalid resource version: resourceVersion: Invalid value: \"+1\": strconv.ParseUint: parsing \"+1\": invalid syntax")"));
  EXPECT_EQ(RvError("12 "),
            BadRequestJson(R"("invalid resource version: resourceVersion: Invalid value: \"12 \": strconv.ParseUint: parsing \"12 \": invalid syntax")"));
}

TEST(ListOptionsTest, OversizedResourceVersionIsOutOfRange) {
  EXPECT_EQ(RvError("18446744073709551616"),
            BadRequestJson(R"("invalid resource version: resourceVersion: Invalid value: \"18446744073709551616\": strconv.ParseUint: parsing \"18446744073709551616\": value out of range")"));
  // strconv stops at the overflow, before the bad character.
  EXPECT_EQ(RvError("99999999999999999999x"),
            BadRequestJson(R"("invalid resource version: resourceVersion: Invalid value: \"99999999999999999999x\": strconv.ParseUint: parsing \"99999999999999999999x\": value out of range")"));
}

}  // namespace
}  // namespace kcache
