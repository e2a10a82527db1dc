#include "models/simulator.h"

#include <algorithm>
#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/beta_distribution.hpp>
#include <boost/random/discrete_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cassert>
#include <cmath>
#include <numbers>

#include "sim/parallel.h"
#include "sim/random.h"

namespace lclab::models {
namespace {

float Logit(double p) { return static_cast<float>(std::log(p / (1.0 - p))); }
float Sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
bool InStages(std::uint8_t mask, std::uint8_t stage) { return (mask >> stage) & 1u; }

// Poisson(lam) by inversion of the uniform u, given exp(-lam).
int PoissonInverse(float u, float lam, float exp_minus_lam) {
  float prob = exp_minus_lam, cdf = prob;
  int n = 0;
  while (u >= cdf && n < 64) {
    ++n;
    prob *= lam / static_cast<float>(n);
    const float next = cdf + prob;
    if (next == cdf) break;
    cdf = next;
  }
  return n;
}

}  // namespace

double LogActivity(double peak_hour, double kappa, int local_hour) {
  constexpr double kTwoPiOver24 = 2.0 * std::numbers::pi / 24.0;
  // exp(kappa) is factored out of every term, so large kappa cannot overflow.
  double mean = 0.0;
  for (int h = 0; h < 24; ++h) mean += std::exp(kappa * (std::cos(kTwoPiOver24 * (h - peak_hour)) - 1.0));
  mean /= 24.0;
  return kappa * (std::cos(kTwoPiOver24 * (local_hour - peak_hour)) - 1.0) - std::log(mean);
}

void ArmDay::Add(const ArmDay& o) {
  for (int s = 0; s < kNumStages; ++s) stage[s] += o.stage[s];
  for (int e = 0; e < kNumEngagement; ++e) engagement[e] += o.engagement[e];
  alive += o.alive, visits += o.visits, bounces += o.bounces, orders += o.orders, revenue += o.revenue;
  sends += o.sends, deliveries += o.deliveries, opens += o.opens, clicks += o.clicks, goals += o.goals;
  unsubscribes += o.unsubscribes, referrals += o.referrals;
}

void DayTally::Reset(int num_arms) {
  arms.assign(num_arms, ArmDay{});
  adopters = prospects = 0;
}

void DayTally::Add(const DayTally& o) {
  for (std::size_t a = 0; a < arms.size(); ++a) arms[a].Add(o.arms[a]);
  adopters += o.adopters, prospects += o.prospects;
}

Simulator::Simulator(ModelParams params, CampaignPlan plan, std::uint64_t seed, sim::DayClock clock, int num_arms)
    : params_(std::move(params)), plan_(std::move(plan)), seed_(seed), clock_(clock), num_arms_(num_arms) {
  assert(num_arms_ >= 1);
  assert(!plan_.enabled || static_cast<int>(plan_.arms.size()) == num_arms_);
  const auto& r = params_.response;
  for (int c = 0; c < kNumChannels; ++c) {
    open_logit_[c] = Logit(r.channels[c].open);
    click_logit_[c] = Logit(r.channels[c].click);
    unsub_logit_[c] = Logit(r.channels[c].unsubscribe);
  }
  goal_logit_ = Logit(plan_.goal_rate);
  const std::size_t np = params_.personas.size();
  dc_.reach_signup.resize(np);
  dc_.reach_leave.resize(np);
  dc_.first_purchase.resize(np);
  for (std::size_t s = 0; s < np; ++s) {
    const double hs = params_.personas[s].signup_rate, hf = params_.lifecycle.forget_rate;
    const double leave = 1.0 - std::exp(-(hs + hf));
    dc_.reach_leave[s] = static_cast<float>(leave);
    dc_.reach_signup[s] = hs + hf > 0 ? static_cast<float>(leave * hs / (hs + hf)) : 0.0f;
    dc_.first_purchase[s] = static_cast<float>(1.0 - std::exp(-params_.personas[s].first_purchase_rate));
  }
  dc_.referral = static_cast<float>(1.0 - std::exp(-params_.lifecycle.referral_rate));
}

struct Simulator::TraitTables {
  boost::random::discrete_distribution<int> persona, tz, initial;
  std::vector<boost::random::discrete_distribution<int>> chronotype;  // per persona
};

Simulator::TraitTables Simulator::MakeTraitTables() const {
  namespace br = boost::random;
  TraitTables t;
  std::vector<double> persona_w;
  for (const auto& per : params_.personas) persona_w.push_back(per.weight);
  t.persona = br::discrete_distribution<int>(persona_w.begin(), persona_w.end());
  t.tz = br::discrete_distribution<int>(params_.tz_weights.begin(), params_.tz_weights.end());
  const auto& im = params_.initial;
  const std::array<double, 4> mix = {im.prospect, im.reach, im.acquisition, im.customer};
  t.initial = br::discrete_distribution<int>(mix.begin(), mix.end());
  for (const auto& per : params_.personas)
    t.chronotype.emplace_back(per.chronotype_weights.begin(), per.chronotype_weights.end());
  return t;
}

void Simulator::DrawCustomer(Population& p, std::size_t i, const TraitTables& tables) const {
  namespace br = boost::random;
  sim::Stream rng(seed_, static_cast<std::uint32_t>(i), kTraitDay, kPurposeTraits);
  const auto& pp = params_.purchase;
  const auto& rp = params_.response;

  const int seg = tables.persona(rng);
  const Persona& per = params_.personas[seg];
  p.segment[i] = static_cast<std::uint8_t>(seg);
  p.tz_offset[i] = static_cast<std::int8_t>(params_.tz_offsets[tables.tz(rng)]);
  const int chrono = tables.chronotype[seg](rng);
  p.chronotype[i] = static_cast<std::uint8_t>(chrono);
  double peak = kChronotypePeak[chrono] + br::normal_distribution<double>(0.0, rp.peak_sd_hours)(rng);
  peak = std::fmod(std::fmod(peak, 24.0) + 24.0, 24.0);
  p.peak_hour[i] = static_cast<float>(peak);
  p.kappa[i] = static_cast<float>(br::gamma_distribution<double>(rp.kappa_shape, rp.kappa_mean / rp.kappa_shape)(rng));
  p.SetPurchaseRate(i, static_cast<float>(br::gamma_distribution<double>(pp.r, 1.0 / pp.alpha_days)(rng) *
                                          per.purchase_rate_multiplier));
  p.dropout[i] = static_cast<float>(br::beta_distribution<double>(pp.a, pp.b)(rng));
  p.spend_rate[i] = static_cast<float>(br::gamma_distribution<double>(pp.spend_q, 1.0 / pp.spend_gamma)(rng));
  p.responsiveness[i] =
      static_cast<float>(br::normal_distribution<double>(per.responsiveness_mean, rp.responsiveness_sd)(rng));
  p.fatigue_sens[i] =
      rp.fatigue_mean > 0
          ? static_cast<float>(br::gamma_distribution<double>(rp.fatigue_shape, rp.fatigue_mean / rp.fatigue_shape)(rng))
          : 0.0f;
  p.price_sens[i] = static_cast<float>(br::gamma_distribution<double>(
      rp.price_sensitivity_shape, per.price_sensitivity_mean / rp.price_sensitivity_shape)(rng));
  std::uint8_t opt = 0;
  for (int c = 0; c < kNumChannels; ++c)
    if (br::bernoulli_distribution<double>(per.opt_in[c])(rng)) opt |= static_cast<std::uint8_t>(1u << c);
  p.opt_in[i] = opt;
  const auto& sp = params_.satisfaction;
  p.satisfaction[i] =
      static_cast<float>(std::clamp(br::normal_distribution<double>(sp.initial_mean, sp.initial_sd)(rng), 0.0, 10.0));

  const auto& im = params_.initial;
  const int start = tables.initial(rng);
  p.flags[i] = 0;
  p.unsubscribed[i] = 0;
  switch (start) {
    case 0: p.stage[i] = static_cast<std::uint8_t>(Stage::kProspect); break;
    case 1: p.stage[i] = static_cast<std::uint8_t>(Stage::kReach); break;
    case 2:
      p.stage[i] = static_cast<std::uint8_t>(Stage::kAcquisition);
      p.signup_day[i] = kBeforeRun;  // signed up before the run: no sign-up trigger fires
      break;
    default: {
      // A customer already: first purchase tenure days ago (BG/NBD time zero), then the
      // same daily purchase process as StepShard up to day -1.
      const int first = -br::uniform_int_distribution<int>(0, im.tenure_days)(rng);
      p.stage[i] = static_cast<std::uint8_t>(Stage::kConversion);
      p.signup_day[i] = kBeforeRun;
      p.first_purchase_day[i] = static_cast<std::int16_t>(first);
      p.last_purchase_day[i] = static_cast<std::int16_t>(first);
      p.orders[i] = 1;
      p.recent[i * p.recent_k] = static_cast<std::int16_t>(first);  // most recent purchase first
      p.flags[i] = kFlagAlive;
      ArmDay before_run;  // purchases before day 0 are not reported per day
      for (int day = first + 1; day < 0 && p.alive(i); ++day) {
        sim::Stream daily(seed_, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(day), kPurposeDaily);
        const int n = PoissonInverse(daily.UniformFloat(), p.lambda[i], p.no_purchase[i]);
        if (n > 0) RepeatPurchases(p, i, day, n, 0.0f, before_run, 1);
      }
      break;
    }
  }
}

void Simulator::Generate(Population& pop, int threads) const {
  const TraitTables tables = MakeTraitTables();
  sim::ForEachShard(pop.size(), kShardSize, threads, [&](const sim::ShardRange& r) {
    for (std::size_t i = r.begin; i < r.end; ++i) DrawCustomer(pop, i, tables);
  });
}

DayTally Simulator::StepDay(Population& pop, int day, int threads) {
  const std::size_t n = pop.size();
  if (day == 0) {
    prev_adopters_ = prev_prospects_ = 0;
    for (std::size_t i = 0; i < n; ++i) {
      prev_adopters_ += IsConverted(pop.stage[i]) && pop.stage[i] != static_cast<std::uint8_t>(Stage::kChurned);
      prev_prospects_ += pop.stage[i] == static_cast<std::uint8_t>(Stage::kProspect);
    }
    prev_referrals_ = 0;
  }
  // Day constants from yesterday's totals (integers, so thread-invariant).
  const auto& lc = params_.lifecycle;
  const double h_bass = (lc.bass_p + lc.bass_q * static_cast<double>(prev_adopters_) / static_cast<double>(n)) / 365.0;
  const double p_bass = 1.0 - std::exp(-h_bass);
  const double p_ref =
      prev_prospects_ > 0 ? std::min(1.0, static_cast<double>(prev_referrals_) / static_cast<double>(prev_prospects_)) : 0.0;
  dc_.prospect_referred = static_cast<float>(p_ref);
  dc_.prospect_referred_signup = static_cast<float>(p_ref * lc.referral_signup_prob);
  dc_.prospect_move = static_cast<float>(p_ref + (1.0 - p_ref) * p_bass);

  const std::size_t shards = sim::ShardCount(n, kShardSize);
  shard_tallies_.resize(shards);
  sim::ForEachShard(n, kShardSize, threads, [&](const sim::ShardRange& r) {
    DayTally& t = shard_tallies_[r.index];
    t.Reset(num_arms_);
    StepShard(pop, day, r.begin, r.end, t);
  });
  DayTally total;
  total.Reset(num_arms_);
  for (const auto& t : shard_tallies_) total.Add(t);  // shard order: deterministic
  prev_adopters_ = total.adopters;
  prev_prospects_ = total.prospects;
  prev_referrals_ = 0;
  for (const auto& a : total.arms) prev_referrals_ += a.referrals;
  return total;
}

inline bool Simulator::Due(const Population& p, std::size_t i, int day) const {
  if (p.sends[i] >= plan_.max_sends) return false;
  const int delay = plan_.delay_days;
  switch (plan_.trigger) {
    case Trigger::kSignup:
      if (p.signup_day[i] == kNever || p.signup_day[i] + delay != day) return false;
      break;
    case Trigger::kFirstPurchase:
      if (p.first_purchase_day[i] == kNever || p.first_purchase_day[i] + delay != day) return false;
      break;
    case Trigger::kLapsed:
      if (p.last_purchase_day[i] == kNever || p.last_purchase_day[i] + params_.lifecycle.lapse_days + delay != day)
        return false;
      break;
    case Trigger::kSchedule:
      if ((day - plan_.start_day) % plan_.every_days != 0) return false;
      break;
  }
  if (!InStages(plan_.audience_stages, p.stage[i])) return false;
  const std::uint8_t bit = static_cast<std::uint8_t>(1u << static_cast<int>(plan_.channel));
  return (p.opt_in[i] & bit) && !(p.unsubscribed[i] & bit);
}

float Simulator::OrderValue(Population& p, std::size_t i, int day, float discount, ArmDay& t,
                            std::uint32_t draw) const {
  namespace br = boost::random;
  sim::Stream rng(seed_, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(day),
                  kPurposeOrder + (draw << 8));
  const auto& pp = params_.purchase;
  const float value = static_cast<float>(br::gamma_distribution<double>(pp.spend_p, 1.0 / p.spend_rate[i])(rng));
  const auto& sp = params_.satisfaction;
  const double e = br::normal_distribution<double>(params_.personas[p.segment[i]].quality, sp.experience_sd)(rng);
  p.satisfaction[i] = static_cast<float>(std::clamp((1.0 - sp.weight) * p.satisfaction[i] + sp.weight * e, 0.0, 10.0));
  const float revenue = value * (1.0f - discount);
  const bool in_experiment =
      p.entered_day[i] != kNever && day >= p.entered_day[i] && day < clock_.window_end();
  if (in_experiment) {
    p.exp_revenue[i] += revenue;
    p.exp_discount[i] += value * discount;
    if (p.exp_orders[i] < UINT16_MAX) ++p.exp_orders[i];
  }
  if (day < clock_.window_start()) p.pre_revenue[i] += revenue;
  if (p.orders[i] < UINT16_MAX) ++p.orders[i];
  // Recent purchase days, most recent first (shifted on each purchase; purchases are rare).
  std::int16_t* recent = &p.recent[i * p.recent_k];
  for (int k = p.recent_k - 1; k > 0; --k) recent[k] = recent[k - 1];
  recent[0] = static_cast<std::int16_t>(day);
  p.last_purchase_day[i] = static_cast<std::int16_t>(day);
  ++t.orders;
  t.revenue += revenue;
  return revenue;
}

void Simulator::FirstPurchase(Population& p, std::size_t i, int day, float discount, ArmDay& t) const {
  p.first_purchase_day[i] = static_cast<std::int16_t>(day);
  p.stage[i] = static_cast<std::uint8_t>(Stage::kConversion);
  p.flags[i] |= kFlagAlive;  // BG/NBD time zero: alive after the first purchase
  OrderValue(p, i, day, discount, t, 0);
}

void Simulator::RepeatPurchases(Population& p, std::size_t i, int day, int n, float discount, ArmDay& t,
                                std::uint32_t first_draw) const {
  sim::Stream rng(seed_, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(day),
                  kPurposePurchase + (first_draw << 8));
  for (int k = 0; k < n; ++k) {
    OrderValue(p, i, day, k == 0 ? discount : 0.0f, t, first_draw + static_cast<std::uint32_t>(k));
    const std::uint8_t s = p.stage[i];
    if (s == static_cast<std::uint8_t>(Stage::kConversion) || s == static_cast<std::uint8_t>(Stage::kChurned))
      p.stage[i] = static_cast<std::uint8_t>(Stage::kRetention);
    if (rng.UniformFloat() < p.dropout[i]) {  // BG/NBD: drop out after each repeat purchase
      p.flags[i] &= static_cast<std::uint8_t>(~kFlagAlive);
      break;
    }
  }
}

void Simulator::Message(Population& p, std::size_t i, int day, const ArmTreatment& arm, ArmDay& t) const {
  const auto& rp = params_.response;
  const int ch = static_cast<int>(plan_.channel);
  sim::Stream rng(seed_, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(day), kPurposeMessage);
  const float u_deliver = rng.UniformFloat(), u_open = rng.UniformFloat(), u_click = rng.UniformFloat(),
              u_goal = rng.UniformFloat(), u_unsub = rng.UniformFloat();
  ++t.sends;
  if (u_deliver >= rp.channels[ch].delivery) return;  // bounced
  ++t.deliveries;
  if (p.delivered[i] < UINT8_MAX) ++p.delivered[i];

  const float fatigue =
      p.last_message_day[i] == kNever
          ? 0.0f
          : p.fatigue[i] * std::exp(-static_cast<float>(day - p.last_message_day[i]) / static_cast<float>(rp.fatigue_tau_days));
  const float rho = p.responsiveness[i];
  const float log_a = static_cast<float>(LogActivity(p.peak_hour[i], p.kappa[i], plan_.send_hour));
  const float open_logit = open_logit_[ch] + rho + arm.open_effect + static_cast<float>(rp.activity_weight) * log_a -
                           p.fatigue_sens[i] * fatigue;
  if (u_open < Sigmoid(open_logit)) {
    ++t.opens;
    if (p.opens[i] < UINT8_MAX) ++p.opens[i];
    if (u_click < Sigmoid(click_logit_[ch] + arm.click_effect)) {
      ++t.clicks;
      if (p.clicks[i] < UINT8_MAX) ++p.clicks[i];
      p.halo_until[i] = static_cast<std::int16_t>(day + static_cast<int>(rp.halo_days));
      const float goal_logit = goal_logit_ + arm.goal_effect +
                               static_cast<float>(rp.incentive_effect) * arm.discount * p.price_sens[i];
      if (u_goal < Sigmoid(goal_logit)) {
        const std::uint8_t s = p.stage[i];
        bool converted = false;
        if (plan_.goal == Goal::kFirstPurchase) {
          if (s == static_cast<std::uint8_t>(Stage::kAcquisition)) {
            FirstPurchase(p, i, day, arm.discount, t);
            converted = true;
          }
        } else if (IsConverted(s)) {
          p.flags[i] |= kFlagAlive;  // a converting win-back revives a dead customer
          RepeatPurchases(p, i, day, 1, arm.discount, t, kMessageDraws);
          converted = true;
        }
        if (converted) {
          ++t.goals;
          if (p.goals[i] < UINT8_MAX) ++p.goals[i];
        }
      }
    } else {
      p.halo_until[i] = static_cast<std::int16_t>(day + static_cast<int>(rp.halo_days));
    }
  }
  const float unsub_logit =
      unsub_logit_[ch] + static_cast<float>(rp.unsubscribe_fatigue) * fatigue + arm.unsubscribe_effect - rho;
  if (u_unsub < Sigmoid(unsub_logit)) {
    p.unsubscribed[i] |= static_cast<std::uint8_t>(1u << ch);
    p.exp_unsub[i] = 1;
    ++t.unsubscribes;
  }
  p.fatigue[i] = fatigue + 1.0f;
  p.last_message_day[i] = static_cast<std::int16_t>(day);
  const auto& sp = params_.satisfaction;
  if (p.fatigue[i] > sp.fatigue_threshold)
    p.satisfaction[i] = std::max(0.0f, p.satisfaction[i] - static_cast<float>(sp.fatigue_penalty));
}

void Simulator::StepShard(Population& p, int day, std::size_t begin, std::size_t end, DayTally& tally) const {
  const auto& lc = params_.lifecycle;
  const auto& web = params_.web;
  const float halo_boost = static_cast<float>(params_.response.halo_boost);
  const float visit_boost = static_cast<float>(web.click_visit_boost);
  const std::uint8_t all_channels = static_cast<std::uint8_t>((1u << kNumChannels) - 1);
  const bool campaign_today = plan_.enabled && day >= plan_.start_day && day < plan_.end_day;

  std::array<float, kNumStages> visit{}, bounce{};
  for (int s = 0; s < kNumStages; ++s) {
    visit[s] = static_cast<float>(web.visit_prob[s]);
    bounce[s] = static_cast<float>(web.bounce_prob[s]);
  }

  for (std::size_t i = begin; i < end; ++i) {
    ArmDay& t = tally.arms[p.arm[i]];
    sim::Stream rng(seed_, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(day), kPurposeDaily);
    const float u0 = rng.UniformFloat(), u1 = rng.UniformFloat(), u2 = rng.UniformFloat(), u3 = rng.UniformFloat();
    const std::uint8_t seg = p.segment[i];
    const bool halo = p.halo_until[i] >= day;

    switch (static_cast<Stage>(p.stage[i])) {
      case Stage::kProspect:
        if (u0 < dc_.prospect_move) {
          if (u0 < dc_.prospect_referred_signup) {
            p.stage[i] = static_cast<std::uint8_t>(Stage::kAcquisition);
            p.signup_day[i] = static_cast<std::int16_t>(day);
          } else {
            p.stage[i] = static_cast<std::uint8_t>(Stage::kReach);
          }
        }
        break;
      case Stage::kReach:
        if (u0 < dc_.reach_signup[seg]) {
          p.stage[i] = static_cast<std::uint8_t>(Stage::kAcquisition);
          p.signup_day[i] = static_cast<std::int16_t>(day);
        } else if (u0 < dc_.reach_leave[seg]) {
          p.stage[i] = static_cast<std::uint8_t>(Stage::kProspect);
        }
        break;
      case Stage::kAcquisition:
        if (u0 < dc_.first_purchase[seg]) FirstPurchase(p, i, day, 0.0f, t);
        break;
      default: {  // converted: conversion, retention, loyalty, churned
        if (p.first_purchase_day[i] == day) break;  // day 0 of a customer who first bought on day 0: time zero
        if (p.alive(i)) {
          const float lam = p.lambda[i] * (halo ? halo_boost : 1.0f);
          const int n = PoissonInverse(u0, lam, halo ? std::exp(-lam) : p.no_purchase[i]);
          if (n > 0) RepeatPurchases(p, i, day, n, 0.0f, t, 1);
        }
        const int since = day - p.last_purchase_day[i];
        const bool unsub_all = (p.opt_in[i] & ~p.unsubscribed[i] & all_channels) == 0 && p.opt_in[i] != 0;
        if (since >= lc.churn_days && (!p.alive(i) || unsub_all)) {
          p.stage[i] = static_cast<std::uint8_t>(Stage::kChurned);
        } else if (p.stage[i] == static_cast<std::uint8_t>(Stage::kLoyalty) ||
                   (p.stage[i] == static_cast<std::uint8_t>(Stage::kRetention) && (since <= 1 || day == 0))) {
          // Loyal: k_loyal purchases within loyal_window days and a promoter score. A retention
          // customer can only turn loyal on a purchase day (since 0, or 1 for a purchase made by
          // yesterday's message after yesterday's check): otherwise the k-th purchase only ages and
          // satisfaction only falls. Day 0 checks everyone (histories simulated before the run). So
          // the ring is read daily only for loyal customers.
          const int k = p.recent_k;
          const std::int16_t kth = p.recent[i * k + k - 1];  // the k-th most recent purchase day
          const bool loyal = kth != kNever && day - kth < lc.loyal_window &&
                             RecommendScore(p.satisfaction[i]) >= lc.loyal_min_score;
          p.stage[i] = static_cast<std::uint8_t>(loyal ? Stage::kLoyalty : Stage::kRetention);
        }
        break;
      }
    }

    if (campaign_today && Due(p, i, day)) {
      if (p.entered_day[i] == kNever) {
        p.entered_day[i] = static_cast<std::int16_t>(day);
        p.entry_stage[i] = p.stage[i];
      }
      ++p.sends[i];
      const ArmTreatment& arm = plan_.arms[p.arm[i]];
      if (!arm.holdout) Message(p, i, day, arm, t);
    }

    // Web visits and bounces.
    const std::uint8_t s = p.stage[i];
    const float pv = visit[s] * (halo ? visit_boost : 1.0f);
    if (u1 < pv) {
      ++t.visits;
      if (u2 < bounce[s]) ++t.bounces;
    }
    // Word of mouth: loyal promoters refer.
    if (s == static_cast<std::uint8_t>(Stage::kLoyalty) && u3 < dc_.referral) ++t.referrals;

    ++t.stage[s];
    if (IsConverted(s)) {
      if (p.alive(i)) ++t.alive;
      if (s != static_cast<std::uint8_t>(Stage::kChurned)) {
        ++tally.adopters;
        ++t.engagement[static_cast<int>(EngagementOf(p, i, day, lc))];
      }
    } else if (s == static_cast<std::uint8_t>(Stage::kProspect)) {
      ++tally.prospects;
    }
  }
}

}  // namespace lclab::models
