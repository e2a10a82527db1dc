// Event stepping against the daily stepping it replaces (docs/model.md "Event stepping"): both draw
// the same uniforms, and event stepping skips only the customer-days on which nothing can happen, so
// every day's tally and every column at the end must be the same bits. The programme has a campaign
// on every kind of trigger (days after sign-up, a first purchase, any purchase, entering loyalty,
// lapsing, going inactive; visits, restocks and a schedule), a learned send-time policy, a cap, and
// engagement bands and a loyalty window short enough to move within the run; eight seeds.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/simulator.h"
#include "sim/bytes.h"
#include "test_util.h"

namespace lclab::models {
namespace {
using namespace testing;

constexpr int kDays = 90;

Programme EveryTrigger() {
  ArmTreatment holdout, treated;
  holdout.holdout = true;
  treated.effects.open = 0.5f;
  treated.every_days = 7;
  treated.max_sends = 6;
  CampaignPlan base;
  base.end_day = kDays;
  base.start_day = 3;
  base.arms = {holdout, treated};
  auto plan = [&](Trigger t, Goal g, int delay) {
    CampaignPlan c = base;
    c.trigger = t, c.goal = g, c.delay_days = delay;
    return c;
  };
  CampaignPlan welcome = plan(Trigger::kSignup, Goal::kFirstPurchase, 1);
  welcome.arms[1].incentive = Incentive::kPercentDiscount;
  welcome.arms[1].incentive_value = 0.1f;
  CampaignPlan thanks = plan(Trigger::kFirstPurchase, Goal::kRewardsJoin, 2);
  thanks.purchase_multiplier = 1.3;  // changes a customer's purchase chance mid-run
  CampaignPlan cross_sell = plan(Trigger::kPurchase, Goal::kRepeatPurchase, 3);
  cross_sell.arms[1].send_policy = SendPolicy::kLearned;  // engagement histories are tracked
  CampaignPlan vip = plan(Trigger::kEnterStage, Goal::kReferral, 0);
  vip.stage = Stage::kLoyalty;
  CampaignPlan lapsed = plan(Trigger::kLapsed, Goal::kReactivation, 0);
  CampaignPlan inactive = plan(Trigger::kInactive, Goal::kReactivation, 2);
  inactive.arms[1].incentive = Incentive::kPercentDiscount;
  inactive.arms[1].incentive_value = 0.2f;
  CampaignPlan popup = plan(Trigger::kVisit, Goal::kFeatureAdoption, 0);
  popup.arms[1].channel = Channel::kWebPopup;
  popup.purchase_multiplier = 1.2;
  CampaignPlan restock = plan(Trigger::kBackInStock, Goal::kRepeatPurchase, 0);
  CampaignPlan newsletter = plan(Trigger::kSchedule, Goal::kReturnVisit, 0);
  newsletter.audience_stages = 0x78;
  newsletter.start_day = 10;
  return Programme{.campaigns = {welcome, thanks, cross_sell, vip, lapsed, inactive, popup, restock, newsletter},
                   .cap_messages = 3,
                   .cap_days = 7};
}

ModelParams Params(Stepping stepping) {
  ModelParams p;
  p.stepping = stepping;
  p.lifecycle.referral_rate = 0.05;
  p.lifecycle.bass_p = 1.0;
  p.lifecycle.lapse_days = 10, p.lifecycle.inactive_days = 20, p.lifecycle.churn_days = 30;
  p.lifecycle.k_loyal = 2, p.lifecycle.loyal_window = 20, p.lifecycle.loyal_min_score = 7;
  return p;
}

struct Outcome {
  std::vector<std::string> tallies;  // each day's tally as bytes
  std::vector<std::string> columns;  // each column at the end as bytes (event stepping's next_wake left out)
  std::vector<std::int64_t> triggers;  // per campaign, over the run
};

Outcome RunStepping(Stepping stepping, std::uint64_t seed, int threads) {
  World w(Params(stepping), 20000, kDays, seed, EveryTrigger(), threads);
  for (std::size_t i = 0; i < w.pop.size(); ++i)
    for (auto& c : w.pop.campaigns) c.arm[i] = static_cast<std::uint8_t>((i / 3) % 2);
  Outcome out;
  out.triggers.assign(w.pop.campaigns.size(), 0);
  for (int day = 0; day < kDays; ++day) {
    const DayTally t = w.sim.StepDay(w.pop, day, threads);
    out.tallies.emplace_back();
    sim::ByteWriter writer(out.tallies.back());
    t.Save(writer);
    for (std::size_t c = 0; c < out.triggers.size(); ++c)
      for (int a = 0; a < 2; ++a) out.triggers[c] += t.cells[c * 2 + a].triggers;
  }
  w.pop.ForEachColumn([&](auto& column, auto, std::size_t) {
    if (static_cast<const void*>(&column) == static_cast<const void*>(&w.pop.next_wake)) return;
    out.columns.emplace_back();
    sim::ByteWriter(out.columns.back()).PutVector(column);
  });
  return out;
}

TEST(SteppingEquivalence, EventSteppingIsDailySteppingBitForBit) {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Outcome daily = RunStepping(Stepping::kDaily, seed, 1);
    const Outcome event = RunStepping(Stepping::kEvent, seed, 2);
    ASSERT_EQ(daily.tallies.size(), event.tallies.size());
    for (int day = 0; day < kDays; ++day) ASSERT_EQ(daily.tallies[day], event.tallies[day]) << "tally of day " << day;
    ASSERT_EQ(daily.columns.size(), event.columns.size());
    for (std::size_t k = 0; k < daily.columns.size(); ++k) EXPECT_EQ(daily.columns[k], event.columns[k]) << "column " << k;
    for (std::size_t c = 0; c < event.triggers.size(); ++c) EXPECT_GT(event.triggers[c], 0) << "campaign " << c << " never fired";
  }
}

// The oracle's replays share the days before any campaign acts: a population stepped that far in a
// recorded environment, copied and continued by a fresh simulator after Adopt, ends as the run that
// recorded the environment did, tally by tally and column by column.
TEST(Replay, AContinuedCopyIsTheFullRun) {
  const ModelParams p = Params(Stepping::kEvent);
  Programme programme = EveryTrigger();
  auto assign = [](Population& pop) {
    for (std::size_t i = 0; i < pop.size(); ++i)
      for (auto& c : pop.campaigns) c.arm[i] = static_cast<std::uint8_t>((i / 3) % 2);
  };
  World full(p, 20000, kDays, 5, programme, 2);
  assign(full.pop);
  std::vector<std::string> tallies;
  for (int day = 0; day < kDays; ++day) {
    tallies.emplace_back();
    sim::ByteWriter writer(tallies.back());
    full.sim.StepDay(full.pop, day, 2).Save(writer);
  }
  const int first = 3;  // EveryTrigger's campaigns open on day 3
  World warm(p, 20000, kDays, 5, programme, 2);
  assign(warm.pop);
  warm.sim.Replay(full.sim.environment());
  for (int day = 0; day < first; ++day) warm.sim.StepDay(warm.pop, day, 2);
  Population pop = warm.pop;
  Simulator sim(p, programme, 5, sim::DayClock{0, kDays});
  sim.Adopt(pop);
  sim.Replay(full.sim.environment());
  for (int day = first; day < kDays; ++day) {
    std::string t;
    sim::ByteWriter writer(t);
    sim.StepDay(pop, day, 1).Save(writer);
    ASSERT_EQ(t, tallies[day]) << "tally of day " << day;
  }
  std::vector<std::string> a, b;
  full.pop.ForEachColumn([&](auto& column, auto, std::size_t) { sim::ByteWriter(a.emplace_back()).PutVector(column); });
  pop.ForEachColumn([&](auto& column, auto, std::size_t) { sim::ByteWriter(b.emplace_back()).PutVector(column); });
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k) EXPECT_EQ(a[k], b[k]) << "column " << k;
}

}  // namespace
}  // namespace lclab::models
