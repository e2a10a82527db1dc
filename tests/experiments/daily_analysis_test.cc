// The daily analysis on a small run: one always-valid series per primary KPI
// and variant, one look per window day, a running-minimum p-value that only
// falls, a decision on the first day it reaches alpha; the allocation record
// of a fixed split is its weights every day.
#include "experiments/daily_analysis.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "experiment_test_util.h"
#include "experiments/runner.h"
#include "test_util.h"

namespace lclab::experiments {
namespace {

TEST(DailyAnalysis, SeriesLooksAndDecisions) {
  // The bold variant's effect made large, so that the always-valid test decides within the window.
  const RunResult r = lclab::testing::RunText(
      testing::kSmallWorld, {"population.size=40000", "campaigns[0].factors[0].levels[1].goal=3.0",
                             "campaigns[0].factors[0].levels[1].open=2.0"});
  const CampaignResult& c = r.campaigns[0];
  ASSERT_EQ(c.sequential.size(), 4u);  // 2 primary KPIs x 2 variants
  const double alpha = 0.05;
  for (const SequentialSeries& s : c.sequential) {
    ASSERT_EQ(s.cs.size(), 30u);
    ASSERT_EQ(s.p_value.size(), 30u);
    int first = -1;
    ASSERT_EQ(s.p_holm.size(), 30u);
    for (std::size_t d = 0; d < s.p_value.size(); ++d) {
      if (d > 0 && std::isfinite(s.p_value[d - 1])) {
        EXPECT_LE(s.p_value[d], s.p_value[d - 1]);
      }
      // A decision needs the p-value adjusted over the campaign's series (Holm) to reach alpha.
      if (std::isfinite(s.p_value[d])) {
        EXPECT_GE(s.p_holm[d], s.p_value[d]);
      }
      if (first < 0 && s.p_holm[d] <= alpha) first = static_cast<int>(d);
      if (std::isfinite(s.cs[d].low)) {
        EXPECT_LE(s.cs[d].low, s.cs[d].estimate);
        EXPECT_GE(s.cs[d].high, s.cs[d].estimate);
      }
    }
    EXPECT_EQ(s.decision_day, first);
    EXPECT_EQ(s.decision != 0, first >= 0);
  }
  // The bold variant's planted lift on goals is detected on repeat purchases, and for the better.
  const SequentialSeries& bold = c.sequential[1];
  EXPECT_EQ(bold.kpi, models::kRepeatPurchaseRate);
  EXPECT_EQ(bold.arm, 2);
  EXPECT_EQ(bold.decision, 1);
  // A fixed split records its normalised weights each window day.
  ASSERT_EQ(c.allocation.weights.size(), 30u * 3);
  for (double w : c.allocation.weights) EXPECT_DOUBLE_EQ(w, 1.0 / 3);
  EXPECT_FALSE(c.allocation.adaptive);
}

TEST(DailyAnalysis, NoSeriesWhenSequentialIsOff) {
  const RunResult r = lclab::testing::RunText(testing::kSmallWorld, {"programme.sequential=false"});
  EXPECT_TRUE(r.campaigns[0].sequential.empty());
  EXPECT_EQ(r.campaigns[0].allocation.weights.size(), 30u * 3);
}

// A look at stepped shares updates yesterday's sums from the customers stepped today: every series,
// day by day, is the same bits as summing over every entered customer, under either stepping.
TEST(DailyAnalysis, IncrementalLooksEqualFullSums) {
  for (const char* stepping : {"event", "daily"}) {
    SCOPED_TRACE(stepping);
    const ExperimentConfig cfg = LoadConfigText(
        testing::kSmallWorld, "test.toml",
        {std::string("simulation.stepping=") + stepping,
         "campaigns[0].primary_metrics=[\"repeat_purchase_rate\", \"churn_rate\", \"unsubscribed_rate\"]",
         "campaigns[0].factors[0].levels[1].goal=2.0"});
    models::Simulator sim(cfg.model, cfg.programme, cfg.seed, cfg.clock);
    models::Population pop;
    RunOptions ro;
    ro.threads = 2;
    PreparePopulation(cfg, sim, pop, ro);
    DailyAnalysis incremental(cfg, 0, pop), full(cfg, 0, pop, false);
    ASSERT_TRUE(incremental.incremental());
    ASSERT_FALSE(full.incremental());
    for (int day = 0; day < cfg.clock.total_days(); ++day) {
      sim.StepDay(pop, day, 2);
      if (!cfg.clock.InWindow(day)) continue;
      incremental.Update(pop, day, 2, sim);
      full.Update(pop, day, 2, sim);
    }
    const std::vector<SequentialSeries> a = incremental.TakeSeries(), b = full.TakeSeries();
    ASSERT_EQ(a.size(), 6u);  // 3 KPIs x 2 variants
    ASSERT_EQ(a.size(), b.size());
    int looked = 0;
    for (std::size_t j = 0; j < a.size(); ++j) {
      ASSERT_EQ(a[j].cs.size(), b[j].cs.size());
      for (std::size_t d = 0; d < a[j].cs.size(); ++d) {
        EXPECT_TRUE(lclab::testing::SameBits(a[j].cs[d].estimate, b[j].cs[d].estimate)) << "series " << j << " day " << d;
        EXPECT_TRUE(lclab::testing::SameBits(a[j].cs[d].low, b[j].cs[d].low)) << "series " << j << " day " << d;
        looked += std::isfinite(a[j].cs[d].low);
      }
      EXPECT_TRUE(lclab::testing::SameBits(a[j].p_value, b[j].p_value)) << "series " << j;
      EXPECT_TRUE(lclab::testing::SameBits(a[j].naive_p, b[j].naive_p)) << "series " << j;
      EXPECT_EQ(a[j].decision_day, b[j].decision_day);
    }
    EXPECT_GT(looked, 30);  // the looks had data
  }
}

// A KPI that is not a stepped share (revenue) or a Thompson allocation keeps the full sums.
TEST(DailyAnalysis, RevenueKeepsTheFullSums) {
  const ExperimentConfig cfg = LoadConfigText(testing::kSmallWorld, "test.toml", {});
  models::Population pop;
  models::Simulator sim(cfg.model, cfg.programme, cfg.seed, cfg.clock);
  sim.Allocate(pop, 100);
  EXPECT_FALSE(DailyAnalysis(cfg, 0, pop).incremental());
}

}  // namespace
}  // namespace lclab::experiments
