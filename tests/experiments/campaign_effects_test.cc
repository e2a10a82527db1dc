// Campaign behaviour the issue's bars name, run end to end with known truth:
// planted factor effects are recovered by the factorial analysis, frequency
// raises fatigue and unsubscribes, and a discount can raise conversion while
// lowering net revenue. Fixed seeds; tolerances are the analysis's own
// intervals at a 99.9% confidence level (so each check fails by chance with
// probability about 0.001), never values tuned to a printout.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "experiments/config/config.h"
#include "experiments/runner.h"

namespace lclab::experiments {
namespace {

// Everyone is a customer at day 0, so a scheduled campaign reaches them all on the window's first day.
const std::string kCustomers = R"(
[simulation]
seed = 2026
warmup_days = 0
days = 2

[population]
size = 200000
initial = { prospect = 0, reach = 0, acquisition = 0, customer = 1 }

[programme]
confidence = 0.999
)";

RunResult RunConfig(const std::string& text, const std::vector<std::string>& sets = {}) {
  const ExperimentConfig cfg = LoadConfigText(text, "test.toml", sets);
  RunOptions ro;
  ro.threads = 2;
  ro.progress = sim::Progress::Mode::kNever;
  return RunExperiment(cfg, ro);
}

const FactorialOutcome& Outcome(const CampaignResult& c, const std::string& name) {
  for (const auto& f : c.factorial)
    if (f.name == name) return f;
  throw std::runtime_error("no outcome " + name);
}

const TermEstimate& Term(const CampaignResult& c, const FactorialOutcome& o, const std::string& term) {
  for (std::size_t j = 0; j < c.model.terms.size(); ++j)
    if (c.model.terms[j].name == term) return o.fit.terms[j];
  throw std::runtime_error("no term " + term);
}

const KpiRow& Kpi(const CampaignResult& c, const std::string& kpi, const std::string& arm) {
  const auto& defs = models::CampaignKpiDefinitions();
  for (const auto& r : c.kpis)
    if (defs[r.kpi].name == kpi && c.arms[r.arm].name == arm) return r;
  throw std::runtime_error("no kpi " + kpi + " for " + arm);
}

// A 2x2 factorial with a planted main effect and interaction on the open and
// click logits. Heterogeneity is switched off (rho, activity, fatigue), so the
// population-average effects the regression estimates equal the planted ones.
TEST(Campaign, FactorialRecoversPlantedMainEffectAndInteraction) {
  const RunResult r = RunConfig(kCustomers + R"(
[response]
responsiveness_sd = 0
activity_weight = 0
fatigue_mean = 0

[[campaigns]]
name = "mvt"
trigger = "schedule"
goal = "repeat_purchase"
max_sends = 1
holdout = false

[[campaigns.factors]]
name = "tone"
levels = ["plain", { name = "urgent", open = 0.30 }]

[[campaigns.factors]]
name = "length"
levels = ["long", { name = "short", click = 0.40 }]

[[campaigns.interactions]]
levels = ["tone.urgent", "length.short"]
open = -0.25
click = 0.50
)");
  const CampaignResult& c = r.campaigns[0];
  ASSERT_EQ(c.arms.size(), 4u);
  ASSERT_EQ(c.model.terms.size(), 3u);  // two main effects and their interaction
  struct Check {
    const char* outcome;
    const char* term;
    double planted;
  };
  for (const Check& k : {Check{"open", "tone=urgent", 0.30}, Check{"open", "length=short", 0.0},
                         Check{"open", "tone=urgent x length=short", -0.25}, Check{"click_given_open", "tone=urgent", 0.0},
                         Check{"click_given_open", "length=short", 0.40},
                         Check{"click_given_open", "tone=urgent x length=short", 0.50}}) {
    const FactorialOutcome& o = Outcome(c, k.outcome);
    ASSERT_TRUE(o.fit.ok) << k.outcome;
    const TermEstimate& t = Term(c, o, k.term);
    EXPECT_NEAR(t.truth, k.planted, 1e-6) << k.outcome << " " << k.term;  // the reported truth is the config's
    EXPECT_LE(t.effect.low, k.planted) << k.outcome << " " << k.term << " estimate " << t.effect.estimate;
    EXPECT_GE(t.effect.high, k.planted) << k.outcome << " " << k.term << " estimate " << t.effect.estimate;
    if (k.planted != 0) {
      EXPECT_TRUE(t.effect.low > 0 || t.effect.high < 0) << "no power for " << k.outcome << " " << k.term;
    }
  }
}

// Daily sends against weekly ones: higher fatigue at each send, a higher
// unsubscribe rate per message, and more customers unsubscribing.
TEST(Campaign, FrequencyRaisesFatigueAndUnsubscribes) {
  const RunResult r = RunConfig(kCustomers + R"(
[[campaigns]]
name = "newsletter"
trigger = "schedule"
goal = "repeat_purchase"
max_sends = 60
holdout = false

[[campaigns.factors]]
name = "cadence"
levels = [{ name = "weekly", every_days = 7 }, { name = "daily", every_days = 1 }]
)", {"population.size=60000", "simulation.days=28"});
  const CampaignResult& c = r.campaigns[0];
  const ArmResult& weekly = c.arms[0];
  const ArmResult& daily = c.arms[1];
  ASSERT_EQ(daily.name, "daily");
  EXPECT_GT(daily.sends, 5 * weekly.sends);
  EXPECT_GT(daily.mean_fatigue, 2 * weekly.mean_fatigue);
  const KpiRow& per_message = Kpi(c, "unsubscribe_rate", "daily");
  ASSERT_TRUE(per_message.has_comparison);
  EXPECT_GT(per_message.vs_control.abs.low, 0) << "per-message unsubscribe rate lift " << per_message.vs_control.abs.estimate;
  const TermEstimate& t = Term(c, Outcome(c, "unsubscribe"), "cadence=daily");
  EXPECT_GT(t.effect.low, 0);
  // Customers who unsubscribed: a two-proportion z-test at 99.9%.
  const double n1 = static_cast<double>(daily.entered), n0 = static_cast<double>(weekly.entered);
  const double p1 = daily.unsubscribes / n1, p0 = weekly.unsubscribes / n0;
  const double se = std::sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0);
  EXPECT_GT(p1 - p0, 3.29 * se) << p1 << " vs " << p0;
}

// A 40% discount on a promotion most clickers would take anyway: more goal
// conversions, less net revenue per customer.
TEST(Campaign, DiscountRaisesConversionButLowersNetRevenue) {
  const RunResult r = RunConfig(kCustomers + R"(
[[campaigns]]
name = "promo"
trigger = "schedule"
goal = "repeat_purchase"
goal_rate = 0.7
max_sends = 1
holdout = false
control = "full_price"

[[campaigns.factors]]
name = "offer"
levels = ["full_price", { name = "pct40", incentive = "percent_discount", incentive_value = 0.40 }]
)", {"population.size=400000"});
  const CampaignResult& c = r.campaigns[0];
  const KpiRow& conv = Kpi(c, "goal_conversion_rate", "pct40");
  const KpiRow& net = Kpi(c, "net_revenue_per_customer", "pct40");
  ASSERT_TRUE(conv.has_comparison && net.has_comparison);
  EXPECT_GT(conv.vs_control.abs.low, 0) << "conversion lift " << conv.vs_control.abs.estimate;
  EXPECT_LT(net.vs_control.abs.high, 0) << "net revenue lift " << net.vs_control.abs.estimate;
  EXPECT_GT(c.arms[1].discount, 0);
}

}  // namespace
}  // namespace lclab::experiments
