// Runs an experiment config: sets up the population, steps the days with the
// daily analysis, then hands the tallies to the campaign and programme
// analysis and, with --oracle, replays the arms for the truth. Orchestration
// only: the statistics live in experiments/analysis/, the steps of the
// analysis in campaign_analysis.h, daily_analysis.h and oracle.h.
#pragma once

#include <atomic>
#include <functional>

#include "experiments/config/config.h"
#include "experiments/results.h"
#include "models/population.h"
#include "models/simulator.h"
#include "sim/error.h"
#include "sim/progress.h"

namespace lclab::experiments {

struct RunOptions {
  int threads = 1;                                      // >= 1
  sim::Progress::Mode progress = sim::Progress::Mode::kAuto;
  const sim::StopFlag* stop = nullptr;                  // when set and nonzero, the run throws sim::Interrupted
  // Replays every customer under every arm of every campaign (common random numbers) and reports the
  // true effects beside the estimates. Costs one more simulation per arm (docs/statistics.md "Ground truth").
  bool oracle = false;
  // Split the population over the processes of an MPI job (`mpirun -np K lclab run`): each holds a
  // slice of whole shards, and the results are bit for bit one process's (docs/cluster.md).
  bool distributed = false;
  // Called after the arms are assigned, before the customers are drawn (tests use it to break the assignment).
  std::function<void(models::Population&)> after_assignment;
};

// The set-up of a run, the same for the real run and every replay: allocates the population's columns,
// assigns the global control and every campaign's arms, then draws every customer (Simulator::Generate).
void PreparePopulation(const ExperimentConfig& cfg, models::Simulator& sim, models::Population& pop,
                       const RunOptions& options);

// REQUIRES: cfg from LoadConfig.
RunResult RunExperiment(const ExperimentConfig& cfg, const RunOptions& options);

// The memory a run of cfg needs at its peak, in bytes: the population's columns, the daily tallies,
// the daily looks' per-customer values, and the per-shard sums of the analysis; with the oracle, a second population (the replays' shared
// start beside the replay). `bytes_per_customer` receives the columns' share.
double EstimateRunBytes(const ExperimentConfig& cfg, std::size_t* bytes_per_customer = nullptr, bool oracle = false);

}  // namespace lclab::experiments
