// The message-response logits (docs/model.md "Messages and responses"): each
// formula once, for any number type, so that the simulator's per-customer
// draws (float) and the planted truth a factorial analysis is checked against
// (a typical customer, double) cannot drift apart.
#pragma once

#include <array>
#include <cmath>
#include <vector>

#include "models/campaign.h"
#include "models/params.h"

namespace lclab::models {

// log(p / (1 - p)). REQUIRES: 0 < p < 1.
inline double Logit(double p) { return std::log(p / (1.0 - p)); }

// open: intercept + rho + arm effect - phi F, before the send hour's activity term ...
template <class T>
T OpenLogitBase(T intercept, T rho, T effect, T fatigue_sensitivity, T fatigue) {
  return intercept + rho + effect - fatigue_sensitivity * fatigue;
}
// ... to which eta log A(h) is added at the delivery hour h.
template <class T>
T OpenLogit(T base, T activity_weight, T log_activity) {
  return base + activity_weight * log_activity;
}
// click given open: intercept + arm effect (no customer-level term).
template <class T>
T ClickLogit(T intercept, T effect) {
  return intercept + effect;
}
// goal given click: intercept + arm effect + incentive_effect x incentive strength x price sensitivity.
template <class T>
T GoalLogit(T intercept, T effect, T incentive_effect, T strength, T price_sensitivity) {
  return intercept + effect + incentive_effect * strength * price_sensitivity;
}
// unsubscribe: intercept + u_f F + arm effect - rho.
template <class T>
T UnsubscribeLogit(T intercept, T unsubscribe_fatigue, T fatigue, T effect, T rho) {
  return intercept + unsubscribe_fatigue * fatigue + effect - rho;
}

// The intercepts in use: per channel (open and unsubscribe after calibration) and per campaign (goal).
struct ResponseIntercepts {
  std::array<float, kNumChannels> open{}, click{}, unsubscribe{};
  std::vector<float> goal;  // per campaign: logit(CampaignPlan::goal_rate)
};

// The four logits of a typical customer (rho = 0, mean activity, no fatigue, price sensitivity
// `price_sensitivity`) under an arm of campaign c: the planted truth that the factorial analysis of
// the campaign's variants estimates. The goal and click intercepts are the exact logits of the
// configured rates; open and unsubscribe are the calibrated intercepts.
struct TypicalLogits {
  double open = 0, click = 0, goal = 0, unsubscribe = 0;
};
TypicalLogits TypicalCustomerLogits(const ResponseIntercepts& intercepts, const CampaignPlan& plan,
                                    const ArmTreatment& arm, const ResponseParams& rp, double price_sensitivity);

}  // namespace lclab::models
