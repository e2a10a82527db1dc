#include "sim/random.h"

#include "sim/simd.h"

namespace lclab::sim {

// Philox is 32-bit multiplies and xors: wider vectors do more customers per instruction and change no bit.
LCLAB_WIDEST_VECTORS
void FillFirstBlocks(std::uint64_t seed, std::uint32_t first_entity, std::uint32_t day, std::uint32_t purpose,
                     std::size_t n, std::uint32_t* __restrict w0, std::uint32_t* __restrict w1,
                     std::uint32_t* __restrict w2, std::uint32_t* __restrict w3) {
  const PhiloxKey key{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)};
  for (std::size_t j = 0; j < n; ++j) {
    const PhiloxCounter b = Philox4x32_10({0u, purpose, day, first_entity + static_cast<std::uint32_t>(j)}, key);
    w0[j] = b[0], w1[j] = b[1], w2[j] = b[2], w3[j] = b[3];
  }
}

}  // namespace lclab::sim
