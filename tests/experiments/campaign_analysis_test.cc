// The campaign analysis's steps on a small run: arm totals agree with the
// day-by-day counts, incremental revenue is the lift times the arm's
// customers, the sample-ratio checks compare with the weights; the regret of
// an allocation on a hand-made result; the programme's groups cover everyone.
#include "experiments/campaign_analysis.h"

#include <gtest/gtest.h>

#include <cmath>

#include "experiment_test_util.h"
#include "test_util.h"

namespace lclab::experiments {
namespace {

using lclab::testing::KpiRowOf;
using lclab::testing::RunText;

TEST(CampaignAnalysis, ArmTotalsIncrementalRevenueAndSampleRatios) {
  const RunResult r = RunText(testing::kSmallWorld);
  const CampaignResult& c = r.campaigns[0];
  ASSERT_EQ(c.arms.size(), 3u);
  EXPECT_TRUE(c.arms[0].holdout && c.arms[0].control);
  EXPECT_EQ(c.arms[2].levels, std::vector<std::string>{"bold"});
  double assigned = 0;
  for (std::size_t a = 0; a < c.arms.size(); ++a) {
    const ArmResult& arm = c.arms[a];
    EXPECT_EQ(static_cast<double>(arm.entered), c.srm_entered.observed[a]);
    EXPECT_LE(arm.sends, arm.triggers);
    EXPECT_DOUBLE_EQ(arm.net_revenue, arm.revenue - arm.message_cost - arm.incentive_cost);
    assigned += static_cast<double>(arm.assigned);
    if (arm.control) {
      EXPECT_TRUE(std::isnan(arm.incremental_revenue.estimate));
      continue;
    }
    const KpiRow& rev = KpiRowOf(c, "revenue_per_customer", static_cast<int>(a));
    EXPECT_DOUBLE_EQ(arm.incremental_revenue.estimate, rev.vs_control.abs.estimate * rev.moments.n);
    EXPECT_DOUBLE_EQ(arm.incremental_revenue.low, rev.vs_control.abs.low * rev.moments.n);
    const KpiRow& net = KpiRowOf(c, "net_revenue_per_customer", static_cast<int>(a));
    EXPECT_DOUBLE_EQ(arm.incremental_net_revenue.high, net.vs_control.abs.high * net.moments.n);
  }
  // Equal weights: each arm expects a third of the customers assigned.
  for (double e : c.srm_assigned.expected) EXPECT_DOUBLE_EQ(e, assigned / 3);
  double entered = 0, expected = 0;
  for (std::size_t a = 0; a < 3; ++a) entered += c.srm_entered.observed[a], expected += c.srm_entered.expected[a];
  EXPECT_NEAR(expected, entered, 1e-6);
  EXPECT_FALSE(c.srm_assigned.test.alarm);
  // A factorial fit over the two variants, and the best variant overall.
  ASSERT_FALSE(c.factorial.empty());
  EXPECT_EQ(c.variant_arms, (std::vector<int>{1, 2}));
  EXPECT_EQ(c.best[0].segment, "all");
}

TEST(CampaignAnalysis, ProgrammeGroupsCoverEveryone) {
  const RunResult r = RunText(testing::kSmallWorld);
  ASSERT_EQ(r.groups.size(), 2u);
  EXPECT_EQ(r.groups[0].customers + r.groups[1].customers, 20000);
  EXPECT_EQ(r.groups[1].messages, 0);
  EXPECT_FALSE(r.programme_srm.observed.empty());
  EXPECT_FALSE(r.programme_srm.test.alarm);
  const KpiRow& row = r.programme_kpis[models::kPgMessagesPerCustomer * 2 + models::kGroupProgramme];
  EXPECT_GT(row.estimate.estimate, 0);
}

// Regret on hand values: arm 1 is best at 0.3; arm 0 (0.1) lost 0.2 per customer and arm 2 (0.25) 0.05.
TEST(CampaignAnalysis, RegretAgainstTheBestArm) {
  CampaignResult cr;
  cr.arms.resize(3);
  cr.arms[0].weight = 1, cr.arms[1].weight = 1, cr.arms[2].weight = 1;
  cr.allocation.kpi = models::kGoalConversionRate;  // a proportion: units are customers
  const double value[3] = {0.1, 0.3, 0.25}, n[3] = {100, 50, 50};
  for (int a = 0; a < 3; ++a) {
    KpiRow row;
    row.kpi = models::kGoalConversionRate, row.arm = a;
    row.estimate.estimate = value[a], row.moments.n = n[a];
    cr.kpis.push_back(row);
  }
  ComputeRegret(cr);
  EXPECT_EQ(cr.allocation.best_arm, 1);
  EXPECT_NEAR(cr.allocation.regret, 100 * 0.2 + 50 * 0.05, 1e-12);
  // Equal weights over the same 200 customers: a third in each arm.
  EXPECT_NEAR(cr.allocation.fixed_regret, 200.0 / 3 * (0.2 + 0.05), 1e-12);
}

}  // namespace
}  // namespace lclab::experiments
