// Measurement end to end on one seed each: CUPED narrows the interval, a
// broken assignment raises the sample-ratio alarm, a harmful arm breaches its
// guardrail, Thompson sampling moves traffic to the best arm, and none of it
// depends on the thread count.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <sstream>
#include <string>

#include "experiments/report/text_summary.h"
#include "measurement_util.h"
#include "test_util.h"

namespace lclab::experiments {
namespace {

using namespace testing;

// CUPED: warm-up revenue predicts window revenue, so the adjusted interval is narrower, by about
// 1 - rho^2 in variance, and the run reports the cut.
TEST(Measurement, CupedNarrowsTheInterval) {
  const RunResult r = RunSeed(Config("{ name = \"b\", goal = 1.0 }", 60000), 11);
  const KpiRow& rev = Row(r.campaigns[0], "revenue_per_customer", 1);
  ASSERT_TRUE(rev.has_cuped);
  const double plain = rev.vs_control.abs.high - rev.vs_control.abs.low;
  const double adjusted = rev.cuped.abs.high - rev.cuped.abs.low;
  EXPECT_LT(adjusted, 0.95 * plain);
  EXPECT_GT(rev.variance_reduction, 0.1);
  EXPECT_NEAR(adjusted / plain, std::sqrt(1 - rev.variance_reduction), 1e-3);
  std::cout << "CUPED variance cut " << rev.variance_reduction << ", CI width " << adjusted << " against " << plain
            << "\n";
}

// A deliberately broken assignment (a bug moving 10% of arm b's customers to arm a) raises the
// sample-ratio alarm in the results and in the summary; the intact run does not.
TEST(Measurement, BrokenAssignmentRaisesTheSrmAlarm) {
  const std::string text = Config("\"b\"", 40000);
  const ExperimentConfig cfg = LoadConfigText(text, "test.toml", {});
  auto broken = [](models::Population& p) {
    auto& arm = p.campaigns[0].arm;
    for (std::size_t i = 0; i < arm.size(); ++i)
      if (arm[i] == 1 && i % 10 == 0) arm[i] = 0;
  };
  for (bool bug : {false, true}) {
    const RunResult r = RunSeed(text, 1, false, 2, bug ? std::function<void(models::Population&)>(broken) : nullptr);
    const CampaignResult& c = r.campaigns[0];
    EXPECT_EQ(c.srm_assigned.test.alarm, bug) << "p = " << c.srm_assigned.test.p_value;
    EXPECT_EQ(c.srm_entered.test.alarm, bug) << "p = " << c.srm_entered.test.p_value;
    std::ostringstream os;
    PrintSummary(os, cfg, r, RunInfo{"test", 2, false});
    EXPECT_EQ(os.str().find("SRM ALARM") != std::string::npos, bug) << os.str();
  }
}

// Guardrails: an arm that doubles the unsubscribe logit is flagged; the A/A arm is not.
TEST(Measurement, GuardrailBreachIsFlagged) {
  const RunResult r = RunSeed(Config("{ name = \"b\", unsubscribe = 2.0 }", 40000), 3);
  const KpiRow& row = Row(r.campaigns[0], "unsubscribe_rate", 1);
  EXPECT_EQ(row.role, KpiRole::kGuardrail);
  EXPECT_TRUE(row.guardrail_breach) << row.vs_control.abs.low;
  const RunResult aa = RunSeed(Config("\"b\"", 40000), 3);
  EXPECT_FALSE(Row(aa.campaigns[0], "unsubscribe_rate", 1).guardrail_breach);
}

// Thompson sampling moves traffic to the best of three arms, keeps every arm at its floor, loses less
// than the fixed split would have, and its sample-ratio check (against each day's weights) passes.
TEST(Measurement, ThompsonAllocationFavoursTheBestArm) {
  const std::string text = Config("\"b\", { name = \"c\", open = 1.0, goal = 1.5 }", 30000,
                                  "allocation = \"thompson\"\nmin_share = 0.1\nallocation_metric = \"open_rate\"\n");
  const RunResult r = RunSeed(text, 21, /*oracle=*/true);
  const CampaignResult& c = r.campaigns[0];
  const AllocationResult& al = c.allocation;
  ASSERT_TRUE(al.adaptive);
  const std::size_t arms = 3, days = al.weights.size() / arms;
  for (double w : al.weights) EXPECT_GE(w, 0.1 - 1e-12);
  EXPECT_GT(al.weights[(days - 1) * arms + 2], 0.6);
  EXPECT_EQ(al.best_arm, 2);
  EXPECT_TRUE(al.from_oracle);
  EXPECT_GT(c.arms[2].entered, c.arms[0].entered + c.arms[1].entered);
  EXPECT_LT(al.regret, 0.5 * al.fixed_regret);
  EXPECT_FALSE(c.srm_entered.test.alarm) << c.srm_entered.test.p_value;
}

// Adaptive allocation, sequential series and oracle truths do not depend on the thread count.
TEST(Measurement, ResultsDoNotDependOnThreads) {
  const std::string text = Config("\"b\", { name = \"c\", open = 0.5 }", 20000,
                                  "allocation = \"thompson\"\nallocation_metric = \"open_rate\"\n");
  const RunResult a = RunSeed(text, 5, true, 1), b = RunSeed(text, 5, true, 3);
  const CampaignResult &x = a.campaigns[0], &y = b.campaigns[0];
  EXPECT_EQ(x.allocation.weights, y.allocation.weights);
  ASSERT_EQ(x.sequential.size(), y.sequential.size());
  for (std::size_t j = 0; j < x.sequential.size(); ++j) {
    EXPECT_TRUE(lclab::testing::SameBits(x.sequential[j].p_value, y.sequential[j].p_value));
    EXPECT_EQ(x.sequential[j].decision_day, y.sequential[j].decision_day);
  }
  for (std::size_t j = 0; j < x.kpis.size(); ++j) {
    const bool tv = std::isfinite(x.kpis[j].true_value);
    EXPECT_EQ(tv, std::isfinite(y.kpis[j].true_value));
    if (tv) {
      EXPECT_EQ(x.kpis[j].true_value, y.kpis[j].true_value);
    }
    EXPECT_EQ(x.kpis[j].moments.sy, y.kpis[j].moments.sy);
  }
}

}  // namespace
}  // namespace lclab::experiments
