// Factorial analysis of a multivariate experiment: main effects and two-way
// interactions of the factor levels, estimated from per-variant sufficient
// statistics with cluster-robust (sandwich) standard errors
// (docs/statistics.md "Factorial analysis"). Pure functions.
#pragma once

#include <string>
#include <vector>

#include "experiments/analysis/stats.h"

namespace lclab::experiments {

// A model term: a level's main effect against its factor's reference level
// (level 0), or the interaction of two such levels (dummy coding).
struct FactorialTerm {
  std::string name;           // "tone=urgent" or "tone=urgent x length=short"
  int factor_a = -1, level_a = -1;
  int factor_b = -1, level_b = -1;  // -1: a main effect
};

// The design: one row per variant (level index per factor) and the estimable
// terms. Terms aliased with earlier ones (main effects come first) are left
// out of the model and listed.
struct FactorialModel {
  std::vector<FactorialTerm> terms;    // estimable, after the intercept
  std::vector<std::string> aliased;    // left out: not estimable in this design
  std::vector<std::vector<double>> x;  // per variant: 1, then one value per term
};

// REQUIRES: every variant has one level per factor, level < level_counts[f].
FactorialModel BuildFactorialModel(const std::vector<std::vector<int>>& variants,
                                   const std::vector<std::string>& factor_names,
                                   const std::vector<std::vector<std::string>>& level_names);

struct TermEstimate {
  Interval effect;     // the coefficient with its standard error and confidence interval
  double p_value = 1;
  double truth = 0;    // the planted value (NaN when there is none)
};

struct FactorialFit {
  bool ok = false;                 // false: too little data, or the fit did not converge
  double intercept = 0;
  std::vector<TermEstimate> terms;  // per FactorialModel::terms
};

// Logistic regression of successes on trials, from per-variant Moments of
// per-customer pairs (y = successes, x = trials). Standard errors are
// clustered by customer: Var = B M B with B = (X'WX)^-1 and
// M = sum_v x_v x_v' sum_i (y_i - n_i p_v)^2.
FactorialFit FitLogistic(const FactorialModel& model, const std::vector<Moments>& per_variant, double confidence);

// Least squares of a per-customer outcome y on the design, from per-variant
// Moments (x = 1), with heteroskedasticity-robust (HC0) standard errors.
FactorialFit FitLinear(const FactorialModel& model, const std::vector<Moments>& per_variant, double confidence);

// Least-squares coefficients of per-variant values on the design (the planted
// truth the fits estimate). Returns the intercept first.
std::vector<double> ProjectOnModel(const FactorialModel& model, const std::vector<double>& values);

}  // namespace lclab::experiments
