// Sharded parallel execution over index ranges.
//
// Work is cut into shards of a fixed size that does not depend on the thread
// count; each shard writes only its own outputs, and callers reduce shard
// results in shard order. So results are bit-identical for any thread count.
#pragma once

#include <cstddef>
#include <functional>

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
// thread included). Shards are taken dynamically; fn must only touch state
// owned by its shard. The first exception thrown by fn is rethrown here after
// all threads stop. REQUIRES: threads >= 1, shard_size > 0.
void ForEachShard(std::size_t n, std::size_t shard_size, int threads,
                  const std::function<void(const ShardRange&)>& fn);

}  // namespace lclab::sim
