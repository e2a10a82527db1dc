// The HDF5 layout of a run (docs/output-format.md): root attributes,
// /channels, /programme, /campaigns/<name>/..., /daily.
#include "experiments/report/hdf5_report.h"

#include <cmath>
#include <limits>

#include "experiments/report/h5_table.h"
#include "lclab/version.h"
#include "models/params.h"
#include "sim/h5.h"

namespace lclab::experiments {
namespace {

using models::KpiDef;
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

std::vector<std::string> KpiNamesOf(const std::vector<KpiDef>& defs, const std::vector<int>& ks) {
  std::vector<std::string> out;
  for (int k : ks) out.push_back(defs[k].name);
  return out;
}

const char* KindName(models::KpiKind k) {
  return k == models::KpiKind::kProportion ? "proportion" : k == models::KpiKind::kMean ? "mean" : "ratio";
}

// A Comparison's interval fields, NaN when the row has none.
double Lift(const KpiRow& row, double Interval::*field, bool relative = false) {
  if (!row.has_comparison) return kNan;
  return (relative ? row.vs_control.rel : row.vs_control.abs).*field;
}
// The CUPED lift's fields, NaN without a CUPED comparison.
bool HasCupedLift(const KpiRow& r) { return r.has_cuped && std::isfinite(r.cuped.abs.estimate); }

void WriteKpis(sim::H5Writer& w, const std::string& group, const std::vector<KpiDef>& defs,
               const std::vector<KpiRow>& rows, const std::vector<std::string>& arm_names, const std::string& arm_column,
               const std::string& control, double confidence) {
  auto def = [&](const KpiRow& r) -> const KpiDef& { return defs[r.kpi]; };
  auto cuped = [](double v, const KpiRow& r, bool lift) { return (lift ? HasCupedLift(r) : r.has_cuped) ? v : kNan; };
  WriteTable(
      w, group, rows, Col("kpi", [&](const KpiRow& r) { return def(r).name; }),
      Col(arm_column, [&](const KpiRow& r) { return arm_names[r.arm]; }), Col(arm_column + "_index", &KpiRow::arm),
      Col("kind", [&](const KpiRow& r) { return KindName(def(r).kind); }),
      Col("unit", [&](const KpiRow& r) { return def(r).unit; }),
      Col("population", [&](const KpiRow& r) { return def(r).population; }),
      Col("latent", [&](const KpiRow& r) { return def(r).latent; }),
      Col("higher_is_better", [&](const KpiRow& r) { return def(r).higher_is_better; }),
      Col("n", [](const KpiRow& r) { return r.moments.n; }),
      Col("value", [](const KpiRow& r) { return r.estimate.estimate; }),
      Col("se", [](const KpiRow& r) { return r.estimate.se; }),
      Col("ci_low", [](const KpiRow& r) { return r.estimate.low; }),
      Col("ci_high", [](const KpiRow& r) { return r.estimate.high; }),
      Col("abs_lift", [](const KpiRow& r) { return Lift(r, &Interval::estimate); }),
      Col("abs_lift_ci_low", [](const KpiRow& r) { return Lift(r, &Interval::low); }),
      Col("abs_lift_ci_high", [](const KpiRow& r) { return Lift(r, &Interval::high); }),
      Col("rel_lift", [](const KpiRow& r) { return Lift(r, &Interval::estimate, true); }),
      Col("rel_lift_ci_low", [](const KpiRow& r) { return Lift(r, &Interval::low, true); }),
      Col("rel_lift_ci_high", [](const KpiRow& r) { return Lift(r, &Interval::high, true); }),
      Col("p_value", [](const KpiRow& r) { return r.has_comparison ? r.vs_control.p_value : kNan; }),
      Col("note", [](const KpiRow& r) { return kKpiNoteNames[static_cast<int>(r.note)]; }),
      Col("days_to_move", &KpiRow::days_to_move),
      Col("role", [](const KpiRow& r) { return kKpiRoleNames[static_cast<int>(r.role)]; }),
      Col("stage", [&](const KpiRow& r) { return def(r).stage; }),
      Col("numerator", [&](const KpiRow& r) { return def(r).numerator; }),
      Col("covariate", [&](const KpiRow& r) { return def(r).covariate; }),
      Col("cuped_theta", [&](const KpiRow& r) { return cuped(r.cuped_theta, r, false); }),
      Col("cuped_value", [&](const KpiRow& r) { return cuped(r.cuped_estimate.estimate, r, false); }),
      Col("cuped_abs_lift", [&](const KpiRow& r) { return cuped(r.cuped.abs.estimate, r, true); }),
      Col("cuped_abs_lift_ci_low", [&](const KpiRow& r) { return cuped(r.cuped.abs.low, r, true); }),
      Col("cuped_abs_lift_ci_high", [&](const KpiRow& r) { return cuped(r.cuped.abs.high, r, true); }),
      Col("cuped_p_value", [&](const KpiRow& r) { return cuped(r.cuped.p_value, r, true); }),
      Col("cuped_variance_reduction", [&](const KpiRow& r) { return cuped(r.variance_reduction, r, true); }),
      Col("p_holm", &KpiRow::p_holm), Col("p_bh", &KpiRow::p_bh),
      Col("guardrail_tolerance", [](const KpiRow& r) { return r.role == KpiRole::kGuardrail ? r.guardrail_tolerance : kNan; }),
      Col("guardrail_breach", &KpiRow::guardrail_breach),
      Col("true_value", &KpiRow::true_value), Col("true_effect", &KpiRow::true_effect),
      Col("true_rel_effect", &KpiRow::true_rel_effect), Col("covered", &KpiRow::covered),
      Col("rel_covered", &KpiRow::rel_covered), Col("cuped_covered", &KpiRow::cuped_covered),
      Col("attribution", [&](const KpiRow& r) { return def(r).attribution; }),
      Col("range_low", [&](const KpiRow& r) { return def(r).lo; }),
      Col("range_high", [&](const KpiRow& r) { return def(r).hi; }));
  w.AttrF64(group, "confidence", confidence);
  w.AttrString(group, "control", control);
}

// The guardrails' tolerances: one row per guardrail KPI.
void WriteMargins(sim::H5Writer& w, const std::string& group, const std::vector<KpiDef>& defs,
                  const std::vector<int>& guardrails, const std::vector<models::GuardrailMargin>& margins) {
  WriteTable(w, group, guardrails, Col("kpi", [&](int k) { return defs[k].name; }),
             Col("kind", [&](int k) { return models::kMarginKindNames[static_cast<int>(margins[k].kind)]; }),
             Col("margin", [&](int k) { return margins[k].value; }));
}

// A sample-ratio check as a table (one row per arm) with the test in attributes.
void WriteSrm(sim::H5Writer& w, const std::string& group, const SrmSummary& s, const std::vector<std::string>& names,
              const std::string& label = "arm") {
  std::vector<std::size_t> rows(s.observed.size());
  for (std::size_t a = 0; a < rows.size(); ++a) rows[a] = a;
  WriteTable(w, group, rows, Col(label, [&](std::size_t a) { return names[a]; }),
             Col("observed", [&](std::size_t a) { return s.observed[a]; }),
             Col("expected", [&](std::size_t a) { return s.expected[a]; }));
  w.AttrF64(group, "chi2", s.test.chi2);
  w.AttrI64(group, "df", s.test.df);
  w.AttrF64(group, "p_value", s.test.p_value);
  w.AttrI64(group, "alarm", s.test.alarm);
}

// A 2-D dataset of a per-series, per-day quantity, with its dims attribute.
template <class Series, class Get>
void WriteDaily2D(sim::H5Writer& w, const std::string& path, const std::vector<Series>& series, std::uint64_t days,
                  const std::vector<std::string>& dims, Get get) {
  std::vector<double> data;
  for (const Series& s : series)
    for (std::uint64_t d = 0; d < days; ++d) data.push_back(get(s, d));
  w.WriteF64(path, data, {series.size(), days});
  w.AttrStrings(path, "dims", dims);
}

void WriteSequential(sim::H5Writer& w, const std::string& g, const CampaignResult& r,
                     const std::vector<std::string>& names, int window_days) {
  using S = SequentialSeries;
  WriteTable(w, g + "/sequential", r.sequential,
             Col("kpi", [](const S& s) { return models::CampaignKpiDefinitions()[s.kpi].name; }),
             Col("arm", [&](const S& s) { return names[s.arm]; }), Col("n_star", &S::n_star),
             Col("decision_day", &S::decision_day),
             Col("decision", &S::decision), Col("naive_day", &S::naive_day), Col("covered", &S::covered));
  const std::string dg = g + "/sequential_daily";
  w.CreateGroup(dg);
  const auto days = static_cast<std::uint64_t>(window_days);
  const std::vector<std::string> dims = {"series", "window_day"};
  WriteDaily2D(w, dg + "/estimate", r.sequential, days, dims, [](const S& s, std::uint64_t d) { return s.cs[d].estimate; });
  WriteDaily2D(w, dg + "/cs_low", r.sequential, days, dims, [](const S& s, std::uint64_t d) { return s.cs[d].low; });
  WriteDaily2D(w, dg + "/cs_high", r.sequential, days, dims, [](const S& s, std::uint64_t d) { return s.cs[d].high; });
  WriteDaily2D(w, dg + "/p_value", r.sequential, days, dims, [](const S& s, std::uint64_t d) { return s.p_value[d]; });
  WriteDaily2D(w, dg + "/p_holm", r.sequential, days, dims, [](const S& s, std::uint64_t d) { return s.p_holm[d]; });
  WriteDaily2D(w, dg + "/naive_p_value", r.sequential, days, dims,
               [](const S& s, std::uint64_t d) { return s.naive_p[d]; });
}

void WriteAllocation(sim::H5Writer& w, const std::string& g, const CampaignResult& r) {
  const AllocationResult& al = r.allocation;
  const std::string ag = g + "/allocation";
  w.CreateGroup(ag);
  const std::uint64_t arms = r.arms.size();
  w.WriteF64(ag + "/weights", al.weights, {arms ? al.weights.size() / arms : 0, arms});
  w.AttrStrings(ag + "/weights", "dims", {"window_day", "arm"});
  w.AttrString(ag, "method", al.adaptive ? "thompson" : "fixed");
  w.AttrString(ag, "kpi", models::CampaignKpiDefinitions()[al.kpi].name);
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

void WriteArms(sim::H5Writer& w, const std::string& g, const CampaignConfig& cc, const CampaignResult& r) {
  using A = ArmResult;
  auto index = [&](const A& x) { return static_cast<std::size_t>(&x - r.arms.data()); };
  auto treatment = [&](const A& x) -> const models::ArmTreatment& { return cc.arms[index(x)].treatment; };
  WriteTable(
      w, g + "/arms", r.arms, Col("index", [&](const A& x) { return static_cast<std::int32_t>(index(x)); }),
      Col("name", &A::name), Col("levels", [&](const A& x) { return LevelsText(cc, cc.arms[index(x)]); }),
      Col("weight", &A::weight), Col("holdout", &A::holdout), Col("control", &A::control),
      Col("channel", [&](const A& x) { return models::kChannelNames[static_cast<int>(treatment(x).channel)]; }),
      Col("send_policy",
          [&](const A& x) { return x.holdout ? "" : models::kSendPolicyNames[static_cast<int>(treatment(x).send_policy)]; }),
      Col("send_hour", [&](const A& x) { return treatment(x).send_hour; }),
      Col("every_days", [&](const A& x) { return treatment(x).every_days; }),
      Col("max_sends", [&](const A& x) { return treatment(x).max_sends; }),
      Col("incentive", [&](const A& x) { return models::kIncentiveNames[static_cast<int>(treatment(x).incentive)]; }),
      Col("incentive_value", [&](const A& x) { return treatment(x).incentive_value; }),
      Col("effect_open", [&](const A& x) { return treatment(x).effects.open; }),
      Col("effect_click", [&](const A& x) { return treatment(x).effects.click; }),
      Col("effect_goal", [&](const A& x) { return treatment(x).effects.goal; }),
      Col("effect_unsubscribe", [&](const A& x) { return treatment(x).effects.unsubscribe; }),
      Col("assigned", &A::assigned), Col("entered", &A::entered), Col("triggers", &A::triggers),
      Col("sends", &A::sends), Col("unreachable", &A::unreachable), Col("suppressed", &A::suppressed),
      Col("deliveries", &A::deliveries), Col("opens", &A::opens), Col("clicks", &A::clicks),
      Col("goal_conversions", &A::goals), Col("unsubscribes", &A::unsubscribes), Col("mean_fatigue", &A::mean_fatigue),
      Col("message_cost", &A::message_cost), Col("incentive_cost", &A::incentive_cost), Col("discount", &A::discount),
      Col("revenue", &A::revenue), Col("net_revenue", &A::net_revenue),
      Col("incremental_revenue", [](const A& x) { return x.incremental_revenue.estimate; }),
      Col("incremental_revenue_ci_low", [](const A& x) { return x.incremental_revenue.low; }),
      Col("incremental_revenue_ci_high", [](const A& x) { return x.incremental_revenue.high; }),
      Col("incremental_net_revenue", [](const A& x) { return x.incremental_net_revenue.estimate; }),
      Col("incremental_net_revenue_ci_low", [](const A& x) { return x.incremental_net_revenue.low; }),
      Col("incremental_net_revenue_ci_high", [](const A& x) { return x.incremental_net_revenue.high; }),
      Col("deferred", &A::deferred), Col("near_best", &A::near_best), Col("from_history", &A::from_history),
      Col("expected_opens", &A::expected_opens), Col("oracle_opens", &A::oracle_opens));
}

// Deliveries and opens by local delivery hour, arm x hour.
void WriteSendHours(sim::H5Writer& w, const std::string& g, const CampaignResult& r) {
  std::vector<std::int64_t> deliveries, opens, delay;
  std::vector<double> rate;
  for (const auto& x : r.arms)
    for (int h = 0; h < 24; ++h) {
      deliveries.push_back(x.hour_deliveries[h]), opens.push_back(x.hour_opens[h]), delay.push_back(x.open_delay[h]);
      rate.push_back(x.hour_deliveries[h] ? static_cast<double>(x.hour_opens[h]) / x.hour_deliveries[h] : kNan);
    }
  const std::string sh = g + "/send_hours";
  w.CreateGroup(sh);
  const std::vector<std::uint64_t> dims = {r.arms.size(), 24};
  w.WriteI64(sh + "/deliveries", deliveries, dims);
  w.WriteI64(sh + "/opens", opens, dims);
  w.WriteF64(sh + "/open_rate", rate, dims);
  w.WriteI64(sh + "/open_delay", delay, dims);
  for (const char* ds : {"deliveries", "opens", "open_rate"}) w.AttrStrings(sh + "/" + ds, "dims", {"arm", "local_hour"});
  w.AttrStrings(sh + "/open_delay", "dims", {"arm", "hours_after_delivery"});
}

// The factors' levels and their planted effects.
void WriteFactors(sim::H5Writer& w, const std::string& g, const CampaignConfig& cc) {
  struct LevelRow {
    const FactorConfig* factor;
    const LevelConfig* level;
  };
  std::vector<LevelRow> rows;
  for (const auto& f : cc.factors)
    for (const auto& l : f.levels) rows.push_back({&f, &l});
  WriteTable(w, g + "/factors", rows, Col("factor", [](const LevelRow& x) { return x.factor->name; }),
             Col("level", [](const LevelRow& x) { return x.level->name; }),
             Col("effect_open", [](const LevelRow& x) { return x.level->effects.open; }),
             Col("effect_click", [](const LevelRow& x) { return x.level->effects.click; }),
             Col("effect_goal", [](const LevelRow& x) { return x.level->effects.goal; }),
             Col("effect_unsubscribe", [](const LevelRow& x) { return x.level->effects.unsubscribe; }));
}

// Every fitted term of every outcome.
void WriteFactorial(sim::H5Writer& w, const std::string& g, const CampaignResult& r) {
  struct TermRow {
    const FactorialOutcome* outcome;
    std::size_t term;
    const TermEstimate* fit;
  };
  std::vector<TermRow> rows;
  for (const auto& fo : r.factorial)
    if (fo.fit.ok)
      for (std::size_t j = 0; j < fo.fit.terms.size(); ++j) rows.push_back({&fo, j, &fo.fit.terms[j]});
  WriteTable(w, g + "/factorial", rows, Col("outcome", [](const TermRow& x) { return x.outcome->name; }),
             Col("scale", [](const TermRow& x) { return x.outcome->scale; }),
             Col("term", [&](const TermRow& x) { return r.model.terms[x.term].name; }),
             Col("estimate", [](const TermRow& x) { return x.fit->effect.estimate; }),
             Col("se", [](const TermRow& x) { return x.fit->effect.se; }),
             Col("ci_low", [](const TermRow& x) { return x.fit->effect.low; }),
             Col("ci_high", [](const TermRow& x) { return x.fit->effect.high; }),
             Col("p_value", [](const TermRow& x) { return x.fit->p_value; }),
             Col("truth", [](const TermRow& x) { return x.fit->truth; }));
  // Terms the design cannot estimate: a dataset, since a many-level factor can alias thousands.
  w.WriteStrings(g + "/factorial_aliased", r.model.aliased);
}

void WriteBest(sim::H5Writer& w, const std::string& g, const CampaignResult& r) {
  using B = BestVariant;
  auto found = [](const B& b, double v) { return b.arm >= 0 ? v : kNan; };
  auto lift = [](const B& b, double v) { return b.has_comparison ? v : kNan; };
  WriteTable(w, g + "/best", r.best, Col("segment", &B::segment),
             Col("arm", [&](const B& b) { return b.arm >= 0 ? r.arms[b.arm].name : std::string(); }),
             Col("n", [](const B& b) { return b.moments.n; }),
             Col("value", [&](const B& b) { return found(b, b.estimate.estimate); }),
             Col("ci_low", [&](const B& b) { return found(b, b.estimate.low); }),
             Col("ci_high", [&](const B& b) { return found(b, b.estimate.high); }),
             Col("abs_lift", [&](const B& b) { return lift(b, b.vs_control.abs.estimate); }),
             Col("abs_lift_ci_low", [&](const B& b) { return lift(b, b.vs_control.abs.low); }),
             Col("abs_lift_ci_high", [&](const B& b) { return lift(b, b.vs_control.abs.high); }),
             Col("p_value", [&](const B& b) { return lift(b, b.vs_control.p_value); }));
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
  w.AttrString(g, "best_by", models::CampaignKpiDefinitions()[cc.best_by].name);
  w.AttrString(g, "salt", cc.salt);
  WriteArms(w, g, cc, r);
  WriteSendHours(w, g, r);
  std::vector<std::string> arm_names;
  for (const auto& a : r.arms) arm_names.push_back(a.name);
  const auto& defs = models::CampaignKpiDefinitions();
  WriteKpis(w, g + "/kpis", defs, r.kpis, arm_names, "arm", cc.arms[cc.control_arm].name, cfg.confidence);
  w.AttrStrings(g + "/kpis", "primary", KpiNamesOf(defs, cc.primary_kpis));
  w.AttrStrings(g + "/kpis", "guardrail", KpiNamesOf(defs, cc.guardrail_kpis));
  WriteMargins(w, g + "/guardrail_margins", defs, cc.guardrail_kpis, cc.guardrail_margins);
  WriteSrm(w, g + "/srm_entered", r.srm_entered, arm_names);
  if (!r.srm_assigned.observed.empty()) WriteSrm(w, g + "/srm_assigned", r.srm_assigned, arm_names);
  WriteSequential(w, g, r, arm_names, cfg.clock.window_days);
  WriteAllocation(w, g, r);
  WriteFactors(w, g, cc);
  WriteFactorial(w, g, r);
  WriteBest(w, g, r);
}

void WriteRootAttributes(sim::H5Writer& w, const ExperimentConfig& cfg, const RunResult& r, const RunInfo& info) {
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
  w.AttrString("/", "layout", kOutputLayout);
  w.AttrString("/", "kind", "run");
  w.AttrI64("/", "oracle", r.oracle);
  w.AttrF64("/", "oracle_seconds", r.oracle_seconds);
  w.AttrF64("/", "seconds", r.seconds);
  w.AttrI64("/", "sequential", cfg.sequential);
  std::vector<std::string> campaign_names;
  for (const auto& c : cfg.campaigns) campaign_names.push_back(c.name);
  w.AttrStrings("/", "campaigns", campaign_names);
}

// /channels: the response rates configured and the intercepts in use (after calibration).
void WriteChannels(sim::H5Writer& w, const ExperimentConfig& cfg, const RunResult& r) {
  std::vector<int> rows;
  for (int c = 0; c < models::kNumChannels; ++c) rows.push_back(c);
  auto param = [&](double models::ChannelParams::*field) {
    return [&, field](int c) { return cfg.model.response.channels[c].*field; };
  };
  WriteTable(w, "/channels", rows, Col("channel", [](int c) { return models::kChannelNames[c]; }),
             Col("delivery", param(&models::ChannelParams::delivery)), Col("open", param(&models::ChannelParams::open)),
             Col("click", param(&models::ChannelParams::click)),
             Col("unsubscribe", param(&models::ChannelParams::unsubscribe)),
             Col("cost", param(&models::ChannelParams::cost)),
             Col("open_intercept", [&](int c) { return r.open_intercept[c]; }),
             Col("unsubscribe_intercept", [&](int c) { return r.unsubscribe_intercept[c]; }));
}

// /programme: groups and their KPIs (programme against the global control).
void WriteProgramme(sim::H5Writer& w, const ExperimentConfig& cfg, const RunResult& r) {
  w.CreateGroup("/programme");
  using G = GroupResult;
  WriteTable(w, "/programme/groups", r.groups, Col("group", &G::name), Col("customers", &G::customers),
             Col("messages", &G::messages), Col("message_cost", &G::message_cost),
             Col("incentive_cost", &G::incentive_cost), Col("revenue", &G::revenue), Col("net_revenue", &G::net_revenue));
  const std::vector<std::string> group_names(models::kGroupNames.begin(), models::kGroupNames.end());
  const auto& defs = models::ProgrammeKpiDefinitions();
  WriteKpis(w, "/programme/kpis", defs, r.programme_kpis, group_names, "group", "global_control", cfg.confidence);
  w.AttrStrings("/programme/kpis", "primary", KpiNamesOf(defs, cfg.programme_primary));
  w.AttrStrings("/programme/kpis", "guardrail", KpiNamesOf(defs, cfg.programme_guardrail));
  WriteMargins(w, "/programme/guardrail_margins", defs, cfg.programme_guardrail, cfg.programme_margins);
  if (!r.programme_srm.observed.empty()) WriteSrm(w, "/programme/srm", r.programme_srm, group_names, "group");
}

void WriteArray(sim::H5Writer& w, const std::string& path, const std::vector<double>& v,
                std::vector<std::uint64_t> dims) {
  w.WriteF64(path, v, std::move(dims));
}
void WriteArray(sim::H5Writer& w, const std::string& path, const std::vector<std::int64_t>& v,
                std::vector<std::uint64_t> dims) {
  w.WriteI64(path, v, std::move(dims));
}

// /daily/<name>: a field of every day's items (its groups or its cells), days x items.
template <class Items, class Item, class T>
void WriteDailyField(sim::H5Writer& w, const RunResult& r, const std::string& name, Items models::DayTally::*items,
                     const char* item_dim, T Item::*field) {
  std::vector<T> data;
  std::uint64_t per_day = 0;
  for (const auto& d : r.daily) {
    per_day = (d.*items).size();
    for (const Item& x : d.*items) data.push_back(x.*field);
  }
  const std::string path = "/daily/" + name;
  WriteArray(w, path, data, {r.daily.size(), per_day});
  w.AttrStrings(path, "dims", {"day", item_dim});
}

template <class T>
void GroupField(sim::H5Writer& w, const RunResult& r, const std::string& name, T models::GroupDay::*field) {
  WriteDailyField(w, r, name, &models::DayTally::groups, "group", field);
}
template <class T>
void CellField(sim::H5Writer& w, const RunResult& r, const std::string& name, T models::CellDay::*field) {
  WriteDailyField(w, r, name, &models::DayTally::cells, "cell", field);
}

// /daily: per day and group (stages, engagement, visits, orders, money), and per day and campaign arm (cell).
void WriteDaily(sim::H5Writer& w, const ExperimentConfig& cfg, const RunResult& r) {
  using models::CellDay, models::GroupDay;
  const std::uint64_t days = r.daily.size(), groups = models::kNumGroups;
  std::vector<std::int32_t> day_index;
  std::vector<std::uint8_t> in_window;
  std::vector<std::int64_t> stage, engagement;
  for (std::uint64_t d = 0; d < days; ++d) {
    day_index.push_back(static_cast<std::int32_t>(d));
    in_window.push_back(cfg.clock.InWindow(static_cast<int>(d)));
    for (const auto& x : r.daily[d].groups) {
      stage.insert(stage.end(), x.stage.begin(), x.stage.end());
      engagement.insert(engagement.end(), x.engagement.begin(), x.engagement.end());
    }
  }
  std::vector<std::string> cell_campaign, cell_arm;
  for (const auto& c : cfg.campaigns)
    for (const auto& a : c.arms) cell_campaign.push_back(c.name), cell_arm.push_back(a.name);
  w.CreateGroup("/daily");
  w.WriteI32("/daily/day", day_index);
  w.WriteU8("/daily/in_window", in_window);
  w.WriteStrings("/daily/stage_names", {models::kStageNames.begin(), models::kStageNames.end()});
  w.WriteStrings("/daily/engagement_names", {models::kEngagementNames.begin(), models::kEngagementNames.end()});
  w.WriteStrings("/daily/group_names", {models::kGroupNames.begin(), models::kGroupNames.end()});
  w.WriteStrings("/daily/cell_campaign", cell_campaign);
  w.WriteStrings("/daily/cell_arm", cell_arm);
  w.WriteI64("/daily/stage_counts", stage, {days, groups, static_cast<std::uint64_t>(models::kNumStages)});
  w.AttrStrings("/daily/stage_counts", "dims", {"day", "group", "stage"});
  w.WriteI64("/daily/engagement_counts", engagement, {days, groups, static_cast<std::uint64_t>(models::kNumEngagement)});
  w.AttrStrings("/daily/engagement_counts", "dims", {"day", "group", "engagement"});
  GroupField(w, r, "alive", &GroupDay::alive);
  GroupField(w, r, "visits", &GroupDay::visits);
  GroupField(w, r, "bounces", &GroupDay::bounces);
  GroupField(w, r, "orders", &GroupDay::orders);
  GroupField(w, r, "revenue", &GroupDay::revenue);
  GroupField(w, r, "discount", &GroupDay::discount);
  GroupField(w, r, "referrals", &GroupDay::referrals);
  GroupField(w, r, "messages", &GroupDay::messages);
  CellField(w, r, "triggers", &CellDay::triggers);
  CellField(w, r, "entered", &CellDay::entered);
  CellField(w, r, "sends", &CellDay::sends);
  CellField(w, r, "unreachable", &CellDay::unreachable);
  CellField(w, r, "suppressed", &CellDay::suppressed);
  CellField(w, r, "deliveries", &CellDay::deliveries);
  CellField(w, r, "opens", &CellDay::opens);
  CellField(w, r, "clicks", &CellDay::clicks);
  CellField(w, r, "goal_conversions", &CellDay::goals);
  CellField(w, r, "unsubscribes", &CellDay::unsubscribes);
  CellField(w, r, "message_cost", &CellDay::message_cost);
  CellField(w, r, "deferred", &CellDay::deferred);
  CellField(w, r, "near_best", &CellDay::near_best);
  CellField(w, r, "from_history", &CellDay::from_history);
  CellField(w, r, "expected_opens", &CellDay::expected_opens);
  CellField(w, r, "oracle_opens", &CellDay::oracle_opens);
}


}  // namespace

void WriteResults(const std::string& path, const ExperimentConfig& cfg, const RunResult& r, const RunInfo& info,
                  const sim::StopFlag* stop) {
  sim::H5Writer w(path, stop);
  WriteRootAttributes(w, cfg, r, info);
  WriteChannels(w, cfg, r);
  WriteProgramme(w, cfg, r);
  w.CreateGroup("/campaigns");
  for (std::size_t c = 0; c < r.campaigns.size(); ++c) WriteCampaign(w, cfg, static_cast<int>(c), r.campaigns[c]);
  WriteDaily(w, cfg, r);
  w.Commit();
}

}  // namespace lclab::experiments
