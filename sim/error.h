// Error types shared by every layer. Config and usage errors exit with code 2,
// runtime failures with 1, an interrupted run with 130.
#pragma once

#include <stdexcept>
#include <string>

namespace lclab::sim {

// Bad input: a config key, a CLI option, a missing file. The message names the
// file, the key path, the value and what was expected.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A failure while running (I/O, HDF5, resources).
class RuntimeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The run was stopped by SIGINT or SIGTERM.
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime = 1;
inline constexpr int kExitConfig = 2;
inline constexpr int kExitInterrupted = 130;

}  // namespace lclab::sim
