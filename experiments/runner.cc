#include "experiments/runner.h"

#include <chrono>
#include <cmath>
#include <limits>

#include "experiments/assignment.h"
#include "sim/error.h"
#include "sim/parallel.h"

namespace lclab::experiments {
namespace {
using models::kNever;
using models::Stage;

enum Kpi {
  kFirstPurchaseRate,
  kRepeatPurchaseRate,
  kRetentionRate,
  kChurnRate,
  kLoyaltyRate,
  kRevenuePerCustomer,
  kNetRevenuePerCustomer,
  kOrdersPerCustomer,
  kNps,
  kCsat,
  kAliveRate,
  kOpenRate,
  kClickRate,
  kUnsubscribeRate,
  kNumKpis,
};
}  // namespace

const std::vector<KpiDef>& KpiDefinitions() {
  static const std::vector<KpiDef> defs = {
      {"first_purchase_rate", KpiKind::kProportion, "share", true, false, "entered in acquisition"},
      {"repeat_purchase_rate", KpiKind::kProportion, "share", true, false, "entered"},
      {"retention_rate", KpiKind::kProportion, "share", true, false, "entered, converted at end"},
      {"churn_rate", KpiKind::kProportion, "share", false, false, "entered"},
      {"loyalty_rate", KpiKind::kProportion, "share", true, false, "entered"},
      {"revenue_per_customer", KpiKind::kMean, "money", true, false, "entered"},
      {"net_revenue_per_customer", KpiKind::kMean, "money", true, false, "entered"},
      {"orders_per_customer", KpiKind::kMean, "count", true, false, "entered"},
      {"nps", KpiKind::kMean, "score", true, false, "entered, converted at end"},
      {"csat", KpiKind::kProportion, "share", true, false, "entered, converted at end"},
      {"alive_rate", KpiKind::kProportion, "share", true, true, "entered, converted at end"},
      {"open_rate", KpiKind::kRatio, "share", true, false, "messages delivered"},
      {"click_rate", KpiKind::kRatio, "share", true, false, "messages delivered"},
      {"unsubscribe_rate", KpiKind::kRatio, "share", false, false, "messages delivered"},
  };
  return defs;
}

void AssignArms(const ExperimentConfig& cfg, models::Population& pop, int threads) {
  std::vector<double> weights;
  for (const auto& a : cfg.arms) weights.push_back(a.weight);
  const std::uint64_t salt = SaltHash(cfg.salt);
  sim::ForEachShard(pop.size(), models::kShardSize, threads, [&](const sim::ShardRange& r) {
    for (std::size_t i = r.begin; i < r.end; ++i)
      pop.arm[i] = static_cast<std::uint8_t>(AssignArm(salt, static_cast<std::uint32_t>(i), weights));
  });
}

std::vector<KpiRow> ComputeKpis(const ExperimentConfig& cfg, const models::Population& p, int threads) {
  const int arms = static_cast<int>(cfg.arms.size());
  const int last_day = cfg.clock.window_end() - 1;
  const auto& lc = cfg.model.lifecycle;
  const double cost = cfg.model.response.channels[static_cast<int>(cfg.plan.channel)].cost;
  const std::size_t shards = sim::ShardCount(p.size(), models::kShardSize);
  std::vector<std::vector<Moments>> per_shard(shards, std::vector<Moments>(kNumKpis * arms));
  sim::ForEachShard(p.size(), models::kShardSize, threads, [&](const sim::ShardRange& r) {
    auto& m = per_shard[r.index];
    for (std::size_t i = r.begin; i < r.end; ++i) {
      if (p.entered_day[i] == kNever) continue;
      const int a = p.arm[i];
      auto at = [&](Kpi k) -> Moments& { return m[k * arms + a]; };
      const bool holdout = cfg.arms[a].treatment.holdout;
      // A customer entering in acquisition had not bought yet, so a first purchase is after entry
      // (entry happens after the day's natural activity; exp_orders counts orders after entry).
      const bool entered_in_acquisition = p.entry_stage[i] == static_cast<std::uint8_t>(Stage::kAcquisition);
      const bool first_after = entered_in_acquisition && p.first_purchase_day[i] != kNever;
      const int repeats = p.exp_orders[i] - (first_after ? 1 : 0);
      const std::uint8_t stage = p.stage[i];
      if (entered_in_acquisition) at(kFirstPurchaseRate).Add(first_after);
      at(kRepeatPurchaseRate).Add(repeats > 0);
      at(kChurnRate).Add(stage == static_cast<std::uint8_t>(Stage::kChurned));
      at(kLoyaltyRate).Add(stage == static_cast<std::uint8_t>(Stage::kLoyalty));
      at(kRevenuePerCustomer).Add(p.exp_revenue[i]);
      at(kNetRevenuePerCustomer).Add(p.exp_revenue[i] - (holdout ? 0.0 : cost * p.sends[i]));
      at(kOrdersPerCustomer).Add(p.exp_orders[i]);
      if (models::IsConverted(stage)) {
        const bool active = stage != static_cast<std::uint8_t>(Stage::kChurned) &&
                            models::EngagementOf(p, i, last_day, lc) == models::Engagement::kActive;
        at(kRetentionRate).Add(active);
        const int score = models::RecommendScore(p.satisfaction[i]);
        at(kNps).Add(score >= 9 ? 100.0 : score <= 6 ? -100.0 : 0.0);
        at(kCsat).Add(p.satisfaction[i] >= cfg.model.satisfaction.csat_threshold);
        at(kAliveRate).Add(p.alive(i));
      }
      if (!holdout) {
        at(kOpenRate).Add(p.opens[i], p.delivered[i]);
        at(kClickRate).Add(p.clicks[i], p.delivered[i]);
        at(kUnsubscribeRate).Add(p.exp_unsub[i] && p.delivered[i] > 0, p.delivered[i]);
      }
    }
  });
  std::vector<Moments> total(kNumKpis * arms);
  for (const auto& s : per_shard)
    for (std::size_t k = 0; k < total.size(); ++k) total[k].Merge(s[k]);

  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto& defs = KpiDefinitions();
  std::vector<KpiRow> rows;
  for (int k = 0; k < kNumKpis; ++k) {
    const KpiKind kind = defs[k].kind;
    const Moments& control = total[k * arms + cfg.control_arm];
    for (int a = 0; a < arms; ++a) {
      KpiRow row;
      row.kpi = k;
      row.arm = a;
      row.moments = total[k * arms + a];
      const Moments& m = row.moments;
      switch (kind) {
        case KpiKind::kProportion:
          row.estimate = m.n >= 1 ? ProportionEstimate(m, cfg.confidence) : Estimate{nan, nan, nan, nan};
          break;
        case KpiKind::kMean:
          row.estimate = m.n >= 2 ? MeanEstimate(m, cfg.confidence) : Estimate{nan, nan, nan, nan};
          break;
        case KpiKind::kRatio: row.estimate = RatioEstimate(m, cfg.confidence); break;
      }
      if (a != cfg.control_arm && m.n >= 2 && control.n >= 2) {
        switch (kind) {
          case KpiKind::kProportion: row.vs_control = ProportionCompare(m, control, cfg.confidence); break;
          case KpiKind::kMean: row.vs_control = WelchCompare(m, control, cfg.confidence); break;
          case KpiKind::kRatio: row.vs_control = RatioCompare(m, control, cfg.confidence); break;
        }
        row.has_comparison = std::isfinite(row.vs_control.abs_lift);
      }
      rows.push_back(row);
    }
  }
  return rows;
}

RunResult RunExperiment(const ExperimentConfig& cfg, const RunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const int arms = static_cast<int>(cfg.arms.size());
  RunResult result;
  result.customers = cfg.population_size;
  result.days = cfg.clock.total_days();

  models::Population pop;
  pop.Resize(cfg.population_size, cfg.model.lifecycle.k_loyal);
  result.bytes_per_customer = pop.BytesPerCustomer();
  AssignArms(cfg, pop, options.threads);
  models::Simulator simulator(cfg.model, cfg.plan, cfg.seed, cfg.clock, arms);
  simulator.Generate(pop, options.threads);

  {
    sim::Progress progress("simulating day", cfg.clock.total_days(), static_cast<double>(cfg.population_size),
                           "customer-days", options.progress);
    result.daily.reserve(cfg.clock.total_days());
    for (int day = 0; day < cfg.clock.total_days(); ++day) {
      if (options.stop && options.stop->load()) throw sim::Interrupted();
      result.daily.push_back(simulator.StepDay(pop, day, options.threads));
      progress.Update(day + 1);
    }
  }

  result.arms.resize(arms);
  for (int a = 0; a < arms; ++a) {
    ArmResult& ar = result.arms[a];
    ar.name = cfg.arms[a].name;
    ar.weight = cfg.arms[a].weight;
    ar.holdout = cfg.arms[a].treatment.holdout;
    ar.control = a == cfg.control_arm;
  }
  for (int day = cfg.clock.window_start(); day < cfg.clock.window_end(); ++day) {
    for (int a = 0; a < arms; ++a) {
      const auto& d = result.daily[day].arms[a];
      ArmResult& ar = result.arms[a];
      ar.sends += d.sends, ar.deliveries += d.deliveries, ar.opens += d.opens, ar.clicks += d.clicks;
      ar.goals += d.goals, ar.unsubscribes += d.unsubscribes;
    }
  }
  const double cost = cfg.model.response.channels[static_cast<int>(cfg.plan.channel)].cost;
  for (std::size_t i = 0; i < pop.size(); ++i) {
    ArmResult& ar = result.arms[pop.arm[i]];
    ++ar.assigned;
    if (pop.entered_day[i] != kNever) {
      ++ar.entered;
      ar.revenue += pop.exp_revenue[i];
      ar.discount += pop.exp_discount[i];
    }
  }
  for (auto& ar : result.arms) ar.message_cost = cost * static_cast<double>(ar.sends);
  result.kpis = ComputeKpis(cfg, pop, options.threads);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace lclab::experiments
