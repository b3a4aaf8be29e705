#include "proxy/gzip.h"

#include <gtest/gtest.h>

#include <zlib.h>

#include <string>

namespace kcache {
namespace {

// Decompresses every gzip member of `data` in turn.
std::string Gunzip(const std::string& data, int* members = nullptr) {
  std::string out;
  size_t offset = 0;
  int count = 0;
  while (offset < data.size()) {
    z_stream z{};
    EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + offset));
    z.avail_in = static_cast<uInt>(data.size() - offset);
    int result = Z_OK;
    char buffer[4096];
    while (result != Z_STREAM_END) {
      z.next_out = reinterpret_cast<Bytef*>(buffer);
      z.avail_out = sizeof buffer;
      result = inflate(&z, Z_NO_FLUSH);
      EXPECT_TRUE(result == Z_OK || result == Z_STREAM_END) << result;
      if (result != Z_OK && result != Z_STREAM_END) break;
      out.append(buffer, sizeof buffer - z.avail_out);
    }
    offset = data.size() - z.avail_in;
    inflateEnd(&z);
    ++count;
  }
  if (members) *members = count;
  return out;
}

TEST(GzipTest, AcceptsGzipReadsTokensAsKubeApiserverDoes) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("deflate, gzip"));
  EXPECT_TRUE(AcceptsGzip(" gzip ,br"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=1.0"));  // only the bare token counts upstream
  EXPECT_FALSE(AcceptsGzip("x-gzip"));
}

TEST(GzipTest, MembersRoundTripAndShrinkRepetitiveJson) {
  std::string json;
  for (int i = 0; i < 2000; ++i) {
    json += R"({"metadata":{"name":"pod-)" + std::to_string(i) + R"(","namespace":"team-a"}},)";
  }
  GzipStream gzip(1);
  std::string out;
  ASSERT_TRUE(gzip.Write(json.substr(0, 1000), out));
  ASSERT_TRUE(gzip.Write(json.substr(1000), out));
  ASSERT_TRUE(gzip.Finish(out));
  EXPECT_LT(out.size(), json.size() / 5);
  // A second member after Finish: a stream of members decompresses to everything written.
  ASSERT_TRUE(gzip.Write("tail", out));
  ASSERT_TRUE(gzip.Finish(out));
  int members = 0;
  EXPECT_EQ(Gunzip(out, &members), json + "tail");
  EXPECT_EQ(members, 2);
}

TEST(GzipTest, AnEmptyMemberIsStillAValidMember) {
  GzipStream gzip(9);
  std::string out;
  ASSERT_TRUE(gzip.Finish(out));
  EXPECT_EQ(Gunzip(out), "");
}

TEST(GzipTest, AStreamZlibCannotStartFailsItsWritesInsteadOfThrowing) {
  GzipStream gzip(42);  // zlib refuses the level, as it would an allocation it cannot make
  std::string out;
  EXPECT_FALSE(gzip.Write("data", out));
  EXPECT_FALSE(gzip.Finish(out));
}

}  // namespace
}  // namespace kcache
