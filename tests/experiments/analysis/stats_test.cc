// Estimators against hand-computed and textbook values.
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
  const Comparison c = WelchCompare(FromSummary(50, 10.5, 2.0), FromSummary(60, 9.8, 2.5), 0.95);
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
}

// Hand computation: 200/1000 vs 150/1000. Pooled p = 0.175, z = 2.9424494,
// p = 0.0032563; unpooled se = 0.0169558, CI low = 0.0167672; relative lift
// 1/3 with delta-method se 0.1310923.
TEST(TwoProportion, HandComputedExample) {
  const Comparison c = ProportionCompare(Binary(200, 1000), Binary(150, 1000), 0.95);
  EXPECT_NEAR(c.abs.estimate, 0.05, 1e-12);
  EXPECT_NEAR(c.statistic, 2.9424494316825, 1e-9);
  EXPECT_NEAR(c.p_value, 0.0032562696284120633, 1e-9);
  EXPECT_NEAR(c.abs.se, 0.01695582495781317, 1e-12);
  EXPECT_NEAR(c.abs.low, 0.01676719375452082, 1e-9);
  EXPECT_NEAR(c.rel.estimate, 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(c.rel.se, 0.13109227736669005, 1e-12);
}

TEST(Welch, TinyPValuesAreNotRoundedToZero) {
  const Comparison c = WelchCompare(FromSummary(1000, 11.0, 1.0), FromSummary(1000, 10.0, 1.0), 0.95);
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
  const Interval r = RatioEstimate(m, 0.95);
  EXPECT_NEAR(r.estimate, 5.0 / 8.0, 1e-12);
  EXPECT_NEAR(r.se, std::sqrt(m.Variance() / 8), 1e-12);
}

// Ratio by hand: units (y, x) = (1,2), (0,1), (2,3), (1,2).
// R = 4/8 = 0.5; mx = 2, deviations d = y - R x = 0, -0.5, 0.5, 0;
// Var(R) = sum d^2/(n-1) / (n mx^2) = (0.5/3) / (4 * 4) = 0.0104167.
TEST(Ratio, HandComputedExample) {
  Moments m;
  m.Add(1, 2), m.Add(0, 1), m.Add(2, 3), m.Add(1, 2);
  const Interval r = RatioEstimate(m, 0.95);
  EXPECT_NEAR(r.estimate, 0.5, 1e-12);
  EXPECT_NEAR(r.se, std::sqrt(0.5 / 3 / 16), 1e-12);
}

TEST(MeanEstimate, TInterval) {
  const Interval e = MeanEstimate(FromSummary(11, 5.0, 2.0), 0.95);
  EXPECT_NEAR(e.se, 2.0 / std::sqrt(11.0), 1e-12);
  EXPECT_NEAR(e.high - e.estimate, 2.228139 * 2.0 / std::sqrt(11.0), 1e-5);  // t(0.975; 10)
}

}  // namespace
}  // namespace lclab::experiments
