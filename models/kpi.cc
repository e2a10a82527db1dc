#include "models/kpi.h"

#include <limits>

namespace lclab::models {
namespace {
using K = KpiKind;

constexpr auto kStageChurned = static_cast<std::uint8_t>(Stage::kChurned);
constexpr auto kStageLoyalty = static_cast<std::uint8_t>(Stage::kLoyalty);

double NpsPoints(float satisfaction) {
  const int score = RecommendScore(satisfaction);
  return score >= 9 ? 100.0 : score <= 6 ? -100.0 : 0.0;
}


constexpr double kInf = std::numeric_limits<double>::infinity();
// Default guardrail tolerances: a share may get worse by 1 percentage point, money and counts by 5%
// of the control's value, NPS by 5 points; unsubscribes by half a point of the customers per message
// sent to them, twice the 0.25% per email of the Mailchimp 2019 benchmark (docs/references.md).
constexpr GuardrailMargin kSharePoint{MarginKind::kAbsolute, 0.01}, kFivePercent{MarginKind::kRelative, 0.05},
    kFivePoints{MarginKind::kAbsolute, 5.0}, kPerSend{MarginKind::kPerSend, 0.005};

}  // namespace

const std::vector<KpiDef>& CampaignKpiDefinitions() {
  // name, kind, unit, higher is better, latent, attribution, stage, numerator, population, covariate,
  // range, relative lift, guardrail margin, needs churn days
  static const std::vector<KpiDef> defs = {
      {"signup_rate", K::kProportion, "share", true, false, false, "acquisition", "signed up after entry",
       "entered as a prospect or in reach", "", 0, 1, true, kSharePoint, false},
      {"first_purchase_rate", K::kProportion, "share", true, false, false, "conversion", "made a first purchase",
       "entered in acquisition", "", 0, 1, true, kSharePoint, false},
      {"repeat_purchase_rate", K::kProportion, "share", true, false, false, "retention", "made a repeat purchase",
       "entered", "orders before entry", 0, 1, true, kSharePoint, false},
      {"retention_rate", K::kProportion, "share", true, false, false, "retention", "active (not lapsed) at the end",
       "entered, converted at end", "orders before entry", 0, 1, true, kSharePoint, false},
      {"churn_rate", K::kProportion, "share", false, false, false, "retention", "churned at the end", "entered",
       "orders before entry", 0, 1, true, kSharePoint, true},
      {"loyalty_rate", K::kProportion, "share", true, false, false, "loyalty", "in the loyalty stage at the end",
       "entered", "orders before entry", 0, 1, true, kSharePoint, false},
      {"rewards_rate", K::kProportion, "share", true, false, false, "loyalty", "joined the rewards programme after entry",
       "entered non-members", "", 0, 1, true, kSharePoint, false},
      {"adoption_rate", K::kProportion, "share", true, false, false, "retention",
       "adopted the feature campaigns promote after entry", "entered non-adopters", "", 0, 1, true, kSharePoint, false},
      {"referrals_per_customer", K::kMean, "count", true, false, false, "loyalty", "referrals made after entry",
       "entered", "", 0, kInf, true, kFivePercent, false},
      {"revenue_per_customer", K::kMean, "money", true, false, false, "loyalty", "revenue after discounts",
       "entered", "revenue before entry", 0, kInf, true, kFivePercent, false},
      {"net_revenue_per_customer", K::kMean, "money", true, false, false, "loyalty",
       "revenue - message cost - incentive cost", "entered", "revenue before entry", -kInf, kInf, false,
       kFivePercent, false},
      {"orders_per_customer", K::kMean, "count", true, false, false, "retention", "orders", "entered",
       "orders before entry", 0, kInf, true, kFivePercent, false},
      {"revenue_per_order", K::kRatio, "money", true, false, false, "conversion", "revenue after discounts", "orders",
       "", 0, kInf, true, kFivePercent, false},
      {"visits_per_customer", K::kMean, "count", true, false, false, "acquisition", "web and app visits", "entered",
       "visits before entry", 0, kInf, true, kFivePercent, false},
      {"nps", K::kMean, "score", true, false, false, "loyalty", "+100 promoter, 0 passive, -100 detractor",
       "entered, converted at end", "", -100, 100, false, kFivePoints, false},
      {"csat", K::kProportion, "share", true, false, false, "retention", "satisfied (S >= csat_threshold)",
       "entered, converted at end", "", 0, 1, true, kSharePoint, false},
      {"alive_rate", K::kProportion, "share", true, true, false, "retention", "alive (latent BG/NBD state)",
       "entered, converted at end", "", 0, 1, true, kSharePoint, false},
      {"unsubscribed_rate", K::kProportion, "share", false, false, false, "retention",
       "unsubscribed from the campaign's channels after entry", "entered", "", 0, 1, true, kPerSend, false},
      {"open_rate", K::kRatio, "share", true, false, true, "campaign", "opens", "messages delivered", "", 0, 1, true,
       kSharePoint, false},
      {"click_rate", K::kRatio, "share", true, false, true, "campaign", "clicks", "messages delivered", "", 0, 1, true,
       kSharePoint, false},
      {"click_to_open_rate", K::kRatio, "share", true, false, true, "campaign", "clicks", "messages opened", "", 0, 1,
       true, kSharePoint, false},
      {"goal_per_click", K::kRatio, "share", true, false, true, "campaign", "goal conversions", "clicks", "", 0, 1,
       true, kSharePoint, false},
      {"goal_conversion_rate", K::kProportion, "share", true, false, true, "campaign",
       "reached the goal after a click on the campaign's message", "entered in a messaged arm",
       "orders before entry", 0, 1, true, kSharePoint, false},
      {"unsubscribe_rate", K::kRatio, "share", false, false, true, "campaign", "unsubscribes", "messages delivered",
       "", 0, 1, true, kSharePoint, false},
  };
  return defs;
}

const std::vector<KpiDef>& ProgrammeKpiDefinitions() {
  static const std::vector<KpiDef> defs = {
      {"revenue_per_customer", K::kMean, "money", true, false, false, "loyalty", "revenue after discounts",
       "all customers", "warm-up revenue", 0, kInf, true, kFivePercent, false},
      {"net_revenue_per_customer", K::kMean, "money", true, false, false, "loyalty",
       "revenue - message cost - incentive cost", "all customers", "warm-up revenue", -kInf, kInf, false,
       kFivePercent, false},
      {"orders_per_customer", K::kMean, "count", true, false, false, "retention", "orders", "all customers",
       "warm-up orders", 0, kInf, true, kFivePercent, false},
      {"revenue_per_order", K::kRatio, "money", true, false, false, "conversion", "revenue after discounts", "orders",
       "", 0, kInf, true, kFivePercent, false},
      {"visits_per_customer", K::kMean, "count", true, false, false, "acquisition", "web and app visits",
       "all customers", "warm-up visits", 0, kInf, true, kFivePercent, false},
      {"bounce_rate", K::kRatio, "share", false, false, false, "reach", "visits that bounced", "visits", "", 0, 1, true,
       kSharePoint, false},
      {"first_purchase_rate", K::kProportion, "share", true, false, false, "conversion", "made a first purchase",
       "no purchase before the window", "warm-up visits", 0, 1, true, kSharePoint, false},
      {"repeat_purchase_rate", K::kProportion, "share", true, false, false, "retention", "bought in the window",
       "bought before the window", "warm-up orders", 0, 1, true, kSharePoint, false},
      {"churn_rate", K::kProportion, "share", false, false, false, "retention", "churned at the end", "all customers",
       "warm-up orders", 0, 1, true, kSharePoint, true},
      {"loyalty_rate", K::kProportion, "share", true, false, false, "loyalty", "in the loyalty stage at the end",
       "all customers", "warm-up orders", 0, 1, true, kSharePoint, false},
      {"nps", K::kMean, "score", true, false, false, "loyalty", "+100 promoter, 0 passive, -100 detractor",
       "converted at end", "", -100, 100, false, kFivePoints, false},
      {"csat", K::kProportion, "share", true, false, false, "retention", "satisfied (S >= csat_threshold)",
       "converted at end", "", 0, 1, true, kSharePoint, false},
      {"alive_rate", K::kProportion, "share", true, true, false, "retention", "alive (latent BG/NBD state)",
       "converted at end", "", 0, 1, true, kSharePoint, false},
      {"unsubscribed_rate", K::kProportion, "share", false, false, false, "campaign",
       "unsubscribed from some channel at the end", "all customers", "", 0, 1, true, kPerSend, false},
      {"messages_per_customer", K::kMean, "count", false, false, false, "campaign", "messages sent", "all customers",
       "", 0, kInf, true, kFivePercent, false},
  };
  return defs;
}

CampaignKpi IncrementalKpiOf(Goal goal) {
  switch (goal) {
    case Goal::kSignUp: return kSignupRate;
    case Goal::kFirstPurchase: return kFirstPurchaseRate;
    case Goal::kRepeatPurchase:
    case Goal::kReactivation: return kRepeatPurchaseRate;
    case Goal::kReferral: return kReferralsPerCustomer;
    case Goal::kRewardsJoin: return kRewardsRate;
    case Goal::kReturnVisit: return kVisitsPerCustomer;
    case Goal::kFeatureAdoption: return kAdoptionRate;
  }
  return kRepeatPurchaseRate;
}

int DaysToMove(const KpiDef& def, const LifecycleParams& lc) { return def.needs_churn_days ? lc.churn_days : 0; }

int FindKpi(const std::vector<KpiDef>& defs, std::string_view name) {
  for (std::size_t k = 0; k < defs.size(); ++k)
    if (name == defs[k].name) return static_cast<int>(k);
  return -1;
}

CampaignKpiEvaluator::CampaignKpiEvaluator(const ModelParams& params, const Programme& programme,
                                           const Population& pop, int c)
    : params_(params), p_(pop), col_(pop.campaigns[c]), cost_(ArmCosts(programme, params.response)[c]) {
  for (const ArmTreatment& arm : programme.campaigns[c].arms) {
    holdout_.push_back(arm.holdout);
    if (!arm.holdout) channels_ |= static_cast<std::uint8_t>(1u << static_cast<int>(arm.channel));
  }
}

KpiValue CampaignKpiEvaluator::Value(int k, std::size_t i, int day) const { return ValueOf<true>(k, i, day); }
KpiValue CampaignKpiEvaluator::Outcome(int k, std::size_t i, int day) const { return ValueOf<false>(k, i, day); }

// kFull false skips the covariates and `movable`. Every column is read only in the cases that need it:
// a daily look reads a few KPIs of customers spread over the population, and each read is a cache miss.
template <bool kFull>
KpiValue CampaignKpiEvaluator::ValueOf(int k, std::size_t i, int day) const {
  const auto& p = p_;
  const auto& col = col_;
  const int a = col.arm[i];
  const std::uint8_t stage = p.stage[i];
  // A covariate, or whether the KPI can move: computed only for Value.
  auto full = [](auto f, auto otherwise) { return kFull ? f() : otherwise; };
  // Orders, visits and revenue before entry: the warm-up plus the window days before entry.
  auto orders_before = [&] {
    return full([&] { return static_cast<double>(p.orders[i] - p.win_orders[i] + col.orders_at_entry[i]); }, 0.0);
  };
  auto revenue_before = [&] { return full([&] { return p.pre_revenue[i] + col.revenue_at_entry[i]; }, 0.0); };
  // Attribution (the message funnel) is undefined for a holdout.
  auto ratio = [&](double y, double x) { return holdout_[a] ? KpiValue{} : KpiValue{true, y, x, 0}; };
  auto converted = [&](double y) { return IsConverted(stage) ? KpiValue{true, y, 1, orders_before()} : KpiValue{}; };
  auto share = [](bool y) { return KpiValue{true, y ? 1.0 : 0.0, 1, 0}; };
  auto revenue = [&] { return p.win_revenue[i] - col.revenue_at_entry[i]; };
  auto orders = [&] { return static_cast<double>(p.win_orders[i] - col.orders_at_entry[i]); };
  switch (static_cast<CampaignKpi>(k)) {
    case kSignupRate: {
      const std::uint8_t s0 = col.entry_stage[i];
      if (s0 != static_cast<std::uint8_t>(Stage::kProspect) && s0 != static_cast<std::uint8_t>(Stage::kReach)) return {};
      return share(p.signup_day[i] >= col.entered_day[i]);
    }
    case kFirstPurchaseRate: {
      // Entry happens after the day's natural activity, so a customer entering in acquisition had not bought.
      if (col.entry_stage[i] != static_cast<std::uint8_t>(Stage::kAcquisition)) return {};
      return {true, p.first_purchase_day[i] != kNever ? 1.0 : 0.0, 1, 0};
    }
    case kRepeatPurchaseRate: {
      const bool first_after =
          col.entry_stage[i] == static_cast<std::uint8_t>(Stage::kAcquisition) && p.first_purchase_day[i] != kNever;
      return {true, orders() - (first_after ? 1 : 0) > 0 ? 1.0 : 0.0, 1, orders_before()};
    }
    case kRetentionRate:
      return converted(stage != kStageChurned &&
                       EngagementOf(p, i, day, params_.lifecycle) == Engagement::kActive);
    case kChurnRate: {
      // Churn needs churn_days without a purchase: a customer who bought more recently could not churn yet.
      const int churn_days = params_.lifecycle.churn_days;
      auto movable = [&] {
        return stage == kStageChurned || (IsConverted(stage) && day - p.last_purchase_day[i] >= churn_days);
      };
      return {true, stage == kStageChurned ? 1.0 : 0.0, 1, orders_before(), full(movable, true)};
    }
    case kLoyaltyRate: return {true, stage == kStageLoyalty ? 1.0 : 0.0, 1, orders_before()};
    // Joined or adopted after entry, over those who had not when entering.
    case kRewardsRate:
      return (col.state_at_entry[i] & kEntryRewards) ? KpiValue{} : share(p.flags[i] & kFlagRewards);
    case kAdoptionRate:
      return (col.state_at_entry[i] & kEntryAdopted) ? KpiValue{} : share(p.flags[i] & kFlagAdopted);
    case kReferralsPerCustomer:
      return {true, static_cast<double>(p.win_referrals[i] - col.referrals_at_entry[i]), 1, 0};
    case kRevenuePerCustomer: return {true, revenue(), 1, revenue_before()};
    case kNetRevenuePerCustomer:
      return {true, revenue() - cost_[a].per_send * col.sends[i] - cost_[a].per_goal * col.goals[i], 1,
              revenue_before()};
    case kOrdersPerCustomer: return {true, orders(), 1, orders_before()};
    case kRevenuePerOrder: return {true, revenue(), orders(), 0};
    case kVisitsPerCustomer:
      return {true, static_cast<double>(p.win_visits[i] - col.visits_at_entry[i]), 1,
              full([&] { return static_cast<double>(p.pre_visits[i] + col.visits_at_entry[i]); }, 0.0)};
    case kNps: return IsConverted(stage) ? KpiValue{true, NpsPoints(p.satisfaction[i]), 1, 0} : KpiValue{};
    case kCsat:
      return IsConverted(stage)
                 ? KpiValue{true, p.satisfaction[i] >= params_.satisfaction.csat_threshold ? 1.0 : 0.0, 1, 0}
                 : KpiValue{};
    case kAliveRate: return IsConverted(stage) ? KpiValue{true, p.alive(i) ? 1.0 : 0.0, 1, 0} : KpiValue{};
    case kUnsubscribedRate: return share(p.unsubscribed[i] & channels_ & ~col.state_at_entry[i] & kEntryChannels);
    case kOpenRate: return ratio(col.opens[i], col.delivered[i]);
    case kClickRate: return ratio(col.clicks[i], col.delivered[i]);
    case kClickToOpenRate: return ratio(col.clicks[i], col.opens[i]);
    case kGoalPerClick: return ratio(col.goals[i], col.clicks[i]);
    case kGoalConversionRate:
      return holdout_[a] ? KpiValue{} : KpiValue{true, col.goals[i] > 0 ? 1.0 : 0.0, 1, orders_before()};
    case kUnsubscribeRate: return ratio(col.unsubscribed[i] && col.delivered[i] > 0, col.delivered[i]);
    case kNumCampaignKpis: break;
  }
  return {};
}

// Beside ValueOf: a change there may change this list. Left out: retention (it moves with the day), the
// counts, amounts and scores, and the message funnel's ratios.
bool IsSteppedShare(int k) {
  switch (static_cast<CampaignKpi>(k)) {
    case kSignupRate:
    case kFirstPurchaseRate:
    case kRepeatPurchaseRate:
    case kChurnRate:
    case kLoyaltyRate:
    case kRewardsRate:
    case kAdoptionRate:
    case kCsat:
    case kAliveRate:
    case kUnsubscribedRate:
    case kGoalConversionRate: return true;
    default: return false;
  }
}

ProgrammeKpiEvaluator::ProgrammeKpiEvaluator(const ModelParams& params, const Programme& programme,
                                             sim::DayClock clock, const Population& pop)
    : params_(params), clock_(clock), p_(pop), cost_(ArmCosts(programme, params.response)) {}

void ProgrammeKpiEvaluator::Values(std::size_t i, KpiValue* v) const {
  const auto& p = p_;
  double cost = 0;
  int messages = 0;
  for (std::size_t c = 0; c < p.campaigns.size(); ++c) {
    const auto& col = p.campaigns[c];
    if (col.entered_day[i] == kNever) continue;
    const int a = col.arm[i];
    cost += cost_[c][a].per_send * col.sends[i] + cost_[c][a].per_goal * col.goals[i];
    messages += col.sends[i];
  }
  const double pre_orders = p.orders[i] - p.win_orders[i], pre_visits = p.pre_visits[i];
  const double revenue = p.win_revenue[i];
  const std::uint8_t stage = p.stage[i];
  v[kPgRevenuePerCustomer] = {true, revenue, 1, p.pre_revenue[i]};
  v[kPgNetRevenuePerCustomer] = {true, revenue - cost, 1, p.pre_revenue[i]};
  v[kPgOrdersPerCustomer] = {true, static_cast<double>(p.win_orders[i]), 1, pre_orders};
  v[kPgRevenuePerOrder] = {true, revenue, static_cast<double>(p.win_orders[i]), 0};
  v[kPgVisitsPerCustomer] = {true, static_cast<double>(p.win_visits[i]), 1, pre_visits};
  v[kPgBounceRate] = {true, static_cast<double>(p.win_bounces[i]), static_cast<double>(p.win_visits[i]), 0};
  const std::int16_t first = p.first_purchase_day[i];
  const bool new_customer = first == kNever || first >= clock_.window_start();
  v[kPgFirstPurchaseRate] = new_customer ? KpiValue{true, first != kNever ? 1.0 : 0.0, 1, pre_visits} : KpiValue{};
  // A customer who bought before the window and bought again in it.
  v[kPgRepeatPurchaseRate] = new_customer ? KpiValue{} : KpiValue{true, p.win_orders[i] > 0 ? 1.0 : 0.0, 1, pre_orders};
  const int last = clock_.window_end() - 1;
  const bool movable = stage == kStageChurned ||
                       (IsConverted(stage) && last - p.last_purchase_day[i] >= params_.lifecycle.churn_days);
  v[kPgChurnRate] = {true, stage == kStageChurned ? 1.0 : 0.0, 1, pre_orders, movable};
  v[kPgLoyaltyRate] = {true, stage == kStageLoyalty ? 1.0 : 0.0, 1, pre_orders};
  const bool conv = IsConverted(stage);
  v[kPgNps] = conv ? KpiValue{true, NpsPoints(p.satisfaction[i]), 1, 0} : KpiValue{};
  v[kPgCsat] = conv ? KpiValue{true, p.satisfaction[i] >= params_.satisfaction.csat_threshold ? 1.0 : 0.0, 1, 0}
                    : KpiValue{};
  v[kPgAliveRate] = conv ? KpiValue{true, p.alive(i) ? 1.0 : 0.0, 1, 0} : KpiValue{};
  v[kPgUnsubscribedRate] = {true, p.unsubscribed[i] != 0 ? 1.0 : 0.0, 1, 0};
  v[kPgMessagesPerCustomer] = {true, static_cast<double>(messages), 1, 0};
}

}  // namespace lclab::models
