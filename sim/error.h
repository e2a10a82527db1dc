// Failures the engine reports: a run that could not finish (I/O, HDF5,
// resources) and a run stopped on request. Bad input is the config layer's
// (experiments/config/error.h); exit codes are the command line's
// (experiments/cli/exit_codes.h).
#pragma once

#include <stdexcept>
#include <string>

namespace lclab::sim {

// A failure while running (I/O, HDF5, resources).
class RuntimeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The run was stopped (SIGINT or SIGTERM) before it finished.
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

}  // namespace lclab::sim
