// The oracle's replays: common random numbers in the recorded environment.
#include "experiments/oracle.h"

#include <gtest/gtest.h>

#include <cmath>

#include "measurement_util.h"

namespace lclab::experiments {
namespace {

using namespace testing;

// The oracle's replays use common random numbers in the recorded environment: with identical arms
// every replay is the same simulation, so every true effect is exactly zero.
TEST(Measurement, OracleTruthOfAnAATestIsExactlyZero) {
  const RunResult r = RunSeed(Config("\"b\""), 7, /*oracle=*/true);
  int checked = 0;
  for (const auto& row : r.campaigns[0].kpis) {
    if (row.arm == 0 || !std::isfinite(row.true_value)) continue;
    EXPECT_EQ(row.true_effect, 0.0) << models::CampaignKpiDefinitions()[row.kpi].name;
    ++checked;
  }
  EXPECT_GT(checked, 10);
}
}  // namespace
}  // namespace lclab::experiments
