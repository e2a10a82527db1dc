// From KPI moments to the rows a report shows: each arm's estimate inside the
// KPI's range, its comparison with the control by the interval that suits the
// KPI's kind (docs/statistics.md "Per-arm KPIs and lifts"), CUPED, a note when
// there is nothing to compare, the KPI's role in the decision with
// multiple-testing corrections over the primary KPIs, and guardrail breaches
// beyond their tolerated margins.
#pragma once

#include <vector>

#include "experiments/analysis/stats.h"
#include "experiments/results.h"
#include "models/kpi.h"

namespace lclab::experiments {

// An arm's value of a KPI of this kind: a mean or proportion over customers, or a ratio of sums.
// NaN when it has no data.
double ValueOf(models::KpiKind kind, const Moments& m);
// The value with its interval inside the KPI's range; NaN fields without enough data (a proportion
// needs 1 unit, a mean or ratio 2). `kind` overrides the KPI's own (a Thompson campaign's
// inverse-probability-weighted sums are ratios).
Interval EstimateOf(const models::KpiDef& def, models::KpiKind kind, const Moments& m, double confidence);
// Treatment against control; vs.abs.estimate is NaN when undefined (fewer than 2 units on a side, or a
// ratio with no denominator). Proportions and shares: Newcombe's difference and a MOVER-R relative
// lift; means and other ratios: Welch or delta-method z with a log-ratio relative lift; no relative
// lift for a KPI whose value can be zero or negative.
Comparison CompareOf(const models::KpiDef& def, models::KpiKind kind, const Moments& treatment,
                     const Moments& control, double confidence);

// The inputs of KPI rows: kpi-major, cell-minor moments.
struct KpiSums {
  const std::vector<Moments>* total = nullptr;   // (y, x)
  const std::vector<Moments>* cov = nullptr;     // (y, the pre-period covariate)
  const std::vector<Moments>* ipw = nullptr;     // an adaptive allocation's (y / pi, x / pi), or nullptr
  const std::vector<double>* movable = nullptr;  // customers whose value could move, or nullptr (all)
  int cells = 0, control = 0;
};

// Rows against cell `control`. With `ipw` the estimates and comparisons are the inverse-probability-
// weighted ratios sum(y / pi) / sum(x / pi), and there is no CUPED. `lc` gives the days a KPI needs
// to move (a KPI no customer could move is not observable).
std::vector<KpiRow> KpiRows(const std::vector<models::KpiDef>& defs, const KpiSums& sums, double confidence,
                            const models::LifecycleParams& lc);

// Marks primary and guardrail rows, adjusts the primary p-values over primary KPIs x arms (Holm,
// Benjamini-Hochberg), and flags a guardrail whose lift's interval lies wholly beyond its tolerance on
// the worse side. `margins[k]`: KPI k's margin (used for guardrails only); `sends_per_customer[a]`:
// the messages arm (or group) a sent per customer, for per-send margins.
void ApplyRoles(std::vector<KpiRow>& rows, const std::vector<models::KpiDef>& defs, const std::vector<int>& primary,
                const std::vector<int>& guardrail, const std::vector<models::GuardrailMargin>& margins,
                const std::vector<double>& sends_per_customer);

}  // namespace lclab::experiments
