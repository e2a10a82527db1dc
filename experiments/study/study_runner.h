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
  int shard = 1, shards = 1;  // run only this share of the distinct runs (--shard I/N): the k-th with k % N = I - 1
  int jobs = 1;       // runs at once, >= 1
  int threads = 1;    // threads of each run, >= 1
  bool fail_fast = false;
  sim::Progress::Mode progress = sim::Progress::Mode::kAuto;
  const sim::StopFlag* stop = nullptr;
  std::string command_line;  // recorded in kept runs' files
};

// Executes every run of the plan (of the shard) not yet in the journal. Returns every finished run's
// record, by id. Throws sim::Interrupted when stopped, and with fail_fast the first failure as
// sim::RuntimeError.
std::map<std::string, RunRecord> RunStudy(const StudyConfig& study, const StudyPlan& plan, Journal& journal,
                                          const StudyOptions& options);

// One run: its record, or a failed record with the error (sim::Interrupted passes through).
RunRecord ExecuteRun(const StudyConfig& study, const StudyPlan& plan, const PlannedRun& run, const std::string& dir,
                     const StudyOptions& options);

// The distinct runs of shard I of N (1-based), in plan order.
std::vector<const PlannedRun*> ShardRuns(const StudyPlan& plan, int shard, int shards);
// The shard's runs not in the journal yet.
std::vector<const PlannedRun*> Pending(const StudyPlan& plan, const Journal& journal, int shard, int shards);

// The record of every planned run, in plan order (equal ids share a record). Throws ConfigError naming
// how many runs are missing.
std::vector<RunRecord> InPlanOrder(const StudyPlan& plan, const std::map<std::string, RunRecord>& records);

// Where a kept run's HDF5 file goes: DIR/runs/<id>.h5.
std::string RunFilePath(const std::string& dir, const std::string& id);

}  // namespace lclab::experiments
