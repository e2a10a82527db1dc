// Assignment of a whole population: the global control's share and every
// campaign's split follow their weights within binomial bounds, and the
// assignment does not depend on the thread count.
#include "experiments/assignment.h"

#include <gtest/gtest.h>

#include <cmath>

#include "experiment_test_util.h"
#include "models/simulator.h"
#include "test_util.h"

namespace lclab::experiments {
namespace {

using lclab::testing::BinomialSe;

models::Population Assigned(const ExperimentConfig& cfg, int threads) {
  models::Simulator sim(cfg.model, cfg.programme, cfg.seed, cfg.clock);
  models::Population pop;
  sim.Allocate(pop, cfg.population_size);
  AssignArms(cfg, pop, threads);
  return pop;
}

TEST(AssignArms, SharesFollowTheWeights) {
  const ExperimentConfig cfg =
      LoadConfigText(testing::kSmallWorld, "test.toml", {"population.size=100000", "campaigns[0].holdout_weight=2"});
  const models::Population pop = Assigned(cfg, 2);
  const double n = static_cast<double>(pop.size());
  double control = 0, arms[3] = {0, 0, 0};
  for (std::size_t i = 0; i < pop.size(); ++i) {
    control += (pop.flags[i] & models::kFlagGlobalControl) != 0;
    ++arms[pop.campaigns[0].arm[i]];
  }
  EXPECT_NEAR(control / n, 0.1, 5 * BinomialSe(0.1, n));
  // Weights 2 (holdout), 1, 1 over every customer (the global control's arm column is never read).
  EXPECT_NEAR(arms[0] / n, 0.5, 5 * BinomialSe(0.5, n));
  EXPECT_NEAR(arms[1] / n, 0.25, 5 * BinomialSe(0.25, n));
}

TEST(AssignArms, IndependentOfThreadsAndStable) {
  const ExperimentConfig cfg = LoadConfigText(testing::kSmallWorld, "test.toml", {});
  const models::Population a = Assigned(cfg, 1), b = Assigned(cfg, 3);
  EXPECT_EQ(a.flags, b.flags);
  EXPECT_EQ(a.campaigns[0].arm, b.campaigns[0].arm);
  // Another salt is another split.
  const ExperimentConfig salted = LoadConfigText(testing::kSmallWorld, "test.toml", {"campaigns[0].salt=other"});
  EXPECT_NE(Assigned(salted, 2).campaigns[0].arm, a.campaigns[0].arm);
}

// Without a salt each seed splits anew (replications see the assignment's variance); an explicit salt
// keeps one split for every seed.
TEST(AssignArms, SeedResplitsUnlessSalted) {
  const std::int64_t seed_a = 5, seed_b = 6;
  auto split = [](const std::vector<std::string>& sets, std::int64_t seed) {
    const ExperimentConfig cfg = LoadConfigText(testing::kSmallWorld, "test.toml", sets, &seed);
    const models::Population pop = Assigned(cfg, 2);
    return std::make_pair(pop.campaigns[0].arm, pop.flags);
  };
  EXPECT_NE(split({}, seed_a).first, split({}, seed_b).first);
  EXPECT_NE(split({}, seed_a).second, split({}, seed_b).second);  // the global control too
  const std::vector<std::string> fixed = {"campaigns[0].salt=fixed", "programme.salt=fixed-gc"};
  EXPECT_EQ(split(fixed, seed_a).first, split(fixed, seed_b).first);
  EXPECT_EQ(split(fixed, seed_a).second, split(fixed, seed_b).second);
}

}  // namespace
}  // namespace lclab::experiments
