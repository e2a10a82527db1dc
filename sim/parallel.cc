#include "sim/parallel.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace lclab::sim {

namespace {

// Threads kept between calls: a run calls ForEachShard a few times a day, and starting a thread costs
// more than a small day's shards. One caller at a time uses the pool; a concurrent or nested call
// starts threads of its own.
class ThreadPool {
 public:
  static ThreadPool& Get() {
    static ThreadPool pool;
    return pool;
  }
  ~ThreadPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    start_.notify_all();
    for (auto& t : threads_) t.join();
  }
  // Runs `work` on `extra` pool threads and the calling thread; returns when all are done. False, without
  // running anything, when another call holds the pool.
  bool Run(std::size_t extra, const std::function<void()>& work) {
    if (busy_.exchange(true)) return false;
    try {
      std::lock_guard<std::mutex> lock(mutex_);
      while (threads_.size() < extra) threads_.emplace_back([this, index = threads_.size()] { Serve(index); });
      job_ = &work, wanted_ = extra, running_ = extra, ++generation_;
    } catch (...) {  // a thread could not start: the pool stays usable with the threads it has
      busy_ = false;
      throw;
    }
    start_.notify_all();
    work();
    {
      std::unique_lock<std::mutex> lock(mutex_);
      done_.wait(lock, [this] { return running_ == 0; });
      job_ = nullptr;
    }
    busy_ = false;
    return true;
  }

 private:
  void Serve(std::size_t index) {
    std::uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      start_.wait(lock, [&] { return stop_ || (generation_ != seen && index < wanted_); });
      if (stop_) return;
      seen = generation_;
      const std::function<void()>* job = job_;
      lock.unlock();
      (*job)();
      lock.lock();
      if (--running_ == 0) done_.notify_one();
    }
  }

  std::atomic<bool> busy_{false};
  std::mutex mutex_;  // guards everything below
  std::condition_variable start_, done_;
  std::vector<std::thread> threads_;
  const std::function<void()>* job_ = nullptr;
  std::uint64_t generation_ = 0;
  std::size_t wanted_ = 0, running_ = 0;
  bool stop_ = false;
};

}  // namespace

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
  if (!ThreadPool::Get().Run(extra, worker)) {
    std::vector<std::thread> own;
    own.reserve(extra);
    for (std::size_t t = 0; t < extra; ++t) own.emplace_back(worker);
    worker();
    for (auto& t : own) t.join();
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace lclab::sim
