// From moments to rows, on hand-made moments: estimates need enough data,
// the control has no comparison, CUPED appears only with a covariate that
// varies, the primary KPIs' p-values are adjusted over the family, and a
// guardrail breaches only beyond its margin.
#include "experiments/kpi_rows.h"

#include <gtest/gtest.h>

#include <cmath>

namespace lclab::experiments {
namespace {

using models::KpiKind;

Moments Bernoulli(int successes, int n) {
  Moments m;
  for (int i = 0; i < n; ++i) m.Add(i < successes ? 1.0 : 0.0);
  return m;
}

TEST(KpiRows, EstimatesNeedEnoughData) {
  EXPECT_TRUE(std::isnan(ValueOf(KpiKind::kMean, Moments{})));
  EXPECT_DOUBLE_EQ(ValueOf(KpiKind::kProportion, Bernoulli(3, 10)), 0.3);
  Moments ratio;
  ratio.Add(1, 4), ratio.Add(2, 6);
  EXPECT_DOUBLE_EQ(ValueOf(KpiKind::kRatio, ratio), 0.3);
  EXPECT_DOUBLE_EQ(EstimateOf(KpiKind::kProportion, Bernoulli(1, 1), 0.95).estimate, 1.0);  // one unit is enough
  EXPECT_TRUE(std::isnan(EstimateOf(KpiKind::kMean, Bernoulli(1, 1), 0.95).estimate));        // a mean needs two
  EXPECT_TRUE(std::isnan(CompareOf(KpiKind::kProportion, Bernoulli(1, 1), Bernoulli(5, 10), 0.95).abs.estimate));
  Moments no_denominator;
  no_denominator.Add(0, 0), no_denominator.Add(0, 0);
  EXPECT_TRUE(std::isnan(CompareOf(KpiKind::kRatio, no_denominator, ratio, 0.95).abs.estimate));
  EXPECT_NEAR(CompareOf(KpiKind::kProportion, Bernoulli(30, 100), Bernoulli(20, 100), 0.95).abs.estimate, 0.1, 1e-12);
}

// Two KPIs (a proportion and a mean) in two cells; the mean has a covariate that varies.
struct TwoKpis {
  std::vector<models::KpiDef> defs = {models::CampaignKpiDefinitions()[models::kRepeatPurchaseRate],
                                      models::CampaignKpiDefinitions()[models::kRevenuePerCustomer]};
  std::vector<Moments> total, cov;
  TwoKpis(int control_successes, int treated_successes) {
    total = {Bernoulli(control_successes, 200), Bernoulli(treated_successes, 200), {}, {}};
    cov = {{}, {}, {}, {}};
    for (int i = 0; i < 100; ++i) {
      const double x = i % 10, noise = (i * 37 % 11) - 5;
      total[2].Add(10 + x + noise), cov[2].Add(10 + x + noise, x);
      total[3].Add(12 + x + noise), cov[3].Add(12 + x + noise, x);
    }
    // The proportion's covariate is constant: no CUPED for it.
    for (int c = 0; c < 2; ++c)
      for (int i = 0; i < 200; ++i) cov[c].Add(i < 50 ? 1.0 : 0.0, 3.0);
  }
};

TEST(KpiRows, ControlCupedAndCells) {
  const TwoKpis k(40, 60);
  const std::vector<KpiRow> rows = KpiRows(k.defs, k.total, k.cov, 2, 0, 0.95);
  ASSERT_EQ(rows.size(), 4u);  // kpi-major, cell-minor
  EXPECT_EQ(rows[1].kpi, 0);
  EXPECT_EQ(rows[1].arm, 1);
  EXPECT_FALSE(rows[0].has_comparison);  // the control
  EXPECT_TRUE(rows[1].has_comparison);
  EXPECT_NEAR(rows[1].vs_control.abs.estimate, 0.1, 1e-12);
  EXPECT_FALSE(rows[1].has_cuped);  // constant covariate
  ASSERT_TRUE(rows[3].has_cuped);
  EXPECT_GT(rows[3].variance_reduction, 0.3);  // x explains most of y
  EXPECT_NEAR(rows[3].cuped.abs.estimate, 2.0, 1e-9);  // same x in both cells: the adjustment cancels
  EXPECT_TRUE(std::isnan(rows[1].p_holm));  // no roles yet
}

TEST(KpiRows, RolesAdjustThePrimaryFamily) {
  const TwoKpis k(40, 60);
  std::vector<KpiRow> rows = KpiRows(k.defs, k.total, k.cov, 2, 0, 0.95);
  ApplyRoles(rows, k.defs, {0, 1}, {}, 0.0);
  EXPECT_EQ(rows[1].role, KpiRole::kPrimary);
  EXPECT_EQ(rows[3].role, KpiRole::kPrimary);
  // Holm over two p-values: the smaller doubled, the larger at least that and at least itself.
  const double p1 = rows[1].vs_control.p_value, p3 = rows[3].vs_control.p_value;
  const double lo = std::min(p1, p3), hi = std::max(p1, p3);
  const double holm_lo = std::min(1.0, 2 * lo), holm_hi = std::max(holm_lo, hi);
  EXPECT_DOUBLE_EQ(p1 < p3 ? rows[1].p_holm : rows[3].p_holm, holm_lo);
  EXPECT_DOUBLE_EQ(p1 < p3 ? rows[3].p_holm : rows[1].p_holm, holm_hi);
  EXPECT_LE(rows[1].p_bh, rows[1].p_holm);
}

TEST(KpiRows, GuardrailBreachesOnlyBeyondItsMargin) {
  // A churn-like KPI (lower is better) that rises from 20% to 40%.
  std::vector<models::KpiDef> defs = {models::CampaignKpiDefinitions()[models::kChurnRate]};
  const std::vector<Moments> total = {Bernoulli(200, 1000), Bernoulli(400, 1000)}, cov = {{}, {}};
  std::vector<KpiRow> rows = KpiRows(defs, total, cov, 2, 0, 0.95);
  ApplyRoles(rows, defs, {}, {0}, 0.0);
  EXPECT_EQ(rows[1].role, KpiRole::kGuardrail);
  EXPECT_TRUE(rows[1].guardrail_breach);
  rows = KpiRows(defs, total, cov, 2, 0, 0.95);
  ApplyRoles(rows, defs, {}, {0}, 2.0);  // tolerate up to +200% of the control's 20%: +40 pp
  EXPECT_FALSE(rows[1].guardrail_breach);
  rows = KpiRows(defs, {Bernoulli(400, 1000), Bernoulli(200, 1000)}, cov, 2, 0, 0.95);
  ApplyRoles(rows, defs, {}, {0}, 0.0);
  EXPECT_FALSE(rows[1].guardrail_breach);  // better, not worse
}

}  // namespace
}  // namespace lclab::experiments
