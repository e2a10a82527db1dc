#include "experiments/study/study_summary.h"

#include <cmath>
#include <limits>
#include <map>
#include <tuple>

namespace lclab::experiments {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Moments MomentsOf(const std::vector<double>& v) {
  Moments m;
  for (double x : v) m.Add(x);
  return m;
}

// Mean and t interval; NaN bounds below two values.
Interval MeanOf(const std::vector<double>& v, double confidence) {
  const Moments m = MomentsOf(v);
  if (m.n >= 2) return MeanEstimate(m, confidence);
  return {m.n > 0 ? m.Mean() : kNaN, kNaN, kNaN, kNaN};
}

double Variance(const std::vector<double>& v) { return v.size() >= 2 ? MomentsOf(v).Variance() : kNaN; }

// The objective of every strategy in one scenario and point: [strategy][replication], NaN when missing.
using Grid = std::vector<std::vector<double>>;

// Per strategy, the share of replications (with every strategy's value) in which it was best; ties shared.
std::vector<double> WinShares(const Grid& y, double sign, int reps) {
  const int strategies = static_cast<int>(y.size());
  std::vector<double> wins(strategies, 0.0);
  int contests = 0;
  for (int r = 0; r < reps; ++r) {
    double best = -std::numeric_limits<double>::infinity();
    bool all = true;
    for (int st = 0; st < strategies; ++st) {
      all &= std::isfinite(y[st][r]);
      if (std::isfinite(y[st][r])) best = std::max(best, sign * y[st][r]);
    }
    if (!all) continue;
    ++contests;
    int tied = 0;
    for (int st = 0; st < strategies; ++st) tied += sign * y[st][r] == best;
    for (int st = 0; st < strategies; ++st)
      if (sign * y[st][r] == best) wins[st] += 1.0 / tied;
  }
  for (double& w : wins) w = contests > 0 ? w / contests : kNaN;
  return wins;
}

void LeaderRows(const StudyConfig& s, const Grid& y, int scenario, int point, const std::vector<int>& failed,
                double confidence, std::vector<LeaderRow>& out) {
  const double sign = s.higher_is_better ? 1 : -1;
  const int strategies = static_cast<int>(y.size()), reps = s.replications;
  const std::vector<double> wins = WinShares(y, sign, reps);
  std::vector<LeaderRow> rows;
  double best_mean = -std::numeric_limits<double>::infinity();
  for (int st = 0; st < strategies; ++st) {
    LeaderRow row;
    row.scenario = scenario, row.point = point, row.strategy = st, row.failed = failed[st];
    std::vector<double> own, pair_own, pair_base, diff;
    for (int r = 0; r < reps; ++r) {
      if (std::isfinite(y[st][r])) own.push_back(y[st][r]);
      if (std::isfinite(y[st][r]) && std::isfinite(y[s.baseline][r])) {
        pair_own.push_back(y[st][r]), pair_base.push_back(y[s.baseline][r]);
        diff.push_back(sign * (y[st][r] - y[s.baseline][r]));
      }
    }
    row.n = static_cast<int>(own.size());
    row.objective = MeanOf(own, confidence);
    row.pairs = static_cast<int>(diff.size());
    row.difference = MeanOf(diff, confidence);
    const double se = row.difference.se;
    row.p_value = se > 0 ? 2.0 * StudentTCdf(-std::fabs(row.difference.estimate / se), row.pairs - 1) : kNaN;
    row.se_unpaired = row.pairs >= 2 ? std::sqrt((Variance(pair_own) + Variance(pair_base)) / row.pairs) : kNaN;
    row.variance_reduction = row.se_unpaired > 0 ? 1 - (se * se) / (row.se_unpaired * row.se_unpaired) : kNaN;
    if (st == s.baseline) row.difference = {kNaN, kNaN, kNaN, kNaN}, row.p_value = row.se_unpaired = kNaN,
                          row.variance_reduction = kNaN;  // no difference from itself
    row.win_share = wins[st];
    if (std::isfinite(row.objective.estimate)) best_mean = std::max(best_mean, sign * row.objective.estimate);
    rows.push_back(row);
  }
  for (LeaderRow& row : rows) {
    row.regret = best_mean - sign * row.objective.estimate;
    out.push_back(row);
  }
}

// Running sums of one audited comparison over replications.
struct AuditSums {
  int n = 0, significant = 0, right = 0, wrong = 0, covered = 0, nonzero_truth = 0, m_count = 0;
  double bias = 0, exaggeration = 0;
  void Add(const AuditRecord& a) {
    ++n;
    nonzero_truth += a.true_effect != 0;
    covered += a.low <= a.true_effect && a.true_effect <= a.high;
    bias += a.estimate - a.true_effect;
    if (a.decision == 0) return;
    ++significant;
    const bool same = (a.estimate > 0) == (a.true_effect > 0);
    if (a.true_effect != 0) {
      same ? ++right : ++wrong;
      exaggeration += std::fabs(a.estimate / a.true_effect), ++m_count;
    }
  }
};

AuditRow AuditRowOf(const StudyCell& c, const std::string& campaign, int kpi, const std::string& arm, int method,
                    const AuditSums& sums) {
  AuditRow row;
  row.scenario = c.scenario, row.point = c.point, row.strategy = c.strategy;
  row.campaign = campaign, row.arm = arm, row.kpi = kpi, row.method = method;
  row.null_effect = sums.nonzero_truth == 0;
  row.n = sums.n;
  row.significant = {row.null_effect ? sums.significant : sums.right, sums.n};
  row.wrong_sign = {sums.wrong, sums.significant};
  row.covered = {sums.covered, sums.n};
  row.bias = sums.bias / sums.n;
  row.exaggeration = sums.m_count > 0 ? sums.exaggeration / sums.m_count : kNaN;
  return row;
}

}  // namespace

Interval Rate::Wilson(double confidence) const {
  if (n == 0) return {kNaN, kNaN, kNaN, kNaN};
  return WilsonInterval(hits, n, NormalQuantile(0.5 + confidence / 2));
}

StudySummary Summarise(const StudyConfig& s, const StudyPlan& plan, const std::vector<RunRecord>& records,
                       double confidence) {
  StudySummary out;
  const int strategies = static_cast<int>(s.strategies.size()), scenarios = static_cast<int>(s.scenarios.size());
  // The runs' values by cell: the objective per replication, failures, audit sums and regrets.
  std::vector<std::vector<double>> objective(plan.cells.size(), std::vector<double>(s.replications, kNaN));
  std::vector<int> failed(plan.cells.size(), 0);
  std::map<std::tuple<int, std::string, int, std::string, int>, AuditSums> audit;
  std::map<std::tuple<int, std::string, int, int>, std::vector<double>> regrets;
  for (const PlannedRun& run : plan.runs) {
    const RunRecord& r = records[run.index];
    ++out.runs;
    if (!r.ok) {
      ++out.failed, ++failed[run.cell];
      if (out.failures.size() < 20)
        out.failures.push_back(CellLabel(s, plan, run.cell) + ", replication " + std::to_string(run.replication) +
                               ": " + r.error);
      continue;
    }
    objective[run.cell][run.replication] = r.metrics.empty() ? kNaN : r.metrics.front();
    for (const AuditRecord& a : r.audit) audit[{run.cell, a.campaign, a.kpi, a.arm, a.method}].Add(a);
    for (const DecisionRecord& d : r.decisions) regrets[{run.cell, d.campaign, d.kpi, d.method}].push_back(d.regret);
  }
  // The leaderboard, per scenario and point.
  for (int p = 0; p < static_cast<int>(plan.points.size()); ++p)
    for (int sc = 0; sc < scenarios; ++sc) {
      Grid y;
      std::vector<int> f;
      for (int st = 0; st < strategies; ++st) {
        const int cell = plan.Cell(st, sc, p, strategies, scenarios);
        y.push_back(objective[cell]);
        f.push_back(failed[cell]);
      }
      LeaderRows(s, y, sc, p, f, confidence, out.leaderboard);
    }
  for (const auto& [key, sums] : audit) {
    const auto& [cell, campaign, kpi, arm, method] = key;
    out.audit.push_back(AuditRowOf(plan.cells[cell], campaign, kpi, arm, method, sums));
  }
  for (const auto& [key, values] : regrets) {
    const auto& [cell, campaign, kpi, method] = key;
    const StudyCell& c = plan.cells[cell];
    out.decisions.push_back({c.scenario, c.point, c.strategy, campaign, kpi, method, static_cast<int>(values.size()),
                             MeanOf(values, confidence)});
  }
  return out;
}

}  // namespace lclab::experiments
