// The KPI registry: every KPI lclab measures, defined once (name, kind,
// numerator, denominator, unit, better direction, lifecycle stage, the
// pre-period covariate CUPED uses), and the per-customer values behind them.
// docs/statistics.md "KPI registry" maps the lifecycle stages and the
// industry playbooks (docs/domain.md) onto it.
//
// The registry lives with the model because a KPI is a function of customer
// columns only, and because the config layer (below the experiment) checks
// KPI names against it; how an experiment uses a KPI (primary, guardrail) is
// the experiment's (experiments/results.h).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "models/campaign.h"
#include "models/params.h"
#include "models/population.h"
#include "sim/clock.h"

namespace lclab::models {

enum class KpiKind { kProportion, kMean, kRatio };

struct KpiDef {
  const char* name;
  KpiKind kind;
  const char* unit;        // "share", "money", "count", "score"
  bool higher_is_better;
  bool latent;             // uses the latent truth a marketer cannot observe
  const char* stage;       // lifecycle stage it speaks for (docs/domain.md), or "campaign" for message funnels
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
  // REQUIRES: pop simulated with these params and this programme.
  CampaignKpiEvaluator(const ModelParams& params, const Programme& programme, const Population& pop, int campaign);
  // REQUIRES: pop.campaigns[campaign].entered_day[i] != kNever; 0 <= k < kNumCampaignKpis.
  KpiValue Value(int k, std::size_t i, int day) const;

 private:
  const ModelParams& params_;
  const Population& p_;
  const CampaignColumns& col_;
  std::vector<ArmCost> cost_;         // per arm
  std::vector<std::uint8_t> holdout_;  // per arm
};

// The programme KPIs of one customer at the end of the run.
class ProgrammeKpiEvaluator {
 public:
  ProgrammeKpiEvaluator(const ModelParams& params, const Programme& programme, sim::DayClock clock,
                        const Population& pop);
  // Fills values[k] for every programme KPI.
  void Values(std::size_t i, KpiValue* values) const;

 private:
  const ModelParams& params_;
  sim::DayClock clock_;
  const Population& p_;
  std::vector<std::vector<ArmCost>> cost_;  // [campaign][arm]
};

}  // namespace lclab::models
