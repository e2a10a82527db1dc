// The KPI registry: every KPI lclab measures, defined once (name, kind,
// numerator, denominator, unit, better direction, lifecycle stage, the
// pre-period covariate CUPED uses), and the per-customer values behind them.
// docs/statistics.md "KPI registry" maps DOMAIN.md sections 1 and 5 onto it.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "models/population.h"

namespace lclab::experiments {

struct ExperimentConfig;

enum class KpiKind { kProportion, kMean, kRatio };
// How an experiment uses a KPI: the decision metrics (primary; multiple-testing corrections run over
// them), metrics that must not get worse (guardrail), and the rest (secondary).
enum class KpiRole : std::uint8_t { kSecondary = 0, kPrimary = 1, kGuardrail = 2 };
inline constexpr const char* kKpiRoleNames[] = {"secondary", "primary", "guardrail"};

struct KpiDef {
  const char* name;
  KpiKind kind;
  const char* unit;        // "share", "money", "count", "score"
  bool higher_is_better;
  bool latent;             // uses the latent truth a marketer cannot observe
  const char* stage;       // lifecycle stage it speaks for (DOMAIN.md section 1), or "campaign" for message funnels
  const char* numerator;   // what is counted or summed per customer
  const char* population;  // the denominator: who (or, for ratios, what) it is averaged over
  const char* covariate;   // CUPED's pre-period value of the metric, "" if it has none
};

// Campaign KPIs, over the customers who entered the campaign, counted after entry.
enum CampaignKpi {
  kGoalConversionRate,
  kFirstPurchaseRate,
  kRepeatPurchaseRate,
  kRetentionRate,
  kChurnRate,
  kLoyaltyRate,
  kRevenuePerCustomer,
  kNetRevenuePerCustomer,
  kOrdersPerCustomer,
  kRevenuePerOrder,
  kVisitsPerCustomer,
  kNps,
  kCsat,
  kAliveRate,
  kOpenRate,
  kClickRate,
  kClickToOpenRate,
  kGoalPerClick,
  kUnsubscribeRate,
  kNumCampaignKpis,
};

// Programme KPIs (programme against global control), over all customers, counted in the window.
enum ProgrammeKpi {
  kPgRevenuePerCustomer,
  kPgNetRevenuePerCustomer,
  kPgOrdersPerCustomer,
  kPgRevenuePerOrder,
  kPgVisitsPerCustomer,
  kPgBounceRate,
  kPgFirstPurchaseRate,
  kPgRepeatPurchaseRate,
  kPgChurnRate,
  kPgLoyaltyRate,
  kPgNps,
  kPgCsat,
  kPgAliveRate,
  kPgUnsubscribedRate,
  kPgMessagesPerCustomer,
  kNumProgrammeKpis,
};

const std::vector<KpiDef>& CampaignKpiDefinitions();
const std::vector<KpiDef>& ProgrammeKpiDefinitions();
// Index of `name` in `defs`, -1 if absent.
int FindKpi(const std::vector<KpiDef>& defs, std::string_view name);

// One customer's contribution to a KPI: y (and x, the denominator of a ratio; 1 otherwise), and the
// pre-period covariate. `in` is false when the customer is outside the KPI's population.
struct KpiValue {
  bool in = false;
  double y = 0, x = 1, covariate = 0;
};

// Campaign c's KPIs for one customer who entered it, as of the end of `day`.
class CampaignKpiEvaluator {
 public:
  // REQUIRES: cfg from LoadConfig; pop simulated by it.
  CampaignKpiEvaluator(const ExperimentConfig& cfg, const models::Population& pop, int campaign);
  // REQUIRES: pop.campaigns[campaign].entered_day[i] != kNever; 0 <= k < kNumCampaignKpis.
  KpiValue Value(int k, std::size_t i, int day) const;

 private:
  const ExperimentConfig& cfg_;
  const models::Population& p_;
  const models::CampaignColumns& col_;
  std::vector<double> send_cost_, goal_cost_;  // per arm
  std::vector<std::uint8_t> holdout_;          // per arm
};

// The programme KPIs of one customer at the end of the run.
class ProgrammeKpiEvaluator {
 public:
  ProgrammeKpiEvaluator(const ExperimentConfig& cfg, const models::Population& pop);
  // Fills values[k] for every programme KPI.
  void Values(std::size_t i, KpiValue* values) const;

 private:
  const ExperimentConfig& cfg_;
  const models::Population& p_;
  std::vector<std::vector<double>> send_cost_, goal_cost_;  // [campaign][arm]
};

}  // namespace lclab::experiments
