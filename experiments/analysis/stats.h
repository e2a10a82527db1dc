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
inline constexpr double kInfinity = std::numeric_limits<double>::infinity();
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

// The interval with its bounds moved inside [lo, hi] (a parameter's range: a mean of non-negative
// values is >= 0). Clamping keeps coverage: the true value is inside the range.
Interval Clamp(Interval e, double lo, double hi);

// --- one arm ---

// Mean of y with a t interval inside [lo, hi]. REQUIRES: m.n >= 2.
Interval MeanEstimate(const Moments& m, double confidence, double lo = -kInfinity, double hi = kInfinity);
// Wilson's score interval for s successes in n trials; n may be an effective sample size (not whole).
// Inside [0, 1], never of zero width for 0 < n. REQUIRES: 0 <= s <= n, n > 0.
Interval WilsonInterval(double s, double n, double z);
// Proportion (y in {0, 1}) with the Wilson interval. REQUIRES: m.n >= 1.
Interval ProportionEstimate(const Moments& m, double confidence);
// Ratio sum(y) / sum(x). A share (0 <= y <= x for every unit: opens per delivered message) has the
// Wilson interval at its effective sample size EffectiveSize(m); any other ratio the delta-method
// interval (a t interval with n - 1 degrees of freedom) inside [lo, hi]. REQUIRES: m.sx > 0, m.n >= 2.
Interval RatioEstimate(const Moments& m, double confidence, bool share, double lo = 0, double hi = kInfinity);
// The effective sample size of a share ratio R: R (1 - R) / Var(R), with Var(R) the delta-method
// (customer-clustered) variance; sum(x) when R is 0 or 1 or Var(R) is 0 (no clustering information).
double EffectiveSize(const Moments& m);

// --- two arms (treatment against control) ---

// Newcombe's hybrid score interval for pt - pc from each arm's Wilson interval (method 10).
Interval NewcombeDifference(double pt, const Interval& wt, double pc, const Interval& wc);
// MOVER-R interval (Donner and Zou) for pt / pc - 1 from each arm's Wilson interval; undefined (NaN)
// when pc = 0. Never below -100%.
Interval MoverRelative(double pt, const Interval& wt, double pc, const Interval& wc);

// Welch's t-test on the difference of means (p NaN when both arms are constant). With `relative`, the
// relative lift mt / mc - 1 with a log-ratio interval exp(log(mt / mc) +- q sqrt(vt / mt^2 + vc / mc^2)) - 1
// (q: Welch's t quantile) when both means are > 0; otherwise the relative lift is undefined.
Comparison WelchCompare(const Moments& treatment, const Moments& control, double confidence, bool relative);
// Welch's test from two means, the variances of those means and the sample sizes.
Comparison WelchFromMeans(double mt, double vt, double nt, double mc, double vc, double nc, double confidence,
                          bool relative);
// Two proportions from successes and (possibly effective) trials: the pooled two-proportion z-test
// (p NaN when neither arm has an event, or both only events), Newcombe's difference, MOVER-R relative.
Comparison ProportionCompareCounts(double st, double nt, double sc, double nc, double confidence);
Comparison ProportionCompare(const Moments& treatment, const Moments& control, double confidence);
// Ratio metrics. A share as two proportions at their effective sample sizes (ProportionCompareCounts);
// any other ratio by Welch's test on the delta-method estimates (the means of the customers' linearised
// values (y - R x) / mean(x)), with a log-ratio relative lift when `relative` and both ratios are > 0.
Comparison RatioCompare(const Moments& treatment, const Moments& control, double confidence, bool share,
                        bool relative);

}  // namespace lclab::experiments
