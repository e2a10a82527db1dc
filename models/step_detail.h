// Small helpers of the simulator's own files (models/simulator.cc, models/step.cc); not an interface.
#pragma once

#include <cstddef>
#include <cstdint>

#include "models/population.h"

namespace lclab::models::detail {

// Poisson(lam) by inversion of the uniform u, given exp(-lam): 0 exactly when u < exp(-lam).
inline int PoissonInverse(float u, float lam, float exp_minus_lam) {
  float prob = exp_minus_lam, cdf = prob;
  int n = 0;
  while (u >= cdf && n < 64) {
    ++n;
    prob *= lam / static_cast<float>(n);
    const float next = cdf + prob;
    if (next == cdf) break;
    cdf = next;
  }
  return n;
}

inline void SetStage(Population& p, std::size_t i, Stage s, int day) {
  const auto v = static_cast<std::uint8_t>(s);
  if (p.stage[i] != v) {
    p.stage[i] = v;
    p.stage_day[i] = static_cast<std::int16_t>(day);
  }
}

}  // namespace lclab::models::detail
