// The analysis of one campaign while its window runs, after each day: the
// primary KPIs' moments for the always-valid (mixture SPRT) looks against the
// control, and for a Thompson campaign the allocation the next day's entrants
// are drawn with (docs/statistics.md "Sequential analysis", "Adaptive
// allocation"). The looks are computed when the window ends, with the
// mixture tuned to the customers who entered (unless sequential_customers
// fixes it), and adjusted for multiplicity over every series day by day.
#pragma once

#include <vector>

#include "experiments/config/config.h"
#include "experiments/results.h"
#include "experiments/tally.h"
#include "models/population.h"
#include "models/simulator.h"

namespace lclab::experiments {

// True when campaign c's daily looks update yesterday's sums from the customers stepped today instead of
// summing over every entered customer: the sequential analysis is on, every KPI looked at is a stepped
// share (models::IsSteppedShare), and the allocation is fixed (Thompson weights each customer by its
// entry day's shares). Such a look keeps a byte per customer for each of those KPIs.
bool LooksUpdateTheirSums(const ExperimentConfig& cfg, int c);

class DailyAnalysis {
 public:
  // REQUIRES: pop assigned (the global control is known). `incremental` false: every look sums over
  // every entered customer even when it could update the sums (the reference the tests compare with).
  DailyAnalysis(const ExperimentConfig& cfg, int campaign, const models::Population& pop, bool incremental = true);
  // LooksUpdateTheirSums, unless constructed with `incremental` false.
  bool incremental() const { return incremental_; }

  // The allocation in force (normalised weights per arm).
  const std::vector<double>& weights() const { return weights_; }

  // After window day `day` has been stepped: records the day's allocation, looks at the primary KPIs,
  // and for a Thompson campaign sets the next days' allocation in `sim`.
  void Update(const models::Population& pop, int day, int threads, models::Simulator& sim);

  // The daily series (looked at now, for every window day recorded) and the allocation record.
  std::vector<SequentialSeries> TakeSeries();
  AllocationResult TakeAllocation() { return std::move(allocation_); }

 private:
  // One series' arms on one day.
  struct Day {
    Moments treatment, control;
  };
  // One shard's changes to the looked-at KPIs' sums: customers counted and y = 1, [q * arms + a] for
  // kpis_[q]. Integers, so they merge exactly in any order.
  struct Changes {
    std::vector<std::int64_t> n, y;
    void Merge(const Changes& o);
    void Save(sim::ByteWriter& w) const;
    void Load(sim::ByteReader& r);
  };
  Changes ChangesToday(const models::Population& pop, int day, int threads);
  void ApplyChanges(const Changes& changes);
  void Record(const CampaignTally& tally);
  void Reallocate(const CampaignTally& tally, int day, models::Simulator& sim);
  void Look(SequentialSeries& s, const std::vector<Day>& days, double n_star) const;
  void AdjustAndDecide();

  const ExperimentConfig& cfg_;
  int campaign_;
  std::vector<int> kpis_;        // KPIs summed each day
  std::vector<SequentialSeries> series_;
  std::vector<std::vector<Day>> days_;  // per series, per window day so far
  double eligible_ = 0;          // sequential_customers x the pair's share, when set
  std::vector<double> weights_;     // the allocation in force (normalised)
  std::vector<double> configured_;  // the config's weights (normalised), for sequential_customers
  AllocationResult allocation_;
  bool incremental_ = false;
  CampaignTally sums_;                        // incremental: the KPIs' sums as of the last look
  std::vector<std::vector<std::uint8_t>> last_;  // incremental: per KPI, each customer's value in sums_
                                              // (bit 0: counted, bit 1: y = 1)
  std::vector<Changes> shard_changes_;            // incremental: each shard's Changes, kept between days
  std::vector<CampaignTally> shard_tallies_;      // full sums: each shard's tally, kept between days
};

}  // namespace lclab::experiments
