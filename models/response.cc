#include "models/response.h"

namespace lclab::models {

TypicalLogits TypicalCustomerLogits(const ResponseIntercepts& intercepts, const CampaignPlan& plan,
                                    const ArmTreatment& arm, const ResponseParams& rp, double price_sensitivity) {
  const int ch = static_cast<int>(arm.channel);
  const Logits& e = arm.effects;
  TypicalLogits t;
  t.open = OpenLogit<float>(OpenLogitBase<float>(intercepts.open[ch], 0.0f, e.open, 0.0f, 0.0f),
                            static_cast<float>(rp.activity_weight), 0.0f);
  t.click = ClickLogit<double>(Logit(rp.channels[ch].click), e.click);
  t.goal = GoalLogit<double>(Logit(plan.goal_rate), e.goal, rp.incentive_effect, IncentiveStrength(arm, rp),
                             price_sensitivity);
  t.unsubscribe = UnsubscribeLogit<float>(intercepts.unsubscribe[ch], static_cast<float>(rp.unsubscribe_fatigue),
                                          0.0f, e.unsubscribe, 0.0f);
  return t;
}

}  // namespace lclab::models
