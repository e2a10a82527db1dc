// The analysis of one campaign once the run is over, as a sequence of named
// steps over its tally: arm totals, the KPI table with roles, incremental
// revenue, the sample-ratio checks, the factorial analysis against the
// planted truth, and the best variant overall and per persona. And of the
// programme against its global control.
#pragma once

#include <vector>

#include "experiments/config/config.h"
#include "experiments/results.h"
#include "experiments/tally.h"
#include "models/response.h"
#include "models/tally.h"

namespace lclab::experiments {

// What the analysis of a campaign reads besides its tally.
struct CampaignInputs {
  const std::vector<models::DayTally>* daily = nullptr;   // every simulated day
  int cell_offset = 0;                                    // the campaign's first cell in DayTally::cells
  const models::ResponseIntercepts* intercepts = nullptr;  // for the planted truth
};

// Fills `out` (whose sequential series and allocation the daily analysis has filled).
void AnalyseCampaign(const ExperimentConfig& cfg, int campaign, const CampaignTally& tally,
                     const CampaignInputs& in, CampaignResult& out);

// The programme KPIs per group against the global control, the groups' money and the control's share.
void AnalyseProgramme(const ExperimentConfig& cfg, const ProgrammeTally& tally, std::size_t customers, RunResult& out);

// What the allocation cost against always using the best arm, by the truth (after an oracle replay)
// or else the estimates.
void ComputeRegret(CampaignResult& cr);

}  // namespace lclab::experiments
