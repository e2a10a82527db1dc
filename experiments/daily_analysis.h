// The analysis of one campaign while its window runs, after each day: the
// always-valid (mixture SPRT) look at every primary KPI against the control,
// and for a Thompson campaign the allocation the next day's entrants are
// drawn with (docs/statistics.md "Sequential testing", "Adaptive allocation").
#pragma once

#include <vector>

#include "experiments/config/config.h"
#include "experiments/results.h"
#include "experiments/tally.h"
#include "models/population.h"
#include "models/simulator.h"

namespace lclab::experiments {

class DailyAnalysis {
 public:
  // REQUIRES: pop assigned (the global control is known).
  DailyAnalysis(const ExperimentConfig& cfg, int campaign, const models::Population& pop);

  // The allocation in force (normalised weights per arm).
  const std::vector<double>& weights() const { return weights_; }

  // After window day `day` has been stepped: records the day's allocation, looks at the primary KPIs,
  // and for a Thompson campaign sets the next days' allocation in `sim`.
  void Update(const models::Population& pop, int day, int threads, models::Simulator& sim);

  // The daily series and the allocation record, for the campaign's result.
  std::vector<SequentialSeries> TakeSeries() { return std::move(series_); }
  AllocationResult TakeAllocation() { return std::move(allocation_); }

 private:
  void Look(const CampaignTally& tally, int window_day);
  void Reallocate(const CampaignTally& tally, int day, models::Simulator& sim);

  const ExperimentConfig& cfg_;
  int campaign_;
  std::vector<int> kpis_;        // KPIs summed each day
  std::vector<SequentialSeries> series_;
  std::vector<double> n_star_;   // per series: customers at which the sequence is tightest
  std::vector<double> weights_;  // the allocation in force (normalised)
  AllocationResult allocation_;
};

}  // namespace lclab::experiments
