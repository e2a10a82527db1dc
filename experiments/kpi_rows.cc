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
bool IsShare(const models::KpiDef& d) { return d.lo == 0 && d.hi == 1; }

// CUPED for one row: the adjusted estimate and, with a comparison, the adjusted lift and the share of
// the lift's variance it removed.
void AddCuped(KpiRow& row, const models::KpiDef& def, const Moments& control_cov, double theta, double x_mean,
              double confidence) {
  row.has_cuped = true;
  row.cuped_theta = theta;
  row.cuped_estimate = Clamp(CupedEstimate(row.covariate, theta, x_mean, confidence), def.lo, def.hi);
  if (row.has_comparison && control_cov.n >= 2) {
    row.cuped = CupedCompare(row.covariate, control_cov, theta, x_mean, confidence, def.relative_lift);
    const double v0 = row.vs_control.abs.se * row.vs_control.abs.se;
    row.variance_reduction = v0 > 0 ? 1.0 - row.cuped.abs.se * row.cuped.abs.se / v0 : kNan;
  } else {
    row.cuped.abs.estimate = kNan;
  }
}

// The customers an arm's value rests on: all of them for a proportion or a mean; for a ratio, the
// effective number of customers its denominator comes from, (sum x)^2 / sum x^2 (Kish), so that
// revenue per order over 7 orders of 5 customers rests on about 5, not on the 20 who entered.
double Units(KpiKind kind, const Moments& m) {
  return kind == KpiKind::kRatio && m.sxx > 0 ? m.sx * m.sx / m.sxx : m.n;
}

// Why the row's arm cannot be compared with the control, or kNone (also when the control has no one in
// the KPI's population at all, as a holdout has no messages for an attribution KPI: nothing to say).
KpiNote NoteOf(KpiKind kind, const Moments& t, const Moments& c, const Comparison& cmp, bool observable) {
  if (!observable) return KpiNote::kNotObservable;
  if (c.n == 0 || t.n == 0) return KpiNote::kNone;
  if (Units(kind, t) < kMinArmUnits || Units(kind, c) < kMinArmUnits) return KpiNote::kTooFewCustomers;
  if (std::isfinite(cmp.abs.estimate) && !std::isfinite(cmp.p_value)) return KpiNote::kNoVariation;
  return KpiNote::kNone;
}

// True if some customer in some cell could move KPI k in this window, or nobody is in its population
// at all (then there is nothing to compare, and no note).
bool Observable(const KpiSums& sums, std::size_t k) {
  if (!sums.movable) return true;
  double movable = 0, n = 0;
  for (int a = 0; a < sums.cells; ++a) movable += (*sums.movable)[k * sums.cells + a], n += (*sums.total)[k * sums.cells + a].n;
  return movable > 0 || n == 0;
}

}  // namespace

double ValueOf(KpiKind kind, const Moments& m) {
  if (kind == KpiKind::kRatio) return m.sx > 0 ? m.sy / m.sx : kNan;
  return m.n > 0 ? m.sy / m.n : kNan;
}

Interval EstimateOf(const models::KpiDef& def, KpiKind kind, const Moments& m, double confidence) {
  switch (kind) {
    case KpiKind::kProportion: if (m.n >= 1) return ProportionEstimate(m, confidence); break;
    case KpiKind::kMean: if (m.n >= 2) return MeanEstimate(m, confidence, def.lo, def.hi); break;
    case KpiKind::kRatio:
      if (m.n >= 2 && m.sx > 0) return RatioEstimate(m, confidence, IsShare(def), def.lo, def.hi);
      break;
  }
  return kUndefinedInterval;
}

Comparison CompareOf(const models::KpiDef& def, KpiKind kind, const Moments& t, const Moments& c, double confidence) {
  Comparison r;
  r.abs.estimate = kNan;
  if (t.n < 2 || c.n < 2) return r;
  switch (kind) {
    case KpiKind::kProportion: return ProportionCompare(t, c, confidence);
    case KpiKind::kMean: return WelchCompare(t, c, confidence, def.relative_lift);
    case KpiKind::kRatio:
      return t.sx > 0 && c.sx > 0 ? RatioCompare(t, c, confidence, IsShare(def), def.relative_lift) : r;
  }
  return r;
}

std::vector<KpiRow> KpiRows(const std::vector<models::KpiDef>& defs, const KpiSums& sums, double confidence,
                            const models::LifecycleParams& lc) {
  std::vector<KpiRow> rows;
  const std::vector<Moments>& total = *sums.total;
  const std::vector<Moments>& cov = *sums.cov;
  const std::vector<Moments>& est = sums.ipw ? *sums.ipw : total;
  const int cells = sums.cells, control = sums.control;
  for (std::size_t k = 0; k < defs.size(); ++k) {
    const models::KpiDef& def = defs[k];
    const KpiKind kind = sums.ipw ? KpiKind::kRatio : def.kind;
    const bool observable = Observable(sums, k);
    Moments pooled;
    for (int a = 0; a < cells; ++a) pooled.Merge(cov[k * cells + a]);
    // CUPED needs a covariate that varies (a first-purchase campaign's "orders before entry" is 0 for all).
    const bool cuped = *def.covariate && kind != KpiKind::kRatio && !sums.ipw && pooled.n >= 2 &&
                       pooled.sxx - pooled.sx * pooled.sx / pooled.n > 0;
    const double theta = cuped ? CupedTheta(pooled) : 0.0;
    const double x_mean = pooled.n > 0 ? pooled.sx / pooled.n : 0.0;
    for (int a = 0; a < cells; ++a) {
      KpiRow row;
      row.kpi = static_cast<int>(k);
      row.arm = a;
      row.moments = total[k * cells + a];
      row.estimate = EstimateOf(def, kind, est[k * cells + a], confidence);
      if (a != control) {
        const Moments &t = est[k * cells + a], &c = est[k * cells + control];
        row.vs_control = CompareOf(def, kind, t, c, confidence);
        row.note = NoteOf(def.kind, total[k * cells + a], total[k * cells + control], row.vs_control, observable);
        row.has_comparison = row.note == KpiNote::kNone && std::isfinite(row.vs_control.abs.estimate);
      } else if (!observable) {
        row.note = KpiNote::kNotObservable;
      }
      if (row.note == KpiNote::kNotObservable) row.days_to_move = models::DaysToMove(def, lc);
      row.covariate = cov[k * cells + a];
      if (cuped && row.covariate.n >= 2) AddCuped(row, def, cov[k * cells + control], theta, x_mean, confidence);
      row.p_holm = row.p_bh = kNan;
      row.true_value = row.true_effect = row.true_rel_effect = kNan;
      rows.push_back(row);
    }
  }
  return rows;
}

void ApplyRoles(std::vector<KpiRow>& rows, const std::vector<models::KpiDef>& defs, const std::vector<int>& primary,
                const std::vector<int>& guardrail, const std::vector<models::GuardrailMargin>& margins,
                const std::vector<double>& sends_per_customer) {
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
      // The absolute interval against the tolerance (a relative interval is unstable for rare events).
      const Interval& lift = row.vs_control.abs;
      const models::GuardrailMargin& m = margins[row.kpi];
      const double control_value = row.estimate.estimate - lift.estimate;
      switch (m.kind) {
        case models::MarginKind::kAbsolute: row.guardrail_tolerance = m.value; break;
        case models::MarginKind::kRelative: row.guardrail_tolerance = m.value * std::fabs(control_value); break;
        case models::MarginKind::kPerSend: row.guardrail_tolerance = m.value * sends_per_customer[row.arm]; break;
      }
      row.guardrail_breach = defs[row.kpi].higher_is_better ? lift.high < -row.guardrail_tolerance
                                                            : lift.low > row.guardrail_tolerance;
    }
  }
  const std::vector<double> holm = HolmAdjust(p), bh = BenjaminiHochbergAdjust(p);
  for (std::size_t j = 0; j < family.size(); ++j) family[j]->p_holm = holm[j], family[j]->p_bh = bh[j];
}

}  // namespace lclab::experiments
