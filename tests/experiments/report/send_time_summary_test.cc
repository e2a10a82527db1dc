// The send-time tables: shown only for a campaign whose arms differ in send
// time (or that has constraints), with regret against the oracle and the open
// rate by local delivery hour.
#include <gtest/gtest.h>

#include <sstream>

#include "experiments/report/summary_parts.h"
#include "test_util.h"

namespace lclab::experiments {
namespace {

const char* kTwoPolicies = R"(
[simulation]
warmup_days = 10
days = 14

[population]
size = 20000
initial = { prospect = 0, reach = 0, acquisition = 0, customer = 1 }

[[campaigns]]
name = "morning"
trigger = "schedule"
every_days = 1
goal = "repeat_purchase"
holdout = false
quiet_hours = [22, 7]

[[campaigns.factors]]
name = "timing"
levels = [{ name = "nine", send_hour = 9 }, { name = "oracle", send_policy = "oracle" }]
)";

TEST(SendTimeSummary, ShownForSendTimeStudies) {
  const ExperimentConfig cfg = LoadConfigText(kTwoPolicies, "test.toml", {});
  EXPECT_TRUE(HasSendTimeStudy(cfg.campaigns[0]));
  const ExperimentConfig plain = LoadConfigText(kTwoPolicies, "test.toml",
                                                {"campaigns[0].quiet_hours=[]", "campaigns[0].factors[0].levels[1].send_policy=local_hour",
                                                 "campaigns[0].factors[0].levels[1].send_hour=9"});
  EXPECT_FALSE(HasSendTimeStudy(plain.campaigns[0]));
  const RunResult r = lclab::testing::RunText(kTwoPolicies);
  std::ostringstream os;
  PrintSendTime(os, cfg, r, 0);
  const std::string s = os.str();
  EXPECT_NE(s.find("quiet hours 22:00-7:00 local"), std::string::npos) << s;
  EXPECT_NE(s.find("local_hour 9:00"), std::string::npos) << s;
  EXPECT_NE(s.find("regret /1k"), std::string::npos);
  EXPECT_NE(s.find("Open rate by local delivery hour"), std::string::npos);
  // The oracle arm's regret against itself is zero.
  EXPECT_NE(s.find("oracle  oracle "), std::string::npos) << s;
  const ArmResult& oracle = r.campaigns[0].arms[1];
  EXPECT_NEAR(oracle.oracle_opens, oracle.expected_opens, 1e-6 * oracle.oracle_opens);
  EXPECT_GT(r.campaigns[0].arms[0].oracle_opens, r.campaigns[0].arms[0].expected_opens);
}

}  // namespace
}  // namespace lclab::experiments
