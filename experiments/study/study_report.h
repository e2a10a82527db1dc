// A study's outputs: the plan table (--plan), the summary HDF5 file (layout
// in docs/output-format.md "Study summary"), the same tables as CSV, and the
// text summary (leaderboards, sweeps, the audit). Each table's columns are
// listed once and written to both formats.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "experiments/study/plan.h"
#include "experiments/study/records.h"
#include "experiments/study/study_summary.h"
#include "sim/error.h"

namespace lclab::experiments {

struct StudyInfo {
  std::string command_line;
  int jobs = 1, threads = 1;
  double seconds = 0;
};

// --plan: the cells with their run counts, the totals, and the estimated time and memory.
void PrintPlan(std::ostream& os, const StudyConfig& study, const StudyPlan& plan, int jobs, int threads);
// The expanded run table as CSV (one line per planned run).
void WritePlanCsv(const std::string& path, const StudyConfig& study, const StudyPlan& plan);

// The summary HDF5 file, written atomically. Throws sim::RuntimeError, sim::Interrupted.
void WriteStudySummary(const std::string& path, const StudyConfig& study, const StudyPlan& plan,
                       const std::vector<RunRecord>& records, const StudySummary& summary, const StudyInfo& info,
                       const sim::StopFlag* stop = nullptr);
// The same tables as CSV files in `dir` (created if missing).
void WriteStudyCsv(const std::string& dir, const StudyConfig& study, const StudyPlan& plan,
                   const std::vector<RunRecord>& records, const StudySummary& summary);

void PrintStudySummary(std::ostream& os, const StudyConfig& study, const StudyPlan& plan, const StudySummary& summary,
                       const StudyInfo& info);

}  // namespace lclab::experiments
