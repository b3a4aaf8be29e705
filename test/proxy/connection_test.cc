// The request loop of a client connection (proxy/connection.cc) fed bytes a client may send,
// without credentials and without a network: what it answers, and that it always ends.

#include "proxy/connection.h"

#include <string>

#include <gtest/gtest.h>

#include "kube/failures.h"
#include "kube/http_parser.h"
#include "test/proxy/offline_server.h"

namespace kcache {
namespace {

std::string StatusLine(const std::string& response) {
  return response.substr(0, response.find("\r\n"));
}

std::string Get(const std::string& path, const std::string& headers = "") {
  return "GET " + path + " HTTP/1.1\r\nHost: kcache\r\n" + headers + "\r\n";
}

TEST(ConnectionTest, AHeaderValueLongerThanBeastHoldsGets431AndTheConnectionEnds) {
  // The request that once ended the process: one 70,000-byte value, no credentials.
  test::OfflineServer server;
  auto served = server.Serve(Get("/version", "X-Big: " + std::string(70000, 'a') + "\r\n"));
  EXPECT_TRUE(served.finished);
  EXPECT_EQ(StatusLine(served.written), "HTTP/1.1 431 Request Header Fields Too Large");
}

TEST(ConnectionTest, AHeaderNameLongerThanBeastHoldsGets431) {
  test::OfflineServer server;
  auto served = server.Serve(Get("/version", std::string(70000, 'X') + ": 1\r\n"));
  EXPECT_TRUE(served.finished);
  EXPECT_EQ(StatusLine(served.written), "HTTP/1.1 431 Request Header Fields Too Large");
}

TEST(ConnectionTest, TheLongestValueBeastHoldsIsServed) {
  test::OfflineServer server;
  auto served =
      server.Serve(Get("/healthz", "X-Big: " + std::string(kMaxHeaderFieldBytes, 'a') + "\r\n"));
  EXPECT_TRUE(served.finished);
  EXPECT_EQ(StatusLine(served.written), "HTTP/1.1 200 OK");
}

TEST(ConnectionTest, ChunkedTrailersLongerThanBeastHoldsGet431) {
  test::OfflineServer server;
  std::string request =
      "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: kcache\r\n"
      "Transfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nX-Trailer: " +
      std::string(70000, 't') + "\r\n\r\n";
  auto served = server.Serve(request);
  EXPECT_TRUE(served.finished);
  EXPECT_EQ(StatusLine(served.written), "HTTP/1.1 431 Request Header Fields Too Large");
}

TEST(ConnectionTest, HeadersOverTheLimitInAllGet431) {
  test::OfflineServer server;
  std::string headers;
  for (int i = 0; i < 40; ++i) headers += "X-Pad-" + std::to_string(i) + ": " + std::string(30000, 'p') + "\r\n";
  auto served = server.Serve(Get("/healthz", headers));
  EXPECT_TRUE(served.finished);
  EXPECT_EQ(StatusLine(served.written), "HTTP/1.1 431 Request Header Fields Too Large");
}

TEST(ConnectionTest, WithoutCredentialsAResourceRequestGets401AndTheConnectionStaysOpen) {
  test::OfflineServer server;
  auto served = server.Serve(Get("/api/v1/pods") + Get("/livez"));
  EXPECT_TRUE(served.finished);
  EXPECT_EQ(StatusLine(served.written), "HTTP/1.1 401 Unauthorized");
  // The second request on the same connection was answered too.
  EXPECT_NE(served.written.find("HTTP/1.1 200 OK"), std::string::npos) << served.written;
}

TEST(ConnectionTest, UnreadableRequestsGetGosPlainAnswers) {
  test::OfflineServer server;
  EXPECT_EQ(StatusLine(server.Serve("GARBAGE\r\n\r\n").written), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(StatusLine(server.Serve("GET / HTTP/9.9\r\n\r\n").written),
            "HTTP/1.1 505 HTTP Version Not Supported: unsupported protocol version");
  EXPECT_EQ(StatusLine(server.Serve("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n").written),
            "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(StatusLine(server.Serve("GET x HTTP/1.1\r\nHost: x\r\n\r\n").written),
            "HTTP/1.1 400 Bad Request");
}

TEST(ConnectionTest, ABodyOverTheLimitIsReadThenRefusedWith413) {
  test::OfflineServer server;
  std::string body(3 * 1024 * 1024 + 1, '{');
  auto served = server.Serve(
      "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: kcache\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body, 64 * 1024);
  EXPECT_TRUE(served.finished);
  EXPECT_EQ(StatusLine(served.written), "HTTP/1.1 413 Request Entity Too Large");
}

TEST(ConnectionTest, AConnectionThatEndsMidRequestGetsNothing) {
  test::OfflineServer server;
  auto served = server.Serve("GET /api/v1/pods HTTP/1.1\r\nHost: kc");
  EXPECT_TRUE(served.finished);
  EXPECT_EQ(served.written, "");
}

TEST(ConnectionTest, AnUnreachableUpstreamIsA503ForWhatPassesThrough) {
  test::OfflineServer server({.anonymous = true});
  auto served = server.Serve(Get("/api/v1/namespaces/default/pods/x/log"), 7);
  EXPECT_TRUE(served.finished);
  EXPECT_EQ(StatusLine(served.written), "HTTP/1.1 503 Service Unavailable");
}


TEST(ConnectionTest, TransferEncodingsOtherThanOneChunkedGet501) {
  test::OfflineServer server;
  for (std::string encoding : {"gzip", "chunked, chunked", "gzip, chunked"}) {
    auto served = server.Serve(
        "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: kcache\r\n"
        "Transfer-Encoding: " + encoding + "\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
    EXPECT_EQ(served.written,
              "HTTP/1.1 501 Not Implemented\r\nContent-Type: text/plain; charset=utf-8\r\n"
              "Connection: close\r\n\r\nUnsupported transfer encoding")
        << encoding;
  }
}

TEST(ConnectionTest, HostIsRequiredOnHttp11AndMustBeAHost) {
  test::OfflineServer server;
  EXPECT_EQ(StatusLine(server.Serve("GET /livez HTTP/1.1\r\n\r\n").written),
            "HTTP/1.1 400 Bad Request: missing required Host header");
  EXPECT_EQ(StatusLine(server.Serve("GET /livez HTTP/1.1\r\nHost: a b\r\n\r\n").written),
            "HTTP/1.1 400 Bad Request: malformed Host header");
  EXPECT_EQ(StatusLine(server.Serve("GET /livez HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").written),
            "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(StatusLine(server.Serve("GET /livez HTTP/1.0\r\n\r\n").written), "HTTP/1.0 200 OK");
}

TEST(ConnectionTest, AClientExpectingContinueGetsItBeforeItsBodyIsRead) {
  test::OfflineServer server;
  auto served = server.Serve(
      "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: kcache\r\n"
      "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_TRUE(served.written.starts_with("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 401 "))
      << served.written;
  // A body over the limit is refused before the client sends it.
  served = server.Serve(
      "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: kcache\r\n"
      "Expect: 100-continue\r\nContent-Length: 4000000\r\n\r\n");
  EXPECT_EQ(StatusLine(served.written), "HTTP/1.1 413 Request Entity Too Large");
  // Another expectation is refused, as Go refuses it.
  served = server.Serve(
      "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: kcache\r\n"
      "Expect: teapot\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_EQ(StatusLine(served.written), "HTTP/1.1 417 Expectation Failed");
}

TEST(ConnectionTest, AbsoluteTargetsAreServedAsTheirPath) {
  test::OfflineServer server;
  EXPECT_EQ(StatusLine(server.Serve(Get("https://kcache:8443/livez")).written), "HTTP/1.1 200 OK");
  EXPECT_EQ(StatusLine(server.Serve(Get("https://kcache")).written), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(StatusLine(server.Serve("OPTIONS * HTTP/1.1\r\nHost: kcache\r\n\r\n").written),
            "HTTP/1.1 200 OK");
}


// Requests kcache passes through that Beast refuses to build as they came: each reaches the
// (here unreachable) upstream instead of throwing.
TEST(ConnectionTest, OddRequestsPassedThroughAreBuiltWithoutThrowing) {
  test::OfflineServer server({.anonymous = true});
  uint64_t contained = Failures::Process().Count(kBoundaryRequest);
  // A TRACE with a body (Beast's prepare_payload throws for it).
  EXPECT_EQ(StatusLine(server.Serve("TRACE /version HTTP/1.1\r\nHost: kcache\r\n"
                                    "Content-Length: 5\r\n\r\nhello").written),
            "HTTP/1.1 503 Service Unavailable");
  // A method Beast does not know.
  EXPECT_EQ(StatusLine(server.Serve(Get("/api/v1/pods").replace(0, 3, "BREW")).written),
            "HTTP/1.1 503 Service Unavailable");
  // An X-Forwarded-For with no room left for the client's address.
  EXPECT_EQ(StatusLine(server.Serve(Get("/api/v1/namespaces/default/pods/x/log",
                                        "X-Forwarded-For: " +
                                            std::string(kMaxHeaderFieldBytes, '1') + "\r\n"))
                           .written),
            "HTTP/1.1 503 Service Unavailable");
  // CONNECT, whose target is an authority.
  EXPECT_EQ(StatusLine(server.Serve("CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: x\r\n\r\n").written),
            "HTTP/1.1 503 Service Unavailable");
  EXPECT_EQ(Failures::Process().Count(kBoundaryRequest), contained);
}

TEST(ConnectionTest, VersionsGoReadsGet505AndOthersA400) {
  test::OfflineServer server;
  EXPECT_EQ(StatusLine(server.Serve("GET / HTTP/2.0\r\nHost: x\r\n\r\n").written),
            "HTTP/1.1 505 HTTP Version Not Supported: unsupported protocol version");
  EXPECT_EQ(StatusLine(server.Serve("GET / http/1.1\r\nHost: x\r\n\r\n").written),
            "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(StatusLine(server.Serve("GET / HTTP/1.1\nHost: x\n\n").written),
            "HTTP/1.1 400 Bad Request");
}

}  // namespace
}  // namespace kcache
