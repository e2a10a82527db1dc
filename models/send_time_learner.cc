#include "models/send_time_learner.h"

#include <algorithm>
#include <cmath>

#include "models/send_time.h"

namespace lclab::models {

SendTimeLearner::SendTimeLearner(int num_cells) : hour_totals_(static_cast<std::size_t>(num_cells) * DayTally::kHourBins, 0) {
  state_.explore_best.assign(num_cells, -1);
}

void SendTimeLearner::Reset() {
  hour_totals_.assign(hour_totals_.size(), 0);
  event_hour_totals_.fill(0);
  history_dot_total_ = history_weight_total_ = 0;
}

const SendTimeState& SendTimeLearner::Update() {
  state_.audience_hour = -1;
  for (int h = 0; h < 24; ++h)
    if (event_hour_totals_[h] > 0 &&
        (state_.audience_hour < 0 || event_hour_totals_[h] > event_hour_totals_[state_.audience_hour]))
      state_.audience_hour = h;
  UpdateConcentrations();
  UpdateExploreBest();
  return state_;
}

// Empirical Bayes: E[u . S] = A1(kappa_within)^2 W for an event u and the history S of weight W
// before it, and the pooled events' mean resultant length is A1(kappa_within) A1(kappa_between).
void SendTimeLearner::UpdateConcentrations() {
  if (history_weight_total_ <= 0) return;
  const double a_within = std::sqrt(std::clamp(history_dot_total_ / history_weight_total_, 1e-6, 0.998));
  double cx = 0, cy = 0, n = 0;
  for (int h = 0; h < 24; ++h) {
    const double k = static_cast<double>(event_hour_totals_[h]);
    cx += k * std::cos(HourToAngle(h)), cy += k * std::sin(HourToAngle(h)), n += k;
  }
  const double a_between = std::clamp(std::sqrt(cx * cx + cy * cy) / n / a_within, 1e-6, 0.998);
  state_.audience_angle = std::atan2(cy, cx);
  state_.kappa_within = A1Inverse(a_within);
  state_.kappa_between = A1Inverse(a_between);
}

// Each cell's best local hour so far by the smoothed open rate (opens + 1) / (deliveries + 2).
void SendTimeLearner::UpdateExploreBest() {
  for (std::size_t cell = 0; cell < state_.explore_best.size(); ++cell) {
    const std::int64_t* deliveries = &hour_totals_[cell * DayTally::kHourBins + DayTally::kDeliveryBins];
    const std::int64_t* opens = &hour_totals_[cell * DayTally::kHourBins + DayTally::kOpenBins];
    int best = -1;
    double best_rate = -1;
    for (int h = 0; h < 24; ++h) {
      if (deliveries[h] == 0) continue;
      const double rate = (static_cast<double>(opens[h]) + 1.0) / (static_cast<double>(deliveries[h]) + 2.0);
      if (rate > best_rate) best = h, best_rate = rate;
    }
    state_.explore_best[cell] = best;
  }
}

void SendTimeLearner::Add(const DayTally& day) {
  for (std::size_t k = 0; k < hour_totals_.size(); ++k) hour_totals_[k] += day.hours[k];
  for (int h = 0; h < 24; ++h) event_hour_totals_[h] += day.event_hours[h];
  history_dot_total_ += day.history_dot, history_weight_total_ += day.history_weight;
}

}  // namespace lclab::models
