// What an arm's incentive is worth and what the arm costs: the incentive's
// strength in the goal logit, money per goal conversion and per send, and the
// per-campaign cost table built from them.
#include "models/campaign.h"

#include <gtest/gtest.h>

namespace lclab::models {
namespace {

ArmTreatment Arm(Channel ch, Incentive inc, float value, bool holdout = false) {
  ArmTreatment a;
  a.channel = ch, a.incentive = inc, a.incentive_value = value, a.holdout = holdout;
  return a;
}

TEST(Campaign, IncentiveStrengthIsAFractionOfATypicalOrder) {
  const ResponseParams rp;  // reference value 35.2
  EXPECT_DOUBLE_EQ(IncentiveStrength(Arm(Channel::kEmail, Incentive::kPercentDiscount, 0.25f), rp), 0.25);
  EXPECT_DOUBLE_EQ(IncentiveStrength(Arm(Channel::kEmail, Incentive::kFreeShipping, 8.8f), rp), 8.8f / 35.2);
  EXPECT_DOUBLE_EQ(IncentiveStrength(Arm(Channel::kEmail, Incentive::kPoints, 17.6f), rp), 17.6f / 35.2);
  EXPECT_EQ(IncentiveStrength(Arm(Channel::kEmail, Incentive::kNone, 5.0f), rp), 0.0);
}

TEST(Campaign, CostsPerSendAndPerGoal) {
  ResponseParams rp;
  rp.channels[static_cast<int>(Channel::kSms)].cost = 0.0075;
  rp.points_redemption = 0.7;
  EXPECT_DOUBLE_EQ(CostPerSend(Arm(Channel::kSms, Incentive::kNone, 0), rp), 0.0075);
  EXPECT_EQ(CostPerSend(Arm(Channel::kSms, Incentive::kNone, 0, /*holdout=*/true), rp), 0.0);
  // A discount is taken off the order, not paid per goal; shipping is paid; points are paid as redeemed.
  EXPECT_EQ(IncentiveCostPerGoal(Arm(Channel::kEmail, Incentive::kPercentDiscount, 0.1f), rp), 0.0);
  EXPECT_DOUBLE_EQ(IncentiveCostPerGoal(Arm(Channel::kEmail, Incentive::kFreeShipping, 5.0f), rp), 5.0);
  EXPECT_DOUBLE_EQ(IncentiveCostPerGoal(Arm(Channel::kEmail, Incentive::kPoints, 10.0f), rp), 7.0);
  EXPECT_EQ(IncentiveCostPerGoal(Arm(Channel::kEmail, Incentive::kPoints, 10.0f, true), rp), 0.0);
}

TEST(Campaign, CostTableHasEveryArmOfEveryCampaign) {
  ResponseParams rp;
  Programme p;
  p.campaigns.resize(2);
  p.campaigns[0].arms = {Arm(Channel::kEmail, Incentive::kNone, 0, true), Arm(Channel::kSms, Incentive::kFreeShipping, 4)};
  p.campaigns[1].arms = {Arm(Channel::kPush, Incentive::kPoints, 2)};
  const auto costs = ArmCosts(p, rp);
  ASSERT_EQ(costs.size(), 2u);
  ASSERT_EQ(costs[0].size(), 2u);
  ASSERT_EQ(costs[1].size(), 1u);
  EXPECT_EQ(costs[0][0].per_send, 0.0);
  EXPECT_DOUBLE_EQ(costs[0][1].per_send, rp.channels[static_cast<int>(Channel::kSms)].cost);
  EXPECT_DOUBLE_EQ(costs[0][1].per_goal, 4.0);
  EXPECT_DOUBLE_EQ(costs[1][0].per_goal, 2.0 * rp.points_redemption);
}

}  // namespace
}  // namespace lclab::models
