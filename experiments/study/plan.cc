#include "experiments/study/plan.h"

#include <algorithm>
#include <cstdio>
#include <unordered_set>

#include "experiments/runner.h"
#include "lclab/version.h"
#include "models/assignment.h"

namespace lclab::experiments {
namespace {

// The axis points: every combination of the axes' values (cross), or their i-th values together (zip).
std::vector<std::vector<int>> Points(const StudyConfig& s) {
  std::vector<std::vector<int>> points = {{}};
  if (s.axes.empty()) return points;
  if (s.axes_mode == AxesMode::kZip) {
    points.clear();
    for (std::size_t i = 0; i < s.axes.front().values.size(); ++i)
      points.push_back(std::vector<int>(s.axes.size(), static_cast<int>(i)));
    return points;
  }
  for (const StudyAxis& a : s.axes) {
    std::vector<std::vector<int>> next;
    for (const auto& p : points)
      for (std::size_t v = 0; v < a.values.size(); ++v) {
        next.push_back(p);
        next.back().push_back(static_cast<int>(v));
      }
    points = std::move(next);
  }
  return points;
}

std::string Hex(std::uint64_t v) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

std::vector<NamedOverride> CellOverrides(const StudyConfig& s, const StudyPlan& plan, int cell) {
  const StudyCell& c = plan.cells[cell];
  std::vector<NamedOverride> out = s.common;
  for (const auto& o : s.scenarios[c.scenario].overrides) out.push_back(o);
  for (const auto& o : s.strategies[c.strategy].overrides) out.push_back(o);
  for (std::size_t a = 0; a < s.axes.size(); ++a) {
    const StudyAxis& axis = s.axes[a];
    if (std::find(axis.strategies.begin(), axis.strategies.end(), c.strategy) == axis.strategies.end()) continue;
    const auto& values = axis.values[plan.points[c.point][a]];
    for (std::size_t k = 0; k < axis.keys.size(); ++k) out.push_back({axis.keys[k] + "=" + values[k], axis.origin});
  }
  return out;
}

std::string CellLabel(const StudyConfig& s, const StudyPlan& plan, int cell) {
  const StudyCell& c = plan.cells[cell];
  std::string label = s.strategies[c.strategy].name + " / " + s.scenarios[c.scenario].name;
  for (std::size_t a = 0; a < s.axes.size(); ++a)
    label += (a ? ", " : " / ") + s.axes[a].name + "=" + s.axes[a].values[plan.points[c.point][a]].front();
  return label;
}

ExperimentConfig RunConfig(const StudyConfig& s, const StudyPlan& plan, const PlannedRun& run) {
  const auto seed = static_cast<std::int64_t>(run.seed);
  return LoadConfigTextWith(s.base_text, s.base_name, CellOverrides(s, plan, run.cell), &seed);
}

StudyPlan PlanStudy(const StudyConfig& s) {
  StudyPlan plan;
  plan.points = Points(s);
  const int strategies = static_cast<int>(s.strategies.size()), scenarios = static_cast<int>(s.scenarios.size());
  for (int p = 0; p < static_cast<int>(plan.points.size()); ++p)
    for (int sc = 0; sc < scenarios; ++sc)
      for (int st = 0; st < strategies; ++st) plan.cells.push_back({st, sc, p, "", 0, 0});
  const std::int64_t zero = 0;
  for (int c = 0; c < static_cast<int>(plan.cells.size()); ++c) {
    StudyCell& cell = plan.cells[c];
    const ExperimentConfig cfg = LoadConfigTextWith(s.base_text, s.base_name, CellOverrides(s, plan, c), &zero);
    cell.resolved_toml = cfg.resolved_toml;
    int replays = 0;
    if (s.oracle)
      for (const auto& cc : cfg.campaigns) replays += static_cast<int>(cc.arms.size());
    // The oracle steps the days before the campaigns' window once, then each replay the window's days.
    const double window_days = cfg.clock.total_days() - cfg.clock.window_start();
    cell.customer_days = static_cast<double>(cfg.population_size) *
                         (cfg.clock.total_days() + (replays > 0 ? cfg.clock.window_start() + replays * window_days : 0));
    cell.peak_bytes = EstimateRunBytes(cfg, nullptr, s.oracle);
  }
  std::unordered_set<std::string> seen;
  std::uint64_t hash = models::SaltHash(std::string("lclab study plan ") + kBuildId);
  for (int r = 0; r < s.replications; ++r) {
    const std::uint64_t seed = ReplicationSeed(s.seed, r);
    for (int c = 0; c < static_cast<int>(plan.cells.size()); ++c) {
      PlannedRun run;
      run.index = static_cast<int>(plan.runs.size());
      run.cell = c, run.replication = r, run.seed = seed;
      run.id = Hex(models::SaltHash(plan.cells[c].resolved_toml + "\nseed = " + std::to_string(seed) + "\nbuild = " +
                                    kBuildId + (s.oracle ? "\noracle" : "")));
      hash = models::SaltHash(Hex(hash) + run.id);
      if (seen.insert(run.id).second) {
        plan.customer_days += plan.cells[c].customer_days;
      }
      plan.peak_bytes = std::max(plan.peak_bytes, plan.cells[c].peak_bytes);
      plan.runs.push_back(run);
    }
  }
  plan.distinct_runs = static_cast<int>(seen.size());
  plan.hash = Hex(hash);
  return plan;
}

}  // namespace lclab::experiments
