// Customers as structure-of-arrays columns of the narrowest type that fits.
// Traits are drawn once; state changes daily; experiment columns accumulate
// each customer's exposure and outcomes after entering the experiment.
//
// Days are stored as int16 (a run has at most kMaxDays days); kNever marks
// "has not happened".
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "models/params.h"
#include "models/tally.h"

namespace lclab::models {

inline constexpr std::int16_t kNever = INT16_MIN;
// Sign-up day of customers who signed up before the run (no trigger fires).
inline constexpr std::int16_t kBeforeRun = -20000;
inline constexpr int kMaxDays = 30000;
inline constexpr int kMaxLoyalK = 8;

// Bits of Population::flags.
inline constexpr std::uint8_t kFlagAlive = 1;          // latent truth: still "alive" in the BG/NBD sense
inline constexpr std::uint8_t kFlagGlobalControl = 2;  // held out of every campaign (set before Generate)
inline constexpr std::uint8_t kFlagRewards = 4;        // a rewards programme member
inline constexpr std::uint8_t kFlagAdopted = 8;        // has adopted a feature a campaign promoted

// Event stepping: next_wake of a customer with nothing ahead in the run.
inline constexpr std::int16_t kNoWake = INT16_MAX;

// Bits of CampaignColumns::state_at_entry above the unsubscribed channels (kNumChannels <= 6).
inline constexpr std::uint8_t kEntryRewards = 64;   // a rewards member when entering
inline constexpr std::uint8_t kEntryAdopted = 128;  // had adopted a promoted feature when entering
inline constexpr std::uint8_t kEntryChannels = 63;

// One campaign's experiment columns. A customer enters on the first trigger in
// the window; the *_at_entry snapshots turn the customer's window totals into
// totals after entry.
struct CampaignColumns {
  std::vector<std::uint8_t> arm;            // assigned arm index (global control: unused)
  std::vector<std::int16_t> entered_day;    // day of the first trigger in the window, kNever if none
  std::vector<std::uint8_t> entry_stage;    // stage on entering
  std::vector<std::int16_t> last_trigger;   // day of the latest trigger
  std::vector<std::uint8_t> triggers;       // triggers (messages, or would-be messages in a holdout)
  std::vector<std::uint8_t> sends;          // messages sent (not suppressed by the programme cap)
  std::vector<std::uint8_t> delivered;
  std::vector<std::uint8_t> opens;
  std::vector<std::uint8_t> clicks;
  std::vector<std::uint8_t> goals;          // goal conversions
  std::vector<std::uint8_t> unsubscribed;   // 1 if one of this campaign's messages made the customer unsubscribe
  std::vector<std::uint8_t> state_at_entry;    // when entering: unsubscribed channels (bits 0-5), kEntryRewards, kEntryAdopted
  std::vector<std::uint8_t> referrals_at_entry;  // win_referrals when entering
  std::vector<std::uint16_t> orders_at_entry;  // win_orders when entering
  std::vector<std::uint16_t> visits_at_entry;  // win_visits when entering
  std::vector<float> revenue_at_entry;         // win_revenue when entering

  template <class F>
  void ForEachColumn(F&& f) {
    const std::size_t one = 1;
    f(arm, 0, one), f(entered_day, kNever, one), f(entry_stage, 0, one), f(last_trigger, kNever, one);
    f(triggers, 0, one), f(sends, 0, one), f(delivered, 0, one), f(opens, 0, one), f(clicks, 0, one);
    f(goals, 0, one), f(unsubscribed, 0, one), f(state_at_entry, 0, one), f(referrals_at_entry, 0, one);
    f(orders_at_entry, 0, one), f(visits_at_entry, 0, one);
    f(revenue_at_entry, 0, one);
  }
};

struct Population {
  // --- traits (drawn once) ---
  std::vector<std::uint8_t> segment;     // persona index
  std::vector<std::int8_t> tz_offset;    // hours
  std::vector<std::uint8_t> chronotype;  // Chronotype
  std::vector<float> peak_hour;          // local hour of peak activity, [0, 24)
  std::vector<float> kappa;              // activity concentration, > 0
  std::vector<float> lambda;             // purchase rate per day (BG/NBD), > 0; set with SetPurchaseRate
  std::vector<float> no_purchase;        // exp(-lambda): P(no purchase on a day without a halo)
  std::vector<float> dropout;            // drop-out probability after each repeat purchase
  std::vector<float> spend_rate;         // Gamma-Gamma nu: each order ~ Gamma(p, rate nu)
  std::vector<float> responsiveness;     // rho, logit scale
  std::vector<float> fatigue_sens;       // phi, >= 0
  std::vector<float> price_sens;         // pi, >= 0
  std::vector<std::uint8_t> opt_in;      // bit c: opted in to channel c

  // --- state ---
  std::vector<std::uint8_t> stage;         // Stage
  std::vector<std::uint8_t> flags;         // kFlag* bits
  std::vector<std::uint8_t> unsubscribed;  // bit c: unsubscribed from channel c
  std::vector<float> satisfaction;         // S, 0-10 scale
  std::vector<std::int16_t> stage_day;     // day the current stage was entered (kBeforeRun: before the run)
  std::vector<std::int16_t> signup_day;
  std::vector<std::int16_t> first_purchase_day;
  std::vector<std::int16_t> last_purchase_day;
  std::vector<std::int16_t> halo_until;     // last day of a halo (raised purchase and visit hazard)
  std::vector<std::int16_t> last_message_day;
  std::vector<float> fatigue;               // fatigue at last_message_day, after that message
  std::vector<std::uint8_t> pending_discount;  // percent off the next order (an offer won by signing up), 0..99
  std::vector<std::uint16_t> orders;        // purchases so far, first included (saturates)
  std::vector<std::int16_t> recent;         // last recent_k purchase days, most recent first, recent_k per customer
  int recent_k = 3;                         // = k_loyal, 1..kMaxLoyalK
  std::vector<std::int16_t> message_days;   // last cap_k message days, most recent first, cap_k per customer
  int cap_k = 0;                            // = Programme::cap_messages, 0..kMaxCap

  // --- event stepping (Stepping::kEvent) ---
  std::vector<std::int16_t> next_wake;      // the next check day: the customer is stepped then even without
                                            // a random event (kNoWake: none)

  // --- engagement history (send time), allocated only when a policy learns from it ---
  // The recency-weighted sum (hist_x, hist_y) of unit vectors at the local hours of
  // the customer's visits and opens and the sum of their weights (hist_w), as of
  // hist_day; hist_n counts the events (saturates).
  std::vector<float> hist_x, hist_y, hist_w;
  std::vector<std::int16_t> hist_day;
  std::vector<std::uint8_t> hist_n;
  int hist_width = 0;                       // 1 if allocated, else 0

  // --- window totals, for KPIs ---
  std::vector<std::uint16_t> win_orders;    // orders in the window (saturates)
  std::vector<std::uint16_t> win_visits;    // visits in the window (saturates)
  std::vector<float> win_revenue;           // revenue (after discounts) in the window
  std::vector<std::uint16_t> win_bounces;   // visits in the window that bounced (saturates)
  std::vector<std::uint8_t> win_referrals;  // referrals made in the window (saturates)
  std::vector<float> pre_revenue;           // revenue before the window (warm-up), for covariates
  std::vector<std::uint16_t> pre_visits;    // visits before the window (warm-up, saturates), for covariates

  // --- experiment: one column set per campaign ---
  std::vector<CampaignColumns> campaigns;

  // Event stepping: per shard of rows (Simulator's kShardSize), the standing counts of the last day
  // stepped. Not a column.
  std::vector<StandingTally> standing;
  // Bit i % 64 of word i / 64: customer i was stepped on the last day (every customer under daily
  // stepping). A customer's state changes only on a day it is stepped. Not a column.
  std::vector<std::uint64_t> stepped;

  std::size_t size() const { return stage.size(); }
  // The rows held here of a population spread over an MPI job's processes (sim::Slice): row i is
  // customer first + i of total, and reductions over customers exchange shards between the processes.
  // One process: first 0, total size(), not distributed.
  std::size_t first = 0, total = 0;
  bool distributed = false;
  // A customer's identity, which keys its random draws and its assignment.
  std::uint32_t Id(std::size_t i) const { return static_cast<std::uint32_t>(first + i); }
  // Allocates every column for n customers, zeroed / kNever, with num_campaigns
  // campaign column sets. REQUIRES: 1 <= k <= kMaxLoyalK, 0 <= cap_k <= kMaxCap.
  // history: allocate the engagement history columns. Columns are filled on up to `threads` threads.
  void Resize(std::size_t n, int k, int num_campaigns = 0, int cap_k = 0, bool history = false, int threads = 1);
  // Bytes held per customer by the columns.
  std::size_t BytesPerCustomer();

  // Calls f(column, fill, width) for every column (see sim/columns.h).
  template <class F>
  void ForEachColumn(F&& f) {
    const std::size_t one = 1;
    f(segment, 0, one), f(tz_offset, 0, one), f(chronotype, 0, one), f(peak_hour, 0, one), f(kappa, 0, one);
    f(lambda, 0, one), f(no_purchase, 1, one), f(dropout, 0, one), f(spend_rate, 0, one);
    f(responsiveness, 0, one), f(fatigue_sens, 0, one), f(price_sens, 0, one), f(opt_in, 0, one);
    f(stage, 0, one), f(flags, 0, one), f(unsubscribed, 0, one), f(satisfaction, 0, one);
    f(stage_day, kBeforeRun, one), f(signup_day, kNever, one), f(first_purchase_day, kNever, one);
    f(last_purchase_day, kNever, one), f(halo_until, kNever, one), f(last_message_day, kNever, one);
    f(fatigue, 0, one), f(pending_discount, 0, one), f(orders, 0, one), f(recent, kNever, static_cast<std::size_t>(recent_k));
    f(message_days, kNever, static_cast<std::size_t>(cap_k));
    f(next_wake, 0, one);
    const auto hw = static_cast<std::size_t>(hist_width);
    f(hist_x, 0, hw), f(hist_y, 0, hw), f(hist_w, 0, hw), f(hist_day, kNever, hw), f(hist_n, 0, hw);
    f(win_orders, 0, one), f(win_visits, 0, one), f(win_revenue, 0, one), f(win_bounces, 0, one);
    f(win_referrals, 0, one);
    f(pre_revenue, 0, one), f(pre_visits, 0, one);
    for (auto& c : campaigns) c.ForEachColumn(f);
  }

  bool alive(std::size_t i) const { return flags[i] & kFlagAlive; }
  // Sets the purchase rate and its cached no-purchase probability together.
  void SetPurchaseRate(std::size_t i, float rate) {
    lambda[i] = rate;
    no_purchase[i] = std::exp(-rate);
  }
};

// The 0-10 likelihood-to-recommend score of a satisfaction level.
inline int RecommendScore(float s) {
  const int v = static_cast<int>(s + 0.5f);
  return v < 0 ? 0 : v > 10 ? 10 : v;
}

// Observable engagement from the days since the last purchase.
inline Engagement EngagementOf(const Population& p, std::size_t i, int day, const LifecycleParams& lc) {
  if (p.last_purchase_day[i] == kNever) return Engagement::kNone;
  const int since = day - p.last_purchase_day[i];
  return since < lc.lapse_days ? Engagement::kActive
         : since < lc.inactive_days ? Engagement::kLapsed
                                    : Engagement::kInactive;
}

inline bool IsConverted(std::uint8_t stage) {
  return stage >= static_cast<std::uint8_t>(Stage::kConversion);
}

// Opted in to some channel and unsubscribed from every one of them.
inline bool UnsubscribedEverywhere(const Population& p, std::size_t i) {
  constexpr auto all = static_cast<std::uint8_t>((1u << kNumChannels) - 1);
  return (p.opt_in[i] & ~p.unsubscribed[i] & all) == 0 && p.opt_in[i] != 0;
}

// The day of the k-th most recent purchase (k = recent_k), kNever if fewer.
inline std::int16_t KthRecentPurchase(const Population& p, std::size_t i) {
  return p.recent[i * p.recent_k + p.recent_k - 1];
}

// Adds sign x customer i's standing on `day` (its stage; alive, engagement and adopter for a converted
// customer; prospect) to a DayTally or a StandingTally. The one home of the standing counts.
template <class Tally>
inline void AddStanding(const Population& p, std::size_t i, int day, const LifecycleParams& lc, int sign, Tally& t) {
  auto& g = t.groups[(p.flags[i] & kFlagGlobalControl) ? kGroupGlobalControl : kGroupProgramme];
  const std::uint8_t s = p.stage[i];
  g.stage[s] += sign;
  if (IsConverted(s)) {
    if (p.alive(i)) g.alive += sign;
    if (s != static_cast<std::uint8_t>(Stage::kChurned)) {
      t.adopters += sign;
      g.engagement[static_cast<int>(EngagementOf(p, i, day, lc))] += sign;
    }
  } else if (s == static_cast<std::uint8_t>(Stage::kProspect)) {
    t.prospects += sign;
  }
}

}  // namespace lclab::models
