// The per-customer day, and the two ways of stepping a shard through it: every customer every day
// (Stepping::kDaily, the reference), or only on the days something can happen to a customer
// (Stepping::kEvent; docs/model.md "Event stepping").
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "models/simulator.h"
#include "models/step_detail.h"
#include "sim/random.h"
#include "sim/simd.h"

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
  constexpr std::size_t kBatch = kStepBatch;
  const ShardConstants k = MakeShardConstants();
  std::fill(p.stepped.begin() + static_cast<std::ptrdiff_t>(begin / 64),
            p.stepped.begin() + static_cast<std::ptrdiff_t>((end + 63) / 64), ~std::uint64_t{0});
  BatchDraws draws;
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

// Event stepping: the shard's customer-days in batches, with the same uniforms as StepShard; a customer is
// stepped only when one of them makes a random event happen today (QuietChances), on a check day
// (next_wake), or on a day on which every customer is looked at (day 0, the days scheduled and
// back-in-stock campaigns fire). A skipped step would have changed nothing but the standing counts,
// which carry over from the last day stepped, so the run is the daily stepping's, bit for bit.
void Simulator::StepShardEvents(Population& p, int day, std::size_t begin, std::size_t end, DayTally& tally) const {
  constexpr std::size_t kBatch = kStepBatch;
  const ShardConstants k = MakeShardConstants();
  const QuietChances q = MakeQuietChances(k);
  StandingTally& standing = p.standing[begin / kShardSize];
  const bool everyone = day == 0 || k.due_today != 0;
  BatchDraws draws;
  std::array<std::uint8_t, kBatch> wake;  // the batch's customers to step, in row order
  static_assert(kBatch <= 256 && kShardSize % 64 == 0);
  std::fill(p.stepped.begin() + static_cast<std::ptrdiff_t>(begin / 64),
            p.stepped.begin() + static_cast<std::ptrdiff_t>((end + 63) / 64), std::uint64_t{0});
  for (std::size_t b = begin; b < end; b += kBatch) {
    const std::size_t n = std::min(kBatch, end - b);
    draws.Fill(seed_, p.Id(b), static_cast<std::uint32_t>(day), kPurposeDaily, n);
    std::size_t woken = n;
    if (everyone) {
      for (std::size_t j = 0; j < n; ++j) wake[j] = static_cast<std::uint8_t>(j);
    } else {
      woken = q.Wakes(p, b, n, day, draws, wake.data());
    }
    for (std::size_t w = 0; w < woken; ++w) {
      const std::size_t j = wake[w], i = b + j;
      p.stepped[i / 64] |= std::uint64_t{1} << (i % 64);
      const float u[4] = {draws.UniformFloat(0, j), draws.UniformFloat(1, j), draws.UniformFloat(2, j),
                          draws.UniformFloat(3, j)};
      if (day > 0) AddStanding(p, i, day - 1, params_.lifecycle, -1, standing);  // as counted since the last step
      StepCustomer(p, i, day, u, k, tally, false);
      AddStanding(p, i, day, params_.lifecycle, 1, standing);
      p.next_wake[i] = static_cast<std::int16_t>(NextCheckDay(p, i, day));
    }
  }
  standing.AddTo(tally);
}

// StepCustomer's chances of a random event outside a halo (a halo's days are check days), by stage, as
// thresholds on a uniform's 24 bits (WordToFloat: u < t exactly when (word >> 8) < t * 2^24).
Simulator::QuietChances Simulator::MakeQuietChances(const ShardConstants& k) const {
  QuietChances q{};
  const std::size_t personas = dc_.first_purchase.size();
  q.personas = personas;
  q.move.assign(kNumStages * personas, 0.0f);  // converted stages: 0 (a purchase is tested on its own)
  for (std::size_t seg = 0; seg < personas; ++seg) {
    q.move[static_cast<int>(Stage::kProspect) * personas + seg] = dc_.prospect_move * QuietChances::kScale;
    q.move[static_cast<int>(Stage::kReach) * personas + seg] = dc_.reach_leave[seg] * QuietChances::kScale;
    q.move[static_cast<int>(Stage::kAcquisition) * personas + seg] = dc_.first_purchase[seg] * QuietChances::kScale;
  }
  for (int s = 0; s < kNumStages; ++s) {
    q.visit[s] = k.visit[s] * QuietChances::kScale;
    q.referral[s] = s == static_cast<int>(Stage::kLoyalty) ? dc_.referral * QuietChances::kScale : 0.0f;
    q.max_visit = std::max(q.max_visit, q.visit[s]);
    q.max_referral = std::max(q.max_referral, q.referral[s]);
  }
  for (const float m : q.move) q.max_move = std::max(q.max_move, m);
  return q;
}

// Compiled for AVX-512 too (float comparisons of exact values: the same answer in every version).
LCLAB_WIDEST_VECTORS
std::size_t Simulator::QuietChances::Wakes(const Population& p, std::size_t b, std::size_t n, int day,
                                           const BatchDraws& draws, std::uint8_t* wake) const {
  const auto& word = draws.word;
  const auto today = static_cast<std::int16_t>(day);
  const std::uint8_t* __restrict stage = p.stage.data() + b;
  const std::uint8_t* __restrict segment = p.segment.data() + b;
  const std::uint8_t* __restrict flags = p.flags.data() + b;
  const float* __restrict no_purchase = p.no_purchase.data() + b;
  const std::int16_t* __restrict next_wake = p.next_wake.data() + b;
  // First, without a table lookup (a loop the compiler vectorises): quiet whatever the customer's stage,
  // with u[0] at or above every unconverted move chance and below exp(-lambda) (no purchase), and u[1]
  // and u[3] at or above every stage's visit and referral chances. Most customer-days end here.
  std::array<std::uint8_t, kStepBatch> maybe;
  for (std::size_t j = 0; j < n; ++j) {
    const auto w0 = static_cast<float>(word[0][j] >> 8), w1 = static_cast<float>(word[1][j] >> 8),
               w3 = static_cast<float>(word[3][j] >> 8);
    const bool quiet = (w0 >= max_move) & (w0 < no_purchase[j] * kScale) & (w1 >= max_visit) & (w3 >= max_referral) &
                       (next_wake[j] > today);
    maybe[j] = !quiet;
  }
  // The rest get the exact test, in order. Their flags are packed into bits, eight bytes at a time (the
  // multiply moves byte k's 0 or 1 to bit 56 + k), and the set bits visited: a loop over the few, not
  // over the batch, without a branch taken at random.
  static_assert(std::endian::native == std::endian::little);  // byte k of `eight` is maybe[8 e + k]
  for (std::size_t j = n; j < (n + 7) / 8 * 8; ++j) maybe[j] = 0;
  std::array<std::uint64_t, kStepBatch / 64> bits{};
  for (std::size_t e = 0; e < (n + 7) / 8; ++e) {
    std::uint64_t eight;
    std::memcpy(&eight, maybe.data() + 8 * e, 8);
    bits[e / 8] |= ((eight * 0x0102040810204080ull) >> 56) << (8 * (e % 8));
  }
  std::size_t woken = 0;
  for (std::size_t q = 0; q < (n + 63) / 64; ++q)
    for (std::uint64_t left = bits[q]; left; left &= left - 1) {
      const std::size_t j = 64 * q + static_cast<std::size_t>(std::countr_zero(left));
      const std::uint8_t s = stage[j];
      const auto w0 = static_cast<float>(word[0][j] >> 8), w1 = static_cast<float>(word[1][j] >> 8),
                 w3 = static_cast<float>(word[3][j] >> 8);
      // A converted customer buys when u[0] >= exp(-lambda) (PoissonInverse > 0), if still alive.
      const bool buys = IsConverted(s) & ((flags[j] & kFlagAlive) != 0) & (w0 >= no_purchase[j] * kScale);
      const bool moves = w0 < move[s * personas + segment[j]];
      wake[woken] = static_cast<std::uint8_t>(j);
      woken += buys | moves | (w1 < visit[s]) | (w3 < referral[s]) | (next_wake[j] <= today);
    }
  return woken;
}

int Simulator::NextCheckDay(const Population& p, std::size_t i, int day) const {
  const auto& lc = params_.lifecycle;
  int next = kNoWake;
  auto at = [&](int d) { next = d > day && d < next ? d : next; };
  if (p.halo_until[i] > day) at(day + 1);  // a halo's raised purchase and visit chances: every day stepped
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

}  // namespace lclab::models
