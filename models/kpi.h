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

// How far a KPI may get worse before its guardrail breaches: in the KPI's own units (0.01 = 1
// percentage point of a share), as a fraction of the control's value, or per message the arm sent
// its customers (0.005 per send: half a percentage point of the customers for every message each got,
// so a budget that grows with the messages a campaign sends).
enum class MarginKind : std::uint8_t { kAbsolute = 0, kRelative, kPerSend };
inline constexpr const char* kMarginKindNames[] = {"absolute", "relative", "per_send"};
struct GuardrailMargin {
  MarginKind kind = MarginKind::kAbsolute;
  double value = 0;  // >= 0
};

struct KpiDef {
  const char* name;
  KpiKind kind;
  const char* unit;        // "share", "money", "count", "score"
  bool higher_is_better;
  bool latent;             // uses the latent truth a marketer cannot observe
  // Attribution: counts only what followed the campaign's own messages (the message funnel). It is
  // undefined for a holdout, so it is never a lift against one.
  bool attribution;
  const char* stage;       // lifecycle stage it speaks for (docs/domain.md), or "campaign" for message funnels
  const char* numerator;   // what is counted or summed per customer
  const char* population;  // the denominator: who (or, for ratios, what) it is averaged over
  const char* covariate;   // CUPED's pre-period value of the metric, "" if it has none
  double lo, hi;           // the range of the KPI's value (intervals are kept inside it)
  bool relative_lift;      // a relative lift is defined: the value is positive (not a net amount or NPS)
  GuardrailMargin margin;  // the tolerance as a guardrail unless the experiment sets one
  bool needs_churn_days;   // moves only for customers without a purchase for lifecycle.churn_days
};

// Campaign KPIs, over the customers who entered the campaign, counted after entry. The incremental
// KPIs come first, then the message funnel (attribution).
enum CampaignKpi {
  kSignupRate,
  kFirstPurchaseRate,
  kRepeatPurchaseRate,
  kRetentionRate,
  kChurnRate,
  kLoyaltyRate,
  kRewardsRate,
  kAdoptionRate,
  kReferralsPerCustomer,
  kRevenuePerCustomer,
  kNetRevenuePerCustomer,
  kOrdersPerCustomer,
  kRevenuePerOrder,
  kVisitsPerCustomer,
  kNps,
  kCsat,
  kAliveRate,
  kUnsubscribedRate,
  kOpenRate,
  kClickRate,
  kClickToOpenRate,
  kGoalPerClick,
  kGoalConversionRate,
  kUnsubscribeRate,
  kNumCampaignKpis,
};

// The KPI that counts a goal whoever caused it (the incremental KPI a campaign with this goal is
// decided on by default): sign_up -> signup_rate, first_purchase -> first_purchase_rate,
// repeat_purchase and reactivation -> repeat_purchase_rate, referral -> referrals_per_customer,
// rewards_join -> rewards_rate, return_visit -> visits_per_customer, feature_adoption -> adoption_rate.
CampaignKpi IncrementalKpiOf(Goal goal);

// True for a KPI whose value (CampaignKpiEvaluator::Value) is 0 or 1 over a denominator of 1 and changes
// only on a day its customer is stepped, never with the day alone (Population::stepped): the daily look
// updates its sums from the customers stepped that day (experiments/daily_analysis.cc).
bool IsSteppedShare(int k);

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
// pre-period covariate. `in` is false when the customer is outside the KPI's population. `movable` is
// false when the window was too short for this customer's value to change (churn needs
// lifecycle.churn_days without a purchase); a KPI no customer could move is not observable.
struct KpiValue {
  bool in = false;
  double y = 0, x = 1, covariate = 0;
  bool movable = true;
};

// The days without a purchase a customer needs before the KPI can move for them (churn_days for a
// churn KPI), or 0 when any window will do.
int DaysToMove(const KpiDef& def, const LifecycleParams& lc);

// Campaign c's KPIs for one customer who entered it, as of the end of `day`.
class CampaignKpiEvaluator {
 public:
  // REQUIRES: pop simulated with these params and this programme.
  CampaignKpiEvaluator(const ModelParams& params, const Programme& programme, const Population& pop, int campaign);
  // REQUIRES: pop.campaigns[campaign].entered_day[i] != kNever; 0 <= k < kNumCampaignKpis.
  KpiValue Value(int k, std::size_t i, int day) const;
  // The same value without its covariate and `movable` (left at 0 and true), and without reading the
  // columns they need: a daily look's sums. The same REQUIRES.
  KpiValue Outcome(int k, std::size_t i, int day) const;

 private:
  template <bool kFull>
  KpiValue ValueOf(int k, std::size_t i, int day) const;

  const ModelParams& params_;
  const Population& p_;
  const CampaignColumns& col_;
  std::vector<ArmCost> cost_;         // per arm
  std::vector<std::uint8_t> holdout_;  // per arm
  std::uint8_t channels_ = 0;         // bit c: channel c carries one of the campaign's messages
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
