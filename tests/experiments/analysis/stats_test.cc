// Estimators against hand-computed and published values: Welch, the Wilson
// score interval and Newcombe's difference interval (Newcombe 1998's worked
// examples), MOVER-R for a relative lift (its defining equations solved by
// bisection in Python), log-ratio relative lifts, ratio metrics.
#include "experiments/analysis/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace lclab::experiments {
namespace {

Moments FromSummary(double n, double mean, double sd) {
  Moments m;
  m.n = n;
  m.sy = n * mean;
  m.syy = (n - 1) * sd * sd + n * mean * mean;
  m.sx = n;
  m.sxx = n;
  m.sxy = m.sy;
  return m;
}

Moments Binary(double successes, double n) {
  Moments m;
  for (int i = 0; i < n; ++i) m.Add(i < successes ? 1.0 : 0.0);
  return m;
}

TEST(Distributions, TextbookQuantiles) {
  EXPECT_NEAR(NormalQuantile(0.975), 1.959964, 1e-6);
  EXPECT_NEAR(NormalCdf(1.644854), 0.95, 1e-6);
  // Student's t table: t(0.975; 10) = 2.228139, t(0.975; 30) = 2.042272, t(0.95; 5) = 2.015048.
  EXPECT_NEAR(StudentTQuantile(0.975, 10), 2.228139, 1e-6);
  EXPECT_NEAR(StudentTQuantile(0.975, 30), 2.042272, 1e-6);
  EXPECT_NEAR(StudentTCdf(2.015048, 5), 0.95, 1e-6);
}

// An independent t CDF: Simpson integration of the t density.
double TCdfByIntegration(double t, double df) {
  auto pdf = [df](double x) {
    return std::exp(std::lgamma((df + 1) / 2) - std::lgamma(df / 2)) / std::sqrt(df * std::numbers::pi) *
           std::pow(1 + x * x / df, -(df + 1) / 2);
  };
  const int n = 20000;
  const double h = t / n;
  double s = pdf(0) + pdf(t);
  for (int i = 1; i < n; ++i) s += (i % 2 ? 4 : 2) * pdf(i * h);
  return 0.5 + s * h / 3;
}

// Hand computation: n 50 / 60, means 10.5 / 9.8, sds 2.0 / 2.5:
// se = sqrt(4/50 + 6.25/60) = 0.4291464, Welch df = 107.8377, t = 1.6311448.
TEST(Welch, HandComputedExample) {
  const Comparison c = WelchCompare(FromSummary(50, 10.5, 2.0), FromSummary(60, 9.8, 2.5), 0.95, true);
  EXPECT_NEAR(c.abs.estimate, 0.7, 1e-12);
  EXPECT_NEAR(c.abs.se, 0.4291464396527911, 1e-12);
  EXPECT_NEAR(c.df, 107.83769204861274, 1e-9);
  EXPECT_NEAR(c.statistic, 1.6311448384992948, 1e-9);
  const double p = 2 * (1 - TCdfByIntegration(1.6311448384992948, 107.83769204861274));
  EXPECT_NEAR(c.p_value, p, 1e-7);
  const double q = StudentTQuantile(0.975, c.df);
  EXPECT_NEAR(c.abs.low, 0.7 - q * c.abs.se, 1e-12);
  // Relative lift by the delta method: sC^2 mT^2/(mC^4 nC) + sT^2/(mC^2 nT).
  const double rel_var = 6.25 * 10.5 * 10.5 / (std::pow(9.8, 4) * 60) + 4.0 / (9.8 * 9.8 * 50);
  EXPECT_NEAR(c.rel.estimate, 10.5 / 9.8 - 1, 1e-12);
  EXPECT_NEAR(c.rel.se, std::sqrt(rel_var), 1e-12);
  // Its interval on the log scale: log(mt / mc) +- q sqrt(vt / mt^2 + vc / mc^2).
  const double se_log = std::sqrt(4.0 / 50 / (10.5 * 10.5) + 6.25 / 60 / (9.8 * 9.8));
  EXPECT_NEAR(c.rel.low, 10.5 / 9.8 * std::exp(-q * se_log) - 1, 1e-12);
  EXPECT_NEAR(c.rel.high, 10.5 / 9.8 * std::exp(q * se_log) - 1, 1e-12);
  EXPECT_TRUE(std::isnan(WelchCompare(FromSummary(50, 10.5, 2.0), FromSummary(60, 9.8, 2.5), 0.95, false).rel.estimate));
  // A mean of zero in the control: no relative lift.
  EXPECT_TRUE(std::isnan(WelchCompare(FromSummary(50, 1, 2), FromSummary(60, 0, 2), 0.95, true).rel.estimate));
}

// Wilson (1927) against Newcombe (1998a), example 81/263: 0.2553 to 0.3662; 0 of 10 has a
// nonzero upper limit 0.2775 (a Wald interval would be [0, 0]).
TEST(Wilson, PublishedValuesAndBounds) {
  const double z = NormalQuantile(0.975);
  Interval w = WilsonInterval(81, 263, z);
  EXPECT_NEAR(w.low, 0.2552885198782742, 1e-12);
  EXPECT_NEAR(w.high, 0.36620957698280004, 1e-12);
  w = WilsonInterval(0, 10, z);
  EXPECT_EQ(w.low, 0.0);
  EXPECT_NEAR(w.high, 0.2775327998628892, 1e-12);
  w = WilsonInterval(10, 10, z);
  EXPECT_NEAR(w.high, 1.0, 1e-12);
  EXPECT_LE(w.high, 1.0);
  EXPECT_GT(w.high - w.low, 0.2);
  const Interval e = ProportionEstimate(Binary(3, 7), 0.95);
  EXPECT_NEAR(e.estimate, 3.0 / 7, 1e-12);
  EXPECT_GE(e.low, 0.0);
}

// Newcombe (1998b), method 10, the paper's examples: 56/70 - 48/80 = 0.2 with 0.0524 to 0.3339, and
// 9/10 - 3/10 = 0.6 with 0.1705 to 0.8090.
TEST(TwoProportion, NewcombePublishedExamples) {
  Comparison c = ProportionCompare(Binary(56, 70), Binary(48, 80), 0.95);
  EXPECT_NEAR(c.abs.estimate, 0.2, 1e-12);
  EXPECT_NEAR(c.abs.low, 0.052431472402365065, 1e-12);
  EXPECT_NEAR(c.abs.high, 0.333872654036906, 1e-12);
  c = ProportionCompare(Binary(9, 10), Binary(3, 10), 0.95);
  EXPECT_NEAR(c.abs.low, 0.17052272393450302, 1e-12);
  EXPECT_NEAR(c.abs.high, 0.8090179735354881, 1e-12);
}

// Hand computation: 200/1000 vs 150/1000. Pooled p = 0.175, z = 2.9424494, p = 0.0032563; unpooled
// se = 0.0169558. Newcombe: 0.016701 to 0.083227. MOVER-R (the limits of p1 - r p2 set to 0, solved
// by bisection): ratio 0.1000441 to 0.6162436 above 1.
TEST(TwoProportion, HandComputedExample) {
  const Comparison c = ProportionCompare(Binary(200, 1000), Binary(150, 1000), 0.95);
  EXPECT_NEAR(c.abs.estimate, 0.05, 1e-12);
  EXPECT_NEAR(c.statistic, 2.9424494316825, 1e-9);
  EXPECT_NEAR(c.p_value, 0.0032562696284120633, 1e-9);
  EXPECT_NEAR(c.abs.se, 0.01695582495781317, 1e-12);
  EXPECT_NEAR(c.abs.low, 0.016701054306740445, 1e-12);
  EXPECT_NEAR(c.abs.high, 0.0832267033173967, 1e-12);
  EXPECT_NEAR(c.rel.estimate, 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(c.rel.low, 0.10004413475519502, 1e-9);
  EXPECT_NEAR(c.rel.high, 0.6162435529421726, 1e-9);
}

// MOVER-R where a log ratio fails: no event in the treatment (the interval reaches -100% and stops),
// and a rare event in both arms (a wide, asymmetric interval); no relative lift without control events.
TEST(TwoProportion, MoverRelativeAtTheEdges) {
  Comparison c = ProportionCompare(Binary(0, 50), Binary(5, 50), 0.95);
  EXPECT_EQ(c.rel.estimate, -1.0);
  EXPECT_NEAR(c.rel.low, -1.0, 1e-12);
  EXPECT_NEAR(c.rel.high, -0.13510188104144938, 1e-9);
  c = ProportionCompare(Binary(3, 20), Binary(1, 20), 0.95);
  EXPECT_NEAR(c.rel.low, -0.5566608691596742, 1e-9);
  EXPECT_NEAR(c.rel.high, 18.888323124795164, 1e-6);
  EXPECT_TRUE(std::isnan(ProportionCompare(Binary(3, 20), Binary(0, 20), 0.95).rel.estimate));
  // No events anywhere: the difference interval still has width, the test is undefined.
  c = ProportionCompare(Binary(0, 40), Binary(0, 40), 0.95);
  EXPECT_GT(c.abs.high, 0.05);
  EXPECT_LT(c.abs.low, -0.05);
  EXPECT_TRUE(std::isnan(c.p_value));
}

TEST(Welch, TinyPValuesAreNotRoundedToZero) {
  const Comparison c = WelchCompare(FromSummary(1000, 11.0, 1.0), FromSummary(1000, 10.0, 1.0), 0.95, true);
  EXPECT_GT(c.p_value, 0.0);
  EXPECT_LT(c.p_value, 1e-50);
}

TEST(TwoProportion, IdenticalArmsHavePOne) {
  const Comparison c = ProportionCompare(Binary(30, 100), Binary(30, 100), 0.95);
  EXPECT_NEAR(c.p_value, 1.0, 1e-12);
  EXPECT_NEAR(c.abs.estimate, 0.0, 1e-12);
}

// Ratio metric: with x = 1 for every unit the delta-method ratio reduces to
// the mean and its se to sd/sqrt(n) (population-variance convention n-1).
TEST(Ratio, ReducesToMeanWhenDenominatorsAreOne) {
  Moments m;
  const double ys[] = {0, 1, 1, 0, 1, 1, 1, 0};
  for (double y : ys) m.Add(y, 1.0);
  const Interval r = RatioEstimate(m, 0.95, false);
  EXPECT_NEAR(r.estimate, 5.0 / 8.0, 1e-12);
  EXPECT_NEAR(r.se, std::sqrt(m.Variance() / 8), 1e-12);
}

// Ratio by hand: units (y, x) = (1,2), (0,1), (2,3), (1,2).
// R = 4/8 = 0.5; mx = 2, deviations d = y - R x = 0, -0.5, 0.5, 0;
// Var(R) = sum d^2/(n-1) / (n mx^2) = (0.5/3) / (4 * 4) = 0.0104167.
TEST(Ratio, HandComputedExample) {
  Moments m;
  m.Add(1, 2), m.Add(0, 1), m.Add(2, 3), m.Add(1, 2);
  const Interval r = RatioEstimate(m, 0.95, false);
  EXPECT_NEAR(r.estimate, 0.5, 1e-12);
  EXPECT_NEAR(r.se, std::sqrt(0.5 / 3 / 16), 1e-12);
  EXPECT_NEAR(r.high - r.estimate, 3.182446 * r.se, 1e-6);  // t(0.975; n - 1 = 3): a mean of 4 linearised values
  // Two such ratios: Welch's test on the linearised values, df (v1 + v2)^2 / (v1^2 / 3 + v2^2 / 3) = 6.
  const Comparison c = RatioCompare(m, m, 0.95, false, true);
  EXPECT_NEAR(c.df, 6.0, 1e-9);
  EXPECT_NEAR(c.abs.high, 2.446912 * std::sqrt(2.0) * r.se, 1e-6);  // t(0.975; 6)
  EXPECT_NEAR(c.p_value, 1.0, 1e-12);
  // As a share: the Wilson interval at the effective size R (1 - R) / Var(R) = 0.25 / 0.0104167 = 24.
  EXPECT_NEAR(EffectiveSize(m), 24.0, 1e-9);
  const Interval share = RatioEstimate(m, 0.95, true);
  const Interval w = WilsonInterval(12, 24, NormalQuantile(0.975));
  EXPECT_NEAR(share.low, w.low, 1e-12);
  EXPECT_NEAR(share.high, w.high, 1e-12);
}

// A share with no events still has an interval of positive width, inside [0, 1].
TEST(Ratio, ShareWithoutEvents) {
  Moments m;
  for (int i = 0; i < 30; ++i) m.Add(0, 1 + i % 3);  // 60 messages, no opens
  const Interval r = RatioEstimate(m, 0.95, true);
  EXPECT_EQ(r.low, 0.0);
  EXPECT_GT(r.high, 0.0);
  EXPECT_LT(r.high, 0.1);
  EXPECT_EQ(EffectiveSize(m), 60.0);
}

TEST(MeanEstimate, TIntervalInsideTheRange) {
  const Interval e = MeanEstimate(FromSummary(11, 5.0, 2.0), 0.95);
  EXPECT_NEAR(e.se, 2.0 / std::sqrt(11.0), 1e-12);
  EXPECT_NEAR(e.high - e.estimate, 2.228139 * 2.0 / std::sqrt(11.0), 1e-5);  // t(0.975; 10)
  // A mean of non-negative values near 0 is kept at or above 0.
  const Interval low = MeanEstimate(FromSummary(5, 0.5, 2.0), 0.95, 0.0);
  EXPECT_EQ(low.low, 0.0);
  EXPECT_NEAR(low.high - low.estimate, 2.776445 * 2.0 / std::sqrt(5.0), 1e-5);  // t(0.975; 4)
}

}  // namespace
}  // namespace lclab::experiments
