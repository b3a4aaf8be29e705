#include "kube/continue_token.h"

#include <gtest/gtest.h>

#include <string>

#include "kube/json_text.h"

// Expected texts follow k8s.io/apiserver/pkg/storage/continue.go and the etcd3 store's
// "invalid continue token: %v" wrapping.

namespace kcache {
namespace {

// A token built from raw JSON, for inputs the encoder never writes.
std::string TokenOf(std::string_view json) { return Base64RawUrlEncode(json); }

// The error message of decoding `token`, or "<ok>".
std::string DecodeError(std::string_view token) {
  auto decoded = DecodeContinueToken(token);
  return decoded ? std::string("<ok>") : decoded.error().message;
}

TEST(ContinueTokenTest, EncodesLikeKubeApiserver) {
  // kube-api.md §2.6: {"v":"meta.k8s.io/v1","rv":10245,"start":"nginx-7d4b\u0000"}.
  EXPECT_EQ(EncodeContinueToken(10245, "nginx-7d4b"),
            "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTAyNDUsInN0YXJ0IjoibmdpbngtN2Q0Ylx1MDAwMCJ9");
}

TEST(ContinueTokenTest, EncodedJsonNamesVersionRvAndStartAfterTheLastKey) {
  std::string json;
  ASSERT_TRUE(Base64RawUrlDecode(EncodeContinueToken(-1, "ns/a<b"), json));
  EXPECT_EQ(json, R"({"v":"meta.k8s.io/v1","rv":-1,"start":"ns/a\u003cb\u0000"})");
}

TEST(ContinueTokenTest, RoundTripsVersionAndStart) {
  auto decoded = DecodeContinueToken(EncodeContinueToken(10245, "default/nginx-7d4b"));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->resource_version, 10245);
  EXPECT_EQ(decoded->start, std::string("default/nginx-7d4b\0", 19));
}

TEST(ContinueTokenTest, NegativeVersionMeansContinueFromLatest) {
  auto decoded = DecodeContinueToken(
      "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6LTEsInN0YXJ0IjoibmdpbngtN2Q0Ylx1MDAwMCJ9");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->resource_version, -1);
  EXPECT_EQ(decoded->start, std::string("nginx-7d4b\0", 11));
}

TEST(ContinueTokenTest, LeadingSlashOfTheWatchCacheIsAccepted) {
  auto decoded =
      DecodeContinueToken(TokenOf(R"({"v":"meta.k8s.io/v1","rv":5,"start":"/nginx\u0000"})"));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->resource_version, 5);
  EXPECT_EQ(decoded->start, std::string("nginx\0", 6));
}

TEST(ContinueTokenTest, ZeroVersionIsRejected) {
  EXPECT_EQ(DecodeError(TokenOf(R"({"v":"meta.k8s.io/v1","rv":0,"start":"a\u0000"})")),
            "invalid continue token: continue key is not valid: incorrect encoded start "
            "resourceVersion (version meta.k8s.io/v1)");
  EXPECT_EQ(DecodeError(TokenOf(R"({"v":"meta.k8s.io/v1","start":"a\u0000"})")),
            "invalid continue token: continue key is not valid: incorrect encoded start "
            "resourceVersion (version meta.k8s.io/v1)");
}

TEST(ContinueTokenTest, EmptyStartIsRejected) {
  EXPECT_EQ(DecodeError(TokenOf(R"({"v":"meta.k8s.io/v1","rv":5,"start":""})")),
            "invalid continue token: continue key is not valid: encoded start key empty "
            "(version meta.k8s.io/v1)");
}

TEST(ContinueTokenTest, UnknownVersionIsRejected) {
  EXPECT_EQ(DecodeError(TokenOf(R"({"v":"meta.k8s.io/v2","rv":5,"start":"a"})")),
            "invalid continue token: continue key is not valid: server does not recognize this "
            "encoded version meta.k8s.io/v2");
}

TEST(ContinueTokenTest, PathTraversalIsRejected) {
  EXPECT_EQ(DecodeError(TokenOf(R"({"v":"meta.k8s.io/v1","rv":5,"start":"../x"})")),
            "invalid continue token: continue key is not valid: ../x");
  EXPECT_EQ(DecodeError(TokenOf(R"({"v":"meta.k8s.io/v1","rv":5,"start":"a//b"})")),
            "invalid continue token: continue key is not valid: a//b");
  EXPECT_EQ(DecodeError(TokenOf(R"({"v":"meta.k8s.io/v1","rv":5,"start":"a/./b"})")),
            "invalid continue token: continue key is not valid: a/./b");
  EXPECT_EQ(DecodeError(TokenOf(R"({"v":"meta.k8s.io/v1","rv":5,"start":"a/"})")),
            "invalid continue token: continue key is not valid: a/");
}

TEST(ContinueTokenTest, ErrorIsA400BadRequest) {
  auto decoded = DecodeContinueToken(TokenOf(R"({"v":"meta.k8s.io/v1","rv":5,"start":""})"));
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().code, 400);
  EXPECT_EQ(decoded.error().reason, "BadRequest");
}

TEST(ContinueTokenTest, MalformedBase64AndJsonAreRejected) {
  EXPECT_EQ(DecodeError("!!!"),
            "invalid continue token: continue key is not valid: illegal base64 data at input "
            "byte 0");
  EXPECT_EQ(DecodeError(TokenOf("not json")).rfind(
                "invalid continue token: continue key is not valid: ", 0),
            0u);
}

}  // namespace
}  // namespace kcache
