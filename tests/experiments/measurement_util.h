// The measurement tests' world: existing customers entering a post-purchase
// campaign day by day, run end to end for one seed, and the binomial bound
// their rates are checked against.
#pragma once

#include <cmath>
#include <functional>
#include <string>

#include "experiments/config/config.h"
#include "experiments/runner.h"

namespace lclab::experiments::testing {

// Existing customers with a 30-day warm-up (their pre-period revenue is CUPED's covariate). Every
// purchase in the window enters the campaign, so customers accrue day by day; the campaign's
// goal is a repeat purchase. `variant` is the second arm's level (empty braces: an A/A test).
inline std::string Config(const std::string& variant, int size = 8000, const std::string& extra = "",
                          const std::string& primary = R"(["repeat_purchase_rate", "revenue_per_customer"])") {
  return R"(
[simulation]
seed = 1
warmup_days = 30
days = 40

[population]
size = )" + std::to_string(size) + R"(
initial = { prospect = 0, reach = 0, acquisition = 0, customer = 1 }

[programme]
confidence = 0.95

[[campaigns]]
name = "post_purchase"
trigger = "purchase"
goal = "repeat_purchase"
goal_rate = 0.6
holdout = false
primary_metrics = )" + primary + R"(
guardrail_metrics = ["unsubscribe_rate"]
guardrail_margins = { unsubscribe_rate = { absolute = 0.002 } }
)" + extra + R"(
[[campaigns.factors]]
name = "copy"
levels = ["a", )" + variant + R"(]
)";
}

inline RunResult RunSeed(const std::string& text, std::int64_t seed, bool oracle = false, int threads = 2,
              std::function<void(models::Population&)> hook = {}) {
  const ExperimentConfig cfg = LoadConfigText(text, "test.toml", {}, &seed);
  RunOptions ro;
  ro.threads = threads;
  ro.progress = sim::Progress::Mode::kNever;
  ro.oracle = oracle;
  ro.after_assignment = std::move(hook);
  return RunExperiment(cfg, ro);
}

inline const KpiRow& Row(const CampaignResult& c, const std::string& kpi, int arm) {
  const int k = models::FindKpi(models::CampaignKpiDefinitions(), kpi);
  for (const auto& r : c.kpis)
    if (r.kpi == k && r.arm == arm) return r;
  throw std::runtime_error("no kpi " + kpi);
}

// Binomial bound: |rate - p| <= 3.29 sqrt(p (1 - p) / n).
inline double Bound(double p, int n) { return 3.29 * std::sqrt(p * (1 - p) / n); }

}  // namespace lclab::experiments::testing
