#include "experiments/daily_analysis.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>

#include "experiments/analysis/inference.h"
#include "experiments/kpi_rows.h"
#include "experiments/tally.h"
#include "sim/parallel.h"

namespace lclab::experiments {
namespace {

using models::KpiKind;
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// Thompson sampling's posterior of an arm's KPI value: Beta(1 + successes, 1 + failures) for a
// proportion (normal approximation), the estimate and its standard error otherwise. False until defined.
bool Posterior(const models::KpiDef& def, const Moments& m, double& mean, double& se) {
  if (def.kind == KpiKind::kProportion) {
    mean = (m.sy + 1) / (m.n + 2);
    se = std::sqrt(mean * (1 - mean) / (m.n + 3));
    return true;
  }
  const Interval e = EstimateOf(def, def.kind, m, 0.95);
  mean = e.estimate, se = e.se;
  return std::isfinite(mean) && std::isfinite(se) && se > 0;
}

// The fewest customers per arm before a sequential look.
constexpr double kMinLookUnits = 100;
bool EnoughToLook(KpiKind kind, const Moments& m) {
  if (m.n < kMinLookUnits) return false;
  if (kind != KpiKind::kProportion) return true;
  return m.sy >= 5 && m.n - m.sy >= 5;
}

}  // namespace

bool LooksUpdateTheirSums(const ExperimentConfig& cfg, int c) {
  const CampaignConfig& cc = cfg.campaigns[c];
  return cfg.sequential && !cc.thompson && !cc.primary_kpis.empty() &&
         std::all_of(cc.primary_kpis.begin(), cc.primary_kpis.end(), [](int k) { return models::IsSteppedShare(k); });
}

DailyAnalysis::DailyAnalysis(const ExperimentConfig& cfg, int c, const models::Population& pop, bool incremental)
    : cfg_(cfg), campaign_(c) {
  const CampaignConfig& cc = cfg.campaigns[c];
  double wsum = 0;
  for (const auto& a : cc.arms) wsum += a.weight;
  for (const auto& a : cc.arms) weights_.push_back(a.weight / wsum);
  configured_ = weights_;
  allocation_.adaptive = cc.thompson;
  allocation_.kpi = cc.thompson ? cc.allocation_kpi : cc.primary_kpis[0];
  allocation_.min_share = cc.min_share;
  if (cfg.sequential) {
    for (int k : cc.primary_kpis) {
      kpis_.push_back(k);
      for (int a = 0; a < static_cast<int>(cc.arms.size()); ++a) {
        if (a == cc.control_arm) continue;
        SequentialSeries s;
        s.kpi = k, s.arm = a;
        series_.push_back(s);
      }
    }
    days_.resize(series_.size());
  }
  if (cc.thompson && std::find(kpis_.begin(), kpis_.end(), cc.allocation_kpi) == kpis_.end())
    kpis_.push_back(cc.allocation_kpi);
  incremental_ = incremental && LooksUpdateTheirSums(cfg, c);
  if (incremental_) {
    sums_ = CampaignTally(static_cast<int>(cc.arms.size()), 0);
    last_.assign(kpis_.size(), std::vector<std::uint8_t>(pop.size(), 0));
  }
}

void DailyAnalysis::Changes::Merge(const Changes& o) {
  for (std::size_t k = 0; k < n.size(); ++k) n[k] += o.n[k], y[k] += o.y[k];
}
void DailyAnalysis::Changes::Save(sim::ByteWriter& w) const { w.PutVector(n), w.PutVector(y); }
void DailyAnalysis::Changes::Load(sim::ByteReader& r) { r.GetVector(n), r.GetVector(y); }

// The changes to the KPIs' sums on `day`. A stepped share changes only for a customer stepped that day
// (Population::stepped), so only those are evaluated; each customer's value in the sums is kept in
// last_. The sums count 0s and 1s, exact in doubles in any order: they equal a sum over every entered
// customer bit for bit.
DailyAnalysis::Changes DailyAnalysis::ChangesToday(const models::Population& pop, int day, int threads) {
  const models::CampaignColumns& col = pop.campaigns[campaign_];
  const std::size_t arms = static_cast<std::size_t>(sums_.arms);
  const models::CampaignKpiEvaluator eval(cfg_.model, cfg_.programme, pop, campaign_);
  Changes zero;
  zero.n.assign(kpis_.size() * arms, 0), zero.y.assign(kpis_.size() * arms, 0);
  return sim::SliceReduce(
      pop.distributed, pop.size(), models::kShardSize, threads, zero,
      [&](const sim::ShardRange& r, Changes& m) {
        // The shard's stepped customers who entered (global control left out), listed without a branch:
        // whether a stepped customer entered is a coin flip the branch predictor would lose. Shards are
        // whole words of `stepped`; the last word's bits past the population's end are masked (daily
        // stepping sets them).
        static_assert(models::kShardSize % 64 == 0);
        std::array<std::uint16_t, models::kShardSize> rows;
        std::size_t n = 0;
        for (std::size_t w = r.begin / 64; w * 64 < r.end; ++w) {
          const std::size_t left = r.end - w * 64;
          const std::uint64_t mask = left < 64 ? (std::uint64_t{1} << left) - 1 : ~std::uint64_t{0};
          for (std::uint64_t bits = pop.stepped[w] & mask; bits; bits &= bits - 1) {
            const std::size_t i = w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
            rows[n] = static_cast<std::uint16_t>(i - r.begin);
            n += InCampaignSums(pop, col, i);
          }
        }
        for (std::size_t e = 0; e < n; ++e) {
          const std::size_t i = r.begin + rows[e];
          const std::size_t a = col.arm[i];
          for (std::size_t q = 0; q < kpis_.size(); ++q) {
            const models::KpiValue v = eval.Outcome(kpis_[q], i, day);
            const auto now = static_cast<std::uint8_t>(v.in ? 1 | (v.y != 0 ? 2 : 0) : 0);
            std::uint8_t& was = last_[q][i];
            if (now == was) continue;
            // Out with the customer's value in the sums, in with today's (bit 0: counted, bit 1: y = 1).
            m.n[q * arms + a] += (now & 1) - (was & 1);
            m.y[q * arms + a] += (now >> 1) - (was >> 1);
            was = now;
          }
        }
      },
      &shard_changes_);
}

// Adds a day's changes to the sums of (y, x = 1) with y 0 or 1: n and sx, sxx count the customers,
// sy, syy and sxy the ones with y = 1. Whole numbers, exact in doubles.
void DailyAnalysis::ApplyChanges(const Changes& changes) {
  const std::size_t arms = static_cast<std::size_t>(sums_.arms);
  for (std::size_t q = 0; q < kpis_.size(); ++q)
    for (std::size_t a = 0; a < arms; ++a) {
      const auto n = static_cast<double>(changes.n[q * arms + a]), y = static_cast<double>(changes.y[q * arms + a]);
      Moments& m = sums_.kpi[static_cast<std::size_t>(kpis_[q]) * arms + a];
      m.n += n, m.sy += y, m.syy += y, m.sx += n, m.sxx += n, m.sxy += y;
    }
}

void DailyAnalysis::Update(const models::Population& pop, int day, int threads, models::Simulator& sim) {
  const CampaignConfig& cc = cfg_.campaigns[campaign_];
  allocation_.weights.insert(allocation_.weights.end(), weights_.begin(), weights_.end());
  if (kpis_.empty()) return;
  if (incremental_) {
    ApplyChanges(ChangesToday(pop, day, threads));
    Record(sums_);
    return;
  }
  const CampaignTally tally =
      TallyCampaign(cfg_, pop, campaign_, day, threads, kpis_, cc.thompson ? &allocation_.weights : nullptr,
                    &shard_tallies_);
  Record(tally);
  if (cc.thompson) Reallocate(tally, day, sim);
}

// Each series' moments today (inverse-probability weighted under Thompson allocation).
void DailyAnalysis::Record(const CampaignTally& tally) {
  const CampaignConfig& cc = cfg_.campaigns[campaign_];
  const auto& m = cc.thompson ? tally.ipw : tally.kpi;
  for (std::size_t j = 0; j < series_.size(); ++j) {
    const SequentialSeries& s = series_[j];
    days_[j].push_back({m[s.kpi * tally.arms + s.arm], m[s.kpi * tally.arms + cc.control_arm]});
  }
}

// The mixture SPRT's looks at one series, day by day, with the mixture tightest at n_star customers.
void DailyAnalysis::Look(SequentialSeries& s, const std::vector<Day>& days, double n_star) const {
  const CampaignConfig& cc = cfg_.campaigns[campaign_];
  const models::KpiDef& def = models::CampaignKpiDefinitions()[s.kpi];
  const models::KpiKind kind = cc.thompson ? KpiKind::kRatio : def.kind;
  const double alpha = 1.0 - cfg_.confidence;
  s.n_star = n_star;
  for (std::size_t w = 0; w < days.size(); ++w) {
    const Moments &t = days[w].treatment, &ctl = days[w].control;
    const Comparison cmp = CompareOf(def, kind, t, ctl, cfg_.confidence);
    const bool prior = !s.p_value.empty() && std::isfinite(s.p_value.back());
    double lo = kNan, hi = kNan, p = prior ? s.p_value.back() : kNan;
    // The normal-theory look needs a standard error (for proportions and shares the unpooled one) and
    // enough data for the normal approximation: looks start once each arm has kMinLookUnits customers
    // (and a proportion 5 events and 5 non-events in each arm).
    if (std::isfinite(cmp.abs.estimate) && cmp.abs.se > 0 && EnoughToLook(kind, t) && EnoughToLook(kind, ctl)) {
      const double var = cmp.abs.se * cmp.abs.se;
      const double tau2 = MixtureTau2(var, t.n + ctl.n, n_star, alpha);
      const SequentialLook look = MixtureSequentialLook(cmp.abs.estimate, var, tau2, alpha);
      // The running minimum p stays valid under the null (no effect on any day). The interval is the day's:
      // the effect on a cumulative KPI grows as customers' time since entry grows, so intersecting the
      // days' intervals would assume a constant effect that a lifecycle campaign does not have.
      lo = std::clamp(look.cs.low, def.lo - def.hi, def.hi - def.lo);
      hi = std::clamp(look.cs.high, def.lo - def.hi, def.hi - def.lo);
      p = prior ? std::min(p, look.p_value) : look.p_value;
      if (s.naive_day < 0 && cmp.p_value < alpha) s.naive_day = static_cast<int>(w);
    }
    const bool defined = std::isfinite(cmp.abs.estimate);
    s.cs.push_back({defined ? cmp.abs.estimate : kNan, defined ? cmp.abs.se : kNan, lo, hi});
    s.p_value.push_back(p);
    s.naive_p.push_back(defined ? cmp.p_value : kNan);
  }
}

// Holm over every series of the campaign, day by day; a series decides on the first day its adjusted
// always-valid p-value reaches alpha.
void DailyAnalysis::AdjustAndDecide() {
  const double alpha = 1.0 - cfg_.confidence;
  const std::size_t days = series_.empty() ? 0 : series_[0].p_value.size();
  for (auto& s : series_) s.p_holm.assign(days, kNan);
  for (std::size_t w = 0; w < days; ++w) {
    std::vector<double> p;
    for (const auto& s : series_) p.push_back(s.p_value[w]);
    const std::vector<double> holm = HolmAdjust(p);
    for (std::size_t j = 0; j < series_.size(); ++j) {
      SequentialSeries& s = series_[j];
      s.p_holm[w] = holm[j];
      if (s.decision_day < 0 && holm[j] <= alpha) {
        s.decision_day = static_cast<int>(w);
        const bool better = s.cs[w].estimate > 0;
        s.decision = better == models::CampaignKpiDefinitions()[s.kpi].higher_is_better ? 1 : -1;
      }
    }
  }
}

std::vector<SequentialSeries> DailyAnalysis::TakeSeries() {
  const CampaignConfig& cc = cfg_.campaigns[campaign_];
  for (std::size_t j = 0; j < series_.size(); ++j) {
    SequentialSeries& s = series_[j];
    double n_star = 0;
    if (cc.sequential_customers > 0) {
      n_star = cc.sequential_customers * (configured_[s.arm] + configured_[cc.control_arm]);
    } else if (!days_[j].empty()) {  // the customers of the pair in the KPI's population at the end
      n_star = days_[j].back().treatment.n + days_[j].back().control.n;
    }
    Look(s, days_[j], std::max(2.0, n_star));
  }
  AdjustAndDecide();
  return std::move(series_);
}

// Thompson sampling: the next days' weights are P(best) under each arm's posterior, with a floor.
void DailyAnalysis::Reallocate(const CampaignTally& tally, int day, models::Simulator& sim) {
  const CampaignConfig& cc = cfg_.campaigns[campaign_];
  const models::KpiDef& def = models::CampaignKpiDefinitions()[cc.allocation_kpi];
  const int arms = tally.arms;
  std::vector<double> mean(arms), se(arms);
  for (int a = 0; a < arms; ++a) {
    if (!Posterior(def, tally.Kpi(cc.allocation_kpi, a), mean[a], se[a])) return;
    if (!def.higher_is_better) mean[a] = -mean[a];
  }
  sim::Stream rng(cfg_.seed, static_cast<std::uint32_t>(campaign_), static_cast<std::uint32_t>(day),
                  models::kPurposeAllocation);
  weights_ = FloorShares(ProbabilityBest(mean, se, rng, 10000), cc.min_share);
  sim.SetAllocation(campaign_, weights_);
}

}  // namespace lclab::experiments
