#include "experiments/fit/holdout.h"

#include <algorithm>
#include <map>

#include "models/bgnbd.h"
#include "models/clv_models.h"

namespace lclab::experiments {

Forecast ForecastBgnbd(const LogSummary& log, const MleFit& bgnbd, double unit_days, double horizon) {
  const double r = bgnbd.values[0], alpha = bgnbd.values[1], a = bgnbd.values[2], b = bgnbd.values[3];
  Forecast f;
  f.has_holdout = log.holdout_end >= 0;
  f.horizon = f.has_holdout ? (log.holdout_end - log.calibration_end) / unit_days : horizon;
  f.customers_by_x.assign(8, 0.0), f.actual_by_x.assign(8, 0.0), f.predicted_by_x.assign(8, 0.0);
  for (std::size_t i = 0; i < log.customers.size(); ++i) {
    const CustomerSummary& c = log.customers[i];
    f.p_alive.push_back(models::BgnbdProbAlive(r, alpha, a, b, c.x, c.t_x, c.T));
    f.expected.push_back(models::BgnbdConditionalExpected(r, alpha, a, b, c.x, c.t_x, c.T, f.horizon));
    if (!f.has_holdout) continue;
    const auto k = static_cast<std::size_t>(std::min(c.x, 7.0));
    f.customers_by_x[k] += 1, f.actual_by_x[k] += log.holdout[i], f.predicted_by_x[k] += f.expected.back();
    f.actual += log.holdout[i], f.predicted += f.expected.back();
  }
  // Tracking: E[X(age)] summed over customers alive to the model since their first purchase; customers
  // sharing a first-purchase day share the term, so each (day, week) is evaluated once.
  std::map<int, double> cohort;
  for (int d : log.first_day) cohort[d] += 1;
  const int last = f.has_holdout ? log.holdout_end : log.calibration_end;
  double cumulative = 0;
  for (std::size_t w = 0; w < log.weekly_repeats.size(); ++w) {
    cumulative += log.weekly_repeats[w];
    f.tracking_actual.push_back(cumulative);
    const int end = std::min(last, log.origin + 7 * static_cast<int>(w + 1) - 1);  // the week's last day
    double expected = 0;
    for (const auto& [day, n] : cohort)
      if (day <= end) expected += n * models::BgnbdExpectedPurchases(r, alpha, a, b, (end - day) / unit_days);
    f.tracking_expected.push_back(expected);
  }
  return f;
}

}  // namespace lclab::experiments
