// The summary a run prints on stdout: per campaign its arms, the headline
// KPIs with lifts and intervals, the factorial effects, the decision block,
// the send-time tables and the best variants; then the programme against its
// global control.
#pragma once

#include <ostream>

#include "experiments/config/config.h"
#include "experiments/report/hdf5_report.h"
#include "experiments/results.h"

namespace lclab::experiments {

void PrintSummary(std::ostream& os, const ExperimentConfig& cfg, const RunResult& result, const RunInfo& info);

}  // namespace lclab::experiments
