// A study across the processes of an MPI job (`mpirun -np K lclab study`):
// rank 0 hands out the runs one at a time to ranks 1..K-1 as they ask (a long
// run holds up only its own rank), receives each finished run's record and
// appends it to the one journal, so resume, merge and the summary work as on
// one machine. Rank 0 runs no simulation itself.
#pragma once

#include <map>
#include <string>

#include "experiments/study/study_runner.h"

namespace lclab::experiments {

// Rank 0: hands out the plan's unfinished runs (of the shard) and collects their records. Returns
// every finished run's record, by id. A signal ends every rank (exit 128 + the signal).
std::map<std::string, RunRecord> DispatchStudy(const StudyConfig& study, const StudyPlan& plan, Journal& journal,
                                               const StudyOptions& options);
// Ranks 1..K-1: runs what rank 0 hands out until it says stop.
void ServeStudy(const StudyConfig& study, const StudyPlan& plan, const std::string& dir, const StudyOptions& options);

}  // namespace lclab::experiments
