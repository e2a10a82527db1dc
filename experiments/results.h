// What a run produces: the contract between the runner and analysis that
// fill these types and the writers (experiments/report/) that present them.
// Plain values, no behaviour; names of arms, KPIs and groups are looked up in
// the config and the KPI registry by index.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "experiments/analysis/factorial.h"
#include "experiments/analysis/inference.h"
#include "experiments/analysis/stats.h"
#include "models/kpi.h"
#include "models/tally.h"

namespace lclab::experiments {

// How an experiment uses a KPI: the decision metrics (primary; multiple-testing corrections run over
// them), metrics that must not get worse (guardrail), and the rest (secondary).
enum class KpiRole : std::uint8_t { kSecondary = 0, kPrimary = 1, kGuardrail = 2 };
inline constexpr const char* kKpiRoleNames[] = {"secondary", "primary", "guardrail"};

// Why a KPI row has no comparison with the control, beyond being the control itself.
enum class KpiNote : std::uint8_t {
  kNone = 0,
  kNotObservable,    // no customer could move it in this window (churn needs churn_days without a purchase)
  kTooFewCustomers,  // an arm has fewer than kMinArmUnits customers in the KPI's population (ratios: effective, Kish)
  kNoVariation,      // every customer in both arms has the same value: nothing to test
};
inline constexpr const char* kKpiNoteNames[] = {"", "not_observable", "too_few_customers", "no_variation"};
// The fewest customers in each arm for a comparison to be shown.
inline constexpr double kMinArmUnits = 10;

// One KPI of one arm (campaigns) or group (the programme), against the control.
struct KpiRow {
  int kpi = 0;             // index into the definitions
  int arm = 0;             // arm (campaigns) or group (programme)
  KpiRole role = KpiRole::kSecondary;
  Moments moments;
  Interval estimate;
  bool has_comparison = false;  // false for the control, or when undefined (see note)
  Comparison vs_control;
  KpiNote note = KpiNote::kNone;
  int days_to_move = 0;         // kNotObservable: the days without a purchase the KPI needs
  // CUPED, for KPIs with a pre-period covariate: the covariate moments (y, x), the pooled theta,
  // the adjusted estimate and comparison, and 1 - Var(CUPED lift) / Var(lift).
  bool has_cuped = false;
  Moments covariate;
  double cuped_theta = 0;
  Interval cuped_estimate;
  Comparison cuped;
  double variance_reduction = 0;
  // Primary KPIs: p-values adjusted over primary KPIs x arms (Holm; Benjamini-Hochberg). NaN otherwise.
  double p_holm = 0, p_bh = 0;
  // Guardrail KPIs: the tolerated worsening, in the KPI's units (margin x the control's value when the
  // margin is relative), and whether the lift's interval lies wholly beyond it on the worse side.
  double guardrail_tolerance = 0;
  bool guardrail_breach = false;
  // Ground truth (--oracle): the arm's value with every customer under it, its effect against the
  // control's, and whether the intervals covered that effect (-1: unknown).
  double true_value = 0, true_effect = 0, true_rel_effect = 0;
  int covered = -1, cuped_covered = -1, rel_covered = -1;
};

// The always-valid analysis of one primary KPI and arm against the control, day by day in the window.
struct SequentialSeries {
  int kpi = 0, arm = 0;
  double n_star = 0;              // customers (both arms) at which the confidence sequence is tightest
  std::vector<Interval> cs;       // per window day: the lift and that day's confidence-sequence interval
  std::vector<double> p_value;    // the running always-valid p-value
  std::vector<double> p_holm;     // p_value adjusted over every series of the campaign that day (Holm)
  std::vector<double> naive_p;    // the fixed-horizon p-value each day (peeking at it is wrong)
  int decision_day = -1;   // first window day (0-based) with p_holm <= alpha, -1 if none
  int decision = 0;        // +1 better than control, -1 worse (in the KPI's direction), 0 no decision
  int naive_day = -1;      // first window day on which the fixed-horizon p-value was < alpha
  int covered = -1;        // --oracle: the final confidence sequence covers the true effect
};

// Sample-ratio mismatch: customers per arm against the allocation.
struct SrmSummary {
  std::vector<double> observed, expected;
  SrmResult test;
};

// How customers were allocated to arms, and what experimenting cost against always using the best arm.
struct AllocationResult {
  bool adaptive = false;             // Thompson sampling
  int kpi = 0;                       // the KPI arms compete on (campaign KPI index)
  double min_share = 0;
  std::vector<double> weights;       // [window day * arms + arm]: shares in force that day
  int best_arm = -1;                 // by the truth (--oracle) or else the final estimates
  bool from_oracle = false;
  // Sum over entered customers of (best arm's value - their arm's value), in KPI units x customers
  // (e.g. conversions lost); fixed_regret: the same under the configured fixed weights.
  double regret = 0, fixed_regret = 0;
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
  Interval incremental_revenue, incremental_net_revenue;
  // Send time (models::CellDay): sends moved by constraints, sends at a policy hour within 1 h of the
  // recipient's best, sends with an hour from the recipient's own history, and expected opens at the
  // delivery hour and at the best allowed hour (their difference is the regret against the oracle).
  std::int64_t deferred = 0, near_best = 0, from_history = 0;
  double expected_opens = 0, oracle_opens = 0;
  std::array<std::int64_t, 24> hour_deliveries{}, hour_opens{};  // by local delivery hour
  std::array<std::int64_t, 24> open_delay{};  // opens by whole hours after delivery, 0..23 (later: opens - their sum)
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
  Interval estimate;
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
  SrmSummary srm_entered;           // entered customers against the allocation
  SrmSummary srm_assigned;          // fixed allocation: customers hashed to each arm against the weights
  std::vector<SequentialSeries> sequential;  // primary KPI-major, arm-minor (control excluded)
  AllocationResult allocation;
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
  SrmSummary programme_srm;                   // global control share against programme.global_control
  std::vector<models::DayTally> daily;        // one per simulated day
  std::array<double, models::kNumChannels> open_intercept{}, unsubscribe_intercept{};  // after calibration
  std::size_t customers = 0;
  int days = 0;
  double seconds = 0;                  // wall time of generation + simulation
  std::size_t bytes_per_customer = 0;  // population columns
  bool oracle = false;                 // true effects were replayed
  double oracle_seconds = 0;           // wall time of the replays
};

}  // namespace lclab::experiments
