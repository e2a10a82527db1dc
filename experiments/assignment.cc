#include "experiments/assignment.h"

#include "sim/random.h"

namespace lclab::experiments {

std::uint64_t SaltHash(const std::string& salt) { return sim::HashString(salt.data(), salt.size()); }

int AssignArm(std::uint64_t salt_hash, std::uint32_t customer, const std::vector<double>& weights) {
  double total = 0;
  for (double w : weights) total += w;
  const double u = sim::HashUniform(salt_hash, customer) * total;  // uniform on [0, total)
  double cum = 0;
  for (std::size_t a = 0; a + 1 < weights.size(); ++a) {
    cum += weights[a];
    if (u < cum) return static_cast<int>(a);
  }
  return static_cast<int>(weights.size()) - 1;
}

}  // namespace lclab::experiments
