// lclab study beyond one process (docs/cluster.md): shares of a study run as
// separate jobs (--shard I/N), their merge into one summary, and the Slurm
// job-array script that does both. Internal to experiments/cli/.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "experiments/study/plan.h"
#include "experiments/study/records.h"
#include "experiments/study/study_report.h"
#include "sim/error.h"

namespace lclab::experiments {

// lclab study merge DIR... [--out DIR] [--csv DIR] [--quiet]: the shards' runs as one study summary.
int StudyMergeCommand(int argc, char** argv, const std::string& command_line);

// After a shard's runs: what it holds and how to merge. Returns the exit code (1 if a run failed).
int ReportShard(const StudyConfig& study, const StudyPlan& plan, const std::map<std::string, RunRecord>& done,
                const std::string& dir, int shard, int shards, bool quiet);

// Writes DIR/slurm/{array.sbatch, merge.sbatch, submit.sh, run_local.sh} and says so on `os`.
void EmitSlurm(const StudyConfig& study, const StudyPlan& plan, const std::vector<std::string>& sets,
               const std::string& dir, int shards, int jobs, std::ostream& os);

// What to write besides summary.h5.
struct FinishOptions {
  std::string csv;      // a directory for the CSV tables; "" for none
  bool report = false;  // DIR/report.html (docs/report.md)
  bool quiet = false;
};
// The summary of finished runs (every planned run must have a record): HDF5, CSV, HTML, text. Returns
// the exit code (1 if a run failed). study_command.cc.
int FinishStudy(const StudyConfig& study, const StudyPlan& plan, const std::map<std::string, RunRecord>& done,
                const std::string& dir, const FinishOptions& options, const StudyInfo& info,
                const sim::StopFlag* stop);

}  // namespace lclab::experiments
