// What a study's runs say, per cell (docs/studies.md): the leaderboard of
// strategies on the objective with differences from the baseline paired by
// seed, and, with the oracle, the audit of each analysis method (false
// positives, power, coverage, bias, sign and magnitude errors, the regret of
// what it would ship). Pure functions of the plan and the run records.
#pragma once

#include <string>
#include <vector>

#include "experiments/analysis/stats.h"
#include "experiments/study/plan.h"
#include "experiments/study/records.h"

namespace lclab::experiments {

// One strategy in one scenario and axis point.
struct LeaderRow {
  int scenario = 0, point = 0, strategy = 0;
  int n = 0, failed = 0;     // replications with a value of the objective; runs that failed
  Interval objective;        // mean over replications, t interval
  // Against the baseline, paired by seed (replications where both have a value): the mean
  // difference in the objective's better direction, its t interval and two-sided p-value.
  int pairs = 0;
  Interval difference;
  double p_value = 0;
  double se_unpaired = 0;           // the difference's standard error had the runs not shared seeds
  double variance_reduction = 0;    // 1 - (paired se / unpaired se)^2: what common random numbers bought
  double win_share = 0;             // replications in which it was best of all strategies (ties shared)
  double regret = 0;                // the best strategy's mean minus its own, in the better direction
};

// Rates with their Wilson intervals.
struct Rate {
  int hits = 0, n = 0;
  Interval Wilson(double confidence) const;
};

// One method's record on one comparison, over a cell's replications.
struct AuditRow {
  int scenario = 0, point = 0, strategy = 0;
  std::string campaign, arm;
  int kpi = 0, method = 0;
  bool null_effect = false;  // the true effect was 0 in every replication (an A/A comparison)
  int n = 0;
  Rate significant;          // null: false positives; otherwise power (significant, right sign)
  Rate wrong_sign;           // type S: significant with the wrong sign, over significant results
  Rate covered;              // the interval covered the true effect
  double bias = 0;           // mean of estimate - truth
  double exaggeration = 0;   // type M: mean |estimate| / |truth| over significant results (NaN if none)
};

struct DecisionRow {
  int scenario = 0, point = 0, strategy = 0;
  std::string campaign;
  int kpi = 0, method = 0, n = 0;
  Interval regret;           // of the shipped arm, mean and t interval
};

struct StudySummary {
  std::vector<LeaderRow> leaderboard;
  std::vector<AuditRow> audit;
  std::vector<DecisionRow> decisions;
  int runs = 0, failed = 0;
  std::vector<std::string> failures;  // "cell, replication r: error" (at most 20)
};

// `records` in plan order (RunStudy). `confidence` for every interval.
StudySummary Summarise(const StudyConfig& study, const StudyPlan& plan, const std::vector<RunRecord>& records,
                       double confidence = 0.95);

}  // namespace lclab::experiments
