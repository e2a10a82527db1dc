#include "experiments/output.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

#include "lclab/version.h"
#include "models/params.h"
#include "sim/h5.h"
#include "sim/progress.h"

namespace lclab::experiments {
namespace {

// A table as a group of equal-length 1-D datasets, with a "columns" attribute
// listing them in order (pandas: one column per dataset).
class TableWriter {
 public:
  TableWriter(sim::H5Writer& w, std::string group) : w_(w), group_(std::move(group)) { w_.CreateGroup(group_); }
  ~TableWriter() { w_.AttrStrings(group_, "columns", names_); }
  TableWriter(const TableWriter&) = delete;
  TableWriter& operator=(const TableWriter&) = delete;
  void Str(const std::string& n, const std::vector<std::string>& v) { w_.WriteStrings(Path(n), v); }
  void F64(const std::string& n, const std::vector<double>& v) { w_.WriteF64(Path(n), v); }
  void I64(const std::string& n, const std::vector<std::int64_t>& v) { w_.WriteI64(Path(n), v); }
  void I32(const std::string& n, const std::vector<std::int32_t>& v) { w_.WriteI32(Path(n), v); }
  void U8(const std::string& n, const std::vector<std::uint8_t>& v) { w_.WriteU8(Path(n), v); }

 private:
  std::string Path(const std::string& n) {
    names_.push_back(n);
    return group_ + "/" + n;
  }
  sim::H5Writer& w_;
  std::string group_;
  std::vector<std::string> names_;
};

std::vector<std::string> KpiNames(const std::vector<KpiDef>& defs, const std::vector<int>& ks) {
  std::vector<std::string> out;
  for (int k : ks) out.push_back(defs[k].name);
  return out;
}

const char* KindName(KpiKind k) {
  return k == KpiKind::kProportion ? "proportion" : k == KpiKind::kMean ? "mean" : "ratio";
}

void WriteKpis(sim::H5Writer& w, const std::string& group, const std::vector<KpiDef>& defs,
               const std::vector<KpiRow>& rows, const std::vector<std::string>& arm_names, const char* arm_column,
               const std::string& control, double confidence) {
  std::vector<std::string> kpi, arm, kind, unit, population, role, stage, numerator, covariate;
  std::vector<std::int32_t> arm_index, covered, cuped_covered;
  std::vector<std::uint8_t> latent, higher_better, breach;
  std::vector<double> n, value, se, lo, hi, abs, abs_lo, abs_hi, rel, rel_lo, rel_hi, pval;
  std::vector<double> theta, c_value, c_abs, c_lo, c_hi, c_p, var_cut, p_holm, p_bh, t_value, t_effect, t_rel;
  const double nan = std::nan("");
  for (const auto& row : rows) {
    const auto& d = defs[row.kpi];
    kpi.push_back(d.name), arm.push_back(arm_names[row.arm]), arm_index.push_back(row.arm);
    kind.push_back(KindName(d.kind)), unit.push_back(d.unit), population.push_back(d.population);
    latent.push_back(d.latent), higher_better.push_back(d.higher_is_better);
    role.push_back(kKpiRoleNames[static_cast<int>(row.role)]), stage.push_back(d.stage);
    numerator.push_back(d.numerator), covariate.push_back(d.covariate);
    const bool cu = row.has_cuped, cc = cu && std::isfinite(row.cuped.abs_lift);
    theta.push_back(cu ? row.cuped_theta : nan), c_value.push_back(cu ? row.cuped_estimate.value : nan);
    c_abs.push_back(cc ? row.cuped.abs_lift : nan), c_lo.push_back(cc ? row.cuped.abs_lo : nan);
    c_hi.push_back(cc ? row.cuped.abs_hi : nan), c_p.push_back(cc ? row.cuped.p_value : nan);
    var_cut.push_back(cc ? row.variance_reduction : nan);
    p_holm.push_back(row.p_holm), p_bh.push_back(row.p_bh), breach.push_back(row.guardrail_breach);
    t_value.push_back(row.true_value), t_effect.push_back(row.true_effect), t_rel.push_back(row.true_rel_effect);
    covered.push_back(row.covered), cuped_covered.push_back(row.cuped_covered);
    n.push_back(row.moments.n);
    value.push_back(row.estimate.value), se.push_back(row.estimate.se);
    lo.push_back(row.estimate.lo), hi.push_back(row.estimate.hi);
    const auto& c = row.vs_control;
    const bool h = row.has_comparison;
    abs.push_back(h ? c.abs_lift : nan), abs_lo.push_back(h ? c.abs_lo : nan), abs_hi.push_back(h ? c.abs_hi : nan);
    rel.push_back(h ? c.rel_lift : nan), rel_lo.push_back(h ? c.rel_lo : nan), rel_hi.push_back(h ? c.rel_hi : nan);
    pval.push_back(h ? c.p_value : nan);
  }
  {
    TableWriter t(w, group);
    t.Str("kpi", kpi), t.Str(arm_column, arm), t.I32(std::string(arm_column) + "_index", arm_index);
    t.Str("kind", kind), t.Str("unit", unit), t.Str("population", population), t.U8("latent", latent);
    t.U8("higher_is_better", higher_better), t.F64("n", n), t.F64("value", value), t.F64("se", se);
    t.F64("ci_low", lo), t.F64("ci_high", hi), t.F64("abs_lift", abs), t.F64("abs_lift_ci_low", abs_lo);
    t.F64("abs_lift_ci_high", abs_hi), t.F64("rel_lift", rel), t.F64("rel_lift_ci_low", rel_lo);
    t.F64("rel_lift_ci_high", rel_hi), t.F64("p_value", pval);
    t.Str("role", role), t.Str("stage", stage), t.Str("numerator", numerator), t.Str("covariate", covariate);
    t.F64("cuped_theta", theta), t.F64("cuped_value", c_value), t.F64("cuped_abs_lift", c_abs);
    t.F64("cuped_abs_lift_ci_low", c_lo), t.F64("cuped_abs_lift_ci_high", c_hi), t.F64("cuped_p_value", c_p);
    t.F64("cuped_variance_reduction", var_cut), t.F64("p_holm", p_holm), t.F64("p_bh", p_bh);
    t.U8("guardrail_breach", breach), t.F64("true_value", t_value), t.F64("true_effect", t_effect);
    t.F64("true_rel_effect", t_rel), t.I32("covered", covered), t.I32("cuped_covered", cuped_covered);
  }
  w.AttrF64(group, "confidence", confidence);
  w.AttrString(group, "control", control);
}

// A sample-ratio check as a table (one row per arm) with the test in attributes.
void WriteSrm(sim::H5Writer& w, const std::string& group, const SrmSummary& s, const std::vector<std::string>& names,
              const char* label = "arm") {
  {
    TableWriter t(w, group);
    t.Str(label, std::vector<std::string>(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(s.observed.size())));
    t.F64("observed", s.observed), t.F64("expected", s.expected);
  }
  w.AttrF64(group, "chi2", s.test.chi2);
  w.AttrI64(group, "df", s.test.df);
  w.AttrF64(group, "p_value", s.test.p_value);
  w.AttrI64(group, "alarm", s.test.alarm);
}

void WriteSequential(sim::H5Writer& w, const std::string& g, const CampaignResult& r,
                     const std::vector<std::string>& names, int window_days) {
  std::vector<std::string> kpi, arm;
  std::vector<std::int32_t> decision_day, decision, naive_day, covered;
  std::vector<double> est, lo, hi, p, naive;
  for (const auto& s : r.sequential) {
    kpi.push_back(CampaignKpiDefinitions()[s.kpi].name), arm.push_back(names[s.arm]);
    decision_day.push_back(s.decision_day), decision.push_back(s.decision), naive_day.push_back(s.naive_day);
    covered.push_back(s.covered);
    est.insert(est.end(), s.estimate.begin(), s.estimate.end()), lo.insert(lo.end(), s.lo.begin(), s.lo.end());
    hi.insert(hi.end(), s.hi.begin(), s.hi.end()), p.insert(p.end(), s.p_value.begin(), s.p_value.end());
    naive.insert(naive.end(), s.naive_p.begin(), s.naive_p.end());
  }
  const std::string sg = g + "/sequential";
  {
    TableWriter t(w, sg);
    t.Str("kpi", kpi), t.Str("arm", arm), t.I32("decision_day", decision_day), t.I32("decision", decision);
    t.I32("naive_day", naive_day), t.I32("covered", covered);
  }
  const std::string dg = g + "/sequential_daily";
  w.CreateGroup(dg);
  const std::vector<std::uint64_t> dims = {r.sequential.size(), static_cast<std::uint64_t>(window_days)};
  w.WriteF64(dg + "/estimate", est, dims);
  w.WriteF64(dg + "/cs_low", lo, dims);
  w.WriteF64(dg + "/cs_high", hi, dims);
  w.WriteF64(dg + "/p_value", p, dims);
  w.WriteF64(dg + "/naive_p_value", naive, dims);
  for (const char* ds : {"estimate", "cs_low", "cs_high", "p_value", "naive_p_value"})
    w.AttrStrings(dg + "/" + ds, "dims", {"series", "window_day"});
}

void WriteAllocation(sim::H5Writer& w, const std::string& g, const CampaignResult& r) {
  const AllocationResult& al = r.allocation;
  const std::string ag = g + "/allocation";
  w.CreateGroup(ag);
  const std::uint64_t arms = r.arms.size();
  w.WriteF64(ag + "/weights", al.weights, {arms ? al.weights.size() / arms : 0, arms});
  w.AttrStrings(ag + "/weights", "dims", {"window_day", "arm"});
  w.AttrString(ag, "method", al.adaptive ? "thompson" : "fixed");
  w.AttrString(ag, "kpi", CampaignKpiDefinitions()[al.kpi].name);
  w.AttrF64(ag, "min_share", al.min_share);
  w.AttrI64(ag, "best_arm", al.best_arm);
  w.AttrI64(ag, "best_from_oracle", al.from_oracle);
  w.AttrF64(ag, "regret", al.regret);
  w.AttrF64(ag, "fixed_regret", al.fixed_regret);
}

std::string LevelsText(const CampaignConfig& cc, const ArmConfig& a) {
  std::string s;
  for (std::size_t f = 0; f < a.levels.size(); ++f)
    s += (f ? "," : "") + cc.factors[f].name + "=" + cc.factors[f].levels[a.levels[f]].name;
  return s;
}

void WriteCampaign(sim::H5Writer& w, const ExperimentConfig& cfg, int c, const CampaignResult& r) {
  const CampaignConfig& cc = cfg.campaigns[c];
  const std::string g = "/campaigns/" + cc.name;
  w.CreateGroup(g);
  w.AttrI64(g, "index", c);
  w.AttrString(g, "trigger", models::kTriggerNames[static_cast<int>(cc.plan.trigger)]);
  w.AttrString(g, "goal", models::kGoalNames[static_cast<int>(cc.plan.goal)]);
  w.AttrString(g, "goal_kpi", cc.goal_kpi);
  w.AttrString(g, "design", cc.design);
  w.AttrI64(g, "resolution", cc.resolution);
  w.AttrStrings(g, "generators", cc.generators);
  w.AttrString(g, "control", cc.arms[cc.control_arm].name);
  w.AttrString(g, "best_by", cc.best_by);
  {
    const std::size_t n = r.arms.size();
    std::vector<std::string> name, levels, channel, incentive, policy;
    std::vector<std::int32_t> index, send_hour, every_days, max_sends;
    std::vector<double> weight, fatigue, cost, inc_cost, discount, revenue, net, ir, ir_lo, ir_hi, inr, inr_lo, inr_hi,
        inc_value, e_open, e_click, e_goal, e_unsub;
    std::vector<std::uint8_t> holdout, control;
    std::vector<std::int64_t> assigned, entered, triggers, sends, unreachable, suppressed, deliveries, opens, clicks,
        goals, unsubs, deferred, near_best, from_history;
    std::vector<double> expected_opens, oracle_opens;
    for (std::size_t a = 0; a < n; ++a) {
      const auto& x = r.arms[a];
      const auto& t = cc.arms[a].treatment;
      index.push_back(static_cast<std::int32_t>(a)), name.push_back(x.name), levels.push_back(LevelsText(cc, cc.arms[a]));
      weight.push_back(x.weight), holdout.push_back(x.holdout), control.push_back(x.control);
      channel.push_back(models::kChannelNames[static_cast<int>(t.channel)]);
      send_hour.push_back(t.send_hour), every_days.push_back(t.every_days), max_sends.push_back(t.max_sends);
      policy.push_back(x.holdout ? "" : models::kSendPolicyNames[static_cast<int>(t.send_policy)]);
      deferred.push_back(x.deferred), near_best.push_back(x.near_best), from_history.push_back(x.from_history);
      expected_opens.push_back(x.expected_opens), oracle_opens.push_back(x.oracle_opens);
      incentive.push_back(models::kIncentiveNames[static_cast<int>(t.incentive)]);
      inc_value.push_back(t.incentive_value);
      e_open.push_back(t.effects.open), e_click.push_back(t.effects.click), e_goal.push_back(t.effects.goal);
      e_unsub.push_back(t.effects.unsubscribe);
      assigned.push_back(x.assigned), entered.push_back(x.entered), triggers.push_back(x.triggers);
      sends.push_back(x.sends), unreachable.push_back(x.unreachable), suppressed.push_back(x.suppressed);
      deliveries.push_back(x.deliveries), opens.push_back(x.opens), clicks.push_back(x.clicks);
      goals.push_back(x.goals), unsubs.push_back(x.unsubscribes), fatigue.push_back(x.mean_fatigue);
      cost.push_back(x.message_cost), inc_cost.push_back(x.incentive_cost), discount.push_back(x.discount);
      revenue.push_back(x.revenue), net.push_back(x.net_revenue);
      ir.push_back(x.incremental_revenue), ir_lo.push_back(x.incremental_revenue_lo);
      ir_hi.push_back(x.incremental_revenue_hi), inr.push_back(x.incremental_net_revenue);
      inr_lo.push_back(x.incremental_net_revenue_lo), inr_hi.push_back(x.incremental_net_revenue_hi);
    }
    TableWriter t(w, g + "/arms");
    t.I32("index", index), t.Str("name", name), t.Str("levels", levels), t.F64("weight", weight);
    t.U8("holdout", holdout), t.U8("control", control), t.Str("channel", channel), t.Str("send_policy", policy);
    t.I32("send_hour", send_hour);
    t.I32("every_days", every_days), t.I32("max_sends", max_sends), t.Str("incentive", incentive);
    t.F64("incentive_value", inc_value), t.F64("effect_open", e_open), t.F64("effect_click", e_click);
    t.F64("effect_goal", e_goal), t.F64("effect_unsubscribe", e_unsub);
    t.I64("assigned", assigned), t.I64("entered", entered), t.I64("triggers", triggers), t.I64("sends", sends);
    t.I64("unreachable", unreachable), t.I64("suppressed", suppressed), t.I64("deliveries", deliveries);
    t.I64("opens", opens), t.I64("clicks", clicks), t.I64("goal_conversions", goals), t.I64("unsubscribes", unsubs);
    t.F64("mean_fatigue", fatigue), t.F64("message_cost", cost), t.F64("incentive_cost", inc_cost);
    t.F64("discount", discount), t.F64("revenue", revenue), t.F64("net_revenue", net);
    t.F64("incremental_revenue", ir), t.F64("incremental_revenue_ci_low", ir_lo);
    t.F64("incremental_revenue_ci_high", ir_hi), t.F64("incremental_net_revenue", inr);
    t.F64("incremental_net_revenue_ci_low", inr_lo), t.F64("incremental_net_revenue_ci_high", inr_hi);
    t.I64("deferred", deferred), t.I64("near_best", near_best), t.I64("from_history", from_history);
    t.F64("expected_opens", expected_opens), t.F64("oracle_opens", oracle_opens);
  }
  {  // deliveries and opens by local delivery hour, arm x hour
    std::vector<std::int64_t> deliveries, opens;
    std::vector<double> rate;
    for (const auto& x : r.arms)
      for (int h = 0; h < 24; ++h) {
        deliveries.push_back(x.hour_deliveries[h]), opens.push_back(x.hour_opens[h]);
        rate.push_back(x.hour_deliveries[h] ? static_cast<double>(x.hour_opens[h]) / x.hour_deliveries[h] : std::nan(""));
      }
    const std::string sh = g + "/send_hours";
    w.CreateGroup(sh);
    const std::vector<std::uint64_t> dims = {r.arms.size(), 24};
    w.WriteI64(sh + "/deliveries", deliveries, dims);
    w.WriteI64(sh + "/opens", opens, dims);
    w.WriteF64(sh + "/open_rate", rate, dims);
    for (const char* ds : {"deliveries", "opens", "open_rate"}) w.AttrStrings(sh + "/" + ds, "dims", {"arm", "local_hour"});
  }
  std::vector<std::string> arm_names;
  for (const auto& a : r.arms) arm_names.push_back(a.name);
  WriteKpis(w, g + "/kpis", CampaignKpiDefinitions(), r.kpis, arm_names, "arm", cc.arms[cc.control_arm].name,
            cfg.confidence);
  w.AttrStrings(g + "/kpis", "primary", KpiNames(CampaignKpiDefinitions(), cc.primary_kpis));
  w.AttrStrings(g + "/kpis", "guardrail", KpiNames(CampaignKpiDefinitions(), cc.guardrail_kpis));
  w.AttrF64(g + "/kpis", "guardrail_margin", cc.guardrail_margin);
  WriteSrm(w, g + "/srm_entered", r.srm_entered, arm_names);
  if (!r.srm_assigned.observed.empty()) WriteSrm(w, g + "/srm_assigned", r.srm_assigned, arm_names);
  WriteSequential(w, g, r, arm_names, cfg.clock.window_days);
  WriteAllocation(w, g, r);
  {
    std::vector<std::string> factor, level;
    std::vector<double> eo, ec, eg, eu;
    for (const auto& f : cc.factors)
      for (const auto& l : f.levels) {
        factor.push_back(f.name), level.push_back(l.name);
        eo.push_back(l.effects.open), ec.push_back(l.effects.click), eg.push_back(l.effects.goal);
        eu.push_back(l.effects.unsubscribe);
      }
    TableWriter t(w, g + "/factors");
    t.Str("factor", factor), t.Str("level", level), t.F64("effect_open", eo), t.F64("effect_click", ec);
    t.F64("effect_goal", eg), t.F64("effect_unsubscribe", eu);
  }
  {
    std::vector<std::string> outcome, scale, term;
    std::vector<double> est, se, lo, hi, p, truth;
    for (const auto& fo : r.factorial) {
      if (!fo.fit.ok) continue;
      for (std::size_t j = 0; j < fo.fit.terms.size(); ++j) {
        const auto& te = fo.fit.terms[j];
        outcome.push_back(fo.name), scale.push_back(fo.scale), term.push_back(r.model.terms[j].name);
        est.push_back(te.estimate), se.push_back(te.se), lo.push_back(te.lo), hi.push_back(te.hi);
        p.push_back(te.p_value), truth.push_back(te.truth);
      }
    }
    {
      TableWriter t(w, g + "/factorial");
      t.Str("outcome", outcome), t.Str("scale", scale), t.Str("term", term), t.F64("estimate", est);
      t.F64("se", se), t.F64("ci_low", lo), t.F64("ci_high", hi), t.F64("p_value", p), t.F64("truth", truth);
    }
    w.AttrStrings(g + "/factorial", "aliased_terms", r.model.aliased);
  }
  {
    std::vector<std::string> segment, arm;
    std::vector<double> n, value, lo, hi, abs, abs_lo, abs_hi, p;
    const double nan = std::nan("");
    for (const auto& b : r.best) {
      segment.push_back(b.segment);
      arm.push_back(b.arm >= 0 ? r.arms[b.arm].name : "");
      n.push_back(b.moments.n);
      value.push_back(b.arm >= 0 ? b.estimate.value : nan);
      lo.push_back(b.arm >= 0 ? b.estimate.lo : nan), hi.push_back(b.arm >= 0 ? b.estimate.hi : nan);
      const bool h = b.has_comparison;
      abs.push_back(h ? b.vs_control.abs_lift : nan), abs_lo.push_back(h ? b.vs_control.abs_lo : nan);
      abs_hi.push_back(h ? b.vs_control.abs_hi : nan), p.push_back(h ? b.vs_control.p_value : nan);
    }
    TableWriter t(w, g + "/best");
    t.Str("segment", segment), t.Str("arm", arm), t.F64("n", n), t.F64("value", value), t.F64("ci_low", lo);
    t.F64("ci_high", hi), t.F64("abs_lift", abs), t.F64("abs_lift_ci_low", abs_lo), t.F64("abs_lift_ci_high", abs_hi);
    t.F64("p_value", p);
  }
}

}  // namespace

void WriteResults(const std::string& path, const ExperimentConfig& cfg, const RunResult& r, const RunInfo& info) {
  sim::H5Writer w(path);
  w.AttrString("/", "lclab_version", kVersion);
  w.AttrString("/", "build_id", kBuildId);
  w.AttrI64("/", "seed", static_cast<std::int64_t>(cfg.seed));
  w.AttrString("/", "config", cfg.resolved_toml);
  w.AttrString("/", "config_path", cfg.path);
  w.AttrString("/", "command_line", info.command_line);
  w.AttrString("/", "programme", cfg.experiment_name);
  w.AttrI64("/", "population_size", static_cast<std::int64_t>(cfg.population_size));
  w.AttrI64("/", "warmup_days", cfg.clock.warmup_days);
  w.AttrI64("/", "window_days", cfg.clock.window_days);
  w.AttrF64("/", "confidence", cfg.confidence);
  w.AttrF64("/", "global_control", cfg.global_control);
  w.AttrString("/", "layout", "lclab-output-4");
  w.AttrI64("/", "oracle", r.oracle);
  w.AttrF64("/", "oracle_seconds", r.oracle_seconds);
  w.AttrI64("/", "sequential", cfg.sequential);
  std::vector<std::string> campaign_names;
  for (const auto& c : cfg.campaigns) campaign_names.push_back(c.name);
  w.AttrStrings("/", "campaigns", campaign_names);

  // /channels: the response intercepts in use (after calibration).
  {
    std::vector<std::string> name;
    std::vector<double> open, open_b, click, unsub, unsub_b, delivery, cost;
    for (int c = 0; c < models::kNumChannels; ++c) {
      const auto& cp = cfg.model.response.channels[c];
      name.push_back(models::kChannelNames[c]);
      open.push_back(cp.open), click.push_back(cp.click), unsub.push_back(cp.unsubscribe);
      delivery.push_back(cp.delivery), cost.push_back(cp.cost);
      open_b.push_back(r.open_intercept[c]), unsub_b.push_back(r.unsubscribe_intercept[c]);
    }
    TableWriter t(w, "/channels");
    t.Str("channel", name), t.F64("delivery", delivery), t.F64("open", open), t.F64("click", click);
    t.F64("unsubscribe", unsub), t.F64("cost", cost), t.F64("open_intercept", open_b);
    t.F64("unsubscribe_intercept", unsub_b);
  }

  // /programme: groups and their KPIs (programme against the global control).
  w.CreateGroup("/programme");
  {
    std::vector<std::string> name;
    std::vector<std::int64_t> customers, messages;
    std::vector<double> cost, inc, revenue, net;
    for (const auto& g : r.groups) {
      name.push_back(g.name), customers.push_back(g.customers), messages.push_back(g.messages);
      cost.push_back(g.message_cost), inc.push_back(g.incentive_cost), revenue.push_back(g.revenue);
      net.push_back(g.net_revenue);
    }
    TableWriter t(w, "/programme/groups");
    t.Str("group", name), t.I64("customers", customers), t.I64("messages", messages), t.F64("message_cost", cost);
    t.F64("incentive_cost", inc), t.F64("revenue", revenue), t.F64("net_revenue", net);
  }
  std::vector<std::string> group_names(models::kGroupNames.begin(), models::kGroupNames.end());
  WriteKpis(w, "/programme/kpis", ProgrammeKpiDefinitions(), r.programme_kpis, group_names, "group",
            "global_control", cfg.confidence);
  w.AttrStrings("/programme/kpis", "primary", KpiNames(ProgrammeKpiDefinitions(), cfg.programme_primary));
  w.AttrStrings("/programme/kpis", "guardrail", KpiNames(ProgrammeKpiDefinitions(), cfg.programme_guardrail));
  if (!r.programme_srm.observed.empty()) WriteSrm(w, "/programme/srm", r.programme_srm, group_names, "group");

  w.CreateGroup("/campaigns");
  for (std::size_t c = 0; c < r.campaigns.size(); ++c) WriteCampaign(w, cfg, static_cast<int>(c), r.campaigns[c]);

  // /daily: per day and group, and per day and campaign arm (cell).
  {
    const std::uint64_t days = r.daily.size(), groups = models::kNumGroups;
    const std::uint64_t cells = days ? r.daily[0].cells.size() : 0;
    std::vector<std::int64_t> stage, engagement, alive, visits, bounces, orders, referrals, messages;
    std::vector<double> revenue, discount;
    std::vector<std::int64_t> triggers, entered, sends, unreachable, suppressed, deliveries, opens, clicks, goals, unsubs;
    std::vector<double> cell_cost, expected_opens, oracle_opens;
    std::vector<std::int64_t> deferred, near_best, from_history;
    std::vector<std::int32_t> day_index;
    std::vector<std::uint8_t> in_window;
    for (std::uint64_t d = 0; d < days; ++d) {
      day_index.push_back(static_cast<std::int32_t>(d));
      in_window.push_back(cfg.clock.InWindow(static_cast<int>(d)));
      for (const auto& x : r.daily[d].groups) {
        stage.insert(stage.end(), x.stage.begin(), x.stage.end());
        engagement.insert(engagement.end(), x.engagement.begin(), x.engagement.end());
        alive.push_back(x.alive), visits.push_back(x.visits), bounces.push_back(x.bounces);
        orders.push_back(x.orders), revenue.push_back(x.revenue), discount.push_back(x.discount);
        referrals.push_back(x.referrals), messages.push_back(x.messages);
      }
      for (const auto& x : r.daily[d].cells) {
        triggers.push_back(x.triggers), entered.push_back(x.entered), sends.push_back(x.sends);
        unreachable.push_back(x.unreachable), suppressed.push_back(x.suppressed), deliveries.push_back(x.deliveries);
        opens.push_back(x.opens), clicks.push_back(x.clicks), goals.push_back(x.goals);
        unsubs.push_back(x.unsubscribes), cell_cost.push_back(x.message_cost);
        deferred.push_back(x.deferred), near_best.push_back(x.near_best), from_history.push_back(x.from_history);
        expected_opens.push_back(x.expected_opens), oracle_opens.push_back(x.oracle_opens);
      }
    }
    std::vector<std::string> cell_campaign, cell_arm;
    for (std::size_t c = 0; c < cfg.campaigns.size(); ++c)
      for (const auto& a : cfg.campaigns[c].arms) cell_campaign.push_back(cfg.campaigns[c].name), cell_arm.push_back(a.name);
    w.CreateGroup("/daily");
    w.WriteI32("/daily/day", day_index);
    w.WriteU8("/daily/in_window", in_window);
    w.WriteStrings("/daily/stage_names", {models::kStageNames.begin(), models::kStageNames.end()});
    w.WriteStrings("/daily/engagement_names", {models::kEngagementNames.begin(), models::kEngagementNames.end()});
    w.WriteStrings("/daily/group_names", group_names);
    w.WriteStrings("/daily/cell_campaign", cell_campaign);
    w.WriteStrings("/daily/cell_arm", cell_arm);
    w.WriteI64("/daily/stage_counts", stage, {days, groups, static_cast<std::uint64_t>(models::kNumStages)});
    w.AttrStrings("/daily/stage_counts", "dims", {"day", "group", "stage"});
    w.WriteI64("/daily/engagement_counts", engagement, {days, groups, static_cast<std::uint64_t>(models::kNumEngagement)});
    w.AttrStrings("/daily/engagement_counts", "dims", {"day", "group", "engagement"});
    const std::vector<std::uint64_t> dg = {days, groups}, dc = {days, cells};
    w.WriteI64("/daily/alive", alive, dg);
    w.WriteI64("/daily/visits", visits, dg);
    w.WriteI64("/daily/bounces", bounces, dg);
    w.WriteI64("/daily/orders", orders, dg);
    w.WriteF64("/daily/revenue", revenue, dg);
    w.WriteF64("/daily/discount", discount, dg);
    w.WriteI64("/daily/referrals", referrals, dg);
    w.WriteI64("/daily/messages", messages, dg);
    for (const char* ds : {"alive", "visits", "bounces", "orders", "revenue", "discount", "referrals", "messages"})
      w.AttrStrings(std::string("/daily/") + ds, "dims", {"day", "group"});
    w.WriteI64("/daily/triggers", triggers, dc);
    w.WriteI64("/daily/entered", entered, dc);
    w.WriteI64("/daily/sends", sends, dc);
    w.WriteI64("/daily/unreachable", unreachable, dc);
    w.WriteI64("/daily/suppressed", suppressed, dc);
    w.WriteI64("/daily/deliveries", deliveries, dc);
    w.WriteI64("/daily/opens", opens, dc);
    w.WriteI64("/daily/clicks", clicks, dc);
    w.WriteI64("/daily/goal_conversions", goals, dc);
    w.WriteI64("/daily/unsubscribes", unsubs, dc);
    w.WriteF64("/daily/message_cost", cell_cost, dc);
    w.WriteI64("/daily/deferred", deferred, dc);
    w.WriteI64("/daily/near_best", near_best, dc);
    w.WriteI64("/daily/from_history", from_history, dc);
    w.WriteF64("/daily/expected_opens", expected_opens, dc);
    w.WriteF64("/daily/oracle_opens", oracle_opens, dc);
    for (const char* ds : {"triggers", "entered", "sends", "unreachable", "suppressed", "deliveries", "opens", "clicks",
                           "goal_conversions", "unsubscribes", "message_cost", "deferred", "near_best", "from_history",
                           "expected_opens", "oracle_opens"})
      w.AttrStrings(std::string("/daily/") + ds, "dims", {"day", "cell"});
  }
  w.Commit();
}

namespace {

std::string Fixed(double v, int digits) {
  if (!std::isfinite(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string Signed(double v, int digits) {
  if (!std::isfinite(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.*f", digits, v);
  return buf;
}

std::string Thousands(std::int64_t v) {
  std::string s = std::to_string(v < 0 ? -v : v), out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return (v < 0 ? "-" : "") + out;
}

std::string FormatValue(const KpiDef& d, double v) {
  if (d.unit == std::string("share")) return Fixed(100 * v, 2) + "%";
  if (d.unit == std::string("money")) return Fixed(v, 2);
  if (d.unit == std::string("score")) return Fixed(v, 1);
  return Fixed(v, 3);
}

std::string FormatLift(const KpiDef& d, const Comparison& c) {
  if (d.unit == std::string("share"))
    return Signed(100 * c.abs_lift, 2) + " pp [" + Signed(100 * c.abs_lo, 2) + ", " + Signed(100 * c.abs_hi, 2) + "]";
  const int digits = d.unit == std::string("count") ? 3 : 2;
  return Signed(c.abs_lift, digits) + " [" + Signed(c.abs_lo, digits) + ", " + Signed(c.abs_hi, digits) + "]";
}

std::string FormatRel(const Comparison& c) {
  if (!std::isfinite(c.rel_lift)) return "-";
  return Signed(100 * c.rel_lift, 1) + "% [" + Signed(100 * c.rel_lo, 1) + "%, " + Signed(100 * c.rel_hi, 1) + "%]";
}

std::string FormatP(double p) {
  if (!std::isfinite(p)) return "-";
  char buf[32];
  if (p < 1e-4)
    std::snprintf(buf, sizeof buf, "<0.0001");
  else
    std::snprintf(buf, sizeof buf, "%.4f", p);
  return buf;
}

// Prints rows with columns padded to their widest cell; first column left-aligned.
void PrintTable(std::ostream& os, const std::vector<std::vector<std::string>>& rows, const std::string& indent) {
  std::vector<std::size_t> width;
  for (const auto& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], r[c].size());
    }
  for (const auto& r : rows) {
    std::string line = indent;
    for (std::size_t c = 0; c < r.size(); ++c) {
      const std::size_t pad = width[c] - r[c].size();
      if (c <= 1)
        line += r[c] + std::string(pad, ' ');
      else
        line += std::string(pad, ' ') + r[c];
      if (c + 1 < r.size()) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    os << line << '\n';
  }
}

}  // namespace

namespace {

// Headline KPIs of a campaign in the summary (all of them with --summary full).
std::vector<std::string> HeadlineKpis(const CampaignConfig& cc) {
  std::vector<std::string> k = {"goal_conversion_rate"};
  switch (cc.plan.goal) {
    case models::Goal::kFirstPurchase: k.push_back("first_purchase_rate"); break;
    case models::Goal::kRepeatPurchase:
    case models::Goal::kReactivation: k.push_back("repeat_purchase_rate"); break;
    case models::Goal::kReturnVisit: k.push_back("visits_per_customer"); break;
    case models::Goal::kRewardsJoin:
    case models::Goal::kReferral: k.push_back("loyalty_rate"); break;
    default: break;
  }
  for (const char* n : {"orders_per_customer", "revenue_per_customer", "net_revenue_per_customer", "open_rate",
                        "click_rate", "unsubscribe_rate"})
    k.push_back(n);
  for (const auto* list : {&cc.primary_kpis, &cc.guardrail_kpis})  // the experiment's own KPIs always show
    for (int i : *list)
      if (std::find(k.begin(), k.end(), CampaignKpiDefinitions()[i].name) == k.end())
        k.push_back(CampaignKpiDefinitions()[i].name);
  return k;
}

std::string PlusMinus(const TermEstimate& t, int digits, double scale) {
  if (!std::isfinite(t.estimate)) return "-";
  return Signed(scale * t.estimate, digits) + "±" + Fixed(scale * (t.hi - t.estimate), digits);
}

void PrintKpiRows(std::ostream& os, const std::vector<KpiDef>& defs, const std::vector<KpiRow>& rows,
                  const std::vector<std::string>& arm_names, const std::vector<std::string>* only, int pct,
                  const char* arm_header) {
  std::vector<std::vector<std::string>> table = {{"kpi", arm_header, "n", "value", "abs lift [" + std::to_string(pct) + "% CI]",
                                                  "rel lift [" + std::to_string(pct) + "% CI]", "p"}};
  int last_kpi = -1;
  for (const auto& row : rows) {
    const auto& d = defs[row.kpi];
    if (row.moments.n == 0) continue;
    if (only && std::find(only->begin(), only->end(), d.name) == only->end()) continue;
    std::string name = row.kpi == last_kpi ? "" : std::string(d.name) + (d.latent ? " (latent)" : "");
    last_kpi = row.kpi;
    table.push_back({name, arm_names[row.arm], Thousands(static_cast<std::int64_t>(row.moments.n)),
                     FormatValue(d, row.estimate.value), row.has_comparison ? FormatLift(d, row.vs_control) : "",
                     row.has_comparison ? FormatRel(row.vs_control) : "",
                     row.has_comparison ? FormatP(row.vs_control.p_value) : ""});
  }
  PrintTable(os, table, "  ");
}

std::string FormatDiff(const KpiDef& d, double x) {
  return d.unit == std::string("share") ? Signed(100 * x, 2) + " pp" : Signed(x, d.unit == std::string("count") ? 3 : 2);
}

std::string FormatSrm(const SrmSummary& s, const std::vector<std::string>& names) {
  std::string obs, exp;
  for (std::size_t a = 0; a < s.observed.size(); ++a) {
    obs += (a ? " / " : "") + Thousands(static_cast<std::int64_t>(s.observed[a]));
    exp += (a ? " / " : "") + Thousands(std::llround(s.expected[a]));
  }
  std::string out = obs + " against " + exp + " expected (";
  for (std::size_t a = 0; a < names.size(); ++a) out += (a ? " / " : "") + names[a];
  char buf[96];
  std::snprintf(buf, sizeof buf, "): chi2 = %.2f, df %d, p = %.3g", s.test.chi2, s.test.df, s.test.p_value);
  return out + buf;
}

// The decision table: primary KPIs with CUPED, corrected p-values, the sequential verdict and the
// truth (--oracle); then guardrails, the sample-ratio check and the allocation.
void PrintDecision(std::ostream& os, const std::vector<KpiDef>& defs, const std::vector<KpiRow>& rows,
                   const std::vector<std::string>& arm_names, int control,
                   const std::vector<SequentialSeries>& sequential, bool oracle, int pct, double margin) {
  const std::string ci = std::to_string(pct) + "% CI";
  std::vector<std::string> header = {"primary kpi", "arm", "abs lift [" + ci + "]", "CUPED [" + ci + "]", "var. cut",
                                     "p", "p Holm", "p BH"};
  if (!sequential.empty()) header.push_back("sequential (always valid)");
  if (oracle) header.push_back("true effect");
  std::vector<std::vector<std::string>> t = {header};
  int last = -1;
  for (const KpiRow& row : rows) {
    if (row.role != KpiRole::kPrimary || !row.has_comparison) continue;
    const KpiDef& d = defs[row.kpi];
    const bool cuped = row.has_cuped && std::isfinite(row.cuped.abs_lift);
    std::vector<std::string> line = {row.kpi == last ? "" : d.name, arm_names[row.arm], FormatLift(d, row.vs_control),
                                     cuped ? FormatLift(d, row.cuped) : "-",
                                     cuped ? Fixed(std::round(100 * row.variance_reduction) + 0.0, 0) + "%" : "-",
                                     FormatP(row.vs_control.p_value), FormatP(row.p_holm), FormatP(row.p_bh)};
    last = row.kpi;
    if (!sequential.empty()) {
      std::string verdict = "-";
      for (const auto& s : sequential) {
        if (s.kpi != row.kpi || s.arm != row.arm || s.lo.empty()) continue;
        verdict = s.decision > 0   ? "better from day " + std::to_string(s.decision_day + 1)
                  : s.decision < 0 ? "worse from day " + std::to_string(s.decision_day + 1)
                                   : "no decision";
        if (std::isfinite(s.lo.back()))
          verdict += " [" + FormatDiff(d, s.lo.back()) + ", " + FormatDiff(d, s.hi.back()) + "]";
      }
      line.push_back(verdict);
    }
    if (oracle)
      line.push_back(FormatDiff(d, row.true_effect) + (row.covered == 1 ? " covered" : row.covered == 0 ? " MISSED" : ""));
    t.push_back(line);
  }
  if (t.size() > 1) PrintTable(os, t, "  ");
  std::vector<std::vector<std::string>> g = {{"guardrail kpi", "arm", "abs lift [" + ci + "]", "rel lift [" + ci + "]",
                                              "verdict"}};
  for (const KpiRow& row : rows) {
    if (row.role != KpiRole::kGuardrail || row.arm == control) continue;
    const KpiDef& d = defs[row.kpi];
    if (!row.has_comparison) {
      g.push_back({d.name, arm_names[row.arm], "-", "-", "not measurable against this control"});
      continue;
    }
    g.push_back({d.name, arm_names[row.arm], FormatLift(d, row.vs_control), FormatRel(row.vs_control),
                 row.guardrail_breach ? "BREACH (worse" + (margin > 0 ? " by more than " + Fixed(100 * margin, 1) + "%" : "") + ")"
                                      : "ok"});
  }
  if (g.size() > 1) PrintTable(os, g, "  ");
}

void PrintSrm(std::ostream& os, const char* what, const SrmSummary& s, const std::vector<std::string>& names) {
  if (s.observed.empty() || s.test.df <= 0) return;
  os << "  Sample ratio (" << what << "): " << FormatSrm(s, names);
  if (s.test.alarm)
    os << "\n  *** SRM ALARM: p < 0.001. The split does not match the allocation, so assignment or logging is "
          "broken and these comparisons are not trustworthy.\n";
  else
    os << ", ok\n";
}

void PrintAnalysis(std::ostream& os, const ExperimentConfig& cfg, const RunResult& r, int c, int pct) {
  const CampaignConfig& cc = cfg.campaigns[c];
  const CampaignResult& cr = r.campaigns[c];
  const auto& defs = CampaignKpiDefinitions();
  std::vector<std::string> names;
  for (const auto& a : cr.arms) names.push_back(a.name);
  os << "\n  Decision (lift against \"" << cc.arms[cc.control_arm].name << "\"; Holm and Benjamini-Hochberg over "
     << "primary KPIs x arms; sequential: mixture SPRT confidence sequence, alpha " << Fixed(1 - cfg.confidence, 2)
     << ", looked at daily)\n";
  PrintDecision(os, defs, cr.kpis, names, cc.control_arm, cr.sequential, r.oracle, pct, cc.guardrail_margin);
  PrintSrm(os, "entered", cr.srm_entered, names);
  PrintSrm(os, "assigned", cr.srm_assigned, names);
  const AllocationResult& al = cr.allocation;
  const KpiDef& ad = defs[al.kpi];
  if (al.adaptive) {
    const std::size_t arms = cr.arms.size(), days = al.weights.size() / arms;
    os << "  Allocation: Thompson sampling on " << ad.name << ", updated daily, min share "
       << Fixed(100 * al.min_share, 1) << "%; shares on the last day:";
    for (std::size_t a = 0; a < arms; ++a)
      os << " " << names[a] << " " << Fixed(100 * al.weights[(days - 1) * arms + a], 1) << "%";
    os << "\n";
  }
  if (al.best_arm >= 0 && std::isfinite(al.regret))
    os << "  Regret on " << ad.name << " against always sending \"" << names[al.best_arm] << "\" ("
       << (al.from_oracle ? "true values" : "estimated values") << "): " << Fixed(al.regret, 1) << " "
       << (ad.unit == std::string("money") ? "in money" : ad.kind == KpiKind::kRatio ? ad.numerator : ad.kind == KpiKind::kProportion ? "customers" : ad.unit)
       << " lost" << (al.adaptive ? "; fixed weights would have lost " + Fixed(al.fixed_regret, 1) : "") << "\n";
  if (r.oracle) {
    int covered = 0, total = 0;
    for (const KpiRow& row : cr.kpis)
      if (row.covered >= 0) covered += row.covered, ++total;
    os << "  Oracle: " << covered << " of " << total << " " << pct << "% CIs of the lifts covered the true effect\n";
  }
}

std::string TriggerText(const CampaignConfig& cc) {
  const auto& p = cc.plan;
  std::string s = models::kTriggerNames[static_cast<int>(p.trigger)];
  if (p.trigger == models::Trigger::kEnterStage) s += " " + std::string(models::kStageNames[static_cast<int>(p.stage)]);
  if (p.delay_days) s += " +" + std::to_string(p.delay_days) + "d";
  return s;
}

// True if a campaign's arms differ in send time or it has send-time constraints.
bool HasSendTimeStudy(const CampaignConfig& cc) {
  const auto& w = cc.plan.send_window;
  if (w.quiet_start != w.quiet_end || w.window_start != w.window_end) return true;
  int hour = -1;
  for (const auto& a : cc.arms) {
    if (a.holdout) continue;
    const auto& t = a.treatment;
    if (t.send_policy != models::SendPolicy::kLocalHour || (hour >= 0 && hour != t.send_hour)) return true;
    hour = t.send_hour;
  }
  return false;
}

// Share of a cell's sends on days [from, to] whose policy hour was within 1 h of the best hour.
std::string NearBestShare(const RunResult& r, int cell, int from, int to) {
  std::int64_t near = 0, sends = 0;
  for (int d = std::max(0, from); d <= to && d < static_cast<int>(r.daily.size()); ++d)
    near += r.daily[d].cells[cell].near_best, sends += r.daily[d].cells[cell].sends;
  return sends ? Fixed(100.0 * static_cast<double>(near) / static_cast<double>(sends), 1) + "%" : "-";
}

void PrintSendTime(std::ostream& os, const ExperimentConfig& cfg, const RunResult& r, int c) {
  const CampaignConfig& cc = cfg.campaigns[c];
  const CampaignResult& cr = r.campaigns[c];
  int offset = 0;
  for (int k = 0; k < c; ++k) offset += static_cast<int>(cfg.campaigns[k].arms.size());
  auto kpi = [&](const char* name, int arm) -> double {
    for (const auto& row : cr.kpis)
      if (row.arm == arm && CampaignKpiDefinitions()[row.kpi].name == std::string(name)) return row.estimate.value;
    return std::nan("");
  };
  const auto& w = cc.plan.send_window;
  os << "\n  Send time: regret = expected opens lost against each recipient's best allowed hour that day; "
        "'within 1 h' = sends whose policy hour was within 1 h of the recipient's true best hour";
  if (w.quiet_start != w.quiet_end)
    os << "; quiet hours " << w.quiet_start << ":00-" << w.quiet_end << ":00 local";
  if (w.window_start != w.window_end)
    os << "; delivery window " << w.window_start << ":00-" << w.window_end << ":00 UTC" << (w.zone < 0 ? "" : "+")
       << w.zone;
  os << "\n";
  const int start = cc.plan.start_day, end = cc.plan.end_day;
  std::vector<std::pair<std::string, int>> marks;  // label, last day of a 7-day span
  for (int d : {7, 30, 90})
    if (start + d <= end) marks.push_back({"days " + std::to_string(d - 6) + "-" + std::to_string(d), start + d - 1});
  marks.push_back({"last 7 days", end - 1});
  std::vector<std::string> header = {"arm", "policy", "delivered", "open rate", "click rate", "goal conv.",
                                     "regret /1k", "regret %", "within 1 h"};
  for (const auto& m : marks) header.push_back(m.first);
  header.push_back("own history"), header.push_back("deferred");
  std::vector<std::vector<std::string>> t = {header};
  for (std::size_t a = 0; a < cr.arms.size(); ++a) {
    const auto& x = cr.arms[a];
    if (x.holdout) continue;
    const auto& tr = cc.arms[a].treatment;
    std::string policy = models::kSendPolicyNames[static_cast<int>(tr.send_policy)];
    if (tr.send_policy == models::SendPolicy::kLocalHour || tr.send_policy == models::SendPolicy::kZoneHour)
      policy += " " + std::to_string(tr.send_hour) + ":00";
    const double regret = x.oracle_opens - x.expected_opens;
    // In-app messages and pop-ups land at the visit's hour: no policy hour to judge.
    const bool on_visit = cfg.model.response.channels[static_cast<int>(tr.channel)].needs_visit;
    const int cell = offset + static_cast<int>(a);
    std::vector<std::string> row = {
        x.name, policy, Thousands(x.deliveries), Fixed(100 * kpi("open_rate", static_cast<int>(a)), 2) + "%",
        Fixed(100 * kpi("click_rate", static_cast<int>(a)), 2) + "%",
        Fixed(100 * kpi("goal_conversion_rate", static_cast<int>(a)), 2) + "%",
        x.deliveries ? Fixed(1000 * regret / static_cast<double>(x.deliveries), 1) : "-",
        x.oracle_opens > 0 ? Fixed(100 * regret / x.oracle_opens, 1) + "%" : "-",
        x.sends && !on_visit ? Fixed(100.0 * static_cast<double>(x.near_best) / static_cast<double>(x.sends), 1) + "%"
                             : "-"};
    for (const auto& m : marks) row.push_back(on_visit ? "-" : NearBestShare(r, cell, m.second - 6, m.second));
    row.push_back(x.sends && models::UsesHistory(tr.send_policy)
                      ? Fixed(100.0 * static_cast<double>(x.from_history) / static_cast<double>(x.sends), 1) + "%"
                      : "-");
    row.push_back(Thousands(x.deferred));
    t.push_back(row);
  }
  PrintTable(os, t, "  ");
  os << "\n  Open rate by local delivery hour (opens / deliveries)\n";
  std::vector<std::vector<std::string>> ht = {{"hour"}};
  for (const auto& x : cr.arms)
    if (!x.holdout) ht[0].push_back(x.name);
  for (int h = 0; h < 24; ++h) {
    std::vector<std::string> row = {(h < 10 ? "0" : "") + std::to_string(h) + ":00"};
    bool any = false;
    for (const auto& x : cr.arms) {
      if (x.holdout) continue;
      const auto d = x.hour_deliveries[h];
      any = any || d > 0;
      row.push_back(d ? Fixed(100.0 * static_cast<double>(x.hour_opens[h]) / static_cast<double>(d), 1) + "% of " +
                            sim::FormatSi(static_cast<double>(d))
                      : "");
    }
    if (any) ht.push_back(row);
  }
  PrintTable(os, ht, "  ");
}

}  // namespace

void PrintSummary(std::ostream& os, const ExperimentConfig& cfg, const RunResult& r, const RunInfo& info) {
  const double customer_days = static_cast<double>(r.customers) * r.days;
  os << "lclab " << kVersion << "  " << cfg.path << "  programme \"" << cfg.experiment_name << "\"  seed " << cfg.seed
     << "\n";
  os << Thousands(static_cast<std::int64_t>(r.customers)) << " customers x " << r.days << " days ("
     << cfg.clock.warmup_days << " warm-up + " << cfg.clock.window_days << " in the window), " << info.threads
     << (info.threads == 1 ? " thread, " : " threads, ") << Fixed(r.seconds, 2) << " s, "
     << sim::FormatSi(customer_days / r.seconds) << " customer-days/s\n";
  const int pct = static_cast<int>(std::lround(100 * cfg.confidence));
  const std::string ci = std::to_string(pct) + "% CI";

  for (std::size_t c = 0; c < r.campaigns.size(); ++c) {
    const CampaignConfig& cc = cfg.campaigns[c];
    const CampaignResult& cr = r.campaigns[c];
    std::vector<std::string> arm_names;
    for (const auto& a : cr.arms) arm_names.push_back(a.name);
    os << "\n=== Campaign " << c + 1 << "/" << r.campaigns.size() << " \"" << cc.name << "\": trigger "
       << TriggerText(cc) << ", goal " << models::kGoalNames[static_cast<int>(cc.plan.goal)] << " (" << cc.goal_kpi
       << "), " << cc.design;
    if (cc.resolution > 0) os << " 2^-" << cc.generators.size() << " resolution " << cc.resolution;
    os << ", " << cr.variant_arms.size() << " variant" << (cr.variant_arms.size() == 1 ? "" : "s") << "\n";
    std::vector<std::vector<std::string>> arm_rows = {{"arm", "role", "channel", "entered", "sends", "delivered",
                                                       "opens", "clicks", "goals", "unsubs", "fatigue", "cost",
                                                       "incr. net revenue [" + ci + "]"}};
    for (std::size_t a = 0; a < cr.arms.size(); ++a) {
      const auto& x = cr.arms[a];
      std::string role = x.control ? "control" : "variant";
      if (x.holdout) role += ",holdout";
      const auto& t = cc.arms[a].treatment;
      std::string incr;
      if (std::isfinite(x.incremental_net_revenue))
        incr = Signed(x.incremental_net_revenue, 0) + " [" + Signed(x.incremental_net_revenue_lo, 0) + ", " +
               Signed(x.incremental_net_revenue_hi, 0) + "]";
      arm_rows.push_back({x.name, role, x.holdout ? "-" : models::kChannelNames[static_cast<int>(t.channel)],
                          Thousands(x.entered), Thousands(x.sends), Thousands(x.deliveries), Thousands(x.opens),
                          Thousands(x.clicks), Thousands(x.goals), Thousands(x.unsubscribes), Fixed(x.mean_fatigue, 2),
                          Fixed(x.message_cost + x.incentive_cost, 0), incr});
    }
    PrintTable(os, arm_rows, "  ");
    os << "\n  KPIs over entered customers; lift against \"" << cc.arms[cc.control_arm].name << "\"\n";
    const auto headline = HeadlineKpis(cc);
    PrintKpiRows(os, CampaignKpiDefinitions(), cr.kpis, arm_names, info.full_summary ? nullptr : &headline, pct, "arm");

    bool any_fit = false;
    for (const auto& fo : cr.factorial) any_fit = any_fit || fo.fit.ok;
    if (!cr.factorial.empty()) {
      os << "\n  Factorial effects against each factor's first level (estimate ± " << ci
         << " half-width; planted truth in parentheses)\n";
      if (!any_fit) {
        os << "  (not estimable: too few opens, clicks or conversions in some variant)\n";
      } else {
        std::vector<std::vector<std::string>> ft = {
            {"term", "open (logit)", "click|open (logit)", "goal|click (logit)", "unsubscribe (logit)",
             "goal conv. (pp)", "net rev/cust"}};
        for (std::size_t j = 0; j < cr.model.terms.size(); ++j) {
          std::vector<std::string> row = {cr.model.terms[j].name};
          for (const auto& fo : cr.factorial) {
            if (!fo.fit.ok) {
              row.push_back("-");
              continue;
            }
            const TermEstimate& te = fo.fit.terms[j];
            if (fo.scale == "logit") {
              row.push_back(PlusMinus(te, 2, 1.0) + (std::isfinite(te.truth) ? " (" + Signed(te.truth, 2) + ")" : ""));
            } else if (fo.name == "goal_conversion_rate") {
              row.push_back(PlusMinus(te, 2, 100.0));
            } else {
              row.push_back(PlusMinus(te, 2, 1.0));
            }
          }
          ft.push_back(row);
        }
        PrintTable(os, ft, "  ");
        if (!cr.model.aliased.empty()) {
          os << "  aliased (not estimable in this design):";
          for (const auto& a : cr.model.aliased) os << " " << a << ";";
          os << "\n";
        }
      }
    }
    PrintAnalysis(os, cfg, r, static_cast<int>(c), pct);
    if (HasSendTimeStudy(cc)) PrintSendTime(os, cfg, r, static_cast<int>(c));
    if (!cr.best.empty()) {
      const bool money = cc.best_by == "net_revenue_per_customer";
      os << "\n  Best variant by " << cc.best_by << " (lift against \"" << cc.arms[cc.control_arm].name << "\")\n";
      std::vector<std::vector<std::string>> bt = {{"segment", "best variant", "n", "value [" + ci + "]",
                                                   "abs lift [" + ci + "]", "p"}};
      for (const auto& b : cr.best) {
        if (b.arm < 0) {
          bt.push_back({b.segment, "-", "0", "", "", ""});
          continue;
        }
        auto v = [&](double x) { return money ? Fixed(x, 2) : Fixed(100 * x, 2) + "%"; };
        auto l = [&](double x) { return money ? Signed(x, 2) : Signed(100 * x, 2); };
        bt.push_back({b.segment, cr.arms[b.arm].name, Thousands(static_cast<std::int64_t>(b.moments.n)),
                      v(b.estimate.value) + " [" + v(b.estimate.lo) + ", " + v(b.estimate.hi) + "]",
                      b.has_comparison ? l(b.vs_control.abs_lift) + (money ? "" : " pp") + " [" +
                                             l(b.vs_control.abs_lo) + ", " + l(b.vs_control.abs_hi) + "]"
                                       : "",
                      b.has_comparison ? FormatP(b.vs_control.p_value) : ""});
      }
      PrintTable(os, bt, "  ");
    }
  }

  os << "\n=== Programme: " << r.campaigns.size() << " campaign" << (r.campaigns.size() == 1 ? "" : "s");
  if (cfg.global_control > 0) {
    os << "; global control " << Fixed(100 * cfg.global_control, 1)
       << "% of customers get no campaign message (lift of the whole programme against it)\n";
    std::vector<std::vector<std::string>> gt = {{"group", "customers", "messages", "message cost", "incentive cost",
                                                 "revenue", "net revenue"}};
    for (const auto& g : r.groups)
      gt.push_back({g.name, Thousands(g.customers), Thousands(g.messages), Fixed(g.message_cost, 0),
                    Fixed(g.incentive_cost, 0), Fixed(g.revenue, 0), Fixed(g.net_revenue, 0)});
    PrintTable(os, gt, "  ");
    os << "\n";
    std::vector<std::string> group_names(models::kGroupNames.begin(), models::kGroupNames.end());
    static const std::vector<std::string> kProgrammeHeadline = {
        "revenue_per_customer", "net_revenue_per_customer", "orders_per_customer", "first_purchase_rate",
        "repeat_purchase_rate", "churn_rate", "unsubscribed_rate", "messages_per_customer"};
    PrintKpiRows(os, ProgrammeKpiDefinitions(), r.programme_kpis, group_names,
                 info.full_summary ? nullptr : &kProgrammeHeadline, pct, "group");
    os << "\n  Decision (programme against global control)\n";
    PrintDecision(os, ProgrammeKpiDefinitions(), r.programme_kpis, group_names, models::kGroupGlobalControl, {},
                  false, pct, 0.0);
    PrintSrm(os, "global control", r.programme_srm, group_names);
  } else {
    os << "; no global control group (set programme.global_control to measure the programme's total effect)\n";
  }
  os << "\n(latent) = the simulator's truth, which a marketer cannot observe; ratio KPIs use the delta method; "
        "means use Welch's t; proportions the two-proportion z-test; factorial effects are regressions on the "
        "variants with customer-clustered standard errors (docs/statistics.md).\n";
}

}  // namespace lclab::experiments
