#include "kube/failures.h"

#include <stdexcept>

#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

namespace kcache {
namespace {

// The process's one Failures is shared by every test of this binary: each test uses loop
// names of its own and looks at differences.

TEST(FailuresTest, ContainedFailuresAreCountedByBoundary) {
  uint64_t before = Failures::Process().Count(kBoundaryRequest);
  Failures::Process().Contain(kBoundaryRequest, "Audit-ID a",
                              std::make_exception_ptr(std::runtime_error("boom")));
  Failures::Process().Contain(kBoundaryRequest, "Audit-ID b", "boom");
  EXPECT_EQ(Failures::Process().Count(kBoundaryRequest), before + 2);
  EXPECT_NE(Failures::Process().RenderMetrics().find(
                "kcache_contained_failures_total{boundary=\"request\"} " +
                std::to_string(before + 2) + "\n"),
            std::string::npos);
}

TEST(FailuresTest, EveryBoundaryIsListedBeforeItsFirstFailure) {
  std::string metrics = Failures::Process().RenderMetrics();
  for (std::string_view boundary : {kBoundaryConnection, kBoundaryWatch, kBoundaryRelay,
                                    kBoundaryWorker, kBoundaryLoop}) {
    EXPECT_NE(metrics.find("kcache_contained_failures_total{boundary=\"" + std::string(boundary) +
                           "\"}"),
              std::string::npos)
        << boundary;
  }
}

TEST(FailuresTest, ALoopIsDownUntilItIsUpAgain) {
  Failures& failures = Failures::Process();
  EXPECT_TRUE(failures.LoopDown("test loop a", "first"));
  EXPECT_FALSE(failures.LoopDown("test loop a", "first"));  // the same failure again
  EXPECT_TRUE(failures.LoopDown("test loop a", "second"));
  EXPECT_EQ(failures.DownLoops().at("test loop a"), "second");
  EXPECT_NE(failures.RenderMetrics().find("kcache_loop_down{loop=\"test loop a\"} 1\n"),
            std::string::npos);
  failures.LoopUp("test loop a");
  EXPECT_EQ(failures.DownLoops().count("test loop a"), 0u);
  EXPECT_NE(failures.RenderMetrics().find("kcache_loop_down{loop=\"test loop a\"} 0\n"),
            std::string::npos);
}

TEST(FailuresTest, ALoopGuardCountsFailuresAndLogsARepeatOnce) {
  uint64_t before = Failures::Process().Count(kBoundaryLoop);
  {
    LoopGuard loop("test loop b");
    loop.Failed("disk full");
    loop.Failed("disk full");
    EXPECT_EQ(Failures::Process().DownLoops().at("test loop b"), "disk full");
    loop.Succeeded();
    EXPECT_EQ(Failures::Process().DownLoops().count("test loop b"), 0u);
    loop.Finish();
  }
  EXPECT_EQ(Failures::Process().Count(kBoundaryLoop), before + 2);
  EXPECT_EQ(Failures::Process().DownLoops().count("test loop b"), 0u);
}

TEST(FailuresTest, ALoopWhoseFrameEndsWithoutFinishingIsDownForGood) {
  { LoopGuard loop("test loop c"); }
  EXPECT_EQ(Failures::Process().DownLoops().at("test loop c"), "ended without stopping");
}

TEST(FailuresTest, RunContainedGoesOnAfterAHandlerThrows) {
  boost::asio::io_context context;
  uint64_t before = Failures::Process().Count(kBoundaryWorker);
  bool later_ran = false;
  boost::asio::post(context, [] { throw std::length_error("field value too large"); });
  boost::asio::post(context, [&] { later_ran = true; });
  boost::asio::post(context, [&] { context.stop(); });
  RunContained(context, "test worker");
  EXPECT_TRUE(later_ran);
  EXPECT_EQ(Failures::Process().Count(kBoundaryWorker), before + 1);
}

}  // namespace
}  // namespace kcache
