// The pilot behind `lclab power CONFIG` and the plans made from it.
#include "experiments/pilot.h"

#include <gtest/gtest.h>

#include <cmath>

#include "experiment_test_util.h"
#include "test_util.h"

namespace lclab::experiments {
namespace {

using testing::kSmallWorld;

RunOptions Quiet() {
  RunOptions ro;
  ro.threads = 2;
  ro.progress = sim::Progress::Mode::kNever;
  return ro;
}

// The pilot's entry share and baseline are the real run's holdout's: both see the world without the
// campaign, so they differ by sampling error only (4 standard errors of a difference of proportions).
TEST(Pilot, MeasuresTheWorldTheHoldoutSees) {
  const ExperimentConfig cfg = LoadConfigText(kSmallWorld, "small.toml", {});
  const PilotResult pilot = RunPilot(cfg, 20000, Quiet());
  ASSERT_EQ(pilot.campaigns.size(), 1u);
  const PilotCampaign& pc = pilot.campaigns[0];
  ASSERT_EQ(pc.entered_by_day.size(), 30u);
  for (std::size_t d = 1; d < pc.entered_by_day.size(); ++d) EXPECT_GE(pc.entered_by_day[d], pc.entered_by_day[d - 1]);
  EXPECT_EQ(pc.entered_by_day.back(), pc.entered);
  ASSERT_EQ(pc.primary.size(), 2u);  // repeat_purchase_rate, revenue_per_customer
  EXPECT_EQ(pc.primary[0].n, static_cast<double>(pc.entered));

  const RunResult run = lclab::testing::RunText(kSmallWorld);
  const ArmResult& holdout = run.campaigns[0].arms[0];
  double n1 = 0;  // the customers outside the global control (the same hash in the pilot)
  for (const ArmResult& a : run.campaigns[0].arms) n1 += static_cast<double>(a.assigned);
  const double p1 = static_cast<double>(pc.entered) / n1;
  const double n2 = static_cast<double>(holdout.assigned), p2 = static_cast<double>(holdout.entered) / n2;
  const double p = (p1 * n1 + p2 * n2) / (n1 + n2);
  EXPECT_NEAR(p1, p2, 4 * std::sqrt(p * (1 - p) * (1 / n1 + 1 / n2)));
  const Moments& real = lclab::testing::KpiRowOf(run.campaigns[0], "repeat_purchase_rate", 0).moments;
  const double b1 = pc.primary[0].Mean(), b2 = real.Mean(), b = (b1 * pc.primary[0].n + b2 * real.n) /
                                                                 (pc.primary[0].n + real.n);
  EXPECT_NEAR(b1, b2, 4 * std::sqrt(b * (1 - b) * (1 / pc.primary[0].n + 1 / real.n)));
}

// A pilot of 10,000 customers, 3,000 of whom entered, 100 a day over the 30-day window.
PilotResult SyntheticPilot() {
  PilotResult p;
  p.customers = 10000;
  PilotCampaign c;
  c.entered = 3000;
  for (int d = 0; d < 30; ++d) c.entered_by_day.push_back(100 * (d + 1));
  Moments purchase, revenue;
  for (int i = 0; i < 3000; ++i) purchase.Add(i < 600 ? 1 : 0), revenue.Add(i % 4 == 0 ? 20.0 : 0.0);
  c.primary = {purchase, revenue};
  p.campaigns = {c};
  return p;
}

TEST(Pilot, PlansInPopulationAndDays) {
  const ExperimentConfig cfg = LoadConfigText(kSmallWorld, "small.toml", {});  // 20,000 customers
  PowerAsk ask;
  ask.lift = 0.25;
  const std::vector<KpiPowerPlan> plans = PlanCampaignPower(cfg, 0, SyntheticPilot(), ask);
  ASSERT_EQ(plans.size(), 2u);
  const KpiPowerPlan& prop = plans[0];
  ASSERT_EQ(prop.skipped, "");
  EXPECT_DOUBLE_EQ(prop.spec.baseline, 0.2);
  EXPECT_EQ(prop.spec.metric, PowerMetric::kProportion);
  // alpha 0.05 over 2 primary KPIs here, over 2 treatment arms in ComparisonAlpha: 0.0125 each.
  EXPECT_DOUBLE_EQ(ComparisonAlpha(prop.spec), 0.0125);
  EXPECT_DOUBLE_EQ(prop.delta, 0.05);
  const PowerPlan expected = SampleSize(prop.spec, 0.05);
  EXPECT_EQ(prop.plan.n, expected.n);
  // 30% of customers enter: the population is the entrants / 0.3; the config's 20,000 customers bring
  // 200 entrants a day.
  const double total = static_cast<double>(expected.Total());
  EXPECT_DOUBLE_EQ(prop.population_size, std::ceil(total / 0.3));
  if (total <= 6000) {
    EXPECT_EQ(prop.window_days, static_cast<int>(std::ceil(total / 200)));
  } else {
    EXPECT_EQ(prop.window_days, -1);
    EXPECT_NEAR(prop.days_beyond, 30 + (total - 6000) / 200, 1e-9);
  }
  const KpiPowerPlan& mean = plans[1];
  ASSERT_EQ(mean.skipped, "");
  EXPECT_EQ(mean.spec.metric, PowerMetric::kMean);
  EXPECT_DOUBLE_EQ(mean.spec.baseline, 5.0);
  EXPECT_NEAR(mean.spec.sd, std::sqrt(SyntheticPilot().campaigns[0].primary[1].Variance()), 1e-12);
}

TEST(Pilot, MdeAndWhatCannotBePlanned) {
  const ExperimentConfig cfg = LoadConfigText(kSmallWorld, "small.toml", {});
  PowerAsk ask;
  ask.mde = true;
  std::vector<KpiPowerPlan> plans = PlanCampaignPower(cfg, 0, SyntheticPilot(), ask);
  // 20,000 customers x 30% enter, a third of them in the control.
  EXPECT_EQ(plans[0].plan.n[0], 2000);
  EXPECT_EQ(plans[0].plan.mde.size(), 2u);
  EXPECT_EQ(plans[0].plan.mde, MinimumDetectableEffect(plans[0].spec, 2000).mde);
  // A control that never moves: no plan, and the reason.
  PilotResult none = SyntheticPilot();
  none.campaigns[0].primary[0] = Moments{};
  for (int i = 0; i < 3000; ++i) none.campaigns[0].primary[0].Add(0);
  plans = PlanCampaignPower(cfg, 0, none, PowerAsk{false, 0.1});
  EXPECT_NE(plans[0].skipped.find("the control never moves it"), std::string::npos) << plans[0].skipped;
}

}  // namespace
}  // namespace lclab::experiments
