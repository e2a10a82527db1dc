// The study summary from hand-made records: the leaderboard's paired
// difference against values computed by hand, wins, regret, the variance
// pairing removed, and the audit's rates.
#include "experiments/study/study_summary.h"

#include <gtest/gtest.h>

#include <cmath>

namespace lclab::experiments {
namespace {

// Two strategies, one scenario and point, four replications; objective values per strategy.
struct Fixture {
  StudyConfig study;
  StudyPlan plan;
  std::vector<RunRecord> records;
  Fixture(const std::vector<double>& a, const std::vector<double>& b) {
    study.strategies = {{"base", {}}, {"new", {}}};
    study.scenarios = {{"default", {}}};
    study.replications = static_cast<int>(a.size());
    study.collect = {1};
    plan.points = {{}};
    plan.cells = {{0, 0, 0, "", 0, 0}, {1, 0, 0, "", 0, 0}};
    for (int r = 0; r < study.replications; ++r)
      for (int c = 0; c < 2; ++c) {
        PlannedRun run;
        run.index = static_cast<int>(plan.runs.size()), run.cell = c, run.replication = r;
        run.id = std::to_string(run.index);
        plan.runs.push_back(run);
        RunRecord rec;
        rec.id = run.id, rec.ok = true, rec.metrics = {c == 0 ? a[r] : b[r]};
        records.push_back(rec);
      }
  }
};

TEST(StudySummary, PairedDifferenceByHand) {
  Fixture f({10, 12, 11, 13}, {11, 13.5, 11.5, 14});
  const StudySummary s = Summarise(f.study, f.plan, f.records);
  ASSERT_EQ(s.leaderboard.size(), 2u);
  const LeaderRow& row = s.leaderboard[1];
  // Differences 1, 1.5, 0.5, 1: mean 1, sd sqrt(0.5 / 3), t(0.975; 3) = 3.182446.
  const double se = std::sqrt(0.5 / 3) / 2;
  EXPECT_DOUBLE_EQ(row.difference.estimate, 1.0);
  EXPECT_NEAR(row.difference.se, se, 1e-12);
  EXPECT_NEAR(row.difference.low, 1 - 3.182446 * se, 1e-6);
  EXPECT_NEAR(row.p_value, 0.0162766, 1e-6);  // two-sided t = 4.899 on 3 df
  // Unpaired: sqrt((var a + var b) / 4) = sqrt((5/3 + 13/6) / 4).
  EXPECT_NEAR(row.se_unpaired, 0.978945, 1e-6);
  EXPECT_NEAR(row.variance_reduction, 1 - se * se / (0.978945 * 0.978945), 1e-6);
  EXPECT_DOUBLE_EQ(row.win_share, 1.0);
  EXPECT_DOUBLE_EQ(s.leaderboard[0].win_share, 0.0);
  EXPECT_DOUBLE_EQ(s.leaderboard[0].regret, 1.0);  // the best mean (12.5) minus its own (11.5)
  EXPECT_DOUBLE_EQ(row.regret, 0.0);
  EXPECT_EQ(row.n, 4);
  EXPECT_DOUBLE_EQ(row.objective.estimate, 12.5);
  // Lower is better: the difference is counted in the better direction.
  f.study.higher_is_better = false;
  EXPECT_DOUBLE_EQ(Summarise(f.study, f.plan, f.records).leaderboard[1].difference.estimate, -1.0);
}

TEST(StudySummary, FailuresAndTiesAreCounted) {
  Fixture f({1, 2, 3}, {1, 2, 5});
  f.records[5].ok = false, f.records[5].error = "boom";  // strategy 1, replication 2
  const StudySummary s = Summarise(f.study, f.plan, f.records);
  EXPECT_EQ(s.failed, 1);
  ASSERT_EQ(s.failures.size(), 1u);
  EXPECT_NE(s.failures[0].find("replication 2: boom"), std::string::npos);
  EXPECT_EQ(s.leaderboard[1].n, 2);
  EXPECT_EQ(s.leaderboard[1].failed, 1);
  EXPECT_DOUBLE_EQ(s.leaderboard[1].win_share, 0.5);  // two ties, shared
}

TEST(StudySummary, AuditRates) {
  Fixture f({1, 2, 3, 4}, {1, 2, 3, 4});
  // Strategy 1's comparison: true effect 0.01 each time; significant twice, once with the wrong sign;
  // the interval misses the truth once.
  const double est[] = {0.02, -0.015, 0.005, 0.012};
  const int decision[] = {1, -1, 0, 0};
  for (int r = 0; r < 4; ++r)
    f.records[2 * r + 1].audit.push_back(
        {"c", 0, "b", 0, est[r], est[r] - 0.01, est[r] + 0.01, 0.1, decision[r], 0.01});
  const StudySummary s = Summarise(f.study, f.plan, f.records);
  ASSERT_EQ(s.audit.size(), 1u);
  const AuditRow& a = s.audit[0];
  EXPECT_FALSE(a.null_effect);
  EXPECT_EQ(a.significant.hits, 1);  // power: significant with the right sign
  EXPECT_EQ(a.wrong_sign.hits, 1);
  EXPECT_EQ(a.wrong_sign.n, 2);
  EXPECT_EQ(a.covered.hits, 3);  // -0.015 +- 0.01 misses 0.01
  EXPECT_NEAR(a.bias, (0.02 - 0.015 + 0.005 + 0.012) / 4 - 0.01, 1e-15);
  EXPECT_NEAR(a.exaggeration, (2.0 + 1.5) / 2, 1e-12);
}

}  // namespace
}  // namespace lclab::experiments
