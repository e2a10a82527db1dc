#include "sim/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

#include "sim/clock.h"

namespace lclab::sim {
namespace {

TEST(ForEachShard, CoversEveryItemOnceForAnyThreadCount) {
  for (int threads : {1, 2, 3, 8}) {
    for (std::size_t n : {0ul, 1ul, 99ul, 100ul, 1001ul}) {
      std::vector<std::atomic<int>> seen(n);
      ForEachShard(n, 10, threads, [&](const ShardRange& r) {
        EXPECT_EQ(r.begin, r.index * 10);
        for (std::size_t i = r.begin; i < r.end; ++i) ++seen[i];
      });
      for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(seen[i].load(), 1) << "n=" << n << " threads=" << threads;
    }
  }
}

TEST(ForEachShard, RethrowsTheFirstError) {
  EXPECT_THROW(ForEachShard(1000, 10, 2,
                            [](const ShardRange& r) {
                              if (r.index == 17) throw std::runtime_error("boom");
                            }),
               std::runtime_error);
}

TEST(Clock, LocalHours) {
  EXPECT_EQ(LocalHour(0, -5), 19);
  EXPECT_EQ(LocalHour(23, 2), 1);
  EXPECT_EQ(UtcHour(9, -5), 14);
  EXPECT_EQ(LocalHour(UtcHour(9, 8), 8), 9);
  DayClock c{10, 5};
  EXPECT_EQ(c.total_days(), 15);
  EXPECT_FALSE(c.InWindow(9));
  EXPECT_TRUE(c.InWindow(10));
  EXPECT_TRUE(c.InWindow(14));
  EXPECT_FALSE(c.InWindow(15));
}

}  // namespace
}  // namespace lclab::sim
