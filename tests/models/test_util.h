// Helpers for model tests: a population generated from parameters.
#pragma once

#include <cmath>

#include "models/simulator.h"

namespace lclab::models::testing {

struct World {
  Population pop;
  Simulator sim;
  World(const ModelParams& p, std::size_t n, int days, std::uint64_t seed = 11, Programme programme = {},
        int threads = 2)
      : sim(p, std::move(programme), seed, sim::DayClock{0, days}) {
    sim.Allocate(pop, n);
    sim.Generate(pop, threads);
  }
};

// Population size of the statistical model tests, and their tolerance in standard errors.
inline constexpr std::size_t kN = 200000;
inline constexpr double kZ = 5.0;

// |observed - expected| within k standard errors of a binomial proportion.
inline double BinomialSe(double p, double n) { return std::sqrt(p * (1 - p) / n); }

}  // namespace lclab::models::testing
