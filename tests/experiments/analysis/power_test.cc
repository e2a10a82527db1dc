// Power, sample size and minimum detectable effect against hand-computed and
// textbook values, and `lclab power` end to end.
#include "experiments/analysis/power.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "experiments/analysis/stats.h"
#include "experiments/config/error.h"

namespace lclab::experiments {
namespace {

PowerSpec Proportion(double baseline) {
  PowerSpec s;
  s.baseline = baseline;
  return s;
}

PowerSpec Mean(double baseline, double sd) {
  PowerSpec s;
  s.metric = PowerMetric::kMean;
  s.baseline = baseline;
  s.sd = sd;
  return s;
}

// z_{0.975} = 1.959964, z_{0.8} = 0.841621, (z_a + z_b)^2 = 7.848880.
// p = 0.10 against 0.12, 50/50: n = 7.848880 (0.10 x 0.90 + 0.12 x 0.88) / 0.02^2
// = 7.848880 x 0.1956 / 0.0004 = 3838.1 -> 3839 per arm; the exact two-sided
// power is 0.80009 at 3839 and 0.79999 at 3838.
TEST(PowerSampleSize, TwoProportionsHandComputed) {
  const PowerSpec s = Proportion(0.10);
  const PowerPlan plan = SampleSize(s, AbsoluteEffect(s, 0.2, false));
  EXPECT_EQ(plan.n, (std::vector<std::int64_t>{3839, 3839}));
  EXPECT_EQ(plan.Total(), 7678);
  EXPECT_NEAR(plan.power[0], 0.8000927, 1e-6);
  EXPECT_NEAR(ComparisonPower(s, 0.02, 3838, 3838), 0.7999905, 1e-6);
}

// Known sd: n = 2 (z_a + z_b)^2 sigma^2 / delta^2 = 2 x 7.848880 / 0.25 = 62.79 -> 63
// per arm (power 0.8013; 62 gives 0.7950). Cohen (1988, table 2.4.1) lists 64
// for d = 0.5 with the t test; the t correction adds about z_a^2 / 4 = 0.96.
TEST(PowerSampleSize, MeanWithKnownSdAgreesWithCohen) {
  const PowerSpec s = Mean(10, 1);
  const PowerPlan plan = SampleSize(s, AbsoluteEffect(s, 0.5, true));
  EXPECT_EQ(plan.n, (std::vector<std::int64_t>{63, 63}));
  EXPECT_NEAR(plan.power[0], 0.8013024, 1e-6);
  EXPECT_EQ(std::ceil(62.791038 + 1.959964 * 1.959964 / 4), 64);
  // The same effect relative to the baseline: 5% of 10.
  EXPECT_EQ(SampleSize(s, AbsoluteEffect(s, 0.05, false)).n, plan.n);
}

// 20/80, sd 1, delta 0.5: n_C = (1 + 1/k) (z_a + z_b)^2 sigma^2 / delta^2 with k = 4,
// = 1.25 x 7.848880 / 0.25 = 39.24 and n_T = 4 n_C = 156.98, so N = 196.2; each
// arm rounded up: 40 and 157. The next smaller total, 195, gives 39 and 156.
TEST(PowerSampleSize, UnequalAllocation) {
  PowerSpec s = Mean(0, 1);
  s.weights = {20, 80};
  const PowerPlan plan = SampleSize(s, 0.5);
  EXPECT_EQ(plan.n, (std::vector<std::int64_t>{40, 157}));
  EXPECT_GE(plan.power[0], 0.8);
  EXPECT_EQ(ArmSizes(s.weights, 195), (std::vector<std::int64_t>{39, 156}));
  EXPECT_LT(ComparisonPower(s, 0.5, 156, 39), 0.8);
}

// Two treatments at 45% each against a 10% control, p = 0.10 -> 0.12. Bonferroni
// halves alpha: z_{1-0.0125} = 2.241403, and the closed form gives
// N = (2.241403 + 0.841621)^2 (0.1056 / 0.45 + 0.09 / 0.10) / 0.0004 = 26962.6;
// with the far tail the exact smallest total is 26961: 2697 + 12133 + 12133.
TEST(PowerSampleSize, ThreeArmsWithBonferroni) {
  PowerSpec s = Proportion(0.10);
  s.weights = {10, 45, 45};
  const PowerPlan plain = SampleSize(s, 0.02);
  s.bonferroni = true;
  EXPECT_DOUBLE_EQ(ComparisonAlpha(s), 0.025);
  const PowerPlan plan = SampleSize(s, 0.02);
  EXPECT_EQ(plan.n, (std::vector<std::int64_t>{2697, 12133, 12133}));
  EXPECT_EQ(plan.power.size(), 2u);
  EXPECT_EQ(plain.n, (std::vector<std::int64_t>{2227, 10018, 10018}));
}

TEST(PowerFormula, NoEffectRejectsWithProbabilityAlpha) {
  for (double alpha : {0.01, 0.05, 0.2}) {
    EXPECT_NEAR(TwoSidedPower(0, 0.3, alpha), alpha, 1e-12);
    EXPECT_NEAR(ComparisonPower(Proportion(0.3), 0, 1000, 1000), 0.05, 1e-12);
  }
  // Symmetric in the sign of the effect; the far tail is the second term.
  EXPECT_NEAR(TwoSidedPower(-0.5, 0.2, 0.05), TwoSidedPower(0.5, 0.2, 0.05), 1e-15);
  EXPECT_NEAR(TwoSidedPower(0.5, 0.2, 0.05), NormalCdf(2.5 - 1.959964) + NormalCdf(-1.959964 - 2.5), 1e-6);
}

TEST(PowerFormula, Monotone) {
  const PowerSpec s = Proportion(0.05);
  std::int64_t last = INT64_MAX;
  for (double lift : {0.05, 0.1, 0.2, 0.4}) {
    const std::int64_t total = SampleSize(s, AbsoluteEffect(s, lift, false)).Total();
    EXPECT_LT(total, last) << lift;
    last = total;
  }
  last = 0;
  for (double power : {0.6, 0.8, 0.9, 0.99}) {
    PowerSpec p = s;
    p.power = power;
    const std::int64_t total = SampleSize(p, 0.005).Total();
    EXPECT_GT(total, last) << power;
    last = total;
  }
  double mde = INFINITY;
  for (std::int64_t n : {100, 1000, 10000, 100000}) {
    const double m = MinimumDetectableEffect(s, n).mde[0];
    EXPECT_LT(m, mde) << n;
    mde = m;
  }
}

// The MDE (an increase) at the planned sizes is at most the planned increase,
// and one control unit fewer cannot detect it.
TEST(PowerMde, InvertsTheSampleSize) {
  struct Case {
    PowerSpec spec;
    double delta;
  };
  PowerSpec unequal = Proportion(0.10);
  unequal.weights = {10, 45, 45};
  unequal.bonferroni = true;
  PowerSpec mean = Mean(50, 12);
  mean.sd_treatment = 15;
  mean.weights = {30, 70};
  for (const Case& c : {Case{Proportion(0.10), 0.02}, Case{Proportion(0.02), 0.004}, Case{unequal, 0.02},
                        Case{mean, 2.5}}) {
    const PowerPlan plan = SampleSize(c.spec, c.delta);
    const PowerPlan mde = MinimumDetectableEffect(c.spec, plan.n[0]);
    ASSERT_EQ(mde.n.size(), plan.n.size());
    for (std::size_t k = 0; k + 1 < mde.n.size(); ++k) {
      EXPECT_GE(mde.n[k + 1], plan.n[k + 1] - 1);
      EXPECT_LE(mde.mde[k], c.delta * (1 + 1e-9)) << c.delta;
      EXPECT_GT(mde.mde[k], c.delta * 0.99) << c.delta;
      EXPECT_NEAR(mde.power[k], c.spec.power, 1e-9);
    }
    EXPECT_GT(MinimumDetectableEffect(c.spec, plan.n[0] - 1).mde[0], c.delta);
  }
}

// MDE with the treated rate's own variance: at n = 3839 per arm and p = 0.10,
// the MDE is the delta that solves the power equation, about 0.02 (the
// sample-size example read backwards).
TEST(PowerMde, ProportionHandComputed) {
  const PowerPlan plan = MinimumDetectableEffect(Proportion(0.10), 3839);
  EXPECT_EQ(plan.n, (std::vector<std::int64_t>{3839, 3839}));
  EXPECT_NEAR(plan.mde[0], 0.02, 1e-4);
  EXPECT_LT(plan.mde[0], 0.02);
  EXPECT_NEAR(ComparisonPower(Proportion(0.10), plan.mde[0], 3839, 3839), 0.8, 1e-9);
}

TEST(PowerValidation, BadInputsNameTheInput) {
  auto error = [](const PowerSpec& s) -> std::pair<int, std::string> {
    try {
      ValidatePowerSpec(s);
    } catch (const PowerInputError& e) {
      return {static_cast<int>(e.input), e.what()};
    }
    return {-1, ""};
  };
  auto is = [](PowerInput in, const std::string& msg) { return std::pair<int, std::string>{static_cast<int>(in), msg}; };
  EXPECT_EQ(error(Proportion(1.5)), is(PowerInput::kBaseline, "baseline = 1.5 (expected a proportion in (0, 1))"));
  EXPECT_EQ(error(Mean(3, 0)), is(PowerInput::kSd, "sd = 0 (expected a standard deviation > 0; required for a mean)"));
  PowerSpec s = Proportion(0.1);
  s.sd = 2;
  EXPECT_EQ(error(s).first, static_cast<int>(PowerInput::kSd));
  s = Proportion(0.1);
  s.alpha = 1;
  EXPECT_EQ(error(s), is(PowerInput::kAlpha, "alpha = 1 (expected a number in (0, 1))"));
  s = Proportion(0.1);
  s.power = 0.03;
  EXPECT_EQ(error(s), is(PowerInput::kPower, "power = 0.03 (expected a number in (alpha, 1) = (0.05, 1))"));
  s = Proportion(0.1);
  s.weights = {50, 0};
  EXPECT_EQ(error(s),
            is(PowerInput::kWeights, "weights = 50,0 (expected two or more weights > 0, control first, e.g. 50,50)"));
  EXPECT_EQ(error(Proportion(0.1)).first, -1);
  EXPECT_THROW(AbsoluteEffect(Proportion(0.1), 10, false), PowerInputError);  // treated rate 1.1
  EXPECT_THROW(AbsoluteEffect(Proportion(0.1), -0.1, true), PowerInputError);  // treated rate 0
  EXPECT_THROW(AbsoluteEffect(Proportion(0.1), 0, false), PowerInputError);
  EXPECT_THROW(MinimumDetectableEffect(Proportion(0.1), 1), PowerInputError);
  // Two units per arm cannot reach power 0.8 at any treated rate below 1.
  EXPECT_THROW(MinimumDetectableEffect(Proportion(0.5), 2), PowerInputError);
}

}  // namespace
}  // namespace lclab::experiments
