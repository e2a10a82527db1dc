// The response logits: each formula against its written-out sum, and the
// typical customer's logits (the factorial analysis's planted truth) equal
// the per-customer formulas at rho = 0, no fatigue and mean activity.
#include "models/response.h"

#include <gtest/gtest.h>

#include <cmath>

namespace lclab::models {
namespace {

TEST(Response, FormulasAreTheirSums) {
  EXPECT_DOUBLE_EQ(Logit(0.5), 0.0);
  EXPECT_NEAR(Logit(0.2), std::log(0.25), 1e-15);
  EXPECT_DOUBLE_EQ(OpenLogitBase(-1.0, 0.3, 0.2, 0.5, 2.0), -1.0 + 0.3 + 0.2 - 1.0);
  EXPECT_DOUBLE_EQ(OpenLogit(-1.5, 1.0, 0.7), -0.8);
  EXPECT_DOUBLE_EQ(ClickLogit(-2.0, 0.25), -1.75);
  EXPECT_DOUBLE_EQ(GoalLogit(-1.0, 0.5, 4.0, 0.1, 1.5), -1.0 + 0.5 + 4.0 * 0.1 * 1.5);
  EXPECT_DOUBLE_EQ(UnsubscribeLogit(-6.0, 0.4, 2.0, 0.3, 1.0), -6.0 + 0.8 + 0.3 - 1.0);
}

TEST(Response, TypicalCustomerLogits) {
  ResponseParams rp;
  ResponseIntercepts ic;
  ic.open.fill(-1.25f), ic.unsubscribe.fill(-5.5f), ic.click.fill(-1.9f);
  CampaignPlan plan;
  plan.goal_rate = 0.2;
  ArmTreatment arm;
  arm.channel = Channel::kPush;
  arm.effects = {0.3f, -0.2f, 0.4f, 0.1f};
  arm.incentive = Incentive::kPercentDiscount;
  arm.incentive_value = 0.1f;
  const TypicalLogits t = TypicalCustomerLogits(ic, plan, arm, rp, 1.2);
  EXPECT_FLOAT_EQ(t.open, -1.25f + 0.3f);
  // Click and goal intercepts are the exact logits of the configured rates, not the float intercepts.
  EXPECT_DOUBLE_EQ(t.click, Logit(rp.channels[static_cast<int>(Channel::kPush)].click) + arm.effects.click);
  EXPECT_DOUBLE_EQ(t.goal, Logit(0.2) + arm.effects.goal + rp.incentive_effect * IncentiveStrength(arm, rp) * 1.2);
  EXPECT_FLOAT_EQ(t.unsubscribe, -5.5f + 0.1f);
}

}  // namespace
}  // namespace lclab::models
