// The runner's orchestration: the set-up every run and replay share, a day's
// tally per simulated day, and results that do not depend on the thread count.
#include "experiments/runner.h"

#include <gtest/gtest.h>

#include "experiment_test_util.h"
#include "test_util.h"

namespace lclab::experiments {
namespace {

TEST(Runner, PreparePopulationAssignsBeforeDrawing) {
  const ExperimentConfig cfg = LoadConfigText(testing::kSmallWorld, "test.toml", {});
  models::Simulator sim(cfg.model, cfg.programme, cfg.seed, cfg.clock);
  models::Population pop;
  RunOptions ro;
  bool drawn_after_hook = true;
  ro.after_assignment = [&](models::Population& p) {
    drawn_after_hook = std::all_of(p.lambda.begin(), p.lambda.end(), [](float l) { return l == 0; });
    p.campaigns[0].arm[0] = 2;
  };
  PreparePopulation(cfg, sim, pop, ro);
  EXPECT_TRUE(drawn_after_hook);  // the hook saw the assignment before the customers were drawn
  EXPECT_EQ(pop.size(), cfg.population_size);
  EXPECT_EQ(pop.campaigns[0].arm[0], 2);  // Generate keeps the arms
  EXPECT_GT(pop.lambda[0], 0);
}

TEST(Runner, OneTallyPerDayAndThreadInvariance) {
  const RunResult one = lclab::testing::RunText(testing::kSmallWorld, {}, 1);
  const RunResult three = lclab::testing::RunText(testing::kSmallWorld, {}, 3);
  EXPECT_EQ(one.daily.size(), 50u);
  EXPECT_EQ(one.days, 50);
  EXPECT_GT(one.bytes_per_customer, 100u);
  ASSERT_EQ(one.campaigns[0].kpis.size(), three.campaigns[0].kpis.size());
  for (std::size_t j = 0; j < one.campaigns[0].kpis.size(); ++j) {
    EXPECT_EQ(one.campaigns[0].kpis[j].moments.sy, three.campaigns[0].kpis[j].moments.sy) << j;
    EXPECT_TRUE(lclab::testing::SameBits(one.campaigns[0].kpis[j].vs_control.p_value,
                                         three.campaigns[0].kpis[j].vs_control.p_value))
        << j;
  }
  for (std::size_t d = 0; d < one.daily.size(); ++d) EXPECT_EQ(one.daily[d].groups[0].revenue, three.daily[d].groups[0].revenue);
}

}  // namespace
}  // namespace lclab::experiments
