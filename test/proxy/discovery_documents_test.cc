#include "proxy/discovery_documents.h"

#include <gtest/gtest.h>

#include <string>

namespace kcache {
namespace {

namespace http = boost::beast::http;

constexpr const char* kKubectlDiscovery =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

std::optional<DiscoveryKey> KeyFor(const std::string& target, const std::string& accept = "",
                                   http::verb method = http::verb::get) {
  http::request_header<http::fields> request;
  request.method(method);
  request.target(target);
  if (!accept.empty()) request.set(http::field::accept, accept);
  return DiscoveryKeyFor(request);
}

FetchResult Answer(unsigned status, const std::string& content_type, const std::string& body) {
  FetchResult fetched;
  fetched.status = status;
  if (!content_type.empty()) fetched.headers.set(http::field::content_type, content_type);
  fetched.body = body;
  return fetched;
}

TEST(DiscoveryKeyTest, KubectlDiscoveryIsKeyedByPathAndAccept) {
  auto key = KeyFor("/apis?timeout=32s", kKubectlDiscovery);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->target, "/apis");
  EXPECT_EQ(key->accept, kKubectlDiscovery);
  EXPECT_EQ(KeyFor("/apis", kKubectlDiscovery), key);
}

TEST(DiscoveryKeyTest, AcceptIsKeyedWithoutBlanks) {
  auto key = KeyFor("/openapi/v3?timeout=32s", "application/json, */*");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->accept, "application/json,*/*");
  EXPECT_EQ(KeyFor("/openapi/v3", "application/json,\t*/*"), key);
  EXPECT_NE(KeyFor("/openapi/v3", "application/json"), key);
  EXPECT_EQ(KeyFor("/version")->accept, "");
}

TEST(DiscoveryKeyTest, EveryDiscoveryAndOpenApiPathHasAKey) {
  for (const char* path :
       {"/api", "/api/v1", "/apis", "/apis/apps", "/apis/apps/v1", "/apis/example.com/v1beta1",
        "/version", "/openapi/v2", "/openapi/v3", "/openapi/v3/api/v1",
        "/openapi/v3/apis/apps/v1", "/openapi/v3/.well-known/openid-configuration"}) {
    EXPECT_TRUE(KeyFor(path)) << path;
  }
}

TEST(DiscoveryKeyTest, OtherPathsHaveNone) {
  for (const char* path :
       {"/", "/api/", "/api/v1/pods", "/api/v1/namespaces/default/pods",
        "/apis/apps/v1/deployments", "/apis//apps", "/ap%69", "/apis/app%73", "/versions",
        "/version/", "/healthz", "/metrics", "/openapi", "/openapi/v2/x", "/openapi/v4",
        "/openapi/v3/../v2", "/openapi/v3/./api", "/openapi/v3/a/b/c/d/e", "/logs"}) {
    EXPECT_FALSE(KeyFor(path)) << path;
  }
}

TEST(DiscoveryKeyTest, HashIsPartOfTheKeyOfOpenApiV3DocumentsOnly) {
  auto key = KeyFor("/openapi/v3/api/v1?hash=8F5F21DF&timeout=32s", "application/json");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->target, "/openapi/v3/api/v1?hash=8F5F21DF");
  EXPECT_EQ(KeyFor("/openapi/v3/api/v1?timeout=32s&hash=8F5F21DF", "application/json"), key);
  EXPECT_NE(KeyFor("/openapi/v3/api/v1?hash=8F5F21E0", "application/json"), key);
  EXPECT_FALSE(KeyFor("/openapi/v3?hash=8F5F21DF"));
  EXPECT_FALSE(KeyFor("/apis?hash=8F5F21DF"));
  EXPECT_FALSE(KeyFor("/openapi/v3/api/v1?hash=not-hex"));
  EXPECT_FALSE(KeyFor("/openapi/v3/api/v1?hash="));
  EXPECT_FALSE(KeyFor("/openapi/v3/api/v1?hash=AB&hash=AB"));
  EXPECT_FALSE(KeyFor("/openapi/v3/api/v1?hash=" + std::string(129, 'A')));
}

TEST(DiscoveryKeyTest, OnlyClientGoTimeoutsAreIgnored) {
  for (const char* timeout : {"32s", "1m0s", "2h0m0s", "300s"}) {
    EXPECT_TRUE(KeyFor(std::string("/apis?timeout=") + timeout)) << timeout;
  }
  for (const char* timeout : {"", "0s", "032s", "1m30s", "500ms", "-1s", "32", "1e3s", "32s "}) {
    EXPECT_FALSE(KeyFor(std::string("/apis?timeout=") + timeout)) << timeout;
  }
  EXPECT_FALSE(KeyFor("/apis?timeout=32s&timeout=32s"));
}

TEST(DiscoveryKeyTest, OtherQueryParametersGoToTheUpstream) {
  for (const char* target : {"/apis?pretty=true", "/apis?pretty", "/api?watch=1", "/apis?&",
                             "/version?timeout=32s&x=1", "/apis?timeout%3D32s"}) {
    EXPECT_FALSE(KeyFor(target)) << target;
  }
  EXPECT_TRUE(KeyFor("/apis?"));
}

TEST(DiscoveryKeyTest, PreconditionsRangesAndOddAcceptsGoToTheUpstream) {
  for (http::field field : {http::field::range, http::field::if_range, http::field::if_match,
                            http::field::if_modified_since, http::field::if_unmodified_since}) {
    http::request_header<http::fields> request;
    request.method(http::verb::get);
    request.target("/openapi/v2");
    request.set(field, "x");
    EXPECT_FALSE(DiscoveryKeyFor(request)) << field;
  }
  http::request_header<http::fields> twice;
  twice.method(http::verb::get);
  twice.target("/apis");
  twice.insert(http::field::accept, "application/json");
  twice.insert(http::field::accept, "application/vnd.kubernetes.protobuf");
  EXPECT_FALSE(DiscoveryKeyFor(twice));
  EXPECT_FALSE(KeyFor("/apis", "application/json;x=\"a b\""));
  EXPECT_FALSE(KeyFor("/apis", "application/json\x7f"));
  EXPECT_FALSE(KeyFor("/apis", "application/json," + std::string(600, 'x')));
  EXPECT_FALSE(KeyFor("/apis", "", http::verb::head));
  EXPECT_FALSE(KeyFor("/apis", "", http::verb::post));
}

TEST(DiscoveryDocumentTest, KeepsTheHeadersThatDescribeTheDocument) {
  FetchResult fetched = Answer(200, "application/json", "{\"swagger\":\"2.0\"}");
  fetched.headers.set("Etag", "\"DF27\"");
  fetched.headers.set(http::field::cache_control, "no-cache, private");
  fetched.headers.set(http::field::last_modified, "Sun, 29 Nov 2026 00:19:00 GMT");
  fetched.headers.set(http::field::accept_ranges, "bytes");
  fetched.headers.insert(http::field::vary, "Accept-Encoding");
  fetched.headers.insert(http::field::vary, "Accept");
  fetched.headers.set(http::field::date, "Sun, 29 Nov 2026 00:34:13 GMT");
  fetched.headers.set("Audit-Id", "00b803b6");
  fetched.headers.set("X-Kubernetes-Pf-Flowschema-Uid", "1e304abd");
  fetched.headers.set(http::field::content_length, "17");
  auto now = std::chrono::steady_clock::now();
  auto document = KeptDocument({"/openapi/v2", ""}, fetched, now);
  ASSERT_TRUE(document);
  EXPECT_EQ(*document->body, "{\"swagger\":\"2.0\"}");
  EXPECT_EQ(document->etag, "\"DF27\"");
  EXPECT_EQ(document->confirmed, now);
  // In the upstream's order, which matters for repeated names.
  std::vector<std::pair<std::string, std::string>> expected = {
      {"Content-Type", "application/json"},
      {"Etag", "\"DF27\""},
      {"Cache-Control", "no-cache, private"},
      {"Last-Modified", "Sun, 29 Nov 2026 00:19:00 GMT"},
      {"Accept-Ranges", "bytes"},
      {"Vary", "Accept-Encoding"},
      {"Vary", "Accept"}};
  EXPECT_EQ(document->headers, expected);
}

TEST(DiscoveryDocumentTest, ALastModifiedOfTheAnswersOwnTimeIsKnownAsSuch) {
  auto now = std::chrono::steady_clock::now();
  FetchResult index = Answer(200, "text/plain; charset=utf-8", "{\"paths\":{}}");
  index.headers.set(http::field::last_modified, "Sun, 29 Nov 2026 00:32:47 GMT");
  index.headers.set(http::field::date, "Sun, 29 Nov 2026 00:32:47 GMT");
  EXPECT_TRUE(KeptDocument({"/openapi/v3", ""}, index, now)->modified_when_answered);
  // OpenAPI v2 fetched in the second its content changed: the same header, a fixed time.
  FetchResult spec = index;
  EXPECT_FALSE(KeptDocument({"/openapi/v2", ""}, spec, now)->modified_when_answered);
  FetchResult version = Answer(200, "application/json", "{}");
  version.headers.set(http::field::date, "Sun, 29 Nov 2026 00:32:47 GMT");
  EXPECT_FALSE(KeptDocument({"/version", ""}, version, now)->modified_when_answered);
}

TEST(DiscoveryDocumentTest, OnlyTwoHundredsAreKept) {
  auto now = std::chrono::steady_clock::now();
  for (unsigned status : {301u, 304u, 403u, 404u, 406u, 500u, 503u}) {
    EXPECT_FALSE(KeptDocument({"/apis/nope", ""}, Answer(status, "application/json", ""), now))
        << status;
  }
}

TEST(DiscoveryDocumentTest, LegacyApiVersionsAreNotKeptTheyNameServerAddressesByClient) {
  auto now = std::chrono::steady_clock::now();
  EXPECT_FALSE(KeptDocument({"/api", ""},
                            Answer(200, "application/json", "{\"kind\":\"APIVersions\"}"), now));
  EXPECT_FALSE(KeptDocument({"/api", ""}, Answer(200, "application/vnd.kubernetes.protobuf", ""),
                            now));
  EXPECT_TRUE(KeptDocument(
      {"/api", kKubectlDiscovery},
      Answer(200, "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", "{}"),
      now));
  EXPECT_TRUE(KeptDocument({"/apis", ""},
                           Answer(200, "application/json", "{\"kind\":\"APIGroupList\"}"), now));
}

TEST(DiscoveryDocumentTest, ANotModifiedRefreshRenewsTheCachingHeaders) {
  FetchResult fetched = Answer(200, "application/json", "{}");
  fetched.headers.set(http::field::etag, "\"8F5F\"");
  fetched.headers.set(http::field::cache_control, "public, immutable");
  fetched.headers.set(http::field::expires, "Mon, 29 Nov 2027 00:34:13 UTC");
  fetched.headers.set(http::field::last_modified, "Sat, 28 Nov 2026 23:47:17 GMT");
  auto then = std::chrono::steady_clock::now();
  auto document = KeptDocument({"/openapi/v3/api/v1?hash=8F5F", "application/json"}, fetched,
                               then);
  ASSERT_TRUE(document);

  http::fields not_modified;
  not_modified.set(http::field::etag, "\"8F5F\"");
  not_modified.set(http::field::cache_control, "public, immutable");
  not_modified.set(http::field::expires, "Mon, 29 Nov 2027 00:34:28 UTC");
  not_modified.set(http::field::date, "Sun, 29 Nov 2026 00:34:28 GMT");
  auto now = then + std::chrono::seconds(15);
  DiscoveryDocument renewed = Revalidated(*document, not_modified, now);
  EXPECT_EQ(renewed.body, document->body);  // the same bytes, not a copy
  EXPECT_EQ(renewed.confirmed, now);
  EXPECT_EQ(renewed.etag, "\"8F5F\"");
  auto value = [&](std::string_view name) {
    std::vector<std::string> values;
    for (const auto& [n, v] : renewed.headers) {
      if (n == name) values.push_back(v);
    }
    return values;
  };
  EXPECT_EQ(value("Expires"), std::vector<std::string>{"Mon, 29 Nov 2027 00:34:28 UTC"});
  EXPECT_EQ(value("Content-Type"), std::vector<std::string>{"application/json"});
  EXPECT_EQ(value("Last-Modified"), std::vector<std::string>{"Sat, 28 Nov 2026 23:47:17 GMT"});
  EXPECT_TRUE(value("Date").empty());
}

TEST(DiscoveryDocumentTest, NotModifiedCarriesTheValidatorAndCachingHeadersOnly) {
  DiscoveryDocument document;
  document.headers = {{"Accept-Ranges", "bytes"},
                      {"Cache-Control", "no-cache, private"},
                      {"Content-Type", "application/json"},
                      {"Etag", "\"DF27\""},
                      {"Last-Modified", "Sun, 29 Nov 2026 00:19:00 GMT"},
                      {"Vary", "Accept-Encoding"},
                      {"Vary", "Accept"}};
  std::vector<std::pair<std::string, std::string>> expected = {
      {"Cache-Control", "no-cache, private"},
      {"Etag", "\"DF27\""},
      {"Vary", "Accept-Encoding"},
      {"Vary", "Accept"}};
  EXPECT_EQ(NotModifiedHeaders(document), expected);
}

TEST(DiscoveryDocumentTest, IfNoneMatchWithTheCopysTagIsNotModified) {
  EXPECT_EQ(AnswerIfNoneMatch("", "\"C1F1\""), ConditionalAnswer::kDocument);
  EXPECT_EQ(AnswerIfNoneMatch("\"C1F1\"", "\"C1F1\""), ConditionalAnswer::kNotModified);
  EXPECT_EQ(AnswerIfNoneMatch("\"C1F0\"", "\"C1F1\""), ConditionalAnswer::kDocument);
  // A document without an ETag (legacy discovery, /version) never matches.
  EXPECT_EQ(AnswerIfNoneMatch("\"C1F1\"", ""), ConditionalAnswer::kDocument);
  EXPECT_EQ(AnswerIfNoneMatch("\"\"", ""), ConditionalAnswer::kDocument);
}

TEST(DiscoveryDocumentTest, IfNoneMatchListsWeakTagsAndStarsGoToTheUpstream) {
  // Aggregated discovery compares the header as one string, http.ServeContent reads a list:
  // for these the two disagree, so the upstream answers them.
  for (const char* value : {"\"C1F1\", \"x\"", "W/\"C1F1\"", "*", "C1F1", "\"C1F1", " \"C1F1\"",
                            "\"C1\"F1\""}) {
    EXPECT_EQ(AnswerIfNoneMatch(value, "\"C1F1\""), ConditionalAnswer::kUpstream) << value;
  }
}

}  // namespace
}  // namespace kcache
