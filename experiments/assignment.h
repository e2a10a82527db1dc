// Randomised assignment by hashing (salt, customer id): stable, stateless,
// independent of the thread count and of every other random draw.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lclab::experiments {

// Picks an arm for a customer with probability proportional to `weights`.
// REQUIRES: weights non-empty, all > 0.
int AssignArm(std::uint64_t salt_hash, std::uint32_t customer, const std::vector<double>& weights);

// Hash of an assignment salt.
std::uint64_t SaltHash(const std::string& salt);

}  // namespace lclab::experiments
