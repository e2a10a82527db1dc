#include "sim/random.h"

#include <gtest/gtest.h>

#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <vector>

namespace lclab::sim {
namespace {

// Known-answer vectors of Random123 (kat_vectors, philox4x32_10).
TEST(Philox, KnownAnswerVectors) {
  EXPECT_EQ(Philox4x32_10({0, 0, 0, 0}, {0, 0}),
            (PhiloxCounter{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}));
  EXPECT_EQ(Philox4x32_10({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, {0xffffffffu, 0xffffffffu}),
            (PhiloxCounter{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}));
  EXPECT_EQ(Philox4x32_10({0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}, {0xa4093822u, 0x299f31d0u}),
            (PhiloxCounter{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}));
}

TEST(Stream, FirstWordsAreTheFirstBlock) {
  Stream s(0x299f31d0a4093822ull, 0x03707344u, 0x13198a2eu, 0x85a308d3u);
  // Counter {0, purpose, day, entity}; key = seed.
  const PhiloxCounter block = Philox4x32_10({0u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}, {0xa4093822u, 0x299f31d0u});
  for (int k = 0; k < 4; ++k) EXPECT_EQ(s(), block[k]);
  const PhiloxCounter next = Philox4x32_10({1u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}, {0xa4093822u, 0x299f31d0u});
  EXPECT_EQ(s(), next[0]);
}

// The batched first blocks are the streams' own first four words, for every entity of the batch.
TEST(Stream, FirstBlocksAreEachStreamsFirstWords) {
  static FirstBlocks<300> blocks;
  const std::uint64_t seed = 0x299f31d0a4093822ull;
  blocks.Fill(seed, 0xfffffff0u, 17, 2, 300);  // entities wrap past 2^32 - 1 like a uint32_t
  for (std::uint32_t j = 0; j < 300; ++j) {
    Stream s(seed, 0xfffffff0u + j, 17, 2);
    Stream t(seed, 0xfffffff0u + j, 17, 2);
    for (int k = 0; k < 4; ++k) {
      ASSERT_EQ(blocks.word[k][j], s()) << j << " " << k;
      EXPECT_EQ(blocks.UniformFloat(k, j), t.UniformFloat()) << j << " " << k;
    }
  }
}

TEST(Stream, SameKeySameSequence) {
  Stream a(7, 123, 45, 2), b(7, 123, 45, 2);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a(), b());
}

TEST(Stream, AnyKeyComponentChangesTheSequence) {
  auto first = [](Stream s) {
    std::vector<std::uint32_t> v;
    for (int i = 0; i < 8; ++i) v.push_back(s());
    return v;
  };
  const auto base = first(Stream(7, 123, 45, 2));
  EXPECT_NE(base, first(Stream(8, 123, 45, 2)));
  EXPECT_NE(base, first(Stream(7, 124, 45, 2)));
  EXPECT_NE(base, first(Stream(7, 123, 46, 2)));
  EXPECT_NE(base, first(Stream(7, 123, 45, 3)));
  EXPECT_NE(base, first(Stream(7ull | (1ull << 40), 123, 45, 2)));  // the seed's high word counts
}

// Uniformity: chi-square over 64 bins of 2^20 draws; df = 63, sd = sqrt(126).
// Pass if within 5 sd of the mean 63.
TEST(Stream, UniformFloatsAreUniform) {
  constexpr int kBins = 64, kDraws = 1 << 20;
  std::vector<double> count(kBins);
  for (int i = 0; i < kDraws / 16; ++i) {
    Stream s(99, static_cast<std::uint32_t>(i), 3, 1);
    for (int k = 0; k < 16; ++k) ++count[static_cast<int>(s.UniformFloat() * kBins)];
  }
  double chi2 = 0;
  const double expected = static_cast<double>(kDraws) / kBins;
  for (double c : count) chi2 += (c - expected) * (c - expected) / expected;
  EXPECT_LT(std::fabs(chi2 - 63.0), 5 * std::sqrt(126.0)) << "chi2 = " << chi2;
}

// Independence: streams of neighbouring customers / purposes are uncorrelated.
// The sample correlation of n pairs has sd 1/sqrt(n); pass within 5 sd.
TEST(Stream, NeighbouringStreamsAreUncorrelated) {
  constexpr int kN = 200000;
  auto corr = [&](auto key_b) {
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    for (int i = 0; i < kN; ++i) {
      Stream a(5, static_cast<std::uint32_t>(i), 10, 2);
      Stream b = key_b(static_cast<std::uint32_t>(i));
      const double x = a.UniformOpen(), y = b.UniformOpen();
      sa += x, sb += y, saa += x * x, sbb += y * y, sab += x * y;
    }
    const double cov = sab / kN - sa / kN * sb / kN;
    return cov / std::sqrt((saa / kN - sa * sa / kN / kN) * (sbb / kN - sb * sb / kN / kN));
  };
  const double bound = 5.0 / std::sqrt(static_cast<double>(kN));
  EXPECT_LT(std::fabs(corr([](std::uint32_t i) { return Stream(5, i + 1, 10, 2); })), bound);
  EXPECT_LT(std::fabs(corr([](std::uint32_t i) { return Stream(5, i, 11, 2); })), bound);
  EXPECT_LT(std::fabs(corr([](std::uint32_t i) { return Stream(5, i, 10, 3); })), bound);
  EXPECT_LT(std::fabs(corr([](std::uint32_t i) { return Stream(6, i, 10, 2); })), bound);
}

// Works with Boost.Random distributions: a standard normal's mean and
// variance over n draws within 5 standard errors.
TEST(Stream, DrivesBoostDistributions) {
  constexpr int kN = 100000;
  Stream s(1, 2, 3, 4);
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  double sum = 0, sumsq = 0;
  for (int i = 0; i < kN; ++i) {
    const double x = normal(s);
    sum += x, sumsq += x * x;
  }
  EXPECT_NEAR(sum / kN, 0.0, 5.0 / std::sqrt(kN));
  EXPECT_NEAR(sumsq / kN, 1.0, 5.0 * std::sqrt(2.0 / kN));
}

TEST(Hash, SaltStringsAreStable) {
  // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (published test value).
  EXPECT_EQ(HashString("a", 1), 0xaf63dc4c8601ec8cull);
  EXPECT_NE(Mix64(1), Mix64(2));
}

}  // namespace
}  // namespace lclab::sim
