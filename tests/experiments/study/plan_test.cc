// A study's plan: cells, seeds shared across strategies and scenarios and
// distinct across replications, run ids (equal configs run once), axes, and
// the bad inputs refused before any run.
#include "experiments/study/plan.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <set>

#include "study_test_util.h"

namespace lclab::experiments {
namespace {

using testing::StudyFiles;

TEST(StudyPlan, SeedsArePairedAcrossCellsAndDistinctAcrossReplications) {
  StudyFiles f("seeds");
  const StudyConfig s = LoadStudy(f.Study(), {});
  const StudyPlan plan = PlanStudy(s);
  // 2 strategies x 2 scenarios x 2 points x 3 replications.
  ASSERT_EQ(plan.cells.size(), 8u);
  ASSERT_EQ(plan.runs.size(), 24u);
  std::set<std::uint64_t> seeds;
  for (const PlannedRun& r : plan.runs) {
    EXPECT_EQ(r.seed, ReplicationSeed(5, r.replication));  // the same for every cell of a replication
    EXPECT_LT(r.seed, std::uint64_t{1} << 53);
    seeds.insert(r.seed);
  }
  EXPECT_EQ(seeds.size(), 3u);
  EXPECT_NE(ReplicationSeed(6, 0), ReplicationSeed(5, 0));
  // Replication-major: the first 8 runs are replication 0 of every cell.
  for (int i = 0; i < 8; ++i) EXPECT_EQ(plan.runs[i].replication, 0);
  // The axis does not touch "none": its two points are one config, so one run each replication.
  EXPECT_EQ(plan.distinct_runs, 3 * (2 * 2 + 2));
  const int none_p0 = plan.Cell(0, 0, 0, 2, 2), none_p1 = plan.Cell(0, 0, 1, 2, 2);
  EXPECT_EQ(plan.cells[none_p0].resolved_toml, plan.cells[none_p1].resolved_toml);
  EXPECT_EQ(plan.runs[none_p0].id, plan.runs[none_p1].id);
  const int promo_p0 = plan.Cell(1, 0, 0, 2, 2), promo_p1 = plan.Cell(1, 0, 1, 2, 2);
  EXPECT_NE(plan.runs[promo_p0].id, plan.runs[promo_p1].id);
  EXPECT_NE(plan.cells[promo_p1].resolved_toml.find("incentive_value = 0.3"), std::string::npos);
  // The run's config has the replication's seed and the cell's overrides.
  const ExperimentConfig cfg = RunConfig(s, plan, plan.runs[plan.Cell(1, 1, 1, 2, 2)]);
  EXPECT_EQ(cfg.seed, ReplicationSeed(5, 0));
  EXPECT_EQ(cfg.population_size, 3000u);
  ASSERT_EQ(cfg.campaigns.size(), 1u);
  EXPECT_EQ(cfg.campaigns[0].arms.size(), 1u);
  // Another study seed: other seeds, another plan hash.
  const StudyPlan other = PlanStudy(LoadStudy(f.Study(), {"study.seed=6"}));
  EXPECT_NE(other.hash, plan.hash);
  EXPECT_NE(other.runs[0].seed, plan.runs[0].seed);
}

TEST(StudyPlan, AxesCrossZipGridAndSamples) {
  StudyFiles f("axes");
  const std::string two = R"(
[[study.axes]]
name = "size"
key = "population.size"
first = 1000
step = 500
last = 2000
)";
  StudyPlan crossed = PlanStudy(LoadStudy(f.Study("", two), {}));
  EXPECT_EQ(crossed.points.size(), 2u * 3u);
  EXPECT_THROW(LoadStudy(f.Study("axes_mode = \"zip\"", two), {}), ConfigError);  // 2 and 3 points
  // A grid of floats keeps its round values; a Latin hypercube puts one draw in each stratum.
  const StudyConfig lhs = LoadStudy(f.Study("", R"(
[[study.axes]]
name = "rate"
key = "purchase.r"
sample = "uniform"
low = 0.2
high = 0.4
points = 8
method = "latin_hypercube"
)"),
                                    {});
  const StudyAxis& a = lhs.axes[1];
  ASSERT_EQ(a.values.size(), 8u);
  std::vector<int> strata(8, 0);
  for (const auto& v : a.numbers) {
    ASSERT_GE(v[0], 0.2);
    ASSERT_LT(v[0], 0.4);
    ++strata[static_cast<int>((v[0] - 0.2) / 0.025)];
  }
  for (int s : strata) EXPECT_EQ(s, 1);
  const StudyConfig grid = LoadStudy(f.Study("", R"(
[[study.axes]]
name = "rate"
key = "purchase.r"
first = 0.1
step = 0.05
last = 0.3
)"),
                                     {});
  EXPECT_EQ(grid.axes[1].values.size(), 5u);
  EXPECT_EQ(grid.axes[1].values[3][0], "0.25");
}

// Every bad input exits 2 before a run, naming the study file (or option), the key and the value.
TEST(StudyPlan, BadInputsNameTheKey) {
  StudyFiles f("bad");
  auto error = [&](const std::string& extra, const std::string& tail = "", std::vector<std::string> sets = {}) {
    return StudyFiles::ErrorOf([&] { PlanStudy(LoadStudy(f.Study(extra, tail), sets)); });
  };
  auto has = [](const std::string& msg, const std::string& part) {
    EXPECT_NE(msg.find(part), std::string::npos) << msg;
  };
  has(error("", "", {"study.replications=0"}),
      "--set study.replications: study.replications = 0 (expected an integer in [1, 100000])");
  has(error("baseline2 = 1"), "unknown key study.baseline2 = 1");
  has(error("", "[[study.strategies]]\nname = \"promo\"\n"),
      "study.strategies[2].name = \"promo\" (expected a name not used by another strategy)");
  has(StudyFiles::ErrorOf([&] { LoadStudy(f.Study(), {"study.baseline=\"nobody\""}); }),
      "study.baseline = \"nobody\" (expected a strategy name: none, promo)");
  has(error("", "[[study.axes]]\nkey = \"population.sise\"\nvalues = [1, 2]\nstrategies = [\"none\"]\nspeed = 3\n"),
      "unknown key study.axes[1].speed = 3");
  has(error("", "[[study.axes]]\nkey = \"population.sise\"\nvalues = [1, 2]\n"),
      "study.toml: study.axes[1] \"population.sise\" population.sise: unknown key population.sise = 1");
  has(error("", "[[study.axes]]\nkey = \"purchase.r\"\nsample = \"uniform\"\nlow = 0.5\nhigh = 0.5\n"),
      "study.axes[1].high = 0.5 (expected a number > low = 0.5 (the range must not be empty))");
  has(error("", "[[study.axes]]\nkey = \"purchase.r\"\nvalues = []\n"), "study.axes[1].values = []");
  has(error("", "[[study.scenarios]]\nname = \"x\"\nset = { \"campaigns[3].name\" = \"y\" }\n"),
      "study.scenarios[2] \"x\" set campaigns[3].name=\"y\": campaigns[3] does not exist");
  has(error("objective = \"open_rate\""), "study.objective = \"open_rate\" (expected one of revenue_per_customer,");
  has(error("", "", {"population.size=-4"}), "--set population.size: population.size = -4");
  has(StudyFiles::ErrorOf([&] { LoadStudy(f.Path("missing.toml"), {}); }), "missing.toml: no such file");
}

}  // namespace
}  // namespace lclab::experiments
