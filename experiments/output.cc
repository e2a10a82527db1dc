#include "experiments/output.h"

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

std::vector<std::string> StageNames() { return {models::kStageNames.begin(), models::kStageNames.end()}; }

}  // namespace

void WriteResults(const std::string& path, const ExperimentConfig& cfg, const RunResult& r, const RunInfo& info) {
  sim::H5Writer w(path);
  w.AttrString("/", "lclab_version", kVersion);
  w.AttrString("/", "build_id", kBuildId);
  w.AttrI64("/", "seed", static_cast<std::int64_t>(cfg.seed));
  w.AttrString("/", "config", cfg.resolved_toml);
  w.AttrString("/", "config_path", cfg.path);
  w.AttrString("/", "command_line", info.command_line);
  w.AttrString("/", "experiment", cfg.experiment_name);
  w.AttrString("/", "campaign", cfg.campaign_name);
  w.AttrI64("/", "population_size", static_cast<std::int64_t>(cfg.population_size));
  w.AttrI64("/", "warmup_days", cfg.clock.warmup_days);
  w.AttrI64("/", "window_days", cfg.clock.window_days);
  w.AttrF64("/", "confidence", cfg.confidence);
  w.AttrString("/", "layout", "lclab-output-1");

  // /arms: one row per arm.
  {
    const std::size_t n = r.arms.size();
    std::vector<std::string> name;
    std::vector<std::int32_t> index;
    std::vector<double> weight, cost, revenue, discount;
    std::vector<std::uint8_t> holdout, control;
    std::vector<std::int64_t> assigned, entered, sends, deliveries, opens, clicks, goals, unsubs;
    for (std::size_t a = 0; a < n; ++a) {
      const auto& x = r.arms[a];
      index.push_back(static_cast<std::int32_t>(a));
      name.push_back(x.name), weight.push_back(x.weight), holdout.push_back(x.holdout), control.push_back(x.control);
      assigned.push_back(x.assigned), entered.push_back(x.entered), sends.push_back(x.sends);
      deliveries.push_back(x.deliveries), opens.push_back(x.opens), clicks.push_back(x.clicks);
      goals.push_back(x.goals), unsubs.push_back(x.unsubscribes), cost.push_back(x.message_cost);
      revenue.push_back(x.revenue), discount.push_back(x.discount);
    }
    w.CreateGroup("/arms");
    w.WriteI32("/arms/index", index);
    w.WriteStrings("/arms/name", name);
    w.WriteF64("/arms/weight", weight);
    w.WriteU8("/arms/holdout", holdout);
    w.WriteU8("/arms/control", control);
    w.WriteI64("/arms/assigned", assigned);
    w.WriteI64("/arms/entered", entered);
    w.WriteI64("/arms/sends", sends);
    w.WriteI64("/arms/deliveries", deliveries);
    w.WriteI64("/arms/opens", opens);
    w.WriteI64("/arms/clicks", clicks);
    w.WriteI64("/arms/goal_conversions", goals);
    w.WriteI64("/arms/unsubscribes", unsubs);
    w.WriteF64("/arms/message_cost", cost);
    w.WriteF64("/arms/revenue", revenue);
    w.WriteF64("/arms/discount", discount);
    w.AttrStrings("/arms", "columns",
                  {"index", "name", "weight", "holdout", "control", "assigned", "entered", "sends", "deliveries",
                   "opens", "clicks", "goal_conversions", "unsubscribes", "message_cost", "revenue", "discount"});
  }

  // /kpis: one row per (kpi, arm).
  {
    const auto& defs = KpiDefinitions();
    std::vector<std::string> kpi, arm, kind, unit, population;
    std::vector<std::int32_t> arm_index;
    std::vector<std::uint8_t> latent, higher_better;
    std::vector<double> n, value, se, lo, hi, abs, abs_lo, abs_hi, rel, rel_lo, rel_hi, pval;
    const double nan = std::nan("");
    for (const auto& row : r.kpis) {
      const auto& d = defs[row.kpi];
      kpi.push_back(d.name);
      arm.push_back(cfg.arms[row.arm].name);
      arm_index.push_back(row.arm);
      kind.push_back(d.kind == KpiKind::kProportion ? "proportion" : d.kind == KpiKind::kMean ? "mean" : "ratio");
      unit.push_back(d.unit);
      population.push_back(d.population);
      latent.push_back(d.latent);
      higher_better.push_back(d.higher_is_better);
      n.push_back(row.moments.n);
      value.push_back(row.estimate.value), se.push_back(row.estimate.se);
      lo.push_back(row.estimate.lo), hi.push_back(row.estimate.hi);
      const auto& c = row.vs_control;
      const bool h = row.has_comparison;
      abs.push_back(h ? c.abs_lift : nan), abs_lo.push_back(h ? c.abs_lo : nan), abs_hi.push_back(h ? c.abs_hi : nan);
      rel.push_back(h ? c.rel_lift : nan), rel_lo.push_back(h ? c.rel_lo : nan), rel_hi.push_back(h ? c.rel_hi : nan);
      pval.push_back(h ? c.p_value : nan);
    }
    w.CreateGroup("/kpis");
    w.WriteStrings("/kpis/kpi", kpi);
    w.WriteStrings("/kpis/arm", arm);
    w.WriteI32("/kpis/arm_index", arm_index);
    w.WriteStrings("/kpis/kind", kind);
    w.WriteStrings("/kpis/unit", unit);
    w.WriteStrings("/kpis/population", population);
    w.WriteU8("/kpis/latent", latent);
    w.WriteU8("/kpis/higher_is_better", higher_better);
    w.WriteF64("/kpis/n", n);
    w.WriteF64("/kpis/value", value);
    w.WriteF64("/kpis/se", se);
    w.WriteF64("/kpis/ci_low", lo);
    w.WriteF64("/kpis/ci_high", hi);
    w.WriteF64("/kpis/abs_lift", abs);
    w.WriteF64("/kpis/abs_lift_ci_low", abs_lo);
    w.WriteF64("/kpis/abs_lift_ci_high", abs_hi);
    w.WriteF64("/kpis/rel_lift", rel);
    w.WriteF64("/kpis/rel_lift_ci_low", rel_lo);
    w.WriteF64("/kpis/rel_lift_ci_high", rel_hi);
    w.WriteF64("/kpis/p_value", pval);
    w.AttrStrings("/kpis", "columns",
                  {"kpi", "arm", "arm_index", "kind", "unit", "population", "latent", "higher_is_better", "n",
                   "value", "se", "ci_low", "ci_high", "abs_lift", "abs_lift_ci_low", "abs_lift_ci_high", "rel_lift",
                   "rel_lift_ci_low", "rel_lift_ci_high", "p_value"});
    w.AttrF64("/kpis", "confidence", cfg.confidence);
    w.AttrString("/kpis", "control", cfg.arms[cfg.control_arm].name);
  }

  // /daily: per day and arm.
  {
    const std::uint64_t days = r.daily.size(), arms = r.arms.size();
    std::vector<std::int64_t> stage, engagement, alive, visits, bounces, orders, sends, deliveries, opens, clicks,
        goals, unsubs;
    std::vector<double> revenue;
    std::vector<std::int32_t> day_index;
    std::vector<std::uint8_t> in_window;
    for (std::uint64_t d = 0; d < days; ++d) {
      day_index.push_back(static_cast<std::int32_t>(d));
      in_window.push_back(cfg.clock.InWindow(static_cast<int>(d)));
      for (std::uint64_t a = 0; a < arms; ++a) {
        const auto& x = r.daily[d].arms[a];
        stage.insert(stage.end(), x.stage.begin(), x.stage.end());
        engagement.insert(engagement.end(), x.engagement.begin(), x.engagement.end());
        alive.push_back(x.alive), visits.push_back(x.visits), bounces.push_back(x.bounces);
        orders.push_back(x.orders), revenue.push_back(x.revenue), sends.push_back(x.sends);
        deliveries.push_back(x.deliveries), opens.push_back(x.opens), clicks.push_back(x.clicks);
        goals.push_back(x.goals), unsubs.push_back(x.unsubscribes);
      }
    }
    w.CreateGroup("/daily");
    w.WriteI32("/daily/day", day_index);
    w.WriteU8("/daily/in_window", in_window);
    w.WriteStrings("/daily/stage_names", StageNames());
    w.WriteStrings("/daily/engagement_names", {models::kEngagementNames.begin(), models::kEngagementNames.end()});
    w.WriteI64("/daily/stage_counts", stage, {days, arms, static_cast<std::uint64_t>(models::kNumStages)});
    w.AttrStrings("/daily/stage_counts", "dims", {"day", "arm", "stage"});
    w.WriteI64("/daily/engagement_counts", engagement, {days, arms, static_cast<std::uint64_t>(models::kNumEngagement)});
    w.AttrStrings("/daily/engagement_counts", "dims", {"day", "arm", "engagement"});
    const std::vector<std::uint64_t> da = {days, arms};
    w.WriteI64("/daily/alive", alive, da);
    w.WriteI64("/daily/visits", visits, da);
    w.WriteI64("/daily/bounces", bounces, da);
    w.WriteI64("/daily/orders", orders, da);
    w.WriteF64("/daily/revenue", revenue, da);
    w.WriteI64("/daily/sends", sends, da);
    w.WriteI64("/daily/deliveries", deliveries, da);
    w.WriteI64("/daily/opens", opens, da);
    w.WriteI64("/daily/clicks", clicks, da);
    w.WriteI64("/daily/goal_conversions", goals, da);
    w.WriteI64("/daily/unsubscribes", unsubs, da);
    for (const char* ds : {"alive", "visits", "bounces", "orders", "revenue", "sends", "deliveries", "opens", "clicks",
                           "goal_conversions", "unsubscribes"})
      w.AttrStrings(std::string("/daily/") + ds, "dims", {"day", "arm"});
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

void PrintSummary(std::ostream& os, const ExperimentConfig& cfg, const RunResult& r, const RunInfo& info) {
  const double customer_days = static_cast<double>(r.customers) * r.days;
  os << "lclab " << kVersion << "  " << cfg.path << "  experiment \"" << cfg.experiment_name << "\"  seed "
     << cfg.seed << "\n";
  os << Thousands(static_cast<std::int64_t>(r.customers)) << " customers x " << r.days << " days ("
     << cfg.clock.warmup_days << " warm-up + " << cfg.clock.window_days << " in the window), " << info.threads
     << (info.threads == 1 ? " thread, " : " threads, ") << Fixed(r.seconds, 2) << " s, "
     << sim::FormatSi(customer_days / r.seconds) << " customer-days/s\n\n";

  os << "Arms  (campaign \"" << cfg.campaign_name << "\", channel " << models::kChannelNames[static_cast<int>(cfg.plan.channel)]
     << ", trigger " << models::kTriggerNames[static_cast<int>(cfg.plan.trigger)] << ", goal "
     << models::kGoalNames[static_cast<int>(cfg.plan.goal)] << ")\n";
  std::vector<std::vector<std::string>> arm_rows = {
      {"arm", "role", "weight", "assigned", "entered", "sends", "delivered", "opens", "clicks", "goals", "unsubs",
       "revenue", "msg cost"}};
  for (const auto& a : r.arms) {
    std::string role = a.control ? "control" : "variant";
    if (a.holdout) role += ",holdout";
    arm_rows.push_back({a.name, role, Fixed(a.weight, 2), Thousands(a.assigned), Thousands(a.entered),
                        Thousands(a.sends), Thousands(a.deliveries), Thousands(a.opens), Thousands(a.clicks),
                        Thousands(a.goals), Thousands(a.unsubscribes), Fixed(a.revenue, 0), Fixed(a.message_cost, 2)});
  }
  PrintTable(os, arm_rows, "  ");

  const int pct = static_cast<int>(std::lround(100 * cfg.confidence));
  os << "\nKPIs per arm over entered customers, experiment window; lift against \"" << cfg.arms[cfg.control_arm].name
     << "\" with " << pct << "% CIs\n";
  std::vector<std::vector<std::string>> rows = {{"kpi", "arm", "n", "value", "abs lift [" + std::to_string(pct) + "% CI]",
                                                  "rel lift [" + std::to_string(pct) + "% CI]", "p"}};
  const auto& defs = KpiDefinitions();
  int last_kpi = -1;
  for (const auto& row : r.kpis) {
    const auto& d = defs[row.kpi];
    if (row.moments.n == 0) continue;
    std::string name = row.kpi == last_kpi ? "" : std::string(d.name) + (d.latent ? " (latent)" : "");
    last_kpi = row.kpi;
    rows.push_back({name, cfg.arms[row.arm].name, Thousands(static_cast<std::int64_t>(row.moments.n)),
                    FormatValue(d, row.estimate.value), row.has_comparison ? FormatLift(d, row.vs_control) : "",
                    row.has_comparison ? FormatRel(row.vs_control) : "",
                    row.has_comparison ? FormatP(row.vs_control.p_value) : ""});
  }
  PrintTable(os, rows, "  ");
  os << "\n(latent) = the simulator's truth, which a marketer cannot observe; ratio KPIs use the delta method; "
        "means use Welch's t; proportions the two-proportion z-test.\n";
}

}  // namespace lclab::experiments
