#include "models/tally.h"

namespace lclab::models {

void GroupDay::Merge(const GroupDay& o) {
  for (int s = 0; s < kNumStages; ++s) stage[s] += o.stage[s];
  for (int e = 0; e < kNumEngagement; ++e) engagement[e] += o.engagement[e];
  alive += o.alive, visits += o.visits, bounces += o.bounces, orders += o.orders, revenue += o.revenue;
  discount += o.discount, referrals += o.referrals, messages += o.messages;
}

void CellDay::Merge(const CellDay& o) {
  triggers += o.triggers, entered += o.entered, sends += o.sends, unreachable += o.unreachable;
  suppressed += o.suppressed, deliveries += o.deliveries, opens += o.opens, clicks += o.clicks, goals += o.goals;
  unsubscribes += o.unsubscribes, fatigue += o.fatigue, discount += o.discount, incentive_cost += o.incentive_cost;
  message_cost += o.message_cost;
  deferred += o.deferred, near_best += o.near_best, from_history += o.from_history;
  expected_opens += o.expected_opens, oracle_opens += o.oracle_opens;
}

DayTally::DayTally(int num_cells)
    : cells(static_cast<std::size_t>(num_cells)), hours(static_cast<std::size_t>(num_cells) * kHourBins, 0) {}

void DayTally::Merge(const DayTally& o) {
  for (int g = 0; g < kNumGroups; ++g) groups[g].Merge(o.groups[g]);
  for (std::size_t c = 0; c < cells.size(); ++c) cells[c].Merge(o.cells[c]);
  for (std::size_t k = 0; k < hours.size(); ++k) hours[k] += o.hours[k];
  for (int h = 0; h < 24; ++h) event_hours[h] += o.event_hours[h];
  history_dot += o.history_dot, history_weight += o.history_weight;
  adopters += o.adopters, prospects += o.prospects;
}

std::int64_t DayTally::referrals() const {
  std::int64_t r = 0;
  for (const GroupDay& g : groups) r += g.referrals;
  return r;
}

void StandingTally::AddTo(DayTally& t) const {
  for (int g = 0; g < kNumGroups; ++g) {
    for (int s = 0; s < kNumStages; ++s) t.groups[g].stage[s] += groups[g].stage[s];
    for (int e = 0; e < kNumEngagement; ++e) t.groups[g].engagement[e] += groups[g].engagement[e];
    t.groups[g].alive += groups[g].alive;
  }
  t.adopters += adopters, t.prospects += prospects;
}

void DayTally::Save(sim::ByteWriter& w) const {
  w.Put(groups);
  w.PutVector(cells);
  w.PutVector(hours);
  w.Put(event_hours);
  w.Put(history_dot), w.Put(history_weight), w.Put(adopters), w.Put(prospects);
}

void DayTally::Load(sim::ByteReader& r) {
  r.Get(groups);
  r.GetVector(cells);
  r.GetVector(hours);
  r.Get(event_hours);
  r.Get(history_dot), r.Get(history_weight), r.Get(adopters), r.Get(prospects);
}

}  // namespace lclab::models
