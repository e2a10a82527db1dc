// Experiment configs: TOML files (docs/config.md) loaded, validated and
// resolved into the value types the model and the runner use.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/campaign.h"
#include "models/params.h"
#include "sim/clock.h"

namespace lclab::experiments {

struct ArmConfig {
  std::string name;                 // unique
  double weight = 1.0;              // allocation weight, > 0
  models::ArmTreatment treatment;   // what the arm does
};

struct ExperimentConfig {
  std::string path;                 // the config file as given
  std::string resolved_toml;        // the whole config after overrides, with every default filled in
  std::uint64_t seed = 1;           // simulation.seed (or --seed)
  std::size_t population_size = 0;  // population.size
  sim::DayClock clock;              // simulation.warmup_days, simulation.days
  models::ModelParams model;
  std::string campaign_name;
  models::CampaignPlan plan;        // enabled, arms filled from `arms`
  std::string experiment_name;
  std::string salt;                 // assignment salt
  std::vector<ArmConfig> arms;      // >= 2
  int control_arm = 0;              // index into arms
  double confidence = 0.95;         // confidence level of intervals, (0.5, 1)
};

// Loads and validates `path`, applying `overrides` ("key.path=value", values
// in TOML syntax, bare words taken as strings) and then `seed_override` if
// it is set. Throws sim::ConfigError naming the file (or --set), the key path,
// the value and what was expected.
ExperimentConfig LoadConfig(const std::string& path, const std::vector<std::string>& overrides,
                            const std::int64_t* seed_override = nullptr);

// Same, from text (for tests); `name` stands in for the file name in messages.
ExperimentConfig LoadConfigText(const std::string& text, const std::string& name,
                                const std::vector<std::string>& overrides,
                                const std::int64_t* seed_override = nullptr);

}  // namespace lclab::experiments
