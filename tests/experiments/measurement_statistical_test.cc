// The bars for honest measurement, run end to end on small populations over
// many fixed seeds (label "statistical": minutes of CPU). Every tolerance
// comes from theory: a rejection or coverage rate over S independent seeds is
// binomial, so it is checked within 3.29 standard errors (two-sided 0.1%) of
// its nominal value, or against +-3 points where that is wider.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <functional>
#include <string>
#include <vector>

#include "measurement_util.h"

namespace lclab::experiments {
namespace {

using namespace testing;

// Per KPI over many seeds: comparisons made, how often each interval excluded 0 (A/A) or covered the
// truth (--oracle), and intervals found outside their parameter's range.
struct KpiCounts {
  int abs_n = 0, abs_hits = 0, rel_n = 0, rel_hits = 0;
  // Shares and counts: the sum over comparisons of the sparser arm's events (or, for shares, non-events).
  double events = 0;
  void Add(const KpiRow& row, const KpiRow& control, bool abs_hit, int rel_hit) {
    ++abs_n, abs_hits += abs_hit;
    if (rel_hit >= 0) ++rel_n, rel_hits += rel_hit;
    const models::KpiDef& d = models::CampaignKpiDefinitions()[row.kpi];
    auto fewer = [&](const Moments& m) {
      if (d.unit != std::string("share")) return d.unit == std::string("count") ? m.sy : kInfinity;
      const double trials = d.kind == models::KpiKind::kRatio ? m.sx : m.n;
      return std::min(m.sy, trials - m.sy);
    };
    events += std::min(fewer(row.moments), fewer(control.moments));
  }
};

// The number of interval bounds of a campaign's rows outside their parameter's range: a value inside
// [lo, hi], an absolute lift inside [lo - hi, hi - lo], a relative lift at or above -100%.
int OutOfRange(const CampaignResult& c) {
  int bad = 0;
  for (const KpiRow& row : c.kpis) {
    const models::KpiDef& d = models::CampaignKpiDefinitions()[row.kpi];
    auto outside = [](const Interval& e, double lo, double hi) {
      return std::isfinite(e.low) && (e.low < lo || e.high > hi || e.low > e.high);
    };
    bad += outside(row.estimate, d.lo, d.hi);
    if (!row.has_comparison) continue;
    bad += outside(row.vs_control.abs, d.lo - d.hi, d.hi - d.lo);
    bad += outside(row.vs_control.rel, -1.0, kInfinity);
  }
  return bad;
}

// Checks one rate against `nominal` within the binomial bound (or +-3 points, if wider); only from
// the side where it would be wrong when `one_sided` (below the nominal error rate, above the nominal
// coverage: a discrete test cannot reach the nominal level).
void ExpectRate(int hits, int n, double nominal, bool one_sided, const std::string& what) {
  if (n < 100) return;
  const double rate = hits / double(n), tol = std::max(0.03, Bound(nominal, n));
  const bool coverage = nominal > 0.5;
  if (one_sided && coverage) EXPECT_GE(rate, nominal - tol) << what << ": " << hits << " of " << n;
  else if (one_sided) EXPECT_LE(rate, nominal + tol) << what << ": " << hits << " of " << n;
  else EXPECT_NEAR(rate, nominal, tol) << what << ": " << hits << " of " << n;
}

// Each KPI's rates against `nominal` (ExpectRate) once it has at least 100 comparisons, and prints
// them. A share or count with fewer than 10 events (or non-events) in its sparser arm on average is checked
// one-sided: with a handful of events no test without randomisation reaches the nominal level (two
// arms of 1,100 at 0.27% give Newcombe's interval a size of 3.0%, at 0.1% under 1%).
void ExpectRates(const std::vector<KpiCounts>& counts, double nominal, const char* what) {
  const auto& defs = models::CampaignKpiDefinitions();
  for (std::size_t k = 0; k < counts.size(); ++k) {
    const KpiCounts& c = counts[k];
    const bool sparse = c.abs_n > 0 && c.events / c.abs_n < 10;
    ExpectRate(c.abs_hits, c.abs_n, nominal, sparse, std::string(defs[k].name) + " abs");
    ExpectRate(c.rel_hits, c.rel_n, nominal, sparse, std::string(defs[k].name) + " rel");
    if (c.abs_n > 0)
      std::cout << "  " << what << " " << defs[k].name << " (" << c.events / c.abs_n << " events): abs " << c.abs_hits << "/" << c.abs_n << ", rel "
                << c.rel_hits << "/" << c.rel_n << (sparse ? " (sparse: one-sided)" : "") << "\n";
  }
}

// A/A: identical arms (three, so four sequential series: two primary KPIs x two arms). Over 400 seeds
// every KPI's fixed-horizon interval, absolute and relative, excludes 0 about 5% of the time (plain and
// CUPED); the sequential tests, Holm-adjusted over the series and looked at every day, decide in at
// most 5% of the seeds; naive daily peeking at the fixed-horizon p-value rejects far more often. No
// interval leaves its parameter's range.
TEST(Measurement, AATestsRejectAtTheNominalRate) {
  const int seeds = 400;
  int cuped = 0, sequential = 0, peeking = 0, out_of_range = 0;
  std::vector<KpiCounts> counts(models::kNumCampaignKpis);
  for (int s = 0; s < seeds; ++s) {
    const RunResult r = RunSeed(Config("\"b\", \"c\""), 1000 + s);
    const CampaignResult& c = r.campaigns[0];
    out_of_range += OutOfRange(c);
    for (const KpiRow& row : c.kpis) {
      if (row.arm != 1 || !row.has_comparison) continue;  // one comparison per seed: independent counts
      counts[row.kpi].Add(row, c.kpis[row.kpi * 3], !row.vs_control.abs.Covers(0),
                          std::isfinite(row.vs_control.rel.estimate) ? !row.vs_control.rel.Covers(0) : -1);
    }
    const KpiRow& rev = Row(c, "revenue_per_customer", 1);
    ASSERT_TRUE(rev.has_comparison && rev.has_cuped);
    cuped += rev.cuped.p_value < 0.05;
    bool decided = false, peeked = false;
    ASSERT_EQ(c.sequential.size(), 4u);
    for (const auto& q : c.sequential) decided |= q.decision_day >= 0, peeked |= q.naive_day >= 0;
    sequential += decided, peeking += peeked;
  }
  const double a = 0.05;
  EXPECT_EQ(out_of_range, 0);
  ExpectRates(counts, a, "A/A rejections");
  EXPECT_GE(counts[models::kRevenuePerCustomer].abs_n, seeds);
  EXPECT_NEAR(cuped / double(seeds), a, Bound(a, seeds)) << cuped << " of " << seeds;
  EXPECT_LE(sequential / double(seeds), a + Bound(a, seeds)) << sequential << " of " << seeds;
  EXPECT_GT(peeking / double(seeds), a + Bound(a, seeds)) << peeking << " of " << seeds;
  std::cout << "A/A over " << seeds << " seeds: CUPED " << cuped << ", sequential (any of 4 series, Holm) "
            << sequential << ", naive daily peeking (any series) " << peeking << " rejections\n";
}

// Coverage of every KPI's intervals (absolute and relative) of the oracle's true effect over many
// seeds, within the binomial bound of 95% (or +-3 points); `min_rows` per KPI before it is checked.
// Returns the counts.
std::vector<KpiCounts> Coverage(const std::string& config, int seeds, int first_seed, int& cuped_covered,
                                 int& cuped_n, int& out_of_range, std::function<void(const CampaignResult&)> more = {}) {
  std::vector<KpiCounts> counts(models::kNumCampaignKpis);
  for (int s = 0; s < seeds; ++s) {
    const RunResult r = RunSeed(config, first_seed + s, /*oracle=*/true);
    const CampaignResult& c = r.campaigns[0];
    out_of_range += OutOfRange(c);
    for (const KpiRow& row : c.kpis) {
      if (row.arm != 1) continue;
      if (row.covered >= 0) counts[row.kpi].Add(row, c.kpis[row.kpi * 2], row.covered, row.rel_covered);
      if (row.kpi == models::kRevenuePerCustomer && row.cuped_covered >= 0)
        cuped_covered += row.cuped_covered, ++cuped_n;
    }
    if (more) more(c);
  }
  return counts;
}

// A real effect: every KPI's 95% intervals, absolute and relative, cover the oracle's true effect
// (every customer replayed under each arm with the same draws) 95% of the time over 500 seeds.
TEST(Measurement, CIsCoverTheOraclesTrueEffect) {
  const int seeds = 500;
  int cuped_covered = 0, cuped_n = 0, seq_covered = 0, seq_n = 0, out_of_range = 0;
  double mean_effect = 0;
  const std::vector<KpiCounts> counts = Coverage(
      Config("{ name = \"b\", open = 0.6, goal = 1.0 }"), seeds, 5000, cuped_covered, cuped_n, out_of_range,
      [&](const CampaignResult& c) {
        mean_effect += Row(c, "repeat_purchase_rate", 1).true_effect / seeds;
        for (const auto& q : c.sequential)
          if (q.covered >= 0) seq_covered += q.covered, ++seq_n;
      });
  EXPECT_EQ(out_of_range, 0);
  ExpectRates(counts, 0.95, "coverage");
  for (const char* kpi : {"repeat_purchase_rate", "revenue_per_customer", "open_rate"})
    EXPECT_GE(counts[models::FindKpi(models::CampaignKpiDefinitions(), kpi)].rel_n, seeds) << kpi;
  EXPECT_GT(mean_effect, 0) << "the planted effect should raise repeat purchases";
  EXPECT_NEAR(cuped_covered / double(cuped_n), 0.95, 0.03) << cuped_covered << " of " << cuped_n;
  // A confidence sequence is wider than a fixed-horizon interval: at least 95% coverage.
  EXPECT_GE(seq_covered / double(seq_n), 0.95 - Bound(0.95, seq_n)) << seq_covered << " of " << seq_n;
  std::cout << "CUPED coverage " << cuped_covered << "/" << cuped_n << ", sequential " << seq_covered << "/" << seq_n
            << "\n";
}

// Power, fixed-horizon against sequential, on the same 300 runs of a real effect on the one primary
// KPI (opens: +0.5 on the logit). The always-valid test pays for looking every day: at its tightest
// point, n* = the realised entrants, its boundary is b = 3.04 standard errors against the fixed test's
// 1.96 (docs/statistics.md). Deciding on the last day alone it would have power
// Phi(Phi^-1(fixed power) + 1.96 - b); looking daily it can only do better, so that is the floor.
TEST(Measurement, SequentialPowerBesideFixed) {
  const int seeds = 300;
  int fixed = 0, sequential = 0;
  for (int s = 0; s < seeds; ++s) {
    const RunResult r = RunSeed(Config("{ name = \"b\", open = 0.5 }", 8000, "", R"(["open_rate"])"), 30000 + s);
    const CampaignResult& c = r.campaigns[0];
    ASSERT_EQ(c.sequential.size(), 1u);
    EXPECT_DOUBLE_EQ(c.sequential[0].n_star, static_cast<double>(c.arms[0].entered + c.arms[1].entered));
    fixed += Row(c, "open_rate", 1).p_holm < 0.05;
    sequential += c.sequential[0].decision_day >= 0 && c.sequential[0].decision > 0;
  }
  const double alpha = 0.05, c = -2 * std::log(alpha) + std::log(-2 * std::log(alpha) + 1);
  const double b = MixtureSequentialLook(0, 1, c, alpha).cs.high;  // at n = n*: tau^2 / var = c
  EXPECT_NEAR(b, 3.04, 0.01);
  const double power = fixed / double(seeds);
  ASSERT_GT(power, 0.3) << "the effect should be detectable";
  const double floor = NormalCdf(NormalQuantile(std::min(power, 0.999)) + NormalQuantile(1 - alpha / 2) - b);
  EXPECT_GE(sequential / double(seeds), floor - Bound(floor, seeds)) << sequential << " of " << seeds;
  EXPECT_LE(sequential, fixed + static_cast<int>(std::ceil(Bound(power, seeds) * seeds)));
  std::cout << "power over " << seeds << " runs: fixed-horizon " << fixed << ", sequential " << sequential
            << " (final-look floor " << floor * seeds << ")\n";
}

// Small arms (about 20 customers each): the score, Newcombe and log-ratio intervals still cover the
// truth at the nominal rate, and no interval leaves its range. Arms below 10 customers get no interval.
TEST(Measurement, SmallArmsCoverTheOraclesTrueEffect) {
  const int seeds = 600;
  int cuped_covered = 0, cuped_n = 0, out_of_range = 0;
  double entered = 0;
  const std::vector<KpiCounts> counts =
      Coverage(Config("{ name = \"b\", open = 0.6, goal = 1.0 }", 400), seeds, 20000, cuped_covered, cuped_n,
               out_of_range, [&](const CampaignResult& c) { entered += c.arms[1].entered / double(seeds); });
  EXPECT_EQ(out_of_range, 0);
  EXPECT_NEAR(entered, 20, 8) << "customers per arm";
  ExpectRates(counts, 0.95, "small-arm coverage");
  std::cout << "small arms: " << entered << " customers per arm on average\n";
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
