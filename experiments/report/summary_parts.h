// The parts of the text summary (text_summary.cc puts them together).
// Internal to experiments/report/.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "experiments/config/config.h"
#include "experiments/results.h"

namespace lclab::experiments {

// decision_summary.cc: the decision table of primary KPIs (CUPED, corrected p-values, the sequential
// verdict, the truth with --oracle), then the guardrails.
void PrintDecision(std::ostream& os, const std::vector<models::KpiDef>& defs, const std::vector<KpiRow>& rows,
                   const std::vector<std::string>& arm_names, int control,
                   const std::vector<SequentialSeries>& sequential, bool oracle, int pct);
// A sample-ratio check line, with the alarm when it fails.
void PrintSrm(std::ostream& os, const char* what, const SrmSummary& s, const std::vector<std::string>& names);
// A campaign's decision block: the decision table, sample ratios, allocation, regret and oracle coverage.
void PrintCampaignDecision(std::ostream& os, const ExperimentConfig& cfg, const RunResult& r, int c, int pct);

// send_time_summary.cc: true if a campaign's arms differ in send time or it has send-time constraints.
bool HasSendTimeStudy(const CampaignConfig& cc);
// The send-time table (regret, share near the best hour over the window) and the open rate by local hour.
void PrintSendTime(std::ostream& os, const ExperimentConfig& cfg, const RunResult& r, int c);

}  // namespace lclab::experiments
