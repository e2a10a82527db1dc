// The pilot behind `lclab power CONFIG`: the config's world simulated with every customer of every
// campaign in that campaign's control arm, so no campaign has an effect beyond its control's
// (docs/statistics.md "Power from a config"). It measures what a power calculation needs and a
// user cannot know before running: the share of customers who enter each campaign, how fast they
// enter, and the baseline and spread of each primary KPI among them.
#pragma once

#include <cstdint>
#include <vector>

#include "experiments/analysis/power.h"
#include "experiments/analysis/stats.h"
#include "experiments/config/config.h"

namespace lclab::experiments {

struct RunOptions;

struct PilotCampaign {
  std::int64_t entered = 0;                 // customers who entered the campaign (global control excluded)
  std::vector<std::int64_t> entered_by_day;  // per window day: customers who had entered by its end
  std::vector<Moments> primary;             // per primary KPI (cc.primary_kpis): its moments over the entrants
};

struct PilotResult {
  std::int64_t customers = 0;  // the pilot's population
  double seconds = 0;
  std::vector<PilotCampaign> campaigns;
};

// Runs cfg's world with `customers` customers (cfg's seed, window and model) and every campaign held
// at its control arm. REQUIRES: cfg from LoadConfig, customers >= 1.
PilotResult RunPilot(const ExperimentConfig& cfg, std::int64_t customers, const RunOptions& options);

// What to plan for: the customers a lift needs, or the smallest lift the config's population detects.
struct PowerAsk {
  bool mde = false;       // true: the minimum detectable effect at cfg's population.size and window
  double lift = 0;        // the lift to detect (relative unless `absolute`)
  bool absolute = false;
  double alpha = 0.05;    // two-sided, for the campaign's whole family: primary KPIs x treatment arms
  double power = 0.8;
};

// One primary KPI's plan. The arms' weights are the config's, control first; alpha is split over the
// family (Bonferroni; the run's Holm decision is at least as powerful).
struct KpiPowerPlan {
  int kpi = 0;                 // index into models::CampaignKpiDefinitions()
  std::string skipped;         // why there is no plan ("" if there is one)
  PowerSpec spec;              // baseline and sd from the pilot
  double delta = 0;            // the absolute effect (lift mode)
  PowerPlan plan;              // entered customers per arm, control first
  double population_size = 0;  // lift mode: customers whose entrants over the window fill the plan
  int window_days = -1;        // lift mode: window days at cfg's population.size that fill it (-1: not within)
  double days_beyond = 0;      // lift mode, not within: days at the window's final entry pace (infinity if none)
};

// The plans of campaign c's primary KPIs from the pilot. Throws PowerInputError for an invalid ask.
std::vector<KpiPowerPlan> PlanCampaignPower(const ExperimentConfig& cfg, int c, const PilotResult& pilot,
                                            const PowerAsk& ask);

}  // namespace lclab::experiments
