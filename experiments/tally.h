// Sums over customers that the analysis starts from: per arm, the moments of
// a campaign's KPIs over the customers who entered it; per programme group,
// the moments of the programme KPIs. Each is one sharded reduction over the
// population, merged in shard order (sim::ShardedReduce).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "experiments/analysis/stats.h"
#include "experiments/config/config.h"
#include "models/kpi.h"
#include "models/population.h"
#include "models/tally.h"
#include "sim/bytes.h"

namespace lclab::experiments {

// Per-arm sums of a campaign's KPIs over the customers who entered it (global control excluded).
struct CampaignTally {
  int arms = 0;
  std::vector<Moments> kpi, cov;   // [k * arms + a]: (y, x) and (y, the pre-period covariate)
  std::vector<Moments> ipw;        // adaptive allocation: (y / pi, x / pi), pi the arm's share on the entry day
  std::vector<Moments> segment;    // [persona * arms + a]: the best_by KPI as (y / pi, x / pi)
  std::vector<double> movable;     // [k * arms + a]: customers whose value of KPI k could move in the window
  std::vector<std::int64_t> assigned, entered;
  std::vector<double> revenue;     // revenue after entry

  // Zero sums; `personas` 0 leaves out the per-persona sums.
  CampaignTally(int arms = 0, int personas = 0);
  void Merge(const CampaignTally& o);
  // As bytes and back, for the processes of an MPI job (sim::SliceReduce).
  void Save(sim::ByteWriter& w) const;
  void Load(sim::ByteReader& r);
  const Moments& Kpi(int k, int a) const { return kpi[static_cast<std::size_t>(k) * arms + a]; }
};

// Whether customer i counts in campaign `col`'s sums: entered, and not in the programme's global control.
inline bool InCampaignSums(const models::Population& p, const models::CampaignColumns& col, std::size_t i) {
  return (col.entered_day[i] != models::kNever) & !(p.flags[i] & models::kFlagGlobalControl);
}

// Sums campaign c's KPIs as of the end of `day`. With `kpis` empty: every KPI's (y, x) and covariate
// moments and movable counts, plus the revenue and per-persona sums (the final analysis). With `kpis`
// given: only those KPIs' (y, x) moments and the entered counts (a daily look, a pilot). With `shares` (an adaptive
// allocation's weights, [window day * arms + arm]) also the inverse-probability-weighted sums.
// `scratch`, when given, keeps the shards' tallies between calls (a daily look).
CampaignTally TallyCampaign(const ExperimentConfig& cfg, const models::Population& pop, int campaign, int day,
                            int threads, const std::vector<int>& kpis, const std::vector<double>* shares = nullptr,
                            std::vector<CampaignTally>* scratch = nullptr);

// Per programme group (models::kGroupNames): the programme KPIs' moments and the money.
struct ProgrammeTally {
  static constexpr int G = models::kNumGroups;
  std::vector<Moments> kpi, cov;  // [k * G + g]
  std::vector<double> movable;    // [k * G + g]: customers whose value of KPI k could move in the window
  std::array<std::int64_t, G> customers{}, messages{};
  std::array<double, G> message_cost{}, incentive_cost{}, revenue{};

  ProgrammeTally();
  void Merge(const ProgrammeTally& o);
  void Save(sim::ByteWriter& w) const;
  void Load(sim::ByteReader& r);
};

ProgrammeTally TallyProgramme(const ExperimentConfig& cfg, const models::Population& pop, int threads);

}  // namespace lclab::experiments
