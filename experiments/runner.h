// Runs an experiment config: generates the population, assigns the global
// control group and every campaign's arms, steps the days, and accounts KPIs
// per campaign arm (with lifts against the campaign's control), per programme
// group (programme against global control), and the factorial analysis.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "experiments/config.h"
#include "experiments/factorial.h"
#include "experiments/stats.h"
#include "models/simulator.h"
#include "sim/progress.h"

namespace lclab::experiments {

struct RunOptions {
  int threads = 1;                                      // >= 1
  sim::Progress::Mode progress = sim::Progress::Mode::kAuto;
  const std::atomic<bool>* stop = nullptr;              // when set and true, the run throws sim::Interrupted
};

enum class KpiKind { kProportion, kMean, kRatio };

struct KpiDef {
  const char* name;
  KpiKind kind;
  const char* unit;       // "share", "money", "count", "score"
  bool higher_is_better;
  bool latent;            // uses the latent truth a marketer cannot observe
  const char* population; // who the denominator is
};

// KPIs of a campaign's arms, over the customers who entered the campaign
// (docs/output-format.md lists them with definitions).
const std::vector<KpiDef>& CampaignKpiDefinitions();
// KPIs of the programme groups (programme, global control), over all customers.
const std::vector<KpiDef>& ProgrammeKpiDefinitions();

struct KpiRow {
  int kpi = 0;             // index into the definitions
  int arm = 0;             // arm (campaigns) or group (programme)
  Moments moments;
  Estimate estimate;
  bool has_comparison = false;  // false for the control, or when undefined
  Comparison vs_control;
};

struct ArmResult {
  std::string name;
  double weight = 0;
  bool holdout = false;
  bool control = false;
  std::vector<std::string> levels;  // level name per factor (empty for a holdout)
  std::int64_t assigned = 0;        // customers hashed to the arm (global control excluded)
  std::int64_t entered = 0;         // customers whose trigger fired in the window
  std::int64_t triggers = 0, sends = 0, unreachable = 0, suppressed = 0;
  std::int64_t deliveries = 0, opens = 0, clicks = 0, goals = 0, unsubscribes = 0;
  double mean_fatigue = 0;          // recipients' fatigue before a message, averaged over sends
  double message_cost = 0;
  double incentive_cost = 0;        // free shipping and redeemed points
  double discount = 0;              // money off the orders its goal conversions made
  double revenue = 0;               // revenue of entered customers after entry (after discounts)
  double net_revenue = 0;           // revenue - message_cost - incentive_cost
  // Against the campaign's control, scaled to this arm's entered customers; NaN for the control.
  double incremental_revenue = 0, incremental_revenue_lo = 0, incremental_revenue_hi = 0;
  double incremental_net_revenue = 0, incremental_net_revenue_lo = 0, incremental_net_revenue_hi = 0;
  // Send time (models::CellDay): sends moved by constraints, sends at a policy hour within 1 h of the
  // recipient's best, sends with an hour from the recipient's own history, and expected opens at the
  // delivery hour and at the best allowed hour (their difference is the regret against the oracle).
  std::int64_t deferred = 0, near_best = 0, from_history = 0;
  double expected_opens = 0, oracle_opens = 0;
  std::array<std::int64_t, 24> hour_deliveries{}, hour_opens{};  // by local delivery hour
};

// The factorial analysis of one outcome.
struct FactorialOutcome {
  std::string name;   // "open", "click_given_open", "goal_given_click", "unsubscribe", "goal_conversion_rate", ...
  std::string scale;  // "logit" (with a planted truth) or "difference"
  FactorialFit fit;
};

// The best variant (holdouts excluded) by the campaign's best_by KPI, overall
// or within one persona.
struct BestVariant {
  std::string segment;  // "all" or a persona name
  int arm = -1;         // -1: no variant had data
  Moments moments;
  Estimate estimate;
  bool has_comparison = false;
  Comparison vs_control;  // against the campaign's control within the same segment
};

struct CampaignResult {
  std::vector<ArmResult> arms;
  std::vector<KpiRow> kpis;         // kpi-major, arm-minor
  std::vector<int> variant_arms;    // arms in the factorial analysis (holdouts excluded)
  FactorialModel model;             // over variant_arms
  std::vector<FactorialOutcome> factorial;  // empty without factors
  std::vector<BestVariant> best;    // "all" first, then per persona
};

struct GroupResult {
  std::string name;
  std::int64_t customers = 0;
  std::int64_t messages = 0;
  double message_cost = 0, incentive_cost = 0, revenue = 0, net_revenue = 0;
};

struct RunResult {
  std::vector<CampaignResult> campaigns;
  std::vector<GroupResult> groups;            // programme, global control
  std::vector<KpiRow> programme_kpis;         // kpi-major, group-minor; control = global control
  std::vector<models::DayTally> daily;        // one per simulated day
  std::array<double, models::kNumChannels> open_intercept{}, unsubscribe_intercept{};  // after calibration
  std::size_t customers = 0;
  int days = 0;
  double seconds = 0;                  // wall time of generation + simulation
  std::size_t bytes_per_customer = 0;  // population columns
};

// REQUIRES: cfg from LoadConfig.
RunResult RunExperiment(const ExperimentConfig& cfg, const RunOptions& options);

// Assigns the global control group and every campaign's arms (exposed for tests).
void AssignArms(const ExperimentConfig& cfg, models::Population& pop, int threads);

}  // namespace lclab::experiments
