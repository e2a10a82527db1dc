// Send-time policies end to end (issue bars): with identical activity
// profiles the sensible policies tie; with heterogeneous profiles and time
// zones a per-customer learned hour beats a fixed hour and approaches the
// oracle as history grows; no delivery ever lands in quiet hours; results do
// not depend on the thread count. Fixed seeds; comparisons are z-tests at
// |z| = 3.29 (two-sided 0.1%), so each fails by chance with probability about
// 0.001, never thresholds tuned to a printout.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "experiments/config/config.h"
#include "experiments/runner.h"
#include "experiments/config/error.h"

namespace lclab::experiments {
namespace {

constexpr double kZ = 3.29;

RunResult RunConfig(const std::string& text, int threads = 2) {
  const ExperimentConfig cfg = LoadConfigText(text, "test.toml", {});
  RunOptions ro;
  ro.threads = threads;
  ro.progress = sim::Progress::Mode::kNever;
  return RunExperiment(cfg, ro);
}

const ArmResult& Arm(const CampaignResult& c, const std::string& name) {
  for (const auto& a : c.arms)
    if (a.name == name) return a;
  throw std::runtime_error("no arm " + name);
}

// z statistic of p1 - p2 for two independent proportions x1/n1, x2/n2 (pooled).
double ZProportions(double x1, double n1, double x2, double n2) {
  const double p = (x1 + x2) / (n1 + n2);
  return (x1 / n1 - x2 / n2) / std::sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
}

// Sums a cell's daily counts over window days [from, to] (0 = the window's first day).
struct Span {
  double sends = 0, near_best = 0, expected = 0, oracle = 0;
};
Span SpanOf(const RunResult& r, const ExperimentConfig& cfg, int cell, int from, int to) {
  Span s;
  for (int d = cfg.clock.window_start() + from; d <= cfg.clock.window_start() + to; ++d) {
    const auto& x = r.daily[d].cells[cell];
    s.sends += static_cast<double>(x.sends), s.near_best += static_cast<double>(x.near_best);
    s.expected += x.expected_opens, s.oracle += x.oracle_opens;
  }
  return s;
}

// Customers (acquisition: free-trial readers) who get a daily push under several policies.
std::string DailyPush(const std::string& population, const std::string& levels, int days, int warmup,
                      const std::string& response = "") {
  return R"(
[simulation]
seed = 4040
warmup_days = )" + std::to_string(warmup) + R"(
days = )" + std::to_string(days) + R"(

[population]
size = 120000
initial = { prospect = 0, reach = 0, acquisition = 1, customer = 0 }
)" + population + R"(

[web.visit]
acquisition = 0.3

[response]
fatigue_mean = 0
unsubscribe_fatigue = 0
)" + response + R"(

[[campaigns]]
name = "push"
trigger = "schedule"
every_days = 1
max_sends = 200
goal = "first_purchase"
goal_rate = 0.01
channel = "push"
holdout = false

[campaigns.audience]
stages = ["acquisition"]

[[campaigns.factors]]
name = "send_time"
levels = [)" + levels + R"(]
)";
}

// Everyone has the same activity profile (peak 08:00, kappa 1.5) in one zone,
// and weekends are like weekdays: per-customer policies have nothing to learn,
// so learning, the oracle and a fixed 08:00 tie.
TEST(SendTimePolicies, IdenticalProfilesTie) {
  const std::string population = R"(
[population.time_zones]
offsets = [0]
weights = [1]

[[population.personas]]
name = "same"
first_purchase_rate = 0.0
chronotypes = { morning = 1, midday = 0, evening = 0 }
opt_in = { push = 1 }
)";
  const std::string response = R"(
peak_sd_hours = 0
kappa_mean = 1.5
kappa_shape = 1e9
weekend_shift_hours = 0
)";
  const std::string text = DailyPush(population,
                               R"({ name = "fixed_8", send_policy = "local_hour", send_hour = 8 },
  { name = "learned", send_policy = "learned" }, { name = "oracle", send_policy = "oracle" })",
                               30, 30, response);
  const RunResult r = RunConfig(text);
  const auto& c = r.campaigns[0];
  const auto &fixed = Arm(c, "fixed_8"), &learned = Arm(c, "learned"), &oracle = Arm(c, "oracle");
  ASSERT_GT(fixed.deliveries, 500000);
  for (const ArmResult* a : {&fixed, &learned, &oracle}) {
    // Every policy lands on the common best hour: no regret, everyone within 1 h of it.
    EXPECT_LT(a->oracle_opens - a->expected_opens, 1e-3 * a->oracle_opens) << a->name;
    EXPECT_EQ(a->near_best, a->sends) << a->name;
  }
  const double z1 = ZProportions(learned.opens, learned.deliveries, fixed.opens, fixed.deliveries);
  const double z2 = ZProportions(oracle.opens, oracle.deliveries, fixed.opens, fixed.deliveries);
  EXPECT_LT(std::abs(z1), kZ) << "learned vs fixed";
  EXPECT_LT(std::abs(z2), kZ) << "oracle vs fixed";
}

// Chronotypes, a 1.5 h sd of peaks, six time zones and a weekend shift, with no
// warm-up history: the learned hour starts at the audience's hour and improves.
TEST(SendTimePolicies, LearnedBeatsFixedAndApproachesTheOracle) {
  const std::string text = DailyPush(R"(
[[population.personas]]
name = "mixed"
first_purchase_rate = 0.0
opt_in = { push = 1 }
)",
                                     R"({ name = "fixed_8", send_policy = "local_hour", send_hour = 8 },
  { name = "learned", send_policy = "learned" }, { name = "thompson", send_policy = "thompson" },
  { name = "oracle", send_policy = "oracle" })",
                                     42, 0);
  const ExperimentConfig cfg = LoadConfigText(text, "test.toml", {});
  const RunResult r = RunConfig(text);
  const auto& c = r.campaigns[0];
  const auto &fixed = Arm(c, "fixed_8"), &learned = Arm(c, "learned"), &thompson = Arm(c, "thompson"),
             &oracle = Arm(c, "oracle");
  // Learned (and Thompson) open more than a fixed hour; the oracle opens most.
  EXPECT_GT(ZProportions(learned.opens, learned.deliveries, fixed.opens, fixed.deliveries), kZ);
  EXPECT_GT(ZProportions(thompson.opens, thompson.deliveries, fixed.opens, fixed.deliveries), kZ);
  EXPECT_GT(ZProportions(oracle.opens, oracle.deliveries, learned.opens, learned.deliveries), kZ);
  // As history grows, more of the learned hours are within 1 h of the truth ...
  const int learned_cell = 1, thompson_cell = 2;
  for (const int cell : {learned_cell, thompson_cell}) {
    const Span early = SpanOf(r, cfg, cell, 0, 6), late = SpanOf(r, cfg, cell, 28, 41);
    EXPECT_GT(ZProportions(late.near_best, late.sends, early.near_best, early.sends), kZ) << "cell " << cell;
    // ... and the expected opens lost against the oracle fall.
    EXPECT_LT((late.oracle - late.expected) / late.oracle, 0.8 * (early.oracle - early.expected) / early.oracle)
        << "cell " << cell;
  }
  // Late in the run the learned hour loses less than a third of what the fixed hour loses.
  const Span lf = SpanOf(r, cfg, 0, 28, 41), ll = SpanOf(r, cfg, learned_cell, 28, 41);
  EXPECT_LT((ll.oracle - ll.expected) / ll.oracle, (lf.oracle - lf.expected) / lf.oracle / 3);
  EXPECT_NEAR(oracle.expected_opens, oracle.oracle_opens, 1e-6 * oracle.oracle_opens);
}

// Every policy that can pick any hour, six zones, quiet hours 21:00-08:00 local
// and a delivery window in UTC-5: not one of ~2.6M deliveries lands in quiet hours.
TEST(SendTimePolicies, NoDeliveryInQuietHours) {
  const std::string text = R"(
[simulation]
seed = 77
warmup_days = 14
days = 14

[population]
size = 200000
initial = { prospect = 0, reach = 0, acquisition = 0, customer = 1 }

[[population.personas]]
name = "all"
opt_in = { email = 1, push = 1, sms = 1 }

[web.visit]
conversion = 0.3
retention = 0.3
loyalty = 0.3

[[campaigns]]
name = "daily"
trigger = "schedule"
every_days = 1
max_sends = 100
goal = "repeat_purchase"
channel = "push"
holdout = false
quiet_hours = [21, 8]
send_zone = -5
delivery_window = [6, 23]

[[campaigns.factors]]
name = "policy"
levels = [
  { name = "zone_22", send_policy = "zone_hour", send_hour = 22 },
  { name = "local_3", send_policy = "local_hour", send_hour = 3 },
  { name = "random", send_policy = "random" },
  { name = "explore", send_policy = "audience_explore" },
  { name = "learned", send_policy = "learned" },
  { name = "thompson", send_policy = "thompson" },
  { name = "oracle", send_policy = "oracle" },
]

[[campaigns]]
name = "sms_evening"
trigger = "schedule"
every_days = 2
max_sends = 100
goal = "repeat_purchase"
channel = "sms"
send_hour = 23
quiet_hours = [20, 9]
)";
  const RunResult r = RunConfig(text);
  std::int64_t total = 0, deferred = 0;
  const int quiet[2][2] = {{21, 8}, {20, 9}};
  for (std::size_t c = 0; c < r.campaigns.size(); ++c)
    for (const auto& a : r.campaigns[c].arms) {
      for (int h = 0; h < 24; ++h) {
        total += a.hour_deliveries[h];
        if (models::InHourRange(h, quiet[c][0], quiet[c][1])) {
          EXPECT_EQ(a.hour_deliveries[h], 0) << r.campaigns[c].arms[0].name << " " << a.name << " at " << h;
        }
      }
      deferred += a.deferred;
    }
  EXPECT_GT(total, 2000000);
  EXPECT_GT(deferred, 500000);  // the constraints were exercised
}

TEST(SendTimePolicies, ResultsDoNotDependOnThreads) {
  std::string text = DailyPush(R"(
[[population.personas]]
name = "mixed"
first_purchase_rate = 0.002
opt_in = { push = 1 }
)",
                               R"({ name = "explore", send_policy = "audience_explore" },
  { name = "learned", send_policy = "learned" }, { name = "thompson", send_policy = "thompson" },
  { name = "random", send_policy = "random" })",
                               15, 5);
  text.replace(text.find("size = 120000"), 13, "size = 30000");
  const RunResult a = RunConfig(text, 1), b = RunConfig(text, 3);
  ASSERT_EQ(a.daily.size(), b.daily.size());
  for (std::size_t d = 0; d < a.daily.size(); ++d) {
    EXPECT_EQ(a.daily[d].hours, b.daily[d].hours) << "day " << d;
    EXPECT_EQ(a.daily[d].event_hours, b.daily[d].event_hours) << "day " << d;
    for (std::size_t c = 0; c < a.daily[d].cells.size(); ++c) {
      EXPECT_EQ(a.daily[d].cells[c].near_best, b.daily[d].cells[c].near_best);
      EXPECT_EQ(a.daily[d].cells[c].opens, b.daily[d].cells[c].opens);
      EXPECT_EQ(a.daily[d].cells[c].expected_opens, b.daily[d].cells[c].expected_opens);
    }
  }
}


}  // namespace
}  // namespace lclab::experiments
