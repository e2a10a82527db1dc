#include "experiments/assignment.h"

#include "models/assignment.h"
#include "models/simulator.h"
#include "sim/parallel.h"

namespace lclab::experiments {

void AssignArms(const ExperimentConfig& cfg, models::Population& pop, int threads) {
  const std::uint64_t global_salt = cfg.global_salt_hash;
  const models::Allocation global({1.0 - cfg.global_control, cfg.global_control});
  std::vector<std::uint64_t> salts;
  std::vector<models::Allocation> splits;
  for (const auto& c : cfg.campaigns) {
    salts.push_back(c.plan.salt_hash);
    std::vector<double> weights;
    for (const auto& a : c.arms) weights.push_back(a.weight);
    splits.emplace_back(weights);
  }
  sim::ForEachShard(pop.size(), models::kShardSize, threads, [&](const sim::ShardRange& r) {
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const std::uint32_t id = pop.Id(i);
      if (cfg.global_control > 0 && global.Pick(global_salt, id) == 1) pop.flags[i] |= models::kFlagGlobalControl;
      for (std::size_t c = 0; c < salts.size(); ++c)
        pop.campaigns[c].arm[i] = static_cast<std::uint8_t>(splits[c].Pick(salts[c], id));
    }
  });
}

}  // namespace lclab::experiments
