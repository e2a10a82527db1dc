// The bars for honest measurement, run end to end on small populations over
// many fixed seeds (label "statistical": minutes of CPU). Every tolerance
// comes from theory: a rejection or coverage rate over S independent seeds is
// binomial, so it is checked within 3.29 standard errors (two-sided 0.1%) of
// its nominal value, or against +-3 points where that is wider.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <string>

#include "measurement_util.h"

namespace lclab::experiments {
namespace {

using namespace testing;

// A/A: identical arms. Over 400 seeds the fixed-horizon tests at alpha = 0.05 reject about 5% of the
// time (plain and CUPED); the sequential test, looked at every day, rejects at most 5%; naive daily
// peeking at the fixed-horizon p-value rejects far more often.
TEST(Measurement, AATestsRejectAtTheNominalRate) {
  const int seeds = 400;
  int plain = 0, cuped = 0, sequential = 0, peeking = 0, tests = 0, cuped_tests = 0;
  for (int s = 0; s < seeds; ++s) {
    const RunResult r = RunSeed(Config("\"b\""), 1000 + s);
    const CampaignResult& c = r.campaigns[0];
    // One test per seed per kind (revenue per customer: a mean with a CUPED covariate).
    const KpiRow& rev = Row(c, "revenue_per_customer", 1);
    ASSERT_TRUE(rev.has_comparison && rev.has_cuped);
    plain += rev.vs_control.p_value < 0.05;
    cuped += rev.cuped.p_value < 0.05;
    ++tests, ++cuped_tests;
    for (const auto& q : c.sequential) {
      if (q.kpi != models::kRevenuePerCustomer) continue;
      sequential += q.decision_day >= 0;
      peeking += q.naive_day >= 0;
    }
  }
  const double a = 0.05;
  EXPECT_NEAR(plain / double(tests), a, Bound(a, tests)) << plain << " of " << tests;
  EXPECT_NEAR(cuped / double(cuped_tests), a, Bound(a, cuped_tests)) << cuped << " of " << cuped_tests;
  EXPECT_LE(sequential / double(seeds), a + Bound(a, seeds)) << sequential << " of " << seeds;
  EXPECT_GT(peeking / double(seeds), a + Bound(a, seeds)) << peeking << " of " << seeds;
  std::cout << "A/A over " << seeds << " seeds: fixed-horizon " << plain << ", CUPED " << cuped << ", sequential "
            << sequential << ", naive daily peeking " << peeking << " rejections\n";
}

// A real effect: 95% CIs cover the oracle's true effect (every customer replayed under each arm with the
// same draws) 95% +- 3 points of the time over 500 seeds, for a proportion, a mean and a ratio KPI.
TEST(Measurement, CIsCoverTheOraclesTrueEffect) {
  const int seeds = 500;
  const char* kpis[] = {"repeat_purchase_rate", "revenue_per_customer", "open_rate"};
  int covered[3] = {}, cuped_covered = 0, cuped_n = 0, seq_covered = 0, seq_n = 0;
  double mean_effect[3] = {};
  for (int s = 0; s < seeds; ++s) {
    const RunResult r = RunSeed(Config("{ name = \"b\", open = 0.6, goal = 1.0 }"), 5000 + s, /*oracle=*/true);
    const CampaignResult& c = r.campaigns[0];
    for (int k = 0; k < 3; ++k) {
      const KpiRow& row = Row(c, kpis[k], 1);
      ASSERT_TRUE(row.has_comparison && row.covered >= 0) << kpis[k];
      covered[k] += row.covered;
      mean_effect[k] += row.true_effect / seeds;
      if (k == 1) cuped_covered += row.cuped_covered, ++cuped_n;
    }
    for (const auto& q : c.sequential)
      if (q.covered >= 0) seq_covered += q.covered, ++seq_n;
  }
  for (int k = 0; k < 3; ++k) {
    EXPECT_NEAR(covered[k] / double(seeds), 0.95, 0.03) << kpis[k] << ": " << covered[k] << " of " << seeds;
    EXPECT_GT(mean_effect[k], 0) << kpis[k] << ": the planted effect should raise it";
  }
  EXPECT_NEAR(cuped_covered / double(cuped_n), 0.95, 0.03) << cuped_covered << " of " << cuped_n;
  // A confidence sequence is wider than a fixed-horizon interval: at least 95% coverage.
  EXPECT_GE(seq_covered / double(seq_n), 0.95 - Bound(0.95, seq_n)) << seq_covered << " of " << seq_n;
  std::cout << "coverage over " << seeds << " seeds: " << covered[0] << ", " << covered[1] << ", " << covered[2]
            << " (CUPED " << cuped_covered << ", sequential " << seq_covered << " of " << seq_n << ")\n";
}

// Adaptive allocation: arms drawn from daily Thompson weights, estimates weighted by the inverse of
// the entry day's share. Their 95% CIs still cover the truth 95% +- 3 points over 200 seeds.
TEST(Measurement, ThompsonEstimatesCoverTheOraclesTrueEffect) {
  const int seeds = 200;
  const char* kpis[] = {"repeat_purchase_rate", "revenue_per_customer", "open_rate"};
  int covered[3] = {}, n[3] = {};
  for (int s = 0; s < seeds; ++s) {
    const RunResult r = RunSeed(Config("{ name = \"b\", open = 0.3 }, { name = \"c\", open = 0.6, goal = 1.0 }",
                                       8000, "allocation = \"thompson\"\nallocation_metric = \"open_rate\"\n"),
                                9000 + s, /*oracle=*/true);
    for (int k = 0; k < 3; ++k)
      for (int arm : {1, 2}) {
        const KpiRow& row = Row(r.campaigns[0], kpis[k], arm);
        if (row.covered < 0) continue;
        covered[k] += row.covered, ++n[k];
      }
  }
  for (int k = 0; k < 3; ++k)
    EXPECT_NEAR(covered[k] / double(n[k]), 0.95, 0.03) << kpis[k] << ": " << covered[k] << " of " << n[k];
  std::cout << "Thompson coverage: " << covered[0] << "/" << n[0] << ", " << covered[1] << "/" << n[1] << ", "
            << covered[2] << "/" << n[2] << "\n";
}

}  // namespace
}  // namespace lclab::experiments
