// What a study keeps of each run: the collected programme KPIs over the whole
// population and, with the oracle, one audit record per primary comparison
// and analysis method, and the regret of the decision each method would have
// shipped. Small, so that a study's memory does not grow with its runs' size.
#pragma once

#include <string>
#include <vector>

#include "experiments/config/study_config.h"
#include "experiments/results.h"

namespace lclab::experiments {

// The analysis methods a study audits (docs/studies.md "Audit").
enum class AuditMethod : int { kFixed = 0, kCuped, kSequential, kThompson };
inline constexpr const char* kAuditMethodNames[] = {"fixed_horizon", "cuped", "sequential", "thompson"};

// One primary KPI of one arm against its campaign's control, as one method saw it, beside the truth.
struct AuditRecord {
  std::string campaign;
  int kpi = 0;              // campaign KPI
  std::string arm;
  int method = 0;           // AuditMethod
  double estimate = 0, low = 0, high = 0;  // the lift and its interval (sequential: the last day's)
  double p_value = 0;
  int decision = 0;         // +1 / -1: significant in that direction (sequential: decided), 0: not
  double true_effect = 0;   // the oracle's
};

// The regret of what a method would have shipped in one campaign: the arm with the best significant
// improvement of the first primary KPI (else the control), against the truly best arm.
struct DecisionRecord {
  std::string campaign;
  int kpi = 0;              // the campaign's first primary KPI
  int method = 0;
  std::string shipped;
  double regret = 0;        // in the KPI's units, >= 0
};

struct RunRecord {
  std::string id;
  bool ok = false;
  std::string error;        // when not ok
  double seconds = 0;
  std::vector<double> metrics;  // per StudyConfig::collect: the value over the whole population
  std::vector<AuditRecord> audit;
  std::vector<DecisionRecord> decisions;
};

// The record of a finished run (audit and decisions only with the oracle).
RunRecord RecordOf(const StudyConfig& study, const ExperimentConfig& cfg, const RunResult& result);

}  // namespace lclab::experiments
