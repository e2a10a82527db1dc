// Estimates and comparisons as pure functions: sums in, intervals out
// (docs/statistics.md "Estimators").
#pragma once

#include <cstdint>
#include <limits>

namespace lclab::experiments {

// Sufficient statistics of per-unit pairs (y, x): for a mean or a proportion
// x = 1; for a ratio metric (e.g. opens per delivered message) y and x are the
// unit's numerator and denominator.
struct Moments {
  double n = 0, sy = 0, syy = 0, sx = 0, sxx = 0, sxy = 0;
  void Add(double y, double x = 1.0) {
    n += 1, sy += y, syy += y * y, sx += x, sxx += x * x, sxy += x * y;
  }
  void Merge(const Moments& o) {
    n += o.n, sy += o.sy, syy += o.syy, sx += o.sx, sxx += o.sxx, sxy += o.sxy;
  }
  double Mean() const { return n > 0 ? sy / n : 0.0; }
  // Sample variance of y (n - 1 denominator). REQUIRES: n >= 2.
  double Variance() const;
};

// A point estimate with its standard error and confidence interval [low, high].
struct Interval {
  double estimate = 0;  // mean, proportion, ratio or a difference of them
  double se = 0;        // its standard error
  double low = 0, high = 0;
  // The same interval for k times the quantity, k >= 0 (a per-customer lift times customers).
  Interval Scaled(double k) const { return {estimate * k, se * k, low * k, high * k}; }
  bool Covers(double x) const { return low <= x && x <= high; }
};
// The symmetric interval estimate +- q se (q: a normal or t quantile).
inline Interval SymmetricInterval(double estimate, double se, double q) {
  return {estimate, se, estimate - q * se, estimate + q * se};
}
inline constexpr Interval kUndefinedInterval = {std::numeric_limits<double>::quiet_NaN(),
                                                std::numeric_limits<double>::quiet_NaN(),
                                                std::numeric_limits<double>::quiet_NaN(),
                                                std::numeric_limits<double>::quiet_NaN()};

// Treatment against control: absolute and relative lift with confidence
// intervals and a two-sided p-value. NaN fields when undefined.
struct Comparison {
  Interval abs;          // treatment - control
  Interval rel;          // treatment / control - 1
  double statistic = 0;  // t or z
  double df = 0;         // Welch degrees of freedom; infinity for z tests
  double p_value = 1;
};

double NormalCdf(double z);
// REQUIRES: 0 < p < 1.
double NormalQuantile(double p);
// CDF of Student's t with df degrees of freedom (df may be +inf).
double StudentTCdf(double t, double df);
// Quantile of Student's t. REQUIRES: 0 < p < 1, df > 0.
double StudentTQuantile(double p, double df);

// Mean of y with a t interval. REQUIRES: m.n >= 2.
Interval MeanEstimate(const Moments& m, double confidence);
// Proportion (y in {0,1}) with a Wald interval. REQUIRES: m.n >= 1.
Interval ProportionEstimate(const Moments& m, double confidence);
// Ratio sum(y) / sum(x) with a delta-method interval. REQUIRES: m.sx > 0, m.n >= 2.
Interval RatioEstimate(const Moments& m, double confidence);

// Welch's t-test on the difference of means; relative lift by the delta method:
// Var(lift) ~ s_C^2 m_T^2 / (m_C^4 n_C) + s_T^2 / (m_C^2 n_T).
Comparison WelchCompare(const Moments& treatment, const Moments& control, double confidence);
// Welch's test from two means, the variances of those means and the sample sizes.
Comparison WelchFromMeans(double mt, double vt, double nt, double mc, double vc, double nc, double confidence);
// Two-proportion z-test: pooled standard error for the test, unpooled for the interval.
Comparison ProportionCompare(const Moments& treatment, const Moments& control, double confidence);
// Ratio metrics: z-test on the difference of delta-method ratio estimates.
Comparison RatioCompare(const Moments& treatment, const Moments& control, double confidence);

}  // namespace lclab::experiments
