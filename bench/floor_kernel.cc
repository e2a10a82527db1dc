#include "floor_kernel.h"

#include "sim/random.h"

namespace lclab::bench {

double FloorKernel(std::vector<float>& column, int days, std::uint64_t seed) {
  for (int day = 0; day < days; ++day) {
    for (std::size_t i = 0; i < column.size(); ++i) {
      sim::Stream s(seed, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(day), 99);
      const float a = s.UniformFloat(), b = s.UniformFloat();
      column[i] += a < 0.5f ? b : -b;
    }
  }
  double sum = 0;
  for (float v : column) sum += v;
  return sum;
}

}  // namespace lclab::bench
