// From KPI moments to the rows a report shows: each arm's estimate, its
// comparison with the control, CUPED, the KPI's role in the decision with
// multiple-testing corrections over the primary KPIs, and guardrail breaches.
#pragma once

#include <vector>

#include "experiments/analysis/stats.h"
#include "experiments/results.h"
#include "models/kpi.h"

namespace lclab::experiments {

// An arm's value of a KPI of this kind: a mean or proportion over customers, or a ratio of sums.
// NaN when it has no data.
double ValueOf(models::KpiKind kind, const Moments& m);
// The value with its interval; NaN fields without enough data (a proportion needs 1 unit, a mean or
// ratio 2).
Interval EstimateOf(models::KpiKind kind, const Moments& m, double confidence);
// Treatment against control; vs.abs.estimate is NaN when undefined (fewer than 2 units on a side, or
// a ratio with no denominator).
Comparison CompareOf(models::KpiKind kind, const Moments& treatment, const Moments& control, double confidence);

// Rows for kpi-major, cell-minor moments (`total`, and `cov`: (y, covariate)) against cell `control`.
// With `ipw` (an adaptive allocation) the estimates and comparisons are the inverse-probability-weighted
// ratios sum(y / pi) / sum(x / pi), and there is no CUPED.
std::vector<KpiRow> KpiRows(const std::vector<models::KpiDef>& defs, const std::vector<Moments>& total,
                            const std::vector<Moments>& cov, int cells, int control, double confidence,
                            const std::vector<Moments>* ipw = nullptr);

// Marks primary and guardrail rows, adjusts the primary p-values over primary KPIs x arms (Holm,
// Benjamini-Hochberg), and flags a guardrail whose lift's interval lies wholly beyond
// margin x the control's value on the worse side.
void ApplyRoles(std::vector<KpiRow>& rows, const std::vector<models::KpiDef>& defs, const std::vector<int>& primary,
                const std::vector<int>& guardrail, double margin);

}  // namespace lclab::experiments
