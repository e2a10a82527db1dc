// Randomised assignment by hashing (salt, customer id): which arm a customer
// is in, stable across runs and processes, independent of the thread count
// and of every other random draw. The model draws adaptive campaigns' arms on
// entry with it; the experiment assigns fixed splits and the global control.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/random.h"

namespace lclab::models {

// The 64-bit key of an assignment salt (FNV-1a over its bytes).
inline std::uint64_t SaltHash(std::string_view salt) { return sim::HashString(salt.data(), salt.size()); }

// Arm weights: arm a gets a customer with probability weights[a] / sum(weights).
class Allocation {
 public:
  Allocation() = default;
  // REQUIRES: weights non-empty, all > 0.
  explicit Allocation(const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) cum_.push_back(total += w);
  }
  int arms() const { return static_cast<int>(cum_.size()); }
  // The arm of `customer` under the salt: sim::HashUniform(salt_hash, customer) on the cumulative weights.
  int Pick(std::uint64_t salt_hash, std::uint32_t customer) const {
    return sim::PickWeighted(sim::HashUniform(salt_hash, customer), cum_.data(), arms());
  }

 private:
  std::vector<double> cum_;  // cumulative weights
};

}  // namespace lclab::models
