// Failures the engine reports: a run that could not finish (I/O, HDF5,
// resources) and a run stopped on request. Bad input is the config layer's
// (experiments/config/error.h); exit codes are the command line's
// (experiments/cli/exit_codes.h).
#pragma once

#include <atomic>
#include <stdexcept>
#include <string>

namespace lclab::sim {

// A failure while running (I/O, HDF5, resources).
class RuntimeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The run was stopped by a signal before it finished.
class Interrupted : public std::runtime_error {
 public:
  explicit Interrupted(int signal) : std::runtime_error("interrupted"), signal_(signal) {}
  int signal() const { return signal_; }  // the signal's number (SIGINT 2, SIGTERM 15, ...)

 private:
  int signal_;
};

// A flag a signal handler sets to the signal's number (0: keep going), polled by long loops.
using StopFlag = std::atomic<int>;

// Throws Interrupted if `stop` is set.
inline void ThrowIfStopped(const StopFlag* stop) {
  if (stop && stop->load(std::memory_order_relaxed) != 0) throw Interrupted(stop->load());
}

}  // namespace lclab::sim
