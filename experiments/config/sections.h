// The config's sections, each read by its own file (docs/config.md lists
// every key). Internal to experiments/config/.
#pragma once

#include <set>
#include <string>

#include "experiments/config/config.h"
#include "experiments/config/reader.h"
#include "models/kpi.h"

namespace lclab::experiments {

inline constexpr std::array<const char*, 7> kWeekdayNames = {"monday", "tuesday", "wednesday", "thursday",
                                                             "friday", "saturday", "sunday"};

// [population], [purchase], [lifecycle], [satisfaction], [web], [response], [channels.*]
// (model_section.cc).
void ReadModel(Section& root, ExperimentConfig& cfg);

// One [[campaigns]] table (campaign_section.cc). REQUIRES: the model and the
// clock read; `campaign_names` holds the names read so far.
void ReadCampaign(Section& cs, ExperimentConfig& cfg, std::set<std::string>& campaign_names);

// primary_metrics and guardrail_metrics of a campaign or the programme: the default guardrails leave
// out any KPI made primary, and a KPI written in both lists is an error (campaign_section.cc).
void ReadKpiRoles(Section& s, const std::vector<models::KpiDef>& defs, const std::string& def_primary,
                  const Names& def_guardrails, std::vector<int>& primary, std::vector<int>& guardrail);

// The names of a KPI registry, for look-ups.
Names KpiNames(const std::vector<models::KpiDef>& defs);

// [guardrail_margins] of a campaign or the programme: per guardrail KPI, { absolute = x } (in the
// KPI's units), { relative = x } (a fraction of the control's value) or { per_send = x } (per message
// the arm sent a customer); the registry's default when not set. Returns a margin per KPI of `defs`.
std::vector<models::GuardrailMargin> ReadGuardrailMargins(Section& s, const std::vector<models::KpiDef>& defs,
                                                          const std::vector<int>& guardrails);

}  // namespace lclab::experiments
