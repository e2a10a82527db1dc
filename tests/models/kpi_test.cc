// The KPI registry and the per-customer values behind every KPI, on
// customers written by hand: what counts after entry, who is in each KPI's
// population, and the pre-period covariates CUPED uses.
#include "models/kpi.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace lclab::models {
namespace {

TEST(KpiRegistry, NamesAreUniqueAndDescribed) {
  for (const auto* defs : {&CampaignKpiDefinitions(), &ProgrammeKpiDefinitions()}) {
    std::set<std::string> names;
    for (const KpiDef& d : *defs) {
      EXPECT_TRUE(names.insert(d.name).second) << d.name;
      EXPECT_TRUE(std::set<std::string>({"share", "money", "count", "score"}).count(d.unit)) << d.name;
      EXPECT_STRNE(d.numerator, "");
      EXPECT_STRNE(d.population, "");
    }
  }
  EXPECT_EQ(CampaignKpiDefinitions().size(), static_cast<std::size_t>(kNumCampaignKpis));
  EXPECT_EQ(ProgrammeKpiDefinitions().size(), static_cast<std::size_t>(kNumProgrammeKpis));
  EXPECT_EQ(FindKpi(CampaignKpiDefinitions(), "net_revenue_per_customer"), kNetRevenuePerCustomer);
  EXPECT_EQ(FindKpi(ProgrammeKpiDefinitions(), "bounce_rate"), kPgBounceRate);
  EXPECT_EQ(FindKpi(CampaignKpiDefinitions(), "revenue"), -1);
}

// One campaign: a holdout (arm 0) and an email variant with free shipping worth 5 per goal.
struct Fixture {
  ModelParams params;
  Programme programme;
  Population pop;
  Fixture() {
    ArmTreatment holdout, email;
    holdout.holdout = true;
    email.channel = Channel::kEmail;
    email.incentive = Incentive::kFreeShipping;
    email.incentive_value = 5;
    programme.campaigns.resize(1);
    programme.campaigns[0].arms = {holdout, email};
    pop.Resize(3, 3, 1);
  }
};

TEST(CampaignKpis, RevenueAndOrdersCountAfterEntry) {
  Fixture f;
  Population& p = f.pop;
  CampaignColumns& col = p.campaigns[0];
  // Customer 0, in the variant: 3 orders before entry in the window, 5 in all; 2 sends, 1 goal.
  p.stage[0] = static_cast<std::uint8_t>(Stage::kRetention);
  p.orders[0] = 7, p.win_orders[0] = 5, col.orders_at_entry[0] = 3;
  p.win_revenue[0] = 100, col.revenue_at_entry[0] = 40, p.pre_revenue[0] = 25;
  col.arm[0] = 1, col.entered_day[0] = 10, col.sends[0] = 2, col.goals[0] = 1, col.delivered[0] = 2, col.opens[0] = 1;
  const CampaignKpiEvaluator eval(f.params, f.programme, p, 0);
  const KpiValue rev = eval.Value(kRevenuePerCustomer, 0, 50);
  EXPECT_TRUE(rev.in);
  EXPECT_FLOAT_EQ(rev.y, 60);
  EXPECT_FLOAT_EQ(rev.covariate, 25 + 40);  // warm-up plus the window before entry
  const double send = f.params.response.channels[0].cost;
  EXPECT_DOUBLE_EQ(eval.Value(kNetRevenuePerCustomer, 0, 50).y, 60 - send * 2 - 5.0 * 1);
  EXPECT_EQ(eval.Value(kOrdersPerCustomer, 0, 50).y, 2);
  EXPECT_EQ(eval.Value(kOrdersPerCustomer, 0, 50).covariate, 7 - 5 + 3);
  EXPECT_EQ(eval.Value(kRepeatPurchaseRate, 0, 50).y, 1);
  const KpiValue per_order = eval.Value(kRevenuePerOrder, 0, 50);
  EXPECT_FLOAT_EQ(per_order.y, 60);
  EXPECT_EQ(per_order.x, 2);
  const KpiValue open = eval.Value(kOpenRate, 0, 50);
  EXPECT_TRUE(open.in);
  EXPECT_EQ(open.y, 1);
  EXPECT_EQ(open.x, 2);
  EXPECT_EQ(eval.Value(kGoalConversionRate, 0, 50).y, 1);
}

TEST(CampaignKpis, PopulationsOfEachKpi) {
  Fixture f;
  Population& p = f.pop;
  CampaignColumns& col = p.campaigns[0];
  // Customer 1, in the holdout, entered in acquisition and then made a first purchase.
  col.arm[1] = 0, col.entered_day[1] = 5, col.entry_stage[1] = static_cast<std::uint8_t>(Stage::kAcquisition);
  p.stage[1] = static_cast<std::uint8_t>(Stage::kConversion);
  p.first_purchase_day[1] = 9, p.win_orders[1] = 1, p.orders[1] = 1;
  // Customer 2, in the holdout, entered in retention and churned.
  col.arm[2] = 0, col.entered_day[2] = 5, col.entry_stage[2] = static_cast<std::uint8_t>(Stage::kRetention);
  p.stage[2] = static_cast<std::uint8_t>(Stage::kChurned);
  const CampaignKpiEvaluator eval(f.params, f.programme, p, 0);
  EXPECT_TRUE(eval.Value(kFirstPurchaseRate, 1, 50).in);
  EXPECT_EQ(eval.Value(kFirstPurchaseRate, 1, 50).y, 1);
  EXPECT_FALSE(eval.Value(kFirstPurchaseRate, 2, 50).in);   // entered as a customer already
  EXPECT_EQ(eval.Value(kRepeatPurchaseRate, 1, 50).y, 0);   // the first purchase is not a repeat
  EXPECT_FALSE(eval.Value(kOpenRate, 1, 50).in);            // a holdout has no messages
  EXPECT_EQ(eval.Value(kChurnRate, 2, 50).y, 1);
  EXPECT_EQ(eval.Value(kChurnRate, 1, 50).y, 0);
  EXPECT_EQ(eval.Value(kRetentionRate, 2, 50).y, 0);        // converted, churned: not retained
}

// Rewards, adoption and unsubscribes count what happened after entry: a customer who was a member, had
// adopted or had unsubscribed when entering is not counted as the campaign's.
TEST(CampaignKpis, StatesAtEntryAreNotTheCampaigns) {
  Fixture f;
  Population& p = f.pop;
  CampaignColumns& col = p.campaigns[0];
  col.arm[0] = 1, col.entered_day[0] = 5, col.arm[1] = 1, col.entered_day[1] = 5;
  p.flags[0] |= kFlagRewards | kFlagAdopted, p.flags[1] |= kFlagRewards | kFlagAdopted;
  col.state_at_entry[0] = kEntryRewards | kEntryAdopted;  // customer 0 had both before entering
  const CampaignKpiEvaluator eval(f.params, f.programme, p, 0);
  EXPECT_FALSE(eval.Value(kRewardsRate, 0, 50).in);
  EXPECT_FALSE(eval.Value(kAdoptionRate, 0, 50).in);
  EXPECT_EQ(eval.Value(kRewardsRate, 1, 50).y, 1);  // customer 1 joined after entry
  EXPECT_EQ(eval.Value(kAdoptionRate, 1, 50).y, 1);
  // Unsubscribed from the campaign's channel (email, bit 0) before entry: not the campaign's doing.
  p.unsubscribed[0] = 1, p.unsubscribed[1] = 1;
  col.state_at_entry[0] |= 1;
  EXPECT_EQ(eval.Value(kUnsubscribedRate, 0, 50).y, 0);
  EXPECT_EQ(eval.Value(kUnsubscribedRate, 1, 50).y, 1);
}

// Outcome, the daily looks' reading, is Value without the covariate and `movable`: the same `in`, y and x
// for every KPI, on customers whose columns all differ.
TEST(CampaignKpis, OutcomeIsValueWithoutTheCovariates) {
  Fixture f;
  Population& p = f.pop;
  CampaignColumns& col = p.campaigns[0];
  for (std::size_t i = 0; i < 3; ++i) {
    const int k = static_cast<int>(i) + 1;
    p.stage[i] = static_cast<std::uint8_t>(i == 0 ? Stage::kRetention : i == 1 ? Stage::kLoyalty : Stage::kChurned);
    p.orders[i] = 9 + k, p.win_orders[i] = 4 + k, col.orders_at_entry[i] = k, p.first_purchase_day[i] = 3 * k;
    p.win_revenue[i] = 100.0f * k, col.revenue_at_entry[i] = 10.0f * k, p.pre_revenue[i] = 7.0f * k;
    p.win_visits[i] = 20 + k, col.visits_at_entry[i] = k, p.pre_visits[i] = 2 * k, p.win_referrals[i] = 2 + k;
    p.signup_day[i] = 6 + k, p.last_purchase_day[i] = 10 * k, p.satisfaction[i] = 0.3f * k;
    col.arm[i] = i == 2 ? 0 : 1, col.entered_day[i] = 5, col.sends[i] = 3, col.goals[i] = static_cast<std::uint8_t>(i);
    col.delivered[i] = 3, col.opens[i] = 2, col.clicks[i] = 1;
    col.entry_stage[i] = static_cast<std::uint8_t>(i == 0 ? Stage::kAcquisition : Stage::kReach);
  }
  const CampaignKpiEvaluator eval(f.params, f.programme, p, 0);
  int covariates = 0;
  for (std::size_t i = 0; i < 3; ++i)
    for (int k = 0; k < kNumCampaignKpis; ++k) {
      const KpiValue full = eval.Value(k, i, 50), outcome = eval.Outcome(k, i, 50);
      EXPECT_EQ(outcome.in, full.in) << CampaignKpiDefinitions()[k].name << " customer " << i;
      EXPECT_EQ(outcome.y, full.y) << CampaignKpiDefinitions()[k].name << " customer " << i;
      EXPECT_EQ(outcome.x, full.x) << CampaignKpiDefinitions()[k].name << " customer " << i;
      covariates += full.covariate != 0;
    }
  EXPECT_GT(covariates, 10);  // the customers exercise the covariates Outcome leaves out
}

TEST(ProgrammeKpis, WindowTotalsAndNewCustomers) {
  Fixture f;
  Population& p = f.pop;
  const sim::DayClock clock{30, 100};
  // Customer 0: bought before the window (day 10) and twice in it; 4 visits, 1 bounce; 2 emails sent.
  p.first_purchase_day[0] = 10, p.win_orders[0] = 2, p.orders[0] = 3, p.win_revenue[0] = 50, p.pre_revenue[0] = 20;
  p.win_visits[0] = 4, p.win_bounces[0] = 1, p.stage[0] = static_cast<std::uint8_t>(Stage::kRetention);
  p.campaigns[0].arm[0] = 1, p.campaigns[0].entered_day[0] = 40, p.campaigns[0].sends[0] = 2;
  // Customer 1: first purchase in the window.
  p.first_purchase_day[1] = 45, p.win_orders[1] = 1, p.orders[1] = 1, p.stage[1] = static_cast<std::uint8_t>(Stage::kConversion);
  const ProgrammeKpiEvaluator eval(f.params, f.programme, clock, p);
  KpiValue v0[kNumProgrammeKpis], v1[kNumProgrammeKpis], v2[kNumProgrammeKpis];
  eval.Values(0, v0), eval.Values(1, v1), eval.Values(2, v2);
  EXPECT_DOUBLE_EQ(v0[kPgNetRevenuePerCustomer].y, 50 - 2 * f.params.response.channels[0].cost);
  EXPECT_EQ(v0[kPgBounceRate].y, 1);
  EXPECT_EQ(v0[kPgBounceRate].x, 4);
  EXPECT_EQ(v0[kPgMessagesPerCustomer].y, 2);
  EXPECT_FALSE(v0[kPgFirstPurchaseRate].in);  // an existing customer
  EXPECT_EQ(v0[kPgRepeatPurchaseRate].y, 1);
  EXPECT_EQ(v1[kPgFirstPurchaseRate].y, 1);
  EXPECT_FALSE(v1[kPgRepeatPurchaseRate].in);
  EXPECT_EQ(v2[kPgFirstPurchaseRate].y, 0);   // never bought: in the population, not converted
  EXPECT_FALSE(v2[kPgNps].in);                 // NPS is over converted customers
}

}  // namespace
}  // namespace lclab::models
