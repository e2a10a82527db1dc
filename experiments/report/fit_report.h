// The outputs of `lclab fit` (docs/fit.md): the HDF5 file (layout in
// docs/output-format.md "Fit"), the text summary, and the TOML fragment that a
// config includes to simulate the fitted customers (`include = [...]`).
#pragma once

#include <ostream>
#include <string>

#include "experiments/fit/fit_run.h"
#include "sim/error.h"

namespace lclab::experiments {

struct FitInfo {
  std::string command_line;
  double unit_days = 7;
};

// Written atomically. Throws sim::RuntimeError.
void WriteFitResults(const std::string& path, const FitRequest& request, const FitOutcome& fit, const FitInfo& info,
                     const sim::StopFlag* stop = nullptr);
void PrintFit(std::ostream& os, const FitRequest& request, const FitOutcome& fit, const FitInfo& info);
// The population's purchase model ([purchase]: BG/NBD and Gamma-Gamma, alpha in weeks) as TOML.
std::string FitConfigFragment(const FitOutcome& fit, const FitInfo& info);

}  // namespace lclab::experiments
