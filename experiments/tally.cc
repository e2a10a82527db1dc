#include "experiments/tally.h"

#include <array>

#include "models/simulator.h"
#include "sim/parallel.h"

namespace lclab::experiments {

using models::kNever;

CampaignTally::CampaignTally(int a, int personas)
    : arms(a),
      kpi(static_cast<std::size_t>(models::kNumCampaignKpis) * a),
      cov(kpi.size()),
      ipw(kpi.size()),
      segment(static_cast<std::size_t>(personas) * a),
      movable(kpi.size(), 0.0),
      assigned(a, 0),
      entered(a, 0),
      revenue(a, 0.0) {}

void CampaignTally::Merge(const CampaignTally& o) {
  for (std::size_t k = 0; k < kpi.size(); ++k) {
    kpi[k].Merge(o.kpi[k]), cov[k].Merge(o.cov[k]), ipw[k].Merge(o.ipw[k]);
    movable[k] += o.movable[k];
  }
  for (std::size_t k = 0; k < segment.size(); ++k) segment[k].Merge(o.segment[k]);
  for (std::size_t a = 0; a < assigned.size(); ++a)
    assigned[a] += o.assigned[a], entered[a] += o.entered[a], revenue[a] += o.revenue[a];
}

void CampaignTally::Save(sim::ByteWriter& w) const {
  w.Put(arms);
  w.PutVector(kpi), w.PutVector(cov), w.PutVector(ipw), w.PutVector(segment), w.PutVector(movable);
  w.PutVector(assigned), w.PutVector(entered), w.PutVector(revenue);
}

void CampaignTally::Load(sim::ByteReader& r) {
  r.Get(arms);
  r.GetVector(kpi), r.GetVector(cov), r.GetVector(ipw), r.GetVector(segment), r.GetVector(movable);
  r.GetVector(assigned), r.GetVector(entered), r.GetVector(revenue);
}

CampaignTally TallyCampaign(const ExperimentConfig& cfg, const models::Population& p, int c, int day, int threads,
                            const std::vector<int>& kpis, const std::vector<double>* shares,
                            std::vector<CampaignTally>* scratch) {
  const CampaignConfig& cc = cfg.campaigns[c];
  const models::CampaignColumns& col = p.campaigns[c];
  const int arms = static_cast<int>(cc.arms.size());
  const int np = static_cast<int>(cfg.model.personas.size());
  const bool all = kpis.empty();
  std::vector<int> ks = kpis;
  if (all)
    for (int k = 0; k < models::kNumCampaignKpis; ++k) ks.push_back(k);
  std::vector<std::uint8_t> has_cov(models::kNumCampaignKpis);
  for (int k = 0; k < models::kNumCampaignKpis; ++k) has_cov[k] = *models::CampaignKpiDefinitions()[k].covariate != 0;
  const int best_kpi = cc.best_by;
  const models::CampaignKpiEvaluator eval(cfg.model, cfg.programme, p, c);
  return sim::SliceReduce(
      p.distributed, p.size(), models::kShardSize, threads, CampaignTally(arms, all ? np : 0),
      [&](const sim::ShardRange& r, CampaignTally& m) {
        if (all)
          for (std::size_t i = r.begin; i < r.end; ++i) m.assigned[col.arm[i]] += !(p.flags[i] & models::kFlagGlobalControl);
        // The shard's entered customers (global control left out), listed without a branch: most have
        // not entered, and a branch taken at random would be mispredicted.
        std::array<std::uint16_t, models::kShardSize> rows;
        std::size_t n = 0;
        for (std::size_t i = r.begin; i < r.end; ++i) {
          rows[n] = static_cast<std::uint16_t>(i - r.begin);
          n += InCampaignSums(p, col, i);
        }
        for (std::size_t e = 0; e < n; ++e) {
          const std::size_t i = r.begin + rows[e];
          const int a = col.arm[i];
          ++m.entered[a];
          const double pi =
              shares ? (*shares)[static_cast<std::size_t>(col.entered_day[i] - cfg.clock.window_start()) * arms + a]
                     : 1.0;
          for (int k : ks) {
            const models::KpiValue v = all ? eval.Value(k, i, day) : eval.Outcome(k, i, day);
            if (!v.in) continue;
            m.kpi[k * arms + a].Add(v.y, v.x);
            if (shares) m.ipw[k * arms + a].Add(v.y / pi, v.x / pi);
            if (!all) continue;  // a daily look (or a pilot) reads only the (y, x) moments
            m.movable[k * arms + a] += v.movable;
            if (has_cov[k]) m.cov[k * arms + a].Add(v.y, v.covariate);
          }
          if (all) {
            m.revenue[a] += eval.Value(models::kRevenuePerCustomer, i, day).y;
            const models::KpiValue best = eval.Value(best_kpi, i, day);
            if (best.in) m.segment[static_cast<std::size_t>(p.segment[i]) * arms + a].Add(best.y / pi, best.x / pi);
          }
        }
      },
      scratch);
}

ProgrammeTally::ProgrammeTally()
    : kpi(static_cast<std::size_t>(models::kNumProgrammeKpis) * G), cov(kpi.size()), movable(kpi.size(), 0.0) {}

void ProgrammeTally::Merge(const ProgrammeTally& o) {
  for (std::size_t k = 0; k < kpi.size(); ++k) kpi[k].Merge(o.kpi[k]), cov[k].Merge(o.cov[k]), movable[k] += o.movable[k];
  for (int g = 0; g < G; ++g) {
    customers[g] += o.customers[g], messages[g] += o.messages[g];
    message_cost[g] += o.message_cost[g], incentive_cost[g] += o.incentive_cost[g], revenue[g] += o.revenue[g];
  }
}

void ProgrammeTally::Save(sim::ByteWriter& w) const {
  w.PutVector(kpi), w.PutVector(cov), w.PutVector(movable);
  w.Put(customers), w.Put(messages), w.Put(message_cost), w.Put(incentive_cost), w.Put(revenue);
}

void ProgrammeTally::Load(sim::ByteReader& r) {
  r.GetVector(kpi), r.GetVector(cov), r.GetVector(movable);
  r.Get(customers), r.Get(messages), r.Get(message_cost), r.Get(incentive_cost), r.Get(revenue);
}

ProgrammeTally TallyProgramme(const ExperimentConfig& cfg, const models::Population& p, int threads) {
  const int nc = static_cast<int>(cfg.campaigns.size());
  const auto costs = models::ArmCosts(cfg.programme, cfg.model.response);
  std::vector<std::uint8_t> has_cov(models::kNumProgrammeKpis);
  for (int k = 0; k < models::kNumProgrammeKpis; ++k) has_cov[k] = *models::ProgrammeKpiDefinitions()[k].covariate != 0;
  const models::ProgrammeKpiEvaluator eval(cfg.model, cfg.programme, cfg.clock, p);
  constexpr int G = ProgrammeTally::G;
  return sim::SliceReduce(p.distributed, p.size(), models::kShardSize, threads, ProgrammeTally(),
                            [&](const sim::ShardRange& r, ProgrammeTally& m) {
    models::KpiValue v[models::kNumProgrammeKpis];
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const int g = (p.flags[i] & models::kFlagGlobalControl) ? models::kGroupGlobalControl : models::kGroupProgramme;
      for (int c = 0; c < nc; ++c) {
        const auto& col = p.campaigns[c];
        if (col.entered_day[i] == kNever) continue;
        const models::ArmCost& cost = costs[c][col.arm[i]];
        m.message_cost[g] += cost.per_send * col.sends[i];
        m.incentive_cost[g] += cost.per_goal * col.goals[i];
        m.messages[g] += col.sends[i];
      }
      ++m.customers[g];
      m.revenue[g] += p.win_revenue[i];
      eval.Values(i, v);
      for (int k = 0; k < models::kNumProgrammeKpis; ++k) {
        if (!v[k].in) continue;
        m.kpi[k * G + g].Add(v[k].y, v[k].x);
        m.movable[k * G + g] += v[k].movable;
        if (has_cov[k]) m.cov[k * G + g].Add(v[k].y, v[k].covariate);
      }
    }
  });
}

}  // namespace lclab::experiments
