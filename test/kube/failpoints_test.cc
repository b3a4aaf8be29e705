#include "kube/failpoints.h"

#include <cstdlib>
#include <stdexcept>

#include <gtest/gtest.h>

namespace kcache {
namespace {

// The environment is read at the first failpoint a process passes: this binary passes none
// before this test.
TEST(FailpointsTest, ArmedFailpointsThrowForTheirCountThenNeverAgain) {
  setenv("KCACHE_FAILPOINTS", "reflector pods=2;request /api/v1/pods;bad=x=3", 1);
  EXPECT_THROW(ThrowAtFailpoint("reflector pods"), std::runtime_error);
  EXPECT_THROW(ThrowAtFailpoint("reflector", "pods"), std::runtime_error);
  EXPECT_NO_THROW(ThrowAtFailpoint("reflector pods"));
  EXPECT_THROW(ThrowAtFailpoint("request", "/api/v1/pods"), std::runtime_error);
  EXPECT_NO_THROW(ThrowAtFailpoint("request", "/api/v1/pods"));
  EXPECT_NO_THROW(ThrowAtFailpoint("request", "/api/v1/nodes"));
  EXPECT_NO_THROW(ThrowAtFailpoint("watch"));
}

}  // namespace
}  // namespace kcache
