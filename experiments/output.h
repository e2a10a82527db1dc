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
};

// Writes the whole result to `path` atomically (temporary file, then rename).
// Throws sim::RuntimeError on I/O failure; leaves no file behind then.
void WriteResults(const std::string& path, const ExperimentConfig& cfg, const RunResult& result,
                  const RunInfo& info);

// Prints the arms and KPI tables.
void PrintSummary(std::ostream& os, const ExperimentConfig& cfg, const RunResult& result, const RunInfo& info);

}  // namespace lclab::experiments
