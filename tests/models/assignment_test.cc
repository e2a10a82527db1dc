// Assignment by hashing (salt, customer): shares follow the weights, the
// same customer always gets the same arm, and another salt reshuffles.
#include "models/assignment.h"

#include <gtest/gtest.h>

#include <cmath>

namespace lclab::models {
namespace {

// Shares within 5 binomial standard errors of weight / total.
TEST(Assignment, SharesFollowWeights) {
  const std::vector<double> w = {1, 2, 5};
  const Allocation alloc(w);
  const std::uint64_t salt = SaltHash("exp-1");
  constexpr int kN = 400000;
  double count[3] = {0, 0, 0};
  for (int i = 0; i < kN; ++i) ++count[alloc.Pick(salt, static_cast<std::uint32_t>(i))];
  for (int a = 0; a < 3; ++a) {
    const double p = w[a] / 8.0;
    EXPECT_NEAR(count[a] / kN, p, 5 * std::sqrt(p * (1 - p) / kN));
  }
}

TEST(Assignment, StableAndSaltDependent) {
  const Allocation alloc({1, 1});
  const std::uint64_t s1 = SaltHash("a"), s2 = SaltHash("b");
  int same = 0;
  for (std::uint32_t i = 0; i < 10000; ++i) {
    EXPECT_EQ(alloc.Pick(s1, i), alloc.Pick(s1, i));
    same += alloc.Pick(s1, i) == alloc.Pick(s2, i);
  }
  // Independent salts agree half the time: 5000 +- 5 * 50.
  EXPECT_NEAR(same, 5000, 250);
}

}  // namespace
}  // namespace lclab::models
