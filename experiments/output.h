// Writing a run to HDF5 (layout in docs/output-format.md) and the summary
// table on stdout.
#pragma once

#include <ostream>
#include <string>

#include "experiments/config.h"
#include "experiments/runner.h"

namespace lclab::experiments {

struct RunInfo {
  std::string command_line;  // as typed
  int threads = 1;
  bool full_summary = false;  // every KPI in the summary, not only the headline ones
};

// Writes the whole result to `path` atomically (temporary file, then rename).
// Throws sim::RuntimeError on I/O failure; leaves no file behind then.
void WriteResults(const std::string& path, const ExperimentConfig& cfg, const RunResult& result,
                  const RunInfo& info);

// Prints, per campaign, the arms, KPIs, factorial effects and best variants;
// then the programme against its global control.
void PrintSummary(std::ostream& os, const ExperimentConfig& cfg, const RunResult& result, const RunInfo& info);

}  // namespace lclab::experiments
