// lclab: the command-line interface. Dispatches to a command (commands.h) and
// maps errors to exit codes: 0 ok, 1 runtime failure, 2 bad config or usage,
// 130 interrupted.
#include <iostream>
#include <new>

#include "experiments/cli/commands.h"
#include "experiments/cli/exit_codes.h"
#include "experiments/config/error.h"
#include "lclab/version.h"
#include "sim/error.h"

using namespace lclab;
using namespace lclab::experiments;

namespace {

const char* kUsage =
    "lclab: customer-lifecycle simulation and experimentation lab\n"
    "\n"
    "usage:\n"
    "  lclab run CONFIG [options]       run an experiment config; write HDF5 and print a summary\n"
    "  lclab validate CONFIG [options]  check a config without running it\n"
    "  lclab power [options]            sample size per arm, or the minimum detectable effect\n"
    "  lclab --help | --version\n"
    "\n"
    "'lclab run --help', 'lclab validate --help' and 'lclab power --help' list their options.\n"
    "Exit codes: 0 ok, 1 runtime failure, 2 bad config or usage, 130 interrupted.\n";

int Dispatch(int argc, char** argv, const std::string& command_line) {
  if (argc < 2) {
    std::cerr << kUsage;
    return kExitConfig;
  }
  const std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::cout << kUsage;
    return kExitOk;
  }
  if (cmd == "--version" || cmd == "-V") {
    std::cout << "lclab " << kVersion << " (" << kBuildId << ")\n";
    return kExitOk;
  }
  if (cmd == "run") return RunCommand(argc - 1, argv + 1, command_line);
  if (cmd == "validate") return ValidateCommand(argc - 1, argv + 1);
  if (cmd == "power") return PowerCommand(argc - 1, argv + 1);
  std::cerr << "lclab: unknown command '" << cmd << "' (expected run, validate or power)\n\n" << kUsage;
  return kExitConfig;
}

}  // namespace

int main(int argc, char** argv) {
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);
  try {
    return Dispatch(argc, argv, command_line);
  } catch (const ConfigError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitConfig;
  } catch (const sim::Interrupted&) {
    std::cerr << "\nlclab: interrupted; no output written\n";
    return kExitInterrupted;
  } catch (const std::bad_alloc&) {
    std::cerr << "lclab: out of memory (try a smaller population.size)\n";
    return kExitRuntime;
  } catch (const std::exception& e) {
    std::cerr << "lclab: " << e.what() << "\n";
    return kExitRuntime;
  }
}
