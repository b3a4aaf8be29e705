#include "kube/request_info.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kube/query_params.h"

// Cases mirror k8s.io/apiserver/pkg/endpoints/request/requestinfo_test.go
// (TestGetAPIRequestInfo, TestGetNonAPIRequestInfo, TestSelectorParsing).

namespace kcache {
namespace {

RequestInfo Info(std::string_view method, std::string_view url) {
  size_t question = url.find('?');
  std::string_view path = url.substr(0, question);
  std::string_view query = question == std::string_view::npos ? "" : url.substr(question + 1);
  return ParseRequestInfo(method, path, QueryParams::Parse(query));
}

// The fields requestinfo_test.go compares, as one printable value.
struct Expected {
  std::string verb;
  std::string api_prefix;
  std::string api_group;
  std::string api_version;
  std::string namespace_name;
  std::string resource;
  std::string subresource;
  std::string name;
};

void ExpectInfo(std::string_view method, std::string_view url, const Expected& expected) {
  SCOPED_TRACE(std::string(method) + " " + std::string(url));
  RequestInfo info = Info(method, url);
  EXPECT_TRUE(info.is_resource_request);
  EXPECT_EQ(info.verb, expected.verb);
  EXPECT_EQ(info.api_prefix, expected.api_prefix);
  EXPECT_EQ(info.api_group, expected.api_group);
  EXPECT_EQ(info.api_version, expected.api_version);
  EXPECT_EQ(info.namespace_name, expected.namespace_name);
  EXPECT_EQ(info.resource, expected.resource);
  EXPECT_EQ(info.subresource, expected.subresource);
  EXPECT_EQ(info.name, expected.name);
}

// ---- Resource paths -------------------------------------------------------------------------

TEST(RequestInfoTest, CorePathsNameResourceNamespaceAndObject) {
  ExpectInfo("GET", "/api/v1/namespaces", {"list", "api", "", "v1", "", "namespaces", "", ""});
  ExpectInfo("GET", "/api/v1/namespaces/other",
             {"get", "api", "", "v1", "other", "namespaces", "", "other"});
  ExpectInfo("GET", "/api/v1/namespaces/other/pods",
             {"list", "api", "", "v1", "other", "pods", "", ""});
  ExpectInfo("GET", "/api/v1/namespaces/other/pods/foo",
             {"get", "api", "", "v1", "other", "pods", "", "foo"});
  ExpectInfo("HEAD", "/api/v1/namespaces/other/pods/foo",
             {"get", "api", "", "v1", "other", "pods", "", "foo"});
  ExpectInfo("GET", "/api/v1/pods", {"list", "api", "", "v1", "", "pods", "", ""});
  ExpectInfo("HEAD", "/api/v1/pods", {"list", "api", "", "v1", "", "pods", "", ""});
}

TEST(RequestInfoTest, GroupPathsNameTheGroup) {
  ExpectInfo("GET", "/apis/apps/v1/namespaces/ns/deployments/d",
             {"get", "apis", "apps", "v1", "ns", "deployments", "", "d"});
  ExpectInfo("GET", "/apis/apps/v1/deployments",
             {"list", "apis", "apps", "v1", "", "deployments", "", ""});
  ExpectInfo("POST", "/apis/extensions/v1beta3/namespaces/other/pods",
             {"create", "apis", "extensions", "v1beta3", "other", "pods", "", ""});
}

TEST(RequestInfoTest, ClusterScopedPathsHaveNoNamespace) {
  ExpectInfo("GET", "/api/v1/nodes/node-1", {"get", "api", "", "v1", "", "nodes", "", "node-1"});
  ExpectInfo("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles",
             {"list", "apis", "rbac.authorization.k8s.io", "v1", "", "clusterroles", "", ""});
}

TEST(RequestInfoTest, OuterSlashesAreIgnored) {
  ExpectInfo("GET", "/api/v1/namespaces/other/pods/",
             {"list", "api", "", "v1", "other", "pods", "", ""});
  ExpectInfo("GET", "//api/v1/pods//", {"list", "api", "", "v1", "", "pods", "", ""});
}

// ---- Watch ----------------------------------------------------------------------------------

TEST(RequestInfoTest, LegacyWatchPathsAreWatches) {
  ExpectInfo("GET", "/api/v1/watch/pods", {"watch", "api", "", "v1", "", "pods", "", ""});
  ExpectInfo("GET", "/api/v1/watch/namespaces/other/pods",
             {"watch", "api", "", "v1", "other", "pods", "", ""});
  ExpectInfo("GET", "/api/v1/watch/namespaces/other/pods/foo",
             {"watch", "api", "", "v1", "other", "pods", "", "foo"});
  EXPECT_TRUE(Info("GET", "/api/v1/watch/pods").verb_from_path);
  EXPECT_FALSE(Info("GET", "/api/v1/pods?watch=true").verb_from_path);
}

TEST(RequestInfoTest, WatchParameterTurnsAListIntoAWatch) {
  ExpectInfo("GET", "/api/v1/pods?watch=true", {"watch", "api", "", "v1", "", "pods", "", ""});
  ExpectInfo("GET", "/api/v1/pods?watch=false", {"list", "api", "", "v1", "", "pods", "", ""});
  ExpectInfo("GET", "/api/v1/namespaces/other/pods?watch=1",
             {"watch", "api", "", "v1", "other", "pods", "", ""});
  ExpectInfo("GET", "/api/v1/namespaces/other/pods?watch=0",
             {"list", "api", "", "v1", "other", "pods", "", ""});
}

TEST(RequestInfoTest, WatchParameterDoesNotAffectAGetOfOneObject) {
  ExpectInfo("GET", "/api/v1/namespaces/other/pods/foo?watch=true",
             {"get", "api", "", "v1", "other", "pods", "", "foo"});
}

// ---- Subresources ---------------------------------------------------------------------------

TEST(RequestInfoTest, ThirdPartAfterTheNameIsTheSubresource) {
  ExpectInfo("GET", "/api/v1/namespaces/other/pods/foo/status",
             {"get", "api", "", "v1", "other", "pods", "status", "foo"});
  ExpectInfo("GET", "/api/v1/namespaces/other/pods/foo/proxy/subpath",
             {"get", "api", "", "v1", "other", "pods", "proxy", "foo"});
}

TEST(RequestInfoTest, NamespaceStatusAndFinalizeAreSubresourcesOfTheNamespace) {
  ExpectInfo("PUT", "/api/v1/namespaces/other/finalize",
             {"update", "api", "", "v1", "other", "namespaces", "finalize", "other"});
  ExpectInfo("PUT", "/api/v1/namespaces/other/status",
             {"update", "api", "", "v1", "other", "namespaces", "status", "other"});
  ExpectInfo("GET", "/api/v1/namespaces/other/status",
             {"get", "api", "", "v1", "other", "namespaces", "status", "other"});
}

TEST(RequestInfoTest, ProxyVerbHasNoSubresource) {
  ExpectInfo("GET", "/api/v1/proxy/namespaces/other/pods/foo",
             {"proxy", "api", "", "v1", "other", "pods", "", "foo"});
  ExpectInfo("GET", "/api/v1/proxy/namespaces/other/pods/foo/subpath/not/a/subresource",
             {"proxy", "api", "", "v1", "other", "pods", "", "foo"});
}

// ---- Verbs ----------------------------------------------------------------------------------

TEST(RequestInfoTest, MethodsMapToVerbs) {
  ExpectInfo("PATCH", "/api/v1/namespaces/other/pods/foo",
             {"patch", "api", "", "v1", "other", "pods", "", "foo"});
  ExpectInfo("DELETE", "/api/v1/namespaces/other/pods/foo",
             {"delete", "api", "", "v1", "other", "pods", "", "foo"});
  ExpectInfo("POST", "/api/v1/namespaces/other/pods",
             {"create", "api", "", "v1", "other", "pods", "", ""});
  ExpectInfo("PUT", "/api/v1/namespaces/other/pods/foo",
             {"update", "api", "", "v1", "other", "pods", "", "foo"});
  ExpectInfo("OPTIONS", "/api/v1/namespaces/other/pods",
             {"", "api", "", "v1", "other", "pods", "", ""});
}

TEST(RequestInfoTest, DeleteWithoutNameIsDeleteCollection) {
  ExpectInfo("DELETE", "/api/v1/nodes", {"deletecollection", "api", "", "v1", "", "nodes", "", ""});
  ExpectInfo("DELETE", "/api/v1/namespaces",
             {"deletecollection", "api", "", "v1", "", "namespaces", "", ""});
  ExpectInfo("DELETE", "/api/v1/namespaces/other/pods",
             {"deletecollection", "api", "", "v1", "other", "pods", "", ""});
  ExpectInfo("DELETE", "/apis/extensions/v1/namespaces/other/pods",
             {"deletecollection", "apis", "extensions", "v1", "other", "pods", "", ""});
}

// ---- Non-resource requests ------------------------------------------------------------------

TEST(RequestInfoTest, ShortOrForeignPathsAreNotResourceRequests) {
  for (std::string_view path :
       {"/", "", "/api", "/api/version", "/api/version/", "/apis/extensions/v1beta1",
        "/apis/extensions/v1beta1/", "/apis/version/resource", "/badprefix/version/resource",
        "/not-api/version/resource", "/healthz"}) {
    RequestInfo info = Info("GET", path);
    EXPECT_FALSE(info.is_resource_request) << path;
    EXPECT_EQ(info.verb, "get") << path;
    EXPECT_EQ(info.path, path);
  }
  EXPECT_EQ(Info("POST", "/healthz").verb, "post");
}

TEST(RequestInfoTest, LongEnoughApiPathsAreResourceRequests) {
  for (std::string_view path :
       {"/api/version/resource", "/apis/group/version/resource/name/subresource",
        "/api/version/resource/name/subresource", "/apis/batch/v1/job", "/apis/batch/v1/job/foo",
        "/apis/batch/v1/job/foo/scale"}) {
    EXPECT_TRUE(Info("GET", path).is_resource_request) << path;
  }
}

// ---- Name from a metadata.name field selector -----------------------------------------------

TEST(RequestInfoTest, NameSelectorNamesTheObjectOfAList) {
  RequestInfo info = Info("GET", "/apis/group/version/resource?fieldSelector=metadata.name=name1");
  EXPECT_EQ(info.verb, "list");
  EXPECT_EQ(info.name, "name1");
  EXPECT_TRUE(info.name_from_selector);
}

TEST(RequestInfoTest, NameSelectorNamesTheObjectOfAWatch) {
  RequestInfo info =
      Info("GET", "/apis/group/version/resource?watch=true&fieldSelector=metadata.name%3D%3Dname1");
  EXPECT_EQ(info.verb, "watch");
  EXPECT_EQ(info.name, "name1");
  EXPECT_TRUE(info.name_from_selector);
}

TEST(RequestInfoTest, OtherSelectorsNameNothing) {
  RequestInfo info =
      Info("GET", "/apis/group/version/resource?fieldSelector=foo=bar&labelSelector=baz=qux");
  EXPECT_EQ(info.verb, "list");
  EXPECT_EQ(info.name, "");
  EXPECT_FALSE(info.name_from_selector);
  EXPECT_EQ(Info("GET", "/api/v1/pods?fieldSelector=metadata.name!%3Dx").name, "");
}

TEST(RequestInfoTest, InvalidNameSelectorNamesNothing) {
  EXPECT_EQ(Info("GET", "/apis/group/version/resource?fieldSelector=metadata.name=name1,foo").name,
            "");
  RequestInfo watch =
      Info("GET", "/apis/group/version/resource?fieldSelector=metadata.name=name1,foo&watch=true");
  EXPECT_EQ(watch.name, "");
  EXPECT_EQ(watch.verb, "watch");
  RequestInfo list =
      Info("GET", "/apis/group/version/resource?fieldSelector=metadata.name=name1,foo&watch=false");
  EXPECT_EQ(list.name, "");
  EXPECT_EQ(list.verb, "list");
}

TEST(RequestInfoTest, NameThatIsNotAPathSegmentNamesNothing) {
  EXPECT_EQ(Info("GET", "/api/v1/pods?fieldSelector=metadata.name%3D..").name, "");
  EXPECT_EQ(Info("GET", "/api/v1/pods?fieldSelector=metadata.name%3D.").name, "");
  EXPECT_EQ(Info("GET", "/api/v1/pods?fieldSelector=metadata.name%3Da%2Fb").name, "");
  EXPECT_EQ(Info("GET", "/api/v1/pods?fieldSelector=metadata.name%3Da%25b").name, "");
}

TEST(RequestInfoTest, FirstOfRepeatedSelectorsNamesTheObject) {
  EXPECT_EQ(Info("GET",
                 "/apis/group/version/resource?fieldSelector=metadata.name=foo"
                 "&fieldSelector=metadata.name=bar")
                .name,
            "foo");
}

TEST(RequestInfoTest, SelectorIsIgnoredWhenThePathNamesTheObject) {
  RequestInfo get =
      Info("GET", "/apis/group/version/resource/name?fieldSelector=metadata.name=foo");
  EXPECT_EQ(get.name, "name");
  EXPECT_EQ(get.verb, "get");
  EXPECT_FALSE(get.name_from_selector);
  RequestInfo watch =
      Info("GET", "/apis/group/version/watch/resource/name?fieldSelector=metadata.name=foo");
  EXPECT_EQ(watch.name, "name");
  EXPECT_EQ(watch.verb, "watch");
}

TEST(RequestInfoTest, SelectorOfALegacyCollectionWatchIsNotParsed) {
  RequestInfo info =
      Info("GET", "/apis/group/version/watch/resource?fieldSelector=metadata.name=foo");
  EXPECT_EQ(info.name, "");
  EXPECT_EQ(info.verb, "watch");
}

TEST(RequestInfoTest, SelectorOnDeleteCollectionNamesNothing) {
  RequestInfo info =
      Info("DELETE", "/apis/group/version/resource?fieldSelector=metadata.name=foo");
  EXPECT_EQ(info.verb, "deletecollection");
  EXPECT_EQ(info.name, "");
}

// BUG (kube/request_info.cc, NameFromFieldSelector): Go reads the name with
// fields.ParseSelector(...).RequiresExactMatch("metadata.name"), which finds the term in a
// selector of several terms; kcache only recognises a selector that is that one term, so the
// name (and name_from_selector) stays empty.
TEST(RequestInfoTest, NameTermAmongOtherTermsNamesTheObject) {
  EXPECT_EQ(Info("GET", "/api/v1/pods?fieldSelector=metadata.name%3Dfoo,spec.nodeName%3Dn1").name,
            "foo");
  EXPECT_EQ(Info("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dn1,metadata.name%3Dfoo").name,
            "foo");
}

// BUG (kube/request_info.cc, ParseRequestInfo): when the list options do not decode (a bad
// limit, an unparsable selector) requestinfo.go resets them and takes only `watch` from the
// query, so no name comes from the field selector; kcache still takes it.
TEST(RequestInfoTest, UndecodableListOptionsNameNothing) {
  RequestInfo bad_limit = Info("GET", "/api/v1/pods?limit=abc&fieldSelector=metadata.name%3Dfoo");
  EXPECT_EQ(bad_limit.verb, "list");
  EXPECT_EQ(bad_limit.name, "");
  EXPECT_FALSE(bad_limit.name_from_selector);
  RequestInfo bad_labels =
      Info("GET", "/api/v1/pods?watch=1&labelSelector=a%20b&fieldSelector=metadata.name%3Dfoo");
  EXPECT_EQ(bad_labels.verb, "watch");
  EXPECT_EQ(bad_labels.name, "");
}

// ---- SplitPath ------------------------------------------------------------------------------

TEST(RequestInfoTest, SplitPathDropsOuterSlashes) {
  EXPECT_EQ(SplitPath("/api/v1/pods/"), (std::vector<std::string>{"api", "v1", "pods"}));
  EXPECT_EQ(SplitPath("api"), (std::vector<std::string>{"api"}));
  EXPECT_TRUE(SplitPath("/").empty());
  EXPECT_TRUE(SplitPath("").empty());
  EXPECT_EQ(SplitPath("/a//b"), (std::vector<std::string>{"a", "", "b"}));
}

}  // namespace
}  // namespace kcache
