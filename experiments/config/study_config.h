// A study file (docs/studies.md): a base experiment config, the strategies to
// compare, the scenarios and axes they are compared under, and how many
// replications each cell gets. Read and checked here like an experiment
// config: every mistake names the study file, the key, the value and what was
// expected. The cells' configs themselves are loaded (and so checked) by the
// plan (experiments/study/plan.h).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "experiments/config/config.h"

namespace lclab::experiments {

// A named set of overrides of the base config: a strategy or a scenario.
struct StudyVariant {
  std::string name;
  std::vector<NamedOverride> overrides;
};

// An axis: one or more config keys varied together over `points` values each.
struct StudyAxis {
  std::string name;
  std::vector<std::string> keys;
  std::vector<std::vector<std::string>> values;  // [point][key]: the value as TOML text
  std::vector<std::vector<double>> numbers;      // [point][key]: the value if a number, else NaN
  std::vector<int> strategies;                   // the strategies it applies to (all by default)
  std::string origin;                            // "study.toml: study.axes[0] \"discount\"", for messages
};

enum class AxesMode { kCross, kZip };
inline constexpr std::array<const char*, 2> kAxesModeNames = {"cross", "zip"};

struct StudyConfig {
  std::string path;          // the study file as given
  std::string text;          // its text, after --set overrides of study keys
  std::string name;          // study.name
  std::string base_name;     // the base config's name in messages (its path, or "<study> [base]")
  std::string base_text;     // the base config's TOML text
  std::uint64_t seed = 1;    // study.seed: the replications' seeds derive from it
  int replications = 1;      // per cell, >= 1
  std::vector<NamedOverride> common;    // study.set, then --set keys outside [study]: every run
  std::vector<StudyVariant> strategies;  // >= 1, distinct names
  std::vector<StudyVariant> scenarios;   // >= 1 ("default" with no overrides if none is given)
  std::vector<StudyAxis> axes;
  AxesMode axes_mode = AxesMode::kCross;
  int objective = 0;                     // programme KPI (models::ProgrammeKpiDefinitions())
  bool higher_is_better = true;          // the objective's direction
  int baseline = 0;                      // strategy index
  std::vector<int> collect;              // programme KPIs recorded per run (the objective first)
  std::int64_t max_runs = 2000;          // a larger plan needs --yes
  bool keep_runs = false;                // write each run's own HDF5 file
  bool oracle = false;                   // replay every run's arms (--oracle) for the audit
};

// Reads `path`; `sets` are --set overrides: keys under "study." change the study file, any other key
// changes every run's config (after study.set). Throws ConfigError.
StudyConfig LoadStudy(const std::string& path, const std::vector<std::string>& sets);

// The seed of replication r: a hash of (study seed, r), below 2^53, the same for every cell.
std::uint64_t ReplicationSeed(std::uint64_t study_seed, int replication);

}  // namespace lclab::experiments
