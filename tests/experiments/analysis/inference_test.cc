// CUPED, sample-ratio mismatch, multiple-comparison adjustments, the mixture
// sequential test and Thompson sampling against hand-computed and textbook
// values. Where a reference number was computed by machine, it was computed
// independently of lclab with /usr/bin/python3 (standard library only: exact
// fractions, math.erfc, Simpson integration of the t density); the comment
// next to each number says how.
#include "experiments/analysis/inference.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "experiments/analysis/stats.h"
#include "sim/random.h"

namespace lclab::experiments {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Standard normal draws from a Philox stream by Box-Muller (both outputs used).
class Normals {
 public:
  explicit Normals(sim::Stream s) : s_(s) {}
  double Next() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double r = std::sqrt(-2.0 * std::log(s_.UniformOpen()));
    const double a = 2.0 * std::numbers::pi * s_.UniformOpen();
    spare_ = r * std::sin(a);
    has_spare_ = true;
    return r * std::cos(a);
  }

 private:
  sim::Stream s_;
  double spare_ = 0;
  bool has_spare_ = false;
};

double Phi(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// ---------------------------------------------------------------- CUPED ---

// Six customers per arm, (y, x) = (metric, pre-period covariate).
Moments HandTreatment() {
  Moments m;
  m.Add(12, 10), m.Add(15, 13), m.Add(11, 8), m.Add(18, 15), m.Add(14, 12), m.Add(16, 14);
  return m;
}
Moments HandControl() {
  Moments m;
  m.Add(10, 9), m.Add(13, 12), m.Add(9, 7), m.Add(15, 14), m.Add(12, 11), m.Add(11, 10);
  return m;
}

// Pooled over the 12 customers (exact fractions, n - 1 denominators):
//   xbar = 135/12 = 45/4, ybar = 152/12;
//   cov(y, x) = 71/11, var(x) = 281/44, so theta = (71/11) / (281/44) = 284/281 = 1.0106761565836300.
TEST(InferenceCuped, ThetaIsPooledCovarianceOverVariance) {
  Moments pooled = HandTreatment();
  pooled.Merge(HandControl());
  EXPECT_NEAR(CupedTheta(pooled), 284.0 / 281.0, 1e-12);
  EXPECT_NEAR(pooled.sx / pooled.n, 45.0 / 4.0, 1e-12);
}

// Treatment arm by hand (theta = 284/281, x_mean = 45/4):
//   ybar = 43/3, xbar = 12, var(y) = 20/3, var(x) = 34/5, cov(y, x) = 33/5;
//   adjusted mean = 43/3 - theta (12 - 45/4) = 11444/843 = 13.575326215895611;
//   adjusted variance = 20/3 - 2 theta 33/5 + theta^2 34/5 = 64364/236883 = 0.2717121954720263
//   (equal to the sample variance of y - theta (x - x_mean), checked in exact fractions);
//   se = sqrt(0.2717121954720263 / 6) = 0.2128035852893564 (unadjusted: sqrt(20/3/6) = 1.0540925533894598);
//   95% interval: mean +- t(0.975; 5) se with t(0.975; 5) = 2.570582 (t table).
TEST(InferenceCuped, EstimateHandComputed) {
  const double theta = 284.0 / 281.0, x_mean = 45.0 / 4.0;
  const Interval e = CupedEstimate(HandTreatment(), theta, x_mean, 0.95);
  EXPECT_NEAR(e.estimate, 11444.0 / 843.0, 1e-12);
  EXPECT_NEAR(e.se, std::sqrt(64364.0 / 236883.0 / 6.0), 1e-12);
  EXPECT_NEAR(e.se, 0.2128035852893564, 1e-12);
  EXPECT_NEAR(e.low, 13.575326215895611 - 2.570582 * 0.2128035852893564, 1e-6);
  EXPECT_NEAR(e.high, 13.575326215895611 + 2.570582 * 0.2128035852893564, 1e-6);

  // Control arm: ybar = 35/3, xbar = 21/2, var(y) = 14/3, var(x) = 59/10, cov = 26/5;
  // adjusted mean 10474/843 = 12.424673784104389, adjusted variance 215902/1184415.
  const Interval c = CupedEstimate(HandControl(), theta, x_mean, 0.95);
  EXPECT_NEAR(c.estimate, 10474.0 / 843.0, 1e-12);
  EXPECT_NEAR(c.se, std::sqrt(215902.0 / 1184415.0 / 6.0), 1e-12);
}

// Welch on the adjusted means (numbers from the exact fractions above):
//   vt = 0.045285365912004376, vc = 0.030380961628032967 (variances of the adjusted means);
//   lift = 11444/843 - 10474/843 = 970/843 = 1.1506524317912223;
//   se = sqrt(vt + vc) = 0.27507513071893164, t = 4.183047841452977;
//   df = (vt + vc)^2 / (vt^2/5 + vc^2/5) = 9.62649855809741;
//   p = 2 (1 - T_df(t)) = 0.0020411235640858116 and t_df(0.975) = 2.239912834694209, both by Simpson
//   integration of the t density (200,000 panels) and bisection in Python;
//   interval 1.15065 +- 2.23991 * 0.275075 = [0.5345081159887001, 1.7667967475937445];
//   relative lift 11444/10474 - 1 = 0.0926102730570939, delta-method se
//   sqrt(vc mt^2 / mc^4 + vt / mc^2) = 0.022984646731350825.
TEST(InferenceCuped, CompareHandComputed) {
  const Comparison r = CupedCompare(HandTreatment(), HandControl(), 284.0 / 281.0, 45.0 / 4.0, 0.95, true);
  EXPECT_NEAR(r.abs.estimate, 970.0 / 843.0, 1e-12);
  EXPECT_NEAR(r.abs.se, 0.27507513071893164, 1e-12);
  EXPECT_NEAR(r.df, 9.62649855809741, 1e-9);
  EXPECT_NEAR(r.statistic, 4.183047841452977, 1e-9);
  EXPECT_NEAR(r.p_value, 0.0020411235640858116, 1e-8);
  EXPECT_NEAR(r.abs.low, 0.5345081159887001, 1e-6);
  EXPECT_NEAR(r.abs.high, 1.7667967475937445, 1e-6);
  EXPECT_NEAR(r.rel.estimate, 0.0926102730570939, 1e-12);
  EXPECT_NEAR(r.rel.se, 0.022984646731350825, 1e-12);
  // The relative interval on the log scale: ratio x exp(+-t se / ratio) - 1, never below -100%.
  const double ratio = 11444.0 / 10474.0, se_log = 0.022984646731350825 / ratio, t = 2.239912834694209;
  EXPECT_NEAR(r.rel.low, ratio * std::exp(-t * se_log) - 1, 1e-6);
  EXPECT_NEAR(r.rel.high, ratio * std::exp(t * se_log) - 1, 1e-6);
  EXPECT_TRUE(std::isnan(CupedCompare(HandTreatment(), HandControl(), 284.0 / 281.0, 45.0 / 4.0, 0.95, false).rel.estimate));
}

// With a constant covariate var(x) = 0, so theta = 0 and CUPED is the plain Welch test.
TEST(InferenceCuped, ConstantCovariateGivesThetaZeroAndWelch) {
  Moments t, c;
  const double yt[] = {3.1, 4.7, 2.2, 5.9, 4.4, 3.8, 5.0};
  const double yc[] = {2.9, 3.5, 4.1, 2.0, 3.3, 3.0};
  for (double y : yt) t.Add(y, 5.0);
  for (double y : yc) c.Add(y, 5.0);
  Moments pooled = t;
  pooled.Merge(c);
  EXPECT_EQ(CupedTheta(pooled), 0.0);

  // x = 1 by default: also constant.
  Moments t1, c1, p1;
  for (double y : yt) t1.Add(y), p1.Add(y);
  for (double y : yc) c1.Add(y), p1.Add(y);
  EXPECT_EQ(CupedTheta(p1), 0.0);

  const Comparison cu = CupedCompare(t, c, CupedTheta(pooled), pooled.sx / pooled.n, 0.95, true);
  const Comparison w = WelchCompare(t, c, 0.95, true);
  EXPECT_NEAR(cu.abs.estimate, w.abs.estimate, 1e-12);
  EXPECT_NEAR(cu.abs.se, w.abs.se, 1e-12);
  EXPECT_NEAR(cu.abs.low, w.abs.low, 1e-12);
  EXPECT_NEAR(cu.abs.high, w.abs.high, 1e-12);
  EXPECT_NEAR(cu.df, w.df, 1e-9);
  EXPECT_NEAR(cu.statistic, w.statistic, 1e-12);
  EXPECT_NEAR(cu.p_value, w.p_value, 1e-12);
  EXPECT_NEAR(cu.rel.estimate, w.rel.estimate, 1e-12);
  EXPECT_NEAR(cu.rel.se, w.rel.se, 1e-12);

  const Interval e = CupedEstimate(t, 0.0, 5.0, 0.95);
  const Interval m = MeanEstimate(t, 0.95);
  EXPECT_NEAR(e.estimate, m.estimate, 1e-12);
  EXPECT_NEAR(e.se, m.se, 1e-12);
  EXPECT_NEAR(e.low, m.low, 1e-12);
}

// x ~ N(5, 1), y = 10 + 2 (rho x' + sqrt(1 - rho^2) z), rho = 0.7: corr(y, x) = rho and
// CUPED should cut the variance of a mean to (1 - rho^2) = 0.51 of the unadjusted one.
struct Pair {
  double y, x;
};
Pair CorrelatedPair(Normals& g, double rho) {
  const double z1 = g.Next(), z2 = g.Next();
  return {10.0 + 2.0 * (rho * z1 + std::sqrt(1 - rho * rho) * z2), 5.0 + z1};
}

// (a) The reported variance in one large sample. With theta pooled the ratio
// se_cuped^2 / se_plain^2 is about 1 - r^2 for the sample correlation r; sd(r^2) ~
// 2 rho (1 - rho^2) / sqrt(n) = 2 * 0.7 * 0.51 / sqrt(100,000) = 0.00226. Tolerance 5 sd.
TEST(InferenceCuped, ReportedVarianceFallsByOneMinusRhoSquared) {
  const double rho = 0.7, n = 100000;
  Normals g(sim::Stream(20240611, 1, 0, 7));
  Moments t, c;
  for (int i = 0; i < n; ++i) {
    Pair p = CorrelatedPair(g, rho);
    t.Add(p.y + 0.3, p.x);
    p = CorrelatedPair(g, rho);
    c.Add(p.y, p.x);
  }
  Moments pooled = t;
  pooled.Merge(c);
  const double theta = CupedTheta(pooled), x_mean = pooled.sx / pooled.n;
  // theta -> cov / var(x) = 2 rho = 1.4; sd(theta) ~ sqrt((1 - rho^2) 4 / (2n)) = 0.0045.
  EXPECT_NEAR(theta, 1.4, 5 * std::sqrt(0.51 * 4 / (2 * n)));
  const double tol = 5 * 2 * rho * (1 - rho * rho) / std::sqrt(n);
  for (const Moments* m : {&t, &c}) {
    const double ratio = std::pow(CupedEstimate(*m, theta, x_mean, 0.95).se / MeanEstimate(*m, 0.95).se, 2);
    EXPECT_NEAR(ratio, 1 - rho * rho, tol);
  }
  const double cmp_ratio = std::pow(CupedCompare(t, c, theta, x_mean, 0.95, true).abs.se /
                                    WelchCompare(t, c, 0.95, true).abs.se, 2);
  EXPECT_NEAR(cmp_ratio, 1 - rho * rho, tol);
}

// (b) The actual sampling variance over R = 4,000 replications of two arms of 100 customers.
// Adjusted and plain lifts are jointly normal with correlation sqrt(1 - rho^2), so
// sd(log(var_cuped / var_plain)) ~ sqrt(2/R * 2 (1 - (1 - rho^2))) = sqrt(4 rho^2 / R) = 0.0221;
// tolerance 4 sd on the log scale (the O(1/n) cost of estimating theta, ~1%, is inside it).
// The variance of the CUPED lift itself: 2 (1 - rho^2) sigma_y^2 / n = 2 * 0.51 * 4 / 100 = 0.0408,
// sd of a sample variance sqrt(2 / (R - 1)) relative = 0.0224; tolerance 4 sd. The mean reported
// abs_se^2 must match the same value.
TEST(InferenceCuped, SimulatedVarianceOfAdjustedLift) {
  const double rho = 0.7;
  const int reps = 4000, n = 100;
  Normals g(sim::Stream(20240611, 2, 0, 7));
  double s_cu = 0, ss_cu = 0, s_pl = 0, ss_pl = 0, reported = 0;
  for (int r = 0; r < reps; ++r) {
    Moments t, c;
    for (int i = 0; i < n; ++i) {
      Pair p = CorrelatedPair(g, rho);
      t.Add(p.y, p.x);
      p = CorrelatedPair(g, rho);
      c.Add(p.y, p.x);
    }
    Moments pooled = t;
    pooled.Merge(c);
    const Comparison cu = CupedCompare(t, c, CupedTheta(pooled), pooled.sx / pooled.n, 0.95, true);
    const double plain = t.Mean() - c.Mean();
    s_cu += cu.abs.estimate, ss_cu += cu.abs.estimate * cu.abs.estimate;
    s_pl += plain, ss_pl += plain * plain;
    reported += cu.abs.se * cu.abs.se;
  }
  const double var_cu = (ss_cu - s_cu * s_cu / reps) / (reps - 1);
  const double var_pl = (ss_pl - s_pl * s_pl / reps) / (reps - 1);
  EXPECT_NEAR(std::log(var_cu / var_pl), std::log(1 - rho * rho), 4 * std::sqrt(4 * rho * rho / reps));
  const double expected = 2 * (1 - rho * rho) * 4.0 / n;
  EXPECT_NEAR(var_cu / expected, 1.0, 4 * std::sqrt(2.0 / (reps - 1)));
  // Mean reported variance: each term has relative sd ~ sqrt(2 / 99) = 0.14, so the mean of 4,000 has
  // sd ~ 0.0023; estimating theta adds ~1/(2n) = 0.5% of bias. Tolerance 0.03.
  EXPECT_NEAR(reported / reps / expected, 1.0, 0.03);
}

// ------------------------------------------------------ sample ratio mismatch ---

// Chi-square upper-tail table values (any statistics text; checked in Python with the closed
// forms Q(x; 1) = erfc(sqrt(x/2)), Q(x; 2) = exp(-x/2), Q(x; 2k) = exp(-x/2) sum_{j<k} (x/2)^j / j!,
// Q(x; k+2) = Q(x; k) + (x/2)^{k/2} exp(-x/2) / Gamma(k/2 + 1)).
TEST(InferenceSrm, ChiSquareSfTextbookValues) {
  EXPECT_NEAR(ChiSquareSf(3.841459, 1), 0.05, 1e-7);
  EXPECT_NEAR(ChiSquareSf(5.991465, 2), 0.05, 1e-7);
  EXPECT_NEAR(ChiSquareSf(10.827566, 1), 0.001, 1e-8);
  EXPECT_NEAR(ChiSquareSf(7.814728, 3), 0.05, 1e-7);
  EXPECT_NEAR(ChiSquareSf(18.307038, 10), 0.05, 1e-7);
  EXPECT_NEAR(ChiSquareSf(2.0, 4), 2 * std::exp(-1.0), 1e-12);         // exp(-1) (1 + 1)
  EXPECT_NEAR(ChiSquareSf(1.0, 5), 0.9625657732472963, 1e-12);         // odd-df recursion
  EXPECT_NEAR(ChiSquareSf(20.0, 1), std::erfc(std::sqrt(10.0)), 1e-15);  // 7.744216e-6
  EXPECT_EQ(ChiSquareSf(0.0, 3), 1.0);
  EXPECT_EQ(ChiSquareSf(-1.0, 1), 1.0);
}

TEST(InferenceSrm, HandExamples) {
  // 1,100 / 900 against 1,000 / 1,000: chi2 = 100^2/1000 * 2 = 20, df 1,
  // p = erfc(sqrt(10)) = 7.744216e-6 -> alarm.
  SrmResult r = SampleRatioMismatch({1100, 900}, {1000, 1000});
  EXPECT_NEAR(r.chi2, 20.0, 1e-12);
  EXPECT_EQ(r.df, 1);
  EXPECT_NEAR(r.p_value, 7.744216431044074e-06, 1e-15);
  EXPECT_TRUE(r.alarm);

  // 50,500 / 49,500 against 50,000 / 50,000: chi2 = 500^2/50,000 * 2 = 10, p = erfc(sqrt(5)) = 0.0015654:
  // suspicious, but not below the default alarm level 0.001; it is below 0.01.
  r = SampleRatioMismatch({50500, 49500}, {50000, 50000});
  EXPECT_NEAR(r.chi2, 10.0, 1e-12);
  EXPECT_NEAR(r.p_value, 0.0015654022580025488, 1e-12);
  EXPECT_FALSE(r.alarm);
  EXPECT_TRUE(SampleRatioMismatch({50500, 49500}, {50000, 50000}, 0.01).alarm);

  // 50,100 / 49,900: chi2 = 100^2/50,000 * 2 = 0.4, p = erfc(sqrt(0.2)) = 0.5270893 -> no alarm.
  r = SampleRatioMismatch({50100, 49900}, {50000, 50000});
  EXPECT_NEAR(r.chi2, 0.4, 1e-12);
  EXPECT_NEAR(r.p_value, 0.5270892568655381, 1e-12);
  EXPECT_FALSE(r.alarm);

  // Unequal weights 50/30/20 of 1,000: observed 530/270/200: chi2 = 900/500 + 900/300 + 0 = 4.8, df 2,
  // p = exp(-2.4) = 0.0907180.
  r = SampleRatioMismatch({530, 270, 200}, {500, 300, 200});
  EXPECT_NEAR(r.chi2, 4.8, 1e-12);
  EXPECT_EQ(r.df, 2);
  EXPECT_NEAR(r.p_value, std::exp(-2.4), 1e-12);

  // Perfect match: chi2 = 0, p = 1.
  r = SampleRatioMismatch({250, 750}, {250, 750});
  EXPECT_EQ(r.chi2, 0.0);
  EXPECT_EQ(r.p_value, 1.0);
  EXPECT_FALSE(r.alarm);
}

TEST(InferenceSrm, ExpectedZeroCellsAreSkipped) {
  // The third cell has expected 0 and is left out: chi2 = 20, df 1, as for {1100, 900}.
  for (double third : {0.0, 5.0}) {
    const SrmResult r = SampleRatioMismatch({1100, 900, third}, {1000, 1000, 0});
    EXPECT_NEAR(r.chi2, 20.0, 1e-12);
    EXPECT_EQ(r.df, 1);
    EXPECT_NEAR(r.p_value, std::erfc(std::sqrt(10.0)), 1e-15);
  }
  // Expected 0 in the middle cell: 520 / 480 against 500 / 500, chi2 = 20^2/500 * 2 = 1.6, df 1.
  const SrmResult r = SampleRatioMismatch({520, 7, 480}, {500, 0, 500});
  EXPECT_NEAR(r.chi2, 1.6, 1e-12);
  EXPECT_EQ(r.df, 1);
  // A single cell left: df 0, no test.
  const SrmResult one = SampleRatioMismatch({100, 3}, {100, 0});
  EXPECT_EQ(one.df, 0);
  EXPECT_EQ(one.p_value, 1.0);
  EXPECT_FALSE(one.alarm);
}

// ------------------------------------------------------ multiple comparisons ---

// Hand example, p = {0.01, 0.04, 0.03, 0.005}, m = 4; sorted 0.005, 0.01, 0.03, 0.04.
// Holm: running max of (m - r + 1) p_(r): 4*0.005 = 0.02, 3*0.01 = 0.03, 2*0.03 = 0.06, max(0.06, 0.04) = 0.06.
// BH: running min from the top of m p_(r) / r: 0.04*4/4 = 0.04, 0.03*4/3 = 0.04, 0.01*4/2 = 0.02,
// min(0.02, 0.005*4/1 = 0.02) = 0.02.
TEST(InferenceMultiple, HandExample) {
  const std::vector<double> p = {0.01, 0.04, 0.03, 0.005};
  const std::vector<double> holm = HolmAdjust(p), bh = BenjaminiHochbergAdjust(p);
  const std::vector<double> holm_want = {0.03, 0.06, 0.06, 0.02}, bh_want = {0.02, 0.04, 0.04, 0.02};
  ASSERT_EQ(holm.size(), 4u);
  ASSERT_EQ(bh.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(holm[i], holm_want[i], 1e-15) << i;
    EXPECT_NEAR(bh[i], bh_want[i], 1e-15) << i;
  }
}

// Benjamini and Hochberg (1995), section 4.2: 15 p-values from a study of myocardial infarction.
// At q = 0.05 the step-up procedure rejects the 4 smallest; Holm (and Bonferroni) reject only 3.
// Adjusted values computed in Python from the definitions (R's p.adjust conventions):
// Holm_(i) = max_{j<=i} min(1, (m - j + 1) p_(j)); BH_(i) = min_{j>=i} min(1, m p_(j) / j).
TEST(InferenceMultiple, BenjaminiHochberg1995Example) {
  const std::vector<double> p = {0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
                                 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000};
  const std::vector<double> holm_want = {0.0015, 0.0056, 0.0247, 0.114, 0.2211, 0.278, 0.278, 0.278,
                                         0.3213, 1, 1, 1, 1, 1, 1};
  const std::vector<double> bh_want = {0.0015,   0.003,  0.0095, 0.035625, 0.0603,
                                       0.0638571428571429,  // 15 * 0.0298 / 7
                                       0.0638571428571429, 0.0645, 0.0765, 0.486,
                                       0.5811818181818182,  // 15 * 0.4262 / 11
                                       0.714875, 0.7532307692307692, 0.8132142857142857, 1.0};
  const std::vector<double> holm = HolmAdjust(p), bh = BenjaminiHochbergAdjust(p);
  int holm_rejects = 0, bh_rejects = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    EXPECT_NEAR(holm[i], holm_want[i], 1e-12) << i;
    EXPECT_NEAR(bh[i], bh_want[i], 1e-12) << i;
    holm_rejects += holm[i] <= 0.05;
    bh_rejects += bh[i] <= 0.05;
  }
  EXPECT_EQ(holm_rejects, 3);
  EXPECT_EQ(bh_rejects, 4);
}

// Properties on an unsorted set with ties: adjusted >= raw, <= 1, monotone in p, ties equal, and
// BH <= Holm (FDR control is never stricter than FWER control).
TEST(InferenceMultiple, MonotoneCappedAndTiesEqual) {
  const std::vector<double> p = {0.6, 0.01, 0.2, 0.01, 0.9, 0.04, 0.5, 0.003};
  const std::vector<double> holm = HolmAdjust(p), bh = BenjaminiHochbergAdjust(p);
  for (std::size_t i = 0; i < p.size(); ++i) {
    EXPECT_GE(holm[i], p[i]);
    EXPECT_GE(bh[i], p[i]);
    EXPECT_LE(holm[i], 1.0);
    EXPECT_LE(bh[i], 1.0);
    EXPECT_LE(bh[i], holm[i] + 1e-15);
    for (std::size_t j = 0; j < p.size(); ++j) {
      if (p[i] < p[j]) {
        EXPECT_LE(holm[i], holm[j]);
        EXPECT_LE(bh[i], bh[j]);
      }
    }
  }
  // Ties at 0.01 (sorted ranks 2 and 3 of 8): Holm max(7*0.01, 6*0.01) = 0.07 for both;
  // BH min(8*0.01/3, ...) = 0.026667 for both.
  EXPECT_NEAR(holm[1], 0.07, 1e-15);
  EXPECT_NEAR(holm[3], 0.07, 1e-15);
  EXPECT_NEAR(bh[1], 8 * 0.01 / 3, 1e-15);
  EXPECT_NEAR(bh[3], 8 * 0.01 / 3, 1e-15);
  // Cap: {0.5, 0.6, 0.9}: Holm 3*0.5 = 1.5 -> 1, 2*0.6 = 1.2 -> 1, then max -> 1.
  // BH: 0.9, min(0.9, 3*0.6/2 = 0.9), min(0.9, 3*0.5 = 1.5) = 0.9.
  const std::vector<double> big = {0.5, 0.6, 0.9};
  for (double v : HolmAdjust(big)) EXPECT_EQ(v, 1.0);
  for (double v : BenjaminiHochbergAdjust(big)) EXPECT_NEAR(v, 0.9, 1e-15);
  // A single p-value is unchanged; an empty family gives an empty result.
  EXPECT_NEAR(HolmAdjust({0.03})[0], 0.03, 1e-15);
  EXPECT_NEAR(BenjaminiHochbergAdjust({0.03})[0], 0.03, 1e-15);
  EXPECT_TRUE(HolmAdjust({}).empty());
  EXPECT_TRUE(BenjaminiHochbergAdjust({}).empty());
}

// NaN entries stay NaN and do not count in m: the hand example with two NaNs inserted gives the
// same adjusted values (m = 4, not 6).
TEST(InferenceMultiple, NaNLeftOutOfTheFamily) {
  const std::vector<double> p = {kNaN, 0.01, 0.04, kNaN, 0.03, 0.005};
  const std::vector<double> holm = HolmAdjust(p), bh = BenjaminiHochbergAdjust(p);
  ASSERT_EQ(holm.size(), 6u);
  ASSERT_EQ(bh.size(), 6u);
  EXPECT_TRUE(std::isnan(holm[0]) && std::isnan(holm[3]));
  EXPECT_TRUE(std::isnan(bh[0]) && std::isnan(bh[3]));
  const std::vector<double> holm_want = {0.03, 0.06, 0.06, 0.02}, bh_want = {0.02, 0.04, 0.04, 0.02};
  const int at[] = {1, 2, 4, 5};
  for (int k = 0; k < 4; ++k) {
    EXPECT_NEAR(holm[at[k]], holm_want[k], 1e-15) << at[k];
    EXPECT_NEAR(bh[at[k]], bh_want[k], 1e-15) << at[k];
  }
  const std::vector<double> all_nan = {kNaN, kNaN};
  for (double v : HolmAdjust(all_nan)) EXPECT_TRUE(std::isnan(v));
  for (double v : BenjaminiHochbergAdjust(all_nan)) EXPECT_TRUE(std::isnan(v));
}

// ----------------------------------------------------------- sequential test ---

// tau^2 = sigma^2 rho^2 with sigma^2 = var n and rho^2 = (L + log(L + 1)) / n_star, L = -2 log alpha
// (Howard et al. 2021, the normal-mixture boundary tightest at intrinsic time n_star).
// var = 0.02, n = 100 -> sigma^2 = 2; alpha = 0.05: L = 5.991464547107982, log(L + 1) = 1.9446900546295833,
// L + log(L + 1) = 7.936154601737565; n_star = 1000: tau^2 = 2 * 7.936154601737565 / 1000 = 0.01587230920347513.
TEST(InferenceSequential, MixtureTau2HandComputed) {
  EXPECT_NEAR(MixtureTau2(0.02, 100, 1000, 0.05), 0.01587230920347513, 1e-15);
  // Only sigma^2 = var n matters: var 0.002 at n = 1000 is the same sigma^2 = 2.
  EXPECT_NEAR(MixtureTau2(0.002, 1000, 1000, 0.05), 0.01587230920347513, 1e-15);
  // Tighter alpha, larger tau^2: alpha = 0.01: L = 9.210340371976182, log(L + 1) = 2.323397...,
  // tau^2 = (9.210340 + log(10.210340)) / 500 with sigma^2 = 1.
  EXPECT_NEAR(MixtureTau2(0.01, 100, 500, 0.01), (9.210340371976182 + std::log(10.210340371976182)) / 500, 1e-15);
}

// A look with diff d, variance V = 0.01, tau^2 = 0.04, alpha = 0.05. The mixture likelihood ratio
// is the ratio of the marginal densities N(d; 0, V + tau^2) / N(d; 0, V) (the normal prior on the
// effect integrates out); the confidence sequence is {theta : Lambda(d - theta) < 1/alpha}, whose
// radius was found by bisection on that density ratio in Python:
//   d = 0.3:  Lambda = 16.367228014507635, p = 1/Lambda = 0.06109770079048309;
//   d = 0.35: Lambda = 60.05621521179715,  p = 0.01665106594668598;
//   radius = 0.30823899938890925 (closed form sqrt(2 V (V + tau^2) / tau^2 (log 20 + log(5) / 2))).
TEST(InferenceSequential, LookHandComputed) {
  SequentialLook s = MixtureSequentialLook(0.3, 0.01, 0.04, 0.05);
  EXPECT_NEAR(s.p_value, 0.06109770079048309, 1e-12);
  EXPECT_NEAR(s.cs.low, 0.3 - 0.30823899938890925, 1e-10);
  EXPECT_NEAR(s.cs.high, 0.3 + 0.30823899938890925, 1e-10);
  EXPECT_LT(s.cs.low, 0.0);  // p > alpha and the sequence still contains 0

  s = MixtureSequentialLook(0.35, 0.01, 0.04, 0.05);
  EXPECT_NEAR(s.p_value, 0.01665106594668598, 1e-12);
  EXPECT_NEAR(s.cs.low, 0.35 - 0.30823899938890925, 1e-10);
  EXPECT_GT(s.cs.low, 0.0);  // p < alpha and 0 is excluded

  // Symmetric in the sign of the difference.
  const SequentialLook neg = MixtureSequentialLook(-0.35, 0.01, 0.04, 0.05);
  EXPECT_NEAR(neg.p_value, s.p_value, 1e-15);
  EXPECT_NEAR(neg.cs.high, -s.cs.low, 1e-12);

  // d = 0: Lambda = sqrt(V / (V + tau^2)) = sqrt(0.2) < 1, so 1/Lambda > 1 is capped at p = 1.
  s = MixtureSequentialLook(0.0, 0.01, 0.04, 0.05);
  EXPECT_EQ(s.p_value, 1.0);
  EXPECT_NEAR(s.cs.high, 0.30823899938890925, 1e-10);
}

// The sequence excludes 0 exactly when p < alpha (both say Lambda(d) > 1/alpha).
TEST(InferenceSequential, ExcludesZeroIffPBelowAlpha) {
  Normals g(sim::Stream(77, 0, 0, 3));
  int checked = 0, excluded = 0;
  for (int i = 0; i < 20000; ++i) {
    const double var = std::exp(-6 + 5 * g.Next() / 3);       // log-normal spread of variances
    const double tau2 = var * std::exp(g.Next() * 2);           // tau^2 from var / 50 to 50 var
    const double diff = g.Next() * 3 * std::sqrt(var + tau2);   // from 0 to well past the boundary
    const double alpha = i % 3 == 0 ? 0.05 : (i % 3 == 1 ? 0.01 : 0.2);
    const SequentialLook s = MixtureSequentialLook(diff, var, tau2, alpha);
    if (std::fabs(s.p_value / alpha - 1) < 1e-9) continue;  // on the boundary: rounding decides
    const bool excludes = s.cs.low > 0 || s.cs.high < 0;
    EXPECT_EQ(excludes, s.p_value < alpha) << "diff " << diff << " var " << var << " tau2 " << tau2;
    EXPECT_LE(s.cs.low, diff);
    EXPECT_GE(s.cs.high, diff);
    ++checked, excluded += excludes;
  }
  EXPECT_GT(checked, 19000);
  EXPECT_GT(excluded, 2000);  // both outcomes are exercised
  EXPECT_LT(excluded, checked - 2000);
}

// Always-valid: 2,000 A/A replications, N(0, 1) per-unit differences observed at 100 looks
// (n = 10, 20, ..., 1000), known variance V = 1/n, tau^2 from MixtureTau2 with n_star = 500.
// Rejecting when the running minimum p < alpha = 0.05 at any look must happen at most
// alpha + 3.29 sqrt(alpha (1 - alpha) / 2000) = 0.066 of the time (Ville's inequality bounds it by
// alpha even under continuous monitoring). The naive per-look z-test at 0.05 rejects far more often
// (Armitage, McPherson and Rowe 1969: about 0.37 with 100 looks); we assert > 0.10.
// Under an alternative (mean difference 0.2) the mixture test must still reject almost always.
TEST(InferenceSequential, MonteCarloAlwaysValid) {
  const double alpha = 0.05, z975 = 1.959964;  // normal table
  const int reps = 2000, looks = 100, batch = 10;
  int mixture_rejects = 0, naive_rejects = 0, power_rejects = 0;
  for (int r = 0; r < reps; ++r) {
    for (int alt = 0; alt < 2; ++alt) {
      if (alt == 1 && r >= 500) break;  // 500 replications suffice for the power check
      Normals g(sim::Stream(4242, static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(alt), 11));
      const double effect = alt ? 0.2 : 0.0;
      double sum = 0, running_p = 1;
      bool naive = false;
      for (int k = 1; k <= looks; ++k) {
        for (int i = 0; i < batch; ++i) sum += effect + g.Next();
        const double n = k * batch, diff = sum / n, var = 1.0 / n;
        const double tau2 = MixtureTau2(var, n, 500, alpha);
        running_p = std::min(running_p, MixtureSequentialLook(diff, var, tau2, alpha).p_value);
        naive = naive || std::fabs(diff) / std::sqrt(var) > z975;
      }
      if (alt) {
        power_rejects += running_p < alpha;
      } else {
        mixture_rejects += running_p < alpha;
        naive_rejects += naive;
      }
    }
  }
  const double bound = alpha + 3.29 * std::sqrt(alpha * (1 - alpha) / reps);  // 0.0660
  EXPECT_LE(static_cast<double>(mixture_rejects) / reps, bound) << mixture_rejects;
  EXPECT_GT(static_cast<double>(naive_rejects) / reps, 0.10) << naive_rejects;
  // At n = 1000 with effect 0.2 the expected z is 6.3; the mixture p is ~1e-7 there.
  EXPECT_GT(power_rejects, 490) << power_rejects;
}

// ------------------------------------------------------- Thompson sampling ---

// Two arms: P(arm 1 best) = P(X1 > X0) = Phi((m1 - m0) / sqrt(se0^2 + se1^2)).
// means {0, 0.5}, se {1, 0.8}: Phi(0.5 / sqrt(1.64)) = 0.65189232437813 (math.erfc in Python);
// tolerance 4 binomial SEs of 200,000 draws: 4 sqrt(p (1 - p) / 200,000) = 0.0043.
TEST(InferenceThompson, TwoArmsMatchNormalCdf) {
  const int draws = 200000;
  sim::Stream rng(99, 0, 0, 5);
  std::vector<double> pb = ProbabilityBest({0.0, 0.5}, {1.0, 0.8}, rng, draws);
  double want = Phi(0.5 / std::sqrt(1.64));
  EXPECT_NEAR(want, 0.65189232437813, 1e-12);
  ASSERT_EQ(pb.size(), 2u);
  EXPECT_NEAR(pb[1], want, 4 * std::sqrt(want * (1 - want) / draws));
  EXPECT_NEAR(pb[0] + pb[1], 1.0, 1e-12);

  // One arm known exactly: means {1, 0}, se {0, 1}: P(arm 1 best) = P(N(0, 1) > 1) = 0.15865525393145707.
  pb = ProbabilityBest({1.0, 0.0}, {0.0, 1.0}, rng, draws);
  want = 0.15865525393145707;
  EXPECT_NEAR(pb[1], want, 4 * std::sqrt(want * (1 - want) / draws));
}

// Four equal arms: each is best with probability 1/4; 4 SEs of 100,000 draws = 0.0055.
TEST(InferenceThompson, EqualArmsShareEvenly) {
  const int draws = 100000;
  sim::Stream rng(99, 1, 0, 5);
  const std::vector<double> pb = ProbabilityBest({2.0, 2.0, 2.0, 2.0}, {0.5, 0.5, 0.5, 0.5}, rng, draws);
  ASSERT_EQ(pb.size(), 4u);
  double total = 0;
  for (double p : pb) {
    EXPECT_NEAR(p, 0.25, 4 * std::sqrt(0.25 * 0.75 / draws));
    total += p;
  }
  EXPECT_NEAR(total, 1.0, 1e-12);
}

// With every se = 0 the highest mean wins every draw.
TEST(InferenceThompson, ZeroSeIsDeterministic) {
  sim::Stream rng(99, 2, 0, 5);
  const std::vector<double> pb = ProbabilityBest({1.0, 3.0, 2.5}, {0.0, 0.0, 0.0}, rng, 1000);
  EXPECT_EQ(pb, (std::vector<double>{0.0, 1.0, 0.0}));
  const std::vector<double> one = ProbabilityBest({-4.0}, {2.0}, rng, 10);
  EXPECT_EQ(one, std::vector<double>{1.0});
}

// w[k] = min_share + (1 - K min_share) p[k].
// p = {0.5, 0.3, 0.2}, floor 0.1: free share 0.7 -> {0.1 + 0.35, 0.1 + 0.21, 0.1 + 0.14} = {0.45, 0.31, 0.24}.
// p = {1, 0, 0}, floor 0.1 -> {0.8, 0.1, 0.1}. Floor 1/K -> equal shares. Floor 0 -> p.
TEST(InferenceThompson, FloorSharesHandValues) {
  auto check = [](const std::vector<double>& p, double floor, const std::vector<double>& want) {
    const std::vector<double> w = FloorShares(p, floor);
    ASSERT_EQ(w.size(), want.size());
    double total = 0;
    for (std::size_t k = 0; k < w.size(); ++k) {
      EXPECT_NEAR(w[k], want[k], 1e-15) << k;
      EXPECT_GE(w[k], floor - 1e-15) << k;
      total += w[k];
    }
    EXPECT_NEAR(total, 1.0, 1e-15);
  };
  check({0.5, 0.3, 0.2}, 0.1, {0.45, 0.31, 0.24});
  check({1.0, 0.0, 0.0}, 0.1, {0.8, 0.1, 0.1});
  check({0.7, 0.1, 0.2}, 1.0 / 3.0, {1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0});
  check({0.6, 0.4}, 0.0, {0.6, 0.4});
  check({0.25, 0.25, 0.25, 0.25}, 0.05, {0.25, 0.25, 0.25, 0.25});
}

}  // namespace
}  // namespace lclab::experiments
