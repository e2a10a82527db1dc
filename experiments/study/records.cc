#include "experiments/study/records.h"

#include <cmath>
#include <limits>

#include "experiments/kpi_rows.h"

namespace lclab::experiments {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Programme KPI k over the whole population: both groups' sums together.
double PopulationValue(const RunResult& r, int k) {
  Moments all;
  for (const KpiRow& row : r.programme_kpis)
    if (row.kpi == k) all.Merge(row.moments);
  return ValueOf(models::ProgrammeKpiDefinitions()[k].kind, all);
}

const KpiRow* RowOf(const CampaignResult& cr, int kpi, int arm) {
  for (const KpiRow& row : cr.kpis)
    if (row.kpi == kpi && row.arm == arm) return &row;
  return nullptr;
}

int Direction(const models::KpiDef& d, double estimate) {
  return (estimate > 0) == d.higher_is_better ? 1 : -1;
}

// The methods' records of one comparison.
void AuditComparison(const CampaignConfig& cc, const CampaignResult& cr, const KpiRow& row, double alpha,
                     std::vector<AuditRecord>& out) {
  const models::KpiDef& d = models::CampaignKpiDefinitions()[row.kpi];
  AuditRecord base;
  base.campaign = cc.name, base.kpi = row.kpi, base.arm = cc.arms[row.arm].name, base.true_effect = row.true_effect;
  auto add = [&](AuditMethod m, const Interval& lift, double p, int decision) {
    AuditRecord a = base;
    a.method = static_cast<int>(m);
    a.estimate = lift.estimate, a.low = lift.low, a.high = lift.high, a.p_value = p, a.decision = decision;
    out.push_back(a);
  };
  const Interval& lift = row.vs_control.abs;
  const int fixed = row.vs_control.p_value < alpha ? Direction(d, lift.estimate) : 0;
  add(cc.thompson ? AuditMethod::kThompson : AuditMethod::kFixed, lift, row.vs_control.p_value, fixed);
  if (row.has_cuped && std::isfinite(row.cuped.abs.estimate) && std::isfinite(row.cuped.p_value))
    add(AuditMethod::kCuped, row.cuped.abs, row.cuped.p_value,
        row.cuped.p_value < alpha ? Direction(d, row.cuped.abs.estimate) : 0);
  for (const SequentialSeries& s : cr.sequential)
    if (s.kpi == row.kpi && s.arm == row.arm && !s.cs.empty() && std::isfinite(s.cs.back().low))
      add(AuditMethod::kSequential, s.cs.back(), s.p_value.back(), s.decision);
}

// What each method would ship on the first primary KPI, and its regret against the truly best arm.
void Decisions(const CampaignConfig& cc, const CampaignResult& cr, const std::vector<AuditRecord>& audit,
               std::vector<DecisionRecord>& out) {
  const int k = cc.primary_kpis.front();
  const models::KpiDef& d = models::CampaignKpiDefinitions()[k];
  const double sign = d.higher_is_better ? 1 : -1;
  double best_true = -std::numeric_limits<double>::infinity();
  for (int a = 0; a < static_cast<int>(cc.arms.size()); ++a)
    if (const KpiRow* row = RowOf(cr, k, a); row && std::isfinite(row->true_value))
      best_true = std::max(best_true, sign * row->true_value);
  if (!std::isfinite(best_true)) return;
  for (int m = 0; m < 4; ++m) {
    int shipped = cc.control_arm;
    double best_estimate = 0;
    bool any = false;
    for (const AuditRecord& r : audit) {
      if (r.campaign != cc.name || r.kpi != k || r.method != m) continue;
      any = true;
      if (r.decision > 0 && sign * r.estimate > best_estimate) {
        best_estimate = sign * r.estimate;
        for (int a = 0; a < static_cast<int>(cc.arms.size()); ++a)
          if (cc.arms[a].name == r.arm) shipped = a;
      }
    }
    const KpiRow* row = RowOf(cr, k, shipped);
    if (!any || !row || !std::isfinite(row->true_value)) continue;
    out.push_back({cc.name, k, m, cc.arms[shipped].name, best_true - sign * row->true_value});
  }
}

}  // namespace

RunRecord RecordOf(const StudyConfig& study, const ExperimentConfig& cfg, const RunResult& result) {
  RunRecord rec;
  rec.ok = true;
  rec.seconds = result.seconds + result.oracle_seconds;
  for (int k : study.collect) rec.metrics.push_back(result.programme_kpis.empty() ? kNaN : PopulationValue(result, k));
  if (!result.oracle) return rec;
  const double alpha = 1 - cfg.confidence;
  for (std::size_t c = 0; c < cfg.campaigns.size(); ++c) {
    const CampaignConfig& cc = cfg.campaigns[c];
    const CampaignResult& cr = result.campaigns[c];
    for (int k : cc.primary_kpis)
      for (int a = 0; a < static_cast<int>(cc.arms.size()); ++a)
        if (const KpiRow* row = RowOf(cr, k, a); a != cc.control_arm && row && row->has_comparison)
          AuditComparison(cc, cr, *row, alpha, rec.audit);
    Decisions(cc, cr, rec.audit, rec.decisions);
  }
  return rec;
}

}  // namespace lclab::experiments
