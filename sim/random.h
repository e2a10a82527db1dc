// Counter-based random streams.
//
// Philox4x32-10 (Salmon, Moraes, Dror and Shaw, SC'11, "Parallel random
// numbers: as easy as 1, 2, 3") turns a 128-bit counter and a 64-bit key into
// 128 random bits. A Stream is keyed by (seed, entity, day, purpose): the same
// key gives the same numbers on any thread, in any process, in any order, which
// is what makes lclab's results independent of the thread count and lets an
// arm replay a customer with the same luck (common random numbers).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace lclab::sim {

using PhiloxCounter = std::array<std::uint32_t, 4>;
using PhiloxKey = std::array<std::uint32_t, 2>;

// One Philox4x32-10 block: a pure function of (counter, key).
inline PhiloxCounter Philox4x32_10(PhiloxCounter ctr, PhiloxKey key) {
  constexpr std::uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
  constexpr std::uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      key[0] += kW0;
      key[1] += kW1;
    }
    const std::uint64_t p0 = std::uint64_t{kM0} * ctr[0];
    const std::uint64_t p1 = std::uint64_t{kM1} * ctr[2];
    ctr = {static_cast<std::uint32_t>(p1 >> 32) ^ ctr[1] ^ key[0], static_cast<std::uint32_t>(p1),
           static_cast<std::uint32_t>(p0 >> 32) ^ ctr[3] ^ key[1], static_cast<std::uint32_t>(p0)};
  }
  return ctr;
}

// A float uniform on [0, 1) from one 32-bit word: its top 24 bits, the float's significand.
inline float WordToFloat(std::uint32_t w) { return static_cast<float>(w >> 8) * 0x1p-24f; }

// A uniform random bit generator (usable with Boost.Random and <random>
// distributions) over the Philox blocks of one key.
//
// Counter layout: {block, purpose, day, entity}; key: the 64-bit seed.
// A stream yields 2^32 blocks of four 32-bit words before it would wrap.
class Stream {
 public:
  using result_type = std::uint32_t;

  // REQUIRES: entity, day and purpose fit in 32 bits (they are 32-bit here).
  Stream(std::uint64_t seed, std::uint32_t entity, std::uint32_t day, std::uint32_t purpose)
      : key_{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)},
        ctr_{0u, purpose, day, entity} {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  result_type operator()() {
    if (pos_ == 4) Refill();
    return buf_[pos_++];
  }

  // A double uniform on the open interval (0, 1), from one 32-bit word.
  double UniformOpen() { return (static_cast<double>((*this)()) + 0.5) * 0x1p-32; }
  // A float uniform on [0, 1), from one 32-bit word (WordToFloat).
  float UniformFloat() { return WordToFloat((*this)()); }

 private:
  void Refill() {
    buf_ = Philox4x32_10(ctr_, key_);
    ++ctr_[0];
    pos_ = 0;
  }

  PhiloxKey key_;
  PhiloxCounter ctr_;
  PhiloxCounter buf_{};
  int pos_ = 4;
};

// FirstBlocks::Fill's loop: words k of Philox4x32_10({0, purpose, day, first_entity + j}, seed) into
// w_k[j] for j in [0, n). Compiled for AVX-512 too where the processor has it (sim/simd.h); the words
// are the same in every version.
void FillFirstBlocks(std::uint64_t seed, std::uint32_t first_entity, std::uint32_t day, std::uint32_t purpose,
                     std::size_t n, std::uint32_t* w0, std::uint32_t* w1, std::uint32_t* w2, std::uint32_t* w3);

// The first blocks of many streams at once: the four words that Stream(seed, first_entity + j, day,
// purpose) yields first, for j in [0, n), as word[k][j]. The same numbers as the streams', in a loop
// over entities that the compiler vectorises (FillFirstBlocks; the per-customer daily draws of a shard).
// REQUIRES: n <= N.
template <std::size_t N>
struct FirstBlocks {
  std::array<std::array<std::uint32_t, N>, 4> word;

  void Fill(std::uint64_t seed, std::uint32_t first_entity, std::uint32_t day, std::uint32_t purpose, std::size_t n) {
    FillFirstBlocks(seed, first_entity, day, purpose, n, word[0].data(), word[1].data(), word[2].data(),
                    word[3].data());
  }
  // Word k of entity j as Stream::UniformFloat would turn it into a float.
  float UniformFloat(int k, std::size_t j) const { return WordToFloat(word[k][j]); }
};

// A 64-bit mixing hash (SplitMix64 finaliser) for keys built from strings and ids.
inline std::uint64_t Mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// A uniform on [0, 1) fixed by (salt hash, id): randomised assignment that needs no state.
inline double HashUniform(std::uint64_t salt_hash, std::uint32_t id) {
  return static_cast<double>(Mix64(salt_hash ^ Mix64(id)) >> 11) * 0x1p-53;
}

// The index k with cum[k-1] <= u * cum.back() < cum[k] (cum: cumulative weights, non-empty).
inline int PickWeighted(double u, const double* cum, int n) {
  const double x = u * cum[n - 1];
  for (int k = 0; k + 1 < n; ++k)
    if (x < cum[k]) return k;
  return n - 1;
}

// FNV-1a over bytes; stable across platforms, used to turn a salt string into a key.
inline std::uint64_t HashString(const char* data, std::size_t size) {
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (std::size_t i = 0; i < size; ++i) {
    h ^= static_cast<unsigned char>(data[i]);
    h *= 0x100000001B3ull;
  }
  return h;
}

}  // namespace lclab::sim
