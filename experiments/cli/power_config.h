// lclab power CONFIG: the power of a config's experiment from a pilot of its world
// (experiments/pilot.h), in population.size and window days.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "experiments/pilot.h"

namespace lclab::experiments {

struct PowerConfigRequest {
  std::string config;
  std::vector<std::string> sets;
  std::optional<std::int64_t> seed;
  int threads = 1;
  std::int64_t pilot_size = 0;   // 0: min(population.size, 50,000)
  std::optional<double> alpha;   // unset: 1 - programme.confidence
  PowerAsk ask;
};

// Runs the pilot and prints, per campaign and primary KPI, the plan. Throws ConfigError.
int PowerFromConfig(const PowerConfigRequest& q);

}  // namespace lclab::experiments
