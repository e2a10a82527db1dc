// The per-customer day, and the two ways of stepping a shard through it: every customer every day
// (Stepping::kDaily, the reference), or only on the days something can happen to a customer
// (Stepping::kEvent; docs/model.md "Event stepping").
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "models/simulator.h"
#include "models/step_detail.h"
#include "sim/random.h"

namespace lclab::models {
using detail::PoissonInverse;
using detail::SetStage;

Simulator::ShardConstants Simulator::MakeShardConstants() const {
  ShardConstants k{};
  k.halo_boost = static_cast<float>(params_.response.halo_boost);
  k.visit_boost = static_cast<float>(params_.web.click_visit_boost);
  k.in_window = dc_.in_window;
  k.due_today = dc_.due_today & dc_.in_window;
  k.any_stage_trigger = false;
  for (const auto& t : triggers_.stage) k.any_stage_trigger = k.any_stage_trigger || !t.empty();
  for (int s = 0; s < kNumStages; ++s) {
    k.visit[s] = static_cast<float>(params_.web.visit_prob[s]);
    k.bounce[s] = static_cast<float>(params_.web.bounce_prob[s]);
  }
  return k;
}

// Inlined into StepShard's loop: a call per customer-day costs a frame of its own.
[[gnu::always_inline]] inline void Simulator::StepCustomer(Population& p, std::size_t i, int day, const float* u,
                                                           const ShardConstants& k, DayTally& tally,
                                                           bool count_standing) const {
  const auto& lc = params_.lifecycle;
  const TriggerTables& tt = triggers_;
  const bool global_control = p.flags[i] & kFlagGlobalControl;
  GroupDay& g = tally.groups[global_control ? kGroupGlobalControl : kGroupProgramme];
  const float u0 = u[0], u1 = u[1], u2 = u[2], u3 = u[3];
  const std::uint8_t seg = p.segment[i];
  const bool halo = p.halo_until[i] >= day;

  switch (static_cast<Stage>(p.stage[i])) {
    case Stage::kProspect:
      if (u0 < dc_.prospect_move) {
        if (u0 < dc_.prospect_referred_signup) {
          SetStage(p, i, Stage::kAcquisition, day);
          p.signup_day[i] = static_cast<std::int16_t>(day);
        } else {
          SetStage(p, i, Stage::kReach, day);
        }
      }
      break;
    case Stage::kReach:
      if (u0 < dc_.reach_signup[seg]) {
        SetStage(p, i, Stage::kAcquisition, day);
        p.signup_day[i] = static_cast<std::int16_t>(day);
      } else if (u0 < dc_.reach_leave[seg]) {
        SetStage(p, i, Stage::kProspect, day);
      }
      break;
    case Stage::kAcquisition:
      if (u0 < dc_.first_purchase[seg]) FirstPurchase(p, i, day, 0.0f, g);
      break;
    default: {  // converted: conversion, retention, loyalty, churned
      if (p.first_purchase_day[i] == day) break;  // day 0 of a customer who first bought on day 0: time zero
      if (p.alive(i)) {
        const float lam = k.PurchaseRate(p.lambda[i], halo);
        const int n = PoissonInverse(u0, lam, halo ? std::exp(-lam) : p.no_purchase[i]);
        if (n > 0) RepeatPurchases(p, i, day, n, 0.0f, g, 1);
      }
      const int since = day - p.last_purchase_day[i];
      if (since >= lc.churn_days && (!p.alive(i) || UnsubscribedEverywhere(p, i))) {
        SetStage(p, i, Stage::kChurned, day);
      } else if (p.stage[i] == static_cast<std::uint8_t>(Stage::kLoyalty) ||
                 (p.stage[i] == static_cast<std::uint8_t>(Stage::kRetention) && (since <= 1 || day == 0))) {
        // Loyal: k_loyal purchases within loyal_window days and a promoter score. A retention
        // customer can only turn loyal on a purchase day (since 0, or 1 for a purchase made by
        // yesterday's message after yesterday's check): otherwise the k-th purchase only ages and
        // satisfaction only falls. Day 0 checks everyone (histories simulated before the run). So
        // the ring is read daily only for loyal customers.
        const std::int16_t kth = KthRecentPurchase(p, i);
        const bool loyal = kth != kNever && day - kth < lc.loyal_window &&
                           RecommendScore(p.satisfaction[i]) >= lc.loyal_min_score;
        SetStage(p, i, loyal ? Stage::kLoyalty : Stage::kRetention, day);
      }
      break;
    }
  }

  // Web visits and bounces (before today's messages: a visit can trigger a pop-up or show an in-app message).
  const bool visited = u1 < k.Visit(p.stage[i], halo);
  if (visited) {
    ++g.visits;
    const bool bounced = u2 < k.bounce[p.stage[i]];
    g.bounces += bounced;
    if (clock_.InWindow(day)) {
      if (p.win_visits[i] < UINT16_MAX) ++p.win_visits[i];
      if (bounced && p.win_bounces[i] < UINT16_MAX) ++p.win_bounces[i];
    } else if (day < clock_.window_start() && p.pre_visits[i] < UINT16_MAX) {
      ++p.pre_visits[i];
    }
  }

  // Campaigns whose trigger is due today, in programme order (earlier campaigns win a capped slot).
  DayOpens opened;
  if (k.in_window && !global_control) {
    std::uint32_t due = k.due_today;
    if (!tt.signup.empty()) due |= tt.signup.At(day, p.signup_day[i]);
    if (!tt.first_purchase.empty()) due |= tt.first_purchase.At(day, p.first_purchase_day[i]);
    if (!tt.last_purchase.empty()) due |= tt.last_purchase.At(day, p.last_purchase_day[i]);
    if (k.any_stage_trigger) due |= tt.stage[p.stage[i]].At(day, p.stage_day[i]);
    if (visited) due |= tt.visit;
    due &= k.in_window;
    while (due) {
      const int c = std::countr_zero(due);
      due &= due - 1;
      FireTrigger(p, i, day, c, visited, tally, opened);
    }
  }

  // Today's visit and opens join the engagement history after today's messages: a policy sees only the past
  // days' events. An open read on a later day (its delay past midnight) is recorded today at its read hour
  // (docs/model.md "Limits").
  if (tracks_history_) {
    if (visited) RecordEvent(p, i, day, VisitHour(p, i, day), tally);
    for (std::uint32_t o = opened.campaigns; o; o &= o - 1) RecordEvent(p, i, day, opened.hour[std::countr_zero(o)], tally);
  }

  // Word of mouth: loyal promoters refer.
  const std::uint8_t s = p.stage[i];
  if (s == static_cast<std::uint8_t>(Stage::kLoyalty) && u3 < dc_.referral) {
    ++g.referrals;
    CountReferral(p, i, day);
  }

  if (count_standing) AddStanding(p, i, day, lc, 1, tally);
}

// The shard in batches: the batch's daily draws first (one Philox block per customer, in a loop the
// compiler vectorises), then each customer's step.
void Simulator::StepShard(Population& p, int day, std::size_t begin, std::size_t end, DayTally& tally) const {
  constexpr std::size_t kBatch = 256;
  const ShardConstants k = MakeShardConstants();
  sim::FirstBlocks<kBatch> draws;
  for (std::size_t b = begin; b < end; b += kBatch) {
    const std::size_t n = std::min(kBatch, end - b);
    draws.Fill(seed_, p.Id(b), static_cast<std::uint32_t>(day), kPurposeDaily, n);
    for (std::size_t j = 0; j < n; ++j) {
      const float u[4] = {draws.UniformFloat(0, j), draws.UniformFloat(1, j), draws.UniformFloat(2, j),
                          draws.UniformFloat(3, j)};
      StepCustomer(p, b + j, day, u, k, tally, true);
    }
  }
}


namespace {
// A float from v in [0, 1) that falls below t (StepCustomer's event u < t happens), or at or above it.
float Below(float t, double v) {
  const auto u = static_cast<float>(v * t);
  return u < t ? u : std::nextafter(t, 0.0f);
}
float AtOrAbove(float t, double v) {
  const auto u = static_cast<float>(t + v * (1.0 - t));
  return u >= t ? u : t;
}
}  // namespace

// Event stepping: a shard's customers who are due today (a drawn event, a check, a prospect's clock, or
// a day on which scheduled campaigns look at everyone), in row order, so the shard's tally is the same
// on any thread. The standing counts of those not woken carry over from yesterday.
void Simulator::StepShardEvents(Population& p, int day, std::size_t begin, std::size_t end, DayTally& tally) const {
  const ShardConstants k = MakeShardConstants();
  StandingTally& standing = p.standing[begin / kShardSize];
  const bool everyone = day == 0 || k.due_today != 0;
  const double hazard = dc_.prospect_hazard;
  const auto today = static_cast<std::int16_t>(day);
  for (std::size_t i = begin; i < end; ++i) {
    const bool clock = p.prospect_clock[i] <= hazard;
    if (!(everyone || clock || p.next_wake[i] <= today)) continue;
    const bool drawn = p.next_wake[i] == today && (p.flags[i] & kFlagRandomWake);
    WakeCustomer(p, i, day, everyone || clock || !drawn, k, tally, standing);
  }
  standing.AddTo(tally);
}

// Customer i's day under event stepping. A full day draws the day's uniforms as the daily stepping does;
// a day woken by a drawn event draws them given that at least one event happens (DayChances). Either
// way a prospect's move is its clock's. The next wake is scheduled from the state the day leaves.
void Simulator::WakeCustomer(Population& p, std::size_t i, int day, bool full_day, const ShardConstants& k,
                             DayTally& tally, StandingTally& standing) const {
  const auto& lc = params_.lifecycle;
  if (day > 0) AddStanding(p, i, day - 1, lc, -1, standing);  // as counted since the last wake
  sim::Stream rng(seed_, p.Id(i), static_cast<std::uint32_t>(day), kPurposeDaily);
  float u[4] = {rng.UniformFloat(), rng.UniformFloat(), rng.UniformFloat(), rng.UniformFloat()};
  if (!full_day) Chances(p, i, day, k).DrawGivenAny(rng, u);
  if (day > 0 && p.stage[i] == static_cast<std::uint8_t>(Stage::kProspect)) {
    const double v = rng.UniformOpen();  // which move (StepCustomer: u[0] below the referred share signs up)
    u[0] = p.prospect_clock[i] <= dc_.prospect_hazard ? Below(dc_.prospect_move, v) : AtOrAbove(dc_.prospect_move, v);
  }
  StepCustomer(p, i, day, u, k, tally, false);
  AddStanding(p, i, day, lc, 1, standing);
  ScheduleWake(p, i, day, k);
}

// The chances on `day` of a customer whose state does not change before it.
Simulator::DayChances Simulator::Chances(const Population& p, std::size_t i, int day, const ShardConstants& k) const {
  DayChances c;
  const std::uint8_t s = p.stage[i];
  const bool halo = p.halo_until[i] >= day;
  switch (static_cast<Stage>(s)) {
    case Stage::kProspect: break;  // the prospect clock's
    case Stage::kReach: c.move_hi = dc_.reach_leave[p.segment[i]]; break;
    case Stage::kAcquisition: c.move_hi = dc_.first_purchase[p.segment[i]]; break;
    default:  // converted: one purchase or more (PoissonInverse > 0) when u[0] >= exp(-rate)
      if (p.alive(i)) {
        c.move_lo = halo ? std::exp(-k.PurchaseRate(p.lambda[i], true)) : p.no_purchase[i];
        c.move_hi = 1.0f;
      }
      break;
  }
  c.visit = std::min(1.0f, k.Visit(s, halo));
  c.referral = s == static_cast<std::uint8_t>(Stage::kLoyalty) ? dc_.referral : 0.0f;
  return c;
}

void Simulator::DayChances::DrawGivenAny(sim::Stream& rng, float* u) const {
  // u[0] in the move's range [move_lo, move_hi) or out of it; one of its ends is 0 or 1.
  auto move_draw = [&](bool inside) {
    const double v = rng.UniformOpen();
    if (move_lo == 0.0f) return inside ? Below(move_hi, v) : AtOrAbove(move_hi, v);
    return inside ? AtOrAbove(move_lo, v) : Below(move_lo, v);
  };
  if (rng.UniformOpen() * Any() < Move()) {  // the move; the visit and referral then as on any day
    u[0] = move_draw(true);
    return;
  }
  u[0] = move_draw(false);
  const double visit_or_referral = 1.0 - (1.0 - visit) * (1.0 - referral);
  if (rng.UniformOpen() * visit_or_referral < visit) {
    u[1] = Below(visit, rng.UniformOpen());
  } else {
    u[1] = AtOrAbove(visit, rng.UniformOpen());
    u[3] = Below(referral, rng.UniformOpen());
  }
}

int Simulator::NextCheckDay(const Population& p, std::size_t i, int day) const {
  const auto& lc = params_.lifecycle;
  int next = kNoWake;
  auto at = [&](int d) { next = d > day && d < next ? d : next; };
  at(p.halo_until[i] + 1);  // the halo ends: the usual purchase and visit chances again
  const std::uint8_t s = p.stage[i];
  const int last = p.last_purchase_day[i];
  if (IsConverted(s) && last != kNever) {
    at(last + 1);  // a retention customer's loyalty check the day after a purchase
    if (s != static_cast<std::uint8_t>(Stage::kChurned)) {
      at(last + lc.lapse_days), at(last + lc.inactive_days);  // engagement bands
      if (!p.alive(i) || UnsubscribedEverywhere(p, i)) at(std::max(last + lc.churn_days, day + 1));
    }
    if (s == static_cast<std::uint8_t>(Stage::kLoyalty)) {
      const std::int16_t kth = KthRecentPurchase(p, i);
      if (kth != kNever) at(kth + lc.loyal_window);  // the k-th purchase leaves the loyalty window
      if (p.last_message_day[i] == day) at(day + 1);  // a message's fatigue may have cost satisfaction
    }
  }
  const TriggerTables& tt = triggers_;  // campaigns due some days after an event
  at(tt.signup.NextAfter(day, p.signup_day[i]));
  at(tt.first_purchase.NextAfter(day, p.first_purchase_day[i]));
  at(tt.last_purchase.NextAfter(day, p.last_purchase_day[i]));
  at(tt.stage[s].NextAfter(day, p.stage_day[i]));
  return next;
}

void Simulator::ScheduleWake(Population& p, std::size_t i, int day, const ShardConstants& k) const {
  sim::Stream rng(seed_, p.Id(i), static_cast<std::uint32_t>(day), kPurposeWake);
  // A prospect's clock: an Exp(1) amount of the cumulative prospect hazard from today on. Kept while it
  // has not run out (it is memoryless either way); drawn anew for a new prospect.
  float& clock = p.prospect_clock[i];
  if (p.stage[i] != static_cast<std::uint8_t>(Stage::kProspect)) {
    clock = std::numeric_limits<float>::infinity();
  } else if (day == 0 || std::isinf(clock) || clock <= dc_.prospect_hazard) {
    clock = static_cast<float>(dc_.prospect_hazard - std::log(rng.UniformOpen()));
  }
  // The first day with a random event: geometric in the chance of any on a day.
  const double any = Chances(p, i, day + 1, k).Any();
  int drawn = kNoWake;
  if (any > 0) {
    const double gap = any >= 1 ? 0.0 : std::floor(std::log(rng.UniformOpen()) / std::log1p(-any));
    if (gap < static_cast<double>(kNoWake - day - 1)) drawn = day + 1 + static_cast<int>(gap);
  }
  const int check = NextCheckDay(p, i, day);
  p.next_wake[i] = static_cast<std::int16_t>(std::min(drawn, check));
  p.flags[i] = static_cast<std::uint8_t>(drawn < check ? p.flags[i] | kFlagRandomWake : p.flags[i] & ~kFlagRandomWake);
}

}  // namespace lclab::models
