// The world watch's measures against closed forms, on small worlds with fixed seeds. Tolerances:
// 5 standard errors, plus the day either side where a measure's follow-up period could start.
#include "experiments/facts/world_watch.h"

#include <gtest/gtest.h>

#include <cmath>

#include "experiments/config/config.h"

namespace lclab::facts {
namespace {

WorldMeasures Watch(const std::string& body) {
  const std::string text = "[simulation]\nseed = 5\nwarmup_days = 10\ndays = 1095\n[population]\nsize = 20000\n" + body;
  return WatchWorld(experiments::LoadConfigText(text, "test.toml", {}), 2, sim::Progress::Mode::kNever);
}

// Sign-ups convert at rate h a day: within 30 days with probability 1 - exp(-30 h). Prospects
// become aware (Bass, p = 5 a year), sign up at rate s and buy at rate h: from awareness to the first
// purchase takes 1 / (1 - e^-s) + 1 / (1 - e^-h) days on average (two geometric waits; 2 days either
// way for whether a move can follow another on the same day). sd of a wait: sqrt(1 - q) / q.
TEST(WorldWatch, ConversionAndDaysToPurchaseAreTheHazards) {
  const double h = 0.02, s = 0.01;
  const WorldMeasures m = Watch(
      "initial = { prospect = 0.5, reach = 0.5, acquisition = 0.0, customer = 0.0 }\n"
      "[[population.personas]]\nname = \"x\"\nsignup_rate = 0.01\nfirst_purchase_rate = 0.02\n"
      "[lifecycle]\nforget_rate = 0\nbass_p = 5.0\nbass_q = 0.0\n");
  ASSERT_GT(m.converted_30d.n, 5000);
  const double se = m.converted_30d.Se();
  EXPECT_GE(m.converted_30d.Value(), 1 - std::exp(-29 * h) - 5 * se);
  EXPECT_LE(m.converted_30d.Value(), 1 - std::exp(-31 * h) + 5 * se);
  ASSERT_GT(m.reach_to_purchase_n, 5000);
  const double qs = 1 - std::exp(-s), qh = 1 - std::exp(-h);
  const double mean = 1 / qs + 1 / qh, sd = std::sqrt((1 - qs) / (qs * qs) + (1 - qh) / (qh * qh));
  EXPECT_NEAR(m.MeanDaysToPurchase(), mean, 2 + 5 * sd / std::sqrt(m.reach_to_purchase_n));
}

// BG/NBD: a new customer makes no repeat purchase in t days with probability (alpha / (alpha + t))^r
// (alive until the first repeat); the CDNOW defaults give 46% within a year.
TEST(WorldWatch, RepeatWithinAYearIsTheBgnbdClosedForm) {
  const WorldMeasures m = Watch(
      "initial = { prospect = 0.0, reach = 0.0, acquisition = 1.0, customer = 0.0 }\n"
      "[[population.personas]]\nname = \"x\"\nfirst_purchase_rate = 0.05\n");
  ASSERT_GT(m.repeat_365d.n, 10000);
  const double r = 0.243, alpha = 4.414 * 7;
  const auto repeat = [&](double t) { return 1 - std::pow(alpha / (alpha + t), r); };
  const double se = m.repeat_365d.Se();
  EXPECT_GE(m.repeat_365d.Value(), repeat(364) - 5 * se);
  EXPECT_LE(m.repeat_365d.Value(), repeat(366) + 5 * se);
}

// Nearly homogeneous customers (Gamma shape 400, Beta 500 / 9500) drop out at lambda p a day, so
// the monthly churn is 1 - exp(-30.44 lambda p), a new customer is alive a year on with probability
// exp(-365 lambda p) (one day either way for the day counted first), and an alive customer dies
// within a year with 1 - exp(-365 lambda p) (memoryless). Loyal customers visit 7 v times a week.
TEST(WorldWatch, ChurnSurvivalAttritionAndLoyalVisitsAreTheirRates) {
  const double lambda = 0.05, p = 0.05, v = 0.3, hazard = lambda * p;
  const WorldMeasures m = Watch(
      "initial = { prospect = 0.0, reach = 0.0, acquisition = 0.5, customer = 0.5, tenure_days = 0 }\n"
      "[[population.personas]]\nname = \"x\"\nfirst_purchase_rate = 0.01\n"
      "[purchase]\nr = 400.0\nalpha_weeks = " + std::to_string(400 / lambda / 7) + "\na = 500.0\nb = 9500.0\n"
      "[lifecycle]\nloyal_min_score = 0\n[web]\nvisit = { loyalty = 0.3 }\n");
  ASSERT_GT(m.dropouts, 10000);
  const double expected = 1 - std::exp(-30.44 * hazard);
  EXPECT_NEAR(m.MonthlyChurn(), expected, 5 * m.MonthlyChurnSe() + 0.01 * expected);  // 1%: survivors' lower lambda
  ASSERT_GT(m.survived_365d.n, 2000);
  EXPECT_GE(m.survived_365d.Value(), std::exp(-366 * hazard) - 5 * m.survived_365d.Se());
  EXPECT_LE(m.survived_365d.Value(), std::exp(-364 * hazard) + 5 * m.survived_365d.Se());
  ASSERT_GT(m.attrition.n, 2000);
  EXPECT_NEAR(m.attrition.Value(), 1 - std::exp(-365 * hazard), 5 * m.attrition.Se() + 0.002);
  ASSERT_GT(m.loyal_days, 1e5);
  EXPECT_NEAR(m.LoyalVisitsPerWeek(), 7 * v, 5 * 7 * std::sqrt(v * (1 - v) / m.loyal_days));
}

}  // namespace
}  // namespace lclab::facts
