#include "experiments/cli/power_config.h"

#include <algorithm>
#include <cmath>
#include <iostream>

#include "experiments/cli/exit_codes.h"
#include "experiments/report/format.h"
#include "experiments/runner.h"

namespace lclab::experiments {
namespace {

constexpr std::int64_t kDefaultPilot = 50000;

std::string Customers(double n) {
  return std::isfinite(n) ? Thousands(static_cast<std::int64_t>(n)) : "-";
}

// "1,234" when every treatment arm has the same size, else "1,000-1,234".
std::string TreatmentSizes(const PowerPlan& plan) {
  const auto [lo, hi] = std::minmax_element(plan.n.begin() + 1, plan.n.end());
  return *lo == *hi ? Thousands(*lo) : Thousands(*lo) + "-" + Thousands(*hi);
}

std::string Days(const KpiPowerPlan& p, int window) {
  if (p.window_days > 0) return std::to_string(p.window_days);
  if (!std::isfinite(p.days_beyond)) return "> " + std::to_string(window) + " (nobody enters late)";
  return "> " + std::to_string(window) + " (about " + Thousands(static_cast<std::int64_t>(std::ceil(p.days_beyond))) + ")";
}

void PrintCampaign(const ExperimentConfig& cfg, int c, const PilotResult& pilot, const PowerConfigRequest& q,
                   const std::vector<KpiPowerPlan>& plans) {
  const CampaignConfig& cc = cfg.campaigns[c];
  const PilotCampaign& pc = pilot.campaigns[c];
  std::cout << "\ncampaign " << cc.name << ": " << Thousands(pc.entered) << " of " << Thousands(pilot.customers)
            << " pilot customers entered (" << Fixed(100.0 * static_cast<double>(pc.entered) /
                                                         static_cast<double>(pilot.customers), 2)
            << "%); arms ";
  for (std::size_t a = 0; a < cc.arms.size(); ++a)
    std::cout << (a ? ", " : "") << cc.arms[a].name << " " << cc.arms[a].weight
              << (static_cast<int>(a) == cc.control_arm ? " (control)" : "");
  std::cout << "\n";
  const bool mde = q.ask.mde;
  std::vector<std::vector<std::string>> rows;
  if (mde)
    rows.push_back({"kpi", "baseline", "control", "each treatment", "MDE abs", "MDE rel"});
  else
    rows.push_back({"kpi", "baseline", "effect", "control", "each treatment", "entered total", "population.size",
                    "entered by window day"});
  std::vector<std::string> skipped;
  for (const KpiPowerPlan& p : plans) {
    const models::KpiDef& def = models::CampaignKpiDefinitions()[p.kpi];
    if (!p.skipped.empty()) {
      skipped.push_back(std::string(def.name) + ": " + p.skipped);
      continue;
    }
    std::vector<std::string> row = {def.name, FormatKpiValue(def, p.spec.baseline)};
    if (mde) {
      const double worst = *std::max_element(p.plan.mde.begin(), p.plan.mde.end());
      const int sign = def.higher_is_better ? 1 : -1;
      row.insert(row.end(), {Thousands(p.plan.n[0]), TreatmentSizes(p.plan), FormatKpiDiff(def, sign * worst),
                             p.spec.baseline != 0 && def.relative_lift
                                 ? Signed(100 * sign * worst / p.spec.baseline, 2) + "%"
                                 : "-"});
    } else {
      row.insert(row.end(), {FormatKpiDiff(def, p.delta), Thousands(p.plan.n[0]), TreatmentSizes(p.plan),
                             Thousands(p.plan.Total()), Customers(p.population_size),
                             Days(p, cfg.clock.window_days)});
    }
    rows.push_back(row);
  }
  if (rows.size() > 1) PrintTable(std::cout, rows, "  ", 1);
  for (const std::string& s : skipped) std::cout << "  no plan for " << s << "\n";
}

}  // namespace

int PowerFromConfig(const PowerConfigRequest& q) {
  const ExperimentConfig cfg = LoadConfig(q.config, q.sets, q.seed ? &*q.seed : nullptr);
  const std::int64_t size = static_cast<std::int64_t>(cfg.population_size);
  const std::int64_t pilot_size = q.pilot_size > 0 ? q.pilot_size : std::min(size, kDefaultPilot);
  PowerAsk ask = q.ask;
  ask.alpha = q.alpha.value_or(1 - cfg.confidence);
  RunOptions ro;
  ro.threads = q.threads;
  const PilotResult pilot = RunPilot(cfg, pilot_size, ro);
  std::cout << "lclab power: " << q.config << ", pilot of " << Thousands(pilot_size) << " customers over "
            << cfg.clock.total_days() << " days (" << cfg.clock.warmup_days << " warm-up + " << cfg.clock.window_days
            << " window), every campaign at its control arm, seed " << cfg.seed << " (" << Fixed(pilot.seconds, 1)
            << " s)\n";
  if (ask.mde)
    std::cout << "  minimum detectable effect at population.size " << Thousands(size) << " over the "
              << cfg.clock.window_days << "-day window";
  else
    std::cout << "  effect " << (ask.absolute ? Signed(ask.lift, 6) + " absolute" : Signed(100 * ask.lift, 2) + "% relative");
  std::cout << "; two-sided alpha " << ask.alpha
            << " per campaign, split over primary KPIs x treatment arms (Bonferroni); power " << ask.power << "\n";
  std::cout << "  control and each treatment: entrants per arm; population.size: the customers whose entrants over the "
               "window fill the plan;\n  entered by window day: when the config's population.size ("
            << Thousands(size) << ") has that many entrants (the baseline is over the whole window,\n"
               "  so a shorter window also gives the KPI less time to move after entry)\n";
  for (int c = 0; c < static_cast<int>(cfg.campaigns.size()); ++c) {
    PrintCampaign(cfg, c, pilot, q, PlanCampaignPower(cfg, c, pilot, ask));
  }
  return kExitOk;
}

}  // namespace lclab::experiments
