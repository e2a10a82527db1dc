// lclab: the command-line interface. Dispatches to a command (commands.h) and
// maps errors to exit codes: 0 ok, 1 runtime failure, 2 bad config or usage,
// 128 + the signal's number when a signal stopped the run (130 for Ctrl-C).
#include <cstdio>
#include <iostream>
#include <new>

#include "experiments/cli/commands.h"
#include "experiments/cli/exit_codes.h"
#include "experiments/config/error.h"
#include "lclab/version.h"
#include "sim/error.h"
#include "sim/mpi.h"

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
    "  lclab power CONFIG --lift X      customers and window days a config needs (a pilot of its world)\n"
    "  lclab study STUDY [options]      compare strategies over scenarios, axes and replications\n"
    "  lclab fit PURCHASES [options]    fit BG/NBD, Pareto/NBD and Gamma-Gamma to a transaction log\n"
    "  lclab facts [options]            check the default world against published facts\n"
    "  lclab report RESULTS [-o HTML]   a run's results as one HTML page with charts\n"
    "  lclab export RESULTS --csv DIR   every table of an output file as CSV\n"
    "  lclab --help | --version\n"
    "\n"
    "'lclab COMMAND --help' lists a command's options.\n"
    "Exit codes: 0 ok, 1 runtime failure, 2 bad config or usage, 128 + N stopped by signal N (130: Ctrl-C).\n";

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
  if (cmd == "study") return StudyCommand(argc - 1, argv + 1, command_line);
  if (cmd == "fit") return FitCommand(argc - 1, argv + 1, command_line);
  if (cmd == "facts") return FactsCommand(argc - 1, argv + 1);
  if (cmd == "export") return ExportCommand(argc - 1, argv + 1);
  if (cmd == "report") return ReportCommand(argc - 1, argv + 1);
  std::cerr << "lclab: unknown command '" << cmd << "' (expected run, validate, power, study, fit, facts, report or export)\n\n" << kUsage;
  return kExitConfig;
}

// A message as it may reach a terminal: control characters (but the line breaks lclab writes itself)
// escaped, so that a name or a path from the command line cannot drive the terminal.
std::string Printable(const std::string& text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n') || u == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

// Runs the command; maps its errors to exit codes and messages. Under mpirun a config error is
// reported once (every rank read the same config), any other error by the rank that met it, and a
// rank that fails takes the job down (the others may be waiting for it).
int Main(int argc, char** argv) {
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);
  const std::string rank = sim::mpi::Size() > 1 ? "[rank " + std::to_string(sim::mpi::Rank()) + "] " : "";
  auto failed = [](int code) {
    if (sim::mpi::Size() > 1) sim::mpi::Abort(code);
    return code;
  };
  try {
    return Dispatch(argc, argv, command_line);
  } catch (const ConfigError& e) {
    if (sim::mpi::Rank() == 0) std::cerr << "error: " << Printable(e.what()) << "\n";
    return failed(kExitConfig);
  } catch (const sim::Interrupted& e) {
    std::cerr << "\n" << rank << "lclab: interrupted by signal " << e.signal() << "; no output written\n";
    return failed(kExitSignal + e.signal());
  } catch (const std::bad_alloc&) {
    std::cerr << rank << "lclab: out of memory (try a smaller population.size)\n";
    return failed(kExitRuntime);
  } catch (const std::exception& e) {
    std::cerr << rank << "lclab: " << Printable(e.what()) << "\n";
    return failed(kExitRuntime);
  }
}

}  // namespace

int main(int argc, char** argv) {
  sim::mpi::Init(&argc, &argv);
  const int code = Main(argc, argv);
  sim::mpi::Finalize();
  return code;
}
