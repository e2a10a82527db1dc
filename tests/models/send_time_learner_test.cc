// What the send-time policies learn from the audience: the most frequent
// event hour, each cell's best hour by the smoothed open rate (opens + 1) /
// (deliveries + 2), the empirical-Bayes concentrations, and a reset at day 0.
#include "models/send_time_learner.h"

#include <gtest/gtest.h>

#include <cmath>

#include "models/send_time.h"

namespace lclab::models {
namespace {

TEST(SendTimeLearner, StartsWithNothingLearned) {
  SendTimeLearner learner(2);
  const SendTimeState& s = learner.Update();
  EXPECT_EQ(s.audience_hour, -1);
  EXPECT_EQ(s.explore_best, (std::vector<int>{-1, -1}));
  EXPECT_EQ(s.kappa_within, 1.0);
  EXPECT_EQ(s.kappa_between, 1.0);
}

TEST(SendTimeLearner, AudienceHourAndExploreBest) {
  SendTimeLearner learner(2);
  DayTally day(2);
  day.event_hours[8] = 30, day.event_hours[9] = 50, day.event_hours[20] = 10;
  // Cell 0: 9:00 has 10 of 100 opened, 14:00 has 3 of 10: smoothed 11/102 against 4/12, so 14:00 wins.
  constexpr std::size_t kOpen = DayTally::kOpenBins, kCell1 = DayTally::kHourBins;
  day.hours[9] = 100, day.hours[kOpen + 9] = 10, day.hours[14] = 10, day.hours[kOpen + 14] = 3;
  // Cell 1: only 7:00 delivered.
  day.hours[kCell1 + 7] = 5;
  learner.Add(day);
  const SendTimeState& s = learner.Update();
  EXPECT_EQ(s.audience_hour, 9);
  EXPECT_EQ(s.explore_best, (std::vector<int>{14, 7}));
  learner.Add(day);  // days accumulate; the best hours stay
  EXPECT_EQ(learner.Update().explore_best, (std::vector<int>{14, 7}));
  learner.Reset();
  EXPECT_EQ(learner.Update().audience_hour, -1);
}

// Events concentrated around one hour (history dot products near the history weight) give a large
// within-customer concentration; the audience's mean direction is the events' mean angle.
TEST(SendTimeLearner, EmpiricalBayesConcentrations) {
  SendTimeLearner learner(0);
  DayTally day(0);
  day.event_hours[6] = 100;
  day.history_weight = 200, day.history_dot = 0.9 * 200;  // E[u.S] / W = A1(kappa_within)^2 = 0.9
  learner.Add(day);
  const SendTimeState& s = learner.Update();
  EXPECT_NEAR(s.kappa_within, A1Inverse(std::sqrt(0.9)), 1e-12);
  EXPECT_NEAR(s.audience_angle, HourToAngle(6), 1e-12);
  // All events at one hour: the pooled resultant length is 1 = A1(within) A1(between), capped below 1.
  EXPECT_NEAR(s.kappa_between, A1Inverse(0.998), 1e-9);
}

}  // namespace
}  // namespace lclab::models
