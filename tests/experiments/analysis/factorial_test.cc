// The factorial regressions against textbook values: log odds ratios,
// cluster-robust and HC0 standard errors, aliasing and the projection of the
// planted truth.
#include "experiments/analysis/factorial.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "experiments/analysis/design.h"

namespace lclab::experiments {
namespace {

TEST(Factorial, AliasedInteractionsAreLeftOut) {
  // 2^(3-1) with C = AB: AB is aliased with C, AC with B, BC with A.
  const FractionalDesign d = Fractional(3, 1, {});
  const FactorialModel m = BuildFactorialModel(d.runs, {"a", "b", "c"}, {{"0", "1"}, {"0", "1"}, {"0", "1"}});
  ASSERT_EQ(m.terms.size(), 3u);
  EXPECT_EQ(m.terms[2].name, "c=1");
  EXPECT_EQ(m.aliased.size(), 3u);
}

Moments Binary(double successes, double n) {
  Moments m;
  for (int i = 0; i < n; ++i) m.Add(i < successes ? 1.0 : 0.0, 1.0);
  return m;
}

// Two variants: the coefficient is the log odds ratio and, with one trial per
// customer, the clustered SE equals Woolf's sqrt(1/a + 1/b + 1/c + 1/d).
TEST(Factorial, LogisticTwoGroupsIsTheLogOddsRatio) {
  const FactorialModel m = BuildFactorialModel({{0}, {1}}, {"f"}, {{"a", "b"}});
  const FactorialFit fit = FitLogistic(m, {Binary(30, 200), Binary(55, 210)}, 0.95);
  ASSERT_TRUE(fit.ok);
  const double lor = std::log((55.0 / 155.0) / (30.0 / 170.0));
  EXPECT_NEAR(fit.intercept, std::log(30.0 / 170.0), 1e-9);
  EXPECT_NEAR(fit.terms[0].effect.estimate, lor, 1e-9);
  EXPECT_NEAR(fit.terms[0].effect.se, std::sqrt(1 / 30.0 + 1 / 170.0 + 1 / 55.0 + 1 / 155.0), 1e-9);
  EXPECT_NEAR(fit.terms[0].effect.low, lor - 1.959963984540054 * fit.terms[0].effect.se, 1e-9);
}

// Repeat messages per customer: the clustered variance is larger than the
// binomial one when customers differ, and equals sum (y_i - n_i p)^2 / (sum n_i p (1-p))^2.
TEST(Factorial, LogisticClustersByCustomer) {
  const FactorialModel m = BuildFactorialModel({{0}, {1}}, {"f"}, {{"a", "b"}});
  Moments a, b;
  for (int i = 0; i < 100; ++i) a.Add(i < 20 ? 3.0 : 0.0, 3.0);  // all or nothing: 60 of 300
  for (int i = 0; i < 100; ++i) b.Add(1.0, 3.0);                  // one in three: 100 of 300
  const FactorialFit fit = FitLogistic(m, {a, b}, 0.95);
  ASSERT_TRUE(fit.ok);
  const double pa = 0.2, pb = 1.0 / 3.0;
  const double va = (20 * std::pow(3 - 3 * pa, 2) + 80 * std::pow(3 * pa, 2)) / std::pow(300 * pa * (1 - pa), 2);
  const double vb = (100 * std::pow(1 - 3 * pb, 2)) / std::pow(300 * pb * (1 - pb), 2);
  EXPECT_NEAR(fit.terms[0].effect.se, std::sqrt(va + vb), 1e-9);
}

// Linear: a difference in means with the HC0 standard error sqrt(s1^2 (n1-1)/n1^2 + s0^2 (n0-1)/n0^2).
TEST(Factorial, LinearTwoGroupsIsTheDifferenceInMeans) {
  const FactorialModel m = BuildFactorialModel({{0}, {1}}, {"f"}, {{"a", "b"}});
  Moments a, b;
  for (double y : {1.0, 2.0, 4.0, 7.0}) a.Add(y);
  for (double y : {3.0, 5.0, 6.0, 9.0, 12.0}) b.Add(y);
  const FactorialFit fit = FitLinear(m, {a, b}, 0.95);
  ASSERT_TRUE(fit.ok);
  EXPECT_NEAR(fit.intercept, 3.5, 1e-12);
  EXPECT_NEAR(fit.terms[0].effect.estimate, 7.0 - 3.5, 1e-12);
  const double hc0 = std::sqrt(a.Variance() * 3 / 16 + b.Variance() * 4 / 25);
  EXPECT_NEAR(fit.terms[0].effect.se, hc0, 1e-12);
}

TEST(Factorial, ProjectionRecoversPlantedCellEffects) {
  // Cells of a 2x2 with main effects 0.3 and -0.1 and interaction 0.5 on top of 1.
  const FactorialModel m = BuildFactorialModel({{0, 0}, {0, 1}, {1, 0}, {1, 1}}, {"a", "b"}, {{"0", "1"}, {"0", "1"}});
  const auto beta = ProjectOnModel(m, {1.0, 0.9, 1.3, 1.7});
  ASSERT_EQ(beta.size(), 4u);
  EXPECT_NEAR(beta[0], 1.0, 1e-12);
  EXPECT_NEAR(beta[1], 0.3, 1e-12);
  EXPECT_NEAR(beta[2], -0.1, 1e-12);
  EXPECT_NEAR(beta[3], 0.5, 1e-12);
}

}  // namespace
}  // namespace lclab::experiments
