#include "experiments/runner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>

#include "experiments/assignment.h"
#include "sim/error.h"
#include "sim/parallel.h"

namespace lclab::experiments {
namespace {
using models::kNever;

const double kNan = std::numeric_limits<double>::quiet_NaN();

Estimate EstimateOf(KpiKind kind, const Moments& m, double confidence) {
  switch (kind) {
    case KpiKind::kProportion: if (m.n >= 1) return ProportionEstimate(m, confidence); break;
    case KpiKind::kMean: if (m.n >= 2) return MeanEstimate(m, confidence); break;
    case KpiKind::kRatio: if (m.n >= 2 && m.sx > 0) return RatioEstimate(m, confidence); break;
  }
  return {kNan, kNan, kNan, kNan};
}

// Treatment against control; abs_lift is NaN when undefined.
Comparison CompareOf(KpiKind kind, const Moments& t, const Moments& c, double confidence) {
  Comparison r;
  r.abs_lift = kNan;
  if (t.n < 2 || c.n < 2) return r;
  switch (kind) {
    case KpiKind::kProportion: return ProportionCompare(t, c, confidence);
    case KpiKind::kMean: return WelchCompare(t, c, confidence);
    case KpiKind::kRatio: return t.sx > 0 && c.sx > 0 ? RatioCompare(t, c, confidence) : r;
  }
  return r;
}

// The value a KPI takes over `m`: a mean (proportion) or a ratio of sums.
double ValueOf(KpiKind kind, const Moments& m) {
  if (kind == KpiKind::kRatio) return m.sx > 0 ? m.sy / m.sx : kNan;
  return m.n > 0 ? m.sy / m.n : kNan;
}

// Estimates, comparisons against `control` and CUPED for kpi-major, cell-minor moments.
// With `ipw` (an adaptive allocation) the estimates and comparisons are the inverse-probability-weighted
// ratios sum(y / pi) / sum(x / pi), and there is no CUPED.
std::vector<KpiRow> Summarise(const std::vector<KpiDef>& defs, const std::vector<Moments>& total,
                              const std::vector<Moments>& cov, int cells, int control, double confidence,
                              const std::vector<Moments>* ipw = nullptr) {
  std::vector<KpiRow> rows;
  const std::vector<Moments>& est = ipw ? *ipw : total;
  for (std::size_t k = 0; k < defs.size(); ++k) {
    const KpiKind kind = ipw ? KpiKind::kRatio : defs[k].kind;
    Moments pooled;
    for (int a = 0; a < cells; ++a) pooled.Merge(cov[k * cells + a]);
    // CUPED needs a covariate that varies (a first-purchase campaign's "orders before entry" is 0 for all).
    const bool cuped = *defs[k].covariate && kind != KpiKind::kRatio && !ipw && pooled.n >= 2 &&
                       pooled.sxx - pooled.sx * pooled.sx / pooled.n > 0;
    const double theta = cuped ? CupedTheta(pooled) : 0.0;
    const double x_mean = pooled.n > 0 ? pooled.sx / pooled.n : 0.0;
    const Moments& cc = cov[k * cells + control];
    for (int a = 0; a < cells; ++a) {
      KpiRow row;
      row.kpi = static_cast<int>(k);
      row.arm = a;
      row.moments = total[k * cells + a];
      row.estimate = EstimateOf(kind, est[k * cells + a], confidence);
      if (a != control) {
        row.vs_control = CompareOf(kind, est[k * cells + a], est[k * cells + control], confidence);
        row.has_comparison = std::isfinite(row.vs_control.abs_lift);
      }
      row.covariate = cov[k * cells + a];
      if (cuped && row.covariate.n >= 2) {
        row.has_cuped = true;
        row.cuped_theta = theta;
        row.cuped_estimate = CupedEstimate(row.covariate, theta, x_mean, confidence);
        if (row.has_comparison && cc.n >= 2) {
          row.cuped = CupedCompare(row.covariate, cc, theta, x_mean, confidence);
          const double v0 = row.vs_control.abs_se * row.vs_control.abs_se;
          row.variance_reduction = v0 > 0 ? 1.0 - row.cuped.abs_se * row.cuped.abs_se / v0 : kNan;
        } else {
          row.cuped.abs_lift = kNan;
        }
      }
      row.p_holm = row.p_bh = kNan;
      row.true_value = row.true_effect = row.true_rel_effect = kNan;
      rows.push_back(row);
    }
  }
  return rows;
}

// Roles, multiple-testing corrections over primary KPIs x arms, and guardrail breaches.
void ApplyRoles(std::vector<KpiRow>& rows, const std::vector<KpiDef>& defs, const std::vector<int>& primary,
                const std::vector<int>& guardrail, double margin) {
  std::vector<double> p;
  std::vector<KpiRow*> family;
  for (KpiRow& row : rows) {
    if (std::find(primary.begin(), primary.end(), row.kpi) != primary.end()) row.role = KpiRole::kPrimary;
    if (std::find(guardrail.begin(), guardrail.end(), row.kpi) != guardrail.end()) row.role = KpiRole::kGuardrail;
    if (row.role == KpiRole::kPrimary && row.has_comparison) {
      family.push_back(&row);
      p.push_back(row.vs_control.p_value);
    }
    if (row.role == KpiRole::kGuardrail && row.has_comparison) {
      // The absolute CI against margin x the control's value (a relative CI is unstable for rare events).
      const Comparison& v = row.vs_control;
      const double tolerance = margin * std::fabs(row.estimate.value - v.abs_lift);
      row.guardrail_breach = defs[row.kpi].higher_is_better ? v.abs_hi < -tolerance : v.abs_lo > tolerance;
    }
  }
  const std::vector<double> holm = HolmAdjust(p), bh = BenjaminiHochbergAdjust(p);
  for (std::size_t j = 0; j < family.size(); ++j) family[j]->p_holm = holm[j], family[j]->p_bh = bh[j];
}

// Per-arm sums of a campaign's KPIs over the customers who entered it (global control excluded).
struct CampaignAcc {
  std::vector<Moments> kpi, cov, segment;  // [k * arms + a]; segment: [s * arms + a] for the best_by KPI
  std::vector<Moments> ipw;                // adaptive allocation: (y / pi, x / pi), pi the arm's share on entry
  std::vector<std::int64_t> assigned, entered;
  std::vector<double> revenue;
  void Reset(int arms, int personas) {
    kpi.assign(kNumCampaignKpis * arms, Moments{});
    cov.assign(kNumCampaignKpis * arms, Moments{});
    ipw.assign(kNumCampaignKpis * arms, Moments{});
    segment.assign(static_cast<std::size_t>(personas) * arms, Moments{});
    assigned.assign(arms, 0);
    entered.assign(arms, 0);
    revenue.assign(arms, 0.0);
  }
  void Merge(const CampaignAcc& o) {
    for (std::size_t k = 0; k < kpi.size(); ++k) kpi[k].Merge(o.kpi[k]), cov[k].Merge(o.cov[k]), ipw[k].Merge(o.ipw[k]);
    for (std::size_t k = 0; k < segment.size(); ++k) segment[k].Merge(o.segment[k]);
    for (std::size_t a = 0; a < assigned.size(); ++a)
      assigned[a] += o.assigned[a], entered[a] += o.entered[a], revenue[a] += o.revenue[a];
  }
};

int BestByKpi(const CampaignConfig& cc) {
  return cc.best_by == "net_revenue_per_customer" ? kNetRevenuePerCustomer : kGoalConversionRate;
}

// Sums campaign c's KPIs in `kpis` (all when empty) as of the end of `day`. With `shares` (an adaptive
// allocation's weights, [window day * arms + arm]) also the inverse-probability-weighted sums.
CampaignAcc AccumulateCampaign(const ExperimentConfig& cfg, const models::Population& p, int c, int day,
                               int threads, const std::vector<int>& kpis, const std::vector<double>* shares = nullptr) {
  const CampaignConfig& cc = cfg.campaigns[c];
  const models::CampaignColumns& col = p.campaigns[c];
  const int arms = static_cast<int>(cc.arms.size());
  const int np = static_cast<int>(cfg.model.personas.size());
  std::vector<int> ks = kpis;
  if (ks.empty())
    for (int k = 0; k < kNumCampaignKpis; ++k) ks.push_back(k);
  const bool all = kpis.empty();
  std::vector<std::uint8_t> has_cov(kNumCampaignKpis);
  for (int k = 0; k < kNumCampaignKpis; ++k) has_cov[k] = *CampaignKpiDefinitions()[k].covariate != 0;
  const int best_kpi = BestByKpi(cc);
  const CampaignKpiEvaluator eval(cfg, p, c);
  std::vector<CampaignAcc> acc(sim::ShardCount(p.size(), models::kShardSize));
  sim::ForEachShard(p.size(), models::kShardSize, threads, [&](const sim::ShardRange& r) {
    CampaignAcc& m = acc[r.index];
    m.Reset(arms, all ? np : 0);
    for (std::size_t i = r.begin; i < r.end; ++i) {
      if (p.flags[i] & models::kFlagGlobalControl) continue;
      const int a = col.arm[i];
      ++m.assigned[a];
      if (col.entered_day[i] == kNever) continue;
      ++m.entered[a];
      const double pi =
          shares ? (*shares)[static_cast<std::size_t>(col.entered_day[i] - cfg.clock.window_start()) * arms + a] : 1.0;
      for (int k : ks) {
        const KpiValue v = eval.Value(k, i, day);
        if (!v.in) continue;
        m.kpi[k * arms + a].Add(v.y, v.x);
        if (has_cov[k]) m.cov[k * arms + a].Add(v.y, v.covariate);
        if (shares) m.ipw[k * arms + a].Add(v.y / pi, v.x / pi);
      }
      if (all) {
        m.revenue[a] += eval.Value(kRevenuePerCustomer, i, day).y;
        m.segment[static_cast<std::size_t>(p.segment[i]) * arms + a].Add(eval.Value(best_kpi, i, day).y / pi, 1.0 / pi);
      }
    }
  });
  CampaignAcc total;
  total.Reset(arms, all ? np : 0);
  for (const CampaignAcc& s : acc) total.Merge(s);  // shard order: deterministic
  return total;
}

// Per-campaign accounting from the finished population.
void AccountCampaign(const ExperimentConfig& cfg, const models::Population& p, int c, int threads,
                     const models::Simulator& sim, CampaignResult& out) {
  const CampaignConfig& cc = cfg.campaigns[c];
  const int arms = static_cast<int>(cc.arms.size());
  const int np = static_cast<int>(cfg.model.personas.size());
  const auto& rp = cfg.model.response;
  const int best_kpi = BestByKpi(cc);
  const CampaignAcc total = AccumulateCampaign(cfg, p, c, cfg.clock.window_end() - 1, threads, {},
                                               cc.thompson ? &out.allocation.weights : nullptr);
  out.kpis = Summarise(CampaignKpiDefinitions(), total.kpi, total.cov, arms, cc.control_arm, cfg.confidence,
                       cc.thompson ? &total.ipw : nullptr);
  ApplyRoles(out.kpis, CampaignKpiDefinitions(), cc.primary_kpis, cc.guardrail_kpis, cc.guardrail_margin);

  // Arm totals.
  out.arms.resize(arms);
  for (int a = 0; a < arms; ++a) {
    ArmResult& ar = out.arms[a];
    const ArmConfig& ac = cc.arms[a];
    ar.name = ac.name, ar.weight = ac.weight, ar.holdout = ac.holdout, ar.control = a == cc.control_arm;
    for (std::size_t f = 0; f < ac.levels.size(); ++f) ar.levels.push_back(cc.factors[f].levels[ac.levels[f]].name);
    // An adaptive campaign draws the arm on entry, so only entered customers have one.
    ar.assigned = cc.thompson ? total.entered[a] : total.assigned[a];
    ar.revenue = total.revenue[a];
  }
  // Incremental revenue: the lift in revenue per entered customer, times the arm's entered customers.
  for (const KpiRow& row : out.kpis) {
    ArmResult& ar = out.arms[row.arm];
    if (row.kpi != kRevenuePerCustomer && row.kpi != kNetRevenuePerCustomer) continue;
    const double n = row.moments.n;
    const bool h = row.has_comparison;
    double* dst = row.kpi == kRevenuePerCustomer ? &ar.incremental_revenue : &ar.incremental_net_revenue;
    dst[0] = h ? row.vs_control.abs_lift * n : kNan;
    dst[1] = h ? row.vs_control.abs_lo * n : kNan;
    dst[2] = h ? row.vs_control.abs_hi * n : kNan;
  }

  // Sample-ratio mismatch of the customers hashed to each arm (fixed allocation only).
  double wsum = 0, assigned = 0;
  for (int a = 0; a < arms; ++a) wsum += cc.arms[a].weight, assigned += static_cast<double>(total.assigned[a]);
  if (!cc.thompson) {
    for (int a = 0; a < arms; ++a) {
      out.srm_assigned.observed.push_back(static_cast<double>(total.assigned[a]));
      out.srm_assigned.expected.push_back(assigned * cc.arms[a].weight / wsum);
    }
    out.srm_assigned.test = SampleRatioMismatch(out.srm_assigned.observed, out.srm_assigned.expected);
  }
  for (int a = 0; a < arms; ++a) out.srm_entered.observed.push_back(static_cast<double>(total.entered[a]));

  // Factorial analysis over the variants (holdouts excluded), when the campaign has factors.
  for (int a = 0; a < arms; ++a)
    if (!cc.arms[a].holdout) out.variant_arms.push_back(a);
  if (!cc.factors.empty() && out.variant_arms.size() >= 2) {
    std::vector<std::vector<int>> variants;
    for (int a : out.variant_arms) variants.push_back(cc.arms[a].levels);
    std::vector<std::string> fnames;
    std::vector<std::vector<std::string>> lnames;
    for (const auto& f : cc.factors) {
      fnames.push_back(f.name);
      lnames.emplace_back();
      for (const auto& l : f.levels) lnames.back().push_back(l.name);
    }
    out.model = BuildFactorialModel(variants, fnames, lnames);
    // Factors that change the delivery hour: they set the send time, or switch between a channel
    // shown on a visit (at the visit's hour) and one that is sent.
    auto on_visit = [&](models::Channel ch) { return rp.channels[static_cast<int>(ch)].needs_visit; };
    bool mixed_visit = false;
    for (int a : out.variant_arms)
      mixed_visit = mixed_visit || on_visit(cc.arms[a].treatment.channel) !=
                                       on_visit(cc.arms[out.variant_arms[0]].treatment.channel);
    std::vector<bool> sets_send_time;
    for (const auto& f : cc.factors) {
      bool sets = false;
      for (const auto& l : f.levels) sets = sets || l.send_policy || l.send_hour || (mixed_visit && l.channel);
      sets_send_time.push_back(sets);
    }
    // Planted truth per variant on each logit, for a typical customer (no segment deviation,
    // rho = 0, mean activity, no fatigue, mean price sensitivity).
    double mean_pi = 0, wsum = 0;
    for (const auto& per : cfg.model.personas) mean_pi += per.weight * per.price_sensitivity_mean, wsum += per.weight;
    mean_pi /= wsum;
    auto logit = [](double q) { return std::log(q / (1 - q)); };
    struct FunnelStep {
      const char* name;
      int kpi;
      std::function<double(const models::ArmTreatment&)> truth;
    };
    const std::vector<FunnelStep> steps = {
        {"open", kOpenRate,
         [&](const models::ArmTreatment& t) { return sim.open_intercept(t.channel) + t.effects.open; }},
        {"click_given_open", kClickToOpenRate,
         [&](const models::ArmTreatment& t) {
           return logit(rp.channels[static_cast<int>(t.channel)].click) + t.effects.click;
         }},
        {"goal_given_click", kGoalPerClick,
         [&](const models::ArmTreatment& t) {
           return logit(cc.plan.goal_rate) + t.effects.goal +
                  rp.incentive_effect * models::IncentiveStrength(t, rp) * mean_pi;
         }},
        {"unsubscribe", kUnsubscribeRate,
         [&](const models::ArmTreatment& t) { return sim.unsubscribe_intercept(t.channel) + t.effects.unsubscribe; }},
    };
    for (const FunnelStep& st : steps) {
      std::vector<Moments> data;
      std::vector<double> planted;
      for (int a : out.variant_arms) {
        data.push_back(total.kpi[st.kpi * arms + a]);
        planted.push_back(st.truth(cc.arms[a].treatment));
      }
      FactorialOutcome fo{st.name, "logit", FitLogistic(out.model, data, cfg.confidence)};
      const std::vector<double> truth = ProjectOnModel(out.model, planted);
      for (std::size_t j = 0; j < fo.fit.terms.size(); ++j) {
        // A factor whose levels set the send time changes the activity term of the open logit,
        // which has no planted value (the send-time table reports it against the oracle instead).
        const auto& term = out.model.terms[j];
        const bool timed = sets_send_time[term.factor_a] || (term.factor_b >= 0 && sets_send_time[term.factor_b]);
        fo.fit.terms[j].truth = timed && st.kpi == kOpenRate ? kNan : truth[j + 1];
      }
      out.factorial.push_back(fo);
    }
    for (int k : {static_cast<int>(kGoalConversionRate), static_cast<int>(kNetRevenuePerCustomer)}) {
      std::vector<Moments> data;
      for (int a : out.variant_arms) data.push_back(total.kpi[k * arms + a]);
      out.factorial.push_back(
          {CampaignKpiDefinitions()[k].name, "difference", FitLinear(out.model, data, cfg.confidence)});
    }
  }

  // Best variant overall and per persona by the best_by KPI (segment sums are (y / pi, 1 / pi): ratios).
  const KpiKind best_kind = cc.thompson ? KpiKind::kRatio : CampaignKpiDefinitions()[best_kpi].kind;
  const auto& best_all = cc.thompson ? total.ipw : total.kpi;
  auto pick = [&](const std::string& segment, auto moments_of) {
    BestVariant b;
    b.segment = segment;
    double best = -std::numeric_limits<double>::infinity();
    for (int a : out.variant_arms) {
      const Moments& m = moments_of(a);
      if (m.n < 2) continue;
      if (ValueOf(best_kind, m) > best) best = ValueOf(best_kind, m), b.arm = a;
    }
    if (b.arm < 0) return b;
    b.moments = moments_of(b.arm);
    b.estimate = EstimateOf(best_kind, b.moments, cfg.confidence);
    const Moments& c = moments_of(cc.control_arm);
    if (b.arm != cc.control_arm && c.n >= 2) {
      b.vs_control = CompareOf(best_kind, b.moments, c, cfg.confidence);
      b.has_comparison = std::isfinite(b.vs_control.abs_lift);
    }
    return b;
  };
  out.best.push_back(pick("all", [&](int a) -> const Moments& { return best_all[best_kpi * arms + a]; }));
  for (int s = 0; s < np && np > 1; ++s)
    out.best.push_back(pick(cfg.model.personas[s].name, [&, s](int a) -> const Moments& {
      return total.segment[static_cast<std::size_t>(s) * arms + a];
    }));
}

void AccountProgramme(const ExperimentConfig& cfg, const models::Population& p, int threads, RunResult& out) {
  const auto& rp = cfg.model.response;
  const int nc = static_cast<int>(cfg.campaigns.size());
  std::vector<std::vector<double>> send_cost(nc), goal_cost(nc);
  for (int c = 0; c < nc; ++c)
    for (const auto& a : cfg.campaigns[c].arms) {
      send_cost[c].push_back(models::CostPerSend(a.treatment, rp));
      goal_cost[c].push_back(models::IncentiveCostPerGoal(a.treatment, rp));
    }
  constexpr int G = models::kNumGroups;
  struct Acc {
    std::vector<Moments> kpi, cov;
    std::array<std::int64_t, G> customers{}, messages{};
    std::array<double, G> msg_cost{}, inc_cost{}, revenue{};
  };
  std::vector<std::uint8_t> has_cov(kNumProgrammeKpis);
  for (int k = 0; k < kNumProgrammeKpis; ++k) has_cov[k] = *ProgrammeKpiDefinitions()[k].covariate != 0;
  const ProgrammeKpiEvaluator eval(cfg, p);
  const std::size_t shards = sim::ShardCount(p.size(), models::kShardSize);
  std::vector<Acc> acc(shards);
  sim::ForEachShard(p.size(), models::kShardSize, threads, [&](const sim::ShardRange& r) {
    Acc& m = acc[r.index];
    m.kpi.assign(kNumProgrammeKpis * G, Moments{});
    m.cov.assign(kNumProgrammeKpis * G, Moments{});
    KpiValue v[kNumProgrammeKpis];
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const int g = (p.flags[i] & models::kFlagGlobalControl) ? models::kGroupGlobalControl : models::kGroupProgramme;
      for (int c = 0; c < nc; ++c) {
        const auto& col = p.campaigns[c];
        if (col.entered_day[i] == kNever) continue;
        const int a = col.arm[i];
        m.msg_cost[g] += send_cost[c][a] * col.sends[i];
        m.inc_cost[g] += goal_cost[c][a] * col.goals[i];
        m.messages[g] += col.sends[i];
      }
      ++m.customers[g];
      m.revenue[g] += p.win_revenue[i];
      eval.Values(i, v);
      for (int k = 0; k < kNumProgrammeKpis; ++k) {
        if (!v[k].in) continue;
        m.kpi[k * G + g].Add(v[k].y, v[k].x);
        if (has_cov[k]) m.cov[k * G + g].Add(v[k].y, v[k].covariate);
      }
    }
  });
  Acc total;
  total.kpi.assign(kNumProgrammeKpis * G, Moments{});
  total.cov.assign(kNumProgrammeKpis * G, Moments{});
  for (const Acc& s : acc) {
    for (std::size_t k = 0; k < total.kpi.size(); ++k) total.kpi[k].Merge(s.kpi[k]), total.cov[k].Merge(s.cov[k]);
    for (int g = 0; g < G; ++g) {
      total.customers[g] += s.customers[g], total.messages[g] += s.messages[g];
      total.msg_cost[g] += s.msg_cost[g], total.inc_cost[g] += s.inc_cost[g], total.revenue[g] += s.revenue[g];
    }
  }
  out.programme_kpis = Summarise(ProgrammeKpiDefinitions(), total.kpi, total.cov, G, models::kGroupGlobalControl,
                                 cfg.confidence);
  ApplyRoles(out.programme_kpis, ProgrammeKpiDefinitions(), cfg.programme_primary, cfg.programme_guardrail, 0.0);
  out.groups.resize(G);
  for (int g = 0; g < G; ++g) {
    GroupResult& gr = out.groups[g];
    gr.name = models::kGroupNames[g];
    gr.customers = total.customers[g], gr.messages = total.messages[g];
    gr.message_cost = total.msg_cost[g], gr.incentive_cost = total.inc_cost[g], gr.revenue = total.revenue[g];
    gr.net_revenue = gr.revenue - gr.message_cost - gr.incentive_cost;
  }
  if (cfg.global_control > 0) {
    const double n = static_cast<double>(p.size());
    out.programme_srm.observed = {static_cast<double>(total.customers[0]), static_cast<double>(total.customers[1])};
    out.programme_srm.expected = {n * (1 - cfg.global_control), n * cfg.global_control};
    out.programme_srm.test = SampleRatioMismatch(out.programme_srm.observed, out.programme_srm.expected);
  }
}

// The daily analysis of one campaign in the window: the always-valid sequence of each primary KPI
// against the control, and the Thompson allocation.
struct CampaignDaily {
  std::vector<int> kpis;         // KPIs accumulated each day
  std::vector<SequentialSeries> series;
  std::vector<double> n_star;    // per series: customers at which the sequence is tightest
  std::vector<double> weights;   // the allocation in force (normalised)
  AllocationResult allocation;
};

CampaignDaily StartDaily(const ExperimentConfig& cfg, int c, const models::Population& pop) {
  const CampaignConfig& cc = cfg.campaigns[c];
  CampaignDaily d;
  double wsum = 0;
  for (const auto& a : cc.arms) wsum += a.weight;
  for (const auto& a : cc.arms) d.weights.push_back(a.weight / wsum);
  d.allocation.adaptive = cc.thompson;
  d.allocation.kpi = cc.thompson ? cc.allocation_kpi : cc.primary_kpis[0];
  d.allocation.min_share = cc.min_share;
  if (cfg.sequential) {
    double eligible = cc.sequential_customers;
    if (eligible <= 0)
      for (std::size_t i = 0; i < pop.size(); ++i) eligible += !(pop.flags[i] & models::kFlagGlobalControl);
    for (int k : cc.primary_kpis) {
      d.kpis.push_back(k);
      for (int a = 0; a < static_cast<int>(cc.arms.size()); ++a) {
        if (a == cc.control_arm) continue;
        SequentialSeries s;
        s.kpi = k, s.arm = a;
        d.series.push_back(s);
        d.n_star.push_back(std::max(2.0, eligible * (d.weights[a] + d.weights[cc.control_arm])));
      }
    }
  }
  if (cc.thompson && std::find(d.kpis.begin(), d.kpis.end(), cc.allocation_kpi) == d.kpis.end())
    d.kpis.push_back(cc.allocation_kpi);
  return d;
}

// Thompson sampling's posterior of an arm's KPI value: Beta(1 + successes, 1 + failures) for a
// proportion (normal approximation), the estimate and its standard error otherwise. False until defined.
bool Posterior(KpiKind kind, const Moments& m, double& mean, double& se) {
  if (kind == KpiKind::kProportion) {
    mean = (m.sy + 1) / (m.n + 2);
    se = std::sqrt(mean * (1 - mean) / (m.n + 3));
    return true;
  }
  const Estimate e = EstimateOf(kind, m, 0.95);
  mean = e.value, se = e.se;
  return std::isfinite(mean) && std::isfinite(se) && se > 0;
}

void UpdateDaily(const ExperimentConfig& cfg, int c, const models::Population& pop, int day, int threads,
                 models::Simulator& sim, CampaignDaily& d) {
  const CampaignConfig& cc = cfg.campaigns[c];
  const int arms = static_cast<int>(cc.arms.size());
  const auto& defs = CampaignKpiDefinitions();
  const int w = day - cfg.clock.window_start();
  d.allocation.weights.insert(d.allocation.weights.end(), d.weights.begin(), d.weights.end());
  if (d.kpis.empty()) return;
  const CampaignAcc acc =
      AccumulateCampaign(cfg, pop, c, day, threads, d.kpis, cc.thompson ? &d.allocation.weights : nullptr);
  const double alpha = 1.0 - cfg.confidence;
  for (std::size_t j = 0; j < d.series.size(); ++j) {
    SequentialSeries& s = d.series[j];
    const KpiDef& def = defs[s.kpi];
    const auto& m = cc.thompson ? acc.ipw : acc.kpi;
    const Moments& t = m[s.kpi * arms + s.arm];
    const Moments& ctl = m[s.kpi * arms + cc.control_arm];
    const Comparison cmp = CompareOf(cc.thompson ? KpiKind::kRatio : def.kind, t, ctl, cfg.confidence);
    const bool prior = !s.p_value.empty() && std::isfinite(s.p_value.back());
    double lo = kNan, hi = kNan, p = prior ? s.p_value.back() : kNan;
    if (std::isfinite(cmp.abs_lift) && cmp.abs_se > 0) {
      const double var = cmp.abs_se * cmp.abs_se;
      const double tau2 = MixtureTau2(var, t.n + ctl.n, d.n_star[j], alpha);
      const SequentialLook look = MixtureSequentialLook(cmp.abs_lift, var, tau2, alpha);
      // The running minimum p stays valid under the null (no effect on any day). The interval is the day's:
      // the effect on a cumulative KPI grows as customers' time since entry grows, so intersecting the
      // days' intervals would assume a constant effect that a lifecycle campaign does not have.
      lo = look.lo, hi = look.hi;
      p = prior ? std::min(p, look.p_value) : look.p_value;
      if (s.decision_day < 0 && p <= alpha) {
        s.decision_day = w;
        s.decision = (cmp.abs_lift > 0) == def.higher_is_better ? 1 : -1;
      }
      if (s.naive_day < 0 && cmp.p_value < alpha) s.naive_day = w;
    }
    s.estimate.push_back(std::isfinite(cmp.abs_lift) ? cmp.abs_lift : kNan);
    s.lo.push_back(lo), s.hi.push_back(hi), s.p_value.push_back(p);
    s.naive_p.push_back(std::isfinite(cmp.abs_lift) ? cmp.p_value : kNan);
  }
  if (!cc.thompson) return;
  const KpiDef& def = defs[cc.allocation_kpi];
  std::vector<double> mean(arms), se(arms);
  for (int a = 0; a < arms; ++a) {
    if (!Posterior(def.kind, acc.kpi[cc.allocation_kpi * arms + a], mean[a], se[a])) return;
    if (!def.higher_is_better) mean[a] = -mean[a];
  }
  sim::Stream rng(cfg.seed, static_cast<std::uint32_t>(c), static_cast<std::uint32_t>(day), models::kPurposeAllocation);
  d.weights = FloorShares(ProbabilityBest(mean, se, rng, 10000), cc.min_share);
  sim.SetAllocation(c, d.weights);
}

// Entered customers per arm against what the allocation in force each day implies.
void EnteredSrm(const ExperimentConfig& cfg, int c, const models::Simulator& sim, RunResult& r) {
  CampaignResult& cr = r.campaigns[c];
  const int arms = static_cast<int>(cr.arms.size());
  const int offset = sim.cell_offset(c);
  const int start = cfg.clock.window_start();
  cr.srm_entered.expected.assign(arms, 0.0);
  for (int day = start; day < cfg.clock.window_end(); ++day) {
    double entered = 0;
    for (int a = 0; a < arms; ++a) entered += static_cast<double>(r.daily[day].cells[offset + a].entered);
    for (int a = 0; a < arms; ++a)
      cr.srm_entered.expected[a] += entered * cr.allocation.weights[static_cast<std::size_t>(day - start) * arms + a];
  }
  cr.srm_entered.test = SampleRatioMismatch(cr.srm_entered.observed, cr.srm_entered.expected);
}

// What the allocation cost against always using the best arm, by the truth or else the estimates.
void Regret(CampaignResult& cr) {
  AllocationResult& al = cr.allocation;
  const KpiDef& def = CampaignKpiDefinitions()[al.kpi];
  const int arms = static_cast<int>(cr.arms.size());
  std::vector<double> value(arms, kNan), units(arms, 0.0);
  for (const KpiRow& row : cr.kpis) {
    if (row.kpi != al.kpi) continue;
    value[row.arm] = al.from_oracle ? row.true_value : row.estimate.value;
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

// Ground truth: campaign c replayed with every customer under each arm in turn, in the recorded
// environment, with the same random draws. Fills the true values and effects and the coverage.
void Oracle(const ExperimentConfig& cfg, const RunOptions& options, const std::vector<models::Environment>& env,
            RunResult& r) {
  const int nc = static_cast<int>(cfg.campaigns.size());
  int replays = 0;
  for (const auto& cc : cfg.campaigns) replays += static_cast<int>(cc.arms.size());
  const int days = cfg.clock.total_days(), start = cfg.clock.window_start();
  sim::Progress progress("oracle replay day", replays * days, static_cast<double>(cfg.population_size),
                         "customer-days", options.progress);
  int done = 0;
  for (int c = 0; c < nc; ++c) {
    const CampaignConfig& cc = cfg.campaigns[c];
    const int arms = static_cast<int>(cc.arms.size());
    std::vector<std::vector<double>> truth(arms);
    for (int k = 0; k < arms; ++k) {
      models::Programme programme = cfg.programme;
      programme.campaigns[c].adaptive = false;
      models::Simulator sim(cfg.model, programme, cfg.seed, cfg.clock);
      models::Population pop;
      sim.Allocate(pop, cfg.population_size);
      AssignArms(cfg, pop, options.threads);
      if (options.after_assignment) options.after_assignment(pop);
      std::fill(pop.campaigns[c].arm.begin(), pop.campaigns[c].arm.end(), static_cast<std::uint8_t>(k));
      sim.Generate(pop, options.threads);
      sim.Replay(env);
      for (int day = 0; day < days; ++day) {
        if (options.stop && options.stop->load()) throw sim::Interrupted();
        for (int c2 = 0; c2 < nc; ++c2) {  // other adaptive campaigns follow their recorded allocation
          const auto& al = r.campaigns[c2].allocation;
          const auto a2 = static_cast<std::ptrdiff_t>(cfg.campaigns[c2].arms.size());
          if (c2 != c && al.adaptive && cfg.clock.InWindow(day))
            sim.SetAllocation(c2, {al.weights.begin() + (day - start) * a2, al.weights.begin() + (day - start + 1) * a2});
        }
        sim.StepDay(pop, day, options.threads);
        progress.Update(++done);
      }
      const CampaignAcc acc = AccumulateCampaign(cfg, pop, c, cfg.clock.window_end() - 1, options.threads, {});
      for (int q = 0; q < kNumCampaignKpis; ++q)
        truth[k].push_back(ValueOf(CampaignKpiDefinitions()[q].kind, acc.kpi[q * arms + k]));
    }
    CampaignResult& cr = r.campaigns[c];
    auto covers = [](double lo, double hi, double x) { return std::isfinite(x) ? (lo <= x && x <= hi ? 1 : 0) : -1; };
    for (KpiRow& row : cr.kpis) {
      const double t = truth[row.arm][row.kpi], tc = truth[cc.control_arm][row.kpi];
      row.true_value = t;
      if (row.arm == cc.control_arm) continue;
      row.true_effect = t - tc;
      row.true_rel_effect = tc != 0 ? t / tc - 1.0 : kNan;
      if (row.has_comparison) row.covered = covers(row.vs_control.abs_lo, row.vs_control.abs_hi, row.true_effect);
      if (row.has_cuped && std::isfinite(row.cuped.abs_lift))
        row.cuped_covered = covers(row.cuped.abs_lo, row.cuped.abs_hi, row.true_effect);
    }
    for (SequentialSeries& s : cr.sequential) {
      const double te = truth[s.arm][s.kpi] - truth[cc.control_arm][s.kpi];
      if (!s.lo.empty() && std::isfinite(s.lo.back())) s.covered = covers(s.lo.back(), s.hi.back(), te);
    }
    cr.allocation.from_oracle = true;
  }
}

}  // namespace

void AssignArms(const ExperimentConfig& cfg, models::Population& pop, int threads) {
  const std::uint64_t global_salt = SaltHash("global_control:" + cfg.global_salt);
  const std::vector<double> global_w = {1.0 - cfg.global_control, cfg.global_control};
  std::vector<std::uint64_t> salts;
  std::vector<std::vector<double>> weights;
  for (const auto& c : cfg.campaigns) {
    salts.push_back(SaltHash(c.salt));
    weights.emplace_back();
    for (const auto& a : c.arms) weights.back().push_back(a.weight);
  }
  sim::ForEachShard(pop.size(), models::kShardSize, threads, [&](const sim::ShardRange& r) {
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const auto id = static_cast<std::uint32_t>(i);
      if (cfg.global_control > 0 && AssignArm(global_salt, id, global_w) == 1)
        pop.flags[i] |= models::kFlagGlobalControl;
      for (std::size_t c = 0; c < salts.size(); ++c)
        pop.campaigns[c].arm[i] = static_cast<std::uint8_t>(AssignArm(salts[c], id, weights[c]));
    }
  });
}

RunResult RunExperiment(const ExperimentConfig& cfg, const RunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  RunResult result;
  result.customers = cfg.population_size;
  result.days = cfg.clock.total_days();
  const int nc = static_cast<int>(cfg.campaigns.size());
  std::vector<models::Environment> environment;
  {
    models::Simulator simulator(cfg.model, cfg.programme, cfg.seed, cfg.clock);
    models::Population pop;
    simulator.Allocate(pop, cfg.population_size);
    result.bytes_per_customer = pop.BytesPerCustomer();
    AssignArms(cfg, pop, options.threads);
    if (options.after_assignment) options.after_assignment(pop);
    simulator.Generate(pop, options.threads);
    for (int ch = 0; ch < models::kNumChannels; ++ch) {
      result.open_intercept[ch] = simulator.open_intercept(static_cast<models::Channel>(ch));
      result.unsubscribe_intercept[ch] = simulator.unsubscribe_intercept(static_cast<models::Channel>(ch));
    }
    std::vector<CampaignDaily> daily;
    for (int c = 0; c < nc; ++c) {
      daily.push_back(StartDaily(cfg, c, pop));
      if (cfg.campaigns[c].thompson) simulator.SetAllocation(c, daily.back().weights);
    }
    {
      sim::Progress progress("simulating day", cfg.clock.total_days(), static_cast<double>(cfg.population_size),
                             "customer-days", options.progress);
      result.daily.reserve(cfg.clock.total_days());
      for (int day = 0; day < cfg.clock.total_days(); ++day) {
        if (options.stop && options.stop->load()) throw sim::Interrupted();
        result.daily.push_back(simulator.StepDay(pop, day, options.threads));
        if (cfg.clock.InWindow(day))
          for (int c = 0; c < nc; ++c) UpdateDaily(cfg, c, pop, day, options.threads, simulator, daily[c]);
        progress.Update(day + 1);
      }
    }

    result.campaigns.resize(cfg.campaigns.size());
    for (int c = 0; c < nc; ++c) {
      CampaignResult& cr = result.campaigns[c];
      cr.sequential = std::move(daily[c].series);
      cr.allocation = std::move(daily[c].allocation);
      AccountCampaign(cfg, pop, c, options.threads, simulator, cr);
      EnteredSrm(cfg, c, simulator, result);
      const int offset = simulator.cell_offset(c);
      for (std::size_t a = 0; a < cr.arms.size(); ++a) {
        ArmResult& ar = cr.arms[a];
        models::CellDay sum;
        for (const auto& d : result.daily) sum.Add(d.cells[offset + a]);
        ar.entered = sum.entered, ar.triggers = sum.triggers, ar.sends = sum.sends, ar.unreachable = sum.unreachable;
        ar.suppressed = sum.suppressed, ar.deliveries = sum.deliveries, ar.opens = sum.opens, ar.clicks = sum.clicks;
        ar.goals = sum.goals, ar.unsubscribes = sum.unsubscribes, ar.message_cost = sum.message_cost;
        ar.incentive_cost = sum.incentive_cost, ar.discount = sum.discount;
        ar.mean_fatigue = sum.sends > 0 ? sum.fatigue / static_cast<double>(sum.sends) : kNan;
        ar.net_revenue = ar.revenue - ar.message_cost - ar.incentive_cost;
        ar.deferred = sum.deferred, ar.near_best = sum.near_best, ar.from_history = sum.from_history;
        ar.expected_opens = sum.expected_opens, ar.oracle_opens = sum.oracle_opens;
        for (const auto& d : result.daily)
          for (int h = 0; h < 24; ++h) {
            ar.hour_deliveries[h] += d.hours[static_cast<std::size_t>(offset + a) * 48 + h];
            ar.hour_opens[h] += d.hours[static_cast<std::size_t>(offset + a) * 48 + 24 + h];
          }
      }
    }
    AccountProgramme(cfg, pop, options.threads, result);
    environment = simulator.environment();
  }  // the population is freed before the replays
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (options.oracle) {
    const auto oracle_start = std::chrono::steady_clock::now();
    Oracle(cfg, options, environment, result);
    result.oracle = true;
    result.oracle_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - oracle_start).count();
  }
  for (auto& cr : result.campaigns) Regret(cr);
  return result;
}

}  // namespace lclab::experiments
