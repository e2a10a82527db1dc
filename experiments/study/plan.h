// A study's plan: its cells (strategy x scenario x axis point) and runs (cell x
// replication), each run with its seed and id. Planning loads every cell's
// config, so a study with a bad key fails here, before any run starts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "experiments/config/study_config.h"

namespace lclab::experiments {

// One combination of the study's conditions.
struct StudyCell {
  int strategy = 0, scenario = 0, point = 0;
  std::string resolved_toml;  // the cell's config, every default filled in (seed aside)
  double customer_days = 0;   // per run: customers x days (x (1 + arms) with the oracle)
  double peak_bytes = 0;      // per run: EstimateRunBytes
};

struct PlannedRun {
  int index = 0;         // position in the plan: replication-major, so early replications finish first
  int cell = 0;
  int replication = 0;
  std::uint64_t seed = 0;
  std::string id;        // hash of the cell's config, the seed and lclab's build: equal ids are one run
};

struct StudyPlan {
  std::vector<std::vector<int>> points;  // [point][axis]: the value index of each axis (cross or zip)
  std::vector<StudyCell> cells;          // strategy-minor, then scenario, then point
  std::vector<PlannedRun> runs;
  int distinct_runs = 0;                 // runs with distinct ids (the ones executed)
  std::string hash;                      // of every run id in order: changes with the study or the build
  double customer_days = 0;              // over distinct runs
  double peak_bytes = 0;                 // the largest run's
  int Cell(int strategy, int scenario, int point, int strategies, int scenarios) const {
    return (point * scenarios + scenario) * strategies + strategy;
  }
};

// Expands and checks the study. Throws ConfigError naming the study file and the key at fault.
StudyPlan PlanStudy(const StudyConfig& study);

// The overrides of a cell, in the order they apply: study.set and --set, the scenario, the strategy,
// then the axis points (an axis applies only to its strategies).
std::vector<NamedOverride> CellOverrides(const StudyConfig& study, const StudyPlan& plan, int cell);
// The config of a run. REQUIRES: the plan checked it.
ExperimentConfig RunConfig(const StudyConfig& study, const StudyPlan& plan, const PlannedRun& run);
// "strategy / scenario / axis=value, ..." for messages.
std::string CellLabel(const StudyConfig& study, const StudyPlan& plan, int cell);

}  // namespace lclab::experiments
