// The day clock and local hours.
#include "sim/clock.h"

#include <gtest/gtest.h>

namespace lclab::sim {
namespace {

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
