// Population columns: Resize fills every column with its fill value and
// BytesPerCustomer accounts every column, campaigns and rings included.
#include "models/population.h"

#include <gtest/gtest.h>

#include <cmath>

namespace lclab::models {
namespace {

TEST(Population, ResizeFillsAndAccountsEveryColumn) {
  Population p;
  p.Resize(10, 4, 2, 3);
  EXPECT_EQ(p.size(), 10u);
  EXPECT_EQ(p.recent.size(), 40u);
  EXPECT_EQ(p.message_days.size(), 30u);
  ASSERT_EQ(p.campaigns.size(), 2u);
  EXPECT_EQ(p.campaigns[1].entered_day[3], kNever);
  EXPECT_EQ(p.campaigns[1].revenue_at_entry.size(), 10u);
  EXPECT_EQ(p.stage_day[3], kBeforeRun);
  EXPECT_EQ(p.no_purchase[3], 1.0f);
  EXPECT_EQ(p.next_wake[3], 0);  // event stepping wakes everyone on day 0
  // 9 one-byte + 13 float + 7 int16 + 5 uint16 columns, 4 int16 recent days, 3 int16 message days;
  // per campaign 11 one-byte + 2 int16 + 2 uint16 + 1 float.
  EXPECT_EQ(p.BytesPerCustomer(), 9u + 13 * 4 + 7 * 2 + 5 * 2 + 4 * 2 + 3 * 2 + 2 * (11 + 2 * 2 + 2 * 2 + 4));
}

}  // namespace
}  // namespace lclab::models
