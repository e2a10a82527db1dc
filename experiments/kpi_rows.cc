#include "experiments/kpi_rows.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "experiments/analysis/inference.h"

namespace lclab::experiments {
namespace {

using models::KpiKind;
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

bool Contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// CUPED for one row: the adjusted estimate and, with a comparison, the adjusted lift and the share of
// the lift's variance it removed.
void AddCuped(KpiRow& row, const Moments& control_cov, double theta, double x_mean, double confidence) {
  row.has_cuped = true;
  row.cuped_theta = theta;
  row.cuped_estimate = CupedEstimate(row.covariate, theta, x_mean, confidence);
  if (row.has_comparison && control_cov.n >= 2) {
    row.cuped = CupedCompare(row.covariate, control_cov, theta, x_mean, confidence);
    const double v0 = row.vs_control.abs.se * row.vs_control.abs.se;
    row.variance_reduction = v0 > 0 ? 1.0 - row.cuped.abs.se * row.cuped.abs.se / v0 : kNan;
  } else {
    row.cuped.abs.estimate = kNan;
  }
}

}  // namespace

double ValueOf(KpiKind kind, const Moments& m) {
  if (kind == KpiKind::kRatio) return m.sx > 0 ? m.sy / m.sx : kNan;
  return m.n > 0 ? m.sy / m.n : kNan;
}

Interval EstimateOf(KpiKind kind, const Moments& m, double confidence) {
  switch (kind) {
    case KpiKind::kProportion: if (m.n >= 1) return ProportionEstimate(m, confidence); break;
    case KpiKind::kMean: if (m.n >= 2) return MeanEstimate(m, confidence); break;
    case KpiKind::kRatio: if (m.n >= 2 && m.sx > 0) return RatioEstimate(m, confidence); break;
  }
  return kUndefinedInterval;
}

Comparison CompareOf(KpiKind kind, const Moments& t, const Moments& c, double confidence) {
  Comparison r;
  r.abs.estimate = kNan;
  if (t.n < 2 || c.n < 2) return r;
  switch (kind) {
    case KpiKind::kProportion: return ProportionCompare(t, c, confidence);
    case KpiKind::kMean: return WelchCompare(t, c, confidence);
    case KpiKind::kRatio: return t.sx > 0 && c.sx > 0 ? RatioCompare(t, c, confidence) : r;
  }
  return r;
}

std::vector<KpiRow> KpiRows(const std::vector<models::KpiDef>& defs, const std::vector<Moments>& total,
                            const std::vector<Moments>& cov, int cells, int control, double confidence,
                            const std::vector<Moments>* ipw) {
  std::vector<KpiRow> rows;
  const std::vector<Moments>& est = ipw ? *ipw : total;
  for (std::size_t k = 0; k < defs.size(); ++k) {
    const KpiKind kind = ipw ? KpiKind::kRatio : defs[k].kind;
    Moments pooled;
    for (int a = 0; a < cells; ++a) pooled.Merge(cov[k * cells + a]);
    // CUPED needs a covariate that varies (a first-purchase campaign's "orders before entry" is 0 for all).
    const bool cuped = *defs[k].covariate && kind != KpiKind::kRatio && !ipw && pooled.n >= 2 &&
                       pooled.sxx - pooled.sx * pooled.sx / pooled.n > 0;
    const double theta = cuped ? CupedTheta(pooled) : 0.0;
    const double x_mean = pooled.n > 0 ? pooled.sx / pooled.n : 0.0;
    for (int a = 0; a < cells; ++a) {
      KpiRow row;
      row.kpi = static_cast<int>(k);
      row.arm = a;
      row.moments = total[k * cells + a];
      row.estimate = EstimateOf(kind, est[k * cells + a], confidence);
      if (a != control) {
        row.vs_control = CompareOf(kind, est[k * cells + a], est[k * cells + control], confidence);
        row.has_comparison = std::isfinite(row.vs_control.abs.estimate);
      }
      row.covariate = cov[k * cells + a];
      if (cuped && row.covariate.n >= 2) AddCuped(row, cov[k * cells + control], theta, x_mean, confidence);
      row.p_holm = row.p_bh = kNan;
      row.true_value = row.true_effect = row.true_rel_effect = kNan;
      rows.push_back(row);
    }
  }
  return rows;
}

void ApplyRoles(std::vector<KpiRow>& rows, const std::vector<models::KpiDef>& defs, const std::vector<int>& primary,
                const std::vector<int>& guardrail, double margin) {
  std::vector<double> p;
  std::vector<KpiRow*> family;
  for (KpiRow& row : rows) {
    if (Contains(primary, row.kpi)) row.role = KpiRole::kPrimary;
    if (Contains(guardrail, row.kpi)) row.role = KpiRole::kGuardrail;
    if (row.role == KpiRole::kPrimary && row.has_comparison) {
      family.push_back(&row);
      p.push_back(row.vs_control.p_value);
    }
    if (row.role == KpiRole::kGuardrail && row.has_comparison) {
      // The absolute CI against margin x the control's value (a relative CI is unstable for rare events).
      const Interval& lift = row.vs_control.abs;
      const double tolerance = margin * std::fabs(row.estimate.estimate - lift.estimate);
      row.guardrail_breach = defs[row.kpi].higher_is_better ? lift.high < -tolerance : lift.low > tolerance;
    }
  }
  const std::vector<double> holm = HolmAdjust(p), bh = BenjaminiHochbergAdjust(p);
  for (std::size_t j = 0; j < family.size(); ++j) family[j]->p_holm = holm[j], family[j]->p_bh = bh[j];
}

}  // namespace lclab::experiments
