// Randomised assignment of a population: the global control group and every
// campaign's fixed split, by hashing (salt, customer id) with
// models::Allocation, so it is stable and independent of the thread count.
// (Adaptive campaigns draw their arm on entry in the model.)
#pragma once

#include "experiments/config/config.h"
#include "models/population.h"

namespace lclab::experiments {

// Sets the kFlagGlobalControl bit and every campaign's arm column. REQUIRES: pop allocated for cfg.
void AssignArms(const ExperimentConfig& cfg, models::Population& pop, int threads);

}  // namespace lclab::experiments
