#include "sim/parallel.h"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace lclab::sim {

void ForEachShard(std::size_t n, std::size_t shard_size, int threads,
                  const std::function<void(const ShardRange&)>& fn) {
  const std::size_t shards = ShardCount(n, shard_size);
  if (shards == 0) return;
  if (threads <= 1 || shards == 1) {
    for (std::size_t s = 0; s < shards; ++s) fn(Shard(n, shard_size, s));
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&] {
    while (!failed.load(std::memory_order_relaxed)) {
      const std::size_t s = next.fetch_add(1, std::memory_order_relaxed);
      if (s >= shards) break;
      try {
        fn(Shard(n, shard_size, s));
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    }
  };
  const std::size_t extra = std::min<std::size_t>(static_cast<std::size_t>(threads), shards) - 1;
  std::vector<std::thread> pool;
  pool.reserve(extra);
  for (std::size_t t = 0; t < extra; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace lclab::sim
