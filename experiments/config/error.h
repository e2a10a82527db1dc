// Bad input: a config key, a command-line option, a missing file. The message
// names the file (or the option), the key path, the value and what was
// expected; the command line exits with code 2 on it.
#pragma once

#include <stdexcept>

namespace lclab::experiments {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace lclab::experiments
