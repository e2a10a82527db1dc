#include "experiments/campaign_analysis.h"

#include <cmath>
#include <limits>

#include "experiments/analysis/factorial.h"
#include "experiments/analysis/inference.h"
#include "experiments/kpi_rows.h"

namespace lclab::experiments {
namespace {

using models::KpiKind;
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// --- arms ---

// Each arm's settings and totals: names, weights and levels from the config; customers and revenue
// from the tally; the message funnel and send-time counts summed over the days.
void ArmTotals(const ExperimentConfig& cfg, int c, const CampaignTally& tally, const CampaignInputs& in,
               CampaignResult& out) {
  const CampaignConfig& cc = cfg.campaigns[c];
  out.arms.resize(cc.arms.size());
  for (std::size_t a = 0; a < cc.arms.size(); ++a) {
    ArmResult& ar = out.arms[a];
    const ArmConfig& ac = cc.arms[a];
    ar.name = ac.name, ar.weight = ac.weight, ar.holdout = ac.holdout, ar.control = static_cast<int>(a) == cc.control_arm;
    for (std::size_t f = 0; f < ac.levels.size(); ++f) ar.levels.push_back(cc.factors[f].levels[ac.levels[f]].name);
    // An adaptive campaign draws the arm on entry, so only entered customers have one.
    ar.assigned = cc.thompson ? tally.entered[a] : tally.assigned[a];
    ar.revenue = tally.revenue[a];
    const std::size_t cell = static_cast<std::size_t>(in.cell_offset) + a;
    models::CellDay sum;
    for (const auto& d : *in.daily) sum.Merge(d.cells[cell]);
    ar.entered = sum.entered, ar.triggers = sum.triggers, ar.sends = sum.sends, ar.unreachable = sum.unreachable;
    ar.suppressed = sum.suppressed, ar.deliveries = sum.deliveries, ar.opens = sum.opens, ar.clicks = sum.clicks;
    ar.goals = sum.goals, ar.unsubscribes = sum.unsubscribes, ar.message_cost = sum.message_cost;
    ar.incentive_cost = sum.incentive_cost, ar.discount = sum.discount;
    ar.mean_fatigue = sum.sends > 0 ? sum.fatigue / static_cast<double>(sum.sends) : kNan;
    ar.net_revenue = ar.revenue - ar.message_cost - ar.incentive_cost;
    ar.deferred = sum.deferred, ar.near_best = sum.near_best, ar.from_history = sum.from_history;
    ar.expected_opens = sum.expected_opens, ar.oracle_opens = sum.oracle_opens;
    using models::DayTally;
    for (const auto& d : *in.daily) {
      const std::int64_t* hours = &d.hours[cell * DayTally::kHourBins];
      for (int h = 0; h < 24; ++h) {
        ar.hour_deliveries[h] += hours[DayTally::kDeliveryBins + h];
        ar.hour_opens[h] += hours[DayTally::kOpenBins + h];
        ar.open_delay[h] += hours[DayTally::kOpenDelayBins + h];
      }
    }
  }
}

// Incremental revenue: the lift in revenue per entered customer, times the arm's entered customers.
void IncrementalRevenue(CampaignResult& out) {
  for (const KpiRow& row : out.kpis) {
    if (row.kpi != models::kRevenuePerCustomer && row.kpi != models::kNetRevenuePerCustomer) continue;
    const Interval total = row.has_comparison ? row.vs_control.abs.Scaled(row.moments.n) : kUndefinedInterval;
    ArmResult& ar = out.arms[row.arm];
    (row.kpi == models::kRevenuePerCustomer ? ar.incremental_revenue : ar.incremental_net_revenue) = total;
  }
}

// --- sample ratios ---

// Customers hashed to each arm against the weights (fixed allocation only), and the entered customers
// against what the allocation in force each day implies.
void SampleRatios(const ExperimentConfig& cfg, int c, const CampaignTally& tally, const CampaignInputs& in,
                  CampaignResult& out) {
  const CampaignConfig& cc = cfg.campaigns[c];
  const int arms = static_cast<int>(cc.arms.size());
  double wsum = 0, assigned = 0;
  for (int a = 0; a < arms; ++a) wsum += cc.arms[a].weight, assigned += static_cast<double>(tally.assigned[a]);
  if (!cc.thompson) {
    for (int a = 0; a < arms; ++a) {
      out.srm_assigned.observed.push_back(static_cast<double>(tally.assigned[a]));
      out.srm_assigned.expected.push_back(assigned * cc.arms[a].weight / wsum);
    }
    out.srm_assigned.test = SampleRatioMismatch(out.srm_assigned.observed, out.srm_assigned.expected);
  }
  for (int a = 0; a < arms; ++a) out.srm_entered.observed.push_back(static_cast<double>(tally.entered[a]));
  const int start = cfg.clock.window_start();
  out.srm_entered.expected.assign(arms, 0.0);
  for (int day = start; day < cfg.clock.window_end(); ++day) {
    double entered = 0;
    for (int a = 0; a < arms; ++a) entered += static_cast<double>((*in.daily)[day].cells[in.cell_offset + a].entered);
    for (int a = 0; a < arms; ++a)
      out.srm_entered.expected[a] += entered * out.allocation.weights[static_cast<std::size_t>(day - start) * arms + a];
  }
  out.srm_entered.test = SampleRatioMismatch(out.srm_entered.observed, out.srm_entered.expected);
}

// --- factorial analysis ---

// Factors that change the delivery hour: they set the send time, or switch between a channel shown on
// a visit (at the visit's hour) and one that is sent. Their open-logit terms have no planted truth.
std::vector<bool> SendTimeFactors(const ExperimentConfig& cfg, const CampaignConfig& cc,
                                  const std::vector<int>& variant_arms) {
  auto on_visit = [&](models::Channel ch) { return cfg.model.response.channels[static_cast<int>(ch)].needs_visit; };
  bool mixed_visit = false;
  for (int a : variant_arms)
    mixed_visit = mixed_visit ||
                  on_visit(cc.arms[a].treatment.channel) != on_visit(cc.arms[variant_arms[0]].treatment.channel);
  std::vector<bool> sets_send_time;
  for (const auto& f : cc.factors) {
    bool sets = false;
    for (const auto& l : f.levels) sets = sets || l.send_policy || l.send_hour || (mixed_visit && l.channel);
    sets_send_time.push_back(sets);
  }
  return sets_send_time;
}

double MeanPriceSensitivity(const models::ModelParams& m) {
  double mean_pi = 0, wsum = 0;
  for (const auto& per : m.personas) mean_pi += per.weight * per.price_sensitivity_mean, wsum += per.weight;
  return mean_pi / wsum;
}

// Logistic fits of the four funnel steps, with the typical customer's planted logits projected on the
// model as the truth of each term.
void FunnelFits(const ExperimentConfig& cfg, int c, const CampaignTally& tally, const CampaignInputs& in,
                CampaignResult& out) {
  const CampaignConfig& cc = cfg.campaigns[c];
  const std::vector<bool> timed_factor = SendTimeFactors(cfg, cc, out.variant_arms);
  const double mean_pi = MeanPriceSensitivity(cfg.model);
  struct Step {
    const char* name;
    int kpi;
    double models::TypicalLogits::*truth;
  };
  const Step steps[] = {{"open", models::kOpenRate, &models::TypicalLogits::open},
                        {"click_given_open", models::kClickToOpenRate, &models::TypicalLogits::click},
                        {"goal_given_click", models::kGoalPerClick, &models::TypicalLogits::goal},
                        {"unsubscribe", models::kUnsubscribeRate, &models::TypicalLogits::unsubscribe}};
  for (const Step& st : steps) {
    std::vector<Moments> data;
    std::vector<double> planted;
    for (int a : out.variant_arms) {
      data.push_back(tally.Kpi(st.kpi, a));
      planted.push_back(models::TypicalCustomerLogits(*in.intercepts, cc.plan, cc.arms[a].treatment,
                                                      cfg.model.response, mean_pi).*st.truth);
    }
    FactorialOutcome fo{st.name, "logit", FitLogistic(out.model, data, cfg.confidence)};
    const std::vector<double> truth = ProjectOnModel(out.model, planted);
    for (std::size_t j = 0; j < fo.fit.terms.size(); ++j) {
      // A factor whose levels set the send time changes the activity term of the open logit,
      // which has no planted value (the send-time table reports it against the oracle instead).
      const auto& term = out.model.terms[j];
      const bool timed = timed_factor[term.factor_a] || (term.factor_b >= 0 && timed_factor[term.factor_b]);
      fo.fit.terms[j].truth = timed && st.kpi == models::kOpenRate ? kNan : truth[j + 1];
    }
    out.factorial.push_back(fo);
  }
}

// Main effects and interactions over the variants (holdouts excluded), when the campaign has factors.
void Factorial(const ExperimentConfig& cfg, int c, const CampaignTally& tally, const CampaignInputs& in,
               CampaignResult& out) {
  const CampaignConfig& cc = cfg.campaigns[c];
  for (int a = 0; a < static_cast<int>(cc.arms.size()); ++a)
    if (!cc.arms[a].holdout) out.variant_arms.push_back(a);
  if (cc.factors.empty() || out.variant_arms.size() < 2) return;
  std::vector<std::vector<int>> variants;
  for (int a : out.variant_arms) variants.push_back(cc.arms[a].levels);
  std::vector<std::string> factor_names;
  std::vector<std::vector<std::string>> level_names;
  for (const auto& f : cc.factors) {
    factor_names.push_back(f.name);
    level_names.emplace_back();
    for (const auto& l : f.levels) level_names.back().push_back(l.name);
  }
  out.model = BuildFactorialModel(variants, factor_names, level_names);
  FunnelFits(cfg, c, tally, in, out);
  for (int k : {static_cast<int>(models::kGoalConversionRate), static_cast<int>(models::kNetRevenuePerCustomer)}) {
    std::vector<Moments> data;
    for (int a : out.variant_arms) data.push_back(tally.Kpi(k, a));
    out.factorial.push_back(
        {models::CampaignKpiDefinitions()[k].name, "difference", FitLinear(out.model, data, cfg.confidence)});
  }
}

// --- best variant ---

// The best variant overall and per persona by the best_by KPI, in its better direction.
void BestVariants(const ExperimentConfig& cfg, int c, const CampaignTally& tally, CampaignResult& out) {
  const CampaignConfig& cc = cfg.campaigns[c];
  const int arms = tally.arms;
  const int np = static_cast<int>(cfg.model.personas.size());
  const int best_kpi = cc.best_by;
  const models::KpiDef& def = models::CampaignKpiDefinitions()[best_kpi];
  // Per persona the sums are (y / pi, x / pi): ratios; so are a Thompson campaign's.
  const KpiKind kind = cc.thompson ? KpiKind::kRatio : def.kind;
  const auto& best_all = cc.thompson ? tally.ipw : tally.kpi;
  auto pick = [&](const std::string& segment, auto moments_of) {
    BestVariant b;
    b.segment = segment;
    double best = -std::numeric_limits<double>::infinity();
    const double dir = def.higher_is_better ? 1.0 : -1.0;
    for (int a : out.variant_arms) {
      const Moments& m = moments_of(a);
      const double v = ValueOf(segment == "all" ? kind : KpiKind::kRatio, m);
      if (m.n < 2 || !std::isfinite(v)) continue;
      if (dir * v > best) best = dir * v, b.arm = a;
    }
    if (b.arm < 0) return b;
    b.moments = moments_of(b.arm);
    b.estimate = EstimateOf(def, segment == "all" ? kind : KpiKind::kRatio, b.moments, cfg.confidence);
    const Moments& control = moments_of(cc.control_arm);
    if (b.arm != cc.control_arm && control.n >= kMinArmUnits && b.moments.n >= kMinArmUnits) {
      b.vs_control = CompareOf(def, segment == "all" ? kind : KpiKind::kRatio, b.moments, control, cfg.confidence);
      b.has_comparison = std::isfinite(b.vs_control.abs.estimate) && std::isfinite(b.vs_control.p_value);
    }
    return b;
  };
  out.best.push_back(pick("all", [&](int a) -> const Moments& { return best_all[best_kpi * arms + a]; }));
  for (int s = 0; s < np && np > 1; ++s)
    out.best.push_back(pick(cfg.model.personas[s].name, [&, s](int a) -> const Moments& {
      return tally.segment[static_cast<std::size_t>(s) * arms + a];
    }));
}

}  // namespace

void AnalyseCampaign(const ExperimentConfig& cfg, int c, const CampaignTally& tally, const CampaignInputs& in,
                     CampaignResult& out) {
  const CampaignConfig& cc = cfg.campaigns[c];
  const auto& defs = models::CampaignKpiDefinitions();
  const KpiSums sums{&tally.kpi, &tally.cov, cc.thompson ? &tally.ipw : nullptr, &tally.movable, tally.arms,
                     cc.control_arm};
  out.kpis = KpiRows(defs, sums, cfg.confidence, cfg.model.lifecycle);
  ArmTotals(cfg, c, tally, in, out);
  std::vector<double> sends_per_customer;
  for (const ArmResult& a : out.arms)
    sends_per_customer.push_back(a.entered > 0 ? static_cast<double>(a.sends) / static_cast<double>(a.entered) : 0.0);
  ApplyRoles(out.kpis, defs, cc.primary_kpis, cc.guardrail_kpis, cc.guardrail_margins, sends_per_customer);
  IncrementalRevenue(out);
  SampleRatios(cfg, c, tally, in, out);
  Factorial(cfg, c, tally, in, out);
  BestVariants(cfg, c, tally, out);
}

void AnalyseProgramme(const ExperimentConfig& cfg, const ProgrammeTally& tally, std::size_t customers,
                      RunResult& out) {
  constexpr int G = ProgrammeTally::G;
  const auto& defs = models::ProgrammeKpiDefinitions();
  const KpiSums sums{&tally.kpi, &tally.cov, nullptr, &tally.movable, G, models::kGroupGlobalControl};
  out.programme_kpis = KpiRows(defs, sums, cfg.confidence, cfg.model.lifecycle);
  std::vector<double> sends_per_customer;
  for (int g = 0; g < G; ++g)
    sends_per_customer.push_back(tally.customers[g] > 0 ? static_cast<double>(tally.messages[g]) /
                                                             static_cast<double>(tally.customers[g])
                                                       : 0.0);
  ApplyRoles(out.programme_kpis, defs, cfg.programme_primary, cfg.programme_guardrail, cfg.programme_margins,
             sends_per_customer);
  out.groups.resize(G);
  for (int g = 0; g < G; ++g) {
    GroupResult& gr = out.groups[g];
    gr.name = models::kGroupNames[g];
    gr.customers = tally.customers[g], gr.messages = tally.messages[g];
    gr.message_cost = tally.message_cost[g], gr.incentive_cost = tally.incentive_cost[g], gr.revenue = tally.revenue[g];
    gr.net_revenue = gr.revenue - gr.message_cost - gr.incentive_cost;
  }
  if (cfg.global_control > 0) {
    const double n = static_cast<double>(customers);
    out.programme_srm.observed = {static_cast<double>(tally.customers[0]), static_cast<double>(tally.customers[1])};
    out.programme_srm.expected = {n * (1 - cfg.global_control), n * cfg.global_control};
    out.programme_srm.test = SampleRatioMismatch(out.programme_srm.observed, out.programme_srm.expected);
  }
}

void ComputeRegret(CampaignResult& cr) {
  AllocationResult& al = cr.allocation;
  const models::KpiDef& def = models::CampaignKpiDefinitions()[al.kpi];
  const int arms = static_cast<int>(cr.arms.size());
  std::vector<double> value(arms, kNan), units(arms, 0.0);
  for (const KpiRow& row : cr.kpis) {
    if (row.kpi != al.kpi) continue;
    value[row.arm] = al.from_oracle ? row.true_value : row.estimate.estimate;
    units[row.arm] = def.kind == KpiKind::kRatio ? row.moments.sx : row.moments.n;
  }
  const double dir = def.higher_is_better ? 1.0 : -1.0;
  for (int a = 0; a < arms; ++a)
    if (std::isfinite(value[a]) && (al.best_arm < 0 || dir * value[a] > dir * value[al.best_arm])) al.best_arm = a;
  if (al.best_arm < 0) {
    al.regret = al.fixed_regret = kNan;
    return;
  }
  double total = 0, wsum = 0;
  for (int a = 0; a < arms; ++a) total += units[a], wsum += cr.arms[a].weight;
  al.regret = al.fixed_regret = 0;
  for (int a = 0; a < arms; ++a) {
    const double gap = std::isfinite(value[a]) ? dir * (value[al.best_arm] - value[a]) : 0.0;
    al.regret += units[a] * gap;
    al.fixed_regret += total * cr.arms[a].weight / wsum * gap;
  }
}

}  // namespace lclab::experiments
