// One `lclab fit` (docs/fit.md): a transaction log summarised and fitted with
// BG/NBD, Pareto/NBD and Gamma-Gamma, with its forecast; and/or a contract
// cohort's survivors fitted with the sBG.
#pragma once

#include <string>
#include <vector>

#include "experiments/fit/fits.h"
#include "experiments/fit/holdout.h"
#include "experiments/fit/transactions.h"

namespace lclab::experiments {

struct FitRequest {
  std::string log_path;        // "" for none
  LogOptions log;
  std::string survival_path;   // "" for none
  double horizon = 52;         // the forecast's horizon without a holdout, in the time unit
};

struct FitOutcome {
  bool has_log = false, has_survival = false;
  LogSummary log;
  MleFit bgnbd, pareto, gamma_gamma;
  double frequency_spend_correlation = 0;
  Forecast forecast;
  std::vector<double> survivors;
  MleFit sbg;
  // True if every fit converged.
  bool Converged() const;
};

// Throws ConfigError for bad input (the log, the survival table), naming file, row and column.
FitOutcome RunFit(const FitRequest& request);

// A survival table: one number per line (survivors after 0, 1, ... periods), optionally after a
// period column ("period,survivors"); a header line is allowed. Throws ConfigError naming the row
// when a count is not a number, is negative, or increases.
std::vector<double> ReadSurvivors(const std::string& path);

}  // namespace lclab::experiments
