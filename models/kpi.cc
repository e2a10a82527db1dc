#include "models/kpi.h"

namespace lclab::models {
namespace {
using K = KpiKind;

constexpr auto kStageChurned = static_cast<std::uint8_t>(Stage::kChurned);
constexpr auto kStageLoyalty = static_cast<std::uint8_t>(Stage::kLoyalty);

double NpsPoints(float satisfaction) {
  const int score = RecommendScore(satisfaction);
  return score >= 9 ? 100.0 : score <= 6 ? -100.0 : 0.0;
}
}  // namespace

const std::vector<KpiDef>& CampaignKpiDefinitions() {
  static const std::vector<KpiDef> defs = {
      {"goal_conversion_rate", K::kProportion, "share", true, false, "campaign goal",
       "reached the campaign's goal at least once", "entered", "orders before entry"},
      {"first_purchase_rate", K::kProportion, "share", true, false, "conversion", "made a first purchase",
       "entered in acquisition", ""},
      {"repeat_purchase_rate", K::kProportion, "share", true, false, "retention", "made a repeat purchase",
       "entered", "orders before entry"},
      {"retention_rate", K::kProportion, "share", true, false, "retention", "active (not lapsed) at the end",
       "entered, converted at end", "orders before entry"},
      {"churn_rate", K::kProportion, "share", false, false, "retention", "churned at the end", "entered",
       "orders before entry"},
      {"loyalty_rate", K::kProportion, "share", true, false, "loyalty", "in the loyalty stage at the end", "entered",
       "orders before entry"},
      {"revenue_per_customer", K::kMean, "money", true, false, "loyalty", "revenue after discounts",
       "entered", "revenue before entry"},
      {"net_revenue_per_customer", K::kMean, "money", true, false, "loyalty",
       "revenue - message cost - incentive cost", "entered", "revenue before entry"},
      {"orders_per_customer", K::kMean, "count", true, false, "retention", "orders", "entered",
       "orders before entry"},
      {"revenue_per_order", K::kRatio, "money", true, false, "conversion", "revenue after discounts", "orders", ""},
      {"visits_per_customer", K::kMean, "count", true, false, "acquisition", "web and app visits", "entered",
       "visits before entry"},
      {"nps", K::kMean, "score", true, false, "loyalty", "+100 promoter, 0 passive, -100 detractor",
       "entered, converted at end", ""},
      {"csat", K::kProportion, "share", true, false, "retention", "satisfied (S >= csat_threshold)",
       "entered, converted at end", ""},
      {"alive_rate", K::kProportion, "share", true, true, "retention", "alive (latent BG/NBD state)",
       "entered, converted at end", ""},
      {"open_rate", K::kRatio, "share", true, false, "campaign", "opens", "messages delivered", ""},
      {"click_rate", K::kRatio, "share", true, false, "campaign", "clicks", "messages delivered", ""},
      {"click_to_open_rate", K::kRatio, "share", true, false, "campaign", "clicks", "messages opened", ""},
      {"goal_per_click", K::kRatio, "share", true, false, "campaign", "goal conversions", "clicks", ""},
      {"unsubscribe_rate", K::kRatio, "share", false, false, "campaign", "unsubscribes", "messages delivered", ""},
  };
  return defs;
}

const std::vector<KpiDef>& ProgrammeKpiDefinitions() {
  static const std::vector<KpiDef> defs = {
      {"revenue_per_customer", K::kMean, "money", true, false, "loyalty", "revenue after discounts",
       "all customers", "warm-up revenue"},
      {"net_revenue_per_customer", K::kMean, "money", true, false, "loyalty",
       "revenue - message cost - incentive cost", "all customers", "warm-up revenue"},
      {"orders_per_customer", K::kMean, "count", true, false, "retention", "orders", "all customers",
       "warm-up orders"},
      {"revenue_per_order", K::kRatio, "money", true, false, "conversion", "revenue after discounts", "orders", ""},
      {"visits_per_customer", K::kMean, "count", true, false, "acquisition", "web and app visits", "all customers",
       "warm-up visits"},
      {"bounce_rate", K::kRatio, "share", false, false, "reach", "visits that bounced", "visits", ""},
      {"first_purchase_rate", K::kProportion, "share", true, false, "conversion", "made a first purchase",
       "no purchase before the window", "warm-up visits"},
      {"repeat_purchase_rate", K::kProportion, "share", true, false, "retention", "bought in the window",
       "bought before the window", "warm-up orders"},
      {"churn_rate", K::kProportion, "share", false, false, "retention", "churned at the end", "all customers",
       "warm-up orders"},
      {"loyalty_rate", K::kProportion, "share", true, false, "loyalty", "in the loyalty stage at the end",
       "all customers", "warm-up orders"},
      {"nps", K::kMean, "score", true, false, "loyalty", "+100 promoter, 0 passive, -100 detractor",
       "converted at end", ""},
      {"csat", K::kProportion, "share", true, false, "retention", "satisfied (S >= csat_threshold)",
       "converted at end", ""},
      {"alive_rate", K::kProportion, "share", true, true, "retention", "alive (latent BG/NBD state)",
       "converted at end", ""},
      {"unsubscribed_rate", K::kProportion, "share", false, false, "campaign",
       "unsubscribed from some channel at the end", "all customers", ""},
      {"messages_per_customer", K::kMean, "count", false, false, "campaign", "messages sent", "all customers", ""},
  };
  return defs;
}

int FindKpi(const std::vector<KpiDef>& defs, std::string_view name) {
  for (std::size_t k = 0; k < defs.size(); ++k)
    if (name == defs[k].name) return static_cast<int>(k);
  return -1;
}

CampaignKpiEvaluator::CampaignKpiEvaluator(const ModelParams& params, const Programme& programme,
                                           const Population& pop, int c)
    : params_(params), p_(pop), col_(pop.campaigns[c]), cost_(ArmCosts(programme, params.response)[c]) {
  for (const ArmTreatment& arm : programme.campaigns[c].arms) holdout_.push_back(arm.holdout);
}

KpiValue CampaignKpiEvaluator::Value(int k, std::size_t i, int day) const {
  const auto& p = p_;
  const auto& col = col_;
  const int a = col.arm[i];
  const std::uint8_t stage = p.stage[i];
  // Orders, visits and revenue before entry: the warm-up plus the window days before entry.
  auto orders_before = [&] { return static_cast<double>(p.orders[i] - p.win_orders[i] + col.orders_at_entry[i]); };
  auto ratio = [&](double y, double x) { return holdout_[a] ? KpiValue{} : KpiValue{true, y, x, 0}; };
  auto converted = [&](double y) { return IsConverted(stage) ? KpiValue{true, y, 1, orders_before()} : KpiValue{}; };
  const double revenue = p.win_revenue[i] - col.revenue_at_entry[i];
  const double orders = p.win_orders[i] - col.orders_at_entry[i];
  switch (static_cast<CampaignKpi>(k)) {
    case kGoalConversionRate: return {true, col.goals[i] > 0 ? 1.0 : 0.0, 1, orders_before()};
    case kFirstPurchaseRate: {
      // Entry happens after the day's natural activity, so a customer entering in acquisition had not bought.
      if (col.entry_stage[i] != static_cast<std::uint8_t>(Stage::kAcquisition)) return {};
      return {true, p.first_purchase_day[i] != kNever ? 1.0 : 0.0, 1, 0};
    }
    case kRepeatPurchaseRate: {
      const bool first_after =
          col.entry_stage[i] == static_cast<std::uint8_t>(Stage::kAcquisition) && p.first_purchase_day[i] != kNever;
      return {true, orders - (first_after ? 1 : 0) > 0 ? 1.0 : 0.0, 1, orders_before()};
    }
    case kRetentionRate:
      return converted(stage != kStageChurned &&
                       EngagementOf(p, i, day, params_.lifecycle) == Engagement::kActive);
    case kChurnRate: return {true, stage == kStageChurned ? 1.0 : 0.0, 1, orders_before()};
    case kLoyaltyRate: return {true, stage == kStageLoyalty ? 1.0 : 0.0, 1, orders_before()};
    case kRevenuePerCustomer: return {true, revenue, 1, p.pre_revenue[i] + col.revenue_at_entry[i]};
    case kNetRevenuePerCustomer:
      return {true, revenue - cost_[a].per_send * col.sends[i] - cost_[a].per_goal * col.goals[i], 1,
              p.pre_revenue[i] + col.revenue_at_entry[i]};
    case kOrdersPerCustomer: return {true, orders, 1, orders_before()};
    case kRevenuePerOrder: return {true, revenue, orders, 0};
    case kVisitsPerCustomer:
      return {true, static_cast<double>(p.win_visits[i] - col.visits_at_entry[i]), 1,
              static_cast<double>(p.pre_visits[i] + col.visits_at_entry[i])};
    case kNps: return IsConverted(stage) ? KpiValue{true, NpsPoints(p.satisfaction[i]), 1, 0} : KpiValue{};
    case kCsat:
      return IsConverted(stage)
                 ? KpiValue{true, p.satisfaction[i] >= params_.satisfaction.csat_threshold ? 1.0 : 0.0, 1, 0}
                 : KpiValue{};
    case kAliveRate: return IsConverted(stage) ? KpiValue{true, p.alive(i) ? 1.0 : 0.0, 1, 0} : KpiValue{};
    case kOpenRate: return ratio(col.opens[i], col.delivered[i]);
    case kClickRate: return ratio(col.clicks[i], col.delivered[i]);
    case kClickToOpenRate: return ratio(col.clicks[i], col.opens[i]);
    case kGoalPerClick: return ratio(col.goals[i], col.clicks[i]);
    case kUnsubscribeRate: return ratio(col.unsubscribed[i] && col.delivered[i] > 0, col.delivered[i]);
    case kNumCampaignKpis: break;
  }
  return {};
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
  v[kPgChurnRate] = {true, stage == kStageChurned ? 1.0 : 0.0, 1, pre_orders};
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
