#include "sim/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

#include <algorithm>

namespace lclab::sim {
namespace {

TEST(ForEachShard, CoversEveryItemOnceForAnyThreadCount) {
  for (int threads : {1, 2, 3, 8}) {
    for (std::size_t n : {0ul, 1ul, 99ul, 100ul, 1001ul}) {
      std::vector<std::atomic<int>> seen(n);
      ForEachShard(n, 10, threads, [&](const ShardRange& r) {
        EXPECT_EQ(r.begin, r.index * 10);
        for (std::size_t i = r.begin; i < r.end; ++i) ++seen[i];
      });
      for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(seen[i].load(), 1) << "n=" << n << " threads=" << threads;
    }
  }
}

TEST(ForEachShard, RethrowsTheFirstError) {
  EXPECT_THROW(ForEachShard(1000, 10, 2,
                            [](const ShardRange& r) {
                              if (r.index == 17) throw std::runtime_error("boom");
                            }),
               std::runtime_error);
}

// A sharded reduction merges in shard order: a floating-point sum whose value depends on the order of
// additions is bit-identical for any thread count, and reusing the scratch accumulators changes nothing.
struct Sum {
  double total = 0;
  std::size_t items = 0;
  void Merge(const Sum& o) { total += o.total, items += o.items; }
};

Sum Reduce(std::size_t n, int threads, std::vector<Sum>* scratch = nullptr) {
  return ShardedReduce(
      n, 7, threads, Sum{},
      [](const ShardRange& r, Sum& acc) {
        for (std::size_t i = r.begin; i < r.end; ++i) acc.total += 1.0 / (1.0 + static_cast<double>(i) * 0.37), ++acc.items;
      },
      scratch);
}

TEST(ShardedReduce, MergesInShardOrderForAnyThreadCount) {
  const Sum one = Reduce(10001, 1);
  EXPECT_EQ(one.items, 10001u);
  // The serial sum in shard order, written out.
  double expected = 0;
  for (std::size_t b = 0; b < 10001; b += 7) {
    double shard = 0;
    for (std::size_t i = b; i < std::min<std::size_t>(b + 7, 10001); ++i) shard += 1.0 / (1.0 + static_cast<double>(i) * 0.37);
    expected += shard;
  }
  EXPECT_EQ(one.total, expected);
  std::vector<Sum> scratch;
  for (int threads : {2, 3, 8}) {
    EXPECT_EQ(Reduce(10001, threads).total, one.total) << threads;
    EXPECT_EQ(Reduce(10001, threads, &scratch).total, one.total) << threads;
  }
  EXPECT_EQ(scratch.size(), ShardCount(10001, 7));
  EXPECT_EQ(Reduce(0, 2).items, 0u);
}


// The slices of an MPI job cover every row once, in rank order, in whole shards, as evenly as shards allow.
TEST(SliceOf, WholeShardsInRankOrder) {
  for (std::size_t total : {0, 1, 4095, 4096, 4097, 20000, 1000000})
    for (int ranks : {1, 2, 3, 7}) {
      std::size_t next = 0, most = 0, least = static_cast<std::size_t>(-1);
      for (int r = 0; r < ranks; ++r) {
        const Slice s = SliceOf(total, 4096, r, ranks);
        EXPECT_EQ(s.total, total);
        EXPECT_EQ(s.first, next) << total << " " << ranks << " " << r;
        EXPECT_TRUE(s.size == 0 || s.first % 4096 == 0) << s.first;  // an empty slice sits at the end
        next += s.size;
        const std::size_t shards = ShardCount(s.size, 4096);
        most = std::max(most, shards), least = std::min(least, shards);
      }
      EXPECT_EQ(next, total);
      EXPECT_LE(most - least, 1u) << total << " " << ranks;
    }
}

// Not distributed, SliceReduce is ShardedReduce.
TEST(SliceReduce, OneProcessIsShardedReduce) {
  struct Sum {
    double v = 0;
    void Merge(const Sum& o) { v += o.v; }
    void Save(ByteWriter& w) const { w.Put(v); }
    void Load(ByteReader& r) { r.Get(v); }
  };
  auto body = [](const ShardRange& r, Sum& s) {
    for (std::size_t i = r.begin; i < r.end; ++i) s.v += 1.0 / static_cast<double>(i + 1);
  };
  const double a = SliceReduce(false, 100000, 4096, 2, Sum{}, body).v;
  const double b = ShardedReduce(100000, 4096, 1, Sum{}, body).v;
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace lclab::sim
