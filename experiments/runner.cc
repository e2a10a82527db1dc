#include "experiments/runner.h"

#include <chrono>
#include <functional>
#include <cmath>
#include <limits>

#include "experiments/assignment.h"
#include "sim/error.h"
#include "sim/parallel.h"

namespace lclab::experiments {
namespace {
using models::kNever;
using models::Stage;

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

enum ProgrammeKpi {
  kPgRevenuePerCustomer,
  kPgNetRevenuePerCustomer,
  kPgOrdersPerCustomer,
  kPgVisitsPerCustomer,
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

const double kNan = std::numeric_limits<double>::quiet_NaN();

// Estimates and comparisons against `control` for k-major, cell-minor moments.
std::vector<KpiRow> Summarise(const std::vector<KpiDef>& defs, const std::vector<Moments>& total, int cells,
                              int control, double confidence) {
  std::vector<KpiRow> rows;
  for (std::size_t k = 0; k < defs.size(); ++k) {
    const KpiKind kind = defs[k].kind;
    const Moments& c = total[k * cells + control];
    for (int a = 0; a < cells; ++a) {
      KpiRow row;
      row.kpi = static_cast<int>(k);
      row.arm = a;
      row.moments = total[k * cells + a];
      const Moments& m = row.moments;
      switch (kind) {
        case KpiKind::kProportion:
          row.estimate = m.n >= 1 ? ProportionEstimate(m, confidence) : Estimate{kNan, kNan, kNan, kNan};
          break;
        case KpiKind::kMean:
          row.estimate = m.n >= 2 ? MeanEstimate(m, confidence) : Estimate{kNan, kNan, kNan, kNan};
          break;
        case KpiKind::kRatio:
          row.estimate = m.n >= 2 && m.sx > 0 ? RatioEstimate(m, confidence) : Estimate{kNan, kNan, kNan, kNan};
          break;
      }
      if (a != control && m.n >= 2 && c.n >= 2) {
        switch (kind) {
          case KpiKind::kProportion: row.vs_control = ProportionCompare(m, c, confidence); break;
          case KpiKind::kMean: row.vs_control = WelchCompare(m, c, confidence); break;
          case KpiKind::kRatio:
            if (m.sx > 0 && c.sx > 0) row.vs_control = RatioCompare(m, c, confidence);
            else row.vs_control.abs_lift = kNan;
            break;
        }
        row.has_comparison = std::isfinite(row.vs_control.abs_lift);
      }
      rows.push_back(row);
    }
  }
  return rows;
}


}  // namespace

const std::vector<KpiDef>& CampaignKpiDefinitions() {
  static const std::vector<KpiDef> defs = {
      {"goal_conversion_rate", KpiKind::kProportion, "share", true, false, "entered"},
      {"first_purchase_rate", KpiKind::kProportion, "share", true, false, "entered in acquisition"},
      {"repeat_purchase_rate", KpiKind::kProportion, "share", true, false, "entered"},
      {"retention_rate", KpiKind::kProportion, "share", true, false, "entered, converted at end"},
      {"churn_rate", KpiKind::kProportion, "share", false, false, "entered"},
      {"loyalty_rate", KpiKind::kProportion, "share", true, false, "entered"},
      {"revenue_per_customer", KpiKind::kMean, "money", true, false, "entered"},
      {"net_revenue_per_customer", KpiKind::kMean, "money", true, false, "entered"},
      {"orders_per_customer", KpiKind::kMean, "count", true, false, "entered"},
      {"visits_per_customer", KpiKind::kMean, "count", true, false, "entered"},
      {"nps", KpiKind::kMean, "score", true, false, "entered, converted at end"},
      {"csat", KpiKind::kProportion, "share", true, false, "entered, converted at end"},
      {"alive_rate", KpiKind::kProportion, "share", true, true, "entered, converted at end"},
      {"open_rate", KpiKind::kRatio, "share", true, false, "messages delivered"},
      {"click_rate", KpiKind::kRatio, "share", true, false, "messages delivered"},
      {"click_to_open_rate", KpiKind::kRatio, "share", true, false, "messages opened"},
      {"goal_per_click", KpiKind::kRatio, "share", true, false, "clicks"},
      {"unsubscribe_rate", KpiKind::kRatio, "share", false, false, "messages delivered"},
  };
  return defs;
}

const std::vector<KpiDef>& ProgrammeKpiDefinitions() {
  static const std::vector<KpiDef> defs = {
      {"revenue_per_customer", KpiKind::kMean, "money", true, false, "all customers"},
      {"net_revenue_per_customer", KpiKind::kMean, "money", true, false, "all customers"},
      {"orders_per_customer", KpiKind::kMean, "count", true, false, "all customers"},
      {"visits_per_customer", KpiKind::kMean, "count", true, false, "all customers"},
      {"first_purchase_rate", KpiKind::kProportion, "share", true, false, "no purchase before the window"},
      {"repeat_purchase_rate", KpiKind::kProportion, "share", true, false, "bought before the window"},
      {"churn_rate", KpiKind::kProportion, "share", false, false, "all customers"},
      {"loyalty_rate", KpiKind::kProportion, "share", true, false, "all customers"},
      {"nps", KpiKind::kMean, "score", true, false, "converted at end"},
      {"csat", KpiKind::kProportion, "share", true, false, "converted at end"},
      {"alive_rate", KpiKind::kProportion, "share", true, true, "converted at end"},
      {"unsubscribed_rate", KpiKind::kProportion, "share", false, false, "all customers"},
      {"messages_per_customer", KpiKind::kMean, "count", false, false, "all customers"},
  };
  return defs;
}

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

namespace {

// Per-campaign accounting from the finished population.
void AccountCampaign(const ExperimentConfig& cfg, const models::Population& p, int c, int threads,
                     const models::Simulator& sim, CampaignResult& out) {
  const CampaignConfig& cc = cfg.campaigns[c];
  const models::CampaignColumns& col = p.campaigns[c];
  const int arms = static_cast<int>(cc.arms.size());
  const int np = static_cast<int>(cfg.model.personas.size());
  const int last_day = cfg.clock.window_end() - 1;
  const auto& lc = cfg.model.lifecycle;
  const auto& rp = cfg.model.response;
  const int best_kpi = cc.best_by == "net_revenue_per_customer" ? kNetRevenuePerCustomer : kGoalConversionRate;
  std::vector<double> send_cost(arms), goal_cost(arms);
  for (int a = 0; a < arms; ++a) {
    send_cost[a] = models::CostPerSend(cc.arms[a].treatment, rp);
    goal_cost[a] = models::IncentiveCostPerGoal(cc.arms[a].treatment, rp);
  }
  struct Acc {
    std::vector<Moments> kpi, segment;  // [k * arms + a], [(s * arms) + a] for the best_by KPI
    std::vector<std::int64_t> assigned;
    std::vector<double> revenue, net;
    void Reset(int arms, int personas) {
      kpi.assign(kNumCampaignKpis * arms, Moments{});
      segment.assign(static_cast<std::size_t>(personas) * arms, Moments{});
      assigned.assign(arms, 0);
      revenue.assign(arms, 0.0);
      net.assign(arms, 0.0);
    }
  };
  const std::size_t shards = sim::ShardCount(p.size(), models::kShardSize);
  std::vector<Acc> acc(shards);
  sim::ForEachShard(p.size(), models::kShardSize, threads, [&](const sim::ShardRange& r) {
    Acc& m = acc[r.index];
    m.Reset(arms, np);
    for (std::size_t i = r.begin; i < r.end; ++i) {
      if (p.flags[i] & models::kFlagGlobalControl) continue;
      const int a = col.arm[i];
      ++m.assigned[a];
      if (col.entered_day[i] == kNever) continue;
      auto at = [&](int k) -> Moments& { return m.kpi[k * arms + a]; };
      const bool entered_in_acquisition = col.entry_stage[i] == static_cast<std::uint8_t>(Stage::kAcquisition);
      // Entry happens after the day's natural activity, so a customer entering in acquisition had not bought.
      const bool first_after = entered_in_acquisition && p.first_purchase_day[i] != kNever;
      const int orders = p.win_orders[i] - col.orders_at_entry[i];
      const int repeats = orders - (first_after ? 1 : 0);
      const double revenue = p.win_revenue[i] - col.revenue_at_entry[i];
      const double net = revenue - send_cost[a] * col.sends[i] - goal_cost[a] * col.goals[i];
      const std::uint8_t stage = p.stage[i];
      m.revenue[a] += revenue;
      m.net[a] += net;
      at(kGoalConversionRate).Add(col.goals[i] > 0);
      if (entered_in_acquisition) at(kFirstPurchaseRate).Add(first_after);
      at(kRepeatPurchaseRate).Add(repeats > 0);
      at(kChurnRate).Add(stage == static_cast<std::uint8_t>(Stage::kChurned));
      at(kLoyaltyRate).Add(stage == static_cast<std::uint8_t>(Stage::kLoyalty));
      at(kRevenuePerCustomer).Add(revenue);
      at(kNetRevenuePerCustomer).Add(net);
      at(kOrdersPerCustomer).Add(orders);
      at(kVisitsPerCustomer).Add(p.win_visits[i] - col.visits_at_entry[i]);
      if (models::IsConverted(stage)) {
        const bool active = stage != static_cast<std::uint8_t>(Stage::kChurned) &&
                            models::EngagementOf(p, i, last_day, lc) == models::Engagement::kActive;
        at(kRetentionRate).Add(active);
        const int score = models::RecommendScore(p.satisfaction[i]);
        at(kNps).Add(score >= 9 ? 100.0 : score <= 6 ? -100.0 : 0.0);
        at(kCsat).Add(p.satisfaction[i] >= cfg.model.satisfaction.csat_threshold);
        at(kAliveRate).Add(p.alive(i));
      }
      if (!cc.arms[a].holdout) {
        at(kOpenRate).Add(col.opens[i], col.delivered[i]);
        at(kClickRate).Add(col.clicks[i], col.delivered[i]);
        at(kClickToOpenRate).Add(col.clicks[i], col.opens[i]);
        at(kGoalPerClick).Add(col.goals[i], col.clicks[i]);
        at(kUnsubscribeRate).Add(col.unsubscribed[i] && col.delivered[i] > 0, col.delivered[i]);
      }
      const double best_value = best_kpi == kNetRevenuePerCustomer ? net : (col.goals[i] > 0 ? 1.0 : 0.0);
      m.segment[static_cast<std::size_t>(p.segment[i]) * arms + a].Add(best_value);
    }
  });
  Acc total;
  total.Reset(arms, np);
  for (const Acc& s : acc) {
    for (std::size_t k = 0; k < total.kpi.size(); ++k) total.kpi[k].Merge(s.kpi[k]);
    for (std::size_t k = 0; k < total.segment.size(); ++k) total.segment[k].Merge(s.segment[k]);
    for (int a = 0; a < arms; ++a)
      total.assigned[a] += s.assigned[a], total.revenue[a] += s.revenue[a], total.net[a] += s.net[a];
  }
  out.kpis = Summarise(CampaignKpiDefinitions(), total.kpi, arms, cc.control_arm, cfg.confidence);

  // Arm totals.
  out.arms.resize(arms);
  for (int a = 0; a < arms; ++a) {
    ArmResult& ar = out.arms[a];
    const ArmConfig& ac = cc.arms[a];
    ar.name = ac.name, ar.weight = ac.weight, ar.holdout = ac.holdout, ar.control = a == cc.control_arm;
    for (std::size_t f = 0; f < ac.levels.size(); ++f) ar.levels.push_back(cc.factors[f].levels[ac.levels[f]].name);
    ar.assigned = total.assigned[a];
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

  // Best variant overall and per persona by the best_by KPI.
  const KpiKind best_kind = best_kpi == kNetRevenuePerCustomer ? KpiKind::kMean : KpiKind::kProportion;
  auto pick = [&](const std::string& segment, auto moments_of) {
    BestVariant b;
    b.segment = segment;
    double best = -std::numeric_limits<double>::infinity();
    for (int a : out.variant_arms) {
      const Moments& m = moments_of(a);
      if (m.n < 2) continue;
      if (m.Mean() > best) best = m.Mean(), b.arm = a;
    }
    if (b.arm < 0) return b;
    b.moments = moments_of(b.arm);
    b.estimate = best_kind == KpiKind::kMean ? MeanEstimate(b.moments, cfg.confidence)
                                             : ProportionEstimate(b.moments, cfg.confidence);
    const Moments& c = moments_of(cc.control_arm);
    if (b.arm != cc.control_arm && c.n >= 2) {
      b.vs_control = best_kind == KpiKind::kMean ? WelchCompare(b.moments, c, cfg.confidence)
                                                 : ProportionCompare(b.moments, c, cfg.confidence);
      b.has_comparison = std::isfinite(b.vs_control.abs_lift);
    }
    return b;
  };
  out.best.push_back(pick("all", [&](int a) -> const Moments& { return total.kpi[best_kpi * arms + a]; }));
  for (int s = 0; s < np && np > 1; ++s)
    out.best.push_back(pick(cfg.model.personas[s].name,
                            [&](int a) -> const Moments& { return total.segment[static_cast<std::size_t>(s) * arms + a]; }));
}

void AccountProgramme(const ExperimentConfig& cfg, const models::Population& p, int threads, RunResult& out) {
  const int window_start = cfg.clock.window_start();
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
    std::vector<Moments> kpi;
    std::array<std::int64_t, G> customers{}, messages{};
    std::array<double, G> msg_cost{}, inc_cost{}, revenue{};
  };
  const std::size_t shards = sim::ShardCount(p.size(), models::kShardSize);
  std::vector<Acc> acc(shards);
  sim::ForEachShard(p.size(), models::kShardSize, threads, [&](const sim::ShardRange& r) {
    Acc& m = acc[r.index];
    m.kpi.assign(kNumProgrammeKpis * G, Moments{});
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const int g = (p.flags[i] & models::kFlagGlobalControl) ? models::kGroupGlobalControl : models::kGroupProgramme;
      auto at = [&](int k) -> Moments& { return m.kpi[k * G + g]; };
      double msg_cost = 0, inc_cost = 0;
      int messages = 0;
      for (int c = 0; c < nc; ++c) {
        const auto& col = p.campaigns[c];
        if (col.entered_day[i] == kNever) continue;
        const int a = col.arm[i];
        msg_cost += send_cost[c][a] * col.sends[i];
        inc_cost += goal_cost[c][a] * col.goals[i];
        messages += col.sends[i];
      }
      const double revenue = p.win_revenue[i];
      ++m.customers[g];
      m.messages[g] += messages, m.msg_cost[g] += msg_cost, m.inc_cost[g] += inc_cost, m.revenue[g] += revenue;
      at(kPgRevenuePerCustomer).Add(revenue);
      at(kPgNetRevenuePerCustomer).Add(revenue - msg_cost - inc_cost);
      at(kPgOrdersPerCustomer).Add(p.win_orders[i]);
      at(kPgVisitsPerCustomer).Add(p.win_visits[i]);
      const std::int16_t first = p.first_purchase_day[i];
      if (first == kNever || first >= window_start) {
        at(kPgFirstPurchaseRate).Add(first != kNever);
      } else {
        at(kPgRepeatPurchaseRate).Add(p.win_orders[i] > 0);  // a customer before the window bought in it
      }
      const std::uint8_t stage = p.stage[i];
      at(kPgChurnRate).Add(stage == static_cast<std::uint8_t>(Stage::kChurned));
      at(kPgLoyaltyRate).Add(stage == static_cast<std::uint8_t>(Stage::kLoyalty));
      if (models::IsConverted(stage)) {
        const int score = models::RecommendScore(p.satisfaction[i]);
        at(kPgNps).Add(score >= 9 ? 100.0 : score <= 6 ? -100.0 : 0.0);
        at(kPgCsat).Add(p.satisfaction[i] >= cfg.model.satisfaction.csat_threshold);
        at(kPgAliveRate).Add(p.alive(i));
      }
      at(kPgUnsubscribedRate).Add(p.unsubscribed[i] != 0);
      at(kPgMessagesPerCustomer).Add(messages);
    }
  });
  Acc total;
  total.kpi.assign(kNumProgrammeKpis * G, Moments{});
  for (const Acc& s : acc) {
    for (std::size_t k = 0; k < total.kpi.size(); ++k) total.kpi[k].Merge(s.kpi[k]);
    for (int g = 0; g < G; ++g) {
      total.customers[g] += s.customers[g], total.messages[g] += s.messages[g];
      total.msg_cost[g] += s.msg_cost[g], total.inc_cost[g] += s.inc_cost[g], total.revenue[g] += s.revenue[g];
    }
  }
  out.programme_kpis =
      Summarise(ProgrammeKpiDefinitions(), total.kpi, G, models::kGroupGlobalControl, cfg.confidence);
  out.groups.resize(G);
  for (int g = 0; g < G; ++g) {
    GroupResult& gr = out.groups[g];
    gr.name = models::kGroupNames[g];
    gr.customers = total.customers[g], gr.messages = total.messages[g];
    gr.message_cost = total.msg_cost[g], gr.incentive_cost = total.inc_cost[g], gr.revenue = total.revenue[g];
    gr.net_revenue = gr.revenue - gr.message_cost - gr.incentive_cost;
  }
}

}  // namespace

RunResult RunExperiment(const ExperimentConfig& cfg, const RunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  RunResult result;
  result.customers = cfg.population_size;
  result.days = cfg.clock.total_days();

  models::Simulator simulator(cfg.model, cfg.programme, cfg.seed, cfg.clock);
  models::Population pop;
  simulator.Allocate(pop, cfg.population_size);
  result.bytes_per_customer = pop.BytesPerCustomer();
  AssignArms(cfg, pop, options.threads);
  simulator.Generate(pop, options.threads);
  for (int ch = 0; ch < models::kNumChannels; ++ch) {
    result.open_intercept[ch] = simulator.open_intercept(static_cast<models::Channel>(ch));
    result.unsubscribe_intercept[ch] = simulator.unsubscribe_intercept(static_cast<models::Channel>(ch));
  }

  {
    sim::Progress progress("simulating day", cfg.clock.total_days(), static_cast<double>(cfg.population_size),
                           "customer-days", options.progress);
    result.daily.reserve(cfg.clock.total_days());
    for (int day = 0; day < cfg.clock.total_days(); ++day) {
      if (options.stop && options.stop->load()) throw sim::Interrupted();
      result.daily.push_back(simulator.StepDay(pop, day, options.threads));
      progress.Update(day + 1);
    }
  }

  result.campaigns.resize(cfg.campaigns.size());
  for (std::size_t c = 0; c < cfg.campaigns.size(); ++c) {
    CampaignResult& cr = result.campaigns[c];
    AccountCampaign(cfg, pop, static_cast<int>(c), options.threads, simulator, cr);
    const int offset = simulator.cell_offset(static_cast<int>(c));
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
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace lclab::experiments
