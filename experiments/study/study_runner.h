// Runs a study's plan: distinct runs spread over `jobs` worker threads (each
// run on `threads` threads of its own), every finished run appended to the
// journal at once, finished runs of an earlier attempt skipped on resume. A
// run that fails is recorded with its error and the study goes on (unless
// `fail_fast`); a signal stops it, losing only the runs in flight.
#pragma once

#include <string>
#include <vector>

#include "experiments/study/journal.h"
#include "experiments/study/plan.h"
#include "sim/error.h"
#include "sim/progress.h"

namespace lclab::experiments {

struct StudyOptions {
  int jobs = 1;       // runs at once, >= 1
  int threads = 1;    // threads of each run, >= 1
  bool fail_fast = false;
  sim::Progress::Mode progress = sim::Progress::Mode::kAuto;
  const sim::StopFlag* stop = nullptr;
  std::string command_line;  // recorded in kept runs' files
};

// Executes every run of the plan not yet in the journal. Returns the record of every planned run, in
// plan order (equal ids share a record). Throws sim::Interrupted when stopped, and with fail_fast the
// first failure as sim::RuntimeError.
std::vector<RunRecord> RunStudy(const StudyConfig& study, const StudyPlan& plan, Journal& journal,
                                const StudyOptions& options);

// Where a kept run's HDF5 file goes: DIR/runs/<id>.h5.
std::string RunFilePath(const std::string& dir, const std::string& id);

}  // namespace lclab::experiments
