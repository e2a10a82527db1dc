// The sums the analysis starts from: every non-control customer counted once
// per arm, entered customers matching the day-by-day entries, a subset of
// KPIs summing only those, and the same bytes for any thread count.
#include "experiments/tally.h"

#include <gtest/gtest.h>

#include "experiment_test_util.h"
#include "experiments/runner.h"
#include "models/simulator.h"

namespace lclab::experiments {
namespace {

struct Simulated {
  ExperimentConfig cfg = LoadConfigText(testing::kSmallWorld, "test.toml", {});
  models::Simulator sim{cfg.model, cfg.programme, cfg.seed, cfg.clock};
  models::Population pop;
  std::vector<models::DayTally> days;
  Simulated() {
    RunOptions ro;
    ro.threads = 2;
    PreparePopulation(cfg, sim, pop, ro);
    for (int d = 0; d < cfg.clock.total_days(); ++d) days.push_back(sim.StepDay(pop, d, 2));
  }
};

TEST(Tally, CountsEveryCustomerOnceAndMatchesTheDays) {
  const Simulated s;
  const int last = s.cfg.clock.window_end() - 1;
  const CampaignTally t = TallyCampaign(s.cfg, s.pop, 0, last, 2, {});
  std::int64_t assigned = 0, controls = 0;
  for (std::size_t i = 0; i < s.pop.size(); ++i) controls += (s.pop.flags[i] & models::kFlagGlobalControl) != 0;
  for (int a = 0; a < t.arms; ++a) {
    assigned += t.assigned[a];
    std::int64_t entered = 0;
    for (const auto& d : s.days) entered += d.cells[s.sim.cell_offset(0) + a].entered;
    EXPECT_EQ(t.entered[a], entered) << a;
    // Every entered customer is in the revenue KPI's population.
    EXPECT_EQ(t.Kpi(models::kRevenuePerCustomer, a).n, static_cast<double>(entered));
  }
  EXPECT_EQ(assigned + controls, static_cast<std::int64_t>(s.pop.size()));
  EXPECT_GT(t.entered[1], 100);
  EXPECT_EQ(t.segment.size(), 3u);  // one persona x three arms
}

TEST(Tally, SubsetAndThreads) {
  const Simulated s;
  const int last = s.cfg.clock.window_end() - 1;
  const CampaignTally all = TallyCampaign(s.cfg, s.pop, 0, last, 1, {});
  const CampaignTally some = TallyCampaign(s.cfg, s.pop, 0, last, 3, {models::kOpenRate});
  for (int a = 0; a < all.arms; ++a) {
    EXPECT_EQ(some.Kpi(models::kOpenRate, a).sy, all.Kpi(models::kOpenRate, a).sy);
    EXPECT_EQ(some.Kpi(models::kOpenRate, a).sxx, all.Kpi(models::kOpenRate, a).sxx);
    EXPECT_EQ(some.Kpi(models::kRevenuePerCustomer, a).n, 0);  // not asked for
  }
  EXPECT_TRUE(some.segment.empty());
  const CampaignTally three = TallyCampaign(s.cfg, s.pop, 0, last, 3, {});
  for (std::size_t k = 0; k < all.kpi.size(); ++k) {
    EXPECT_EQ(three.kpi[k].sy, all.kpi[k].sy) << k;
    EXPECT_EQ(three.cov[k].sxy, all.cov[k].sxy) << k;
  }
}

TEST(Tally, ProgrammeGroupsCoverThePopulation) {
  const Simulated s;
  const ProgrammeTally one = TallyProgramme(s.cfg, s.pop, 1), two = TallyProgramme(s.cfg, s.pop, 2);
  EXPECT_EQ(one.customers[0] + one.customers[1], static_cast<std::int64_t>(s.pop.size()));
  EXPECT_GT(one.customers[1], 0);
  EXPECT_EQ(one.messages[1], 0);  // the global control gets no message
  EXPECT_GT(one.messages[0], 0);
  EXPECT_EQ(one.revenue, two.revenue);
  EXPECT_EQ(one.kpi[models::kPgRevenuePerCustomer * 2].sy, two.kpi[models::kPgRevenuePerCustomer * 2].sy);
}

}  // namespace
}  // namespace lclab::experiments
