// From moments to rows, on hand-made moments: estimates need enough data and
// stay in the KPI's range, the control has no comparison, a row says why it
// cannot be compared (too few customers, no variation, a KPI no one could
// move), CUPED appears only with a covariate that varies, the primary KPIs'
// p-values are adjusted over the family, and a guardrail breaches only beyond
// its absolute or relative margin.
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

const models::KpiDef& Def(int k) { return models::CampaignKpiDefinitions()[k]; }

TEST(KpiRows, EstimatesNeedEnoughDataAndStayInRange) {
  const models::KpiDef& share = Def(models::kRepeatPurchaseRate);
  const models::KpiDef& money = Def(models::kRevenuePerCustomer);
  EXPECT_TRUE(std::isnan(ValueOf(KpiKind::kMean, Moments{})));
  EXPECT_DOUBLE_EQ(ValueOf(KpiKind::kProportion, Bernoulli(3, 10)), 0.3);
  Moments ratio;
  ratio.Add(1, 4), ratio.Add(2, 6);
  EXPECT_DOUBLE_EQ(ValueOf(KpiKind::kRatio, ratio), 0.3);
  EXPECT_DOUBLE_EQ(EstimateOf(share, KpiKind::kProportion, Bernoulli(1, 1), 0.95).estimate, 1.0);  // one unit will do
  EXPECT_TRUE(std::isnan(EstimateOf(money, KpiKind::kMean, Bernoulli(1, 1), 0.95).estimate));     // a mean needs two
  EXPECT_TRUE(std::isnan(CompareOf(share, KpiKind::kProportion, Bernoulli(1, 1), Bernoulli(5, 10), 0.95).abs.estimate));
  Moments no_denominator;
  no_denominator.Add(0, 0), no_denominator.Add(0, 0);
  EXPECT_TRUE(std::isnan(CompareOf(Def(models::kOpenRate), KpiKind::kRatio, no_denominator, ratio, 0.95).abs.estimate));
  EXPECT_NEAR(CompareOf(share, KpiKind::kProportion, Bernoulli(30, 100), Bernoulli(20, 100), 0.95).abs.estimate, 0.1,
              1e-12);
  // Revenue per customer of three customers, two of them 0: the t interval would go below 0.
  Moments few;
  few.Add(0), few.Add(0), few.Add(9);
  EXPECT_EQ(EstimateOf(money, KpiKind::kMean, few, 0.95).low, 0.0);
  // Net revenue and NPS have no relative lift (their values can be 0 or negative).
  Moments a = few, b = few;
  b.Add(4);
  EXPECT_TRUE(std::isnan(CompareOf(Def(models::kNetRevenuePerCustomer), KpiKind::kMean, b, a, 0.95).rel.estimate));
  EXPECT_FALSE(std::isnan(CompareOf(money, KpiKind::kMean, b, a, 0.95).rel.estimate));
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

KpiSums Sums(const TwoKpis& k) { return {&k.total, &k.cov, nullptr, nullptr, 2, 0}; }
std::vector<models::GuardrailMargin> Margins(const std::vector<models::KpiDef>& defs) {
  std::vector<models::GuardrailMargin> m;
  for (const auto& d : defs) m.push_back(d.margin);
  return m;
}
const models::LifecycleParams kLifecycle;

TEST(KpiRows, ControlCupedAndCells) {
  const TwoKpis k(40, 60);
  const std::vector<KpiRow> rows = KpiRows(k.defs, Sums(k), 0.95, kLifecycle);
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
  std::vector<KpiRow> rows = KpiRows(k.defs, Sums(k), 0.95, kLifecycle);
  ApplyRoles(rows, k.defs, {0, 1}, {}, Margins(k.defs), {0, 1});
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
  // A KPI where lower is better (the loyalty-lowering churn of a campaign) rising from 20% to 40%.
  std::vector<models::KpiDef> defs = {Def(models::kChurnRate)};
  const std::vector<Moments> worse = {Bernoulli(200, 1000), Bernoulli(400, 1000)}, cov = {{}, {}};
  auto run = [&](const std::vector<Moments>& total, models::GuardrailMargin margin, double sends = 1) {
    std::vector<KpiRow> rows = KpiRows(defs, KpiSums{&total, &cov, nullptr, nullptr, 2, 0}, 0.95, kLifecycle);
    ApplyRoles(rows, defs, {}, {0}, {margin}, {0, sends});
    return rows[1];
  };
  using models::MarginKind;
  KpiRow row = run(worse, {MarginKind::kAbsolute, 0.01});  // tolerates +1 pp
  EXPECT_EQ(row.role, KpiRole::kGuardrail);
  EXPECT_DOUBLE_EQ(row.guardrail_tolerance, 0.01);
  EXPECT_TRUE(row.guardrail_breach);
  EXPECT_FALSE(run(worse, {MarginKind::kAbsolute, 0.30}).guardrail_breach);  // +30 pp tolerated: the interval reaches below it
  row = run(worse, {MarginKind::kRelative, 2.0});  // +200% of the control's 20%: +40 pp
  EXPECT_NEAR(row.guardrail_tolerance, 0.4, 1e-12);
  EXPECT_FALSE(row.guardrail_breach);
  // Per send: 0.5 pp for each of 10 messages is +5 pp (breached); for each of 80 it is +40 pp (tolerated).
  row = run(worse, {MarginKind::kPerSend, 0.005}, 10);
  EXPECT_NEAR(row.guardrail_tolerance, 0.05, 1e-12);
  EXPECT_TRUE(row.guardrail_breach);
  EXPECT_FALSE(run(worse, {MarginKind::kPerSend, 0.005}, 80).guardrail_breach);
  EXPECT_FALSE(run({Bernoulli(400, 1000), Bernoulli(200, 1000)}, {MarginKind::kAbsolute, 0.0}).guardrail_breach);
}

TEST(KpiRows, NotesSayWhyThereIsNoComparison) {
  std::vector<models::KpiDef> defs = {Def(models::kChurnRate)};
  const std::vector<Moments> cov = {{}, {}};
  // Fewer than 10 customers in an arm.
  std::vector<Moments> total = {Bernoulli(2, 9), Bernoulli(5, 300)};
  std::vector<KpiRow> rows = KpiRows(defs, KpiSums{&total, &cov, nullptr, nullptr, 2, 0}, 0.95, kLifecycle);
  EXPECT_EQ(rows[1].note, KpiNote::kTooFewCustomers);
  EXPECT_FALSE(rows[1].has_comparison);
  // No one could churn in the window: not observable, with the days it needs.
  total = {Bernoulli(0, 300), Bernoulli(0, 300)};
  const std::vector<double> movable = {0, 0};
  rows = KpiRows(defs, KpiSums{&total, &cov, nullptr, &movable, 2, 0}, 0.95, kLifecycle);
  EXPECT_EQ(rows[1].note, KpiNote::kNotObservable);
  EXPECT_EQ(rows[0].note, KpiNote::kNotObservable);
  EXPECT_EQ(rows[1].days_to_move, kLifecycle.churn_days);
  // The same zeros when customers could have churned: a comparison (with an interval of positive width).
  const std::vector<double> some = {12, 15};
  rows = KpiRows(defs, KpiSums{&total, &cov, nullptr, &some, 2, 0}, 0.95, kLifecycle);
  EXPECT_EQ(rows[1].note, KpiNote::kNoVariation);  // no event anywhere: no test
  // A ratio rests on the customers behind its denominator: revenue per order over 30 customers of whom
  // 3 bought is too few (Kish's effective number of the orders' customers, 3), whatever the 30.
  std::vector<models::KpiDef> ratio = {Def(models::kRevenuePerOrder)};
  Moments few, many;
  for (int i = 0; i < 30; ++i) few.Add(i < 3 ? 20.0 + i : 0.0, i < 3 ? 1.0 : 0.0), many.Add(20.0 + i % 5, 1.0);
  total = {many, few};
  rows = KpiRows(ratio, KpiSums{&total, &cov, nullptr, nullptr, 2, 0}, 0.95, kLifecycle);
  EXPECT_EQ(rows[1].note, KpiNote::kTooFewCustomers);
  total = {many, many};
  rows = KpiRows(ratio, KpiSums{&total, &cov, nullptr, nullptr, 2, 0}, 0.95, kLifecycle);
  EXPECT_EQ(rows[1].note, KpiNote::kNone);
  // A mean with the same value for everyone in both arms.
  std::vector<models::KpiDef> mean = {Def(models::kOrdersPerCustomer)};
  Moments ones;
  for (int i = 0; i < 20; ++i) ones.Add(1);
  total = {ones, ones};
  rows = KpiRows(mean, KpiSums{&total, &cov, nullptr, nullptr, 2, 0}, 0.95, kLifecycle);
  EXPECT_EQ(rows[1].note, KpiNote::kNoVariation);
  EXPECT_FALSE(rows[1].has_comparison);
}

}  // namespace
}  // namespace lclab::experiments
