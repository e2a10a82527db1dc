// Writes a run's results to HDF5 (layout lclab-output-4, docs/output-format.md),
// atomically: to a temporary file renamed into place only when complete.
#pragma once

#include <string>

#include "experiments/config/config.h"
#include "experiments/results.h"
#include "sim/error.h"

namespace lclab::experiments {

// How the run was invoked, for the record and the summary.
// The layout of every HDF5 file lclab writes (a run's, a study's summary), in the root attribute
// `layout`; the root attribute `kind` says which ("run" or "study"). docs/output-format.md.
inline constexpr const char* kOutputLayout = "lclab-output-7";

struct RunInfo {
  std::string command_line;  // as typed
  int threads = 1;
  bool full_summary = false;  // every KPI in the summary, not only the headline ones
};

// Throws sim::RuntimeError on I/O failure, and sim::Interrupted when `stop` is set before the file is
// complete; leaves no file behind then.
void WriteResults(const std::string& path, const ExperimentConfig& cfg, const RunResult& result, const RunInfo& info,
                  const sim::StopFlag* stop = nullptr);

}  // namespace lclab::experiments
