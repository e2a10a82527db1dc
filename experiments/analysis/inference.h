// Safeguards, variance reduction, always-valid and adaptive inference on top
// of the estimators in stats.h. Pure functions; docs/statistics.md gives every
// formula with its source.
#pragma once

#include <vector>

#include "experiments/analysis/stats.h"
#include "sim/random.h"

namespace lclab::experiments {

// --- CUPED (Deng, Xu, Kohavi and Walker 2013) ---
// Moments here hold y = the metric and x = its pre-period covariate per customer.
// theta = cov(y, x) / var(x) over `pooled` (every arm together); 0 when var(x) = 0.
double CupedTheta(const Moments& pooled);
// An arm's adjusted mean ybar - theta (xbar - x_mean), x_mean the pooled covariate mean, with a t
// interval from the adjusted variance var(y) - 2 theta cov(y, x) + theta^2 var(x). REQUIRES: m.n >= 2.
Interval CupedEstimate(const Moments& m, double theta, double x_mean, double confidence);
// Welch comparison of adjusted means; with `relative`, the relative lift against the adjusted control
// mean on the log scale (as WelchCompare). REQUIRES: t.n >= 2, c.n >= 2.
Comparison CupedCompare(const Moments& t, const Moments& c, double theta, double x_mean, double confidence,
                        bool relative);

// --- Sample-ratio mismatch ---
struct SrmResult {
  double chi2 = 0, p_value = 1;
  int df = 0;
  bool alarm = false;  // p_value < alarm_p
};
// Upper tail P(X >= x) of a chi-square with df degrees of freedom. REQUIRES: df > 0.
double ChiSquareSf(double x, double df);
// Pearson's chi-square of observed counts against expected counts (cells with expected 0 are
// skipped). REQUIRES: observed.size() == expected.size().
SrmResult SampleRatioMismatch(const std::vector<double>& observed, const std::vector<double>& expected,
                              double alarm_p = 0.001);

// --- Multiple comparisons: adjusted p-values (NaN entries are left out of the family) ---
// Holm (1979) step-down: family-wise error rate.
std::vector<double> HolmAdjust(const std::vector<double>& p);
// Benjamini and Hochberg (1995) step-up: false discovery rate.
std::vector<double> BenjaminiHochbergAdjust(const std::vector<double>& p);

// --- Sequential testing: the Gaussian-mixture SPRT / confidence sequence ---
// (Robbins 1970; Johari, Koomen, Pekelis and Walsh 2017; Howard et al. 2021; Waudby-Smith et al. 2023.)
// Mixing variance tau^2 = sigma^2 rho^2 for an estimate with variance `var` from n units
// (sigma^2 = var n), with rho tuned so the boundary is tightest at n_star units:
// rho^2 = (-2 log alpha + log(-2 log alpha + 1)) / n_star. REQUIRES: var > 0, n > 0, n_star > 0.
double MixtureTau2(double var, double n, double n_star, double alpha);
struct SequentialLook {
  Interval cs;         // the confidence sequence at this look (estimate: the difference; se: its sd)
  double p_value = 1;  // 1 / (mixture likelihood ratio), capped at 1 (not yet the running minimum)
};
// One look at a difference estimate `diff` with variance `var`. REQUIRES: var > 0, tau2 > 0, 0 < alpha < 1.
SequentialLook MixtureSequentialLook(double diff, double var, double tau2, double alpha);

// --- Thompson sampling over arms ---
// P(arm k has the highest value) under independent normal posteriors N(mean[k], se[k]^2), estimated
// from `draws` joint draws. REQUIRES: sizes equal, se[k] >= 0, draws >= 1.
std::vector<double> ProbabilityBest(const std::vector<double>& mean, const std::vector<double>& se,
                                    sim::Stream& rng, int draws);
// Allocation with a floor: w[k] = min_share + (1 - K min_share) p[k]. REQUIRES: K min_share <= 1, sum(p) = 1.
std::vector<double> FloorShares(const std::vector<double>& p, double min_share);

}  // namespace lclab::experiments
