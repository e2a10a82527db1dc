// Event stepping against the daily stepping it replaces (docs/model.md "Event stepping"): the two draw
// differently, so a run differs, but over many seeds the main KPIs must have the same distribution.
// For each KPI the runs' totals under each stepping give a two-sample Welch z for the means, which must
// stay within 4 (about 6e-5 two-sided per KPI for a normal, so under 1e-3 over the KPIs), and a ratio of
// variances inside the F(S-1, S-1) distribution's 0.05% and 99.95% points. A 10% change in one daily rate
// must fail the same comparison (the test can fail).
#include <gtest/gtest.h>

#include <boost/math/distributions/fisher_f.hpp>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "models/simulator.h"
#include "test_util.h"

namespace lclab::models {
namespace {
using namespace testing;

constexpr int kSeeds = 40, kDays = 90;
constexpr std::size_t kCustomers = 50000;

// A welcome email on sign-up (a trigger some days after an event), a scheduled win-back with an offer
// (a day on which every customer is looked at) and a pop-up on visits, under a programme cap.
Programme Campaigns() {
  ArmTreatment holdout, treated;
  holdout.holdout = true;
  treated.effects.open = 0.5f;
  CampaignPlan welcome;
  welcome.trigger = Trigger::kSignup;
  welcome.delay_days = 1;
  welcome.goal = Goal::kFirstPurchase;
  welcome.goal_rate = 0.4;
  welcome.end_day = kDays;
  welcome.arms = {holdout, treated};
  CampaignPlan winback = welcome;
  winback.trigger = Trigger::kSchedule;
  winback.goal = Goal::kRepeatPurchase;
  winback.audience_stages = 0x78;
  winback.start_day = 10;
  winback.arms[1].every_days = 7;
  winback.arms[1].max_sends = 10;
  winback.arms[1].incentive = Incentive::kPercentDiscount;
  winback.arms[1].incentive_value = 0.2f;
  CampaignPlan popup = winback;
  popup.trigger = Trigger::kVisit;
  popup.goal = Goal::kFeatureAdoption;
  popup.arms[1].channel = Channel::kWebPopup;
  popup.arms[1].max_sends = 5;
  return Programme{.campaigns = {welcome, winback, popup}, .cap_messages = 2, .cap_days = 7};
}

const std::vector<std::string> kKpis = {"prospect", "reach", "acquisition", "conversion", "retention", "loyalty",
                                        "churned", "alive", "orders", "revenue", "visits", "referrals",
                                        "messages", "opens", "goals"};

// One run's KPIs: the stage counts and alive customers at the end, and the events over the run.
std::vector<double> Run(ModelParams p, Stepping stepping, std::uint64_t seed) {
  p.stepping = stepping;
  p.lifecycle.referral_rate = 0.03;
  p.lifecycle.bass_p = 0.5;
  World w(p, kCustomers, kDays, seed, Campaigns(), 2);
  for (std::size_t i = 0; i < w.pop.size(); ++i)
    for (auto& c : w.pop.campaigns) c.arm[i] = static_cast<std::uint8_t>(i % 2);
  std::vector<double> kpi(kKpis.size(), 0.0);
  for (int day = 0; day < kDays; ++day) {
    const DayTally t = w.sim.StepDay(w.pop, day, 2);
    const GroupDay& g = t.groups[kGroupProgramme];
    if (day == kDays - 1) {
      for (int s = 0; s < kNumStages; ++s) kpi[s] = static_cast<double>(g.stage[s]);
      kpi[7] = static_cast<double>(g.alive);
    }
    kpi[8] += g.orders, kpi[9] += g.revenue, kpi[10] += g.visits, kpi[11] += g.referrals, kpi[12] += g.messages;
    for (const CellDay& c : t.cells) kpi[13] += c.opens, kpi[14] += c.goals;
  }
  return kpi;
}

struct Runs {
  std::vector<std::vector<double>> by_kpi = std::vector<std::vector<double>>(kKpis.size());
  double Mean(std::size_t k) const {
    double s = 0;
    for (double x : by_kpi[k]) s += x;
    return s / kSeeds;
  }
  double Var(std::size_t k) const {
    const double m = Mean(k);
    double ss = 0;
    for (double x : by_kpi[k]) ss += (x - m) * (x - m);
    return ss / (kSeeds - 1);
  }
};

Runs RunSeeds(const ModelParams& p, Stepping stepping, std::uint64_t first_seed) {
  Runs r;
  for (int s = 0; s < kSeeds; ++s) {
    const std::vector<double> kpi = Run(p, stepping, first_seed + static_cast<std::uint64_t>(s));
    for (std::size_t k = 0; k < kKpis.size(); ++k) r.by_kpi[k].push_back(kpi[k]);
  }
  return r;
}

double WelchZ(const Runs& a, const Runs& b, std::size_t k) {
  const double se = std::sqrt(a.Var(k) / kSeeds + b.Var(k) / kSeeds);
  return se > 0 ? (b.Mean(k) - a.Mean(k)) / se : 0.0;
}

// The ratio of two sample variances of kSeeds normal runs each is F(kSeeds - 1, kSeeds - 1).
const boost::math::fisher_f_distribution<double> kF(kSeeds - 1, kSeeds - 1);
const double kFLow = boost::math::quantile(kF, 0.0005), kFHigh = boost::math::quantile(kF, 0.9995);

TEST(SteppingEquivalence, EventSteppingMatchesDailyStepping) {
  const ModelParams p;
  // Different seeds for the two samples: independent runs.
  const Runs daily = RunSeeds(p, Stepping::kDaily, 1000);
  const Runs event = RunSeeds(p, Stepping::kEvent, 2000);
  for (std::size_t k = 0; k < kKpis.size(); ++k) {
    const double z = WelchZ(daily, event, k);
    std::printf("%-12s daily %12.1f event %12.1f z %6.2f F %5.2f\n", kKpis[k].c_str(), daily.Mean(k), event.Mean(k), z,
                daily.Var(k) > 0 ? event.Var(k) / daily.Var(k) : 0.0);
    EXPECT_LT(std::fabs(z), 4.0) << kKpis[k] << ": daily " << daily.Mean(k) << ", event " << event.Mean(k);
    if (daily.Var(k) > 0 && event.Var(k) > 0) {
      const double f = event.Var(k) / daily.Var(k);
      EXPECT_GT(f, kFLow) << kKpis[k];
      EXPECT_LT(f, kFHigh) << kKpis[k];
    }
    EXPECT_GT(event.Mean(k), 0) << kKpis[k] << " never happened: the comparison would be empty";
  }
}

// The comparison has the power to see a small change: reach customers forgetting 10% faster.
TEST(SteppingEquivalence, ComparisonSeesATenPercentChange) {
  ModelParams changed;
  changed.lifecycle.forget_rate *= 1.10;
  const Runs base = RunSeeds(ModelParams{}, Stepping::kEvent, 3000);
  const Runs other = RunSeeds(changed, Stepping::kEvent, 4000);
  double worst = 0;
  for (std::size_t k = 0; k < kKpis.size(); ++k) {
    worst = std::max(worst, std::fabs(WelchZ(base, other, k)));
    std::printf("%-12s z %6.2f\n", kKpis[k].c_str(), WelchZ(base, other, k));
  }
  EXPECT_GT(worst, 4.0);
}

}  // namespace
}  // namespace lclab::models
