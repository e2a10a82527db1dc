// Sharded parallel execution over index ranges.
//
// Work is cut into shards of a fixed size that does not depend on the thread
// count; each shard writes only its own outputs, and callers reduce shard
// results in shard order. So results are bit-identical for any thread count.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "sim/bytes.h"
#include "sim/mpi.h"

namespace lclab::sim {

struct ShardRange {
  std::size_t index = 0;  // shard number, 0-based
  std::size_t begin = 0;  // first item
  std::size_t end = 0;    // one past the last item
};

// Number of shards covering n items. REQUIRES: shard_size > 0.
inline std::size_t ShardCount(std::size_t n, std::size_t shard_size) {
  return (n + shard_size - 1) / shard_size;
}

// The shard with the given index. REQUIRES: index < ShardCount(n, shard_size).
inline ShardRange Shard(std::size_t n, std::size_t shard_size, std::size_t index) {
  const std::size_t b = index * shard_size;
  const std::size_t e = b + shard_size < n ? b + shard_size : n;
  return {index, b, e};
}

// Runs fn on every shard of [0, n), on up to `threads` threads (the calling
// thread included; the others are kept between calls, started only when a
// call wants more than before or another call is running). Shards are taken
// dynamically; fn must only touch state
// owned by its shard. The first exception thrown by fn is rethrown here after
// all threads stop. REQUIRES: threads >= 1, shard_size > 0.
void ForEachShard(std::size_t n, std::size_t shard_size, int threads,
                  const std::function<void(const ShardRange&)>& fn);

// Fills `partial` with one accumulator per shard of [0, n): a copy of `zero` filled by body(range, acc).
template <class Acc, class Body>
void ReduceEachShard(std::size_t n, std::size_t shard_size, int threads, const Acc& zero, Body&& body,
                     std::vector<Acc>& partial) {
  partial.resize(ShardCount(n, shard_size));
  ForEachShard(n, shard_size, threads, [&](const ShardRange& r) {
    Acc& acc = partial[r.index];
    acc = zero;
    body(r, acc);
  });
}

// Sharded reduction over [0, n): every shard starts from a copy of `zero` and
// fills it with body(range, acc); the shards' accumulators are then merged into
// a copy of `zero` in shard order (Acc::Merge), so the total is bit-identical
// for any thread count. `scratch`, when given, keeps the per-shard
// accumulators between calls so a daily reduction does not reallocate them.
// REQUIRES: Acc is copyable and has Merge(const Acc&); body touches only its shard.
template <class Acc, class Body>
Acc ShardedReduce(std::size_t n, std::size_t shard_size, int threads, const Acc& zero, Body&& body,
                  std::vector<Acc>* scratch = nullptr) {
  std::vector<Acc> local;
  std::vector<Acc>& partial = scratch ? *scratch : local;
  ReduceEachShard(n, shard_size, threads, zero, body, partial);
  Acc total = zero;
  for (const Acc& p : partial) total.Merge(p);
  return total;
}

// The rows of a population spread over the processes of an MPI job: each process holds whole shards,
// a contiguous run of them, in rank order (docs/cluster.md). One process holds them all.
struct Slice {
  std::size_t first = 0;  // the global index of the first row held here, a multiple of the shard size
  std::size_t size = 0;   // rows held here
  std::size_t total = 0;  // rows over every process
};
// Rank `rank` of `ranks`'s slice of `total` rows in shards of `shard_size`: the shards split as evenly
// as whole shards allow, the earlier ranks taking one more.
inline Slice SliceOf(std::size_t total, std::size_t shard_size, int rank, int ranks) {
  const std::size_t shards = ShardCount(total, shard_size), r = static_cast<std::size_t>(rank);
  const std::size_t per = shards / static_cast<std::size_t>(ranks), extra = shards % static_cast<std::size_t>(ranks);
  const std::size_t first_shard = r * per + (r < extra ? r : extra), count = per + (r < extra ? 1 : 0);
  const std::size_t first = first_shard * shard_size;
  const std::size_t end = (first_shard + count) * shard_size < total ? (first_shard + count) * shard_size : total;
  return {first < total ? first : total, end > first ? end - first : 0, total};
}

// ShardedReduce over a population spread over an MPI job's processes (`distributed`): each process
// reduces its own shards, every shard's accumulator goes to every process, and each merges all of
// them in global shard order, so the total is bit for bit the one process's (floating-point sums
// included). Acc needs Save(ByteWriter&) const and Load(ByteReader&). Not distributed: ShardedReduce.
template <class Acc, class Body>
Acc SliceReduce(bool distributed, std::size_t n, std::size_t shard_size, int threads, const Acc& zero, Body&& body,
                std::vector<Acc>* scratch = nullptr) {
  if (!distributed) return ShardedReduce(n, shard_size, threads, zero, std::forward<Body>(body), scratch);
  std::vector<Acc> local;
  std::vector<Acc>& partial = scratch ? *scratch : local;
  ReduceEachShard(n, shard_size, threads, zero, body, partial);
  std::string mine;
  ByteWriter w(mine);
  for (const Acc& p : partial) p.Save(w);
  Acc total = zero;
  for (const std::string& theirs : mpi::Allgather(mine)) {
    ByteReader r(theirs.data(), theirs.data() + theirs.size());
    while (!r.done()) {
      Acc shard = zero;
      shard.Load(r);
      total.Merge(shard);
    }
  }
  return total;
}

}  // namespace lclab::sim
