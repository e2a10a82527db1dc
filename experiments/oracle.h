// Ground truth (--oracle): every campaign replayed once per arm with every
// customer forced into that arm, with the same random draws (common random
// numbers) in the real run's recorded environment, so a counterfactual
// differs from the real run only through the treatment (docs/statistics.md
// "Ground truth"). The true values fill the KPI rows beside the estimates. The days before the first
// campaign's window are the same in every replay, so they are stepped once and shared.
#pragma once

#include <vector>

#include "experiments/config/config.h"
#include "experiments/results.h"
#include "models/simulator.h"

namespace lclab::experiments {

struct RunOptions;

// Replays every campaign's arms and fills, in `r`, the true values and effects, whether the intervals
// covered them, and the allocation's truth. `environment` is the real run's (Simulator::environment()).
void ReplayOracle(const ExperimentConfig& cfg, const RunOptions& options,
                  const std::vector<models::Environment>& environment, RunResult& r);

}  // namespace lclab::experiments
