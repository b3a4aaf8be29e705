#include "kube/status.h"

#include <gtest/gtest.h>

#include <string>

// Expected bodies are kube-apiserver's (k8s.io/apimachinery/pkg/api/errors, encoded by Go's
// encoding/json with the trailing newline of json.Encoder), as kube-api.md §2, §3 and §5 show.

namespace kcache {
namespace {

TEST(StatusTest, NotFoundOfACoreResourceNamesThePlural) {
  EXPECT_EQ(
      NotFound("pods", "", "x").ToJson(),
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"x\" not found","reason":"NotFound","details":{"name":"x","kind":"pods"},"code":404})"
      "\n");
}

TEST(StatusTest, NotFoundOfAGroupResourceQualifiesItWithTheGroup) {
  EXPECT_EQ(
      NotFound("deployments", "apps", "x").ToJson(),
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \"x\" not found","reason":"NotFound","details":{"name":"x","group":"apps","kind":"deployments"},"code":404})"
      "\n");
}

TEST(StatusTest, NotFoundFields) {
  Status status = NotFound("deployments", "apps", "x");
  EXPECT_EQ(status.code, 404);
  EXPECT_EQ(status.reason, "NotFound");
  EXPECT_EQ(status.details_name, "x");
  EXPECT_EQ(status.details_group, "apps");
  EXPECT_EQ(status.details_kind, "deployments");
}

TEST(StatusTest, InvalidWithOneCausePrintsItBare) {
  Status status = Invalid("ListOptions", "meta.k8s.io", "",
                          {{.reason = "FieldValueForbidden",
                            .message = "Forbidden: resourceVersionMatch is forbidden unless "
                                       "resourceVersion is provided",
                            .field = "resourceVersionMatch"}});
  EXPECT_EQ(status.code, 422);
  EXPECT_EQ(
      status.ToJson(),
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided","reason":"Invalid","details":{"group":"meta.k8s.io","kind":"ListOptions","causes":[{"reason":"FieldValueForbidden","message":"Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided","field":"resourceVersionMatch"}]},"code":422})"
      "\n");
}

TEST(StatusTest, InvalidWithTwoCausesBracketsThem) {
  Status status = Invalid(
      "ListOptions", "meta.k8s.io", "",
      {{.reason = "FieldValueForbidden", .message = "Forbidden: a", .field = "x"},
       {.reason = "FieldValueNotSupported",
        .message = "Unsupported value: \"v\": supported values: \"NotOlderThan\"",
        .field = "y"}});
  EXPECT_EQ(
      status.ToJson(),
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ListOptions.meta.k8s.io \"\" is invalid: [x: Forbidden: a, y: Unsupported value: \"v\": supported values: \"NotOlderThan\"]","reason":"Invalid","details":{"group":"meta.k8s.io","kind":"ListOptions","causes":[{"reason":"FieldValueForbidden","message":"Forbidden: a","field":"x"},{"reason":"FieldValueNotSupported","message":"Unsupported value: \"v\": supported values: \"NotOlderThan\"","field":"y"}]},"code":422})"
      "\n");
}

TEST(StatusTest, InvalidOfANamedObjectNamesIt) {
  Status status = Invalid("Widget", "example.com", "w",
                          {{.reason = "FieldValueRequired", .message = "Required value",
                            .field = "spec.size"}});
  EXPECT_EQ(
      status.ToJson(),
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Widget.example.com \"w\" is invalid: spec.size: Required value","reason":"Invalid","details":{"name":"w","group":"example.com","kind":"Widget","causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.size"}]},"code":422})"
      "\n");
}

TEST(StatusTest, TooLargeResourceVersionCarriesTheCauseReflectorsLookFor) {
  // kube-api.md §2.7.
  Status status = TooLargeResourceVersion(999999, 10245);
  EXPECT_EQ(status.code, 504);
  EXPECT_EQ(status.retry_after_seconds, 1);
  EXPECT_EQ(
      status.ToJson(),
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Timeout: Too large resource version: 999999, current: 10245","reason":"Timeout","details":{"causes":[{"reason":"ResourceVersionTooLarge","message":"Too large resource version"}],"retryAfterSeconds":1},"code":504})"
      "\n");
}

TEST(StatusTest, ExpiredListHasNoDetails) {
  EXPECT_EQ(
      Expired("The resourceVersion for the provided list is too old.").ToJson(),
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"The resourceVersion for the provided list is too old.","reason":"Expired","code":410})"
      "\n");
}

TEST(StatusTest, ExpiredContinueOffersAFreshTokenInItsMetadata) {
  // kube-api.md §2.6.
  Status status = Expired(
      "The provided continue parameter is too old to display a consistent list result. You can "
      "start a new list without the continue parameter, or use the continue token in this "
      "response to retrieve the remainder of the results. Continuing with the provided token "
      "results in an inconsistent list - objects that were created, modified, or deleted "
      "between the time the first chunk was returned and now may show up in the list.");
  status.continue_token =
      "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6LTEsInN0YXJ0IjoibmdpbngtN2Q0Ylx1MDAwMCJ9";
  EXPECT_EQ(
      status.ToJson(),
      R"({"kind":"Status","apiVersion":"v1","metadata":{"continue":"eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6LTEsInN0YXJ0IjoibmdpbngtN2Q0Ylx1MDAwMCJ9"},"status":"Failure","message":"The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.","reason":"Expired","code":410})"
      "\n");
}

TEST(StatusTest, BadRequestCarriesTheMessageOnly) {
  // kube-api.md §2.3.
  EXPECT_EQ(
      BadRequest("unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt")
          .ToJson(),
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt","reason":"BadRequest","code":400})"
      "\n");
}

TEST(StatusTest, MessageIsEscapedLikeGo) {
  EXPECT_EQ(
      BadRequest("a<b & \"c\"\n").ToJson(),
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"a\u003cb \u0026 \"c\"\n","reason":"BadRequest","code":400})"
      "\n");
}

TEST(StatusTest, TooManyRequestsWhileInitialising) {
  // kube-api.md §2.8.
  EXPECT_EQ(
      TooManyRequests("storage is (re)initializing", 1).ToJson(),
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"storage is (re)initializing","reason":"TooManyRequests","details":{"retryAfterSeconds":1},"code":429})"
      "\n");
}

TEST(StatusTest, InternalErrorRepeatsTheErrorAsACause) {
  EXPECT_EQ(
      InternalError("boom").ToJson(),
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Internal error occurred: boom","reason":"InternalError","details":{"causes":[{"message":"boom"}]},"code":500})"
      "\n");
}

TEST(StatusTest, MethodNotAllowedNamesTheQualifiedResource) {
  EXPECT_EQ(
      MethodNotAllowed("watch", "deployments", "apps").ToJson(),
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"watch is not supported on resources of kind \"deployments.apps\"","reason":"MethodNotAllowed","details":{"group":"apps","kind":"deployments"},"code":405})"
      "\n");
}

TEST(StatusTest, EmptyDetailsAreWrittenAsAnEmptyObject) {
  EXPECT_EQ(
      Timeout("Timeout: request did not complete").ToJson(),
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Timeout: request did not complete","reason":"Timeout","details":{},"code":504})"
      "\n");
}

TEST(StatusTest, QualifiedResourceAppendsTheGroup) {
  EXPECT_EQ(QualifiedResource("pods", ""), "pods");
  EXPECT_EQ(QualifiedResource("deployments", "apps"), "deployments.apps");
}

TEST(StatusTest, ReasonPhraseIsTheStandardHttpText) {
  EXPECT_EQ(ReasonPhrase(404), "Not Found");
  EXPECT_EQ(ReasonPhrase(410), "Gone");
  EXPECT_EQ(ReasonPhrase(422), "Unprocessable Entity");
  EXPECT_EQ(ReasonPhrase(504), "Gateway Timeout");
  EXPECT_EQ(ReasonPhrase(299), "");
}

}  // namespace
}  // namespace kcache
