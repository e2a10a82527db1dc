// The text summary of a small run: every section in order, the headline KPIs
// (all of them with --summary full), and the programme against its control.
#include "experiments/report/text_summary.h"

#include <gtest/gtest.h>

#include <sstream>

#include "../experiment_test_util.h"
#include "test_util.h"

namespace lclab::experiments {
namespace {

std::string Summary(const ExperimentConfig& cfg, const RunResult& r, bool full) {
  std::ostringstream os;
  PrintSummary(os, cfg, r, RunInfo{"test", 2, full});
  return os.str();
}

TEST(TextSummary, SectionsInOrder) {
  const ExperimentConfig cfg = LoadConfigText(testing::kSmallWorld, "test.toml", {});
  const RunResult r = lclab::testing::RunText(testing::kSmallWorld);
  const std::string s = Summary(cfg, r, false);
  std::size_t at = 0;
  for (const char* part : {"seed 3", "20,000 customers x 50 days (20 warm-up + 30 in the window)",
                           "=== Campaign 1/1 \"post_purchase\": trigger purchase, goal repeat_purchase",
                           "incr. net revenue [95% CI]", "KPIs over entered customers; lift against \"holdout\"",
                           "repeat_purchase_rate", "Factorial effects", "copy=bold", "Decision (lift against",
                           "primary kpi", "Sample ratio (entered)", "Best variant by repeat_purchase_rate",
                           "=== Programme: 1 campaign; global control 10.0%", "Decision (programme against global control)",
                           "Sample ratio (global control)", "(latent) = the simulator's truth"}) {
    const std::size_t found = s.find(part, at);
    ASSERT_NE(found, std::string::npos) << part << "\n" << s;
    at = found;
  }
  EXPECT_EQ(s.find("alive_rate"), std::string::npos);  // not a headline KPI
  EXPECT_NE(Summary(cfg, r, true).find("alive_rate (latent)"), std::string::npos);
}

TEST(TextSummary, NoGlobalControlSaysSo) {
  const ExperimentConfig cfg = LoadConfigText(testing::kSmallWorld, "test.toml", {"programme.global_control=0"});
  const RunResult r = lclab::testing::RunText(testing::kSmallWorld, {"programme.global_control=0"});
  EXPECT_NE(Summary(cfg, r, false).find("no global control group"), std::string::npos);
}

}  // namespace
}  // namespace lclab::experiments
