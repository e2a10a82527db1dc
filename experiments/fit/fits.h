// The customer-base models lclab fits to a user's data (docs/fit.md), by
// maximum likelihood (mle.h): BG/NBD and Pareto/NBD on the customers'
// (x, t_x, T), Gamma-Gamma on the repeat buyers' mean spend, and the
// shifted-beta-geometric model on a contract cohort's survivors.
#pragma once

#include <vector>

#include "experiments/fit/mle.h"

namespace lclab::experiments {

// One customer over the calibration period: repeat purchase occasions x, the time of the last one
// t_x and the customer's age T (in one time unit, from the first purchase), and the mean value of
// the repeat purchases (0 without any).
struct CustomerSummary {
  double x = 0, t_x = 0, T = 0, mean_value = 0;
};

MleFit FitBgnbd(const std::vector<CustomerSummary>& customers);
MleFit FitParetoNbd(const std::vector<CustomerSummary>& customers);
// On the repeat buyers (x >= 1, mean value > 0). REQUIRES: at least one.
MleFit FitGammaGamma(const std::vector<CustomerSummary>& customers);
// On survivors n_0 > n_1 >= ... (n_t alive after t periods).
MleFit FitSbg(const std::vector<double>& survivors);

// The correlation of repeat frequency and mean spend among repeat buyers: Gamma-Gamma assumes none.
double FrequencySpendCorrelation(const std::vector<CustomerSummary>& customers);

}  // namespace lclab::experiments
