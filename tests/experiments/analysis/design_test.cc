// Multivariate designs against textbook values: full factorials enumerate
// every combination; a 2^(k-p) fraction has the standard generators, its
// defining relation and resolution; bad generators are refused.
#include "experiments/analysis/design.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace lclab::experiments {
namespace {

TEST(Design, FullFactorialEnumeratesEveryCombination) {
  const auto runs = FullFactorial({2, 3});
  ASSERT_EQ(runs.size(), 6u);
  EXPECT_EQ(runs[0], (std::vector<int>{0, 0}));
  EXPECT_EQ(runs[5], (std::vector<int>{1, 2}));
}

// Montgomery, Design and Analysis of Experiments, table 8.14: the 2^(4-1) with
// D = ABC has I = ABCD (resolution IV); the 2^(5-2) with D = AB, E = AC has
// I = ABD = ACE = BCDE (resolution III).
TEST(Design, FractionalDefiningRelationAndResolution) {
  const FractionalDesign half = Fractional(4, 1, {});
  EXPECT_EQ(half.runs.size(), 8u);
  EXPECT_EQ(half.defining_relation, std::vector<std::string>{"ABCD"});
  EXPECT_EQ(half.resolution, 4);
  const FractionalDesign quarter = Fractional(5, 2, {});
  EXPECT_EQ(quarter.runs.size(), 8u);
  EXPECT_EQ(quarter.defining_relation, (std::vector<std::string>{"ABD", "ACE", "BCDE"}));
  EXPECT_EQ(quarter.resolution, 3);
  // Every column is balanced, and every pair of columns is orthogonal (+-1 coding).
  for (const auto& d : {half, quarter}) {
    const std::size_t k = d.runs[0].size();
    for (std::size_t a = 0; a < k; ++a) {
      int sum = 0;
      for (const auto& r : d.runs) sum += 2 * r[a] - 1;
      EXPECT_EQ(sum, 0);
      for (std::size_t b = a + 1; b < k; ++b) {
        int dot = 0;
        for (const auto& r : d.runs) dot += (2 * r[a] - 1) * (2 * r[b] - 1);
        EXPECT_EQ(dot, 0) << a << "," << b;
      }
    }
  }
  // D = ABC: the sign of D is the product of the signs of A, B, C in every run.
  for (const auto& r : half.runs) EXPECT_EQ(2 * r[3] - 1, (2 * r[0] - 1) * (2 * r[1] - 1) * (2 * r[2] - 1));
  EXPECT_THROW(Fractional(4, 1, {"D=AA"}), std::invalid_argument);
  EXPECT_THROW(Fractional(4, 1, {"E=ABC"}), std::invalid_argument);
  EXPECT_THROW(Fractional(12, 1, {}), std::invalid_argument);  // no built-in generators
}

}  // namespace
}  // namespace lclab::experiments
