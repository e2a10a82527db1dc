// The HDF5 writer read back with lclab's own reader: the documented layout
// (root attributes, tables with their columns attribute, /daily arrays), the
// values of the results written, and no file at all when writing fails.
#include "experiments/report/hdf5_report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "../experiment_test_util.h"
#include "sim/error.h"
#include "sim/h5.h"
#include "test_util.h"

namespace lclab::experiments {
namespace {

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("lclab_report_" + std::to_string(getpid()) + "_" + name)).string();
}

struct Written {
  ExperimentConfig cfg = LoadConfigText(testing::kSmallWorld, "test.toml", {});
  RunResult result;
  std::string path = TempPath("run.h5");
  Written() {
    RunOptions ro;
    ro.threads = 2;
    ro.progress = sim::Progress::Mode::kNever;
    result = RunExperiment(cfg, ro);
    WriteResults(path, cfg, result, RunInfo{"lclab run test.toml", 2, false});
  }
  ~Written() { std::filesystem::remove(path); }
};

TEST(Hdf5Report, RootAttributesAndGroups) {
  const Written w;
  sim::H5Reader r(w.path);
  EXPECT_EQ(r.AttrString("/", "layout"), "lclab-output-7");
  EXPECT_EQ(r.AttrI64("/", "seed"), 3);
  EXPECT_EQ(r.AttrString("/", "config"), w.cfg.resolved_toml);
  EXPECT_EQ(r.AttrString("/", "command_line"), "lclab run test.toml");
  EXPECT_EQ(r.AttrStrings("/", "campaigns"), std::vector<std::string>{"post_purchase"});
  EXPECT_EQ(r.AttrI64("/", "population_size"), 20000);
  const auto datasets = r.ListDatasets();
  for (const char* ds : {"/channels/open_intercept", "/programme/groups/customers", "/programme/kpis/p_value",
                         "/campaigns/post_purchase/arms/entered", "/campaigns/post_purchase/kpis/cuped_abs_lift",
                         "/campaigns/post_purchase/factorial/truth", "/campaigns/post_purchase/sequential_daily/cs_low",
                         "/campaigns/post_purchase/send_hours/open_rate", "/daily/stage_counts", "/daily/oracle_opens"})
    EXPECT_TRUE(std::binary_search(datasets.begin(), datasets.end(), ds)) << ds;
}

TEST(Hdf5Report, TablesHoldTheResultsInColumnOrder) {
  const Written w;
  sim::H5Reader r(w.path);
  const std::string g = "/campaigns/post_purchase";
  const auto columns = r.AttrStrings(g + "/arms", "columns");
  ASSERT_GE(columns.size(), 40u);
  EXPECT_EQ(columns[0], "index");
  EXPECT_EQ(columns[1], "name");
  EXPECT_EQ(columns.back(), "oracle_opens");
  for (const auto& c : columns) EXPECT_EQ(r.Read(g + "/arms/" + c).dims, std::vector<std::uint64_t>{3}) << c;
  const CampaignResult& c = w.result.campaigns[0];
  EXPECT_EQ(r.Read(g + "/arms/name").strings, (std::vector<std::string>{"holdout", "plain", "bold"}));
  const auto entered = r.Read(g + "/arms/entered");
  EXPECT_EQ(entered.kind, sim::H5Reader::Kind::kInteger);
  for (int a = 0; a < 3; ++a) EXPECT_EQ(entered.numbers[a], static_cast<double>(c.arms[a].entered));
  // The KPI table: one row per KPI and arm, with the estimates and lifts of the results.
  const auto value = r.Read(g + "/kpis/value").numbers, lift = r.Read(g + "/kpis/abs_lift").numbers;
  ASSERT_EQ(value.size(), c.kpis.size());
  for (std::size_t j = 0; j < c.kpis.size(); ++j) {
    const KpiRow& row = c.kpis[j];
    if (std::isfinite(row.estimate.estimate)) {
      EXPECT_EQ(value[j], row.estimate.estimate) << j;
    }
    if (row.has_comparison) {
      EXPECT_EQ(lift[j], row.vs_control.abs.estimate) << j;
    } else {
      EXPECT_TRUE(std::isnan(lift[j])) << j;
    }
  }
  EXPECT_EQ(r.AttrStrings(g + "/kpis", "primary"),
            (std::vector<std::string>{"repeat_purchase_rate", "revenue_per_customer"}));
  EXPECT_EQ(r.AttrF64(g + "/kpis", "confidence"), 0.95);
  // The daily arrays: days x groups x stages, adding up to the population every day.
  const auto stages = r.Read("/daily/stage_counts");
  EXPECT_EQ(stages.dims, (std::vector<std::uint64_t>{50, 2, models::kNumStages}));
  double day0 = 0;
  for (int k = 0; k < 2 * models::kNumStages; ++k) day0 += stages.numbers[k];
  EXPECT_EQ(day0, 20000);
}

TEST(Hdf5Report, FailureLeavesNoFile) {
  const Written w;
  const std::string bad = "/nonexistent-dir-lclab/run.h5";
  EXPECT_THROW(WriteResults(bad, w.cfg, w.result, RunInfo{}), sim::RuntimeError);
  EXPECT_FALSE(std::filesystem::exists(bad));
}

}  // namespace
}  // namespace lclab::experiments
