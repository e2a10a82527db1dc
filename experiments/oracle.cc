#include "experiments/oracle.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "experiments/kpi_rows.h"
#include "experiments/runner.h"
#include "experiments/tally.h"
#include "sim/error.h"
#include "sim/progress.h"

namespace lclab::experiments {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// 1 if [lo, hi] covers x, 0 if not, -1 if x is unknown.
int Covers(double lo, double hi, double x) { return std::isfinite(x) ? (lo <= x && x <= hi ? 1 : 0) : -1; }

// The day the first campaign's window opens. Until then no campaign acts, so every replay's days are the
// same: they are stepped once, and each replay starts from there.
int FirstCampaignDay(const ExperimentConfig& cfg) {
  int first = cfg.clock.total_days();
  for (const models::CampaignPlan& plan : cfg.programme.campaigns) first = std::min(first, plan.start_day);
  return first;
}

// The population every replay starts from: generated, then stepped in the recorded environment up to
// the first campaign day.
models::Population SharedStart(const ExperimentConfig& cfg, const RunOptions& options,
                               const std::vector<models::Environment>& env, int first_day, sim::Progress& progress,
                               int& done) {
  models::Simulator sim(cfg.model, cfg.programme, cfg.seed, cfg.clock);
  models::Population pop;
  PreparePopulation(cfg, sim, pop, options);
  sim.Replay(env);
  for (int day = 0; day < first_day; ++day) {
    sim::ThrowIfStopped(options.stop);
    sim.StepDay(pop, day, options.threads);
    progress.Update(++done);
  }
  return pop;
}

// Campaign c's KPI values, per KPI, with every customer in arm k, from the shared start.
std::vector<double> ReplayArm(const ExperimentConfig& cfg, const RunOptions& options,
                              const std::vector<models::Environment>& env, const RunResult& r,
                              const models::Population& start, int first_day, int c, int k, sim::Progress& progress,
                              int& done) {
  const int nc = static_cast<int>(cfg.campaigns.size());
  const int window_start = cfg.clock.window_start();
  models::Programme programme = cfg.programme;
  programme.campaigns[c].adaptive = false;
  models::Simulator sim(cfg.model, programme, cfg.seed, cfg.clock);
  models::Population pop = start;
  sim.Adopt(pop);
  std::fill(pop.campaigns[c].arm.begin(), pop.campaigns[c].arm.end(), static_cast<std::uint8_t>(k));
  sim.Replay(env);
  for (int day = first_day; day < cfg.clock.total_days(); ++day) {
    sim::ThrowIfStopped(options.stop);
    for (int c2 = 0; c2 < nc; ++c2) {  // other adaptive campaigns follow their recorded allocation
      const auto& al = r.campaigns[c2].allocation;
      const auto a2 = static_cast<std::ptrdiff_t>(cfg.campaigns[c2].arms.size());
      if (c2 != c && al.adaptive && cfg.clock.InWindow(day))
        sim.SetAllocation(c2, {al.weights.begin() + (day - window_start) * a2,
                               al.weights.begin() + (day - window_start + 1) * a2});
    }
    sim.StepDay(pop, day, options.threads);
    progress.Update(++done);
  }
  const CampaignTally tally = TallyCampaign(cfg, pop, c, cfg.clock.window_end() - 1, options.threads, {});
  std::vector<double> truth;
  for (int q = 0; q < models::kNumCampaignKpis; ++q)
    truth.push_back(ValueOf(models::CampaignKpiDefinitions()[q].kind, tally.Kpi(q, k)));
  return truth;
}

// The true values beside the estimates: per KPI row and sequential series of campaign c.
void ApplyTruth(const CampaignConfig& cc, const std::vector<std::vector<double>>& truth, CampaignResult& cr) {
  for (KpiRow& row : cr.kpis) {
    const double t = truth[row.arm][row.kpi], tc = truth[cc.control_arm][row.kpi];
    row.true_value = t;
    if (row.arm == cc.control_arm) continue;
    row.true_effect = t - tc;
    row.true_rel_effect = tc != 0 ? t / tc - 1.0 : kNan;
    if (row.has_comparison) {
      row.covered = Covers(row.vs_control.abs.low, row.vs_control.abs.high, row.true_effect);
      if (std::isfinite(row.vs_control.rel.estimate))
        row.rel_covered = Covers(row.vs_control.rel.low, row.vs_control.rel.high, row.true_rel_effect);
    }
    if (row.has_cuped && std::isfinite(row.cuped.abs.estimate))
      row.cuped_covered = Covers(row.cuped.abs.low, row.cuped.abs.high, row.true_effect);
  }
  for (SequentialSeries& s : cr.sequential) {
    const double te = truth[s.arm][s.kpi] - truth[cc.control_arm][s.kpi];
    if (!s.cs.empty() && std::isfinite(s.cs.back().low)) s.covered = Covers(s.cs.back().low, s.cs.back().high, te);
  }
  cr.allocation.from_oracle = true;
}

}  // namespace

void ReplayOracle(const ExperimentConfig& cfg, const RunOptions& options,
                  const std::vector<models::Environment>& environment, RunResult& r) {
  int replays = 0;
  for (const auto& cc : cfg.campaigns) replays += static_cast<int>(cc.arms.size());
  if (replays == 0) return;  // nothing to replay
  const int first_day = FirstCampaignDay(cfg);
  sim::Progress progress("oracle replay day", first_day + replays * (cfg.clock.total_days() - first_day),
                         static_cast<double>(cfg.population_size), "customer-days", options.progress);
  int done = 0;
  const models::Population start = SharedStart(cfg, options, environment, first_day, progress, done);
  for (int c = 0; c < static_cast<int>(cfg.campaigns.size()); ++c) {
    const CampaignConfig& cc = cfg.campaigns[c];
    std::vector<std::vector<double>> truth;
    for (int k = 0; k < static_cast<int>(cc.arms.size()); ++k)
      truth.push_back(ReplayArm(cfg, options, environment, r, start, first_day, c, k, progress, done));
    ApplyTruth(cc, truth, r.campaigns[c]);
  }
}

}  // namespace lclab::experiments
