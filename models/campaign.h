// Campaigns as the model sees them: trigger, audience, goal, caps, and one
// fully resolved treatment per arm (indexed; arm, factor and level names live
// in the experiments layer). Several campaigns run at once (a Programme).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/params.h"
#include "models/send_time.h"

namespace lclab::models {

// What makes a customer due for a campaign's message (delay_days after the event).
enum class Trigger : std::uint8_t {
  kSignup = 0,     // signing up (entering acquisition)
  kFirstPurchase,  // the first purchase (entering conversion)
  kPurchase,       // any purchase (the latest one)
  kEnterStage,     // entering CampaignPlan::stage
  kLapsed,         // becoming lapsed: lapse_days without a purchase
  kInactive,       // becoming inactive: inactive_days without a purchase
  kVisit,          // a web or app visit that day (delay 0 only)
  kBackInStock,    // a restock event every every_days, to interested recent buyers
  kSchedule,       // every every_days from the window start, or on the weekdays in weekday_mask
};
inline constexpr int kNumTriggers = 9;
inline constexpr std::array<const char*, kNumTriggers> kTriggerNames = {
    "signup", "first_purchase", "purchase", "enter_stage", "lapsed", "inactive", "visit", "back_in_stock", "schedule"};

// What a goal conversion does.
enum class Goal : std::uint8_t {
  kSignUp = 0,       // a prospect or reach customer signs up (enters acquisition)
  kFirstPurchase,    // an acquisition customer makes a first purchase
  kRepeatPurchase,   // a converted customer buys again (a dead customer is revived)
  kReactivation,     // as kRepeatPurchase, aimed at lapsed or inactive customers (win-back)
  kReferral,         // the customer refers someone (word of mouth, next day)
  kRewardsJoin,      // joins the rewards programme: purchase rate and drop-out change once
  kReturnVisit,      // comes back to the site or app (a visit that is not a bounce)
  kFeatureAdoption,  // uses a feature (favourites, reviews, perks, bank link); effect applies once
};
inline constexpr int kNumGoals = 8;
inline constexpr std::array<const char*, kNumGoals> kGoalNames = {
    "sign_up",  "first_purchase", "repeat_purchase", "reactivation",
    "referral", "rewards_join",   "return_visit",    "feature_adoption"};

// The incentive a message carries; paid for on goal conversion.
enum class Incentive : std::uint8_t {
  kNone = 0,
  kPercentDiscount,  // value: fraction off the converting order, [0, 1)
  kFreeShipping,     // value: shipping cost borne per converting order, money
  kPoints,           // value: points worth this much money per converting order
};
inline constexpr int kNumIncentives = 4;
inline constexpr std::array<const char*, kNumIncentives> kIncentiveNames = {"none", "percent_discount",
                                                                            "free_shipping", "points"};

// Additive effects on the response logits (docs/model.md "Messages and responses").
struct Logits {
  float open = 0, click = 0, goal = 0, unsubscribe = 0;
  Logits& operator+=(const Logits& o) {
    open += o.open, click += o.click, goal += o.goal, unsubscribe += o.unsubscribe;
    return *this;
  }
};

// What one arm (variant) does when the campaign triggers for a customer: the
// sum of its factor levels' settings and effects.
struct ArmTreatment {
  bool holdout = false;          // true: no message (the customer still enters the experiment)
  Channel channel = Channel::kEmail;
  SendPolicy send_policy = SendPolicy::kLocalHour;
  int send_hour = 10;            // kLocalHour: local hour; kZoneHour: hour in the sender's zone; 0..23
  int every_days = 7;            // cadence of a schedule trigger (and of a back-in-stock event), >= 1
  int max_sends = 1;             // triggers per customer over the window, 1..255
  int min_gap_days = 0;          // days between two triggers for one customer, >= 0
  Incentive incentive = Incentive::kNone;
  float incentive_value = 0;     // see Incentive
  Logits effects;                // main effects plus interactions of the arm's levels
  std::vector<Logits> segment_effects;  // per persona, added to `effects` (empty: none)
};

// The incentive as a fraction of a typical order: the discount, or a money
// incentive over ResponseParams::incentive_reference_value. It raises the goal
// logit by incentive_effect x strength x price sensitivity.
inline double IncentiveStrength(const ArmTreatment& arm, const ResponseParams& rp) {
  switch (arm.incentive) {
    case Incentive::kPercentDiscount: return arm.incentive_value;
    case Incentive::kFreeShipping:
    case Incentive::kPoints: return arm.incentive_value / rp.incentive_reference_value;
    case Incentive::kNone: break;
  }
  return 0.0;
}

// Money paid per goal conversion besides a discount (which is taken off the order).
inline double IncentiveCostPerGoal(const ArmTreatment& arm, const ResponseParams& rp) {
  if (arm.holdout) return 0.0;
  if (arm.incentive == Incentive::kFreeShipping) return arm.incentive_value;
  if (arm.incentive == Incentive::kPoints) return arm.incentive_value * rp.points_redemption;
  return 0.0;
}

// Money per message sent (0 for a holdout, which sends none).
inline double CostPerSend(const ArmTreatment& arm, const ResponseParams& rp) {
  return arm.holdout ? 0.0 : rp.channels[static_cast<int>(arm.channel)].cost;
}

// What an arm costs: per message sent and per goal conversion (besides a discount).
struct ArmCost {
  double per_send = 0, per_goal = 0;
};

struct CampaignPlan {
  Trigger trigger = Trigger::kSignup;
  Goal goal = Goal::kFirstPurchase;
  Stage stage = Stage::kAcquisition;  // kEnterStage: the stage entered
  int delay_days = 0;                 // days after the trigger event, 0..365
  std::uint8_t weekday_mask = 0;      // kSchedule: bit w set fires on weekday w (0 Monday); 0: every_days
  int recency_days = 90;              // kBackInStock: bought within this many days, >= 1
  float interest_share = 0.2f;        // kBackInStock: share of recent buyers who want the restocked item, 0..1
  // Audience: all of these must hold on the trigger day.
  std::uint8_t audience_stages = 0xFF;      // bit s: Stage s
  std::uint8_t audience_engagement = 0x0F;  // bit e: Engagement e (kNone = never bought)
  std::vector<std::uint8_t> audience_segments;  // per persona, 1 = in the audience (empty: all)
  std::uint8_t audience_opt_in = 0;         // bit c: opted in and not unsubscribed on channel c
  double goal_rate = 0.15;            // P(goal | click) for a typical customer, (0, 1)
  double purchase_multiplier = 1.0;   // kRewardsJoin, kFeatureAdoption: purchase rate x this on the first conversion
  double dropout_multiplier = 1.0;    // kRewardsJoin, kFeatureAdoption: drop-out probability x this, (0, 1]
  int start_day = 0;                  // first day the campaign may trigger (the window start)
  int end_day = 0;                    // one past the last such day (the window end)
  // Send time (models/send_time.h): constraints for every arm, and the learning policies' settings.
  SendWindow send_window;
  int explore_days = 7;               // kAudienceExplore: days of random hours from start_day, >= 1
  int exploit_band_hours = 2;         // kAudienceExplore: then the best hour +- this, 0..11
  int history_min_events = 3;         // kLearned, kThompson: fewer engagement events: the audience's hour, >= 1
  std::vector<ArmTreatment> arms;     // one per arm, >= 1; at most 255
  // Adaptive allocation: a customer's arm is drawn on entry from the day's weights
  // (Simulator::SetAllocation) with the uniform sim::HashUniform(salt_hash, customer).
  bool adaptive = false;
  std::uint64_t salt_hash = 0;
};

// Every campaign that runs, with the caps across them.
struct Programme {
  std::vector<CampaignPlan> campaigns;  // at most kMaxCampaigns; earlier campaigns win a capped slot
  int cap_messages = 0;                 // at most this many messages per customer ...
  int cap_days = 7;                     // ... in any cap_days days (0 messages: no cap), 0..kMaxCap
  int start_weekday = 0;                // weekday of day 0 of the run, 0 Monday .. 6 Sunday
  double history_half_life_days = 30;   // engagement history: an event's weight halves in this many days, > 0
  // True if some arm needs customers' engagement histories (learned or Thompson send time).
  bool TracksHistory() const {
    for (const auto& c : campaigns)
      for (const auto& a : c.arms)
        if (!a.holdout && UsesHistory(a.send_policy)) return true;
    return false;
  }
};
inline constexpr int kMaxCampaigns = 32;
inline constexpr int kMaxCap = 16;

// Every arm's costs, [campaign][arm].
inline std::vector<std::vector<ArmCost>> ArmCosts(const Programme& programme, const ResponseParams& rp) {
  std::vector<std::vector<ArmCost>> costs;
  for (const CampaignPlan& plan : programme.campaigns) {
    costs.emplace_back();
    for (const ArmTreatment& arm : plan.arms) costs.back().push_back({CostPerSend(arm, rp), IncentiveCostPerGoal(arm, rp)});
  }
  return costs;
}

}  // namespace lclab::models
