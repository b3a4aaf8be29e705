#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "kube/json_parser.h"

// The project builds with -march=haswell (KCACHE_MARCH) so that simdjson's On-Demand front end,
// which is inline code compiled into our own objects, uses a SIMD kernel; without it simdjson
// silently falls back to its scalar kernel, several times slower on large lists.
//
// simdjson::builtin_implementation() cannot tell: it is defined in libsimdjson.so and names the
// builtin kernel of the library's own build (the distribution builds it for baseline x86-64, so
// it reports "fallback" whatever our flags are). What our objects use is the
// SIMDJSON_BUILTIN_IMPLEMENTATION they were compiled with (every target gets the same -march),
// and stage 1 runs on the kernel simdjson picks at run time.

namespace kcache {
namespace {

bool IsSimdKernel(std::string_view name) { return name == "haswell" || name == "icelake"; }

TEST(SimdjsonKernelTest, OnDemandFrontEndIsCompiledForASimdKernel) {
  std::string_view builtin = SIMDJSON_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION);
  EXPECT_TRUE(IsSimdKernel(builtin)) << "On-Demand front end compiled for " << builtin;
  std::string type = typeid(simdjson::ondemand::parser).name();
  EXPECT_NE(type.find(builtin), std::string::npos) << type;
}

TEST(SimdjsonKernelTest, StageOneRunsOnASimdKernel) {
  const simdjson::implementation* active = simdjson::get_active_implementation();
  EXPECT_TRUE(IsSimdKernel(active->name())) << "active kernel is " << active->name();
  EXPECT_TRUE(active->supported_by_runtime_system());
}

TEST(SimdjsonKernelTest, ParserParsesWithTheseKernels) {
  JsonParser parser;
  simdjson::padded_string json(std::string(R"({"metadata":{"name":"a"}})"));
  simdjson::ondemand::document doc;
  ASSERT_EQ(parser.parser.iterate(json).get(doc), simdjson::SUCCESS);
  std::string_view name;
  ASSERT_EQ(doc["metadata"]["name"].get_string().get(name), simdjson::SUCCESS);
  EXPECT_EQ(name, "a");
}

}  // namespace
}  // namespace kcache
