#include "experiments/pilot.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "experiments/kpi_rows.h"
#include "experiments/runner.h"
#include "experiments/tally.h"
#include "sim/error.h"
#include "sim/progress.h"

namespace lclab::experiments {
namespace {

// Per window day, the customers of campaign c who had entered by its end (global control excluded).
std::vector<std::int64_t> EntriesByDay(const ExperimentConfig& cfg, const models::Population& pop, int c) {
  const models::CampaignColumns& col = pop.campaigns[c];
  const int start = cfg.clock.window_start();
  std::vector<std::int64_t> by_day(static_cast<std::size_t>(cfg.clock.window_days), 0);
  for (std::size_t i = 0; i < pop.size(); ++i)
    if (InCampaignSums(pop, col, i))
      ++by_day[static_cast<std::size_t>(col.entered_day[i] - start)];
  for (std::size_t d = 1; d < by_day.size(); ++d) by_day[d] += by_day[d - 1];
  return by_day;
}

// KPI k's power inputs from its moments among the pilot's entrants: a proportion's baseline, a
// mean's baseline and standard deviation, a ratio as a mean per customer with the delta-method
// standard deviation (its standard error times sqrt(customers)). Returns why there are none, or "".
std::string SpecOf(const models::KpiDef& d, const Moments& m, PowerSpec& spec) {
  if (m.n < 2) return "fewer than 2 customers entered in the pilot";
  spec.baseline = ValueOf(d.kind, m);
  if (d.kind == models::KpiKind::kProportion) {
    spec.metric = PowerMetric::kProportion;
    if (spec.baseline > 0 && spec.baseline < 1) return "";
    return "the control never moves it in the pilot (" + std::string(spec.baseline == 0 ? "0" : "1") + " for every "
           "entrant): any lift is clear with few customers, and a relative lift is undefined";
  }
  spec.metric = PowerMetric::kMean;
  spec.sd = d.kind == models::KpiKind::kMean ? std::sqrt(m.Variance())
                                              : EstimateOf(d, d.kind, m, 0.95).se * std::sqrt(m.n);
  return spec.sd > 0 && std::isfinite(spec.sd) ? "" : "no variation in the pilot";
}

// The window days at which the entrants (scaled from the pilot to cfg's population) reach `needed`;
// beyond the window, the days at the pace of its last 30 days (infinity if nobody entered then).
void WindowDays(const ExperimentConfig& cfg, const PilotCampaign& pc, std::int64_t pilot_customers, double needed,
                KpiPowerPlan& out) {
  const double scale = static_cast<double>(cfg.population_size) / static_cast<double>(pilot_customers);
  const auto& by_day = pc.entered_by_day;
  for (std::size_t d = 0; d < by_day.size(); ++d)
    if (static_cast<double>(by_day[d]) * scale >= needed) {
      out.window_days = static_cast<int>(d) + 1;
      return;
    }
  const std::size_t last = by_day.size() - 1, from = last >= 30 ? last - 30 : 0;
  const double pace = static_cast<double>(by_day[last] - (last >= 30 ? by_day[from] : 0)) * scale /
                      static_cast<double>(last >= 30 ? 30 : by_day.size());
  out.days_beyond = pace > 0 ? static_cast<double>(by_day.size()) +
                                   (needed - static_cast<double>(by_day[last]) * scale) / pace
                             : std::numeric_limits<double>::infinity();
}

}  // namespace

PilotResult RunPilot(const ExperimentConfig& config, std::int64_t customers, const RunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ExperimentConfig cfg = config;
  cfg.population_size = static_cast<std::size_t>(customers);
  const int nc = static_cast<int>(cfg.campaigns.size());
  for (auto& c : cfg.programme.campaigns) c.adaptive = false;  // the control arm throughout
  models::Simulator sim(cfg.model, cfg.programme, cfg.seed, cfg.clock);
  models::Population pop;
  PreparePopulation(cfg, sim, pop, options);
  for (int c = 0; c < nc; ++c)
    std::fill(pop.campaigns[c].arm.begin(), pop.campaigns[c].arm.end(),
              static_cast<std::uint8_t>(cfg.campaigns[c].control_arm));
  sim::Progress progress("pilot day", cfg.clock.total_days(), static_cast<double>(customers), "customer-days",
                         options.progress);
  for (int day = 0; day < cfg.clock.total_days(); ++day) {
    sim::ThrowIfStopped(options.stop);
    sim.StepDay(pop, day, options.threads);
    progress.Update(day + 1);
  }
  PilotResult out;
  out.customers = customers;
  for (int c = 0; c < nc; ++c) {
    const CampaignConfig& cc = cfg.campaigns[c];
    const CampaignTally tally =
        TallyCampaign(cfg, pop, c, cfg.clock.window_end() - 1, options.threads, cc.primary_kpis);
    PilotCampaign pc;
    pc.entered = tally.entered[cc.control_arm];
    pc.entered_by_day = EntriesByDay(cfg, pop, c);
    for (int k : cc.primary_kpis) pc.primary.push_back(tally.Kpi(k, cc.control_arm));
    out.campaigns.push_back(std::move(pc));
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

std::vector<KpiPowerPlan> PlanCampaignPower(const ExperimentConfig& cfg, int c, const PilotResult& pilot,
                                            const PowerAsk& ask) {
  const CampaignConfig& cc = cfg.campaigns[c];
  const PilotCampaign& pc = pilot.campaigns[c];
  const double entry_share = static_cast<double>(pc.entered) / static_cast<double>(pilot.customers);
  std::vector<KpiPowerPlan> plans;
  for (std::size_t j = 0; j < cc.primary_kpis.size(); ++j) {
    KpiPowerPlan out;
    out.kpi = cc.primary_kpis[j];
    const models::KpiDef& def = models::CampaignKpiDefinitions()[out.kpi];
    PowerSpec& spec = out.spec;
    spec.weights = {cc.arms[cc.control_arm].weight};
    for (int a = 0; a < static_cast<int>(cc.arms.size()); ++a)
      if (a != cc.control_arm) spec.weights.push_back(cc.arms[a].weight);
    // Bonferroni over primary KPIs x treatment arms: alpha / KPIs here, / arms in ComparisonAlpha.
    spec.alpha = ask.alpha / static_cast<double>(cc.primary_kpis.size());
    spec.bonferroni = true;
    spec.power = ask.power;
    out.skipped = SpecOf(def, pc.primary[j], spec);
    if (out.skipped.empty() && !ask.absolute && !ask.mde && !def.relative_lift)
      out.skipped = "a relative lift is undefined for this KPI (plan with --absolute)";
    if (!out.skipped.empty()) {
      plans.push_back(out);
      continue;
    }
    ValidatePowerSpec(spec);
    if (ask.mde) {
      const double sum = std::accumulate(spec.weights.begin(), spec.weights.end(), 0.0);
      const double control = entry_share * static_cast<double>(cfg.population_size) * spec.weights[0] / sum;
      if (control < 2) out.skipped = "fewer than 2 customers would enter the control arm";
      else out.plan = MinimumDetectableEffect(spec, static_cast<std::int64_t>(control));
    } else {
      out.delta = AbsoluteEffect(spec, ask.lift, ask.absolute);
      out.plan = SampleSize(spec, out.delta);
      const double needed = static_cast<double>(out.plan.Total());
      out.population_size = entry_share > 0 ? std::ceil(needed / entry_share) : std::numeric_limits<double>::infinity();
      WindowDays(cfg, pc, pilot.customers, needed, out);
    }
    plans.push_back(out);
  }
  return plans;
}

}  // namespace lclab::experiments
