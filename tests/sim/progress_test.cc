// The progress line's number formats, and that it stays silent when it is
// not wanted (stderr is not a terminal under ctest).
#include "sim/progress.h"

#include <gtest/gtest.h>

#include <cmath>

namespace lclab::sim {
namespace {

TEST(Progress, SiSuffixes) {
  EXPECT_EQ(FormatSi(0), "0");
  EXPECT_EQ(FormatSi(999), "999");
  EXPECT_EQ(FormatSi(1000), "1k");
  EXPECT_EQ(FormatSi(12345), "12.3k");
  EXPECT_EQ(FormatSi(4.56e6), "4.56M");
  EXPECT_EQ(FormatSi(7.891e9), "7.89G");
  EXPECT_EQ(FormatSi(-2500), "-2.5k");
}

TEST(Progress, Durations) {
  EXPECT_EQ(FormatDuration(0), "0:00");
  EXPECT_EQ(FormatDuration(59.4), "0:59");
  EXPECT_EQ(FormatDuration(61), "1:01");
  EXPECT_EQ(FormatDuration(3600 + 2 * 60 + 3), "1:02:03");
  EXPECT_EQ(FormatDuration(NAN), "?");
  EXPECT_EQ(FormatDuration(-1), "?");
}

TEST(Progress, ModesDecideWhetherItDraws) {
  EXPECT_FALSE(Progress("day", 10, 1.0, "x", Progress::Mode::kNever).enabled());
  EXPECT_TRUE(Progress("day", 10, 1.0, "x", Progress::Mode::kAlways).enabled());
}

}  // namespace
}  // namespace lclab::sim
