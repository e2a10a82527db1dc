// What a fitted BG/NBD says about the customers (docs/fit.md): per customer
// P(alive) at the end of calibration and the expected repeat purchases over
// the holdout (or a horizon), and, with a holdout, the forecast against the
// actual repeat purchases, in total, by calibration frequency 0..7+ (as in
// Fader, Hardie and Lee 2005) and week by week (the cumulative tracking curve).
#pragma once

#include <vector>

#include "experiments/fit/mle.h"
#include "experiments/fit/transactions.h"

namespace lclab::experiments {

struct Forecast {
  double horizon = 0;                  // in the time unit: the holdout's length, or the horizon asked for
  std::vector<double> p_alive, expected;  // per customer
  // With a holdout: actual and expected repeat purchases, in total and by calibration frequency.
  bool has_holdout = false;
  double actual = 0, predicted = 0;
  std::vector<double> customers_by_x, actual_by_x, predicted_by_x;  // x = 0, 1, ..., 6, 7+
  // Cumulative repeat purchases by week from the first first-purchase day: actual and expected.
  std::vector<double> tracking_actual, tracking_expected;
};

// REQUIRES: bgnbd from FitBgnbd on log.customers (r, alpha, a, b in log's time unit).
Forecast ForecastBgnbd(const LogSummary& log, const MleFit& bgnbd, double unit_days, double horizon);

}  // namespace lclab::experiments
