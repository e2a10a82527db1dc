#include "experiments/daily_analysis.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "experiments/analysis/inference.h"
#include "experiments/kpi_rows.h"
#include "experiments/tally.h"

namespace lclab::experiments {
namespace {

using models::KpiKind;
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// Thompson sampling's posterior of an arm's KPI value: Beta(1 + successes, 1 + failures) for a
// proportion (normal approximation), the estimate and its standard error otherwise. False until defined.
bool Posterior(KpiKind kind, const Moments& m, double& mean, double& se) {
  if (kind == KpiKind::kProportion) {
    mean = (m.sy + 1) / (m.n + 2);
    se = std::sqrt(mean * (1 - mean) / (m.n + 3));
    return true;
  }
  const Interval e = EstimateOf(kind, m, 0.95);
  mean = e.estimate, se = e.se;
  return std::isfinite(mean) && std::isfinite(se) && se > 0;
}

}  // namespace

DailyAnalysis::DailyAnalysis(const ExperimentConfig& cfg, int c, const models::Population& pop)
    : cfg_(cfg), campaign_(c) {
  const CampaignConfig& cc = cfg.campaigns[c];
  double wsum = 0;
  for (const auto& a : cc.arms) wsum += a.weight;
  for (const auto& a : cc.arms) weights_.push_back(a.weight / wsum);
  allocation_.adaptive = cc.thompson;
  allocation_.kpi = cc.thompson ? cc.allocation_kpi : cc.primary_kpis[0];
  allocation_.min_share = cc.min_share;
  if (cfg.sequential) {
    double eligible = cc.sequential_customers;
    if (eligible <= 0)
      for (std::size_t i = 0; i < pop.size(); ++i) eligible += !(pop.flags[i] & models::kFlagGlobalControl);
    for (int k : cc.primary_kpis) {
      kpis_.push_back(k);
      for (int a = 0; a < static_cast<int>(cc.arms.size()); ++a) {
        if (a == cc.control_arm) continue;
        SequentialSeries s;
        s.kpi = k, s.arm = a;
        series_.push_back(s);
        n_star_.push_back(std::max(2.0, eligible * (weights_[a] + weights_[cc.control_arm])));
      }
    }
  }
  if (cc.thompson && std::find(kpis_.begin(), kpis_.end(), cc.allocation_kpi) == kpis_.end())
    kpis_.push_back(cc.allocation_kpi);
}

void DailyAnalysis::Update(const models::Population& pop, int day, int threads, models::Simulator& sim) {
  const CampaignConfig& cc = cfg_.campaigns[campaign_];
  allocation_.weights.insert(allocation_.weights.end(), weights_.begin(), weights_.end());
  if (kpis_.empty()) return;
  const CampaignTally tally =
      TallyCampaign(cfg_, pop, campaign_, day, threads, kpis_, cc.thompson ? &allocation_.weights : nullptr);
  Look(tally, day - cfg_.clock.window_start());
  if (cc.thompson) Reallocate(tally, day, sim);
}

// The mixture SPRT's look at each series on window day w.
void DailyAnalysis::Look(const CampaignTally& tally, int w) {
  const CampaignConfig& cc = cfg_.campaigns[campaign_];
  const auto& defs = models::CampaignKpiDefinitions();
  const double alpha = 1.0 - cfg_.confidence;
  const auto& m = cc.thompson ? tally.ipw : tally.kpi;
  for (std::size_t j = 0; j < series_.size(); ++j) {
    SequentialSeries& s = series_[j];
    const models::KpiDef& def = defs[s.kpi];
    const Moments& t = m[s.kpi * tally.arms + s.arm];
    const Moments& ctl = m[s.kpi * tally.arms + cc.control_arm];
    const Comparison cmp = CompareOf(cc.thompson ? KpiKind::kRatio : def.kind, t, ctl, cfg_.confidence);
    const bool prior = !s.p_value.empty() && std::isfinite(s.p_value.back());
    double lo = kNan, hi = kNan, p = prior ? s.p_value.back() : kNan;
    if (std::isfinite(cmp.abs.estimate) && cmp.abs.se > 0) {
      const double var = cmp.abs.se * cmp.abs.se;
      const double tau2 = MixtureTau2(var, t.n + ctl.n, n_star_[j], alpha);
      const SequentialLook look = MixtureSequentialLook(cmp.abs.estimate, var, tau2, alpha);
      // The running minimum p stays valid under the null (no effect on any day). The interval is the day's:
      // the effect on a cumulative KPI grows as customers' time since entry grows, so intersecting the
      // days' intervals would assume a constant effect that a lifecycle campaign does not have.
      lo = look.cs.low, hi = look.cs.high;
      p = prior ? std::min(p, look.p_value) : look.p_value;
      if (s.decision_day < 0 && p <= alpha) {
        s.decision_day = w;
        s.decision = (cmp.abs.estimate > 0) == def.higher_is_better ? 1 : -1;
      }
      if (s.naive_day < 0 && cmp.p_value < alpha) s.naive_day = w;
    }
    const bool defined = std::isfinite(cmp.abs.estimate);
    s.cs.push_back({defined ? cmp.abs.estimate : kNan, defined ? cmp.abs.se : kNan, lo, hi});
    s.p_value.push_back(p);
    s.naive_p.push_back(defined ? cmp.p_value : kNan);
  }
}

// Thompson sampling: the next days' weights are P(best) under each arm's posterior, with a floor.
void DailyAnalysis::Reallocate(const CampaignTally& tally, int day, models::Simulator& sim) {
  const CampaignConfig& cc = cfg_.campaigns[campaign_];
  const models::KpiDef& def = models::CampaignKpiDefinitions()[cc.allocation_kpi];
  const int arms = tally.arms;
  std::vector<double> mean(arms), se(arms);
  for (int a = 0; a < arms; ++a) {
    if (!Posterior(def.kind, tally.Kpi(cc.allocation_kpi, a), mean[a], se[a])) return;
    if (!def.higher_is_better) mean[a] = -mean[a];
  }
  sim::Stream rng(cfg_.seed, static_cast<std::uint32_t>(campaign_), static_cast<std::uint32_t>(day),
                  models::kPurposeAllocation);
  weights_ = FloorShares(ProbabilityBest(mean, se, rng, 10000), cc.min_share);
  sim.SetAllocation(campaign_, weights_);
}

}  // namespace lclab::experiments
