// What the send-time policies learn from the whole audience, day by day:
// the audience's most frequent engagement hour and its mean direction, the
// empirical-Bayes concentrations of the best-hour posterior, and each arm's
// explore-then-exploit hour (docs/model.md "Send time"). A day's state reads
// only the days before it, so it is the same for any thread count.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/tally.h"

namespace lclab::models {

// The learned state one day's messages are sent with.
struct SendTimeState {
  int audience_hour = -1;       // most frequent event hour so far, -1 if none
  double audience_angle = 0;    // mean direction of the events so far (the posterior prior's centre), radians
  // Empirical Bayes: a customer's events scatter around the customer's best hour with concentration
  // kappa_within, and customers' best hours around the audience's hour with kappa_between.
  double kappa_within = 1, kappa_between = 1;
  std::vector<int> explore_best;  // per cell: best local hour by open rate so far, -1 if none
};

class SendTimeLearner {
 public:
  explicit SendTimeLearner(int num_cells = 0);
  // Forgets every day so far (the state's concentrations are kept until there are events again).
  void Reset();
  // The state for the next day, from the days added so far.
  const SendTimeState& Update();
  // Adds a finished day's deliveries and opens by hour and its engagement events.
  void Add(const DayTally& day);

 private:
  void UpdateConcentrations();
  void UpdateExploreBest();

  SendTimeState state_;
  std::vector<std::int64_t> hour_totals_;  // DayTally::hours summed over the days so far
  std::array<std::int64_t, 24> event_hour_totals_{};
  double history_dot_total_ = 0, history_weight_total_ = 0;
};

}  // namespace lclab::models
