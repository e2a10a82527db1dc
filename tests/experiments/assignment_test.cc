#include "experiments/assignment.h"

#include <gtest/gtest.h>

#include <cmath>

namespace lclab::experiments {
namespace {

// Shares within 5 binomial standard errors of weight / total.
TEST(Assignment, SharesFollowWeights) {
  const std::vector<double> w = {1, 2, 5};
  const std::uint64_t salt = SaltHash("exp-1");
  constexpr int kN = 400000;
  double count[3] = {0, 0, 0};
  for (int i = 0; i < kN; ++i) ++count[AssignArm(salt, static_cast<std::uint32_t>(i), w)];
  for (int a = 0; a < 3; ++a) {
    const double p = w[a] / 8.0;
    EXPECT_NEAR(count[a] / kN, p, 5 * std::sqrt(p * (1 - p) / kN));
  }
}

TEST(Assignment, StableAndSaltDependent) {
  const std::vector<double> w = {1, 1};
  const std::uint64_t s1 = SaltHash("a"), s2 = SaltHash("b");
  int same = 0;
  for (std::uint32_t i = 0; i < 10000; ++i) {
    EXPECT_EQ(AssignArm(s1, i, w), AssignArm(s1, i, w));
    same += AssignArm(s1, i, w) == AssignArm(s2, i, w);
  }
  // Independent salts agree half the time: 5000 +- 5 * 50.
  EXPECT_NEAR(same, 5000, 250);
}

}  // namespace
}  // namespace lclab::experiments
