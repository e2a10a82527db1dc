// Fit, then simulate: the BG/NBD fitted to the CDNOW log, given to lclab's simulator, makes a cohort
// like CDNOW's (first purchases spread over 12 weeks) buy in the 39-week holdout what the closed form
// forecasts, within sampling error (5 standard errors of the mean, from the simulated customers).
#include <gtest/gtest.h>

#include <cmath>

#include "experiments/fit/fits.h"
#include "experiments/fit/transactions.h"
#include "models/bgnbd.h"
#include "test_util.h"

namespace lclab::experiments {
namespace {

TEST(FittedPopulation, SimulatedHoldoutMatchesTheClosedForm) {
  LogOptions o;
  o.delimiter = "whitespace", o.header = false, o.id_column = "2", o.date_column = "3", o.amount_column = "5";
  o.date_format = "%Y%m%d", o.calibration_end = "19970930";
  const LogSummary log = SummariseLog(std::string(LCLAB_SOURCE_DIR) + "/tests/data/cdnow/CDNOW_sample.txt", o);
  const MleFit fit = FitBgnbd(log.customers);
  ASSERT_TRUE(fit.converged);
  models::ModelParams p;
  p.purchase.r = fit.values[0], p.purchase.alpha_days = 7 * fit.values[1];
  p.purchase.a = fit.values[2], p.purchase.b = fit.values[3];
  // First purchases uniform over the 12 weeks before day 0; calibration ends 272 days after the earliest
  // possible one (day 188), the holdout 273 days later.
  const int tenure = 84, calibration_end = 272 - tenure, holdout_end = calibration_end + 273;
  p.initial = {0, 0, 0, 1, tenure};
  constexpr std::size_t kN = 60000;
  lclab::testing::World w(p, kN, holdout_end + 1, 1997);
  std::vector<double> at_calibration(kN);
  for (int d = 0; d <= holdout_end; ++d) {
    w.sim.StepDay(w.pop, d, 2);
    if (d == calibration_end)
      for (std::size_t i = 0; i < kN; ++i) at_calibration[i] = w.pop.orders[i];
  }
  double s = 0, ss = 0, expected = 0;
  const auto& pp = p.purchase;
  for (std::size_t i = 0; i < kN; ++i) {
    const double y = w.pop.orders[i] - at_calibration[i];
    s += y, ss += y * y;
    const int f = w.pop.first_purchase_day[i];
    expected += models::BgnbdExpectedPurchases(pp.r, pp.alpha_days, pp.a, pp.b, holdout_end - f) -
                models::BgnbdExpectedPurchases(pp.r, pp.alpha_days, pp.a, pp.b, calibration_end - f);
  }
  const double se = std::sqrt((ss - s * s / kN) / (kN - 1) / kN);
  EXPECT_NEAR(s / kN, expected / kN, 5 * se);
  // And the cohort's holdout purchases per customer are CDNOW's order of magnitude (1,882 of 2,357).
  EXPECT_GT(s / kN, 0.5);
  EXPECT_LT(s / kN, 1.1);
}

}  // namespace
}  // namespace lclab::experiments
