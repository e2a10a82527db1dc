// A campaign as the model sees it: trigger, audience, channel, goal, and one
// treatment per arm (indexed; arm names live in the experiments layer).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/params.h"

namespace lclab::models {

// What makes a customer due for the campaign's message.
enum class Trigger : std::uint8_t {
  kSignup = 0,     // entering acquisition (sign-up), plus delay_days
  kFirstPurchase,  // entering conversion (first purchase), plus delay_days
  kLapsed,         // becoming lapsed (lapse_days without a purchase), plus delay_days
  kSchedule,       // every every_days from the window start, to the audience
};
inline constexpr std::array<const char*, 4> kTriggerNames = {"signup", "first_purchase", "lapsed", "schedule"};

// What a goal conversion does.
enum class Goal : std::uint8_t {
  kFirstPurchase = 0,  // an acquisition-stage customer makes a first purchase
  kRepeatPurchase,     // a converted customer buys again (a dead customer is revived)
  kReactivation,       // as kRepeatPurchase, aimed at lapsed or inactive customers
};
inline constexpr std::array<const char*, 3> kGoalNames = {"first_purchase", "repeat_purchase", "reactivation"};

// What one arm does when the campaign triggers for a customer.
struct ArmTreatment {
  bool holdout = false;         // true: no message (the customer still enters the experiment)
  float open_effect = 0.0f;     // added to the open logit
  float click_effect = 0.0f;    // added to the click logit
  float goal_effect = 0.0f;     // added to the goal-conversion logit
  float unsubscribe_effect = 0.0f;  // added to the unsubscribe logit
  float discount = 0.0f;        // fraction off the converting order, 0..1 (raises conversion via price sensitivity)
};

struct CampaignPlan {
  bool enabled = false;          // false: no campaign (pure population dynamics)
  Trigger trigger = Trigger::kSignup;
  Goal goal = Goal::kFirstPurchase;
  Channel channel = Channel::kEmail;
  int delay_days = 0;            // days after the trigger event, >= 0
  int every_days = 7;            // kSchedule cadence, >= 1
  int max_sends = 1;             // messages per customer over the window, >= 1
  int send_hour = 10;            // local hour of delivery, 0..23
  std::uint8_t audience_stages = 0xFF;  // bit s set: stage s may receive
  double goal_rate = 0.15;       // goal conversion probability given a click, typical customer, 0..1
  int start_day = 0;             // first day messages may go out (the window start)
  int end_day = 0;               // one past the last such day (the window end)
  std::vector<ArmTreatment> arms;  // one per arm, >= 1
};

}  // namespace lclab::models
