// The simulator against theory. Traits: each trait's sample moments within 5
// standard errors of its distribution's (the SE of a sample mean is
// sd/sqrt(n); of a sample variance of a normal, var*sqrt(2/(n-1))). The
// lifecycle: stage moves at their hazards, Bass adoption, engagement labels,
// churn and loyalty rules, each within binomial bounds. And thread
// invariance of both the draws and the daily step.
#include "models/simulator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "test_util.h"

namespace lclab::models {
namespace {
using namespace testing;

struct Sample {
  double n = 0, s = 0, ss = 0;
  void Add(double x) { n += 1, s += x, ss += x * x; }
  double Mean() const { return s / n; }
  double Var() const { return (ss - s * s / n) / (n - 1); }
};

ModelParams TwoPersonas() {
  ModelParams p;
  p.personas = {Persona{.name = "a", .weight = 1.0, .purchase_rate_multiplier = 1.0},
                Persona{.name = "b", .weight = 3.0, .responsiveness_mean = 0.5, .price_sensitivity_mean = 2.0}};
  p.personas[1].opt_in = {0.5, 0.1, 0.0, 1.0, 0.3};
  p.tz_offsets = {-5, 0, 8};
  p.tz_weights = {0.5, 0.3, 0.2};
  return p;
}

TEST(Traits, PurchaseRateIsGamma) {
  const ModelParams p;
  World w(p, kN, 1);
  Sample s;
  for (float l : w.pop.lambda) s.Add(l);
  const double mean = p.purchase.r / p.purchase.alpha_days, var = p.purchase.r / std::pow(p.purchase.alpha_days, 2);
  EXPECT_NEAR(s.Mean(), mean, kZ * std::sqrt(var / kN));
  // Gamma variance: Var(s^2) ~ (mu4 - sigma^4)/n with mu4 = 3 sigma^4 (1 + 2/r) for a Gamma.
  const double var_se = std::sqrt((3 * var * var * (1 + 2 / p.purchase.r) - var * var) / kN);
  EXPECT_NEAR(s.Var(), var, kZ * var_se);
}

TEST(Traits, DropoutIsBeta) {
  const ModelParams p;
  World w(p, kN, 1);
  Sample s;
  for (float x : w.pop.dropout) s.Add(x);
  const double a = p.purchase.a, b = p.purchase.b;
  const double mean = a / (a + b), var = a * b / ((a + b) * (a + b) * (a + b + 1));
  EXPECT_NEAR(s.Mean(), mean, kZ * std::sqrt(var / kN));
}

TEST(Traits, SpendRateIsGamma) {
  const ModelParams p;
  World w(p, kN, 1);
  Sample s;
  for (float x : w.pop.spend_rate) s.Add(x);
  const double mean = p.purchase.spend_q / p.purchase.spend_gamma;
  const double var = p.purchase.spend_q / std::pow(p.purchase.spend_gamma, 2);
  EXPECT_NEAR(s.Mean(), mean, kZ * std::sqrt(var / kN));
}

TEST(Traits, ResponsivenessIsNormalPerPersona) {
  const ModelParams p = TwoPersonas();
  World w(p, kN, 1);
  Sample s[2];
  for (std::size_t i = 0; i < kN; ++i) s[w.pop.segment[i]].Add(w.pop.responsiveness[i]);
  const double sd = p.response.responsiveness_sd;
  for (int k = 0; k < 2; ++k) {
    EXPECT_NEAR(s[k].Mean(), p.personas[k].responsiveness_mean, kZ * sd / std::sqrt(s[k].n));
    EXPECT_NEAR(s[k].Var(), sd * sd, kZ * sd * sd * std::sqrt(2.0 / (s[k].n - 1)));
  }
}

TEST(Traits, PriceSensitivityMeanPerPersona) {
  const ModelParams p = TwoPersonas();
  World w(p, kN, 1);
  Sample s[2];
  for (std::size_t i = 0; i < kN; ++i) s[w.pop.segment[i]].Add(w.pop.price_sens[i]);
  for (int k = 0; k < 2; ++k) {
    const double mean = p.personas[k].price_sensitivity_mean;
    const double var = mean * mean / p.response.price_sensitivity_shape;
    EXPECT_NEAR(s[k].Mean(), mean, kZ * std::sqrt(var / s[k].n));
  }
}

TEST(Traits, CategoricalMixesMatchWeights) {
  const ModelParams p = TwoPersonas();
  World w(p, kN, 1);
  double persona_b = 0, tz[3] = {0, 0, 0}, optin_email[2] = {0, 0}, n_seg[2] = {0, 0};
  for (std::size_t i = 0; i < kN; ++i) {
    const int seg = w.pop.segment[i];
    persona_b += seg == 1;
    n_seg[seg] += 1;
    optin_email[seg] += w.pop.opt_in[i] & 1;
    tz[w.pop.tz_offset[i] == -5 ? 0 : w.pop.tz_offset[i] == 0 ? 1 : 2] += 1;
  }
  EXPECT_NEAR(persona_b / kN, 0.75, kZ * BinomialSe(0.75, kN));
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(tz[k] / kN, p.tz_weights[k], kZ * BinomialSe(p.tz_weights[k], kN));
  for (int s = 0; s < 2; ++s) {
    const double q = p.personas[s].opt_in[0];
    EXPECT_NEAR(optin_email[s] / n_seg[s], q, kZ * BinomialSe(q, n_seg[s]) + 1e-12);
  }
}

TEST(Traits, InitialStageMixMatchesShares) {
  ModelParams p;
  p.initial = {0.4, 0.3, 0.2, 0.1, 0};
  World w(p, kN, 1);
  double counts[4] = {0, 0, 0, 0};
  for (std::size_t i = 0; i < kN; ++i) ++counts[std::min<int>(w.pop.stage[i], 3)];
  const double share[4] = {0.4, 0.3, 0.2, 0.1};
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(counts[k] / kN, share[k], kZ * BinomialSe(share[k], kN));
  for (std::size_t i = 0; i < kN; ++i)
    if (w.pop.stage[i] == static_cast<std::uint8_t>(Stage::kConversion)) {
      ASSERT_TRUE(w.pop.alive(i));
      ASSERT_EQ(w.pop.orders[i], 1);
    }
}

TEST(Traits, ChronotypePeaks) {
  const ModelParams p;
  World w(p, kN, 1);
  // Peak hours wrap around midnight, so compare the offset from the
  // chronotype's peak folded into [-12, 12).
  Sample s[3];
  for (std::size_t i = 0; i < kN; ++i) {
    const int c = w.pop.chronotype[i];
    s[c].Add(std::remainder(w.pop.peak_hour[i] - kChronotypePeak[c], 24.0));
  }
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(s[c].Mean(), 0.0, kZ * p.response.peak_sd_hours / std::sqrt(s[c].n));
}

TEST(Traits, DrawsDoNotDependOnThreads) {
  const ModelParams p = TwoPersonas();
  World a(p, 20000, 1, 5, {}, 1), b(p, 20000, 1, 5, {}, 2);
  EXPECT_EQ(a.pop.lambda, b.pop.lambda);
  EXPECT_EQ(a.pop.responsiveness, b.pop.responsiveness);
  EXPECT_EQ(a.pop.stage, b.pop.stage);
  World c(p, 20000, 1, 6, {}, 2);
  EXPECT_NE(a.pop.lambda, c.pop.lambda);
}

// --- the lifecycle step ---

double Share(const Population& p, Stage s) {
  double c = 0;
  for (auto v : p.stage) c += v == static_cast<std::uint8_t>(s);
  return c / static_cast<double>(p.size());
}

ModelParams OnlyStage(double prospect, double reach, double acquisition, double customer) {
  ModelParams p;
  p.initial = {prospect, reach, acquisition, customer, 0};
  p.lifecycle.referral_rate = 0;
  return p;
}

TEST(Lifecycle, ReachCompetingHazards) {
  ModelParams p = OnlyStage(0, 1, 0, 0);
  p.personas[0].signup_rate = 0.05;
  p.lifecycle.forget_rate = 0.02;
  World w(p, kN, 1);
  w.sim.StepDay(w.pop, 0, 2);
  const double leave = 1 - std::exp(-0.07);
  const double signup = leave * 0.05 / 0.07, forget = leave * 0.02 / 0.07;
  EXPECT_NEAR(Share(w.pop, Stage::kAcquisition), signup, kZ * BinomialSe(signup, kN));
  EXPECT_NEAR(Share(w.pop, Stage::kProspect), forget, kZ * BinomialSe(forget, kN));
}

TEST(Lifecycle, FirstPurchaseHazard) {
  ModelParams p = OnlyStage(0, 0, 1, 0);
  p.personas[0].first_purchase_rate = 0.03;
  World w(p, kN, 1);
  w.sim.StepDay(w.pop, 0, 2);
  const double q = 1 - std::exp(-0.03);
  EXPECT_NEAR(Share(w.pop, Stage::kConversion), q, kZ * BinomialSe(q, kN));
  for (std::size_t i = 0; i < kN; ++i)
    if (w.pop.stage[i] == static_cast<std::uint8_t>(Stage::kConversion)) {
      ASSERT_EQ(w.pop.first_purchase_day[i], 0);
      ASSERT_TRUE(w.pop.alive(i));
    }
}

TEST(Lifecycle, BassInnovationAndImitation) {
  // Innovation only: h = p / 365 per day with no adopters.
  {
    ModelParams p = OnlyStage(1, 0, 0, 0);
    p.lifecycle.bass_p = 3.65;
    p.lifecycle.bass_q = 0;
    World w(p, kN, 1);
    w.sim.StepDay(w.pop, 0, 2);
    const double q = 1 - std::exp(-0.01);
    EXPECT_NEAR(Share(w.pop, Stage::kReach), q, kZ * BinomialSe(q, kN));
  }
  // Imitation: half the market adopted, h = q * 0.5 / 365.
  {
    ModelParams p = OnlyStage(1, 0, 0, 1);
    p.lifecycle.bass_p = 0;
    p.lifecycle.bass_q = 36.5;
    World w(p, kN, 1);
    double prospects = 0, adopters = 0;
    for (auto s : w.pop.stage) prospects += s == 0, adopters += s == static_cast<std::uint8_t>(Stage::kConversion);
    w.sim.StepDay(w.pop, 0, 2);
    const double q = 1 - std::exp(-36.5 * (adopters / kN) / 365.0);
    EXPECT_NEAR(Share(w.pop, Stage::kReach) * kN / prospects, q, kZ * BinomialSe(q, prospects));
  }
}

TEST(Lifecycle, EngagementLabelsFollowDaysSincePurchase) {
  ModelParams p = OnlyStage(0, 0, 0, 1);
  World w(p, 1000, 200);
  for (std::size_t i = 0; i < w.pop.size(); ++i) w.pop.SetPurchaseRate(i, 0.0f);  // nobody buys again
  const auto& lc = p.lifecycle;
  for (int day = 0; day <= lc.inactive_days; ++day) {
    const DayTally t = w.sim.StepDay(w.pop, day, 1);
    const auto& e = t.groups[0].engagement;
    const int expect = day < lc.lapse_days ? 0 : day < lc.inactive_days ? 1 : 2;
    ASSERT_EQ(e[expect], 1000) << "day " << day;
  }
}

TEST(Lifecycle, DeadCustomersChurnAfterChurnDays) {
  ModelParams p = OnlyStage(0, 0, 0, 1);
  World w(p, 1000, 400);
  for (auto& f : w.pop.flags) f &= static_cast<std::uint8_t>(~kFlagAlive);
  for (int day = 0; day <= p.lifecycle.churn_days; ++day) {
    const DayTally t = w.sim.StepDay(w.pop, day, 1);
    ASSERT_EQ(t.groups[0].stage[static_cast<int>(Stage::kChurned)], day >= p.lifecycle.churn_days ? 1000 : 0);
  }
}

TEST(Lifecycle, LoyaltyNeedsRecentPurchasesAndAPromoterScore) {
  ModelParams p = OnlyStage(0, 0, 0, 1);
  p.lifecycle.k_loyal = 2;
  p.satisfaction.experience_sd = 0;
  p.satisfaction.weight = 1.0;  // satisfaction becomes the persona quality at each purchase
  p.personas[0].quality = 9.4;
  World w(p, 20000, 30);
  for (std::size_t i = 0; i < w.pop.size(); ++i) {
    w.pop.SetPurchaseRate(i, 2.0f);  // buys almost every day
    w.pop.dropout[i] = 0.0f;  // never drops out
  }
  for (int day = 0; day < 3; ++day) w.sim.StepDay(w.pop, day, 2);
  EXPECT_GT(Share(w.pop, Stage::kLoyalty), 0.95);
  // With a passive score nobody is loyal, however often they buy.
  p.personas[0].quality = 8.0;
  World v(p, 20000, 30);
  for (std::size_t i = 0; i < v.pop.size(); ++i) v.pop.SetPurchaseRate(i, 2.0f), v.pop.dropout[i] = 0.0f;
  for (int day = 0; day < 3; ++day) v.sim.StepDay(v.pop, day, 2);
  EXPECT_EQ(Share(v.pop, Stage::kLoyalty), 0.0);
  EXPECT_GT(Share(v.pop, Stage::kRetention), 0.95);
}

// A scheduled win-back and a pop-up on visits under a programme cap, on top of referrals and Bass.
ModelParams RichParams() {
  ModelParams p;
  p.lifecycle.referral_rate = 0.05;
  p.lifecycle.bass_p = 1.0;
  return p;
}
Programme RichProgramme() {
  CampaignPlan plan;
  plan.trigger = Trigger::kSchedule;
  plan.goal = Goal::kRepeatPurchase;
  plan.audience_stages = 0x78;
  plan.start_day = 5;
  plan.end_day = 40;
  ArmTreatment holdout, treated;
  holdout.holdout = true;
  treated.every_days = 3;
  treated.max_sends = 10;
  treated.incentive = Incentive::kPercentDiscount;
  treated.incentive_value = 0.2f;
  treated.effects.open = 0.5f;
  plan.arms = {holdout, treated};
  CampaignPlan popup = plan;  // a second campaign on visits, under a programme cap
  popup.trigger = Trigger::kVisit;
  popup.goal = Goal::kFeatureAdoption;
  popup.arms[1].channel = Channel::kWebPopup;
  popup.arms[1].max_sends = 5;
  return Programme{.campaigns = {plan, popup}, .cap_messages = 2, .cap_days = 7};
}

// The same seed gives the same columns for any thread count, with a campaign.
TEST(Lifecycle, StepIsThreadInvariant) {
  for (const Stepping stepping : {Stepping::kDaily, Stepping::kEvent}) {
  SCOPED_TRACE(kSteppingNames[static_cast<int>(stepping)]);
  ModelParams p = RichParams();
  p.stepping = stepping;
  const Programme programme = RichProgramme();
  auto run = [&](int threads) {
    World w(p, 30000, 40, 3, programme, threads);
    for (std::size_t i = 0; i < w.pop.size(); ++i)
      for (auto& c : w.pop.campaigns) c.arm[i] = static_cast<std::uint8_t>(i % 2);
    std::vector<double> revenue;
    for (int day = 0; day < 40; ++day) revenue.push_back(w.sim.StepDay(w.pop, day, threads).groups[0].revenue);
    return std::make_pair(std::move(w.pop), revenue);
  };
  const auto [a, ra] = run(1);
  const auto [b, rb] = run(2);
  const auto [c, rc] = run(3);
  for (const auto* other : {&b, &c}) {
    EXPECT_EQ(a.stage, other->stage);
    EXPECT_EQ(a.satisfaction, other->satisfaction);
    EXPECT_EQ(a.win_revenue, other->win_revenue);
    EXPECT_EQ(a.message_days, other->message_days);
    EXPECT_EQ(a.flags, other->flags);
    for (int c = 0; c < 2; ++c) {
      EXPECT_EQ(a.campaigns[c].opens, other->campaigns[c].opens);
      EXPECT_EQ(a.campaigns[c].goals, other->campaigns[c].goals);
    }
  }
  EXPECT_EQ(ra, rb);
  EXPECT_EQ(ra, rc);
  for (int c = 0; c < 2; ++c) {
    double delivered = 0;
    for (auto s : a.campaigns[c].delivered) delivered += s;
    EXPECT_GT(delivered, 0) << "campaign " << c;
  }
  }
}

// Event stepping keeps the standing counts (stages, alive, engagement, adopters, prospects) per shard and
// changes them only for the customers it wakes: every day they equal a recount of the whole population.
TEST(EventStepping, StandingCountsEqualARecountEveryDay) {
  ModelParams p = RichParams();
  p.lifecycle.lapse_days = 10, p.lifecycle.inactive_days = 20, p.lifecycle.churn_days = 25;  // bands move in the run
  p.lifecycle.k_loyal = 1, p.lifecycle.loyal_window = 15, p.lifecycle.loyal_min_score = 7;
  p.stepping = Stepping::kEvent;
  World w(p, 20000, 60, 5, RichProgramme(), 2);
  for (std::size_t i = 0; i < w.pop.size(); ++i)
    for (auto& c : w.pop.campaigns) c.arm[i] = static_cast<std::uint8_t>(i % 2);
  std::int64_t loyal_days = 0;
  for (int day = 0; day < 60; ++day) {
    const DayTally t = w.sim.StepDay(w.pop, day, 2);
    DayTally recount(w.sim.num_cells());
    for (std::size_t i = 0; i < w.pop.size(); ++i) AddStanding(w.pop, i, day, p.lifecycle, 1, recount);
    for (int g = 0; g < kNumGroups; ++g) {
      ASSERT_EQ(t.groups[g].stage, recount.groups[g].stage) << "day " << day;
      ASSERT_EQ(t.groups[g].engagement, recount.groups[g].engagement) << "day " << day;
      ASSERT_EQ(t.groups[g].alive, recount.groups[g].alive) << "day " << day;
    }
    ASSERT_EQ(t.adopters, recount.adopters) << "day " << day;
    ASSERT_EQ(t.prospects, recount.prospects) << "day " << day;
    loyal_days += t.groups[0].stage[static_cast<int>(Stage::kLoyalty)];
  }
  EXPECT_GT(loyal_days, 0);  // the loyalty rule was exercised
}

}  // namespace
}  // namespace lclab::models
